//! The one "loading" line every page shows while its data arrives.

use gongzhi_api::ApiError;
use leptos::prelude::*;

pub fn loading() -> AnyView {
    view! { <p class="loading">"正在加载…"</p> }.into_any()
}

/// A load error: the page's heading and the server's message.
pub fn failed(title: &'static str, e: ApiError) -> AnyView {
    view! {
        <section class="panel">
            <h1>{title}</h1>
            <p class="form-error" role="alert">{e.message}</p>
        </section>
    }
    .into_any()
}
