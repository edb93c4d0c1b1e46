//! One admission file: what was asked, where it stands, who said what, and
//! the next steps the signed-in person may take.

use gongzhi_api::{AdmissionFile, AdmissionMeta, ApiError};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::actions::Actions;
use crate::components::guard::RequireMenu;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

/// The file being shown; steps replace it with the server's answer.
pub type Current = RwSignal<Option<Result<AdmissionFile, ApiError>>>;

#[component]
pub fn AdmissionFilePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let current: Current = RwSignal::new(None);
    Effect::new(move |_| {
        let id = id();
        leptos::task::spawn_local(async move {
            current.set(Some(api::get(&format!("/api/admission/applications/{id}")).await));
        });
    });
    view! {
        <RequireMenu slug="admission">
            <p class="breadcrumb"><A href="/admission">"事项准入"</A>" / 案卷"</p>
            {super::with_meta(move |meta| move || match current.get() {
                None => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(f)) => view! { <FileView file=f current meta=meta.clone() /> }.into_any(),
            })}
        </RequireMenu>
    }
}

/// Green for admitted, red for refused or withdrawn, grey while in progress.
fn status_badge(status: &str) -> &'static str {
    match status {
        "approved" | "registered" => "ok",
        "not_admitted" | "withdrawn" => "off",
        "returned" => "warn",
        _ => "none",
    }
}

/// The provisional note and the corrections of the due date, if any.
#[component]
fn ClockNotes(note: Option<String>, changes: Vec<gongzhi_api::DeadlineChangeView>) -> impl IntoView {
    let changes = (!changes.is_empty()).then(|| {
        let lines = changes
            .iter()
            .map(|c| {
                format!(
                    "{} 年节假日安排导入后,由 {} 更正为 {}{}({})",
                    c.schedule_year,
                    c.old_due,
                    c.new_due,
                    if c.still_provisional { ",仍为暂定" } else { "" },
                    beijing(&c.changed_at)
                )
            })
            .collect::<Vec<_>>()
            .join(";");
        view! { <dt>"截止日期更正"</dt><dd data-testid="deadline-changes">{lines}</dd> }
    });
    view! {
        {note.map(|n| view! { <dt>"暂定"</dt><dd class="alert alert-warn" data-testid="provisional-note">{n}</dd> })}
        {changes}
    }
}

fn beijing(rfc3339: &str) -> String {
    gongzhi_domain::time::parse_utc(rfc3339).map(gongzhi_domain::time::shanghai_datetime).unwrap_or_default()
}

