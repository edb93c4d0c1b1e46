//! `/participation/rounds/:id/ballot`: a resident's ballot on a phone. The
//! candidates are large cards to tick (the whole card is the checkbox's
//! label), with a running count against K and, when the round says so, the
//! total cost against the budget; or a blank ballot. The picks are judged by
//! the domain's `BallotRules::judge` — the server's own check — before a
//! confirmation step lists them; only then is the ballot sent. Afterwards,
//! and whenever the resident has voted already, the page says so and offers
//! no way to vote again (the server refuses a second vote anyway).

use gongzhi_api::participation::{CandidateView, CastBallot, RoundDetail, RoundView};
use gongzhi_domain::ballot::{BallotError, BallotRules, Candidate, Mark, Verdict};
use gongzhi_domain::money::Money;
use gongzhi_domain::DomainError;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

use super::shared::{load_round, role, round_id, yuan, Crumb};
use crate::components::guard::RequireMenu;
use crate::components::loading::{failed, loading};
use crate::services::api;

#[component]
pub fn BallotPage() -> impl IntoView {
    let id = round_id();
    let detail = load_round(id);
    view! {
        <RequireMenu slug="participation">
            {move || view! { <Crumb id=id.get() here="投票" /> }}
            {move || match detail.get() {
                None => loading(),
                Some(Err(e)) => failed("投票", e),
                Some(Ok(d)) => view! { <Ballot d /> }.into_any(),
            }}
        </RequireMenu>
    }
}

/// Where the resident is on the page.
#[derive(Clone, PartialEq)]
enum Step {
    Choose,
    Confirm,
    /// Voted: just now, or before (with the server's word, if it said so).
    Voted(Option<String>),
}

/// The ballot being filled in, shared by its steps.
#[derive(Clone, Copy)]
struct Form {
    round: StoredValue<RoundView>,
    candidates: StoredValue<Vec<CandidateView>>,
    rules: BallotRules,
    list: StoredValue<Vec<Candidate>>,
    picks: RwSignal<Vec<i64>>,
    blank: RwSignal<bool>,
    step: RwSignal<Step>,
    /// Why the picks cannot be sent (the domain's message).
    problem: RwSignal<Option<String>>,
}

impl Form {
    /// The domain's judgement of the picks, as the server will judge them.
    fn check(&self) -> Result<(), String> {
        if self.blank.get_untracked() {
            return Ok(());
        }
        let mark = Mark::Picks(self.picks.get_untracked());
        match self.list.with_value(|l| self.rules.judge(&mark, l)) {
            Verdict::Valid { .. } => Ok(()),
            Verdict::Blank => Err(BallotError::TooFewPicks { min: self.rules.min_picks }.message()),
            Verdict::Void { reason } => Err(reason.message()),
        }
    }

    /// The picks' cost together, in fen.
    fn total(&self, picks: &[i64]) -> i64 {
        self.candidates.with_value(|c| c.iter().filter(|c| picks.contains(&c.id)).map(|c| c.cost_fen).sum())
    }
}

/// The round's ballot rules, as the server judges a ballot with them.
fn rules_of(r: &RoundView) -> BallotRules {
    BallotRules {
        min_picks: 1,
        max_picks: r.max_picks,
        budget: r.within_budget.then(|| Money::from_fen(r.budget_fen).unwrap_or_default()),
    }
}

/// Instead of the ballot: why there is none.
fn refuse(r: &RoundView, text: String, testid: &'static str) -> AnyView {
    view! {
        <section class="panel">
            <h1>{format!("投票:{}", r.title)}</h1>
            <p class="notice" role="status" data-testid=testid>{text}</p>
            <p><A href=format!("/participation/rounds/{}", r.id) attr:class="btn">"返回本轮"</A></p>
        </section>
    }
    .into_any()
}

