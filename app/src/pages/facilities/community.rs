//! `/facilities/communities/:id`: an existing community's rooms against the
//! standard, and the remedies that close its shortfall (增建、扩建、新建、购买、
//! 租赁、盘活闲置). The community's own leader records them.

use gongzhi_api::facilities::{CommunityRooms, RemedyAdvance, RemedyView, RoomView};
use gongzhi_api::ApiError;
use gongzhi_domain::facilities::community::{RemedyInput, RemedyKind, RoomInput, Tenure};
use gongzhi_domain::facilities::RoomUse;
use gongzhi_domain::funding::fen_label;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::{num, short_label, Check, Choice, WRAP};
use crate::components::form::{FormErrors, TextField};
use crate::components::guard::RequireMenu;
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::calendar::today_in_shanghai;

type Current = RwSignal<Option<Result<CommunityRooms, ApiError>>>;

#[component]
pub fn FacilityCommunityPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let current: Current = RwSignal::new(None);
    Effect::new(move |_| {
        let id = id();
        leptos::task::spawn_local(async move {
            current.set(Some(api::get(&format!("/api/facilities/communities/{id}")).await));
        });
    });
    // The forms stay while the figures above them change with each answer.
    let can_edit = Memo::new(move |_| current.with(|c| matches!(c, Some(Ok(r)) if r.can_edit)));
    view! {
        <RequireMenu slug="facilities">
            <p class="breadcrumb"><A href="/facilities">"社区设施"</A>" / 社区用房"</p>
            {move || match current.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Err(e)) => view! { <section class="panel"><h1>"社区用房"</h1><p class="form-error" role="alert">{e.message}</p></section> }.into_any(),
                Some(Ok(c)) => view! { <Rooms c current /> }.into_any(),
            }}
            {move || can_edit.get().then(|| view! { <RoomForm id=id() current /> <RemedyForm id=id() current /> })}
        </RequireMenu>
    }
}

fn room_rows(rooms: &[RoomView]) -> Vec<Vec<Cell>> {
    rooms
        .iter()
        .map(|r| {
            let problems = if r.problems.is_empty() {
                Cell::Badge("ok", "符合要求".into())
            } else {
                Cell::View(view! { <div class="actions">{r.problems.iter().map(|p| view! { <span class="badge badge-warn" style=WRAP>{p.clone()}</span> }).collect_view()}</div> }.into_any())
            };
            vec![
                Cell::Text(r.room_use_label.clone()),
                Cell::View(view! { <div class="item-cell"><span>{r.name.clone()}</span><small>{format!("{} 启用", r.since)}</small></div> }.into_any()),
                num(r.area.to_string()),
                Cell::Text(r.tenure_label.clone()),
                num(format!("{} 层", r.floor)),
                Cell::Text(if r.own_entrance { "独立".into() } else { "无独立出入口".into() }),
                problems,
            ]
        })
        .collect()
}

fn remedy_rows(
    list: &[RemedyView],
    can_edit: bool,
    current: Current,
    failed: RwSignal<Option<String>>,
) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|r| {
            let rid = r.id;
            let status = if r.late {
                format!("{}(逾期)", r.status_label)
            } else {
                r.status_label.clone()
            };
            let kind = match (r.status.as_str(), r.late) {
                ("done", _) => "ok",
                (_, true) => "off",
                _ => "none",
            };
            let to = r.next_status.clone().unwrap_or_default();
            let next = r.next_label.clone().filter(|_| can_edit).map(|next| {
                let advance = move |_| {
                    let body = RemedyAdvance { to: to.clone() };
                    leptos::task::spawn_local(async move {
                        let path = format!("/api/facilities/remedies/{rid}/advance");
                        match api::send::<_, CommunityRooms>("POST", &path, &body).await {
                            Ok(rooms) => current.set(Some(Ok(rooms))),
                            Err(e) => failed.set(Some(e.message)),
                        }
                    });
                };
                view! { <button type="button" class="btn btn-small" on:click=advance>{format!("推进到:{next}")}</button> }
            });
            vec![
                Cell::View(view! { <div class="item-cell"><span>{r.kind_label.clone()}</span><small>{r.note.clone()}</small></div> }.into_any()),
                Cell::Text(r.room_use_label.clone()),
                num(r.target_area.to_string()),
                num(format!("{} 元", fen_label(r.funding_fen))),
                Cell::Mono(r.due_on.to_string()),
                Cell::View(view! { <div class="item-cell"><span class=format!("badge badge-{kind}")>{status}</span>{next}</div> }.into_any()),
            ]
        })
        .collect()
}

