//! 《xx市职能部门工作进入城市社区准入审批表》 as a form.
//!
//! Every keystroke is parsed by the domain crate — the same parser the API
//! runs — so the messages under the fields are the API's messages. A new
//! application is kept as a draft in the browser's storage (with its
//! idempotency key), so a reload or a lost connection loses nothing and a
//! retried submit cannot create a second file.

use gloo_storage::{LocalStorage, Storage};
use gongzhi_api::{AdmissionFile, AdmissionMeta, ApiError, NewAdmission, PaperAdmission};
use gongzhi_domain::admission::application::{
    AdmissionPath, ExemptGround, FundingPeriod, APPLICATION_FIELDS, FIELD_BASIS_DOC_NO,
};
use gongzhi_domain::admission::clock::parse_accepted_on;
use gongzhi_domain::admission::{AdmissionApplicationInput, ParseContext};
use gongzhi_domain::{Field, FieldErrorKind};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde::{Deserialize, Serialize};

use crate::components::confirm::ConfirmButton;
use crate::components::form::{Area, FormErrors, TextField};
use crate::services::api;

/// The text fields of the form, in [`APPLICATION_FIELDS`] order minus the
/// community list.
const N: usize = 21;

fn to_array(i: &AdmissionApplicationInput) -> [String; N] {
    [
        i.path.clone(),
        i.exempt_ground.clone(),
        i.basis_doc_no.clone(),
        i.applicant_unit.clone(),
        i.contact_name.clone(),
        i.contact_phone.clone(),
        i.item_name.clone(),
        i.item_content.clone(),
        i.basis.clone(),
        i.community_scope.clone(),
        i.start_date.clone(),
        i.duration_months.clone(),
        i.workload_hours.clone(),
        i.funding_per_community.clone(),
        i.funding_period.clone(),
        i.no_cost_reason.clone(),
        i.trainer_name.clone(),
        i.trainer_phone.clone(),
        i.ledgers.clone(),
        i.plaques.clone(),
        i.bodies.clone(),
    ]
}

fn from_array(a: [String; N], communities: Vec<String>) -> AdmissionApplicationInput {
    let [path, exempt_ground, basis_doc_no, applicant_unit, contact_name, contact_phone, item_name, item_content, basis, community_scope, start_date, duration_months, workload_hours, funding_per_community, funding_period, no_cost_reason, trainer_name, trainer_phone, ledgers, plaques, bodies] =
        a;
    AdmissionApplicationInput {
        path,
        exempt_ground,
        basis_doc_no,
        applicant_unit,
        contact_name,
        contact_phone,
        item_name,
        item_content,
        basis,
        community_scope,
        communities,
        start_date,
        duration_months,
        workload_hours,
        funding_per_community,
        funding_period,
        no_cost_reason,
        trainer_name,
        trainer_phone,
        ledgers,
        plaques,
        bodies,
    }
}

/// What the browser keeps between visits.
#[derive(Clone, Default, Serialize, Deserialize)]
struct Draft {
    form: AdmissionApplicationInput,
    idempotency_key: String,
    department: String,
    accepted_on: String,
}

const DRAFT_KEY: &str = "gongzhi.admission.draft";
const PAPER_DRAFT_KEY: &str = "gongzhi.admission.paper-draft";

/// What the form is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    /// A department applicant's new application (draft kept locally).
    New,
    /// A reviewer registering a paper application.
    Paper,
    /// The applicant completing a returned application.
    Resubmit(i64),
}

const FIELD_DEPARTMENT: Field = Field::new("department", "申请部门");

