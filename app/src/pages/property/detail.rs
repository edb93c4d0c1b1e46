//! `/self-government/property/:id`: one property service company — its
//! facts (contact, party organisation, the joint-building agreement), the
//! estates it serves, the residents' complaints, its satisfaction ratings and
//! joint meetings; for the leader the edits, for staff the complaint link.

use gongzhi_api::grid::GridSummary;
use gongzhi_api::property::CompanyView;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{crumb, Shown, SLUG};
use crate::components::guard::RequireMenu;
use crate::components::loading::{failed, loading};
use crate::services::api;

#[component]
pub fn CompanyPage() -> impl IntoView {
    let at = crate::pages::self_government::path_id("/self-government/property/");
    let id = Memo::new(move |_| at.get().unwrap_or_default());
    let fresh = use_query_map().get_untracked().get("new").is_some();
    let s = Shown { current: RwSignal::new(None), notice: RwSignal::new(None) };
    // The community's grids, for the leader's estate forms (loaded once).
    let grids: RwSignal<Vec<GridSummary>> = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        let id = id.get();
        s.current.set(None);
        s.notice.set(None);
        leptos::task::spawn_local(async move {
            let v = api::get::<CompanyView>(&format!("/api/property/companies/{id}")).await;
            if let Ok(c) = &v {
                if fresh {
                    s.notice.set(Some(format!("已登记物业服务企业“{}”。下一步请添加它服务的小区。", c.name)));
                }
                if c.can_manage && grids.with_untracked(Vec::is_empty) {
                    if let Ok(list) = api::get::<Vec<GridSummary>>("/api/grids?per_page=500").await {
                        grids.set(list);
                    }
                }
            }
            s.current.set(Some(v));
        });
    });
    // The confirmation is brought into view: the form sent may be far down.
    let shown = NodeRef::<html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = shown.get() {
            p.scroll_into_view();
        }
    });
    view! {
        <RequireMenu slug=SLUG>
            {crumb("企业详情")}
            {move || s.notice.get().map(|n| view! {
                <p class="alert alert-ok" role="status" data-testid="property-notice" node_ref=shown>{n}</p>
            })}
            {move || match s.current.get() {
                None => loading(),
                Some(Err(e)) => failed("物业服务企业", e),
                Some(Ok(c)) => view! { <Body c s grids /> }.into_any(),
            }}
        </RequireMenu>
    }
}

#[component]
fn Body(c: CompanyView, s: Shown, grids: RwSignal<Vec<GridSummary>>) -> impl IntoView {
    let agreement = c.agreement_on.map(|d| format!("{d} 签订")).unwrap_or_else(|| "尚未签订".into());
    let edit = c.can_manage.then(|| view! { <super::company_form::EditCompany c=c.clone() s /> });
    view! {
        <section class="panel">
            <h1>{c.name.clone()}</h1>
            <dl class="facts">
                <dt>"服务社区"</dt><dd>{c.community_name.clone()}</dd>
                <dt>"统一社会信用代码"</dt><dd>{c.credit_code.clone()}</dd>
                <dt>"联系人"</dt><dd>{c.contact.clone()}</dd>
                <dt>"联系电话"</dt><dd><a href=format!("tel:{}", c.phone)>{c.phone.clone()}</a></dd>
                <dt>"党组织"</dt>
                <dd data-testid="property-party">
                    {format!("{}(党员 {} 名)", c.party_org_label, c.party_members)}
                    {c.branch_due.then(|| view! { " "<span class="badge badge-warn">"应单独建立党支部"</span> })}
                </dd>
                <dt>"联建协议"</dt><dd>{agreement}</dd>
            </dl>
        </section>
        {edit}
        <super::estates::Estates c=c.clone() s grids />
        <super::links::Complaints c=c.clone() s />
        <super::links::Ratings c=c.clone() />
        <super::links::JointMeetings c />
    }
}
