//! 购买服务事项清单: public. A department records the services it contracts
//! instead of pushing the work into communities, and their acceptance.

use gongzhi_api::{ApiError, PurchaseView};
use gongzhi_domain::funding::fen_label;
use gongzhi_domain::purchase::{AcceptanceInput, PurchaseInput};
use leptos::prelude::*;

use crate::components::form::{Area, FormErrors, TextField};
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::session::use_session;

#[component]
pub fn PurchasesPage() -> impl IntoView {
    let applicant = move || use_session().info().is_some_and(|i| i.account.role == "department_applicant");
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        async move { api::get::<Vec<PurchaseView>>("/api/purchases").await }
    });
    let accepting = RwSignal::new(None::<i64>);
    view! {
        <section class="panel">
            <h1>"购买服务事项清单"</h1>
            <p class="lead">"不适合通过准入方式进入社区、符合政府购买服务政策的工作事项,列入本清单,委托有相应业务能力的社会力量承接。"</p>
            {move || list.get().map(|r| match r {
                Ok(items) => {
                    let rows = items.iter().map(|p| {
                        let id = p.id;
                        let own_open = p.own && p.status == "contracted";
                        let sub = match &p.source_file_no {
                            Some(f) => format!("{} · 转自 {f}", p.department_name),
                            None => p.department_name.clone(),
                        };
                        let (service, kind, status) = (p.service.clone(), match p.status.as_str() { "accepted" => "ok", "rejected" => "off", _ => "none" }, p.status_label.clone());
                        let note = p.acceptance_note.clone().unwrap_or_default();
                        vec![
                            Cell::View(view! { <div class="item-cell"><span>{service}</span><small>{sub}</small></div> }.into_any()),
                            p.organisation.clone().into(),
                            Cell::Mono(format!("{} 元", fen_label(p.amount_fen))),
                            Cell::View(view! { <div class="item-cell"><span class="mono">{p.starts_on.to_string()}</span><small class="mono">{format!("至 {}", p.ends_on)}</small></div> }.into_any()),
                            Cell::Text(p.deliverables.join("、")),
                            Cell::View(view! {
                                <div class="item-cell">
                                    <span class=format!("badge badge-{kind}")>{status}</span>
                                    <small>{note}</small>
                                    {own_open.then(|| view! { <button class="btn btn-small" on:click=move |_| accepting.set(Some(id))>"验收"</button> })}
                                </div>
                            }.into_any()),
                        ]
                    }).collect();
                    view! { <DataTable testid="purchases" rows headers=&["服务事项", "承接的社会组织", "合同金额", "服务期", "服务成果", "状态"] empty="清单暂无事项。" /> }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
            {move || accepting.get().map(|id| view! { <Acceptance id reload accepting /> })}
        </section>
        {move || applicant().then(|| view! { <NewPurchase reload /> })}
    }
}

#[component]
fn NewPurchase(reload: RwSignal<u32>) -> impl IntoView {
    let values: [RwSignal<String>; 7] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [service, organisation, amount, starts_on, ends_on, deliverables, source] = values;
    // The department's own files that were not admitted: they may be routed here.
    let department = use_session().info().and_then(|i| i.account.department_name);
    let files = LocalResource::new(|| async {
        api::get::<Vec<gongzhi_api::AdmissionSummary>>("/api/admission/applications?per_page=500")
            .await
            .unwrap_or_default()
    });
    let routable = Memo::new(move |_| {
        files
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|f| Some(&f.department_name) == department.as_ref())
            .filter(|f| matches!(f.status.as_str(), "not_admitted" | "withdrawn" | "returned"))
            .map(|f| (f.id, format!("{} {}({})", f.file_no, f.item_name, f.status_label)))
            .collect::<Vec<_>>()
    });
    // Arriving from a file's "转入购买服务清单": that file, and its name as the service.
    let query = leptos_router::hooks::use_query_map();
    if let Some(from) = query.read_untracked().get("from") {
        source.set(from);
    }
    if let Some(name) = query.read_untracked().get("service") {
        service.set(name);
    }
    let input = move || PurchaseInput {
        service: service.get(),
        organisation: organisation.get(),
        amount: amount.get(),
        starts_on: starts_on.get(),
        ends_on: ends_on.get(),
        deliverables: deliverables.get(),
        source_application: source.get(),
    };
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { input().parse().err().unwrap_or_default() } else { vec![] },
        server: server.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let create = Action::new_local(move |body: &PurchaseInput| {
        let body = body.clone();
        async move { api::send::<_, PurchaseView>("POST", "/api/purchases", &body).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            values.iter().for_each(|v| v.set(String::new()));
            tried.set(false);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <section class="panel">
            <h2>"登记购买服务事项"</h2>
            <form class="form-grid wide-grid" on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                server.set(None);
                if input().parse().is_ok() {
                    create.dispatch(input());
                }
            } novalidate>
                <TextField id="service" label="服务事项" value=service error=err("service") />
                <TextField id="organisation" label="承接的社会组织" value=organisation error=err("organisation") />
                <TextField id="purchase-amount" label="合同金额(元)" value=amount error=err("amount") />
                <TextField id="starts_on" label="服务开始日期" kind="date" value=starts_on error=err("starts_on") />
                <TextField id="ends_on" label="服务结束日期" kind="date" value=ends_on error=err("ends_on") />
                <div class="field">
                    <label for="source_application">"转自本部门的准入申请(可不选)"</label>
                    <select id="source_application" prop:value=move || source.get() on:change=move |ev| source.set(event_target_value(&ev))>
                        <option value="">"不转自准入申请"</option>
                        {move || routable.get().into_iter().map(|(id, label)| view! { <option value=id.to_string()>{label}</option> }).collect_view()}
                    </select>
                    <p class="hint">"不适合准入、符合政府购买服务政策的事项"</p>
                    <p class="field-error" role="alert">{move || err("source_application").get()}</p>
                </div>
                <Area id="deliverables" label="服务成果(每行一项)" value=deliverables error=err("deliverables") rows=3 />
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["service", "organisation", "amount", "starts_on", "ends_on", "deliverables", "source_application"]))}</p>
                    <button class="btn btn-primary" type="submit">"登记"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn Acceptance(id: i64, reload: RwSignal<u32>, accepting: RwSignal<Option<i64>>) -> impl IntoView {
    let result = RwSignal::new("accepted".to_string());
    let on = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let server = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |body: &AcceptanceInput| {
        let body = body.clone();
        async move { api::send::<_, PurchaseView>("POST", &format!("/api/purchases/{id}/acceptance"), &body).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            accepting.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let errors = Memo::new(move |_| FormErrors { local: vec![], server: server.get() });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    view! {
        <fieldset class="step">
            <legend>"服务成果验收"</legend>
            <div class="choice-row">
                <label class="choice"><input type="radio" name="result" checked on:change=move |_| result.set("accepted".into()) />"验收合格"</label>
                <label class="choice"><input type="radio" name="result" on:change=move |_| result.set("rejected".into()) />"验收不合格"</label>
            </div>
            <TextField id="accepted_on" label="验收日期" kind="date" value=on error=err("accepted_on") />
            <TextField id="acceptance-note" label="验收意见" value=note error=err("note") />
            <button class="btn btn-primary" on:click=move |_| { send.dispatch(AcceptanceInput { result: result.get(), accepted_on: on.get(), note: note.get() }); }>"提交验收"</button>
            <p class="form-error" role="alert">{move || server.get().map(|e| e.message)}</p>
        </fieldset>
    }
}
