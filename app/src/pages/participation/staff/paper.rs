//! `/participation/rounds/:id/paper`: a clerk at the polling point enters
//! paper ballots. The voter is looked up on the register first (已投票 or
//! 不在名册 stop the entry); then the ballot as marked. Every ballot is
//! entered twice, by two different clerks: the first entry waits, the second
//! must match it to be counted. Below, the ballots waiting for their second
//! entry and the ones whose entries differ.
//!
//! On paper a ballot that breaks the round's rules is not refused — it is
//! counted void; the page says so before it is sent, in the server's words
//! (`gongzhi_domain::ballot`).

use gongzhi_api::participation::{PaperEntry, PaperEntryOutcome, PaperPending, VoterLookup};
use gongzhi_api::ApiError;
use gongzhi_domain::ballot::{BallotRules, Candidate, Mark, Verdict};
use gongzhi_domain::money::Money;
use gongzhi_domain::participation::RoundStatus;
use gongzhi_domain::{DomainError, Field, Role};
use leptos::html;
use leptos::prelude::*;

use super::{load_round, round_id, round_shell, yuan, Round, ROW};
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::session::use_session;

/// Who enters paper ballots (as the server's `CLERKS`).
const CLERKS: [Role; 2] = [Role::GridMember, Role::CommunityLeader];

const FIELD_VOTER: Field = Field::new("resident_id", "居民编号");

/// A big badge: the clerk must not miss it.
const BIG: &str = "font-size:1.5rem;padding:.4rem 1rem";

#[component]
pub fn PaperBallotPage() -> impl IntoView {
    let id = round_id();
    let round = load_round(id);
    round_shell("纸质选票录入", id, round, |r| view! { <Paper r /> }.into_any())
}

/// A candidate on the paper ballot: id, title, cost.
type Line = (i64, String, i64);

