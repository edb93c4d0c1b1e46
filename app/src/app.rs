//! The office bundle's shell and every office route, in one place. The
//! street pages live in the tablet bundle only (`field.rs`).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
use crate::pages::{
    accounts::AccountsPage,
    admission::{
        AdmissionCatalogPage, AdmissionFilePage, AdmissionPage, AdmissionPrintPage, NewAdmissionPage,
        PaperAdmissionPage, ResubmitAdmissionPage,
    },
    audit::AuditPage,
    calendar::CalendarPage,
    capability::CapabilityPage,
    cleanup::CleanupPage,
    funding::FundingPage,
    home::HomePage,
    login::LoginPage,
    not_found::OfficeFallback,
    org::OrgPage,
    password::PasswordPage,
    purchases::PurchasesPage,
    security::SecurityPage,
};
use crate::services::capabilities::{capability_path, CAPABILITIES};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell>
                <Routes fallback=OfficeFallback>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/calendar") view=CalendarPage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/password") view=PasswordPage />
                    <Route path=path!("/accounts") view=AccountsPage />
                    <Route path=path!("/org") view=OrgPage />
                    <Route path=path!("/security") view=SecurityPage />
                    <Route path=path!("/audit") view=AuditPage />
                    // The street pages (seal, residents, grid, events) are the
                    // tablet bundle's: `OfficeFallback` loads them from the server.
                    <Route path=path!("/admission") view=AdmissionPage />
                    <Route path=path!("/admission/new") view=NewAdmissionPage />
                    <Route path=path!("/admission/paper") view=PaperAdmissionPage />
                    <Route path=path!("/admission/catalog") view=AdmissionCatalogPage />
                    <Route path=path!("/admission/:id") view=AdmissionFilePage />
                    <Route path=path!("/admission/:id/edit") view=ResubmitAdmissionPage />
                    <Route path=path!("/admission/:id/print") view=AdmissionPrintPage />
                    <Route path=path!("/funding") view=FundingPage />
                    <Route path=path!("/cleanup") view=CleanupPage />
                    <Route path=path!("/purchases") view=PurchasesPage />
                    <Route path=path!("/m/:slug") view=CapabilityPage />
                </Routes>
            </Shell>
        </Router>
    }
}

/// Where a capability's section lives.
pub fn capability_href(slug: &str) -> String {
    debug_assert!(CAPABILITIES.iter().any(|c| c.slug == slug));
    capability_path(slug)
}
