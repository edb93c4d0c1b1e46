//! A capability's section. Sections not yet delivered say so plainly instead
//! of pretending to work.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::pages::not_found::NotFound;
use crate::services::capabilities::find;

#[component]
pub fn CapabilityPage() -> impl IntoView {
    let params = use_params_map();
    move || match find(&params.read().get("slug").unwrap_or_default()) {
        Some(c) => view! {
            <section class="panel">
                <p class="breadcrumb"><A href="/">"首页"</A>" / "{c.title}</p>
                <h1>{c.title}</h1>
                <p class="lead">{c.summary}</p>
                <p class="notice" role="status">"该板块正在建设中,上线后将在此办理。依据:"{c.basis}"。"</p>
            </section>
        }
        .into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}
