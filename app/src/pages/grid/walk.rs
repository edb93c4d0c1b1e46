//! 网格走访: the grid member's walk — the map of the grid, the visits due
//! (overdue first), recording a visit and reporting an event. Works offline:
//! the map and list come from the last copy kept on the tablet, and what is
//! recorded waits in the outbox until the server confirms it.

use gongzhi_api::{DueVisitView, EventCategoryView, GridMap as GridMapData, NearbyEvent, NewEvent, NewVisit};
use gongzhi_domain::grid::event::EventReportInput;
use gongzhi_domain::grid::visits::{VisitInput, VisitOutcome};
use gongzhi_domain::DomainError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsCast;

use super::map::GridMap;
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::api;
use crate::services::api::new_key;
use crate::services::fixed::fixed;
use crate::services::outbox::{now, use_outbox, Item, Kind};
use crate::services::store::get_kept;

#[component]
pub fn GridWalkPage() -> impl IntoView {
    view! {
        <RequireMenu slug="grid">
            <WalkBody />
        </RequireMenu>
    }
}

/// What the side panel shows.
#[derive(Clone, Debug, PartialEq)]
enum Panel {
    Due,
    Visit { household: i64 },
    Event,
}

#[component]
fn WalkBody() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let outbox = use_outbox();
    let refresh = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        refresh.get();
        let id = id();
        async move { get_kept::<GridMapData>(&format!("/api/grids/{id}/map")).await }
    });
    // After the outbox empties, fetch the map again: the server now counts the visits.
    let last_waiting = StoredValue::new(outbox.waiting());
    Effect::new(move |_| {
        let now = outbox.items.with(|i| i.iter().filter(|x| x.refused.is_none()).count());
        if now < last_waiting.get_value() && outbox.stalled.get_untracked().is_none() {
            refresh.update(|r| *r += 1);
        }
        last_waiting.set_value(now);
    });
    let here = watch_position();
    view! {
        {move || data.get().map(|r| match r {
            Ok((map, kept)) => view! { <Walk map kept here /> }.into_any(),
            Err(e) => view! {
                <section class="panel">
                    <h1>"网格走访"</h1>
                    <p class="form-error" role="alert">{e.message}</p>
                    <p><A href="/grid">"返回网格列表"</A></p>
                </section>
            }.into_any(),
        }).unwrap_or_else(loading)}
    }
}

/// The device's position from the browser's geolocation, while the page is open.
fn watch_position() -> Signal<Option<(f64, f64)>> {
    let here = RwSignal::new(None::<(f64, f64)>);
    if let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) {
        let ok = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Position)>::new(move |p: web_sys::Position| {
            let c = p.coords();
            here.set(Some((c.longitude(), c.latitude())));
        });
        let options = web_sys::PositionOptions::new();
        options.set_enable_high_accuracy(true);
        if let Ok(watch) =
            geo.watch_position_with_error_callback_and_options(ok.as_ref().unchecked_ref(), None, &options)
        {
            on_cleanup(move || {
                if let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) {
                    geo.clear_watch(watch);
                }
            });
        }
        ok.forget();
    }
    here.into()
}

