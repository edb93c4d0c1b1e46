//! `/self-government/polls`: 民意调查, the polls the account can see, one
//! card each — whom it asks, its status, the closing day, the
//! questionnaires in so far and what the person can do: 去填写, 您已填写 or
//! 看结果. The leader starts a new one.

use gongzhi_api::poll::PollView;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::pages::self_government::{listing, Listing};

use super::badge;

/// A line inside a card.
const LINE: &str = "margin:.3rem 0";

#[component]
pub fn ListPage() -> impl IntoView {
    let page = Listing {
        title: "民意调查",
        new: ("/self-government/polls/new", "发起民意调查", "poll-new"),
        lead: "社区想听听大家意见的事,会在这里发起调查。每人只填一次,可以在手机上填,也可以填纸质问卷或请网格员入户时代填。问卷不记名,调查结束后结果在这里公布。",
        empty: ("no-polls", "还没有民意调查。"),
    };
    listing(page, "/api/polls", |v: PollView| view! { <Card v /> })
}

#[component]
fn Card(v: PollView) -> impl IntoView {
    let page = format!("/self-government/polls/{}", v.id);
    let big = "btn btn-primary btn-large btn-block";
    let action = match (v.status == "open", v.answered) {
        (false, _) => view! { <A href=page.clone() attr:class=big attr:data-testid="poll-action">"看结果"</A> }.into_any(),
        (true, Some(false)) => {
            view! { <A href=page.clone() attr:class=big attr:data-testid="poll-action">"去填写"</A> }.into_any()
        }
        (true, Some(true)) => view! {
            <p class="alert alert-ok" style="margin:0 0 .5rem;padding:.6rem 1rem" data-testid="poll-action">"您已填写"</p>
            <A href=page.clone()>"查看详情"</A>
        }
        .into_any(),
        (true, None) => view! { <A href=page.clone()>"查看详情"</A> }.into_any(),
    };
    view! {
        <li class="grid-card" data-testid="poll-card">
            <h2><A href=page>{v.title.clone()}</A></h2>
            <p style=LINE><span class=badge(&v.status) data-testid="poll-status">{v.status_label.clone()}</span></p>
            <p style=LINE>{format!("调查对象:{}", v.audience_label)}</p>
            <p style=LINE>{format!("截止日期:{}", v.until)}</p>
            <p style=LINE data-testid="poll-responses">{format!("已收到问卷 {} 份,共 {} 题", v.responses, v.questions.len())}</p>
            <p class="hint" style=LINE>{v.community_name.clone()}</p>
            <div style="margin-top:.5rem">{action}</div>
        </li>
    }
}