#[component]
fn FileView(file: AdmissionFile, current: Current, meta: AdmissionMeta) -> impl IntoView {
    let s = file.summary.clone();
    let f = file.form.clone();
    let light = super::light_badge(&s.light);
    let scope = if f.community_scope == "all" {
        format!("全部社区(共 {} 个)", file.community_count)
    } else {
        file.community_names.join("、")
    };
    let exempt = (s.path == "exempt").then(|| format!("{}:{}", f.exempt_ground_label(), f.basis_doc_no));
    let consultations = file
        .consultations
        .iter()
        .map(|c| {
            vec![
                c.department_name.clone().into(),
                match &c.stance_label {
                    Some(l) => {
                        Cell::Badge(if c.stance.as_deref() == Some("disagree") { "off" } else { "ok" }, l.clone())
                    }
                    None => Cell::Badge("warn", "待反馈".into()),
                },
                c.text.clone().unwrap_or_default().into(),
                c.answered_by.clone().unwrap_or_default().into(),
            ]
        })
        .collect::<Vec<_>>();
    let solicited = file
        .solicited
        .iter()
        .map(|o| vec![o.source.clone().into(), o.text.clone().into(), o.recorded_by.clone().into()])
        .collect();
    let trainings = file
        .trainings
        .iter()
        .map(|t| {
            vec![
                t.community_name.clone().into(),
                Cell::Mono(t.held_on.to_string()),
                t.trainer.clone().into(),
                t.attendees.to_string().into(),
                t.topic.clone().into(),
            ]
        })
        .collect();
    let id = s.id;
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{format!("{} · {}", s.file_no, s.item_name)}</h1>
                <div class="actions">
                    <span class=format!("badge badge-{}", status_badge(&s.status)) data-testid="admission-status">{s.status_label.clone()}</span>
                    <span class=format!("badge badge-{light}") data-testid="admission-clock">{s.due_label.clone()}</span>
                    <A href=format!("/admission/{id}/print") attr:class="btn btn-small">"打印审批表"</A>
                </div>
            </div>
            {(!file.negative_matches.is_empty()).then(|| view! {
                <div class="alert alert-warn" role="status" data-testid="negative-flags">
                    <strong>"负面清单提示:请重点审查是否属于社区不应承担的事项"</strong>
                    <ul class="reasons">
                        {file.negative_matches.iter().map(|m| view! { <li>{format!("{}(匹配:{})", m.title, m.matched.join("、"))}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            {file.return_reason.clone().filter(|_| s.status == "returned").map(|r| view! {
                <div class="alert alert-warn" role="status">{format!("退回补正:{r}")}</div>
            })}
            <div class="file-grid">
                <dl class="facts">
                    <dt>"申请单位"</dt><dd>{format!("{}({})", f.applicant_unit, s.department_name)}</dd>
                    <dt>"联系人"</dt><dd>{format!("{} {}", f.contact_name, f.contact_phone)}</dd>
                    <dt>"准入方式"</dt><dd>{s.path_label.clone()}{exempt.map(|e| format!(" · {e}"))}</dd>
                    <dt>"事项内容"</dt><dd>{f.item_content.clone()}</dd>
                    <dt>"依据"</dt><dd>{f.basis.clone()}</dd>
                    <dt>"实施范围"</dt><dd>{scope}</dd>
                    <dt>"开始日期及期限"</dt><dd>{format!("{} 起,{} 个月", f.start_date, f.duration_months)}</dd>
                    <dt>"每月工作量"</dt><dd>{format!("每个社区约 {} 小时", f.workload_hours)}</dd>
                    <dt>"配套经费"</dt><dd data-testid="funding">{file.funding_label.clone()}{(!f.no_cost_reason.is_empty()).then(|| format!("(理由:{})", f.no_cost_reason))}</dd>
                    <dt>"指导培训专人"</dt><dd>{format!("{} {}", f.trainer_name, f.trainer_phone)}</dd>
                    <dt>"台账 / 牌子 / 机构"</dt><dd>{format!("{} / {} / {}", super::listed(&f.ledgers), super::listed(&f.plaques), super::listed(&f.bodies))}</dd>
                </dl>
                <dl class="facts clock-box" data-testid="clock-box">
                    <dt>"提交日期"</dt><dd class="mono">{s.submitted_on.to_string()}</dd>
                    <dt>"受理日期"</dt><dd class="mono">{s.accepted_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
                    <dt>"截止日期"</dt><dd class="mono" data-testid="file-due">{s.due.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
                    <dt>"时限"</dt><dd>{s.due_label.clone()}</dd>
                    <ClockNotes note=s.provisional_note.clone() changes=file.deadline_changes.clone() />
                    {file.extension.clone().map(|e| view! {
                        <dt>"延期"</dt><dd data-testid="extension">{format!("延长 {} 个工作日;理由:{};批准人:{}", e.days, e.reason, e.approver)}</dd>
                    })}
                    {file.delivered_at.clone().map(|d| view! { <dt>"结果反馈"</dt><dd>{beijing(&d)}</dd> })}
                </dl>
            </div>
        </section>

        <Actions file=file.clone() current meta />

        <section class="panel">
            <h2>"商请部门意见"</h2>
            <DataTable testid="consultations" rows=consultations headers=&["部门", "意见", "内容", "录入人"] empty="尚未商请部门。" />
            <h2 class="sub">"征求意见"</h2>
            {file.solicit_scope.clone().map(|sc| view! { <p>{format!("征求范围:{sc}")}</p> })}
            <DataTable testid="solicited" rows=solicited headers=&["意见来源", "意见", "录入人"] empty="尚未征求意见。" />
            {file.decision.clone().map(|d| view! {
                <h2 class="sub">"领导小组审定"</h2>
                <p data-testid="decision">{format!("{}({}):{}", d.meeting, d.decided_on, if d.note.is_empty() { s.status_label.clone() } else { d.note.clone() })}</p>
            })}
        </section>

        {(!file.guides.is_empty() || !file.trainings.is_empty() || matches!(s.status.as_str(), "approved" | "registered")).then(|| view! {
            <section class="panel">
                <h2>"指导培训"</h2>
                <p>{if file.guides.is_empty() { "尚未指定指导培训人员。".to_string() } else {
                    format!("指导培训人员:{}", file.guides.iter().map(|g| format!("{} {}", g.name, g.phone)).collect::<Vec<_>>().join(";"))
                }}</p>
                <DataTable testid="trainings" rows=trainings headers=&["社区", "培训日期", "授课人", "参训人数", "内容"] empty="尚无培训记录。" />
            </section>
        })}

        <section class="panel">
            <h2>"办理过程"</h2>
            <ol class="timeline" data-testid="timeline">
                {file.timeline.iter().map(|e| view! {
                    <li>
                        <span class="mono">{beijing(&e.at)}</span>
                        <strong>{e.action_label.clone()}</strong>
                        <span>{e.actor.clone()}</span>
                        {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

trait GroundLabel {
    fn exempt_ground_label(&self) -> &'static str;
}

impl GroundLabel for gongzhi_domain::admission::AdmissionApplicationInput {
    fn exempt_ground_label(&self) -> &'static str {
        gongzhi_domain::admission::ExemptGround::from_code(&self.exempt_ground).map(|g| g.label()).unwrap_or("")
    }
}
