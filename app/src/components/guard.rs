//! Shows a page only to roles that work in its section. The server refuses
//! the data anyway; this spares people a page of errors.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::services::session::use_session;

#[component]
pub fn RequireMenu(slug: &'static str, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || {
        if !session.is_known() {
            view! { <p class="loading">"正在加载…"</p> }.into_any()
        } else if session.info().is_none() {
            view! {
                <section class="panel">
                    <h1>"请先登录"</h1>
                    <p>"该页面需要登录后使用。"</p>
                    <p><A href=format!("/login?next={}", String::from(js_sys::encode_uri_component(&location.pathname.get()))) attr:class="btn btn-primary">"去登录"</A></p>
                </section>
            }
            .into_any()
        } else if !session.has_menu(slug) {
            view! {
                <section class="panel">
                    <h1>"无权访问"</h1>
                    <p>"您的角色不能使用该功能。如需开通,请联系系统管理员。"</p>
                </section>
            }
            .into_any()
        } else {
            children().into_any()
        }
    }
}
