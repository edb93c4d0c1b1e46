use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel">
            <h1>"页面不存在"</h1>
            <p>"您访问的页面不存在或已移动。"</p>
            <p><A href="/">"返回首页"</A></p>
        </section>
    }
}
