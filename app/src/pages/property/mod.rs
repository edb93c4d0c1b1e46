//! 物业党建联建 (居民自治, plan §二(二)3): the property service companies
//! serving the community's estates — their party organisation, the estates
//! with their owners' committees, residents' complaints about them (events of
//! the 物业服务投诉 category), the joint meetings (物业联席会议) they were
//! invited to, and their yearly satisfaction rating by the estates' residents
//! (a 民主评议 of its own, `/self-government/reviews/:id`). Part of the
//! residents' bundle's one route type of 居民自治
//! (`self_government::SelfGovernmentPages` hands it `/self-government/property*`);
//! the path picks the page.
//!
//! - [`list`]: `/self-government/property`, the companies, one card each.
//! - [`company_form`]: `/self-government/property/new` and the edit on a
//!   company's page: the leader's form of a company.
//! - [`detail`]: `/self-government/property/:id`, one company: its facts,
//!   [`estates`], complaints and ratings ([`links`]), joint meetings.

mod company_form;
mod detail;
mod estates;
mod links;
mod list;

use gongzhi_api::property::CompanyView;
use gongzhi_api::ApiError;
use leptos::prelude::*;

/// The capability's menu slug (as the other pages of 居民自治).
const SLUG: &str = "self-government";

#[component]
pub fn PropertyPages() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let page = Memo::new(move |_| match location.pathname.get().trim_end_matches('/') {
        "/self-government/property" => 0,
        "/self-government/property/new" => 1,
        _ => 2,
    });
    move || match page.get() {
        0 => view! { <list::ListPage /> }.into_any(),
        1 => view! { <company_form::NewPage /> }.into_any(),
        _ => view! { <detail::CompanyPage /> }.into_any(),
    }
}

/// 居民议事 / 物业联建 / `here`.
fn crumb(here: &'static str) -> impl IntoView {
    crate::pages::self_government::section_crumb("物业联建", "/self-government/property", here)
}

/// The company a page shows and the line confirming what was just done; an
/// action's answer (the company again) replaces it.
#[derive(Clone, Copy)]
struct Shown {
    current: RwSignal<Option<Result<CompanyView, ApiError>>>,
    notice: RwSignal<Option<String>>,
}

impl Shown {
    fn done(&self, v: CompanyView, notice: String) {
        self.current.set(Some(Ok(v)));
        self.notice.set(Some(notice));
    }
}

/// Sends `body` with `method` to `path` and hands back the company.
fn sender<B: serde::Serialize + Clone + 'static>(
    method: &'static str,
    path: String,
) -> Action<B, Result<CompanyView, ApiError>> {
    Action::new_local(move |body: &B| {
        let (body, path) = (body.clone(), path.clone());
        async move { crate::services::api::send::<_, CompanyView>(method, &path, &body).await }
    })
}

/// An owners' committee state's badge: a word, and a colour for those who see it.
fn committee_badge(state: &str) -> &'static str {
    match state {
        "serving" => "badge badge-ok",
        "expiring" | "expired" => "badge badge-warn",
        _ => "badge badge-none",
    }
}
