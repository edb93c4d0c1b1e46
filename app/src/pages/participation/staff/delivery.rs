//! `/participation/rounds/:id/delivery`: the chosen projects delivered in
//! public (政府办). For each: its milestones (已逾期 when late), its progress
//! and the public timeline of updates; the community's leader and the
//! responsible department report progress (never backwards) and add
//! milestones.

use gongzhi_api::participation::{DeliveryView, RoundDetail};
use gongzhi_domain::participation::{MilestoneInput, ProgressInput};
use gongzhi_domain::time::{parse_utc, shanghai_datetime};
use leptos::prelude::*;

use super::{load_round, round_id, round_shell, yuan, Round, ROW};
use crate::components::form::{Checks, Input, TextArea};
use crate::components::table::{Cell, DataTable};
use crate::services::api;

#[component]
pub fn DeliveryPage() -> impl IntoView {
    let id = round_id();
    let round = load_round(id);
    round_shell("实事项目办理", id, round, |r| view! { <Delivery r /> }.into_any())
}

#[component]
fn Delivery(r: Round) -> impl IntoView {
    let deliveries = move || r.with(|d| d.deliveries.clone()).unwrap_or_default();
    let none = move || r.with(|d| d.deliveries.is_empty()).unwrap_or(false);
    view! {
        <section class="panel">
            <h1>"实事项目办理进度"</h1>
            <p class="lead">
                {move || r.with(|d| d.round.title.clone())}<br />
                <small>"当选的实事项目由责任部门办理,进展和时间节点向居民公开;项目完成后由居民评价。"</small>
            </p>
            {move || none().then(|| view! {
                <p class="empty" data-testid="deliveries-empty">"本轮结果公布后,当选的实事项目在这里公开办理进度。"</p>
            })}
        </section>
        <For
            each=deliveries
            key=|d| (d.id, d.progress, d.completed_on, d.milestones.len(), d.updates.len())
            children=move |d| view! { <DeliveryCard d r /> }
        />
    }
}

fn beijing(rfc3339: &str) -> String {
    parse_utc(rfc3339).map(shanghai_datetime).unwrap_or_else(|| rfc3339.to_string())
}