#[component]
fn Rooms(c: CommunityRooms, current: Current) -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let k = &c.community;
    let stats = k
        .shortfalls
        .iter()
        .map(|s| {
            let class = if s.short == gongzhi_domain::facilities::Area::ZERO { "stat" } else { "stat stat-alert" };
            let (kind, text) = short_label(s.short);
            view! {
                <div class=class data-testid=format!("shortfall-{}", s.room_use)>
                    <span>{s.room_use_label.clone()}</span>
                    <strong>{format!("已有 {} / 应有 {}", s.provided, s.required)}</strong>
                    <span class=format!("badge badge-{kind}")>{text}</span>
                </div>
            }
        })
        .collect_view();
    let version = k.standard_version.clone().unwrap_or_else(|| "未配置标准".into());
    view! {
        <section class="panel">
            <h1>{format!("{}用房", k.community_name)}</h1>
            <p class="lead">{format!("{} {} · {} 户 · 配置标准:{version}", k.district_name, k.street_name, k.households)}</p>
            <div class="stat-grid" data-testid="community-shortfalls">{stats}</div>
            <h2 class="sub">"现有用房"</h2>
            <DataTable testid="community-rooms" rows=room_rows(&c.rooms) headers=&["类别", "名称或位置", "面积", "产权", "楼层", "出入口", "选址"] empty="尚未登记用房。" />
            <h2 class="sub">"补齐措施"</h2>
            <p class="form-error" role="alert">{move || failed.get()}</p>
            <DataTable testid="community-remedies" rows=remedy_rows(&c.remedies, c.can_edit, current, failed) headers=&["方式", "用房类别", "拟补齐面积", "安排资金", "计划完成", "状态"] empty="尚无补齐措施。" />
        </section>
    }
}

fn uses() -> Vec<(String, String)> {
    RoomUse::ALL.iter().map(|u| (u.code().to_string(), u.label().to_string())).collect()
}

#[component]
fn RoomForm(id: i64, current: Current) -> impl IntoView {
    let v: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [room_use, name, area, tenure, floor, since] = v;
    floor.set("1".into());
    let own_entrance = RwSignal::new(true);
    let today = today_in_shanghai();
    let input = move || RoomInput {
        room_use: room_use.get(),
        name: name.get(),
        area: area.get(),
        tenure: tenure.get(),
        floor: floor.get(),
        own_entrance: own_entrance.get(),
        since: since.get(),
    };
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { input().parse(today).err().unwrap_or_default() } else { vec![] },
        server: server.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &RoomInput| {
        let body = body.clone();
        async move {
            api::send::<_, CommunityRooms>("POST", &format!("/api/facilities/communities/{id}/rooms"), &body).await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(rooms)) => {
            saved.set(Some(format!("已登记用房:{}", name.get_untracked())));
            [room_use, name, area, tenure, since].iter().for_each(|s| s.set(String::new()));
            tried.set(false);
            current.set(Some(Ok(rooms)));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let tenures = Tenure::ALL.iter().map(|t| (t.code().to_string(), t.label().to_string())).collect();
    view! {
        <section class="panel">
            <h2>"登记用房"</h2>
            {move || saved.get().map(|t| view! { <p class="alert alert-ok" role="status" data-testid="room-saved">{t}</p> })}
            <form class="form-grid wide-grid" data-testid="room-form" on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                server.set(None);
                if input().parse(today).is_ok() {
                    send.dispatch(input());
                }
            } novalidate>
                <Choice id="room_use" label="用房类别" value=room_use options=uses() error=err("room_use") />
                <TextField id="room-name" label="用房名称或位置" value=name error=err("name") />
                <TextField id="room-area" label="建筑面积(平方米)" value=area error=err("area") />
                <Choice id="tenure" label="产权方式" value=tenure options=tenures error=err("tenure") />
                <TextField id="room-floor" label="所在楼层" value=floor error=err("floor") hint="地下一层填 -1" />
                <TextField id="since" label="启用日期" kind="date" value=since error=err("since") />
                <Check id="room-entrance" label="有独立出入口" value=own_entrance />
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["room_use", "name", "area", "tenure", "floor", "since"]))}</p>
                    <button class="btn btn-primary" type="submit">"登记用房"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn RemedyForm(id: i64, current: Current) -> impl IntoView {
    let v: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [kind, room_use, target, funding, due, note] = v;
    let input = move || RemedyInput {
        kind: kind.get(),
        room_use: room_use.get(),
        target_area: target.get(),
        funding: funding.get(),
        due_on: due.get(),
        note: note.get(),
    };
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { input().parse().err().unwrap_or_default() } else { vec![] },
        server: server.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &RemedyInput| {
        let body = body.clone();
        async move {
            api::send::<_, CommunityRooms>("POST", &format!("/api/facilities/communities/{id}/remedies"), &body).await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(rooms)) => {
            saved.set(true);
            v.iter().for_each(|s| s.set(String::new()));
            tried.set(false);
            current.set(Some(Ok(rooms)));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let kinds = RemedyKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())).collect();
    view! {
        <section class="panel">
            <h2>"登记补齐措施"</h2>
            {move || saved.get().then(|| view! { <p class="alert alert-ok" role="status">"已登记补齐措施。"</p> })}
            <form class="form-grid wide-grid" data-testid="remedy-form" on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                server.set(None);
                if input().parse().is_ok() {
                    send.dispatch(input());
                }
            } novalidate>
                <Choice id="remedy-kind" label="补齐方式" value=kind options=kinds error=err("kind") />
                <Choice id="remedy-use" label="用房类别" value=room_use options=uses() error=err("room_use") />
                <TextField id="target_area" label="拟补齐面积(平方米)" value=target error=err("target_area") />
                <TextField id="funding" label="安排资金(元)" value=funding error=err("funding") />
                <TextField id="due_on" label="计划完成日期" kind="date" value=due error=err("due_on") />
                <TextField id="remedy-note" label="说明(可不填)" value=note error=err("note") />
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["kind", "room_use", "target_area", "funding", "due_on", "note"]))}</p>
                    <button class="btn btn-primary" type="submit">"登记补齐措施"</button>
                </div>
            </form>
        </section>
    }
}