#[component]
fn Paper(r: Round) -> impl IntoView {
    let session = use_session();
    if !session.info().is_some_and(|i| CLERKS.iter().any(|c| c.code() == i.account.role)) {
        return view! {
            <section class="panel">
                <h1>"纸质选票录入"</h1>
                <p class="notice" role="status" data-testid="paper-not-clerk">"纸质选票由社区工作人员(网格员、社区负责人)在投票点录入。"</p>
            </section>
        }
        .into_any();
    }
    let round_id = r.with(|d| d.round.id).unwrap_or_default();
    let voting = r.with(|d| d.round.status == RoundStatus::Voting.code()).unwrap_or(false);
    let status_label = r.with(|d| d.round.status_label.clone()).unwrap_or_default();
    let lines: Vec<Line> =
        r.with(|d| d.candidates.iter().map(|c| (c.id, c.title.clone(), c.cost_fen)).collect()).unwrap_or_default();
    let rules = r
        .with(|d| BallotRules {
            min_picks: 1,
            max_picks: d.round.max_picks,
            budget: d.round.within_budget.then(|| Money::from_fen(d.round.budget_fen).unwrap_or_default()),
        })
        .unwrap_or(BallotRules { min_picks: 1, max_picks: 1, budget: None });
    let max_picks = rules.max_picks;
    let within = rules.budget.map(|b| yuan(b.fen()));

    // The ballots waiting for a second entry, and the mismatches.
    let pending = RwSignal::new(None::<Result<Vec<PaperPending>, ApiError>>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            pending.set(Some(api::get(&format!("/api/participation/rounds/{round_id}/paper")).await));
        })
    };
    refresh();

    // The lookup: the id typed, what the register said, the local problem.
    let typed = RwSignal::new(String::new());
    let typed_error = RwSignal::new(None::<String>);
    let id_field = NodeRef::<html::Input>::new();
    let focus_id = move || {
        if let Some(input) = id_field.get_untracked() {
            let _ = input.focus();
        }
    };
    Effect::new(move |_| {
        if let Some(input) = id_field.get() {
            let _ = input.focus();
        }
    });
    let outcome = RwSignal::new(None::<(String, PaperEntryOutcome)>);
    let lookup = Action::new_local(move |resident: &i64| {
        let resident = *resident;
        async move {
            let found =
                api::get::<VoterLookup>(&format!("/api/participation/rounds/{round_id}/voters/{resident}")).await;
            (resident, found)
        }
    });
    let find = move |raw: String| {
        if lookup.pending().get_untracked() {
            return;
        }
        outcome.set(None);
        lookup.value().set(None);
        match FIELD_VOTER.required_id(&raw) {
            Ok(resident) => {
                typed_error.set(None);
                typed.set(resident.to_string());
                lookup.dispatch(resident);
            }
            Err(e) => {
                typed_error.set(Some(e.message()));
                focus_id();
            }
        }
    };
    // After an entry: the next voter.
    let entered = Callback::new(move |done: (String, PaperEntryOutcome)| {
        outcome.set(Some(done));
        lookup.value().set(None);
        typed.set(String::new());
        refresh();
        focus_id();
    });
    // After an entry the server refused (a mismatch is listed below).
    let failed = Callback::new(move |()| refresh());
    // A first entry already made for this voter, and by whom.
    let earlier = move |resident: i64| {
        pending.with(|p| {
            p.as_ref()
                .and_then(|p| p.as_ref().ok())
                .and_then(|list| list.iter().find(|e| e.resident_id == resident))
                .map(|e| (e.status_label.clone(), e.entered_by.clone()))
        })
    };
    let voter = move || {
        lookup.value().get().map(|(resident, found)| match found {
            Ok(v) if v.voted => view! {
                <div class="basis" data-testid="paper-voter">
                    <VoterFacts v=v.clone() />
                    <p><span class="badge badge-danger" style=BIG data-testid="paper-voted">"已投票"</span></p>
                    <p>"这位居民在本轮已经投过票(网上或纸质选票),不能再录入。"</p>
                </div>
            }
            .into_any(),
            Ok(v) if !v.eligible => view! {
                <div class="basis" data-testid="paper-voter">
                    <VoterFacts v=v.clone() />
                    <p><span class="badge badge-off" style=BIG data-testid="paper-ineligible">"不在名册"</span></p>
                    <p>"这位居民不在本轮投票人名册中(本轮由居民代表投票时,须为居民代表),不能投票。"</p>
                </div>
            }
            .into_any(),
            Ok(v) => {
                let form = if voting {
                    view! { <BallotForm round_id v=v.clone() lines=lines.clone() rules max_picks entered failed /> }.into_any()
                } else {
                    ().into_any()
                };
                // Its own closure: the list refreshing leaves the ballot as marked.
                let resident = v.resident_id;
                let second = move || earlier(resident).map(|(status, by)| view! {
                    <p class="alert alert-warn" role="status" data-testid="paper-earlier">
                        {format!("这张选票{status}:最近一遍由 {by} 录入。请由另一位工作人员照同一张原始选票再录入一遍。")}
                    </p>
                });
                view! {
                    <div class="basis" data-testid="paper-voter">
                        <VoterFacts v=v.clone() />
                        <p><span class="badge badge-ok" style=BIG data-testid="paper-eligible">"未投票,可以录入"</span></p>
                    </div>
                    {second}
                    {form}
                }
                .into_any()
            }
            Err(e) if e.code == "not_found" => view! {
                <div class="basis" data-testid="paper-voter">
                    <p><strong>{format!("居民编号 {resident}")}</strong></p>
                    <p><span class="badge badge-off" style=BIG data-testid="paper-ineligible">"不在名册"</span></p>
                    <p data-testid="paper-lookup-error">"本社区居民名册中没有这个编号,请核对选票存根上的编号。"</p>
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert" data-testid="paper-lookup-error">{e.message}</p> }.into_any(),
        })
    };
    let clerk = move || session.info().map(|i| format!("当前录入人:{}", i.account.display_name));
    let pending_rows = move || match pending.get() {
        None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
        Some(Ok(list)) => {
            let rows = list
                .into_iter()
                .map(|p| {
                    let mismatch = p.status == "mismatch";
                    let raw = p.resident_id.to_string();
                    let text = if mismatch { "核对后重新录入" } else { "录入第二遍" };
                    let button = view! {
                        <button type="button" class="btn btn-small" aria-label=format!("{text}:居民编号 {raw}") on:click=move |_| {
                            typed.set(raw.clone());
                            find(raw.clone());
                        }>{text}</button>
                    };
                    vec![
                        Cell::Mono(p.resident_id.to_string()),
                        Cell::Text(p.resident_name),
                        Cell::Badge(if mismatch { "off" } else { "warn" }, p.status_label),
                        Cell::Text(p.entered_by),
                        Cell::View(button.into_any()),
                    ]
                })
                .collect();
            view! {
                <DataTable testid="paper-pending" rows headers=&["居民编号", "居民", "情况", "最近录入人", "操作"]
                    empty="没有待复核或不一致的纸质选票。" />
            }
            .into_any()
        }
    };
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"纸质选票录入"</h1>
                <span class="badge badge-none" data-testid="round-status">{status_label.clone()}</span>
            </div>
            <p class="lead">
                {r.with(|d| d.round.title.clone())}<br />
                <small>{format!("每票最多选 {max_picks} 项{}", within.map(|b| format!(",所选合计不超过 {b}")).unwrap_or_default())}</small>
            </p>
            <p class="notice" role="note" data-testid="paper-two-clerks">
                <strong>"每张纸质选票须由两位不同的工作人员分别录入一遍。"</strong>
                "第一遍录入后等待复核;另一位工作人员照同一张原始选票再录入一遍,两次一致才计票。两次不一致时,请两人一起核对原始选票后重新录入。同一人不能录入两遍。"
            </p>
            <p class="hint" style="margin-bottom:1rem" data-testid="paper-clerk">{clerk}</p>
            {(!voting).then(|| view! {
                <p class="alert alert-warn" role="status" data-testid="paper-closed">
                    {format!("本轮现在是“{status_label}”阶段,纸质选票在投票期间录入;现在可以查询居民是否已投票。")}
                </p>
            })}
            <h2>"查询投票人"</h2>
            <form data-testid="paper-lookup" on:submit=move |ev| {
                ev.prevent_default();
                find(typed.get_untracked());
            } novalidate>
                <div class="field">
                    <label for="paper-resident">"居民编号"</label>
                    // The button beside the box, on its line (not below the error line).
                    <div style="display:flex;gap:.5rem;flex-wrap:wrap">
                        <input id="paper-resident" name="resident_id" type="text" inputmode="numeric" autocomplete="off" autofocus=true
                            style="max-width:16rem"
                            node_ref=id_field prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))
                            aria-invalid=move || typed_error.get().is_some().to_string() aria-describedby="paper-resident-error" />
                        <button type="submit" class="btn btn-primary" disabled=move || lookup.pending().get()>"查询"</button>
                    </div>
                    <p id="paper-resident-error" class="field-error" role="alert">{move || typed_error.get()}</p>
                </div>
            </form>
            <p class="hint">"输入选票存根上的居民编号,按回车查询。"</p>
            {move || outcome.get().map(|(who, o)| {
                let class = if o.outcome == "cast" { "alert alert-ok" } else { "alert alert-warn" };
                view! { <p class=class role="status" data-testid="paper-outcome" data-outcome=o.outcome.clone()>{format!("{who}:{}", o.message)}</p> }
            })}
            {voter}
        </section>
        <section class="panel">
            <div class="panel-head">
                <h2>"待复核与不一致的选票"</h2>
                <button type="button" class="btn btn-small" on:click=move |_| refresh()>"刷新"</button>
            </div>
            {pending_rows}
        </section>
    }
    .into_any()
}

