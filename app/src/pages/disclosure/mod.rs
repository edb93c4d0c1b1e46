//! 居务公开 (public disclosure of community affairs), plan §二(二)4. The
//! residents' bundle carries it (`app/src/resident.rs`) behind one route
//! type: [`DisclosurePages`] picks the page by path. Open without signing
//! in; a resident of the community signs in to ask, the community's leader
//! to keep the directory, publish and answer.
//!
//! - [`home`]: `/self-government/disclosure` — a signed-in person's own
//!   community's board; for anyone else the communities to choose from.
//! - [`board`]: `/self-government/disclosure/:id` — a community's board:
//!   how many items are overdue, then the directory and the publications.
//! - [`directory`]: the directory (公开目录), what each item owes, and the
//!   leader's forms (the common directory, a new item).
//! - [`publish`]: the leader's publication of an item.
//! - [`publications`]: the publications (公开内容) with residents'
//!   questions and objections, the committee's public answers, and their
//!   forms.

mod board;
mod directory;
mod home;
mod publications;
mod publish;

use leptos::prelude::*;
use leptos_router::components::A;

use board::CommunityBoard;
use home::Home;

#[component]
pub fn DisclosurePages() -> impl IntoView {
    // `/self-government/disclosure/:id` has an id (0 when it is not a
    // number: the server answers 404); the other path none.
    let id = crate::pages::self_government::path_id("/self-government/disclosure/");
    move || match id.get() {
        Some(id) => view! {
            <p class="breadcrumb"><A href="/self-government/disclosure">"居务公开"</A>" / 社区公开栏"</p>
            <CommunityBoard id />
        }
        .into_any(),
        None => view! { <Home /> }.into_any(),
    }
}
