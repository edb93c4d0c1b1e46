//! 事件处置: events in the closed loop. The community sees its own; a
//! department sees what is dispatched to it, the most urgent first, with
//! the time left of the current stage.

pub mod detail;

use gongzhi_api::EventView;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::store::get_kept;

#[component]
pub fn EventsPage() -> impl IntoView {
    view! {
        <RequireMenu slug="events">
            <EventsBody />
        </RequireMenu>
    }
}

pub fn flag_badge(flag: &str) -> &'static str {
    match flag {
        "red" => "badge badge-danger",
        "yellow" => "badge badge-warn",
        "green" => "badge badge-ok",
        _ => "badge badge-none",
    }
}

#[component]
fn EventsBody() -> impl IntoView {
    let which = RwSignal::new("open".to_string());
    let events = LocalResource::new(move || {
        let w = which.get();
        async move { get_kept::<Vec<EventView>>(&format!("/api/events?state={w}")).await }
    });
    view! {
        <section class="panel">
            <h1>"事件处置"</h1>
            <p class="lead">"上报 → 受理登记 → 派遣 → 签收处置 → 处置反馈 → 核查 → 结案。每个环节有办理时限:剩余不足四分之一亮黄牌,超时亮红牌。"</p>
            <div class="filters">
                <label>"范围 "
                    <select on:change=move |ev| which.set(event_target_value(&ev))>
                        <option value="open">"未结事件"</option>
                        <option value="closed">"已结案"</option>
                        <option value="all">"全部"</option>
                    </select>
                </label>
            </div>
            {move || events.get().map(|r| match r {
                Ok((list, kept)) => {
                    let rows: Vec<Vec<Cell>> = list.into_iter().map(|e| vec![
                        Cell::View(view! { <A href=format!("/events/{}", e.id)>{format!("#{} {}", e.id, e.description)}</A> }.into_any()),
                        e.category_label.into(),
                        e.grid_name.unwrap_or(e.community_name).into(),
                        e.status_label.into(),
                        e.department_name.unwrap_or_else(|| "—".into()).into(),
                        Cell::View(view! {
                            <span class=flag_badge(&e.flag)>{e.flag_label}</span>
                            <br /><span class="nowrap">{e.time_left}</span>
                        }.into_any()),
                    ]).collect();
                    view! {
                        {kept.then(|| view! { <p class="alert alert-warn">"当前离线:显示的是本机保存的列表。"</p> })}
                        <DataTable testid="events-table"
                            headers=&["事件", "分类", "网格", "环节", "责任部门", "时限"] rows />
                    }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </section>
    }
}
