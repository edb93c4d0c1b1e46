//! The next steps on a file, each with its small form. Only the steps the
//! server says the caller may take now (`allowed`) are shown; the inputs are
//! parsed by the domain crate before sending, with the API's messages.

use gongzhi_api::{AdmissionFile, AdmissionMeta, ApiError, ConsultRequest, ReasonRequest, SolicitRequest};
use gongzhi_domain::admission::clock::ExtensionInput;
use gongzhi_domain::admission::steps::{
    DecisionInput, GuideInput, OpinionInput, SolicitedInput, Stance, TrainingInput, FIELD_OPINION_DEPARTMENT,
    FIELD_RETURN_REASON, FIELD_SOLICIT_SCOPE, FIELD_WITHDRAW_REASON,
};
use gongzhi_domain::admission::AdmissionAction as A;
use gongzhi_domain::{FieldError, FieldErrorKind};
use leptos::prelude::*;
use leptos_router::components::A as Link;
use serde::Serialize;

use super::file::Current;
use crate::components::form::{Area, FormErrors, TextField};
use crate::services::api;

/// Every body a step may send.
#[derive(Clone, Serialize)]
#[serde(untagged)]
enum Body {
    Empty {},
    Reason(ReasonRequest),
    Consult(ConsultRequest),
    Opinion(OpinionInput),
    Solicit(SolicitRequest),
    Solicited(SolicitedInput),
    Decision(DecisionInput),
    Extension(ExtensionInput),
    Guide(GuideInput),
    Training(TrainingInput),
}

type Step = (String, Body);

/// Sends steps and puts the file the server answers in `current`.
fn step_action(id: i64, current: Current, server: RwSignal<Option<ApiError>>) -> Action<Step, ()> {
    Action::new_local(move |(step, body): &Step| {
        let path = format!("/api/admission/applications/{id}/{step}");
        let body = body.clone();
        async move {
            match api::send::<_, AdmissionFile>("POST", &path, &body).await {
                Ok(f) => {
                    server.set(None);
                    current.set(Some(Ok(f)));
                }
                Err(e) => server.set(Some(e)),
            }
        }
    })
}

