//! `/participation/new`: the community's leader opens a round — its places,
//! budget and ballot rules, who votes and the two closing dates — published
//! before any proposal comes in.

use gongzhi_api::participation::RoundDetail;
use gongzhi_domain::participation::{RoundInput, VoterBody};
use gongzhi_domain::Role;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::form::{Checks, TextField};
use crate::components::guard::RequireMenu;
use crate::services::api;
use crate::services::session::use_session;

#[component]
pub fn NewRoundPage() -> impl IntoView {
    let session = use_session();
    let leader = move || session.info().is_some_and(|i| i.account.role == Role::CommunityLeader.code());
    view! {
        <RequireMenu slug="participation">
            <p class="breadcrumb"><A href="/participation">"百姓定实事"</A>" / 发起新一轮"</p>
            <section class="panel">
                <h1>"发起新一轮民生实事"</h1>
                <p class="lead">"居民提议、社区筛选论证后,由居民(或居民代表)对候选项目差额票决,得票多的项目列为本年度实事,由责任部门公开办理。名额、预算和投票规则在征集开始前公布,之后不能修改。"</p>
                {move || if leader() {
                    view! { <RoundForm /> }.into_any()
                } else {
                    view! { <p class="notice" role="status" data-testid="round-not-leader">"新的实事轮次由社区负责人发起。"</p> }.into_any()
                }}
            </section>
        </RequireMenu>
    }
}

const FIELDS: &[&str] = &[
    "title",
    "places",
    "budget",
    "max_picks",
    "within_budget",
    "margin_percent",
    "voters",
    "proposals_until",
    "voting_until",
];

#[component]
fn RoundForm() -> impl IntoView {
    let v: [RwSignal<String>; 8] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [title, places, budget, max_picks, margin, voters, proposals_until, voting_until] = v;
    margin.set("120".into());
    voters.set(VoterBody::Residents.code().into());
    let within_budget = RwSignal::new(true);
    let input = move || RoundInput {
        title: title.get(),
        places: places.get(),
        budget: budget.get(),
        max_picks: max_picks.get(),
        within_budget: within_budget.get(),
        margin_percent: margin.get(),
        voters: voters.get(),
        proposals_until: proposals_until.get(),
        voting_until: voting_until.get(),
    };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let navigate = use_navigate();
    let create = Action::new_local(move |body: &RoundInput| {
        let body = body.clone();
        async move { api::send::<_, RoundDetail>("POST", "/api/participation/rounds", &body).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(d)) => navigate(&format!("/participation/rounds/{}", d.round.id), Default::default()),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <form class="form-grid wide-grid" data-testid="round-form" on:submit=move |ev| {
            ev.prevent_default();
            if create.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            if input().parse().is_ok() {
                create.dispatch(input());
            }
        } novalidate>
            <div class="field-wide">
                <TextField id="title" label="轮次名称" value=title error=err("title") hint="例如 2027 年幸福社区民生实事" />
            </div>
            <TextField id="places" label="实事项目名额" value=places error=err("places") hint="本轮最多办几件实事" />
            <TextField id="budget" label="预算(元)" value=budget error=err("budget") hint="例如 800000" />
            <TextField id="max_picks" label="每票最多可选" value=max_picks error=err("max_picks") hint="每张选票最多选几项,不超过名额" />
            <TextField id="margin_percent" label="候选项目不少于名额的(%)" value=margin error=err("margin_percent")
                hint="差额票决:候选项目须多于名额,例如名额 5、120% 时至少 6 个候选项目" />
            <div class="field">
                <label for="voters">"投票人"</label>
                <select id="voters" name="voters" prop:value=move || voters.get() on:change=move |ev| voters.set(event_target_value(&ev))
                    aria-invalid=move || err("voters").get().is_some().to_string() aria-describedby="voters-error">
                    {VoterBody::ALL.iter().map(|b| view! { <option value=b.code() selected=*b == VoterBody::Residents>{b.label()}</option> }).collect_view()}
                </select>
                <p id="voters-error" class="field-error" role="alert">{move || err("voters").get()}</p>
            </div>
            <div class="field">
                <label class="check" for="within_budget">
                    <input id="within_budget" type="checkbox" prop:checked=move || within_budget.get()
                        on:change=move |ev| within_budget.set(event_target_checked(&ev)) />
                    "限定在预算内"
                </label>
                <p class="hint">"勾选后,每张选票所选项目的估算费用合计不得超过预算。"</p>
            </div>
            <TextField id="proposals_until" label="征集截止日期" kind="date" value=proposals_until error=err("proposals_until") />
            <TextField id="voting_until" label="投票截止日期" kind="date" value=voting_until error=err("voting_until") />
            <div class="form-actions actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button class="btn btn-primary" type="submit" data-testid="round-create" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "正在保存…" } else { "发起轮次" }}
                </button>
                <A href="/participation" attr:class="btn">"取消"</A>
            </div>
        </form>
    }
}
