//! `/participation`: the rounds the account can see.
use leptos::prelude::*;

#[component]
pub fn RoundsPage() -> impl IntoView {
    view! { <section class="panel"><h1>"百姓定实事"</h1></section> }
}
