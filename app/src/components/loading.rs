//! The one "loading" line every page shows while its data arrives.

use leptos::prelude::*;

pub fn loading() -> AnyView {
    view! { <p class="loading">"正在加载…"</p> }.into_any()
}