#[component]
fn VoterFacts(v: VoterLookup) -> impl IntoView {
    view! {
        <dl class="facts" style="margin:0">
            <dt>"居民"</dt><dd><strong data-testid="paper-voter-name">{v.name}</strong></dd>
            <dt>"居民编号"</dt><dd class="mono">{v.resident_id}</dd>
            <dt>"住址"</dt><dd>{v.address}</dd>
        </dl>
    }
}

/// What the ballot will count as, in the rules' words.
fn verdict_line(
    picks: &[i64],
    blank: bool,
    unreadable: bool,
    rules: &BallotRules,
    list: &[Line],
) -> (&'static str, String) {
    if unreadable {
        return ("warn", "将计为废票(无法辨认)。".into());
    }
    if blank {
        return ("none", "将计为弃权票(空白票)。".into());
    }
    if picks.is_empty() {
        return ("none", String::new());
    }
    let candidates: Vec<Candidate> = list
        .iter()
        .map(|(id, _, fen)| Candidate { id: *id, cost: Money::from_fen(*fen).unwrap_or_default() })
        .collect();
    match rules.judge(&Mark::Picks(picks.to_vec()), &candidates) {
        Verdict::Valid { picks } => ("ok", format!("有效票,选了 {} 项。", picks.len())),
        Verdict::Blank => ("none", "将计为弃权票(空白票)。".into()),
        Verdict::Void { reason } => ("off", format!("按本轮规则,这张选票将计为废票:{}", reason.message())),
    }
}