#[component]
pub fn Actions(file: AdmissionFile, current: Current, meta: AdmissionMeta) -> impl IntoView {
    let id = file.summary.id;
    let allowed = file.allowed.clone();
    let server = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(Vec::<FieldError>::new());
    let act = step_action(id, current, server);
    let errors = Memo::new(move |_| FormErrors { local: local.get(), server: server.get() });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    // Send `body` if the domain parse found nothing wrong.
    let send = move |step: &'static str, problems: Vec<FieldError>, body: Body| {
        server.set(None);
        let ok = problems.is_empty();
        local.set(problems);
        if ok {
            act.dispatch((step.to_string(), body));
        }
    };
    let has = |a: A| allowed.contains(&a);
    let admitted_own = file.own_department && matches!(file.summary.status.as_str(), "approved" | "registered");
    let routable = file.own_department && matches!(file.summary.status.as_str(), "not_admitted" | "withdrawn");
    let nothing = allowed.is_empty() && !admitted_own && !routable;
    // The server's today: dates are checked as the API checks them.
    let today = meta.today;
    let accepted_on = file.summary.accepted_on;

    // Inputs shared by the step forms.
    let reason = RwSignal::new(String::new());
    let scope = RwSignal::new("全市各社区党组织书记、居民委员会主任代表".to_string());
    let source = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let stance = RwSignal::new(String::new());
    let opinion_dept = RwSignal::new(String::new());
    let meeting = RwSignal::new(String::new());
    let decided_on = RwSignal::new(today.to_string());
    let note = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let approver = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let departments = meta.departments.clone();
    let applying = file.summary.department_code.clone();
    let pending: Vec<(String, String)> = file
        .consultations
        .iter()
        .filter(|c| c.stance.is_none())
        .map(|c| (c.department_code.clone(), c.department_name.clone()))
        .collect();
    let reviewer_entry = !file.opinion_due_from_caller;

    view! {
        <section class="panel no-print" aria-labelledby="next-steps">
            <h2 id="next-steps">"办理"</h2>
            {nothing.then(|| view! { <p class="hint" data-testid="no-steps">"当前没有需要您办理的步骤。"</p> })}
            <p class="form-error" role="alert" data-testid="step-error">{move || errors.with(|e| e.general(&["reason", "departments", "department", "stance", "text", "scope", "source", "meeting", "decided_on", "note", "days", "approver", "name", "phone", "community", "held_on", "trainer", "attendees", "topic"]))}</p>
            <div class="steps">
                {(has(A::Accept) || has(A::SendToGroup) || has(A::Deliver)).then(|| view! {
                    <div class="step">
                        {has(A::Accept).then(|| view! {
                            <button class="btn btn-primary" on:click=move |_| send("accept", vec![], Body::Empty {})>
                                {if file.summary.path == "exempt" { "受理并备案" } else { "受理(开始计时)" }}
                            </button>
                        })}
                        {has(A::SendToGroup).then(|| view! {
                            <button class="btn btn-primary" on:click=move |_| send("send-to-group", vec![], Body::Empty {})>"报领导小组审定"</button>
                        })}
                        {has(A::Deliver).then(|| view! {
                            <button class="btn btn-primary" on:click=move |_| send("deliver", vec![], Body::Empty {})>"审批结果反馈申请单位"</button>
                        })}
                    </div>
                })}
                {has(A::Consult).then(|| view! {
                    <fieldset class="step">
                        <legend>"商请相关部门"</legend>
                        <div class="community-picks">
                            {departments.into_iter().filter(|(c, _)| *c != applying).map(|(code, name)| {
                                let (c1, c2) = (code.clone(), code.clone());
                                view! {
                                    <label class="choice">
                                        <input type="checkbox" value=code prop:checked=move || chosen.with(|v| v.contains(&c1))
                                            on:change=move |ev| { let on = event_target_checked(&ev); chosen.update(|v| { v.retain(|x| x != &c2); if on { v.push(c2.clone()); } }); } />
                                        {name}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <p class="field-error" role="alert">{move || err("departments").get()}</p>
                        <button class="btn" on:click=move |_| send("consult", vec![], Body::Consult(ConsultRequest { departments: chosen.get() }))>"商请所选部门"</button>
                    </fieldset>
                })}
                {has(A::RecordOpinion).then(|| {
                    let pending = pending.clone();
                    view! {
                        <fieldset class="step" data-testid="opinion-form">
                            <legend>{if reviewer_entry { "录入部门来函意见" } else { "本部门意见" }}</legend>
                            {reviewer_entry.then(|| view! {
                                <div class="field">
                                    <label for="opinion-dept">"提出意见的部门"</label>
                                    <select id="opinion-dept" on:change=move |ev| opinion_dept.set(event_target_value(&ev))>
                                        <option value="">"请选择"</option>
                                        {pending.into_iter().map(|(c, n)| view! { <option value=c>{n}</option> }).collect_view()}
                                    </select>
                                    <p class="field-error" role="alert">{move || err("department").get()}</p>
                                </div>
                            })}
                            <div class="choice-row" role="radiogroup" aria-label="意见类型">
                                {Stance::ALL.iter().map(|s| {
                                    let code = s.code();
                                    view! { <label class="choice"><input type="radio" name="stance" value=code on:change=move |_| stance.set(code.into()) />{s.label()}</label> }
                                }).collect_view()}
                            </div>
                            <p class="field-error" role="alert">{move || err("stance").get()}</p>
                            <Area id="opinion-text" label="意见内容" value=text error=err("text") rows=3 />
                            <button class="btn" on:click=move |_| {
                                let input = OpinionInput { department: opinion_dept.get(), stance: stance.get(), text: text.get() };
                                let mut problems = input.parse().err().unwrap_or_default();
                                if reviewer_entry && input.department.trim().is_empty() {
                                    problems.insert(0, FIELD_OPINION_DEPARTMENT.error(FieldErrorKind::Required));
                                }
                                send("opinions", problems, Body::Opinion(input));
                            }>"提交意见"</button>
                        </fieldset>
                    }
                })}
                {has(A::Solicit).then(|| view! {
                    <fieldset class="step">
                        <legend>"在一定范围内征求意见"</legend>
                        <TextField id="solicit-scope" label="征求意见范围" value=scope error=err("scope") />
                        <button class="btn" on:click=move |_| {
                            let problems = FIELD_SOLICIT_SCOPE.required_text(&scope.get(), 200).err().into_iter().collect();
                            send("solicit", problems, Body::Solicit(SolicitRequest { scope: scope.get() }));
                        }>"开始征求意见"</button>
                    </fieldset>
                })}
                {has(A::RecordSolicited).then(|| view! {
                    <fieldset class="step">
                        <legend>"录入征求到的意见"</legend>
                        <TextField id="solicited-source" label="意见来源" value=source error=err("source") hint="如:幸福社区居委会" />
                        <Area id="solicited-text" label="意见内容" value=text error=err("text") rows=2 />
                        <button class="btn" on:click=move |_| {
                            let input = SolicitedInput { source: source.get(), text: text.get() };
                            let problems = input.parse().err().unwrap_or_default();
                            send("solicited", problems, Body::Solicited(input));
                            source.set(String::new());
                            text.set(String::new());
                        }>"录入"</button>
                    </fieldset>
                })}
                {(has(A::Approve) || has(A::Reject)).then(|| {
                    let decide = move |admit: bool| {
                        let input = DecisionInput { meeting: meeting.get(), decided_on: decided_on.get(), note: note.get() };
                        let problems = input.parse(admit, accepted_on.unwrap_or(today), today).err().unwrap_or_default();
                        send(if admit { "approve" } else { "reject" }, problems, Body::Decision(input));
                    };
                    view! {
                        <fieldset class="step" data-testid="decision-form">
                            <legend>"记录领导小组审定结果"</legend>
                            <div class="form-grid">
                                <TextField id="meeting" label="审定会议" value=meeting error=err("meeting") hint="如:2026 年第 7 次社区治理工作领导小组会议" />
                                <TextField id="decided_on" label="审定日期" kind="date" value=decided_on error=err("decided_on") />
                            </div>
                            <Area id="decision-note" label="审定意见(不予准入须写明理由)" value=note error=err("note") rows=2 />
                            <div class="actions">
                                <button class="btn btn-primary" on:click=move |_| decide(true)>"准予准入"</button>
                                <button class="btn btn-danger" on:click=move |_| decide(false)>"不予准入"</button>
                            </div>
                        </fieldset>
                    }
                })}
                {has(A::Extend).then(|| view! {
                    <fieldset class="step">
                        <legend>"延长办理期限(原则上 15 个工作日,确需延长的须写明理由并经批准,限一次)"</legend>
                        <div class="form-grid">
                            <TextField id="ext-days" label="延长工作日数" kind="number" value=days error=err("days") />
                            <TextField id="ext-approver" label="延期批准人" value=approver error=err("approver") hint="姓名及职务" />
                        </div>
                        <Area id="ext-reason" label="延期理由" value=reason error=err("reason") rows=2 />
                        <button class="btn" on:click=move |_| {
                            let input = ExtensionInput { days: days.get(), reason: reason.get(), approver: approver.get() };
                            let problems = input.parse().err().unwrap_or_default();
                            send("extend", problems, Body::Extension(input));
                        }>"延长期限"</button>
                    </fieldset>
                })}
                {has(A::Return).then(|| view! {
                    <fieldset class="step">
                        <legend>"退回补正"</legend>
                        <Area id="return-reason" label="需补正的内容" value=reason error=err("reason") rows=2 />
                        <button class="btn" on:click=move |_| {
                            let problems = FIELD_RETURN_REASON.required_text(&reason.get(), 500).err().into_iter().collect();
                            send("return", problems, Body::Reason(ReasonRequest { reason: reason.get() }));
                        }>"退回申请单位补正"</button>
                    </fieldset>
                })}
                {has(A::Resubmit).then(|| view! {
                    <div class="step"><Link href=format!("/admission/{id}/edit") attr:class="btn btn-primary">"补正并重新提交"</Link></div>
                })}
                {has(A::Withdraw).then(|| view! {
                    <fieldset class="step">
                        <legend>"撤回申请"</legend>
                        <Area id="withdraw-reason" label="撤回理由" value=reason error=err("reason") rows=2 />
                        <button class="btn btn-danger" on:click=move |_| {
                            let problems = FIELD_WITHDRAW_REASON.required_text(&reason.get(), 500).err().into_iter().collect();
                            send("withdraw", problems, Body::Reason(ReasonRequest { reason: reason.get() }));
                        }>"撤回"</button>
                    </fieldset>
                })}
                {admitted_own.then(|| view! { <AfterAdmission file=file.clone() send err meta=meta.clone() /> })}
                {(file.own_department && matches!(file.summary.status.as_str(), "not_admitted" | "withdrawn")).then(|| {
                    let href = format!("/purchases?from={id}&service={}", String::from(js_sys::encode_uri_component(&file.summary.item_name)));
                    view! {
                        <div class="step">
                            <span>"不适合准入、但符合政府购买服务政策的,可委托有相应能力的社会组织承接。"</span>
                            <Link href=href attr:class="btn">"转入购买服务清单"</Link>
                        </div>
                    }
                })}
            </div>
        </section>
    }
}

/// The applying department names guides and records training held.
#[component]
fn AfterAdmission(
    file: AdmissionFile,
    send: impl Fn(&'static str, Vec<FieldError>, Body) + Copy + Send + Sync + 'static,
    err: impl Fn(&'static str) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
    meta: AdmissionMeta,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let community = RwSignal::new(String::new());
    let held_on = RwSignal::new(String::new());
    let trainer = RwSignal::new(file.guides.first().map(|g| g.name.clone()).unwrap_or_default());
    let attendees = RwSignal::new(String::new());
    let topic = RwSignal::new(String::new());
    let all = file.form.community_scope == "all";
    let listed = file.form.communities.clone();
    let today = meta.today;
    let communities: Vec<_> = meta.communities.into_iter().filter(|c| all || listed.contains(&c.code)).collect();
    let covered: Vec<String> = communities.iter().map(|c| c.code.clone()).collect();
    view! {
        <fieldset class="step">
            <legend>"指定指导培训人员"</legend>
            <div class="form-grid">
                <TextField id="guide-name" label="指导培训人员姓名" value=name error=err("name") />
                <TextField id="guide-phone" label="指导培训人员联系电话" kind="tel" value=phone error=err("phone") />
            </div>
            <button class="btn" on:click=move |_| {
                let input = GuideInput { name: name.get(), phone: phone.get() };
                let problems = input.parse().err().unwrap_or_default();
                send("guides", problems, Body::Guide(input));
            }>"指定"</button>
        </fieldset>
        <fieldset class="step" data-testid="training-form">
            <legend>"登记社区培训"</legend>
            <div class="form-grid">
                <div class="field">
                    <label for="training-community">"培训社区"</label>
                    <select id="training-community" on:change=move |ev| community.set(event_target_value(&ev))>
                        <option value="">"请选择"</option>
                        {communities.into_iter()
                            .map(|c| view! { <option value=c.code.clone()>{format!("{} · {}", c.street, c.name)}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || err("community").get()}</p>
                </div>
                <TextField id="training-date" label="培训日期" kind="date" value=held_on error=err("held_on") />
                <TextField id="training-trainer" label="授课人" value=trainer error=err("trainer") />
                <TextField id="training-attendees" label="参训社区工作者人数" kind="number" value=attendees error=err("attendees") />
            </div>
            <TextField id="training-topic" label="培训内容" value=topic error=err("topic") />
            <button class="btn" on:click=move |_| {
                let input = TrainingInput { community: community.get(), held_on: held_on.get(), trainer: trainer.get(), attendees: attendees.get(), topic: topic.get() };
                let problems = input.parse(today, &|c| covered.iter().any(|x| x == c)).err().unwrap_or_default();
                send("trainings", problems, Body::Training(input));
            }>"登记培训"</button>
        </fieldset>
    }
}
