//! One event: where it stands, its clock, its steps, and the steps the
//! caller may take now (as the server lists them).

use gongzhi_api::{DepartmentView, EventActionInput, EventView};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::flag_badge;
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::api;
use crate::services::fixed::fixed;

#[component]
pub fn EventPage() -> impl IntoView {
    view! {
        <RequireMenu slug="events">
            <EventBody />
        </RequireMenu>
    }
}

#[component]
fn EventBody() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let current = RwSignal::new(None::<Result<EventView, gongzhi_api::ApiError>>);
    Effect::new(move |_| {
        let id = id();
        leptos::task::spawn_local(async move {
            current.set(Some(api::get::<EventView>(&format!("/api/events/{id}")).await));
        });
    });
    move || match current.get() {
        None => loading(),
        Some(Err(e)) => view! {
            <section class="panel"><h1>"事件"</h1><p class="form-error" role="alert">{e.message}</p>
            <p><A href="/events">"返回事件列表"</A></p></section>
        }
        .into_any(),
        Some(Ok(e)) => view! { <EventCard event=e current /> }.into_any(),
    }
}

#[component]
fn EventCard(event: EventView, current: RwSignal<Option<Result<EventView, gongzhi_api::ApiError>>>) -> impl IntoView {
    let id = event.id;
    let note = RwSignal::new(String::new());
    let department = RwSignal::new(event.department_id.map(|d| d.to_string()).unwrap_or_default());
    let duplicate_of = RwSignal::new(event.possible_duplicates.first().map(|d| d.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<gongzhi_api::ApiError>);
    let needs_department = event.actions.iter().any(|a| a.code == "dispatch");
    let needs_duplicate = event.actions.iter().any(|a| a.code == "mark_duplicate");
    let departments = LocalResource::new(move || async move {
        if needs_department {
            api::get::<Vec<DepartmentView>>("/api/departments").await.unwrap_or_default()
        } else {
            vec![]
        }
    });
    let act = Action::new_local(move |body: &EventActionInput| {
        let body = body.clone();
        async move { api::send::<_, EventView>("POST", &format!("/api/events/{id}/actions"), &body).await }
    });
    Effect::new(move |_| match act.value().get() {
        Some(Ok(v)) => {
            error.set(None);
            current.set(Some(Ok(v)));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let run = move |code: String| {
        act.dispatch(EventActionInput {
            action: code,
            note: note.get_untracked(),
            department_id: department.get_untracked().parse().ok(),
            duplicate_of: duplicate_of.get_untracked().parse().ok(),
        });
    };
    let flag = flag_badge(&event.flag);
    view! {
        <section class="panel event-card" data-testid="event-card">
            <p class="breadcrumb"><A href="/events">"事件处置"</A>" / #"{event.id}</p>
            <h1>{event.category_label.clone()}" · "{event.description.clone()}</h1>
            <div class="facts">
                <p><strong>"当前环节:"</strong><span data-testid="event-status">{event.status_label.clone()}</span></p>
                {(!event.flag.is_empty()).then(|| view! {
                    <p><strong>"办理时限:"</strong>{event.stage_limit.clone()}" · 截止 "{event.deadline.clone()}" "
                        <span class=flag>{event.flag_label.clone()}</span>" "{event.time_left.clone()}</p>
                })}
                <p><strong>"位置:"</strong>{event.grid_name.clone().unwrap_or(event.community_name.clone())}
                    {format!("(东经 {},北纬 {})", fixed(event.lon, 5), fixed(event.lat, 5))}</p>
                <p><strong>"上报:"</strong>{event.reported_by.clone()}" · "{event.reported_at.clone()}</p>
                {event.department_name.clone().map(|d| view! { <p><strong>"责任部门:"</strong>{d}</p> })}
                {(!event.possible_duplicates.is_empty()).then(|| view! {
                    <p class="alert alert-warn">"疑似重复:附近 50 米内有同类未结事件 "
                        {event.possible_duplicates.iter().map(|d| view! { <A href=format!("/events/{d}")>{format!("#{d} ")}</A> }).collect_view()}</p>
                })}
                {event.duplicate_of.map(|d| view! { <p>"已归并到 "<A href=format!("/events/{d}")>{format!("#{d}")}</A></p> })}
            </div>
            {(!event.actions.is_empty()).then(|| view! {
                <div class="form-section" data-testid="event-actions">
                    <h2>"办理"</h2>
                    {needs_department.then(|| view! {
                        <div class="field">
                            <label for="event-department">"派遣部门"</label>
                            <select id="event-department" on:change=move |ev| department.set(event_target_value(&ev))>
                                <option value="">"按分类默认部门"</option>
                                {move || departments.get().unwrap_or_default().into_iter().map(|d| view! {
                                    <option value=d.id.to_string() selected=move || department.get() == d.id.to_string()>{d.name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    })}
                    {needs_duplicate.then(|| view! {
                        <div class="field">
                            <label for="event-duplicate">"重复于事件编号(仅归并时填写)"</label>
                            <input id="event-duplicate" inputmode="numeric" prop:value=move || duplicate_of.get()
                                on:input=move |ev| duplicate_of.set(event_target_value(&ev)) />
                        </div>
                    })}
                    <div class="field">
                        <label for="event-note">"处理意见"</label>
                        <textarea id="event-note" rows="3" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        <p class="hint">"退回、处置反馈、核查不通过须填写处理意见。"</p>
                    </div>
                    <p class="form-error" role="alert">{move || error.get().map(|e| e.message)}</p>
                    <div class="form-actions">
                        {event.actions.iter().map(|a| {
                            let code = a.code.clone();
                            let class = if matches!(a.code.as_str(), "return" | "check_fail" | "mark_duplicate") { "btn btn-light btn-large" } else { "btn btn-primary btn-large" };
                            view! { <button class=class disabled=move || act.pending().get() on:click=move |_| run(code.clone())>{a.label.clone()}</button> }
                        }).collect_view()}
                    </div>
                </div>
            })}
            <h2>"流转记录"</h2>
            <ol class="timeline" data-testid="event-steps">
                {event.steps.iter().map(|s| view! {
                    <li><strong>{s.action_label.clone()}</strong>" → "{s.status_label.clone()}" · "{s.actor.clone()}" · "{s.at.clone()}
                        {(!s.note.is_empty()).then(|| view! { <p class="hint">{s.note.clone()}</p> })}</li>
                }).collect_view()}
            </ol>
        </section>
    }
}