#[component]
pub fn ApplicationForm(
    meta: AdmissionMeta,
    mode: FormMode,
    /// The form to start from (a returned application).
    #[prop(optional)]
    initial: Option<AdmissionApplicationInput>,
) -> impl IntoView {
    let storage_key = match mode {
        FormMode::New => Some(DRAFT_KEY),
        FormMode::Paper => Some(PAPER_DRAFT_KEY),
        FormMode::Resubmit(_) => None,
    };
    let draft: Draft = storage_key.and_then(|k| LocalStorage::get(k).ok()).unwrap_or_default();
    let restored = storage_key.is_some() && draft.form != AdmissionApplicationInput::default();
    let start = initial.unwrap_or_else(|| {
        if restored {
            draft.form.clone()
        } else {
            AdmissionApplicationInput {
                path: "approval".into(),
                community_scope: "all".into(),
                funding_period: "quarter".into(),
                ..Default::default()
            }
        }
    });
    let values: [RwSignal<String>; N] = to_array(&start).map(RwSignal::new);
    let communities = RwSignal::new(start.communities.clone());
    let department = RwSignal::new(draft.department.clone());
    let accepted_on = RwSignal::new(draft.accepted_on.clone());
    let key =
        StoredValue::new(if draft.idempotency_key.is_empty() { api::new_key() } else { draft.idempotency_key.clone() });
    let input = move || from_array(values.map(|v| v.get()), communities.get());

    let meta = StoredValue::new(meta);
    let parsed = Memo::new(move |_| {
        let form = input();
        meta.with_value(|m| {
            let exists = |code: &str| m.communities.iter().any(|c| c.code == code);
            form.parse(&ParseContext { today: m.today, community_exists: &exists })
        })
    });
    // The paper form's own two fields.
    let paper_errors = Memo::new(move |_| {
        if mode != FormMode::Paper {
            return vec![];
        }
        let mut errors = vec![];
        if department.get().trim().is_empty() {
            errors.push(FIELD_DEPARTMENT.error(FieldErrorKind::Required));
        }
        if let Err(e) = meta.with_value(|m| parse_accepted_on(&accepted_on.get(), m.today)) {
            errors.push(e);
        }
        errors
    });
    // Keep the draft on every change.
    Effect::new(move |_| {
        let form = input();
        if let Some(k) = storage_key {
            let d = Draft {
                form,
                idempotency_key: key.get_value(),
                department: department.get(),
                accepted_on: accepted_on.get(),
            };
            let _ = LocalStorage::set(k, &d);
        }
    });

    let tried = RwSignal::new(false);
    let server_error = RwSignal::new(None::<ApiError>);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() {
            let mut all = paper_errors.get();
            all.extend(parsed.get().err().unwrap_or_default());
            all
        } else {
            vec![]
        },
        server: server_error.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let flags = Memo::new(move |_| {
        parsed
            .get()
            .ok()
            .map(|a| meta.with_value(|m| m.negative_list.matches(&a.searchable_text())))
            .unwrap_or_default()
    });

    let navigate = use_navigate();
    let submit = Action::new_local(move |(): &()| {
        let form = input();
        let key = key.get_value();
        let (department, accepted_on) = (department.get_untracked(), accepted_on.get_untracked());
        async move {
            match mode {
                FormMode::New => {
                    api::send::<_, AdmissionFile>(
                        "POST",
                        "/api/admission/applications",
                        &NewAdmission { form, idempotency_key: key },
                    )
                    .await
                }
                FormMode::Paper => {
                    let body = PaperAdmission { form, department, accepted_on, idempotency_key: key };
                    api::send::<_, AdmissionFile>("POST", "/api/admission/paper", &body).await
                }
                FormMode::Resubmit(id) => {
                    api::send::<_, AdmissionFile>("POST", &format!("/api/admission/applications/{id}/resubmit"), &form)
                        .await
                }
            }
        }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(file)) => {
            if let Some(k) = storage_key {
                LocalStorage::delete(k);
            }
            navigate(&format!("/admission/{}", file.summary.id), Default::default());
        }
        Some(Err(e)) => server_error.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        server_error.set(None);
        if parsed.get().is_ok() && paper_errors.get().is_empty() {
            submit.dispatch(());
        } else if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            // Take the eye to the first problem.
            if let Ok(Some(el)) = doc.query_selector("[aria-invalid=\"true\"], .field-error:not(:empty)") {
                el.scroll_into_view();
            }
        }
    };
    let discard = move |()| {
        if let Some(k) = storage_key {
            LocalStorage::delete(k);
        }
        values.iter().zip(to_array(&AdmissionApplicationInput::default())).for_each(|(s, v)| s.set(v));
        values[0].set("approval".into());
        values[9].set("all".into());
        communities.set(vec![]);
        key.set_value(api::new_key());
        tried.set(false);
    };

    let [path, exempt_ground, basis_doc_no, applicant_unit, contact_name, contact_phone, item_name, item_content, basis, scope, start_date, duration, workload, funding, period, no_cost, trainer_name, trainer_phone, ledgers, plaques, bodies] =
        values;
    let exempt = move || path.get() == AdmissionPath::Exempt.code();
    let zero_funding = move || {
        let f = funding.get();
        let t = f.trim();
        !t.is_empty() && t.trim_start_matches(['0', '.', '¥', '￥']).is_empty()
    };
    let field_names: Vec<&'static str> =
        APPLICATION_FIELDS.iter().map(|f| f.name).chain(["department", "accepted_on"]).collect();
    let general = move || errors.with(|e| e.general(&field_names));
    let title = match mode {
        FormMode::New => "新建准入申请",
        FormMode::Paper => "登记纸质申请",
        FormMode::Resubmit(_) => "补正后重新提交",
    };

    view! {
        <section class="panel" aria-labelledby="admission-form-title">
            <div class="panel-head">
                <h1 id="admission-form-title">{title}</h1>
                {storage_key.map(|_| view! {
                    <div class="actions">
                        <span class="hint" data-testid="draft-note">{if restored { "已恢复本机保存的草稿;填写内容自动保存在本机" } else { "填写内容自动保存在本机,刷新或断网不会丢失" }}</span>
                        <ConfirmButton label="清空草稿" question="清空后本机保存的草稿和已填写的内容都会删除,不能恢复。".to_string()
                            confirm="确认清空" on_confirm=Callback::new(move |_| discard(())) />
                    </div>
                })}
            </div>
            <p class="lead">"《职能部门工作进入城市社区准入审批表》。审批结果原则上在受理后 15 个工作日内反馈;法律、法规、规章或上级党委、政府明确规定必须进入社区的事项,选择“免审备案”并填写依据文件文号。"</p>
            <form class="admission-form" on:submit=on_submit novalidate>
                {(mode == FormMode::Paper).then(|| view! {
                    <fieldset class="form-section">
                        <legend>"纸质申请"</legend>
                        <div class="form-grid">
                            <div class="field">
                                <label for="department">"申请部门"</label>
                                <select id="department" prop:value=move || department.get() on:change=move |ev| department.set(event_target_value(&ev))
                                    aria-invalid=move || err("department").get().is_some().to_string()>
                                    <option value="">"请选择"</option>
                                    {meta.with_value(|m| m.departments.iter().map(|(c, n)| view! { <option value=c.clone()>{n.clone()}</option> }).collect_view())}
                                </select>
                                <p class="field-error" role="alert">{move || err("department").get()}</p>
                            </div>
                            <TextField id="accepted_on" label="受理日期" kind="date" value=accepted_on error=err("accepted_on") hint="纸质申请的实际受理日期,不得晚于今天" />
                        </div>
                    </fieldset>
                })}
                <fieldset class="form-section">
                    <legend>"准入方式"</legend>
                    <div class="choice-row" role="radiogroup" aria-label="准入方式">
                        {AdmissionPath::ALL.iter().map(|p| {
                            let code = p.code();
                            view! {
                                <label class="choice">
                                    <input type="radio" name="path" value=code prop:checked=move || path.get() == code
                                        on:change=move |_| path.set(code.into()) />
                                    {p.label()}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    {move || exempt().then(|| view! {
                        <div class="form-grid">
                            <div class="field">
                                <label for="exempt_ground">"免审依据类型"</label>
                                <select id="exempt_ground" prop:value=move || exempt_ground.get() on:change=move |ev| exempt_ground.set(event_target_value(&ev))>
                                    <option value="">"请选择"</option>
                                    {ExemptGround::ALL.iter().map(|g| view! { <option value=g.code()>{g.label()}</option> }).collect_view()}
                                </select>
                                <p class="field-error" role="alert">{move || err("exempt_ground").get()}</p>
                            </div>
                            <TextField id="basis_doc_no" label=FIELD_BASIS_DOC_NO.label value=basis_doc_no error=err("basis_doc_no") hint="如:国办发〔2025〕12号" />
                        </div>
                    })}
                </fieldset>
                <fieldset class="form-section">
                    <legend>"申请单位"</legend>
                    <div class="form-grid">
                        <TextField id="applicant_unit" label="申请单位" value=applicant_unit error=err("applicant_unit") />
                        <TextField id="contact_name" label="联系人" value=contact_name error=err("contact_name") />
                        <TextField id="contact_phone" label="联系电话" kind="tel" value=contact_phone error=err("contact_phone") />
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>"工作事项"</legend>
                    <div class="form-grid">
                        <TextField id="item_name" label="事项名称" value=item_name error=err("item_name") />
                        <Area id="item_content" label="事项内容" value=item_content error=err("item_content") rows=4 />
                        <Area id="basis" label="法律或政策依据" value=basis error=err("basis") rows=2 />
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>"实施范围与期限"</legend>
                    <div class="choice-row" role="radiogroup" aria-label="实施范围">
                        <label class="choice"><input type="radio" name="scope" prop:checked=move || scope.get() == "all" on:change=move |_| scope.set("all".into()) />"全部社区"</label>
                        <label class="choice"><input type="radio" name="scope" prop:checked=move || scope.get() == "list" on:change=move |_| scope.set("list".into()) />"指定社区"</label>
                    </div>
                    {move || (scope.get() == "list").then(|| view! {
                        <div class="community-picks" role="group" aria-label="实施社区">
                            {meta.with_value(|m| m.communities.iter().map(|c| {
                                let code = c.code.clone();
                                let code2 = code.clone();
                                view! {
                                    <label class="choice">
                                        <input type="checkbox" value=code.clone() prop:checked=move || communities.with(|cs| cs.contains(&code))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                communities.update(|cs| { cs.retain(|x| x != &code2); if on { cs.push(code2.clone()); } });
                                            } />
                                        {format!("{} · {}", c.street, c.name)}
                                    </label>
                                }
                            }).collect_view())}
                        </div>
                    })}
                    <p class="field-error" role="alert">{move || err("communities").get()}</p>
                    <div class="form-grid">
                        <TextField id="start_date" label="开始日期" kind="date" value=start_date error=err("start_date") />
                        <TextField id="duration_months" label="实施期限(月)" kind="number" value=duration error=err("duration_months") />
                        <TextField id="workload_hours" label="每个社区每月预计工作量(小时)" kind="number" value=workload error=err("workload_hours") />
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>"经费与培训(费随事转)"</legend>
                    <div class="form-grid">
                        <TextField id="funding_per_community" label="每个社区配套经费(元)" value=funding error=err("funding_per_community") hint="精确到分;不需社区承担费用的填 0 并说明理由" />
                        {move || (!zero_funding()).then(|| view! {
                            <div class="field">
                                <label for="funding_period">"经费拨付周期"</label>
                                <select id="funding_period" prop:value=move || period.get() on:change=move |ev| period.set(event_target_value(&ev))>
                                    <option value="">"请选择"</option>
                                    {FundingPeriod::ALL.iter().map(|p| view! { <option value=p.code()>{p.label()}</option> }).collect_view()}
                                </select>
                                <p class="field-error" role="alert">{move || err("funding_period").get()}</p>
                            </div>
                        })}
                        {move || zero_funding().then(|| view! {
                            <Area id="no_cost_reason" label="无需社区承担经费的理由" value=no_cost error=err("no_cost_reason") rows=2 />
                        })}
                        <TextField id="trainer_name" label="指导培训专人" value=trainer_name error=err("trainer_name") />
                        <TextField id="trainer_phone" label="培训专人联系电话" kind="tel" value=trainer_phone error=err("trainer_phone") />
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>"需社区建立的台账、悬挂的牌子、设立的机构(每行一项,没有则不填)"</legend>
                    <div class="form-grid">
                        <Area id="ledgers" label="台账" value=ledgers error=err("ledgers") rows=2 />
                        <Area id="plaques" label="牌子" value=plaques error=err("plaques") rows=2 />
                        <Area id="bodies" label="机构" value=bodies error=err("bodies") rows=2 />
                    </div>
                </fieldset>
                {move || {
                    let f = flags.get();
                    (!f.is_empty()).then(|| view! {
                        <div class="alert alert-warn" role="status" data-testid="negative-flags">
                            <strong>"提示:该事项可能属于社区工作负面清单"</strong>
                            <ul class="reasons">{f.into_iter().map(|m| view! { <li>{format!("{}(匹配:{})", m.title, m.matched.join("、"))}</li> }).collect_view()}</ul>
                            <p>"审核人将重点审查。确属必要的,请在事项内容中说明理由。"</p>
                        </div>
                    })
                }}
                <div class="form-actions">
                    {move || {
                        let n = errors.with(|e| e.local.len());
                        (n > 0).then(|| view! { <p class="form-error" role="alert">{format!("还有 {n} 处需要修改,请查看标红的栏目。")}</p> })
                    }}
                    <p class="form-error" role="alert" data-testid="form-error">{general}</p>
                    <button class="btn btn-primary btn-large" type="submit" disabled=move || submit.pending().get()>
                        {match mode { FormMode::Paper => "登记并受理", FormMode::Resubmit(_) => "重新提交", FormMode::New => "提交申请" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