#[component]
fn Ballot(d: RoundDetail) -> AnyView {
    let r = d.round.clone();
    if r.status != "voting" {
        let text = if r.status == "counted" {
            "本轮投票已结束,结果已公布。".to_string()
        } else {
            format!("本轮现在是“{}”阶段,还没有开始投票。", r.status_label)
        };
        return refuse(&r, text, "not-voting");
    }
    if role() != "resident" || r.voted.is_none() {
        return refuse(&r, "网上投票由本社区居民用自己的账号进行。".into(), "not-a-voter");
    }
    let form = Form {
        rules: rules_of(&r),
        list: StoredValue::new(
            d.candidates
                .iter()
                .map(|c| Candidate { id: c.id, cost: Money::from_fen(c.cost_fen).unwrap_or_default() })
                .collect(),
        ),
        round: StoredValue::new(r.clone()),
        candidates: StoredValue::new(d.candidates),
        picks: RwSignal::new(vec![]),
        blank: RwSignal::new(false),
        step: RwSignal::new(if r.voted == Some(true) {
            Step::Voted(Some("您已在本轮投过票(网上投票和纸质选票合计每人一票),感谢参与!".into()))
        } else {
            Step::Choose
        }),
        problem: RwSignal::new(None),
    };
    let budget = r.within_budget.then(|| format!(",所选项目的估算费用合计不能超过预算 {}", yuan(r.budget_fen)));
    view! {
        <section class="panel">
            <h1>{format!("投票:{}", r.title)}</h1>
            {move || (form.step.get() == Step::Choose).then(|| view! {
                <p class="lead" style="margin-bottom:0" data-testid="ballot-rules">
                    {format!("本轮选出 {} 个实事项目。请勾选您支持的项目,最多选 {} 项{}。", r.places, r.max_picks, budget.clone().unwrap_or_default())}
                </p>
            })}
        </section>
        {move || match form.step.get() {
            Step::Choose => view! { <Choose form /> }.into_any(),
            Step::Confirm => view! { <Confirm form /> }.into_any(),
            Step::Voted(said) => view! { <Voted form said /> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn Choose(form: Form) -> impl IntoView {
    let Form { picks, blank, problem, rules, .. } = form;
    let max = rules.max_picks;
    // A ballot that breaks a rule says why at once (an empty one only when sent).
    let live = move || {
        picks.track();
        blank.track();
        if picks.with(Vec::is_empty) {
            None
        } else {
            form.check().err()
        }
    };
    let cards = form.candidates.get_value().into_iter().map(|c| view! { <Card c form /> }).collect_view();
    let budget = rules.budget.map(|b| {
        view! {
            <p style="margin:.25rem 0" data-testid="ballot-total">
                {move || format!("合计 {} / 预算 {}", yuan(picks.with(|p| form.total(p))), yuan(b.fen()))}
            </p>
        }
    });
    view! {
        <section class="panel" data-testid="ballot-form">
            <h2>"候选项目"</h2>
            <ul style="list-style:none;margin:0;padding:0;display:grid;gap:.75rem">{cards}</ul>
            <h2 style="margin-top:1.25rem">"不选任何项目"</h2>
            <label for="blank" data-testid="ballot-blank" style=move || card_style(blank.get())>
                <input id="blank" type="checkbox" style=BOX prop:checked=move || blank.get() on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    blank.set(on);
                    if on {
                        picks.set(vec![]);
                    }
                    problem.set(None);
                } />
                <span style="flex:1">
                    <strong style="display:block;font-size:1.15rem">"投空白票(弃权票)"</strong>
                    <span style="display:block">"不支持任何候选项目,也可以投一张空白票,计入参加投票的人数。"</span>
                </span>
            </label>
            <div style="position:sticky;bottom:0;background:#fff;border-top:2px solid #1e3a5f;margin:1rem -1.5rem -1.5rem;padding:.75rem 1.5rem 1rem">
                <p style="margin:0;font-weight:700;font-size:1.15rem" aria-live="polite" data-testid="ballot-count">
                    {move || if blank.get() { "已选:空白票".to_string() } else { format!("已选 {} / 最多 {max} 项", picks.with(Vec::len)) }}
                </p>
                {budget}
                <p class="form-error" role="alert" data-testid="ballot-problem">{move || problem.get().or_else(live)}</p>
                <button type="button" class="btn btn-primary btn-large btn-block" data-testid="ballot-next" on:click=move |_| {
                    match form.check() {
                        Ok(()) => {
                            problem.set(None);
                            form.step.set(Step::Confirm);
                        }
                        Err(why) => problem.set(Some(why)),
                    }
                }>"下一步:确认选择"</button>
            </div>
        </section>
    }
}

/// The checkbox: large enough for a thumb.
const BOX: &str = "width:28px;height:28px;flex:none;margin:.1rem 0 0;accent-color:#1e3a5f";

/// A card that is a label: ticked, it is framed in the brand colour.
fn card_style(on: bool) -> &'static str {
    if on {
        "display:flex;gap:.75rem;align-items:flex-start;padding:.75rem 1rem;border:3px solid #1e3a5f;border-radius:8px;background:#eef2f7;cursor:pointer"
    } else {
        "display:flex;gap:.75rem;align-items:flex-start;padding:calc(.75rem + 1px) calc(1rem + 1px);border:2px solid #6b7280;border-radius:8px;background:#fff;cursor:pointer"
    }
}

#[component]
fn Card(c: CandidateView, form: Form) -> impl IntoView {
    let Form { picks, blank, problem, .. } = form;
    let id = c.id;
    let (input, input_for) = (format!("pick-{id}"), format!("pick-{id}"));
    let (title, title_ref) = (format!("pick-{id}-title"), format!("pick-{id}-title"));
    let (about, about_ref) = (format!("pick-{id}-about"), format!("pick-{id}-about"));
    let on = move || picks.with(|p| p.contains(&id));
    view! {
        <li>
            <label for=input_for data-testid="candidate" style=move || card_style(on())>
                <input id=input type="checkbox" style=BOX aria-labelledby=title_ref aria-describedby=about_ref
                    prop:checked=on on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        picks.update(|p| {
                            p.retain(|x| *x != id);
                            if checked {
                                p.push(id);
                            }
                        });
                        if checked {
                            blank.set(false);
                        }
                        problem.set(None);
                    } />
                <span style="flex:1;min-width:0">
                    <strong id=title style="display:block;font-size:1.15rem">{c.title}</strong>
                    <span id=about style="display:block">
                        <span style="display:block">{format!("问题:{}", c.problem)}</span>
                        <span style="display:block">{format!("地点:{}", c.place)}</span>
                        <span style="display:block">{format!("估算费用:{} · 责任部门:{}", yuan(c.cost_fen), c.department_name)}</span>
                    </span>
                </span>
            </label>
        </li>
    }
}

#[component]
fn Confirm(form: Form) -> impl IntoView {
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let rid = form.round.with_value(|r| r.id);
    let blank = form.blank.get_untracked();
    let picks = form.picks.get_untracked();
    let error = RwSignal::new(None::<String>);
    let send = Action::new_local(move |body: &CastBallot| {
        let body = body.clone();
        async move { api::send::<_, RoundDetail>("POST", &format!("/api/participation/rounds/{rid}/ballots"), &body).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => form.step.set(Step::Voted(None)),
        Some(Err(e)) if e.code == "ballot_already_voted" => form.step.set(Step::Voted(Some(e.message))),
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let body = CastBallot { picks: picks.clone(), blank };
    let chosen = if blank {
        view! { <p style="font-size:1.15rem" data-testid="confirm-blank">"您投的是空白票(弃权票),不选任何项目。"</p> }
            .into_any()
    } else {
        let items = form.candidates.with_value(|list| {
            picks
                .iter()
                .filter_map(|id| list.iter().find(|c| c.id == *id))
                .map(|c| view! { <li style="margin:.35rem 0"><strong>{c.title.clone()}</strong>{format!("(估算 {})", yuan(c.cost_fen))}</li> })
                .collect_view()
        });
        let total = form.rules.budget.map(|b| {
            view! { <p>{format!("合计 {},预算 {}", yuan(form.total(&picks)), yuan(b.fen()))}</p> }
        });
        view! {
            <p style="font-size:1.15rem;margin-bottom:.25rem">{format!("您选择了 {} 项:", picks.len())}</p>
            <ol data-testid="confirm-picks" style="font-size:1.1rem">{items}</ol>
            {total}
        }
        .into_any()
    };
    view! {
        <section class="panel" data-testid="ballot-confirm">
            <h2 tabindex="-1" node_ref=heading>"请确认您的选择"</h2>
            {chosen}
            <p class="notice">"确认后选票即投出,不能修改。每人只能投一票。"</p>
            <p class="form-error" role="alert" data-testid="ballot-error">{move || error.get()}</p>
            <div style="display:grid;gap:.75rem">
                <button type="button" class="btn btn-primary btn-large btn-block" data-testid="ballot-submit"
                    disabled=move || send.pending().get() on:click=move |_| {
                        error.set(None);
                        send.dispatch(body.clone());
                    }>
                    {move || if send.pending().get() { "正在提交…" } else { "确认投票" }}
                </button>
                <button type="button" class="btn btn-large btn-block" data-testid="ballot-back"
                    disabled=move || send.pending().get() on:click=move |_| form.step.set(Step::Choose)>"返回修改"</button>
            </div>
        </section>
    }
}

#[component]
fn Voted(form: Form, said: Option<String>) -> impl IntoView {
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let (id, until) = form.round.with_value(|r| (r.id, r.voting_until));
    view! {
        <section class="panel" data-testid="voted">
            <h2 tabindex="-1" node_ref=heading>"您已投票"</h2>
            <p class="alert alert-ok" role="status">{said.unwrap_or_else(|| "您的选票已投出,感谢参与!".into())}</p>
            <p>{format!("每人只能投一票。结果在 {until} 投票截止后公布,届时可在本轮页面查看。")}</p>
            <A href=format!("/participation/rounds/{id}") attr:class="btn btn-primary btn-large btn-block"
                attr:data-testid="back-to-round">"返回本轮"</A>
        </section>
    }
}
