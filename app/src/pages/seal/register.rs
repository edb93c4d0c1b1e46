//! 用印登记簿: every use of the community's seal, filtered, verified, exported.

use gongzhi_api::{ChainReport, RegisterPage};
use gongzhi_domain::time::{parse_utc, shanghai_datetime};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

#[component]
pub fn SealRegisterPage() -> impl IntoView {
    let matter = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let entries = LocalResource::new(move || {
        let q = applied.get();
        async move { api::get::<RegisterPage>(&format!("/api/seal/register?{q}")).await }
    });
    let verify = Action::new_local(|_: &()| async { api::get::<ChainReport>("/api/seal/register/verify").await });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(api::query_string(&[("matter", matter.get()), ("from", from.get()), ("to", to.get())]));
    };
    view! {
        <RequireMenu slug="seal">
            <p class="breadcrumb"><A href="/seal">"社区印章"</A>" / 用印登记簿"</p>
            <section class="panel">
                <div class="panel-head">
                    <h1>"用印登记簿"</h1>
                    <div class="actions">
                        <button class="btn" on:click=move |_| { verify.dispatch(()); }>"校验完整性"</button>
                        <a class="btn" href=move || format!("/api/seal/register/export?{}", applied.get()) download="seal-register.xlsx">"导出 Excel"</a>
                    </div>
                </div>
                <p class="lead">"每次用印自动登记,任何人不能修改或删除;登记有误时由社区负责人追加更正记录。"</p>
                {move || verify.value().get().map(|r| match r {
                    Ok(report) => {
                        let class = if report.intact { "alert alert-ok" } else { "alert alert-error" };
                        view! { <div class=class role="status" data-testid="register-verify">{report.message}</div> }.into_any()
                    }
                    Err(e) => view! { <div class="alert alert-error" role="alert">{e.message}</div> }.into_any(),
                })}
                <form class="filters" on:submit=apply>
                    <div class="field">
                        <label for="r-matter">"证明事项"</label>
                        <input id="r-matter" prop:value=move || matter.get() on:input=move |ev| matter.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="r-from">"起始日期"</label>
                        <input id="r-from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="r-to">"截止日期"</label>
                        <input id="r-to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                    </div>
                    <div class="field field-button"><button class="btn btn-primary" type="submit">"查询"</button></div>
                </form>
                {move || entries.get().map(|r| match r {
                        Ok(page) => {
                            let rows = page.entries.into_iter().rev().map(|e| {
                                let at = parse_utc(&e.at).map(shanghai_datetime).unwrap_or(e.at.clone());
                                let kind = match e.corrects_seq {
                                    Some(seq) => Cell::Badge("warn", format!("更正第 {seq} 条")),
                                    None => Cell::Badge("ok", "用印".into()),
                                };
                                vec![
                                    Cell::Mono(e.register_no),
                                    Cell::Mono(at),
                                    e.matter.into(),
                                    e.copies.to_string().into(),
                                    e.applicant.into(),
                                    e.approver.into(),
                                    e.handler.into(),
                                    kind,
                                    e.note.into(),
                                ]
                            }).collect();
                            view! {
                                <DataTable testid="seal-register" rows empty="尚无用印记录。"
                                    headers=&["登记编号", "用印时间", "证明事项", "份数", "申请人", "批准人", "经办人", "类型", "备注"] />
                            }.into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                    }).unwrap_or_else(loading)}
            </section>
        </RequireMenu>
    }
}
