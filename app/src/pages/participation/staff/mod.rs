//! The staff pages of a round behind one lazy route (`resident.rs`): the path
//! picks the page. A route type of its own costs every first load of the
//! residents' bundle.
//!
//! - [`new`]: `/participation/new`, a new round (the community's leader).
//! - [`screening`]: `/participation/rounds/:id/screening`, screening and
//!   costing, merging, the candidate list and moving the round on (opening
//!   the vote).
//! - [`paper`]: `/participation/rounds/:id/paper`, paper ballots at the
//!   polling point, each entered by two different clerks.
//! - [`delivery`]: `/participation/rounds/:id/delivery`, the chosen projects'
//!   milestones and progress (the leader or the responsible department).

mod delivery;
mod new;
mod paper;
mod screening;

use delivery::DeliveryPage;
use new::NewRoundPage;
use paper::PaperBallotPage;
use screening::ScreeningPage;

use gongzhi_api::participation::RoundDetail;
use leptos::prelude::*;
use leptos_router::components::A;

// The residents' pages' pieces serve these pages too (the round's id, the
// round from the server, money in 元).
use super::shared::{round_id, yuan, Loaded};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;

#[component]
pub fn ParticipationStaffPages() -> impl IntoView {
    // Each path is its own `<Route>`, so a view is made for one of them and
    // stays on it (only an `:id` changes under it): the path is read once.
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let path = path.trim_end_matches('/');
    if path == "/participation/new" {
        view! { <NewRoundPage /> }.into_any()
    } else if path.ends_with("/screening") {
        view! { <ScreeningPage /> }.into_any()
    } else if path.ends_with("/paper") {
        view! { <PaperBallotPage /> }.into_any()
    } else {
        view! { <DeliveryPage /> }.into_any()
    }
}

/// The round a staff page shows, and the line confirming what was just done
/// there. An action's answer (the round again) replaces the round; the
/// page's lists are keyed, so a form half-filled elsewhere on the page stays.
#[derive(Clone, Copy)]
struct Round {
    current: Loaded,
    notice: RwSignal<Option<String>>,
}

impl Round {
    /// `f` of the round, once loaded (tracked).
    fn with<T>(&self, f: impl FnOnce(&RoundDetail) -> T) -> Option<T> {
        self.current.with(|c| c.as_ref().and_then(|r| r.as_ref().ok()).map(f))
    }

    /// The server's answer to an action, with what to confirm.
    fn done(&self, detail: RoundDetail, notice: String) {
        self.current.set(Some(Ok(detail)));
        self.notice.set(Some(notice));
    }
}

/// Loads round `id` (again whenever the id changes), with no confirmation yet.
fn load_round(id: Memo<i64>) -> Round {
    let notice = RwSignal::new(None);
    Effect::new(move |_| {
        id.track();
        notice.set(None);
    });
    Round { current: super::shared::load_round(id), notice }
}

/// One staff page of a round: the breadcrumb back to the round, the loading
/// and error states, the confirmation of the last action, then `body`
/// (made once the round is loaded; it follows the round itself).
fn round_shell(here: &'static str, id: Memo<i64>, round: Round, body: fn(Round) -> AnyView) -> impl IntoView {
    let current = round.current;
    // 0 loading, 1 failed, 2 loaded: the body is made again only when this changes.
    let state = Memo::new(move |_| current.with(|c| c.as_ref().map_or(0, |r| if r.is_ok() { 2 } else { 1 })));
    view! {
        <RequireMenu slug="participation">
            <p class="breadcrumb" data-testid="staff-breadcrumb">
                <A href="/participation">"百姓定实事"</A>
                " / "
                <A href=move || format!("/participation/rounds/{}", id.get())>
                    {move || round.with(|d| d.round.title.clone()).unwrap_or_else(|| "返回本轮".to_string())}
                </A>
                {format!(" / {here}")}
            </p>
            {move || match state.get() {
                0 => loading(),
                1 => {
                    let message = current.with_untracked(|c| match c {
                        Some(Err(e)) => e.message.clone(),
                        _ => String::new(),
                    });
                    view! {
                        <section class="panel">
                            <h1>{here}</h1>
                            <p class="form-error" role="alert" data-testid="staff-error">{message}</p>
                        </section>
                    }
                    .into_any()
                }
                _ => view! {
                    {move || round.notice.get().map(|n| view! {
                        <p class="alert alert-ok" role="status" data-testid="staff-notice">{n}</p>
                    })}
                    {untrack(|| body(round))}
                }
                .into_any(),
            }}
        </RequireMenu>
    }
}

/// Inline, so that the stylesheet every first visit fetches stays as it was.
const ROW: &str = "display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center";
