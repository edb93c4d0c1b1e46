//! `/self-government/reviews`: 民主评议, the reviews the account can see, one
//! card each — what is reviewed, its status, the closing day, the ballots in
//! so far and what the person can do: 去评议, 您已评议 or 看结果. The leader
//! starts a new one.

use gongzhi_api::review::ReviewView;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::pages::self_government::{listing, Listing};

use super::badge;

/// A line inside a card.
const LINE: &str = "margin:.3rem 0";

#[component]
pub fn ListPage() -> impl IntoView {
    let page = Listing {
        title: "民主评议",
        new: ("/self-government/reviews/new", "发起民主评议", "review-new"),
        lead: "居民代表听取居委会、社区工作者或物业服务企业的述职报告,对他们的工作作出“满意”“基本满意”或“不满意”的评价。每位居民代表只评议一次,结果在这里公布。",
        empty: ("no-reviews", "还没有民主评议。"),
    };
    listing(page, "/api/reviews", |v: ReviewView| view! { <Card v /> })
}

#[component]
fn Card(v: ReviewView) -> impl IntoView {
    let page = format!("/self-government/reviews/{}", v.id);
    let open = v.status == "open";
    let action = if !open {
        view! { <A href=page.clone() attr:class="btn btn-primary btn-large btn-block" attr:data-testid="review-action">"看结果"</A> }
            .into_any()
    } else if v.rated == Some(false) {
        view! { <A href=page.clone() attr:class="btn btn-primary btn-large btn-block" attr:data-testid="review-action">"去评议"</A> }
            .into_any()
    } else if v.rated == Some(true) {
        view! {
            <p class="alert alert-ok" style="margin:0 0 .5rem;padding:.6rem 1rem" data-testid="review-action">"您已评议"</p>
            <A href=page.clone()>"查看详情"</A>
        }
        .into_any()
    } else {
        view! { <A href=page.clone()>"查看详情"</A> }.into_any()
    };
    view! {
        <li class="grid-card" data-testid="review-card">
            <h2><A href=page>{v.title.clone()}</A></h2>
            <p style=LINE><span class=badge(&v.status) data-testid="review-status">{v.status_label.clone()}</span></p>
            <p style=LINE>{format!("评议对象:{}({})", v.subject_name, v.subject_kind_label)}</p>
            <p style=LINE>{format!("截止日期:{}", v.until)}</p>
            <p style=LINE data-testid="review-ballots">{format!("已收到评议 {} 份", v.ballots)}</p>
            <p class="hint" style=LINE>{v.community_name.clone()}</p>
            <div style="margin-top:.5rem">{action}</div>
        </li>
    }
}
