//! Work-item admission (社区工作事项准入): applications, their review by the
//! organisation and civil-affairs departments, the leading group's decision,
//! and the public catalogue of admitted items.
//!
//! - [`files`]: submitting, paper intake, the queue, one file, resubmitting, withdrawing.
//! - [`review`]: every step of the review, each one transition of the domain's state machine.
//! - [`after`]: guides and training after admission, the catalogue, the forms' metadata.
//!
//! Who sees a file: reviewers and the leading-group secretary whose node is
//! at or above the applying department's; the applying department; and the
//! departments consulted on it. Anyone else gets 404.

pub mod after;
pub mod files;
pub mod review;

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::ConflictError;
use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::{NaiveDate, Utc};
use gongzhi_api::{
    AdmissionFile, AdmissionSummary, ConsultationView, DecisionView, GuideView, SolicitedView, TimelineEntry,
    TrainingView,
};
use gongzhi_domain::admission::flow::FILE_READERS;
use gongzhi_domain::admission::steps::Stance;
use gongzhi_domain::admission::{
    actions_for, check, AdmissionAction, AdmissionClock, AdmissionFlowError, AdmissionPath, AdmissionStatus, Extension,
    FileFacts, FundingPeriod, Standing,
};
use gongzhi_domain::money::Money;
use gongzhi_domain::pii::PhoneNumber;
use gongzhi_domain::{CalendarError, DomainError, Field, OrgPath, Reckoned, Role, WorkingDayCalendar};
use sqlx::AnyPool;

use crate::db::WriteTx;

use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::store;
use crate::store::admission::{CommunityRow, Holder, Line, Move, Records};
use crate::store::transition::Outcome;

pub(crate) use crate::store::admission::FileRow;

impl FileRow {
    /// The clock, once accepted (an exempt item has none: it is registered at intake).
    pub fn clock(&self) -> Option<AdmissionClock> {
        if self.path == AdmissionPath::Exempt || self.status == AdmissionStatus::Withdrawn {
            return None;
        }
        self.accepted_on.map(|accepted_on| AdmissionClock {
            accepted_on,
            extension_days: self.extension_days,
            stopped_on: self.decided_on,
        })
    }

    /// `每季度 1,200.50 元` or `不需社区承担经费`.
    pub fn funding_label(&self) -> String {
        match (
            self.funding_fen.and_then(Money::from_fen),
            self.funding_period.as_deref().and_then(FundingPeriod::from_code),
        ) {
            (Some(m), Some(p)) => format!("{} {m} 元", p.label()),
            _ => "不需社区承担经费".into(),
        }
    }

    /// The due date on `calendar`, provisional on the statutory holidays of a
    /// year without a published schedule (`None` without a running clock).
    pub fn due(&self, calendar: &WorkingDayCalendar) -> Option<Result<Reckoned<NaiveDate>, CalendarError>> {
        self.clock().map(|clock| calendar.reckon(|c| clock.due(c)))
    }

    pub fn summary(&self, calendar: &WorkingDayCalendar, today: NaiveDate) -> AdmissionSummary {
        let mut provisional_years = Vec::new();
        let (due, due_state, due_label, light) = match self.clock() {
            None => {
                let label = match self.status {
                    AdmissionStatus::Submitted => "待受理,受理后开始计时",
                    AdmissionStatus::Returned => "退回补正,重新提交并受理后重新计时",
                    AdmissionStatus::Registered => "已备案",
                    _ => self.status.label(),
                };
                (None, None, label.to_string(), "none".to_string())
            }
            // Due and light on one calendar view: a provisional year needed by
            // either is named.
            Some(clock) => match calendar.reckon(|c| Ok((clock.due(c)?, clock.state(c, today)?))) {
                Ok(r) => {
                    let (due, state) = r.value;
                    let label = if r.is_provisional() { format!("{}(暂定)", state.label()) } else { state.label() };
                    provisional_years = r.provisional_years;
                    (Some(due), Some(state), label, state.light().to_string())
                }
                Err(CalendarError::YearUnknown { year }) => {
                    (None, None, format!("{year} 年节假日安排尚未发布,暂无法计算截止日期"), "none".into())
                }
                Err(e) => (None, None, e.message(), "none".into()),
            },
        };
        let provisional_note = gongzhi_domain::calendar::provisional_note(&provisional_years);
        AdmissionSummary {
            id: self.id,
            file_no: self.file_no.clone(),
            item_name: self.item_name.clone(),
            department_code: self.department_code.clone(),
            department_name: self.department_name.clone(),
            path: self.path.code().into(),
            path_label: self.path.label().into(),
            status: self.status.code().into(),
            status_label: self.status.label().into(),
            submitted_on: self.submitted_on,
            accepted_on: self.accepted_on,
            due,
            due_state,
            due_label,
            light,
            provisional_years,
            provisional_note,
            flags: self.negative_matches.len() as u32,
            extended: self.extension_days > 0,
            paper: self.paper,
        }
    }
}

