//! The tablet bundle's routes: the pages a community worker uses in the
//! street. A page it does not carry is loaded from the server instead, which
//! serves the office bundle for it.

use gongzhi_api::pages::Bundle;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};

use crate::components::outbox_bar::OutboxBar;
use crate::components::shell::Shell;
use crate::pages::not_found::{arrived, elsewhere};
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
    arrived(Bundle::Field);
    register_service_worker();
    view! {
        <Router>
            <Shell>
                <Outbox />
                <Routes fallback=|| elsewhere(Bundle::Field)>
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
        let container = w.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}
