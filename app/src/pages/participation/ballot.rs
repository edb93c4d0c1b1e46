//! placeholder
use leptos::prelude::*;

#[component]
pub fn BallotPage() -> impl IntoView {
    view! { <section class="panel"><h1>"百姓定实事"</h1></section> }
}
