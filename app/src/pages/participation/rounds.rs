//! `/participation`: the rounds the account can see, one card each — its
//! phase, the key dates and what the resident can do now (提建议, 去投票,
//! 已投票, 看结果). Phone first: one column of cards, large buttons.

use gongzhi_api::participation::RoundView;
use gongzhi_api::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;

use super::shared::{phase_badge, yuan};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::api;
use crate::services::session::role;

/// Cards one under another on a phone, side by side on a desk.
const CARDS: &str = "list-style:none;margin:0;padding:0";
/// A button that wraps its text rather than overflow a narrow screen.
const WIDE: &str = "white-space:normal;margin-top:.5rem;min-height:52px;font-size:1.1rem";

#[component]
pub fn RoundsPage() -> impl IntoView {
    // A signal filled once, not a resource: a resource's async machinery
    // (transitions, locks, channels) would weigh on a resident's first page.
    let rounds: RwSignal<Option<Result<Vec<RoundView>, ApiError>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move { rounds.set(Some(api::get("/api/participation/rounds").await)) });
    view! {
        <RequireMenu slug="participation">
            <section class="panel">
                <div class="panel-head">
                    <h1>"百姓定实事"</h1>
                    {move || {
                        let staff = role() == "community_leader"
                            || rounds.get().is_some_and(|r| r.is_ok_and(|l| l.iter().any(|r| r.can_manage)));
                        staff.then(|| view! { <A href="/participation/new" attr:class="btn" attr:data-testid="new-round">"新建轮次"</A> })
                    }}
                </div>
                <p class="lead">"居民提建议、投票决定本社区的民生实事项目,选出的项目由政府部门实施,进度公开,完工后由居民评价。"</p>
                {move || rounds.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="empty" data-testid="no-rounds">"目前没有进行中的实事项目征集。"</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="grid-cards" style=CARDS>
                            {list.into_iter().map(|r| view! { <RoundCard r /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
            </section>
        </RequireMenu>
    }
}

#[component]
fn RoundCard(r: RoundView) -> impl IntoView {
    let page = format!("/participation/rounds/{}", r.id);
    let (dates, action) = match r.status.as_str() {
        "proposing" => (
            format!("征集建议截止:{}", r.proposals_until),
            matches!(role().as_str(), "resident" | "grid_member" | "community_leader")
                .then(|| (format!("{page}/propose"), "提建议", "btn btn-primary btn-block")),
        ),
        "screening" => (format!("投票截止:{}", r.voting_until), None),
        "voting" => (
            format!("投票截止:{}", r.voting_until),
            match r.voted {
                Some(false) => Some((format!("{page}/ballot"), "去投票", "btn btn-primary btn-block")),
                _ => None,
            },
        ),
        _ => (format!("投票已于 {} 截止", r.voting_until), Some((page.clone(), "看结果", "btn btn-block"))),
    };
    let voted = r.status == "voting" && r.voted == Some(true);
    let note = match r.status.as_str() {
        "screening" => Some("工作人员正在对居民建议进行筛选和可行性论证,候选项目公布后即可投票。"),
        "voting" if r.voted.is_none() => Some("居民网上投票进行中。"),
        _ => None,
    };
    view! {
        <li class="grid-card" data-testid="round-card">
            <h2><A href=page.clone()>{r.title.clone()}</A></h2>
            <p style="margin:.35rem 0">
                <span class=phase_badge(&r.status) data-testid="round-phase">{r.status_label.clone()}</span>
                " "{r.community_name.clone()}
            </p>
            <p style="margin:.25rem 0">{dates}</p>
            <p class="hint" style="margin:.25rem 0">
                {format!("选出 {} 个项目,预算 {},每人最多选 {} 项", r.places, yuan(r.budget_fen), r.max_picks)}
            </p>
            {note.map(|n| view! { <p class="hint" style="margin:.25rem 0">{n}</p> })}
            {voted.then(|| view! {
                <p class="alert alert-ok" style="margin:.5rem 0 0;padding:.6rem 1rem" data-testid="voted">"已投票"</p>
            })}
            {action.map(|(href, text, class)| view! {
                <A href=href attr:class=class attr:style=WIDE attr:data-testid="round-action">{text}</A>
            })}
            {(r.status != "counted").then(|| view! { <p style="margin:.5rem 0 0"><A href=page>"查看详情"</A></p> })}
        </li>
    }
}
