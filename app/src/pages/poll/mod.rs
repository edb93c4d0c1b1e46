//! 民意调查 (居民自治, plan §二(二)4): the leader asks the residents a few
//! questions; residents answer once on their phone, staff enter paper
//! questionnaires or fill one in door to door on the tablet; the count is
//! followed by staff and public once the poll has ended. Part of the
//! residents' bundle's one route type of 居民自治
//! (`self_government::SelfGovernmentPages` hands it `/self-government/polls*`);
//! the path picks the page.
//!
//! - [`list`]: `/self-government/polls`, the polls, and the leader's 发起.
//! - [`new`]: `/self-government/polls/new`, the leader's new poll.
//! - [`detail`]: `/self-government/polls/:id`, one poll: a resident's
//!   questionnaire ([`questionnaire`]), the count ([`result`]), the leader's
//!   end and the export.
//! - [`entry`]: `/self-government/polls/:id/entry`, staff's entry: find the
//!   resident, mark how it came (paper, door to door), fill it in.

mod detail;
mod entry;
mod list;
mod new;
mod questionnaire;
mod result;

use leptos::prelude::*;

use crate::pages::self_government::open_badge as badge;

/// The capability's menu slug (as the other pages of 居民自治).
const SLUG: &str = "self-government";

#[component]
pub fn PollPages() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let page = Memo::new(move |_| match location.pathname.get().trim_end_matches('/') {
        "/self-government/polls" => 0,
        "/self-government/polls/new" => 1,
        p if p.ends_with("/entry") => 3,
        _ => 2,
    });
    move || match page.get() {
        0 => view! { <list::ListPage /> }.into_any(),
        1 => view! { <new::NewPage /> }.into_any(),
        3 => view! { <entry::EntryPage /> }.into_any(),
        _ => view! { <detail::PollPage /> }.into_any(),
    }
}

/// 居民议事 / 民意调查 / `here`.
fn crumb(here: &'static str) -> impl IntoView {
    crate::pages::self_government::section_crumb("民意调查", "/self-government/polls", here)
}

/// Whether the account is community staff (who follow the count and export it).
fn staff() -> bool {
    matches!(crate::services::session::role().as_str(), "grid_member" | "community_leader" | "reviewer")
}