#[component]
fn BallotForm(
    round_id: i64,
    v: VoterLookup,
    lines: Vec<Line>,
    rules: BallotRules,
    max_picks: u32,
    entered: Callback<(String, PaperEntryOutcome)>,
    failed: Callback<()>,
) -> impl IntoView {
    let picks = RwSignal::new(Vec::<i64>::new());
    let blank = RwSignal::new(false);
    let unreadable = RwSignal::new(false);
    let local = RwSignal::new(None::<String>);
    let server = RwSignal::new(None::<String>);
    let first = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let who = format!("{}(居民编号 {})", v.name, v.resident_id);
    let resident = v.resident_id;
    let send = Action::new_local(move |body: &PaperEntry| {
        let body = body.clone();
        async move {
            api::send::<_, PaperEntryOutcome>("POST", &format!("/api/participation/rounds/{round_id}/paper"), &body)
                .await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(o)) => entered.run((who.clone(), o)),
        Some(Err(e)) => {
            server.set(Some(e.message));
            failed.run(());
        }
        None => {}
    });
    let list = StoredValue::new(lines.clone());
    let verdict = move || {
        let (kind, text) = list.with_value(|l| verdict_line(&picks.get(), blank.get(), unreadable.get(), &rules, l));
        (!text.is_empty()).then(|| {
            view! { <p data-testid="paper-verdict"><span class=format!("badge badge-{kind}") style="white-space:normal">{text}</span></p> }
        })
    };
    let options = lines
        .into_iter()
        .enumerate()
        .map(|(i, (id, title, fen))| {
            let node = if i == 0 { first } else { NodeRef::new() };
            view! {
                <label class="choice" data-testid=format!("paper-pick-{id}")>
                    <input type="checkbox" node_ref=node prop:checked=move || picks.with(|p| p.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picks.update(|p| {
                                p.retain(|x| *x != id);
                                if on {
                                    p.push(id);
                                }
                            });
                            if on {
                                blank.set(false);
                                unreadable.set(false);
                            }
                            local.set(None);
                        } />
                    {format!("{title}({})", yuan(fen))}
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="stack" data-testid="paper-ballot" on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            server.set(None);
            let (p, b, u) = (picks.get_untracked(), blank.get_untracked(), unreadable.get_untracked());
            if p.is_empty() && !b && !u {
                local.set(Some("请照原始选票勾选项目;没有勾选任何项目的,选“空白票”;看不清的,选“无法辨认(作废)”。".into()));
                return;
            }
            local.set(None);
            send.dispatch(PaperEntry { resident_id: resident.to_string(), picks: p, blank: b, unreadable: u });
        } novalidate>
            <h2>"录入选票"</h2>
            <fieldset class="form-section" aria-describedby="paper-ballot-error">
                <legend>{format!("原始选票上勾选的项目(每票最多选 {max_picks} 项)")}</legend>
                <div class="choice-row" style="flex-direction:column;align-items:flex-start">{options}</div>
                <div class="choice-row" style=ROW>
                    <label class="choice" data-testid="paper-blank">
                        <input type="checkbox" prop:checked=move || blank.get() on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            blank.set(on);
                            if on {
                                picks.set(vec![]);
                                unreadable.set(false);
                            }
                            local.set(None);
                        } />
                        "空白票"
                    </label>
                    <label class="choice" data-testid="paper-unreadable">
                        <input type="checkbox" prop:checked=move || unreadable.get() on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            unreadable.set(on);
                            if on {
                                picks.set(vec![]);
                                blank.set(false);
                            }
                            local.set(None);
                        } />
                        "无法辨认(作废)"
                    </label>
                </div>
                <p id="paper-ballot-error" class="field-error" role="alert">{move || local.get()}</p>
            </fieldset>
            {verdict}
            <p class="form-error" role="alert" data-testid="paper-error">{move || server.get()}</p>
            <div class="actions">
                <button type="submit" class="btn btn-primary" data-testid="paper-submit" disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "正在录入…" } else { "录入选票" }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_says_what_the_ballot_counts_as_in_the_rules_words() {
        let list: Vec<Line> = vec![(1, "加装电梯".into(), 30_000_000), (2, "口袋公园".into(), 40_000_000)];
        let rules = BallotRules { min_picks: 1, max_picks: 2, budget: Money::from_fen(60_000_000) };
        assert_eq!(verdict_line(&[1], false, false, &rules, &list).0, "ok");
        let (kind, text) = verdict_line(&[1, 2], false, false, &rules, &list);
        assert_eq!(kind, "off");
        assert_eq!(
            text,
            "按本轮规则,这张选票将计为废票:所选项目合计 700,000.00 元,超过本轮预算 600,000.00 元,请少选或换选。"
        );
        assert_eq!(verdict_line(&[1], true, true, &rules, &list).1, "将计为废票(无法辨认)。");
        assert_eq!(verdict_line(&[], true, false, &rules, &list).1, "将计为弃权票(空白票)。");
        assert!(verdict_line(&[], false, false, &rules, &list).1.is_empty());
    }
}
