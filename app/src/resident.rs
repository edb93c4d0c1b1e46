//! The residents' bundle's routes: the pages residents open on a phone — the
//! rounds of 百姓定实事, a proposal, the ballot, the matters of 协商议事, a
//! community's 居务公开, a 民主评议 and its ballot — and the staff pages of the
//! same work. A page it does not carry is loaded from the server, which
//! serves the bundle that does.

use gongzhi_api::pages::Bundle;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};

use crate::components::shell::Shell;
use crate::pages::not_found::{arrived, elsewhere};
use crate::pages::{login, participation, password, self_government};

// Each page a resident opens is its own chunk; the staff pages share one
// (`ParticipationStaffPages` picks the page by path), and so do the pages of
// 居民自治 — 协商议事, 居务公开 and 民主评议 (`SelfGovernmentPages`): each route type
// costs every first load of the bundle.
crate::lazy_pages! {
    Login => login::LoginPage,
    Password => password::FieldPasswordPage,
    Participation => participation::rounds::RoundsPage,
    ParticipationRound => participation::round::RoundPage,
    ParticipationPropose => participation::propose::ProposePage,
    ParticipationBallot => participation::ballot::BallotPage,
    ParticipationStaff => participation::staff::ParticipationStaffPages,
    SelfGovernment => self_government::SelfGovernmentPages,
}

#[component]
pub fn ResidentApp() -> impl IntoView {
    arrived(Bundle::Resident);
    view! {
        <Router>
            <Shell>
                <Routes fallback=|| elsewhere(Bundle::Resident)>
                    <Route path=path!("/login") view={Lazy::<Login>::new()} />
                    <Route path=path!("/password") view={Lazy::<Password>::new()} />
                    <Route path=path!("/participation") view={Lazy::<Participation>::new()} />
                    <Route path=path!("/self-government/*rest") view={Lazy::<SelfGovernment>::new()} />
                    <Route path=path!("/participation/new") view={Lazy::<ParticipationStaff>::new()} />
                    <Route path=path!("/participation/rounds/:id") view={Lazy::<ParticipationRound>::new()} />
                    <Route path=path!("/participation/rounds/:id/propose") view={Lazy::<ParticipationPropose>::new()} />
                    <Route path=path!("/participation/rounds/:id/ballot") view={Lazy::<ParticipationBallot>::new()} />
                    <Route path=path!("/participation/rounds/:id/screening") view={Lazy::<ParticipationStaff>::new()} />
                    <Route path=path!("/participation/rounds/:id/paper") view={Lazy::<ParticipationStaff>::new()} />
                    <Route path=path!("/participation/rounds/:id/delivery") view={Lazy::<ParticipationStaff>::new()} />
                </Routes>
            </Shell>
        </Router>
    }
}
