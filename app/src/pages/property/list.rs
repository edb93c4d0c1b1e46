//! `/self-government/property`: the property service companies the account
//! can see, one card each — the estates served, the party organisation, the
//! complaints being handled and the last published satisfaction rate. The
//! leader registers a new one.

use gongzhi_api::property::CompanyView;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::pages::self_government::{listing, Listing};

/// A line inside a card.
const LINE: &str = "margin:.3rem 0";

#[component]
pub fn ListPage() -> impl IntoView {
    let page = Listing {
        title: "物业联建",
        new: ("/self-government/property/new", "登记物业服务企业", "property-new"),
        lead: "为本社区小区服务的物业服务企业:党组织建设、服务的小区和业主委员会、居民投诉的办理情况,以及每年由小区居民参加的服务满意度测评结果。",
        empty: ("no-companies", "还没有登记物业服务企业。"),
    };
    listing(page, "/api/property/companies", |c: CompanyView| view! { <Card c /> })
}

#[component]
fn Card(c: CompanyView) -> impl IntoView {
    let page = format!("/self-government/property/{}", c.id);
    let estates = c.estates.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join("、");
    let rating = c.ratings.iter().find_map(|r| r.satisfaction_pct.map(|p| format!("{} 年度满意率 {p}%", r.year)));
    let expired = c.estates.iter().filter(|e| e.committee_term_ended).count();
    view! {
        <li class="grid-card" data-testid="property-card">
            <h2><A href=page.clone()>{c.name.clone()}</A></h2>
            <p style=LINE>{format!("服务小区:{}", if estates.is_empty() { "尚未登记".to_string() } else { estates })}</p>
            <p style=LINE>
                {format!("党组织:{}", c.party_org_label)}
                {c.branch_due.then(|| view! { " "<span class="badge badge-warn">"应单独建立党支部"</span> })}
            </p>
            <p style=LINE data-testid="property-complaints">
                {format!("物业投诉:办理中 {} 件,{} 年已办结 {} 件", c.complaints.open, c.complaints.year, c.complaints.closed)}
            </p>
            {(expired > 0).then(|| view! {
                <p style=LINE><span class="badge badge-warn">{format!("{expired} 个小区业委会任期已届满,待换届")}</span></p>
            })}
            <p style=LINE data-testid="property-rating">{rating.unwrap_or_else(|| "尚无公布的满意度测评结果".into())}</p>
            <p class="hint" style=LINE>{c.community_name.clone()}</p>
            <div style="margin-top:.5rem">
                <A href=page attr:class="btn btn-large btn-block">"查看详情"</A>
            </div>
        </li>
    }
}
