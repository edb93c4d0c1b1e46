//! `/self-government/polls`: 民意调查, the polls the account can see, one
//! card each — whom it asks, its status, the closing day, the
//! questionnaires in so far and what the person can do: 去填写, 您已填写 or
//! 看结果. The leader starts a new one.

use gongzhi_api::poll::PollView;
use gongzhi_api::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;

use super::{badge, SLUG};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::api;
use crate::services::session::role;

/// A line inside a card.
const LINE: &str = "margin:.3rem 0";

#[component]
pub fn ListPage() -> impl IntoView {
    let polls: RwSignal<Option<Result<Vec<PollView>, ApiError>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move { polls.set(Some(api::get("/api/polls").await)) });
    view! {
        <RequireMenu slug=SLUG>
            <p class="breadcrumb"><A href="/self-government">"居民议事"</A>" / 民意调查"</p>
            <section class="panel">
                <div class="panel-head">
                    <h1>"民意调查"</h1>
                    {move || (role() == "community_leader").then(|| view! {
                        <A href="/self-government/polls/new" attr:class="btn btn-primary" attr:data-testid="poll-new">"发起民意调查"</A>
                    })}
                </div>
                <p class="lead">
                    "社区想听听大家意见的事,会在这里发起调查。每人只填一次,可以在手机上填,也可以填纸质问卷或请网格员入户时代填。问卷不记名,调查结束后结果在这里公布。"
                </p>
                {move || polls.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty" data-testid="no-polls">"还没有民意调查。"</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="grid-cards" style="list-style:none;margin:0;padding:0">
                            {list.into_iter().map(|v| view! { <Card v /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
            </section>
        </RequireMenu>
    }
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
