use gongzhi_api::pages::Bundle;
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

/// Where a page handed over to another bundle is noted (session storage),
/// so that a server that answers with the same bundle again (the other is
/// not built) shows "not found" instead of reloading for ever.
const HANDED_OVER: &str = "gongzhi.reloaded";

/// A bundle's fallback: a page of another bundle (the office's admission, the
/// tablet's grid walk, the residents' round) is loaded from the server, which
/// serves the bundle that carries it; a page of this bundle that no route
/// matches is not found.
pub fn elsewhere(this: Bundle) -> AnyView {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    if gongzhi_api::bundle_of(&path) == this {
        return view! { <NotFound /> }.into_any();
    }
    // Once only: if the server answered with this bundle again, say so.
    let storage = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    if let Some(s) = &storage {
        if s.get_item(HANDED_OVER).ok().flatten().as_deref() == Some(path.as_str()) {
            let _ = s.remove_item(HANDED_OVER);
            return view! { <NotFound /> }.into_any();
        }
        let _ = s.set_item(HANDED_OVER, &path);
    }
    load_from_server(&location)
}

/// A bundle has started on one of its own pages: a hand-over that brought it
/// here arrived (a later one to the same page must not read as a bounce).
pub fn arrived(this: Bundle) {
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    if gongzhi_api::bundle_of(&path) == this {
        if let Ok(Some(s)) = w.session_storage() {
            let _ = s.remove_item(HANDED_OVER);
        }
    }
}

/// Asks the server for the current page (a full load), for a page the
/// running bundle does not carry; the server answers with the bundle that does.
pub fn load_from_server(location: &leptos_router::location::Location) -> AnyView {
    let target = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
    if let Some(w) = web_sys::window() {
        // Replace: the router has pushed this address already, and a second
        // entry would make the phone's Back button seem to do nothing once.
        let _ = w.location().replace(&target);
    }
    view! { <p class="loading">"正在打开…"</p> }.into_any()
}