#[component]
fn Walk(map: GridMapData, kept: bool, here: Signal<Option<(f64, f64)>>) -> impl IntoView {
    let outbox = use_outbox();
    let selected = RwSignal::new(None::<i64>);
    let panel = RwSignal::new(Panel::Due);
    let picking = RwSignal::new(false);
    let picked = RwSignal::new(None::<(f64, f64)>);
    let pending = Signal::derive(move || {
        outbox
            .items
            .with(|i| i.iter().filter(|x| x.kind == Kind::Visit).filter_map(|x| x.household_id).collect::<Vec<_>>())
    });
    // Tapping a household on the map opens its visit form.
    Effect::new(move |_| {
        if let Some(h) = selected.get() {
            panel.set(Panel::Visit { household: h });
        }
    });
    let grid = map.grid.clone();
    let due = StoredValue::new(map.due.clone());
    let households = StoredValue::new(map.households.clone());
    let overdue = map.due.iter().filter(|d| d.state == "overdue").count();
    let flag_class = match grid.size_flag.as_str() {
        "standard" => "badge badge-ok",
        _ => "badge badge-warn",
    };
    view! {
        <section class="walk">
            <header class="walk-head">
                <div>
                    <p class="breadcrumb"><A href="/grid">"网格"</A>" / "{grid.community_name.clone()}</p>
                    <h1>{grid.name.clone()}</h1>
                </div>
                <div class="walk-facts">
                    <span class="stat-chip">{grid.households}" 户"</span>
                    <span class=flag_class>{grid.size_flag_label.clone()}</span>
                    <span class="stat-chip">"特殊群体 "{grid.special_residents}" 人"</span>
                    <span class="stat-chip stat-chip-alert">"逾期走访 "{overdue}</span>
                </div>
            </header>
            {kept.then(|| view! {
                <p class="alert alert-warn" role="status" data-testid="offline-copy">"当前离线:显示的是本机保存的网格数据,记录的走访和事件会在联网后自动同步。"</p>
            })}
            <div class="walk-body">
                <GridMap
                    boundary=map.boundary.clone()
                    neighbours=map.neighbours.clone()
                    households=map.households.clone()
                    events=map.open_events.clone()
                    pending
                    selected
                    here
                    picking
                    picked
                />
                <div class="walk-panel">
                    <div class="tabs" role="tablist">
                        <button role="tab" class="tab" aria-selected=move || (panel.get() == Panel::Due).to_string()
                            on:click=move |_| { selected.set(None); panel.set(Panel::Due); }>"应访名单"</button>
                        <button role="tab" class="tab" aria-selected=move || matches!(panel.get(), Panel::Visit { .. }).to_string()
                            disabled=move || selected.get().is_none()
                            on:click=move |_| { if let Some(h) = selected.get() { panel.set(Panel::Visit { household: h }); } }>"记录走访"</button>
                        <button role="tab" class="tab" aria-selected=move || (panel.get() == Panel::Event).to_string()
                            on:click=move |_| panel.set(Panel::Event)>"上报事件"</button>
                    </div>
                    {move || match panel.get() {
                        Panel::Due => view! { <DueList due=due.get_value() pending selected /> }.into_any(),
                        Panel::Visit { household } => {
                            let hh = households.with_value(|h| h.iter().find(|x| x.id == household).cloned());
                            let people: Vec<DueVisitView> = due.with_value(|d| d.iter().filter(|x| x.household_id == household).cloned().collect());
                            match hh {
                                Some(hh) => view! {
                                    <VisitForm household=hh.id address=hh.address.clone() people
                                        on_done=move || { selected.set(None); panel.set(Panel::Due); } />
                                }.into_any(),
                                None => ().into_any(),
                            }
                        }
                        Panel::Event => view! { <EventForm here picking picked /> }.into_any(),
                    }}
                </div>
            </div>
        </section>
    }
}

