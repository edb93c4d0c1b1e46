//! Page frame: header with the role's navigation and the user, main, footer.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[cfg(any(feature = "office", feature = "field"))]
use crate::services::calendar::provide_calendar;
use crate::services::capabilities::section;
use crate::services::session::{provide_session, use_session};
use crate::services::signout;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    // The residents' pages show no working-day deadline: their bundle neither
    // carries the calendar nor fetches the schedules.
    #[cfg(any(feature = "office", feature = "field"))]
    provide_calendar();
    provide_session();
    let session = use_session();
    // Each role sees only its own sections; the server guards them all the same.
    let nav = move || match session.info() {
        Some(info) => info
            .menus
            .iter()
            .filter_map(|slug| section(slug))
            .map(|(title, href)| view! { <A href=href>{title}</A> })
            .collect_view()
            .into_any(),
        None => view! {
            <A href="/admission/catalog">"准入事项清单"</A>
            <A href="/purchases">"购买服务清单"</A>
            <A href="/calendar">"工作日计算"</A>
        }
        .into_any(),
    };
    view! {
        <a class="skip-link" href="#main">"跳到正文"</a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"共"</span>
                <span class="brand-text">
                    <strong>"共治"</strong>
                    <small>"城市社区治理平台"</small>
                </span>
            </A>
            <nav class="site-nav" aria-label="主导航">{nav}</nav>
            <UserBox />
        </header>
        <main id="main" class="site-main">{children()}</main>
        <footer class="site-footer">"共治 · 城市社区治理平台 — 依据《关于进一步健全和完善城市社区治理体系建设的工作方案》"</footer>
    }
}

/// The signed-in person, or the way to sign in.
#[component]
fn UserBox() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let logout = Action::new_local(move |_: &()| {
        // Forget the person on this device first, then reach the server
        // (now, or when the network is back).
        signout::mark();
        session.set(None);
        // Offline, the sign-in page may be out of reach (a full load from the
        // tablet bundle): the page stays, showing 请先登录, instead of a dead page.
        if web_sys::window().is_none_or(|w| w.navigator().on_line()) {
            navigate("/login", Default::default());
        }
        signout::finish()
    });
    move || match session.info() {
        Some(info) => view! {
            <div class="user-box" data-testid="user-box">
                <span class="user-name">{info.account.display_name.clone()}</span>
                <span class="user-role">{info.account.role_label.clone()}</span>
                <A href="/password" attr:class="user-link">"修改密码"</A>
                <button class="btn btn-ghost" on:click=move |_| { logout.dispatch(()); }>"退出"</button>
            </div>
        }
        .into_any(),
        None if session.is_known() => view! {
            <div class="user-box"><A href="/login" attr:class="btn btn-light">"登录"</A></div>
        }
        .into_any(),
        None => ().into_any(),
    }
}
