//! 安排会议: the leader plans a meeting on an accepted matter (or a further
//! one on a resolved matter) — its form, day, time and place and the parties
//! invited, one row each. Checked by the domain's `MeetingInput::parse`.

use gongzhi_domain::consultation::{InviteeInput, MatterKind, MeetingInput, MeetingKind, PartyKind};
use leptos::prelude::*;

use super::{options, sender, Matter};
use crate::components::form::{Checks, Choice, Input};
use crate::services::calendar::today_in_shanghai;

const FIELDS: &[&str] = &["kind", "date", "time", "place", "invited"];

/// One invited party's row: its kind and name.
type Row = (RwSignal<String>, RwSignal<String>);

fn row(kind: &str, name: &str) -> Row {
    (RwSignal::new(kind.to_string()), RwSignal::new(name.to_string()))
}

#[component]
pub fn PlanForm(mid: i64, parties: Vec<String>, kind: MatterKind, m: Matter) -> impl IntoView {
    let [meeting_kind, date, time, place] = std::array::from_fn(|_| RwSignal::new(String::new()));
    // A dispute's parties are invited as 当事人 to start with.
    let first: Vec<Row> = if kind == MatterKind::Dispute {
        parties.iter().map(|p| row(PartyKind::Party.code(), p)).collect()
    } else {
        vec![row("", "")]
    };
    let rows = RwSignal::new(first);
    let input = move || MeetingInput {
        kind: meeting_kind.get(),
        date: date.get(),
        time: time.get(),
        place: place.get(),
        invited: rows.get().iter().map(|(k, n)| InviteeInput { kind: k.get(), name: n.get() }).collect(),
    };
    let today = today_in_shanghai();
    let Checks { tried, server, errors } = Checks::new(move || input().parse(today).err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = sender::<MeetingInput>("POST", move || format!("/api/consultation/matters/{mid}/meetings"));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let text = match d.meetings.iter().find(|x| x.status == "planned") {
                Some(x) => format!("已安排{}:{} {},{}。", x.kind_label, x.date, x.time, x.place),
                None => "已安排会议。".to_string(),
            };
            m.done(d, text);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let kinds = Signal::stored(options(MeetingKind::ALL, MeetingKind::code, MeetingKind::label));
    let party_kinds = Signal::stored(options(PartyKind::ALL, PartyKind::code, PartyKind::label));
    let none = Signal::stored(None::<String>);
    let row_views = move || {
        rows.get()
            .into_iter()
            .enumerate()
            .map(|(i, (k, n))| {
                view! {
                    <fieldset class="form-section field-wide">
                        <legend>{format!("第 {} 方", i + 1)}</legend>
                        <div class="form-grid wide-grid">
                            <Choice id=format!("invitee-{i}-kind") label="身份" value=k options=party_kinds error=none blank=true />
                            <Input id=format!("invitee-{i}-name") label="名称或姓名" value=n error=none />
                        </div>
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <h3>"安排会议"</h3>
        <form class="form-grid wide-grid" data-testid="meeting-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            if input().parse(today).is_ok() {
                m.notice.set(None);
                send.dispatch(input());
            }
        }>
            <Choice id="meeting-kind".to_string() label="会议形式" value=meeting_kind options=kinds error=err("kind") blank=true />
            <Input id="meeting-date".to_string() label="会议日期" kind="date" value=date error=err("date") />
            <Input id="meeting-time".to_string() label="开始时间" kind="time" value=time error=err("time") hint="例如 19:30" />
            <Input id="meeting-place".to_string() label="会议地点" value=place error=err("place") />
            <div class="field field-wide">
                <p style="font-weight:600;margin:0">"邀请参加的各方"</p>
                <p class="hint" style="margin:.2rem 0 0">"如居民代表、物业服务企业、业主委员会、职能部门;空着的行不计入。"</p>
            </div>
            {row_views}
            <div class="field field-wide">
                <button type="button" class="btn" on:click=move |_| rows.update(|r| r.push(row("", "")))>"添加一方"</button>
                <p class="field-error" role="alert">{move || err("invited").get()}</p>
            </div>
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button type="submit" class="btn btn-primary btn-large" disabled=move || send.pending().get()>"安排会议"</button>
            </div>
        </form>
    }
}
