//! One certificate request: its facts, the next step for the signed-in role,
//! and the printable certificate (已盖章) or refusal letter (不予出具).

use gongzhi_api::{NoteRequest, SealRequestView};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::guard::RequireMenu;
use crate::services::api;
use crate::services::session::use_session;

#[component]
pub fn SealRequestPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let current = RwSignal::new(None::<Result<SealRequestView, gongzhi_api::ApiError>>);
    Effect::new(move |_| {
        let id = id();
        leptos::task::spawn_local(
            async move { current.set(Some(api::get(&format!("/api/seal/requests/{id}")).await)) },
        );
    });
    view! {
        <RequireMenu slug="seal">
            <p class="breadcrumb no-print"><A href="/seal">"社区印章"</A>" / 证明申请"</p>
            {move || match current.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(r)) => view! { <RequestDetail request=r current /> }.into_any(),
            }}
        </RequireMenu>
    }
}

#[component]
fn RequestDetail(
    request: SealRequestView,
    current: RwSignal<Option<Result<SealRequestView, gongzhi_api::ApiError>>>,
) -> impl IntoView {
    let session = use_session();
    let role = session.info().map(|i| i.account.role).unwrap_or_default();
    let id = request.id;
    let act = Action::new_local(move |(step, note): &(&'static str, Option<String>)| {
        let path = format!("/api/seal/requests/{id}/{step}");
        let body = note.clone().map(|note| NoteRequest { note });
        async move { api::send::<_, SealRequestView>("POST", &path, &body.unwrap_or_default()).await }
    });
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match act.value().get() {
        Some(Ok(updated)) => {
            error.set(None);
            current.set(Some(Ok(updated)));
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let note = RwSignal::new(String::new());
    // A matter outside the catalogue: each judgement carries its reason.
    let reason = RwSignal::new(String::new());
    let uncatalogued = request.uncatalogued;
    let status = request.status.clone();
    let worker = role == "grid_member";
    let leader = role == "community_leader";
    let step = match (status.as_str(), worker, leader) {
        ("submitted", true, _) => Some(("review", "审核通过,报社区负责人批准")),
        ("reviewed", _, true) => Some(("approve", "批准用印")),
        ("approved", true, _) => Some(("stamp", "盖章并登记")),
        _ => None,
    };
    let can_refuse = matches!(status.as_str(), "submitted" | "reviewed" | "approved") && (worker || leader);
    let badge = format!("badge badge-{}", super::status_badge(&status));
    let r = request.clone();

    view! {
        <section class="panel no-print">
            <div class="panel-head">
                <h1>{format!("{} · {}", r.matter_name, r.resident_name)}</h1>
                {uncatalogued.then(|| view! { <span class="badge badge-warn" data-testid="uncatalogued">"目录外事项"</span> })}
                <span class=badge data-testid="seal-status">{r.status_label.clone()}</span>
            </div>
            <dl class="facts">
                <dt>"申请单位"</dt><dd>{format!("{}({})", r.requester_name, r.requester_kind_label)}</dd>
                <dt>"居民"</dt><dd>{format!("{} {}", r.resident_name, r.resident_id_number)}</dd>
                <dt>"证明用途"</dt><dd>{r.purpose.clone()}</dd>
                <dt>"依据"</dt>
                <dd>{if r.basis_article.is_empty() { "(未提供具体条款)".to_string() } else { format!("《{}》{}:{}", r.basis_law, r.basis_article, r.basis_text) }}</dd>
                <dt>"证明内容"</dt><dd>{r.content.clone()}</dd>
                <dt>"份数"</dt><dd>{r.copies}</dd>
                <dt>"登记人"</dt><dd>{r.created_by.clone()}</dd>
                <dt>"审核人"</dt><dd>{r.reviewed_by.clone().unwrap_or_else(|| "—".into())}</dd>
                {r.review_note.clone().map(|n| view! { <dt>"审核理由"</dt><dd data-testid="review-note">{n}</dd> })}
                <dt>"批准人"</dt><dd>{r.approved_by.clone().unwrap_or_else(|| "—".into())}</dd>
                {r.approve_note.clone().map(|n| view! { <dt>"批准理由"</dt><dd data-testid="approve-note">{n}</dd> })}
                {(uncatalogued && r.requester_own_duty).then(|| view! { <dt>"经办人判断"</dt><dd>"属于申请单位自身职责"</dd> })}
                <dt>"登记编号"</dt><dd data-testid="register-no">{r.register_no.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"证明事项目录版本"</dt><dd data-testid="catalog-version">{if r.catalog_version.is_empty() { "—".to_string() } else { r.catalog_version.clone() }}</dd>
            </dl>
            {(!r.refusal_reasons.is_empty() || r.refusal_note.is_some()).then(|| view! {
                <div class="alert alert-error" data-testid="refusal-reasons">
                    <strong>"不予出具的理由"</strong>
                    <ul class="reasons">
                        {r.refusal_reasons.iter().map(|p| view! { <li data-code=p.code.clone()>{p.message.clone()}</li> }).collect_view()}
                        {r.refusal_note.clone().map(|n| view! { <li>{n}</li> })}
                    </ul>
                </div>
            })}
            <p class="form-error" role="alert">{move || error.get()}</p>
            {(uncatalogued && matches!(step, Some(("review" | "approve", _)))).then(|| view! {
                <div class="field field-wide">
                    <label for="judgement-note">"判断理由(目录外事项必填)"</label>
                    <textarea id="judgement-note" rows="2" prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    <p class="hint">"写明所引条款为何要求社区出具,以及核实了哪些情况。"</p>
                </div>
            })}
            <div class="actions">
                {step.map(|(step, label)| view! {
                    <button class="btn btn-primary" on:click=move |_| {
                        if step == "stamp" {
                            act.dispatch((step, None));
                            return;
                        }
                        // The domain's rule, as the API applies it.
                        match gongzhi_domain::seal::judgement_note(uncatalogued, &reason.get()) {
                            Ok(n) => { act.dispatch((step, n)); }
                            Err(e) => error.set(Some(gongzhi_domain::DomainError::message(&e))),
                        }
                    }>{label}</button>
                })}
                {matches!(status.as_str(), "stamped" | "refused").then(|| view! {
                    <button class="btn" on:click=|_| { let _ = web_sys::window().map(|w| w.print()); }>
                        {if status == "stamped" { "打印证明" } else { "打印不予出具告知书" }}
                    </button>
                })}
            </div>
            {can_refuse.then(|| view! {
                <div class="refuse-box">
                    <label for="refuse-note">"不予出具的理由"</label>
                    <input id="refuse-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                    <button class="btn btn-small" on:click=move |_| { act.dispatch(("refuse", Some(note.get()))); }>"不予出具"</button>
                </div>
            })}
        </section>
        <PrintedDocument request />
    }
}

/// The A4 document: a certificate carrying its register number, or a
/// refusal letter that cites every reason. Shown as a preview on screen.
#[component]
fn PrintedDocument(request: SealRequestView) -> impl IntoView {
    let r = request;
    // The civil date in Beijing, not the UTC date of the stored instant.
    let date = r.decided_at.as_deref().map(super::beijing_date).unwrap_or_default();
    match r.status.as_str() {
        "stamped" => view! {
            <article class="print-doc" data-testid="certificate">
                <p class="doc-no">{format!("登记编号:{}", r.register_no.clone().unwrap_or_default())}</p>
                <h2 class="doc-title">"证　明"</h2>
                <p class="doc-to">{format!("{}:", r.requester_name)}</p>
                <p class="doc-body">{r.content.clone()}</p>
                <p class="doc-body">{format!("本证明依据《{}》{}出具,仅用于{}。", r.basis_law, r.basis_article, r.purpose)}</p>
                <div class="doc-sign">
                    <p>{format!("{}居民委员会", r.community_name)}</p>
                    <p>{date}</p>
                    <span class="seal-mark" aria-label="印章位置">"(盖章)"</span>
                </div>
            </article>
        }
        .into_any(),
        "refused" => view! {
            <article class="print-doc" data-testid="refusal-letter">
                <h2 class="doc-title">"不予出具证明告知书"</h2>
                <p class="doc-to">{format!("{}:", r.requester_name)}</p>
                <p class="doc-body">{format!(
                    "你单位要求本社区为居民{}出具“{}”(用途:{})。经审核,本社区不予出具,理由如下:",
                    r.resident_name, r.matter_name, r.purpose
                )}</p>
                <ol class="doc-reasons">
                    {r.refusal_reasons.iter().map(|p| view! { <li>{p.message.clone()}</li> }).collect_view()}
                    {r.refusal_note.clone().map(|n| view! { <li>{n}</li> })}
                </ol>
                <p class="doc-body">"依据《关于进一步健全和完善城市社区治理体系建设的工作方案》,各职能部门、企事业单位、社会组织等依法依规要求社区出具证明的,须提供所依据的法律、法规、规章等具体条款内容;相关职责范围内的证明事项,不得要求社区出具证明。"</p>
                <div class="doc-sign">
                    <p>{format!("{}居民委员会", r.community_name)}</p>
                    <p>{date}</p>
                </div>
            </article>
        }
        .into_any(),
        _ => ().into_any(),
    }
}