pub(crate) async fn load_row(db: &AnyPool, id: i64) -> Result<Option<FileRow>, AppError> {
    Ok(store::admission::get(&mut *db.acquire().await?, id).await?)
}

/// Every file with a running or stopped clock (for recomputing deadlines
/// when a year's schedule is loaded).
pub(crate) async fn clocked_rows(db: &mut sqlx::AnyConnection) -> Result<Vec<FileRow>, AppError> {
    Ok(store::admission::clocked(db).await?)
}

/// Rows the caller may read. Reviewers and the secretary: their subtree;
/// applicants: their department's files and those it was consulted on.
pub(crate) async fn visible_rows(state: &AppState, user: &CurrentUser) -> Result<Vec<FileRow>, AppError> {
    let holder = if user.role == Role::DepartmentApplicant {
        Holder::Department(user.department_id.unwrap_or(-1))
    } else {
        Holder::Under(user.scope.as_str())
    };
    Ok(store::admission::list(&mut *state.db.acquire().await?, holder).await?)
}

/// Whether the caller's department was consulted on file `id`, and if so
/// whether it has answered.
async fn consultation(db: &AnyPool, id: i64, department_id: Option<i64>) -> Result<Option<bool>, AppError> {
    let Some(dept) = department_id else { return Ok(None) };
    let asked = store::admission::consultation(&mut *db.acquire().await?, id, dept).await?;
    Ok(asked.map(|a| a.stance.is_some()))
}

/// How the caller stands to the file (the rule is the domain's `Standing`).
async fn standing(state: &AppState, user: &CurrentUser, row: &FileRow) -> Result<Standing, AppError> {
    let own_department = user.department_id == Some(row.department_id);
    let consulted = match user.role {
        Role::DepartmentApplicant if !own_department => consultation(&state.db, row.id, user.department_id).await?,
        _ => None,
    };
    Ok(Standing::of(user.role, user.sees(&row.org_path), own_department, consulted))
}

/// The file `id` if the caller may read it; otherwise 404, audited.
pub(crate) async fn scoped_file(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<FileRow, AppError> {
    match load_row(&state.db, id).await? {
        Some(row) if standing(state, user, &row).await?.may_read() => Ok(row),
        _ => Err(user.out_of_scope(state, action, format!("admission:{id}")).await),
    }
}

/// The file as it is now, as `user` may see it: what every step answers.
pub(crate) async fn current_view(state: &AppState, user: &CurrentUser, id: i64) -> Result<AdmissionFile, AppError> {
    let row = load_row(&state.db, id).await?.ok_or_else(|| AppError::internal("file vanished"))?;
    file_view(state, user, row).await
}

/// The file if it is the caller's department's own; 403 for a consulted
/// department, 404 beyond.
pub(crate) async fn own_file(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<FileRow, AppError> {
    let row = scoped_file(state, user, id, action).await?;
    if standing(state, user, &row).await? != Standing::Applicant {
        return Err(gongzhi_domain::auth::AccessError::Forbidden.into());
    }
    Ok(row)
}

/// Consultations of a file: (department id, view).
async fn consultations(db: &AnyPool, id: i64) -> Result<Vec<(i64, ConsultationView)>, AppError> {
    let rows = store::admission::consultations(&mut *db.acquire().await?, id).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let entered_for = r.entered_for != 0;
            (
                r.department_id,
                ConsultationView {
                    department_code: r.code,
                    department_name: r.name,
                    stance_label: r.stance.as_deref().and_then(Stance::from_code).map(|s| s.label().to_string()),
                    stance: r.stance,
                    text: r.text,
                    answered_by: r.answered_by_name.map(|b| if entered_for { format!("{b}(据来函代录)") } else { b }),
                    answered_at: r.answered_at,
                },
            )
        })
        .collect())
}

/// What the state machine needs to know about a file.
pub(crate) async fn facts(db: &AnyPool, row: &FileRow) -> Result<FileFacts, AppError> {
    let consultations = consultations(db, row.id).await?;
    let solicited = store::admission::solicited_count(&mut *db.acquire().await?, row.id).await?;
    Ok(FileFacts {
        status: Some(row.status),
        path: Some(row.path),
        consulted: consultations.len() as u32,
        pending_opinions: consultations
            .iter()
            .filter(|(_, c)| c.stance.is_none())
            .map(|(_, c)| c.department_name.clone())
            .collect(),
        solicited: solicited as u32,
        extended: row.extension_days > 0,
        delivered: row.delivered_at.is_some(),
    })
}

