//! 签到: staff at the door sign each person in to a planned meeting — on the
//! tablet there, or later from the paper list. A resident or representative
//! is named by the register id (居民名册编号), anyone else by name. The
//! capacity and method stay for the next person.

use gongzhi_domain::consultation::{AttendanceInput, AttendanceMethod, PartyKind};
use leptos::prelude::*;

use super::{options, sender, Matter};
use crate::components::form::{Checks, Choice, Input};

const FIELDS: &[&str] = &["name", "capacity", "method", "resident_id"];

#[component]
pub fn SignIn(mid: i64, m: Matter) -> impl IntoView {
    let (capacity, method) = m.door;
    let name = RwSignal::new(String::new());
    let resident_id = RwSignal::new(String::new());
    let on_register = move || matches!(capacity.get().as_str(), "resident" | "representative");
    let input = move || AttendanceInput {
        name: if on_register() { String::new() } else { name.get() },
        capacity: capacity.get(),
        method: method.get(),
        resident_id: if on_register() { resident_id.get() } else { String::new() },
    };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = sender::<AttendanceInput>("POST", move || format!("/api/consultation/meetings/{mid}/attendance"));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let x = d.meetings.iter().find(|x| x.id == mid);
            let who = x.and_then(|x| x.attendance.last()).map(|a| format!(":{}", a.name)).unwrap_or_default();
            let text = format!("已签到{who}。本次会议现有 {} 人签到。", x.map_or(0, |x| x.present));
            m.done(d, text);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let capacities = Signal::stored(options(PartyKind::ALL, PartyKind::code, PartyKind::label));
    let methods = AttendanceMethod::ALL
        .iter()
        .map(|k| {
            let code = k.code();
            view! {
                <label class="choice">
                    <input type="radio" name=format!("method-{mid}") value=code prop:checked=move || method.get() == code
                        on:change=move |_| method.set(code.into()) />
                    {k.label()}
                </label>
            }
        })
        .collect_view();
    let label_id = format!("method-{mid}-label");
    view! {
        <h4 style="margin:1rem 0 .25rem">"签到"</h4>
        <form class="form-grid wide-grid" data-testid="attendance-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            if input().parse().is_ok() {
                m.notice.set(None);
                send.dispatch(input());
            }
        }>
            <div class="field field-wide">
                <p id=label_id.clone() style="font-weight:600;margin:0 0 .3rem">"签到方式"</p>
                <div class="choice-row" role="radiogroup" aria-labelledby=label_id>{methods}</div>
                <p class="field-error" role="alert">{move || err("method").get()}</p>
            </div>
            <Choice id=format!("capacity-{mid}") label="参会身份" value=capacity options=capacities error=err("capacity") blank=true />
            {move || if on_register() {
                view! {
                    <Input id=format!("resident-{mid}") label="居民名册编号" value=resident_id error=err("resident_id")
                        hint="在居民名册中查到的编号(数字),姓名按名册登记" />
                }
                .into_any()
            } else {
                view! { <Input id=format!("attendee-{mid}") label="签到人姓名" value=name error=err("name") /> }.into_any()
            }}
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button type="submit" class="btn btn-primary btn-large" disabled=move || send.pending().get()>"签到"</button>
            </div>
        </form>
    }
}
