//! The application shell and every route, in one place.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
use crate::pages::{calendar::CalendarPage, capability::CapabilityPage, home::HomePage, not_found::NotFound};
use crate::services::capabilities::CAPABILITIES;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/calendar") view=CalendarPage />
                    <Route path=path!("/m/:slug") view=CapabilityPage />
                </Routes>
            </Shell>
        </Router>
    }
}

/// Where a capability's section lives.
pub fn capability_href(slug: &str) -> String {
    debug_assert!(CAPABILITIES.iter().any(|c| c.slug == slug));
    format!("/m/{slug}")
}
