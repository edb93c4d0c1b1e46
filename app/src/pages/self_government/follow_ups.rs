//! 落实事项: the follow-up items of a matter's resolutions, public to the
//! residents — each with its owner, due day, status and 已逾期 when late.
//! The leader reports an item done (with how it was done) and publishes it.

use gongzhi_api::consultation::FollowUpView;
use gongzhi_domain::consultation::FollowUpDoneInput;
use leptos::prelude::*;

use super::matter::{ITEM, LIST};
use super::{sender, Empty, Matter};
use crate::components::confirm::ConfirmButton;
use crate::components::form::{Checks, Text};

#[component]
pub fn FollowUps(list: Vec<FollowUpView>, can_manage: bool, m: Matter) -> impl IntoView {
    let empty = list.is_empty();
    let items = list.into_iter().map(|f| view! { <Item f can_manage m /> }).collect_view();
    view! {
        <section class="panel" data-testid="follow-ups">
            <h2>"落实情况"</h2>
            <p class=if empty { "empty" } else { "hint" }>
                {if empty { "会议记录结果后,落实事项会列在这里。" } else { "协商结果落实为下面的事项,办理情况向居民公开。" }}
            </p>
            <ul style=LIST>{items}</ul>
        </section>
    }
}

#[component]
fn Item(f: FollowUpView, can_manage: bool, m: Matter) -> impl IntoView {
    let badge = match f.status.as_str() {
        "published" => "badge badge-ok",
        _ => "badge badge-warn",
    };
    let fid = f.id;
    let publish = sender::<Empty>("POST", move || format!("/api/consultation/follow-ups/{fid}/publish"));
    let publish_error = RwSignal::new(None::<String>);
    let task = f.task.clone();
    Effect::new(move |_| match publish.value().get() {
        Some(Ok(d)) => m.done(d, format!("已公开落实事项“{task}”。")),
        Some(Err(e)) => publish_error.set(Some(e.message)),
        None => {}
    });
    let manage = can_manage.then(|| match f.status.as_str() {
        "open" => view! { <DoneForm fid task=f.task.clone() m /> }.into_any(),
        "done" => view! {
            <ConfirmButton label="公开" question="公开后居民可以看到这项的办理情况。确认公开?".to_string() confirm="确认公开"
                on_confirm=Callback::new(move |_| { publish.dispatch(Empty {}); }) />
            <p class="form-error" role="alert">{move || publish_error.get()}</p>
        }
        .into_any(),
        _ => ().into_any(),
    });
    let when = match (f.done_on, f.published_on) {
        (_, Some(on)) => format!(",{on} 公开"),
        (Some(on), None) => format!(",{on} 办结"),
        _ => String::new(),
    };
    view! {
        <li style=ITEM data-testid="follow-up">
            <p style="margin:0 0 .3rem"><strong style="overflow-wrap:anywhere">{f.task.clone()}</strong></p>
            <p style="margin:.3rem 0">
                <span class=badge>{f.status_label.clone()}</span>
                {f.late.then(|| view! { " "<strong class="form-error" data-testid="follow-up-late">"⚠ 已逾期"</strong> })}
            </p>
            <p style="margin:.3rem 0">{format!("责任人(单位):{}", f.owner)}</p>
            <p style="margin:.3rem 0">{format!("计划完成 {}{when}", f.due_on)}</p>
            {f.note.clone().map(|n| view! { <p style="margin:.3rem 0;white-space:pre-wrap">{format!("办理情况:{n}")}</p> })}
            {manage}
        </li>
    }
}

/// 报告办结: how the item was done, published with it.
#[component]
fn DoneForm(fid: i64, task: String, m: Matter) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let input = move || FollowUpDoneInput { note: note.get() };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let send = sender::<FollowUpDoneInput>("POST", move || format!("/api/consultation/follow-ups/{fid}/done"));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => m.done(d, format!("“{task}”已报告办结,公开后居民可见。")),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <form class="form-grid wide-grid" data-testid="done-form" novalidate on:submit=move |ev| {
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
            <Text id=format!("note-{fid}") label="办理情况" value=note error=Signal::derive(move || errors.with(|e| e.for_field("note"))) />
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["note"]))}</p>
                <button type="submit" class="btn btn-primary" disabled=move || send.pending().get()>"报告办结"</button>
            </div>
        </form>
    }
}