#[component]
fn DueList(due: Vec<DueVisitView>, pending: Signal<Vec<i64>>, selected: RwSignal<Option<i64>>) -> impl IntoView {
    if due.is_empty() {
        return view! { <p class="empty">"本网格没有需要定期走访的特殊群体居民。"</p> }.into_any();
    }
    let shown = due.len().min(200);
    view! {
        <p class="hint">"按紧迫程度排列:逾期在前。点一行开始记录走访。"</p>
        <ul class="due-list" data-testid="due-list">
            {due.into_iter().take(shown).map(|d| {
                let household = d.household_id;
                let badge = match d.state.as_str() {
                    "overdue" => "badge badge-danger",
                    "due_soon" => "badge badge-warn",
                    _ => "badge badge-ok",
                };
                view! {
                    <li>
                        <button class="due-row" on:click=move |_| selected.set(Some(household))>
                            <span class="due-who">
                                <strong>{d.resident_name.clone()}</strong>
                                <small>{d.group_label.clone()}" · "{d.rule_label.clone()}</small>
                            </span>
                            <span class="due-where">{d.address.clone()}</span>
                            <span class="due-when">
                                <span class=badge>{d.state_label.clone()}</span>
                                {move || pending.with(|p| p.contains(&household)).then(|| view! { <span class="badge badge-sync">"待同步"</span> })}
                            </span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn VisitForm(
    household: i64,
    address: String,
    people: Vec<DueVisitView>,
    on_done: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let outbox = use_outbox();
    let resident = RwSignal::new(people.first().map(|p| p.resident_id.to_string()).unwrap_or_default());
    let outcome = RwSignal::new(String::new());
    let needs = RwSignal::new(String::new());
    let follow_up = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<gongzhi_domain::FieldError>::new());
    let err = move |f: &'static str| move || errors.with(|e| e.iter().find(|x| x.field == f).map(|x| x.message()));
    let key = StoredValue::new(new_key());
    let summary_address = address.clone();
    let people_names: Vec<(i64, String)> =
        people.iter().map(|p| (p.resident_id, format!("{}({})", p.resident_name, p.group_label))).collect();
    let names = StoredValue::new(people_names.clone());
    let save = move |_| {
        let at = now();
        let input = VisitInput {
            household_id: household,
            resident_id: resident.get_untracked().parse().ok(),
            outcome: outcome.get_untracked(),
            needs: needs.get_untracked(),
            follow_up: follow_up.get_untracked(),
            visited_at: at.to_rfc3339(),
        };
        match input.parse(at) {
            Err(e) => errors.set(e),
            Ok(v) => {
                let who = input
                    .resident_id
                    .and_then(|r| names.with_value(|n| n.iter().find(|(id, _)| *id == r).map(|(_, s)| s.clone())))
                    .unwrap_or_else(|| "整户".into());
                let summary = format!("{} {} · {}", summary_address, who, v.outcome.label());
                let body = NewVisit { idempotency_key: key.get_value(), visit: input };
                let mut item = Item::new(Kind::Visit, key.get_value(), &body, summary, at);
                item.household_id = Some(household);
                outbox.push(item);
                key.set_value(new_key());
                on_done();
            }
        }
    };
    view! {
        <form class="walk-form" data-testid="visit-form" on:submit=move |ev| { ev.prevent_default(); save(()); }>
            <h2>"记录走访"</h2>
            <p class="walk-address">{address}</p>
            {(!people_names.is_empty()).then(|| view! {
                <div class="field">
                    <label for="visit-resident">"走访对象"</label>
                    <select id="visit-resident" class="big-select" on:change=move |ev| resident.set(event_target_value(&ev))>
                        {people_names.iter().map(|(id, n)| view! { <option value=id.to_string()>{n.clone()}</option> }).collect_view()}
                        <option value="">"整户(不针对特定居民)"</option>
                    </select>
                </div>
            })}
            <fieldset class="field big-choices">
                <legend>"走访结果"</legend>
                {VisitOutcome::ALL.into_iter().map(|o| view! {
                    <label class="big-choice" class:chosen=move || outcome.get() == o.code()>
                        <input type="radio" name="outcome" value=o.code() on:change=move |_| outcome.set(o.code().into()) />
                        {o.label()}
                    </label>
                }).collect_view()}
                <p class="field-error" role="alert">{err("outcome")}</p>
            </fieldset>
            <div class="field">
                <label for="visit-needs">"发现的需求"</label>
                <textarea id="visit-needs" rows="3" placeholder="如:需要代购药品、申请临时救助" prop:value=move || needs.get() on:input=move |ev| needs.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert">{err("needs")}</p>
            </div>
            <div class="field">
                <label for="visit-follow">"后续跟进"</label>
                <textarea id="visit-follow" rows="2" placeholder="如:下周再次上门、转社区救助专干" prop:value=move || follow_up.get() on:input=move |ev| follow_up.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert">{err("follow_up")}</p>
            </div>
            <p class="field-error" role="alert">{err("visited_at")}</p>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-large">"保存走访"</button>
                <button type="button" class="btn btn-light btn-large" on:click=move |_| on_done()>"取消"</button>
            </div>
            <p class="hint">"保存后先存在本机,联网时自动上传;不会重复记录。"</p>
        </form>
    }
}

#[component]
fn EventForm(
    here: Signal<Option<(f64, f64)>>,
    picking: RwSignal<bool>,
    picked: RwSignal<Option<(f64, f64)>>,
) -> impl IntoView {
    let outbox = use_outbox();
    let categories =
        LocalResource::new(|| async { get_kept::<Vec<EventCategoryView>>("/api/events/categories").await });
    let category = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<gongzhi_domain::FieldError>::new());
    let err = move |f: &'static str| move || errors.with(|e| e.iter().find(|x| x.field == f).map(|x| x.message()));
    let nearby = RwSignal::new(None::<Vec<NearbyEvent>>);
    let saved = RwSignal::new(false);
    let key = StoredValue::new(new_key());
    let use_gps = move |_| {
        if let Some(p) = here.get_untracked() {
            picked.set(Some(p));
        }
    };
    let input = move |at: chrono::DateTime<chrono::Utc>| {
        let pos = picked.get_untracked();
        EventReportInput {
            category: category.get_untracked(),
            description: description.get_untracked(),
            lon: pos.map(|p| p.0),
            lat: pos.map(|p| p.1),
            reported_at: at.to_rfc3339(),
        }
    };
    // The report that passed the checks, waiting for the duplicate check.
    let checked = StoredValue::new(None::<(EventReportInput, chrono::DateTime<chrono::Utc>)>);
    let enqueue = move || {
        let Some((input, at)) = checked.get_value() else { return };
        let cat_label = categories
            .get()
            .and_then(|r| r.ok())
            .and_then(|(c, _)| c.into_iter().find(|c| c.code == input.category).map(|c| c.label))
            .unwrap_or_default();
        let summary = format!("{cat_label}:{}", input.description.trim());
        let body = NewEvent { idempotency_key: key.get_value(), report: input };
        outbox.push(Item::new(Kind::Event, key.get_value(), &body, summary, at));
        key.set_value(new_key());
        checked.set_value(None);
        description.set(String::new());
        picked.set(None);
        nearby.set(None);
        saved.set(true);
    };
    let check = Action::new_local(move |input: &EventReportInput| {
        let q = api::query_string(&[
            // Six decimals (about 0.1 m) without core's float formatter.
            ("lon", input.lon.map(|v| fixed(v, 6)).unwrap_or_default()),
            ("lat", input.lat.map(|v| fixed(v, 6)).unwrap_or_default()),
            ("category", input.category.clone()),
        ]);
        async move { api::get::<Vec<NearbyEvent>>(&format!("/api/events/nearby?{q}")).await }
    });
    Effect::new(move |_| match check.value().get() {
        Some(Ok(list)) if !list.is_empty() => nearby.set(Some(list)),
        // Nothing near, or no network to ask: report it; the server looks
        // again when it arrives.
        Some(_) => enqueue(),
        None => {}
    });
    let submit = move |_| {
        saved.set(false);
        let at = now();
        let i = input(at);
        match i.parse(gongzhi_domain::grid::config(), at) {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(vec![]);
                checked.set_value(Some((i.clone(), at)));
                check.dispatch(i);
            }
        }
    };
    view! {
        <form class="walk-form" data-testid="event-form" on:submit=move |ev| { ev.prevent_default(); submit(()); }>
            <h2>"上报事件"</h2>
            {move || saved.get().then(|| view! { <p class="alert alert-ok" role="status">"事件已保存,联网时自动上报。"</p> })}
            {move || nearby.get().map(|list| view! {
                <div class="alert alert-warn" role="alertdialog" data-testid="possible-duplicates">
                    <p><strong>"附近 50 米内已有同类未结事件,可能是同一件事:"</strong></p>
                    <ul>{list.into_iter().map(|n| view! {
                        <li><A href=format!("/events/{}", n.id)>{format!("#{} {}", n.id, n.description)}</A>
                            {format!("({} 米,{},{})", fixed(n.distance_m, 0), n.status_label, n.reported_at)}</li>
                    }).collect_view()}</ul>
                    <div class="form-actions">
                        <button type="button" class="btn btn-primary" on:click=move |_| enqueue()>"仍然上报"</button>
                        <button type="button" class="btn btn-light" on:click=move |_| nearby.set(None)>"不上报"</button>
                    </div>
                </div>
            })}
            <div class="field">
                <label for="event-category">"事件分类"</label>
                <select id="event-category" class="big-select" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">"请选择"</option>
                    {move || categories.get().and_then(|r| r.ok()).map(|(list, _)| list.into_iter().map(|c| view! {
                        <option value=c.code.clone() selected=move || category.get() == c.code>{format!("{}(责任部门:{})", c.label, c.department_name)}</option>
                    }).collect_view())}
                </select>
                <p class="field-error" role="alert">{err("category")}</p>
            </div>
            <div class="field">
                <label for="event-description">"事件描述"</label>
                <textarea id="event-description" rows="3" placeholder="时间、地点、情况,如:3 栋东侧绿化带堆放建筑垃圾"
                    prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert">{err("description")}</p>
            </div>
            <div class="field">
                <span class="label">"事件位置"</span>
                <div class="choice-row">
                    <button type="button" class="btn btn-light btn-large" disabled=move || here.get().is_none() on:click=use_gps>"使用当前位置"</button>
                    <button type="button" class="btn btn-light btn-large" class:active=move || picking.get() on:click=move |_| picking.set(true)>"在地图上点选"</button>
                </div>
                <p class="hint" data-testid="event-position">{move || match (picking.get(), picked.get()) {
                    (true, _) => "请在左侧地图上点一下事件所在位置。".to_string(),
                    (_, Some((lon, lat))) => format!("已选位置:东经 {},北纬 {}", fixed(lon, 5), fixed(lat, 5)),
                    _ => "尚未选择位置。".to_string(),
                }}</p>
                <p class="field-error" role="alert">{err("lon")}{err("lat")}</p>
            </div>
            <p class="field-error" role="alert">{err("reported_at")}</p>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-large">"保存并上报"</button>
            </div>
        </form>
    }
}
