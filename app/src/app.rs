//! The office bundle's shell and every office route, in one place. The
//! street pages live in the tablet bundle only (`field.rs`).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};

use crate::components::shell::Shell;
use gongzhi_api::pages::Bundle;

use crate::pages::not_found::{arrived, elsewhere};
use crate::pages::{
    accounts, admission, audit, calendar, capability, cleanup, facilities, funding, home, login, open311_keys, org,
    password, purchases, seal_catalog, security,
};

// Every office page is its own chunk, loaded when it is first opened.
crate::lazy_pages! {
    Home => home::HomePage,
    Calendar => calendar::CalendarPage,
    Login => login::LoginPage,
    Password => password::PasswordPage,
    Accounts => accounts::AccountsPage,
    Org => org::OrgPage,
    Security => security::SecurityPage,
    Audit => audit::AuditPage,
    ApiKeys => open311_keys::Open311KeysPage,
    Admission => admission::AdmissionPage,
    // The form (new, paper, resubmission), one file and its print are one
    // route type (`admission::AdmissionPages` picks the page from the path):
    // a route type costs every first load.
    AdmissionPages => admission::AdmissionPages,
    AdmissionCatalog => admission::AdmissionCatalogPage,
    Funding => funding::FundingPage,
    Cleanup => cleanup::CleanupPage,
    Purchases => purchases::PurchasesPage,
    // The five facilities pages are one route type (`facilities::FacilitiesPages`
    // picks the page from the path): a route type costs every first load.
    Facilities => facilities::FacilitiesPages,
    Capability => capability::CapabilityPage,
    SealCatalog => seal_catalog::SealCatalogPage,
}

#[component]
pub fn App() -> impl IntoView {
    arrived(Bundle::Office);
    view! {
        <Router>
            <Shell>
                <Routes fallback=|| elsewhere(Bundle::Office)>
                    <Route path=path!("/") view={Lazy::<Home>::new()} />
                    <Route path=path!("/calendar") view={Lazy::<Calendar>::new()} />
                    <Route path=path!("/login") view={Lazy::<Login>::new()} />
                    <Route path=path!("/password") view={Lazy::<Password>::new()} />
                    <Route path=path!("/accounts") view={Lazy::<Accounts>::new()} />
                    <Route path=path!("/org") view={Lazy::<Org>::new()} />
                    <Route path=path!("/security") view={Lazy::<Security>::new()} />
                    <Route path=path!("/audit") view={Lazy::<Audit>::new()} />
                    <Route path=path!("/seal-catalog") view={Lazy::<SealCatalog>::new()} />
                    <Route path=path!("/open311-keys") view={Lazy::<ApiKeys>::new()} />
                    // The street pages (seal, residents, grid, events) are the
                    // tablet bundle's: `elsewhere` loads them from the server.
                    <Route path=path!("/admission") view={Lazy::<Admission>::new()} />
                    <Route path=path!("/admission/new") view={Lazy::<AdmissionPages>::new()} />
                    <Route path=path!("/admission/paper") view={Lazy::<AdmissionPages>::new()} />
                    <Route path=path!("/admission/catalog") view={Lazy::<AdmissionCatalog>::new()} />
                    <Route path=path!("/admission/:id") view={Lazy::<AdmissionPages>::new()} />
                    <Route path=path!("/admission/:id/edit") view={Lazy::<AdmissionPages>::new()} />
                    <Route path=path!("/admission/:id/print") view={Lazy::<AdmissionPages>::new()} />
                    <Route path=path!("/funding") view={Lazy::<Funding>::new()} />
                    <Route path=path!("/cleanup") view={Lazy::<Cleanup>::new()} />
                    <Route path=path!("/purchases") view={Lazy::<Purchases>::new()} />
                    <Route path=path!("/facilities") view={Lazy::<Facilities>::new()} />
                    <Route path=path!("/facilities/new") view={Lazy::<Facilities>::new()} />
                    <Route path=path!("/facilities/projects/:id") view={Lazy::<Facilities>::new()} />
                    <Route path=path!("/facilities/communities/:id") view={Lazy::<Facilities>::new()} />
                    <Route path=path!("/facilities/standards") view={Lazy::<Facilities>::new()} />
                    <Route path=path!("/m/:slug") view={Lazy::<Capability>::new()} />
                </Routes>
            </Shell>
        </Router>
    }
}
