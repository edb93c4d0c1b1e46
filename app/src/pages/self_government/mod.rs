//! 协商议事 (居民自治, plan §二(二)4): residents raise a matter of common
//! interest with their neighbours' co-signatures, the community holds a
//! 议事会, 恳谈会 or 听证会 on it, and the result and its follow-up items are
//! public. Staff also record disputes (矛盾纠纷) and their mediation. These
//! pages are the residents' bundle's (`app/src/resident.rs`), behind one lazy
//! route: the path picks the page (a route type of its own costs every first
//! load of the bundle).
//!
//! - [`list`]: `/self-government`, the matters the account can see, and the
//!   leader's setting of how many co-signers a residents' matter needs.
//! - [`new`]: `/self-government/new`, a new matter.
//! - [`matter`]: `/self-government/matters/:id`, one matter: its steps,
//!   co-signing, meetings (planning, sign-in, record) and follow-up items.
//!
//! `/self-government/disclosure*` (居务公开), `/self-government/reviews*`
//! (民主评议), `/self-government/polls*` (民意调查) and
//! `/self-government/property*` (物业联建) are handed to their own modules'
//! pickers.

mod attendance;
mod follow_ups;
mod list;
mod matter;
mod meeting;
mod new;
mod record;

use gongzhi_api::consultation::MatterDetail;
use gongzhi_api::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;

/// The capability's menu slug.
const SLUG: &str = "self-government";

#[component]
pub fn SelfGovernmentPages() -> impl IntoView {
    // One wildcard `<Route>` serves every page of 居民自治 (a new page adds
    // no route entry to the bundle's main module), so the page follows the path.
    let location = leptos_router::hooks::use_location();
    let page = Memo::new(move |_| {
        let path = location.pathname.get();
        match path.trim_end_matches('/') {
            "/self-government" => 0,
            "/self-government/new" => 1,
            p if p.starts_with("/self-government/disclosure") => 2,
            p if p.starts_with("/self-government/reviews") => 4,
            #[cfg(feature = "resident")]
            p if p.starts_with("/self-government/property") => 6,
            #[cfg(feature = "resident")]
            p if p.starts_with("/self-government/polls") => 5,
            _ => 3,
        }
    });
    move || match page.get() {
        0 => view! { <list::ListPage /> }.into_any(),
        1 => view! { <new::NewPage /> }.into_any(),
        2 => view! { <crate::pages::disclosure::DisclosurePages /> }.into_any(),
        4 => view! { <crate::pages::review::ReviewPages /> }.into_any(),
        #[cfg(feature = "resident")]
        6 => view! { <crate::pages::property::PropertyPages /> }.into_any(),
        #[cfg(feature = "resident")]
        5 => view! { <crate::pages::poll::PollPages /> }.into_any(),
        _ => view! { <matter::MatterPage /> }.into_any(),
    }
}

/// The record id in the path after `prefix` (`/self-government/matters/` →
/// 12), `None` when the path has no such segment, 0 when it is not a number
/// (the server then answers 404).
pub(crate) fn path_id(prefix: &'static str) -> Memo<Option<i64>> {
    let location = leptos_router::hooks::use_location();
    Memo::new(move |_| {
        let path = location.pathname.get();
        let rest = path.strip_prefix(prefix)?;
        let segment = rest.split('/').next().filter(|s| !s.is_empty())?;
        Some(segment.parse().unwrap_or_default())
    })
}

/// 居民议事 / `section` (a link to `href`) / `here`: the breadcrumb of a
/// part of 居民自治 (民主评议, 民意调查).
pub(crate) fn section_crumb(section: &'static str, href: &'static str, here: &'static str) -> impl IntoView {
    view! {
        <p class="breadcrumb">
            <A href="/self-government">"居民议事"</A>" / "<A href=href>{section}</A>
            {format!(" / {here}")}
        </p>
    }
}

