//! 记录会议结果: the leader records a planned meeting — its minutes and
//! resolution, the votes of those present where a vote was taken, a
//! dispute's outcome, and the follow-up items the resolution becomes (each
//! with an owner and a time limit in working days). Checked by the domain's
//! `MeetingRecordInput::parse` against the number signed in.

use gongzhi_domain::consultation::{DisputeOutcome, FollowUpInput, MatterKind, MeetingRecordInput};
use leptos::prelude::*;

use super::{any_error, sender, Matter};
use crate::components::form::{Checks, Input, Text};

const FIELDS: &[&str] = &[
    "minutes",
    "resolution",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "outcome",
    "referred_to",
    "follow_ups",
    "task",
    "owner",
    "working_days",
];

/// One follow-up item's row.
type Row = [RwSignal<String>; 3];

fn row() -> Row {
    std::array::from_fn(|_| RwSignal::new(String::new()))
}

#[component]
pub fn RecordForm(mid: i64, kind: MatterKind, present: u32, m: Matter) -> impl IntoView {
    let [minutes, resolution, votes_for, votes_against, votes_abstain, outcome, referred_to] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let voted = RwSignal::new(false);
    let rows = RwSignal::new(vec![row()]);
    let dispute = kind == MatterKind::Dispute;
    let input = move || MeetingRecordInput {
        minutes: minutes.get(),
        resolution: resolution.get(),
        voted: voted.get(),
        votes_for: votes_for.get(),
        votes_against: votes_against.get(),
        votes_abstain: votes_abstain.get(),
        outcome: outcome.get(),
        referred_to: if outcome.get() == "referred" { referred_to.get() } else { String::new() },
        follow_ups: rows
            .get()
            .iter()
            .map(|[t, o, w]| FollowUpInput { task: t.get(), owner: o.get(), working_days: w.get() })
            .collect(),
    };
    let Checks { tried, server, errors } = Checks::new(move || input().parse(kind, present).err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = sender::<MeetingRecordInput>("POST", move || format!("/api/consultation/meetings/{mid}/record"));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let text = format!("已记录会议结果,现有落实事项 {} 项,向居民公开。", d.follow_ups.len());
            m.done(d, text);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let none = Signal::stored(None::<String>);
    let votes = move || {
        voted.get().then(|| {
            view! {
                <Input id=format!("for-{mid}") label="赞成票" kind="number" value=votes_for error=err("votes_for") />
                <Input id=format!("against-{mid}") label="反对票" kind="number" value=votes_against error=err("votes_against") />
                <Input id=format!("abstain-{mid}") label="弃权票" kind="number" value=votes_abstain error=err("votes_abstain") />
            }
        })
    };
    let outcomes = dispute.then(|| {
        let choices = DisputeOutcome::ALL
            .iter()
            .map(|o| {
                let code = o.code();
                view! {
                    <label class="choice">
                        <input type="radio" name=format!("outcome-{mid}") value=code prop:checked=move || outcome.get() == code
                            on:change=move |_| outcome.set(code.into()) />
                        {o.label()}
                    </label>
                }
            })
            .collect_view();
        let label_id = format!("outcome-{mid}-label");
        view! {
            <div class="field field-wide">
                <p id=label_id.clone() style="font-weight:600;margin:0 0 .3rem">"调解结果"</p>
                <div class="choice-row" role="radiogroup" aria-labelledby=label_id>{choices}</div>
                <p class="field-error" role="alert">{move || err("outcome").get()}</p>
            </div>
            {move || (outcome.get() == "referred").then(|| view! {
                <Input id=format!("referred-{mid}") label="移交单位" value=referred_to error=err("referred_to")
                    hint="例如“街道人民调解委员会”" />
            })}
        }
    });
    let row_views = move || {
        rows.get()
            .into_iter()
            .enumerate()
            .map(|(i, [t, o, w])| {
                view! {
                    <fieldset class="form-section field-wide">
                        <legend>{format!("落实事项第 {} 项", i + 1)}</legend>
                        <div class="form-grid wide-grid">
                            <Input id=format!("task-{mid}-{i}") label="落实事项内容" value=t error=none />
                            <Input id=format!("owner-{mid}-{i}") label="责任人(单位)" value=o error=none />
                            <Input id=format!("days-{mid}-{i}") label="办理时限(工作日)" kind="number" value=w error=none
                                hint="从会议当天起算的工作日数" />
                        </div>
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <h4 style="margin:1rem 0 .25rem">"记录会议结果"</h4>
        <form class="form-grid wide-grid" data-testid="record-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            if input().parse(kind, present).is_ok() {
                m.notice.set(None);
                send.dispatch(input());
            }
        }>
            <Text id=format!("minutes-{mid}") label="会议纪要" value=minutes error=err("minutes") />
            <Text id=format!("resolution-{mid}") label="协商结果" value=resolution error=err("resolution") />
            <div class="field field-wide">
                <label class="choice">
                    <input type="checkbox" prop:checked=move || voted.get() on:change=move |ev| voted.set(event_target_checked(&ev)) />
                    "进行了表决"
                </label>
                <p class="hint" style="margin:0">{format!("只计签到的 {present} 人的票")}</p>
            </div>
            {votes}
            {outcomes}
            <div class="field field-wide">
                <p style="font-weight:600;margin:0">"落实事项"</p>
                <p class="hint" style="margin:.2rem 0 0">"协商结果要落实为具体事项,写明责任人和时限;空着的行不计入。"</p>
            </div>
            {row_views}
            <div class="field field-wide">
                <button type="button" class="btn" on:click=move |_| rows.update(|r| r.push(row()))>"添加一项"</button>
                <p class="field-error" role="alert">{move || any_error(errors, &["follow_ups", "task", "owner", "working_days"]).get()}</p>
            </div>
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button type="submit" class="btn btn-primary btn-large" disabled=move || send.pending().get()>"保存会议结果"</button>
            </div>
        </form>
    }
}
