//! `/participation/rounds/:id/screening`: the community's leader reads every
//! proposal, merges the ones that ask for the same thing, screens each of the
//! rest — onto the candidate list with its responsible department and cost,
//! or not taken with a reason residents read — and moves the round on. The
//! vote opens only with more candidates than places (差额); the server says
//! so when it refuses.

use gongzhi_api::participation::{AdvanceTo, MergeInto, ProposalView, RoundDetail};
use gongzhi_api::DepartmentView;
use gongzhi_domain::participation::{ProposalStatus, RoundStatus, ScreeningInput};
use leptos::html;
use leptos::prelude::*;

use super::{load_round, round_id, round_shell, yuan, Round, ROW};
use crate::components::form::{Checks, Choice, Input, TextArea};
use crate::services::api;

#[component]
pub fn ScreeningPage() -> impl IntoView {
    let id = round_id();
    let round = load_round(id);
    round_shell("筛选论证", id, round, |r| view! { <Screening r /> }.into_any())
}

#[component]
fn Screening(r: Round) -> impl IntoView {
    let departments = LocalResource::new(|| async { api::get::<Vec<DepartmentView>>("/api/departments").await });
    let departments = Signal::derive(move || {
        departments
            .get()
            .and_then(Result::ok)
            .map(|list| list.into_iter().map(|d| (d.id.to_string(), d.name)).collect())
            .unwrap_or_default()
    });
    let summary = move || {
        r.with(|d| {
            let v = &d.round;
            format!(
                "名额 {} 个 · 预算 {} · 每票最多选 {} 项{} · 投票人:{} · 征集截止 {} · 投票截止 {}",
                v.places,
                yuan(v.budget_fen),
                v.max_picks,
                if v.within_budget { "(所选合计不超过预算)" } else { "" },
                v.voters_label,
                v.proposals_until,
                v.voting_until
            )
        })
    };
    let count = move || {
        r.with(|d| {
            let v = &d.round;
            let badge = if v.candidates >= v.candidates_needed {
                view! { <span class="badge badge-ok">"已满足差额要求"</span> }.into_any()
            } else {
                let short = v.candidates_needed - v.candidates;
                view! { <span class="badge badge-warn">{format!("还差 {short} 个")}</span> }.into_any()
            };
            view! {
                <p style=ROW>
                    <strong data-testid="candidate-count">
                        {format!("候选项目 {} 个,至少需要 {} 个(名额 {},差额)", v.candidates, v.candidates_needed, v.places)}
                    </strong>
                    {badge}
                </p>
            }
        })
    };
    // Remade only when these change, so the forms below keep what is typed.
    let phase = Memo::new(move |_| r.with(|d| (d.round.can_manage, d.round.status.clone())).unwrap_or_default());
    let phase_note = move || {
        let (manage, status) = phase.get();
        let note = if !manage {
            "筛选论证、合并提议和推进阶段由本社区负责人办理,您可以查看各提议的情况。"
        } else if status == RoundStatus::Proposing.code() {
            "本轮还在征集提议。征集结束后,请点“进入下一阶段:筛选论证”,再逐条筛选。相似的提议现在就可以合并。"
        } else if status == RoundStatus::Screening.code() {
            "请逐条论证“待筛选”的提议:列入候选的,填写责任部门和估算费用;不予采纳的,写明理由(居民可以看到)。"
        } else {
            "本轮已过筛选论证阶段,提议和候选名单不能再改。"
        };
        view! { <p class="notice" role="note" data-testid="screening-note">{note}</p> }
    };
    let proposals = move || r.with(|d| d.proposals.clone()).unwrap_or_default();
    let waiting = move || {
        r.with(|d| d.proposals.iter().filter(|p| p.status == ProposalStatus::Submitted.code()).count()).unwrap_or(0)
    };
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"筛选论证"</h1>
                <span class="badge badge-none" data-testid="round-status">{move || r.with(|d| d.round.status_label.clone())}</span>
            </div>
            <p class="lead">{move || r.with(|d| d.round.title.clone())}<br /><small>{summary}</small></p>
            {count}
            <Advance r />
        </section>
        <section class="panel">
            <h2>{move || format!("居民提议({} 条,待筛选 {} 条)", r.with(|d| d.proposals.len()).unwrap_or(0), waiting())}</h2>
            {phase_note}
            <div class="steps" data-testid="proposals">
                <For
                    each=proposals
                    key=|p| (p.id, p.status.clone(), p.proposers, p.similar.clone())
                    children=move |p| view! { <Proposal p r phase departments /> }
                />
            </div>
            {move || (r.with(|d| d.proposals.is_empty()) == Some(true))
                .then(|| view! { <p class="empty">"本轮还没有居民提议。"</p> })}
        </section>
    }
}

