use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel">
            <h1>"页面不存在"</h1>
            <p>"您访问的页面不存在或已移动。"</p>
            <p><A href="/" attr:class="btn">"返回首页"</A></p>
        </section>
    }
}

/// The office bundle's fallback: a street page it does not carry (the grid
/// walk, events) is loaded from the server, which serves the tablet bundle
/// for it; anything else is not found.
#[component]
pub fn OfficeFallback() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    if !gongzhi_api::is_field_path(&path) {
        return view! { <NotFound /> }.into_any();
    }
    // Once only: if the server answered with this bundle again (the tablet
    // bundle is not built), say so rather than reload for ever.
    let storage = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    let marker = "gongzhi.reloaded";
    if let Some(s) = &storage {
        if s.get_item(marker).ok().flatten().as_deref() == Some(path.as_str()) {
            let _ = s.remove_item(marker);
            return view! { <NotFound /> }.into_any();
        }
        let _ = s.set_item(marker, &path);
    }
    load_from_server(&location)
}

/// Asks the server for the current page (a full load), for a page the
/// running bundle does not carry; the server answers with the bundle that does.
pub fn load_from_server(location: &leptos_router::location::Location) -> AnyView {
    let target = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(&target);
    }
    view! { <p class="loading">"正在打开…"</p> }.into_any()
}
