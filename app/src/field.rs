//! The tablet bundle's routes: the pages a community worker uses in the
//! street. A page it does not carry is loaded from the server instead, which
//! serves the office bundle for it.

use gongzhi_api::is_field_path;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy};

use crate::components::outbox_bar::OutboxBar;
use crate::components::shell::Shell;
use crate::pages::not_found::{load_from_server, NotFound};
use crate::pages::{events, grid, login, password, residents, seal};

// Every street page is its own chunk; the service worker keeps them all, so
// an offline walk never asks the network for one.
crate::lazy_pages! {
    Login => login::LoginPage,
    Password => password::FieldPasswordPage,
    Seal => seal::SealPage,
    SealRegister => seal::SealRegisterPage,
    SealRequest => seal::SealRequestPage,
    Residents => residents::ResidentsPage,
    GridList => grid::GridListPage,
    GridImport => grid::import::GridImportPage,
    GridWalk => grid::walk::GridWalkPage,
    Events => events::EventsPage,
    Event => events::detail::EventPage,
}

#[component]
pub fn FieldApp() -> impl IntoView {
    register_service_worker();
    view! {
        <Router>
            <Shell>
                <Outbox />
                <Routes fallback=Elsewhere>
                    <Route path=path!("/login") view={Lazy::<Login>::new()} />
                    <Route path=path!("/password") view={Lazy::<Password>::new()} />
                    <Route path=path!("/seal") view={Lazy::<Seal>::new()} />
                    <Route path=path!("/seal/register") view={Lazy::<SealRegister>::new()} />
                    <Route path=path!("/seal/requests/:id") view={Lazy::<SealRequest>::new()} />
                    <Route path=path!("/residents") view={Lazy::<Residents>::new()} />
                    <Route path=path!("/grid") view={Lazy::<GridList>::new()} />
                    <Route path=path!("/grid/import") view={Lazy::<GridImport>::new()} />
                    <Route path=path!("/grid/:id") view={Lazy::<GridWalk>::new()} />
                    <Route path=path!("/events") view={Lazy::<Events>::new()} />
                    <Route path=path!("/events/:id") view={Lazy::<Event>::new()} />
                </Routes>
            </Shell>
        </Router>
    }
}

/// A page this bundle does not carry. Outside the tablet's paths the browser
/// loads it from the server (the office bundle); inside them it is not found
/// (asking the server again would only bring this bundle back).
#[component]
fn Elsewhere() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if is_field_path(&path) {
        return view! { <NotFound /> }.into_any();
    }
    load_from_server(&location)
}

/// The outbox lives as long as the app; its bar shows on every street page.
#[component]
fn Outbox() -> impl IntoView {
    crate::services::outbox::provide_outbox();
    view! { <OutboxBar /> }
}

/// Registers the service worker that keeps the app shell for offline starts
/// (`/sw.js`, written by `scripts/build-app.sh` with the bundle's file list).
fn register_service_worker() {
    if let Some(w) = web_sys::window() {
        // The office bundle marks a page it handed over to this one; it arrived.
        if let Ok(Some(s)) = w.session_storage() {
            let _ = s.remove_item("gongzhi.reloaded");
        }
        let container = w.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}
