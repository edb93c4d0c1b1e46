//! `/self-government/disclosure`: signed in, the board of the account's own
//! community (`/api/disclosure/mine`); otherwise — or for an account that
//! belongs to no community — the communities that disclose, each a link to
//! its board.

use gongzhi_api::disclosure::CommunityRef;
use gongzhi_api::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;

use super::board::{CommunityBoard, LIST};
use crate::components::loading::loading;
use crate::services::api;
use crate::services::session::use_session;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    // `None` until the session is known; then whether someone is signed in.
    let signed_in = Memo::new(move |_| session.is_known().then(|| session.info().is_some()));
    move || match signed_in.get() {
        None => loading(),
        Some(true) => view! { <Mine /> }.into_any(),
        Some(false) => view! { <Communities note=None /> }.into_any(),
    }
}

/// The signed-in account's community's board.
#[component]
fn Mine() -> impl IntoView {
    let mine: RwSignal<Option<Result<CommunityRef, ApiError>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move { mine.set(Some(api::get("/api/disclosure/mine").await)) });
    move || match mine.get() {
        None => loading(),
        Some(Ok(c)) => view! { <CommunityBoard id=c.id /> }.into_any(),
        Some(Err(e)) => view! { <Communities note=Some(e.message) /> }.into_any(),
    }
}

/// The communities to choose from.
#[component]
fn Communities(note: Option<String>) -> impl IntoView {
    let list: RwSignal<Option<Result<Vec<CommunityRef>, ApiError>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move { list.set(Some(api::get("/api/disclosure/communities").await)) });
    let signed_out = use_session().info().is_none();
    let communities = move || {
        list.get().map(|r| match r {
            Ok(l) if l.is_empty() => view! { <p class="empty">"暂时没有社区在网上公开居务。"</p> }.into_any(),
            Ok(l) => {
                let items = l
                    .into_iter()
                    .map(|c| {
                        view! {
                            <li>
                                <A href=format!("/self-government/disclosure/{}", c.id) attr:class="btn btn-large btn-block"
                                    attr:style="white-space:normal;justify-content:flex-start;text-align:left;padding:.5rem 1rem"
                                    attr:data-testid="disclosure-community">
                                    {c.name}<span style="font-weight:400;color:var(--ink-soft)">{c.street_name}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul style=LIST data-testid="disclosure-communities">{items}</ul> }.into_any()
            }
            Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
        })
    };
    view! {
        <section class="panel">
            <h1>"居务公开"</h1>
            <p class="lead">
                "社区居委会按照公开目录,把经费收支、民生实事、居民会议决定等事项,按时在社区公开栏和网上向居民公开。请选择社区,查看公开的内容。"
            </p>
            {note.map(|n| view! { <p class="notice" role="status" data-testid="disclosure-mine-error">{n}</p> })}
            {signed_out.then(|| view! {
                <p data-testid="disclosure-sign-in-hint">
                    "本社区居民"
                    <A href="/login?next=%2Fself-government%2Fdisclosure">"登录"</A>
                    "后,可以对公开的内容提问或提出异议,社区会在网上公开答复。"
                </p>
            })}
            <h2>"选择社区"</h2>
            {move || communities().unwrap_or_else(loading)}
        </section>
    }
}