/// A list page of a part of 居民自治 (民主评议, 民意调查, 物业联建): the
/// crumb, the heading with the leader's 发起 link, what the part is for, and
/// the records from `url`, one card each (or the line saying there are none).
pub(crate) struct Listing {
    pub title: &'static str,
    /// The leader's link to a new record: path, words, test id.
    pub new: (&'static str, &'static str, &'static str),
    pub lead: &'static str,
    /// When there is none: test id, words.
    pub empty: (&'static str, &'static str),
}

pub(crate) fn listing<T, V>(page: Listing, url: &'static str, card: fn(T) -> V) -> impl IntoView
where
    T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let rows: RwSignal<Option<Result<Vec<T>, ApiError>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move { rows.set(Some(crate::services::api::get(url).await)) });
    let (href, words, testid) = page.new;
    view! {
        <crate::components::guard::RequireMenu slug=SLUG>
            <p class="breadcrumb"><A href="/self-government">"居民议事"</A>{format!(" / {}", page.title)}</p>
            <section class="panel">
                <div class="panel-head">
                    <h1>{page.title}</h1>
                    {move || (crate::services::session::role() == "community_leader").then(|| view! {
                        <A href=href attr:class="btn btn-primary" attr:data-testid=testid>{words}</A>
                    })}
                </div>
                <p class="lead">{page.lead}</p>
                {move || rows.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty" data-testid=page.empty.0>{page.empty.1}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="grid-cards" style="list-style:none;margin:0;padding:0">
                            {list.into_iter().map(card).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(crate::components::loading::loading)}
            </section>
        </crate::components::guard::RequireMenu>
    }
}

/// The badge of a record that is open (评议中, 调查中) or done: a word, and a
/// colour for those who see it.
pub(crate) fn open_badge(status: &str) -> &'static str {
    if status == "open" {
        "badge badge-warn"
    } else {
        "badge badge-ok"
    }
}

/// 居民议事 / `here`.
fn crumb(here: &'static str) -> impl IntoView {
    view! { <p class="breadcrumb"><A href="/self-government">"居民议事"</A>{format!(" / {here}")}</p> }
}

/// The matter a page shows, and the line confirming what was just done. An
/// action's answer (the matter again) replaces it.
#[derive(Clone, Copy)]
struct Matter {
    current: RwSignal<Option<Result<MatterDetail, ApiError>>>,
    notice: RwSignal<Option<String>>,
    /// The sign-in form's capacity and method, kept from one person to the
    /// next at the door (the page is made again after each answer).
    door: (RwSignal<String>, RwSignal<String>),
}

impl Matter {
    /// The server's answer to an action, with what to confirm.
    fn done(&self, detail: MatterDetail, notice: String) {
        self.current.set(Some(Ok(detail)));
        self.notice.set(Some(notice));
    }
}

/// A status's badge: a word, and a colour for those who see it.
fn status_badge(status: &str) -> &'static str {
    match status {
        "collecting" | "accepted" => "badge badge-warn",
        "resolved" | "closed" => "badge badge-ok",
        _ => "badge badge-none",
    }
}

/// `(code, label)` pairs of a vocabulary, for a select.
fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|k| (code(*k).to_string(), label(*k).to_string())).collect()
}

/// A whole form's messages for `fields` in one line (rows of a form whose
/// errors name the column, not the row).
fn any_error(
    errors: Memo<crate::components::form::FormErrors>,
    fields: &'static [&'static str],
) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| fields.iter().find_map(|f| e.for_field(f))))
}

/// Sends `body` to `path` and hands the matter in the answer to `done`, or
/// the refusal to `server`.
fn sender<B: serde::Serialize + Clone + 'static>(
    method: &'static str,
    path: impl Fn() -> String + 'static,
) -> Action<B, Result<MatterDetail, ApiError>> {
    Action::new_local(move |body: &B| {
        let (body, path) = (body.clone(), path());
        async move { crate::services::api::send::<_, MatterDetail>(method, &path, &body).await }
    })
}

/// The empty body of a move that needs no input.
#[derive(Clone, serde::Serialize)]
struct Empty {}
