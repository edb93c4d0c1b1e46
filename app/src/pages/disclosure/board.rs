//! A community's board: its title, how many items are overdue, the
//! directory and the publications. Every action's answer is the board
//! again, which replaces this one; the lists are keyed, so a form
//! half-filled elsewhere on the page stays.

use gongzhi_api::disclosure::DisclosureBoard;
use gongzhi_api::ApiError;
use gongzhi_domain::disclosure::DUE_WORKING_DAYS;
use leptos::prelude::*;
use leptos_router::components::A;

use super::directory::Directory;
use super::publications::Publications;
use crate::components::loading::{failed, loading};
use crate::services::api;
use crate::services::session::use_session;

/// A plain list of boxes, one under another (inline: the shared stylesheet
/// is in every first load).
pub const LIST: &str = "list-style:none;margin:0;padding:0;display:grid;gap:.75rem";
/// One box of such a list.
pub const ITEM: &str = "border:1px solid #d1d5db;border-radius:8px;padding:.75rem 1rem;min-width:0";
/// A heading inside a box.
pub const H3: &str = "margin:0 0 .35rem;font-size:1.15rem";
/// A heading inside a box's part.
pub const H4: &str = "margin:.75rem 0 .25rem;font-size:1.05rem";
/// A line of text inside a box.
pub const LINE: &str = "margin:.3rem 0";
/// A text whose line breaks are the writer's.
pub const PRE: &str = "margin:.3rem 0;white-space:pre-wrap;overflow-wrap:anywhere";

/// The board on the page, and the confirmation of the last action.
#[derive(Clone, Copy)]
pub struct Board {
    current: RwSignal<Option<Result<DisclosureBoard, ApiError>>>,
    /// Where the last action was done (`item-3`, `pub-5`, `add`, …) and
    /// what to confirm there.
    notice: RwSignal<Option<(String, String)>>,
    /// The directory item whose publication form is open.
    pub publishing: RwSignal<Option<i64>>,
}

impl Board {
    /// `f` of the board, once loaded (tracked).
    pub fn with<T>(&self, f: impl FnOnce(&DisclosureBoard) -> T) -> Option<T> {
        self.current.with(|c| c.as_ref().and_then(|r| r.as_ref().ok()).map(f))
    }

    /// A flag of the board that rarely changes, as a memo: a view made from
    /// it is not made again at every answer.
    pub fn flag(&self, f: fn(&DisclosureBoard) -> bool) -> Memo<bool> {
        let b = *self;
        Memo::new(move |_| b.with(f).unwrap_or(false))
    }

    /// The server's answer to an action done at `place`, with what to confirm.
    pub fn done(&self, board: DisclosureBoard, place: String, text: String) {
        self.current.set(Some(Ok(board)));
        self.notice.set(Some((place, text)));
    }

    /// Clears the last confirmation (another action begins).
    pub fn quiet(&self) {
        self.notice.set(None);
    }

    /// The confirmation of the last action, if it was done at `place`.
    pub fn notice_at(&self, place: String) -> impl IntoView {
        let notice = self.notice;
        move || {
            notice.with(|n| n.as_ref().filter(|(p, _)| *p == place).map(|(_, t)| t.clone())).map(|t| {
                view! { <p class="alert alert-ok" role="status" style="margin:.5rem 0" data-testid="disclosure-notice">{t}</p> }
            })
        }
    }
}

/// A round “!” beside words that say what is wrong (not colour alone).
pub fn mark() -> impl IntoView {
    view! {
        <span aria-hidden="true"
            style="display:inline-flex;align-items:center;justify-content:center;width:1.4em;height:1.4em;border-radius:50%;background:#991b1b;color:#fff;font-weight:700;margin-right:.35em;vertical-align:middle">
            "!"
        </span>
    }
}

/// Community `id`'s board, loaded once.
#[component]
pub fn CommunityBoard(id: i64) -> impl IntoView {
    let b = Board { current: RwSignal::new(None), notice: RwSignal::new(None), publishing: RwSignal::new(None) };
    leptos::task::spawn_local(async move {
        b.current.set(Some(api::get(&format!("/api/disclosure/communities/{id}")).await));
    });
    // 0 loading, 1 failed, 2 loaded: the page is made again only when this changes.
    let state = Memo::new(move |_| b.current.with(|c| c.as_ref().map_or(0, |r| if r.is_ok() { 2 } else { 1 })));
    move || match state.get() {
        0 => loading(),
        1 => b.current.with_untracked(|c| match c {
            Some(Err(e)) => failed("居务公开", e.clone()),
            _ => loading(),
        }),
        _ => untrack(|| view! { <Head b /><Directory b /><Publications b /> }).into_any(),
    }
}

/// The title, what the board is and the count of overdue items.
#[component]
fn Head(b: Board) -> impl IntoView {
    let signed_out = use_session().info().is_none();
    let summary = move || {
        b.with(|d| {
            let text = format!("公开事项 {} 项,其中 {} 项逾期未公开", d.items.len(), d.overdue);
            if d.overdue > 0 {
                view! {
                    <p class="alert alert-error" data-testid="disclosure-summary" data-overdue=d.overdue.to_string()
                        style="font-weight:600;margin:0">{mark()}{text}</p>
                }
                .into_any()
            } else {
                view! {
                    <p data-testid="disclosure-summary" data-overdue="0" style="font-weight:600;margin:0">{text}</p>
                }
                .into_any()
            }
        })
    };
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    view! {
        <section class="panel">
            <h1>{move || b.with(|d| format!("{} 居务公开", d.community_name))}</h1>
            <p class="lead" style="margin-bottom:.75rem">
                {format!(
                    "社区居委会按照下面的公开目录,把居务按时向居民公开。按月、按季度或按年公开的事项,应在每个期间结束后 {DUE_WORKING_DAYS} 个工作日内公开;居民对公开的内容可以提问或提出异议,社区公开答复。"
                )}
            </p>
            {summary}
            {signed_out.then(|| view! {
                <p class="hint" style="font-size:1rem" data-testid="disclosure-sign-in-hint">
                    "本社区居民"
                    <A href=format!("/login?next={}", String::from(js_sys::encode_uri_component(&path)))>"登录"</A>
                    "后,可以对公开的内容提问或提出异议。"
                </p>
            })}
        </section>
    }
}
