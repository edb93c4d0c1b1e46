//! Page frame: header with navigation, main area, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::capability_href;
use crate::services::calendar::provide_calendar;
use crate::services::capabilities::CAPABILITIES;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    provide_calendar();
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
            <nav class="site-nav" aria-label="主导航">
                {CAPABILITIES
                    .iter()
                    .map(|c| view! { <A href=capability_href(c.slug)>{c.title}</A> })
                    .collect_view()}
                <A href="/calendar">"工作日计算"</A>
            </nav>
        </header>
        <main id="main" class="site-main">{children()}</main>
        <footer class="site-footer">"共治 · 城市社区治理平台 — 依据《关于进一步健全和完善城市社区治理体系建设的工作方案》"</footer>
    }
}