#[component]
fn DeliveryCard(d: DeliveryView, r: Round) -> impl IntoView {
    let state = match d.completed_on {
        Some(on) => {
            view! { <span class="badge badge-ok" data-testid="delivery-state">{format!("已于 {on} 完成")}</span> }
        }
        None => {
            view! { <span class="badge badge-warn" data-testid="delivery-state">{format!("办理中 {}%", d.progress)}</span> }
        }
    };
    let milestones = d
        .milestones
        .iter()
        .map(|m| {
            let status = match (m.done_on, m.late) {
                (Some(on), _) => Cell::Badge("ok", format!("已于 {on} 完成")),
                (None, true) => Cell::Badge("off", "已逾期".into()),
                (None, false) => Cell::Badge("none", "未到期".into()),
            };
            vec![Cell::Text(m.name.clone()), Cell::Mono(m.due_on.to_string()), status]
        })
        .collect();
    let updates = d
        .updates
        .iter()
        .map(|u| {
            view! {
                <li>
                    <strong>{format!("进度 {}%", u.progress)}</strong>
                    <small>{format!("{} · {}", beijing(&u.at), u.by)}</small>
                    <p>{u.note.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let t = d.ratings;
    let ratings = if t.satisfied + t.fair + t.unsatisfied == 0 {
        "暂无居民评价".to_string()
    } else {
        format!(
            "满意 {} · 基本满意 {} · 不满意 {}{}",
            t.satisfied,
            t.fair,
            t.unsatisfied,
            t.satisfaction_pct.map(|p| format!("(满意率 {p}%)")).unwrap_or_default()
        )
    };
    let (did, title, before) = (d.id, d.title.clone(), d.progress);
    let forms = d.can_update.then(|| {
        view! {
            {(before < 100).then(|| view! {
                <h3>"报告进度"</h3>
                <ProgressForm did title=title.clone() before r />
            })}
            <h3>"添加时间节点"</h3>
            <MilestoneForm did title=title.clone() r />
        }
    });
    view! {
        <section class="panel" data-testid=format!("delivery-{did}")>
            <div class="panel-head">
                <h2>{d.title.clone()}</h2>
                {state}
            </div>
            <dl class="facts">
                <dt>"责任部门"</dt><dd>{d.department_name.clone()}</dd>
                <dt>"估算费用"</dt><dd>{yuan(d.cost_fen)}</dd>
                <dt>"完成进度"</dt>
                <dd style=ROW>
                    <progress max="100" value=d.progress.to_string() aria-label=format!("{}完成进度", d.title)></progress>
                    <span data-testid="delivery-progress">{format!("{}%", d.progress)}</span>
                </dd>
                <dt>"居民评价"</dt><dd data-testid="delivery-ratings">{ratings}</dd>
            </dl>
            <h3>"时间节点"</h3>
            <DataTable testid="milestones" rows=milestones headers=&["节点", "计划完成日期", "完成情况"] empty="还没有时间节点。" />
            <h3>"公开进展"</h3>
            {if d.updates.is_empty() {
                view! { <p class="empty" data-testid="delivery-updates">"暂无进展记录。"</p> }.into_any()
            } else {
                view! { <ol class="timeline" data-testid="delivery-updates">{updates}</ol> }.into_any()
            }}
            {forms}
        </section>
    }
}

#[component]
fn ProgressForm(did: i64, title: String, before: u32, r: Round) -> impl IntoView {
    let progress = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let input = move || ProgressInput { progress: progress.get(), note: note.get() };
    let Checks { tried, server, errors } = Checks::new(move || input().parse(before).err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &ProgressInput| {
        let body = body.clone();
        async move {
            api::send::<_, RoundDetail>("POST", &format!("/api/participation/deliveries/{did}/progress"), &body).await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let now = d.deliveries.iter().find(|x| x.id == did).map(|x| x.progress).unwrap_or(before);
            r.done(d, format!("已更新“{title}”的进度:{now}%。"));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <form class="form-grid wide-grid" data-testid="progress-form" on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            if input().parse(before).is_ok() {
                r.notice.set(None);
                send.dispatch(input());
            }
        } novalidate>
            <Input id=format!("progress-{did}") label="完成进度(%)" value=progress error=err("progress") hint="不低于当前进度,最高 100" />
            <p class="hint" style="align-self:center">{format!("当前进度 {before}%")}</p>
            <TextArea id=format!("note-{did}") label="进展情况" value=note error=err("note") />
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["progress", "note"]))}</p>
                <button class="btn btn-primary" type="submit" disabled=move || send.pending().get()>"更新进度"</button>
            </div>
        </form>
    }
}

#[component]
fn MilestoneForm(did: i64, title: String, r: Round) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let input = move || MilestoneInput { milestone: name.get(), due_on: due.get() };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &MilestoneInput| {
        let body = body.clone();
        async move {
            api::send::<_, RoundDetail>("POST", &format!("/api/participation/deliveries/{did}/milestones"), &body).await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let added = name.get_untracked();
            r.done(d, format!("已为“{title}”添加时间节点“{}”。", added.trim()));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <form class="form-grid wide-grid" data-testid="milestone-form" on:submit=move |ev| {
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
            <Input id=format!("milestone-{did}") label="节点名称" value=name error=err("milestone") />
            <Input id=format!("due-{did}") label="计划完成日期" kind="date" value=due error=err("due_on") />
            <div class="form-actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["milestone", "due_on"]))}</p>
                <button class="btn btn-primary" type="submit" disabled=move || send.pending().get()>"添加节点"</button>
            </div>
        </form>
    }
}