/// A refused step: an action that does not fit the status is a conflict
/// (409); a missing precondition is unprocessable (422).
pub(crate) fn flow_error(e: &AdmissionFlowError) -> AppError {
    let status = match e {
        AdmissionFlowError::TransitionInvalid { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    AppError::domain(status, e)
}

/// Checks `action` on the file as it is now; gives the status after it.
pub(crate) async fn plan(
    state: &AppState,
    row: &FileRow,
    action: AdmissionAction,
) -> Result<AdmissionStatus, AppError> {
    check(&facts(&state.db, row).await?, action).map_err(|e| flow_error(&e))
}

/// The audit action recorded for each step.
fn audit_action(a: AdmissionAction) -> AuditAction {
    match a {
        AdmissionAction::Submit => AuditAction::AdmissionSubmit,
        AdmissionAction::Accept => AuditAction::AdmissionAccept,
        AdmissionAction::Return => AuditAction::AdmissionReturn,
        AdmissionAction::Resubmit => AuditAction::AdmissionResubmit,
        AdmissionAction::Consult => AuditAction::AdmissionConsult,
        AdmissionAction::RecordOpinion => AuditAction::AdmissionOpinion,
        AdmissionAction::Solicit => AuditAction::AdmissionSolicit,
        AdmissionAction::RecordSolicited => AuditAction::AdmissionSolicited,
        AdmissionAction::SendToGroup => AuditAction::AdmissionSendToGroup,
        AdmissionAction::Approve => AuditAction::AdmissionApprove,
        AdmissionAction::Reject => AuditAction::AdmissionReject,
        AdmissionAction::Extend => AuditAction::AdmissionExtend,
        AdmissionAction::Deliver => AuditAction::AdmissionDeliver,
        AdmissionAction::Withdraw => AuditAction::AdmissionWithdraw,
    }
}

/// A step of the review in `tx`: file `id` moved from `from` to `to` if
/// nobody moved it meanwhile (`to` may be `from`: a step that needs the file
/// unchanged), with what the step records, its timeline line and its audit
/// entry ([`store::admission::move_file`]); a concurrent change answers 409
/// `admission_changed` and the caller drops the transaction. The caller commits.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn move_file(
    tx: &mut WriteTx,
    user: &CurrentUser,
    id: i64,
    (from, to): (AdmissionStatus, AdmissionStatus),
    action: AdmissionAction,
    records: Records<'_>,
    note: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let at = Utc::now().to_rfc3339();
    let line = Line { at: &at, actor: &user.display_name, step: action.code(), note };
    let m = Move { id, from, to, records, line, action: audit_action(action), detail };
    match store::admission::move_file(tx, &user.who(), m).await? {
        Outcome::Moved { .. } => Ok(()),
        Outcome::Changed { .. } | Outcome::NotFound => Err(ConflictError::AdmissionChanged.into()),
    }
}

/// Writes a step that moves no status (a submission, a paper intake, a
/// delivery) on the file's timeline and on the audit trail, and commits.
pub(crate) async fn finish_step(
    tx: WriteTx,
    user: &CurrentUser,
    id: i64,
    action: AdmissionAction,
    note: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    record_step(tx, user, id, action.code(), audit_action(action), note, detail).await
}

/// Like [`finish_step`], for what happens after admission (not a step of the review).
pub(crate) async fn finish_step_plain(
    tx: WriteTx,
    user: &CurrentUser,
    id: i64,
    step: &'static str,
    audit_action: AuditAction,
    note: &str,
) -> Result<(), AppError> {
    record_step(tx, user, id, step, audit_action, note, serde_json::json!({ "note": note })).await
}

async fn record_step(
    mut tx: WriteTx,
    user: &CurrentUser,
    id: i64,
    step: &str,
    action: AuditAction,
    note: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let at = Utc::now().to_rfc3339();
    let line = Line { at: &at, actor: &user.display_name, step, note };
    store::admission::record_step(&mut tx, &user.who(), id, line, action, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// The timeline's words for a step.
fn step_label(step: &str) -> String {
    match step {
        "guide" => "指定指导培训人员".into(),
        "training" => "登记培训".into(),
        s => AdmissionAction::from_code(s).map(|a| a.label().to_string()).unwrap_or_default(),
    }
}

/// The whole file as `user` may see it.
pub(crate) async fn file_view(state: &AppState, user: &CurrentUser, row: FileRow) -> Result<AdmissionFile, AppError> {
    let db = &state.db;
    let facts = facts(db, &row).await?;
    let consultations = consultations(db, row.id).await?;
    let own_department = user.department_id == Some(row.department_id);
    let caller_consulted = consultations.iter().find(|(d, _)| Some(*d) == user.department_id);
    let standing = Standing::of(
        user.role,
        user.sees(&row.org_path),
        own_department,
        caller_consulted.map(|(_, c)| c.stance.is_some()),
    );
    let allowed = actions_for(&facts, user.role, standing);
    let mut conn = db.acquire().await?;
    let names: HashMap<i64, String> = store::admission::community_names(&mut conn, row.id).await?.into_iter().collect();
    let community_count = if row.scope_all {
        store::admission::communities_under(&mut conn, row.org_path.as_str()).await?.len()
    } else {
        names.len()
    } as u32;
    let solicited = store::admission::solicited(&mut conn, row.id)
        .await?
        .into_iter()
        .map(|r| SolicitedView {
            source: r.source,
            text: r.text,
            recorded_by: r.display_name,
            recorded_at: r.recorded_at,
        })
        .collect();
    let timeline = store::admission::timeline(&mut conn, row.id)
        .await?
        .into_iter()
        .map(|r| TimelineEntry {
            at: r.at,
            actor: r.actor,
            action_label: step_label(&r.action),
            action: r.action,
            note: r.note,
        })
        .collect();
    // Phones in full for the department and reviewers; masked otherwise.
    let full_phones = own_department || matches!(user.role, Role::Reviewer | Role::LeadingGroupSecretary);
    let guides = store::admission::guides(&mut conn, row.id)
        .await?
        .into_iter()
        .map(|r| GuideView {
            name: r.name,
            phone: if full_phones { r.phone } else { mask_phone(&r.phone) },
            named_at: r.named_at,
        })
        .collect();
    let trainings = store::admission::trainings(&mut conn, row.id)
        .await?
        .into_iter()
        .map(|r| TrainingView {
            community_code: r.code,
            community_name: r.name,
            held_on: r.held_on.parse().unwrap_or_default(),
            trainer: r.trainer,
            attendees: r.attendees as u32,
            topic: r.topic,
        })
        .collect();
    drop(conn);
    let summary = row.summary(&state.calendar().calendar, state.today());
    let deadline_changes = crate::api::calendar::deadline_changes(db, "admission", row.id).await?;
    let mut form = row.form.clone();
    if !full_phones {
        form.contact_phone = mask_phone(&form.contact_phone);
        form.trainer_phone = mask_phone(&form.trainer_phone);
    }
    let mut community_names: Vec<String> = names.into_values().collect();
    community_names.sort();
    Ok(AdmissionFile {
        summary,
        funding_label: row.funding_label(),
        community_names,
        community_count,
        negative_matches: row.negative_matches.clone(),
        return_reason: row.return_reason.clone(),
        consultations: consultations.into_iter().map(|(_, c)| c).collect(),
        solicit_scope: row.solicit_scope.clone(),
        solicited,
        extension: (row.extension_days > 0).then(|| Extension {
            days: row.extension_days,
            reason: row.extension_reason.clone().unwrap_or_default(),
            approver: row.extension_approver.clone().unwrap_or_default(),
        }),
        decision: match (row.decision_meeting.clone(), row.decided_on) {
            (Some(meeting), Some(decided_on)) => Some(DecisionView {
                meeting,
                decided_on,
                note: row.decision_note.clone().unwrap_or_default(),
                recorded_by: row.decided_by_name.clone().unwrap_or_default(),
            }),
            _ => None,
        },
        delivered_at: row.delivered_at.clone(),
        timeline,
        guides,
        trainings,
        allowed,
        own_department,
        opinion_due_from_caller: standing == Standing::Consulted { opinion_due: true },
        deadline_changes,
        form,
    })
}

fn mask_phone(raw: &str) -> String {
    PhoneNumber::parse(Field::new("phone", "电话"), raw).map(|p| p.masked()).unwrap_or_default()
}

/// Communities under a node.
pub(crate) async fn communities_under(db: &AnyPool, path: &OrgPath) -> Result<Vec<CommunityRow>, AppError> {
    Ok(store::admission::communities_under(&mut *db.acquire().await?, path.as_str()).await?)
}

/// The readers of files, for the route table.
pub const READERS: &[Role] = FILE_READERS;
