//! The department's side: what it owes each community, recording payments
//! (to one community, or a total split by households) and corrections.

use gongzhi_api::{AdmissionMeta, ApiError, CorrectionRequest, FundingLine, NewPayment, PaymentView, PaymentsRecorded};
use gongzhi_domain::funding::{fen_label, PaymentInput, FIELD_NOTE};
use leptos::prelude::*;

use super::{ledger_rows, LEDGER_HEADERS};
use crate::components::form::{FormErrors, TextField};
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

#[component]
pub fn DepartmentLedger() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let lines = LocalResource::new(move || {
        reload.track();
        async move { api::get::<Vec<FundingLine>>("/api/funding/ledger").await }
    });
    let payments = LocalResource::new(move || {
        reload.track();
        async move { api::get::<Vec<PaymentView>>("/api/funding/payments").await }
    });
    let meta = LocalResource::new(|| async { api::get::<AdmissionMeta>("/api/admission/meta").await });
    // Kept here: the form is drawn again when the ledger reloads.
    let done = RwSignal::new(None::<String>);
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"本部门经费拨付"</h1>
                <div class="actions"><a class="btn" href="/api/funding/ledger/export" download="funding-ledger.xlsx">"导出台账(Excel)"</a></div>
            </div>
            <p class="lead">"准入事项进驻社区后,按经费计划及时足额拨付社区。登记错误的拨付不能修改,须登记更正(冲回)后重新登记。"</p>
            {move || match (lines.get(), meta.get()) {
                (Some(Ok(l)), Some(Ok(m))) => view! { <PaymentForm lines=l.clone() today=m.today reload done /> <DataTable testid="funding-ledger" rows=ledger_rows(&l) headers=LEDGER_HEADERS empty="本部门暂无需拨付经费的准入事项。" /> }.into_any(),
                (Some(Err(e)), _) | (_, Some(Err(e))) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                _ => loading(),
            }}
        </section>
        <section class="panel">
            <h2>"拨付记录"</h2>
            {move || payments.get().map(|r| match r {
                Ok(list) => view! { <Payments list reload /> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </section>
    }
}

#[component]
fn PaymentForm(
    lines: Vec<FundingLine>,
    today: chrono::NaiveDate,
    reload: RwSignal<u32>,
    done: RwSignal<Option<String>>,
) -> impl IntoView {
    let mut items: Vec<(i64, String)> =
        lines.iter().map(|l| (l.application_id, format!("{} {}", l.file_no, l.item_name))).collect();
    items.dedup();
    let lines = StoredValue::new(lines);
    let item = RwSignal::new(items.first().map(|i| i.0.to_string()).unwrap_or_default());
    let community = RwSignal::new(String::new());
    let period = RwSignal::new(String::new());
    let paid_on = RwSignal::new(today.to_string());
    let amount = RwSignal::new(String::new());
    let voucher = RwSignal::new(String::new());
    let key = StoredValue::new(api::new_key());
    let input = move || PaymentInput {
        application_id: item.get(),
        community: community.get(),
        period: period.get(),
        paid_on: paid_on.get(),
        amount: amount.get(),
        voucher_no: voucher.get(),
    };
    // The item's communities and periods, from its ledger lines.
    let of_item = move || {
        let id = item.get().parse::<i64>().unwrap_or_default();
        lines.with_value(|ls| ls.iter().filter(|l| l.application_id == id).cloned().collect::<Vec<_>>())
    };
    let period_count = move || of_item().iter().map(|l| l.period_index).max().unwrap_or(1);
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { input().parse(period_count(), today).err().unwrap_or_default() } else { vec![] },
        server: server.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let submit = Action::new_local(move |body: &NewPayment| {
        let body = body.clone();
        async move { api::send::<_, PaymentsRecorded>("POST", "/api/funding/payments", &body).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(r)) => {
            let total: i64 = r.payments.iter().map(|p| p.amount_fen).sum();
            done.set(Some(format!("已登记 {} 笔拨付,共 {} 元。", r.payments.len(), fen_label(total))));
            key.set_value(api::new_key());
            amount.set(String::new());
            voucher.set(String::new());
            tried.set(false);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        server.set(None);
        done.set(None);
        if input().parse(period_count(), today).is_ok() {
            submit.dispatch(NewPayment { payment: input(), idempotency_key: key.get_value() });
        }
    };
    view! {
        <form class="form-section" on:submit=on_submit novalidate data-testid="payment-form">
            <h2>"登记拨付"</h2>
            <div class="form-grid wide-grid">
                <div class="field">
                    <label for="pay-item">"准入事项"</label>
                    <select id="pay-item" prop:value=move || item.get() on:change=move |ev| { item.set(event_target_value(&ev)); community.set(String::new()); period.set(String::new()); }>
                        {items.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || err("application_id").get()}</p>
                </div>
                <div class="field">
                    <label for="pay-community">"社区"</label>
                    <select id="pay-community" prop:value=move || community.get() on:change=move |ev| community.set(event_target_value(&ev))>
                        <option value="">"全部社区(按户数分配)"</option>
                        {move || {
                            let mut cs: Vec<(String, String)> = of_item().into_iter().map(|l| (l.community_code, format!("{} · {}", l.street_name, l.community_name))).collect();
                            cs.sort();
                            cs.dedup();
                            cs.into_iter().map(|(c, n)| view! { <option value=c>{n}</option> }).collect_view()
                        }}
                    </select>
                    <p class="field-error" role="alert">{move || err("community").get()}</p>
                </div>
                <div class="field">
                    <label for="pay-period">"拨付期次"</label>
                    <select id="pay-period" prop:value=move || period.get() on:change=move |ev| period.set(event_target_value(&ev))>
                        <option value="">"请选择"</option>
                        {move || {
                            let mut ps: Vec<(u32, String)> = of_item().into_iter().map(|l| (l.period_index, l.period_label)).collect();
                            ps.sort();
                            ps.dedup();
                            ps.into_iter().map(|(i, label)| view! { <option value=i.to_string()>{label}</option> }).collect_view()
                        }}
                    </select>
                    <p class="field-error" role="alert">{move || err("period").get()}</p>
                </div>
                <TextField id="paid_on" label="拨付日期" kind="date" value=paid_on error=err("paid_on") />
                <TextField id="amount" label="拨付金额(元)" value=amount error=err("amount") hint="精确到分;选择“全部社区”时为总额,按户数分配到各社区" />
                <TextField id="voucher_no" label="凭证号" value=voucher error=err("voucher_no") />
            </div>
            <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["application_id", "community", "period", "paid_on", "amount", "voucher_no"]))}</p>
            <p class="success" role="status" data-testid="payment-done">{move || done.get()}</p>
            <button class="btn btn-primary" type="submit" disabled=move || submit.pending().get()>"登记拨付"</button>
        </form>
    }
}

#[component]
fn Payments(list: Vec<PaymentView>, reload: RwSignal<u32>) -> impl IntoView {
    let chosen = RwSignal::new(None::<i64>);
    let note = RwSignal::new(String::new());
    let server = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(None::<String>);
    let correct = Action::new_local(move |(id, body): &(i64, CorrectionRequest)| {
        let (path, body) = (format!("/api/funding/payments/{id}/correct"), body.clone());
        async move { api::send::<_, PaymentView>("POST", &path, &body).await }
    });
    Effect::new(move |_| match correct.value().get() {
        Some(Ok(_)) => {
            chosen.set(None);
            note.set(String::new());
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let rows = list
        .iter()
        .map(|p| {
            let id = p.id;
            let action = if p.kind == "payment" && !p.corrected {
                Cell::View(
                    view! { <button class="btn btn-small" on:click=move |_| chosen.set(Some(id))>"更正"</button> }
                        .into_any(),
                )
            } else if p.corrected {
                Cell::Badge("off", "已冲回".into())
            } else {
                Cell::Text(format!("冲回第 {} 号:{}", p.corrects_id.unwrap_or_default(), p.note))
            };
            vec![
                Cell::Mono(p.id.to_string()),
                Cell::Mono(p.paid_on.to_string()),
                p.community_name.clone().into(),
                Cell::Text(format!("第 {} 期", p.period_index)),
                Cell::Mono(format!("{} 元", fen_label(p.amount_fen))),
                Cell::Mono(p.voucher_no.clone()),
                p.recorded_by.clone().into(),
                action,
            ]
        })
        .collect();
    view! {
        <DataTable testid="funding-payments" rows headers=&["编号", "拨付日期", "社区", "期次", "金额", "凭证号", "登记人", ""] empty="尚无拨付记录。" />
        {move || chosen.get().map(|id| view! {
            <div class="refuse-box" data-testid="correction-box">
                <label for="correction-note">{format!("更正第 {id} 号拨付(冲回,原记录保留)· 更正说明")}</label>
                <input id="correction-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                <button class="btn btn-small btn-danger" on:click=move |_| {
                    server.set(None);
                    match FIELD_NOTE.required_text(&note.get(), 500) {
                        Err(e) => local.set(Some(gongzhi_domain::DomainError::message(&e))),
                        Ok(n) => { local.set(None); correct.dispatch((id, CorrectionRequest { note: n, idempotency_key: api::new_key() })); }
                    }
                }>"确认冲回"</button>
                <button class="btn btn-small" on:click=move |_| chosen.set(None)>"取消"</button>
            </div>
        })}
        <p class="form-error" role="alert">{move || local.get().or_else(|| server.get().map(|e| e.message))}</p>
    }
}