/// The question before moving a round on, by the status it moves to.
fn advance_question(to: &str) -> &'static str {
    match RoundStatus::from_code(to) {
        Some(RoundStatus::Screening) => "结束征集、进入筛选论证后,居民不能再提出新的提议。",
        Some(RoundStatus::Voting) => "开始投票后,候选名单即固定,不能再筛选或合并;得票相同时的抽签种子同时确定并公布。",
        Some(RoundStatus::Counted) => "结束投票后即计票并公布结果,居民不能再投票,当选项目交责任部门办理。",
        _ => "本轮将进入下一阶段。",
    }
}

/// “进入下一阶段:投票中”, with a confirming step, and the server's refusal
/// (e.g. too few candidates) in its words.
#[component]
fn Advance(r: Round) -> impl IntoView {
    let next = Memo::new(move |_| {
        r.with(|d| {
            let to = RoundStatus::from_code(&d.round.status)?.next()?;
            d.round.next_label.clone().map(|label| (d.round.id, to.code().to_string(), label))
        })
        .flatten()
    });
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let yes = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = yes.get() {
            let _ = button.focus();
        }
    });
    let send = Action::new_local(move |(id, to): &(i64, String)| {
        let (id, body) = (*id, AdvanceTo { to: to.clone() });
        async move { api::send::<_, RoundDetail>("POST", &format!("/api/participation/rounds/{id}/advance"), &body).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let label = d.round.status_label.clone();
            r.done(d, format!("本轮已进入“{label}”阶段。"));
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let busy = move || send.pending().get();
    move || {
        let Some((id, to, label)) = next.get() else { return ().into_any() };
        let question = advance_question(&to);
        view! {
            <div class="actions" data-testid="advance-box">
                {move || if open.get() {
                    let (to, label) = (to.clone(), label.clone());
                    view! {
                        <span class="confirm" role="group" aria-label="进入下一阶段">
                            <span class="confirm-question">{format!("{question}确认进入“{label}”阶段?")}</span>
                            <button type="button" class="btn btn-small btn-primary" node_ref=yes data-testid="advance-confirm"
                                disabled=busy on:click=move |_| {
                                    open.set(false);
                                    error.set(None);
                                    r.notice.set(None);
                                    send.dispatch((id, to.clone()));
                                }>{format!("确认进入{label}")}</button>
                            <button type="button" class="btn btn-small" on:click=move |_| open.set(false)>"取消"</button>
                        </span>
                    }
                    .into_any()
                } else {
                    let label = label.clone();
                    view! {
                        <button type="button" class="btn btn-primary" data-testid="advance" disabled=busy
                            on:click=move |_| open.set(true)>{format!("进入下一阶段:{label}")}</button>
                    }
                    .into_any()
                }}
                <p class="form-error" role="alert" data-testid="advance-error">{move || error.get()}</p>
            </div>
        }
        .into_any()
    }
}

#[component]
fn Proposal(
    p: ProposalView,
    r: Round,
    phase: Memo<(bool, String)>,
    departments: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let status = ProposalStatus::from_code(&p.status);
    let badge = match status {
        Some(ProposalStatus::Candidate) => "ok",
        Some(ProposalStatus::NotTaken) => "off",
        Some(ProposalStatus::Submitted) => "warn",
        _ => "none",
    };
    let merged_into = p.merged_into.map(|into| {
        let title = r
            .current
            .with_untracked(|c| {
                c.as_ref()
                    .and_then(|d| d.as_ref().ok())
                    .and_then(|d| d.proposals.iter().find(|o| o.id == into).map(|o| o.title.clone()))
            })
            .unwrap_or_else(|| format!("第 {into} 号提议"));
        view! { <dt>"已合并到"</dt><dd>{title}</dd> }
    });
    let screened = view! {
        {p.feasibility.clone().map(|f| view! { <dt>"可行性论证"</dt><dd>{f}</dd> })}
        {p.department_name.clone().map(|f| view! { <dt>"责任部门"</dt><dd>{f}</dd> })}
        {p.cost_fen.map(|f| view! { <dt>"估算费用"</dt><dd>{yuan(f)}</dd> })}
        {p.reason.clone().map(|f| view! { <dt>"未采纳理由"</dt><dd>{f}</dd> })}
    };
    let open = status == Some(ProposalStatus::Submitted);
    let (pid, title, similar) = (p.id, p.title.clone(), p.similar.clone());
    let tools = move || {
        let (manage, round_status) = phase.get();
        if !manage || !open {
            return ().into_any();
        }
        let screening = round_status == RoundStatus::Screening.code();
        let merging = screening || round_status == RoundStatus::Proposing.code();
        let title = title.clone();
        view! {
            {(merging && !similar.is_empty())
                .then(|| view! { <Merge pid title=title.clone() similar=similar.clone() r /> })}
            {screening.then(|| view! { <ScreenForm pid title r departments /> })}
        }
        .into_any()
    };
    view! {
        <article class="step" data-testid=format!("proposal-{pid}")>
            <div style=ROW>
                <h3 style="margin:0">{p.title.clone()}</h3>
                <span class=format!("badge badge-{badge}") data-testid="proposal-status">{p.status_label.clone()}</span>
            </div>
            <dl class="facts">
                <dt>"要解决的问题"</dt><dd>{p.problem.clone()}</dd>
                <dt>"地点"</dt><dd>{p.place.clone()}</dd>
                <dt>"受益人群"</dt><dd>{p.beneficiaries.clone()}</dd>
                <dt>"提出方式"</dt><dd>{p.channel_label.clone()}</dd>
                <dt>"提议居民"</dt><dd data-testid="proposers">{format!("{} 人", p.proposers)}</dd>
                {merged_into}
                {screened}
            </dl>
            {tools}
        </article>
    }
}

/// “与以下提议相似”, and merging this proposal into one of them (a
/// confirming step: which one, and what merging does).
#[component]
fn Merge(pid: i64, title: String, similar: Vec<(i64, String)>, r: Round) -> impl IntoView {
    let open = RwSignal::new(false);
    let into = RwSignal::new(similar.first().map(|s| s.0.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let first = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(radio) = first.get() {
            let _ = radio.focus();
        }
    });
    let names = StoredValue::new(similar.clone());
    let send = Action::new_local(move |into: &String| {
        let body = MergeInto { into: into.clone() };
        async move { api::send::<_, RoundDetail>("POST", &format!("/api/participation/proposals/{pid}/merge"), &body).await }
    });
    let merged = title.clone();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let target = names.with_value(|n| {
                n.iter().find(|s| s.0.to_string() == into.get_untracked()).map(|s| s.1.clone()).unwrap_or_default()
            });
            r.done(d, format!("已把“{merged}”合并到“{target}”,提议居民一并计入。"));
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let list = similar.iter().map(|(_, t)| view! { <li>{t.clone()}</li> }).collect_view();
    let name = format!("merge-into-{pid}");
    view! {
        <div class="basis" style="width:100%" data-testid="similar">
            <strong>"与以下提议相似:"</strong>
            <ul>{list}</ul>
            {move || if open.get() {
                let options = similar.iter().enumerate().map(|(i, (id, t))| {
                    let code = id.to_string();
                    let checked = code.clone();
                    let node = if i == 0 { first } else { NodeRef::new() };
                    view! {
                        <label class="choice">
                            <input type="radio" name=name.clone() value=code.clone() node_ref=node
                                prop:checked=move || into.get() == checked
                                on:change=move |_| into.set(code.clone()) />
                            {t.clone()}
                        </label>
                    }
                }).collect_view();
                view! {
                    <fieldset class="form-section" data-testid="merge-choice">
                        <legend>{format!("把“{title}”合并到")}</legend>
                        <div class="choice-row">{options}</div>
                        <p>"合并后本提议不再单独筛选,提议居民人数并入所选提议,不能撤销。"</p>
                        <div class="actions">
                            <button type="button" class="btn btn-small btn-primary" data-testid="merge-confirm"
                                disabled=move || send.pending().get() || into.get().is_empty()
                                on:click=move |_| {
                                    open.set(false);
                                    error.set(None);
                                    r.notice.set(None);
                                    send.dispatch(into.get_untracked());
                                }>"确认合并"</button>
                            <button type="button" class="btn btn-small" on:click=move |_| open.set(false)>"取消"</button>
                        </div>
                    </fieldset>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="btn btn-small" data-testid="merge" disabled=move || send.pending().get()
                        on:click=move |_| open.set(true)>"合并到…"</button>
                }
                .into_any()
            }}
            <p class="form-error" role="alert" data-testid="merge-error">{move || error.get()}</p>
        </div>
    }
}

const FIELDS: &[&str] = &["decision", "feasibility", "department_id", "cost", "reason"];

#[component]
fn ScreenForm(pid: i64, title: String, r: Round, departments: Signal<Vec<(String, String)>>) -> impl IntoView {
    let v: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [decision, feasibility, department, cost, reason] = v;
    let input = move || ScreeningInput {
        decision: decision.get(),
        feasibility: feasibility.get(),
        department_id: department.get(),
        cost: cost.get(),
        reason: reason.get(),
    };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &ScreeningInput| {
        let body = body.clone();
        async move {
            api::send::<_, RoundDetail>("POST", &format!("/api/participation/proposals/{pid}/screen"), &body).await
        }
    });
    let saved = title.clone();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let outcome = d.proposals.iter().find(|p| p.id == pid).map(|p| p.status_label.clone()).unwrap_or_default();
            r.done(d, format!("已保存“{saved}”的筛选结果:{outcome}。"));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let id = move |f: &str| format!("{f}-{pid}");
    let radio = move |code: &'static str, label: &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name=format!("decision-{pid}") value=code
                    prop:checked=move || decision.get() == code on:change=move |_| decision.set(code.into()) />
                {label}
            </label>
        }
    };
    let by_decision = move || {
        match decision.get().as_str() {
        "candidate" => view! {
            <Choice id=id("department") label="责任部门" value=department options=departments error=err("department_id") blank=true />
            <Input id=id("cost") label="估算费用(元)" value=cost error=err("cost") hint="例如 120000" />
        }
        .into_any(),
        "not_taken" => view! {
            <div class="field-wide">
                <TextArea id=id("reason") label="未采纳理由" value=reason error=err("reason") />
                <p class="hint">"这条理由向居民公开。"</p>
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    }
    };
    let (decision_error, described) = (format!("decision-{pid}-error"), format!("decision-{pid}-error"));
    view! {
        <form class="form-grid wide-grid" style="width:100%" data-testid="screen-form" on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            if input().parse().is_ok() {
                r.notice.set(None);
                send.dispatch(input());
            }
        } novalidate>
            <fieldset class="form-section field-wide" aria-describedby=described>
                <legend>"决定"</legend>
                <div class="choice-row">{radio("candidate", "列入候选")}{radio("not_taken", "不予采纳")}</div>
                <p id=decision_error class="field-error" role="alert">{move || err("decision").get()}</p>
            </fieldset>
            <TextArea id=id("feasibility") label="可行性论证" value=feasibility error=err("feasibility") />
            {by_decision}
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button class="btn btn-primary" type="submit" disabled=move || send.pending().get()
                    aria-label=format!("保存筛选结果:{title}")>"保存筛选结果"</button>
            </div>
        </form>
    }
}
