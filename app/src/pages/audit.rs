//! 审计日志 (audit administrator): filter, page, verify the chain, export.

use gongzhi_api::{AuditPage, ChainReport};
use gongzhi_domain::audit::{action_label, outcome_label, AuditArea};
use gongzhi_domain::time::{parse_utc, shanghai_datetime};
use gongzhi_domain::Role;
use leptos::prelude::*;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

const PER_PAGE: u32 = 50;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <RequireMenu slug="audit">
            <AuditBody />
        </RequireMenu>
    }
}

#[component]
fn AuditBody() -> impl IntoView {
    let actor = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let object = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    // The query the table shows; changed by "查询", not on every keystroke.
    let applied = RwSignal::new(String::new());
    let query = move || {
        api::query_string(&[
            ("actor", actor.get()),
            // One action when chosen, else its whole area.
            ("action", Some(action.get()).filter(|a| !a.is_empty()).unwrap_or_else(|| area.get())),
            ("outcome", outcome.get()),
            ("object", object.get()),
            ("from", from.get()),
            ("to", to.get()),
        ])
    };
    let entries = LocalResource::new(move || {
        let q = applied.get();
        let p = page.get();
        async move { api::get::<AuditPage>(&format!("/api/audit?{q}&page={p}&per_page={PER_PAGE}")).await }
    });
    let verify = Action::new_local(|_: &()| async { api::get::<ChainReport>("/api/audit/verify").await });

    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"审计日志"</h1>
                <div class="actions">
                    <button class="btn" on:click=move |_| { verify.dispatch(()); }>"校验完整性"</button>
                    <a class="btn" href=move || format!("/api/audit/export?{}", applied.get()) download="audit-log.csv">"导出 CSV"</a>
                    <a class="btn" href="/api/audit/checkpoint" download title="签名的检查点(各链条数与末条哈希),请保存在服务器以外">"导出检查点"</a>
                </div>
            </div>
            {move || verify.value().get().map(|r| match r {
                Ok(report) => {
                    let class = if report.intact { "alert alert-ok" } else { "alert alert-error" };
                    view! { <div class=class role="status" data-testid="verify-result">{report.message}</div> }.into_any()
                }
                Err(e) => view! { <div class="alert alert-error" role="alert">{e.message}</div> }.into_any(),
            })}
            <form class="filters" on:submit=move |ev| { ev.prevent_default(); page.set(1); applied.set(query()); }>
                <div class="field">
                    <label for="f-actor">"账号"</label>
                    <input id="f-actor" prop:value=move || actor.get() on:input=move |ev| actor.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="f-area">"操作类别"</label>
                    <select id="f-area" on:change=move |ev| { area.set(event_target_value(&ev)); action.set(String::new()); }>
                        <option value="">"全部"</option>
                        {AuditArea::ALL.iter().map(|a| view! { <option value=a.code()>{a.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-action">"操作"</label>
                    <select id="f-action" prop:value=move || action.get() on:change=move |ev| action.set(event_target_value(&ev))>
                        <option value="">"该类别全部"</option>
                        {move || AuditArea::from_code(&area.get()).map(|a| a.actions().map(|x| view! { <option value=x.code()>{x.label()}</option> }).collect_view())}
                    </select>
                </div>
                <div class="field">
                    <label for="f-outcome">"结果"</label>
                    <select id="f-outcome" on:change=move |ev| outcome.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        <option value="success">"成功"</option>
                        <option value="failure">"失败"</option>
                        <option value="denied">"拒绝"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="f-object">"对象"</label>
                    <input id="f-object" placeholder="如 account:12" prop:value=move || object.get()
                        on:input=move |ev| object.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="f-from">"起始日期"</label>
                    <input id="f-from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="f-to">"截止日期"</label>
                    <input id="f-to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                </div>
                <div class="field field-button"><button class="btn btn-primary" type="submit">"查询"</button></div>
            </form>
            {move || entries.get().map(|r| match r {
                    Ok(p) => view! { <AuditTable page=p current=page /> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
        </section>
    }
}

#[component]
fn AuditTable(page: AuditPage, current: RwSignal<u32>) -> impl IntoView {
    let pages = (page.total as u32).div_ceil(PER_PAGE).max(1);
    let summary = format!("共 {} 条,第 {} / {} 页(时间为北京时间)", page.total, current.get_untracked(), pages);
    let rows = page
        .entries
        .into_iter()
        .map(|e| {
            let at = parse_utc(&e.at).map(shanghai_datetime).unwrap_or(e.at.clone());
            let role = e.role.as_deref().and_then(Role::from_code).map(Role::label).unwrap_or("—");
            let outcome: &'static str = match e.outcome.as_str() {
                "success" => "success",
                "failure" => "failure",
                _ => "denied",
            };
            vec![
                e.seq.to_string().into(),
                Cell::Mono(at),
                e.actor.unwrap_or_else(|| "—".into()).into(),
                role.into(),
                action_label(&e.action).into(),
                e.object.into(),
                Cell::Badge(outcome, outcome_label(&e.outcome).into()),
                e.client_addr.into(),
            ]
        })
        .collect::<Vec<Vec<Cell>>>();
    view! {
        <p class="hint">{summary}</p>
        <DataTable testid="audit-table" headers=&["序号", "时间", "账号", "角色", "操作", "对象", "结果", "客户端地址"] rows />
        <div class="pager">
            <button class="btn btn-small" disabled=move || { current.get() <= 1 } on:click=move |_| current.update(|p| *p -= 1)>"上一页"</button>
            <button class="btn btn-small" disabled=move || { current.get() >= pages } on:click=move |_| current.update(|p| *p += 1)>"下一页"</button>
        </div>
    }
}
