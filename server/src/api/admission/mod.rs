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
use gongzhi_domain::admission::negative_list::NegativeMatch;
use gongzhi_domain::admission::steps::Stance;
use gongzhi_domain::admission::{
    actions_for, check, AdmissionAction, AdmissionApplicationInput, AdmissionClock, AdmissionFlowError, AdmissionPath,
    AdmissionStatus, Extension, FileFacts, FundingPeriod, Standing,
};
use gongzhi_domain::money::Money;
use gongzhi_domain::pii::PhoneNumber;
use gongzhi_domain::{CalendarError, DomainError, Field, OrgPath, Reckoned, Role, WorkingDayCalendar};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Row, Transaction};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::admission::add_event;

/// One application as stored.
pub(crate) struct FileRow {
    pub id: i64,
    pub file_no: String,
    pub department_id: i64,
    pub department_code: String,
    pub department_name: String,
    pub org_path: OrgPath,
    pub path: AdmissionPath,
    pub status: AdmissionStatus,
    pub form: AdmissionApplicationInput,
    pub item_name: String,
    pub scope_all: bool,
    pub funding_fen: Option<i64>,
    pub funding_period: Option<String>,
    pub negative_matches: Vec<NegativeMatch>,
    pub paper: bool,
    pub submitted_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub return_reason: Option<String>,
    pub extension_days: u32,
    pub extension_reason: Option<String>,
    pub extension_approver: Option<String>,
    pub solicit_scope: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub decision_meeting: Option<String>,
    pub decision_note: Option<String>,
    pub decided_by_name: Option<String>,
    pub delivered_at: Option<String>,
}

pub(crate) const SELECT: &str = "SELECT a.*, d.code AS department_code, d.name AS department_name, n.path AS org_path,
        db.display_name AS decided_by_name
     FROM admission_applications a JOIN departments d ON d.id = a.department_id
     JOIN org_nodes n ON n.id = a.org_node_id LEFT JOIN accounts db ON db.id = a.decided_by";

fn date(row: &AnyRow, column: &str) -> Option<NaiveDate> {
    row.get::<Option<String>, _>(column).and_then(|s| s.parse().ok())
}

impl FileRow {
    fn from_row(row: &AnyRow) -> Result<Self, AppError> {
        let bad = |what: &str| AppError::internal(format!("admission row: bad {what}"));
        Ok(Self {
            id: row.get("id"),
            file_no: row.get("file_no"),
            department_id: row.get("department_id"),
            department_code: row.get("department_code"),
            department_name: row.get("department_name"),
            org_path: OrgPath::parse(row.get("org_path")).ok_or_else(|| bad("path"))?,
            path: AdmissionPath::from_code(row.get("path")).ok_or_else(|| bad("admission path"))?,
            status: AdmissionStatus::from_code(row.get("status")).ok_or_else(|| bad("status"))?,
            form: serde_json::from_str(row.get("form")).map_err(|_| bad("form"))?,
            item_name: row.get("item_name"),
            scope_all: crate::db::flag(row, "scope_all"),
            funding_fen: row.get("funding_fen"),
            funding_period: row.get("funding_period"),
            negative_matches: serde_json::from_str(row.get("negative_matches")).unwrap_or_default(),
            paper: crate::db::flag(row, "paper"),
            submitted_on: date(row, "submitted_on").unwrap_or_default(),
            accepted_on: date(row, "accepted_on"),
            return_reason: row.get("return_reason"),
            extension_days: row.get::<i64, _>("extension_days").try_into().unwrap_or(0),
            extension_reason: row.get("extension_reason"),
            extension_approver: row.get("extension_approver"),
            solicit_scope: row.get("solicit_scope"),
            decided_on: date(row, "decided_on"),
            decision_meeting: row.get("decision_meeting"),
            decision_note: row.get("decision_note"),
            decided_by_name: row.get("decided_by_name"),
            delivered_at: row.get("delivered_at"),
        })
    }

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
    sqlx::query(&format!("{SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(FileRow::from_row)
        .transpose()
}

/// Every file with a running or stopped clock (for recomputing deadlines
/// when a year's schedule is loaded).
pub(crate) async fn clocked_rows(db: &mut sqlx::AnyConnection) -> Result<Vec<FileRow>, AppError> {
    sqlx::query(&format!("{SELECT} WHERE a.accepted_on IS NOT NULL ORDER BY a.id"))
        .fetch_all(&mut *db)
        .await?
        .iter()
        .map(FileRow::from_row)
        .collect()
}

/// Rows the caller may read. Reviewers and the secretary: their subtree;
/// applicants: their department's files and those it was consulted on.
pub(crate) async fn visible_rows(state: &AppState, user: &CurrentUser) -> Result<Vec<FileRow>, AppError> {
    let rows = if user.role == Role::DepartmentApplicant {
        sqlx::query(&format!(
            "{SELECT} WHERE a.department_id = $1 OR a.id IN
               (SELECT application_id FROM admission_consultations WHERE department_id = $1)"
        ))
        .bind(user.department_id.unwrap_or(-1))
        .fetch_all(&state.db)
        .await?
    } else {
        sqlx::query(&format!("{SELECT} WHERE n.path LIKE $1 || '%'"))
            .bind(user.scope.as_str())
            .fetch_all(&state.db)
            .await?
    };
    rows.iter().map(FileRow::from_row).collect()
}

/// Whether the caller's department was consulted on file `id`, and if so
/// whether it has answered.
async fn consultation(db: &AnyPool, id: i64, department_id: Option<i64>) -> Result<Option<bool>, AppError> {
    let Some(dept) = department_id else { return Ok(None) };
    let stance: Option<Option<String>> = sqlx::query_scalar(
        "SELECT stance FROM admission_consultations WHERE application_id = $1 AND department_id = $2",
    )
    .bind(id)
    .bind(dept)
    .fetch_optional(db)
    .await?;
    Ok(stance.map(|s| s.is_some()))
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
    let rows = sqlx::query(
        "SELECT c.*, d.code, d.name, a.display_name AS answered_by_name FROM admission_consultations c
         JOIN departments d ON d.id = c.department_id LEFT JOIN accounts a ON a.id = c.answered_by
         WHERE c.application_id = $1 ORDER BY c.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let stance: Option<String> = r.get("stance");
            let entered_for = crate::db::flag(r, "entered_for");
            let by: Option<String> = r.get("answered_by_name");
            (
                r.get("department_id"),
                ConsultationView {
                    department_code: r.get("code"),
                    department_name: r.get("name"),
                    stance_label: stance.as_deref().and_then(Stance::from_code).map(|s| s.label().to_string()),
                    stance,
                    text: r.get("text"),
                    answered_by: by.map(|b| if entered_for { format!("{b}(据来函代录)") } else { b }),
                    answered_at: r.get("answered_at"),
                },
            )
        })
        .collect())
}

/// What the state machine needs to know about a file.
pub(crate) async fn facts(db: &AnyPool, row: &FileRow) -> Result<FileFacts, AppError> {
    let consultations = consultations(db, row.id).await?;
    let solicited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admission_solicited WHERE application_id = $1")
        .bind(row.id)
        .fetch_one(db)
        .await?;
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

/// Moves the file from `from` to `to` if nobody moved it meanwhile; a
/// concurrent change answers 409 and nothing is written.
pub(crate) async fn set_status(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    from: AdmissionStatus,
    to: AdmissionStatus,
) -> Result<(), AppError> {
    let changed =
        sqlx::query("UPDATE admission_applications SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.code())
            .bind(Utc::now().to_rfc3339())
            .bind(id)
            .bind(from.code())
            .execute(&mut **tx)
            .await?;
    if changed.rows_affected() == 0 {
        return Err(ConflictError::AdmissionChanged.into());
    }
    Ok(())
}

/// Writes the step on the file's timeline and on the audit trail, and commits.
pub(crate) async fn finish_step(
    tx: Transaction<'static, Any>,
    user: &CurrentUser,
    id: i64,
    action: AdmissionAction,
    note: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    record_step(
        tx,
        user,
        id,
        action.code(),
        Event::success(audit_action(action), format!("admission:{id}")).detail(detail),
        note,
    )
    .await
}

/// Like [`finish_step`], for what happens after admission (not a state change).
pub(crate) async fn finish_step_plain(
    tx: Transaction<'static, Any>,
    user: &CurrentUser,
    id: i64,
    step: &'static str,
    audit_action: AuditAction,
    note: &str,
) -> Result<(), AppError> {
    let event = Event::success(audit_action, format!("admission:{id}")).detail(serde_json::json!({ "note": note }));
    record_step(tx, user, id, step, event, note).await
}

async fn record_step(
    mut tx: Transaction<'static, Any>,
    user: &CurrentUser,
    id: i64,
    step: &str,
    event: Event,
    note: &str,
) -> Result<(), AppError> {
    add_event(&mut tx, id, &Utc::now().to_rfc3339(), &user.display_name, step, note).await?;
    audit::append(&mut tx, &user.who(), &event).await?;
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
    let names: HashMap<i64, String> = sqlx::query_as(
        "SELECT n.id, n.name FROM admission_communities c JOIN org_nodes n ON n.id = c.community_id WHERE c.application_id = $1",
    )
    .bind(row.id)
    .fetch_all(db)
    .await?
    .into_iter()
    .collect();
    let community_count =
        if row.scope_all { communities_under(db, &row.org_path).await?.len() } else { names.len() } as u32;
    let solicited = sqlx::query(
        "SELECT s.*, a.display_name FROM admission_solicited s JOIN accounts a ON a.id = s.recorded_by
         WHERE s.application_id = $1 ORDER BY s.id",
    )
    .bind(row.id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| SolicitedView {
        source: r.get("source"),
        text: r.get("text"),
        recorded_by: r.get("display_name"),
        recorded_at: r.get("recorded_at"),
    })
    .collect();
    let timeline = sqlx::query("SELECT * FROM admission_events WHERE application_id = $1 ORDER BY id")
        .bind(row.id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            let action: String = r.get("action");
            TimelineEntry {
                at: r.get("at"),
                actor: r.get("actor"),
                action_label: step_label(&action),
                action,
                note: r.get("note"),
            }
        })
        .collect();
    // Phones in full for the department and reviewers; masked otherwise.
    let full_phones = own_department || matches!(user.role, Role::Reviewer | Role::LeadingGroupSecretary);
    let guides = sqlx::query("SELECT * FROM admission_guides WHERE application_id = $1 ORDER BY id")
        .bind(row.id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            let phone: String = r.get("phone");
            GuideView {
                name: r.get("name"),
                phone: if full_phones { phone } else { mask_phone(&phone) },
                named_at: r.get("named_at"),
            }
        })
        .collect();
    let trainings = trainings(db, row.id).await?;
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

pub(crate) async fn trainings(db: &AnyPool, id: i64) -> Result<Vec<TrainingView>, AppError> {
    Ok(sqlx::query(
        "SELECT t.*, n.code, n.name FROM admission_trainings t JOIN org_nodes n ON n.id = t.community_id
         WHERE t.application_id = $1 ORDER BY t.held_on, t.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| TrainingView {
        community_code: r.get("code"),
        community_name: r.get("name"),
        held_on: date(r, "held_on").unwrap_or_default(),
        trainer: r.get("trainer"),
        attendees: r.get::<i64, _>("attendees") as u32,
        topic: r.get("topic"),
    })
    .collect())
}

/// Communities under a node: (id, code, name, street name).
pub(crate) async fn communities_under(
    db: &AnyPool,
    path: &OrgPath,
) -> Result<Vec<(i64, String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.code, c.name, s.name FROM org_nodes c JOIN org_nodes s ON s.id = c.parent_id
         WHERE c.level = 'community' AND c.path LIKE $1 || '%' ORDER BY c.code",
    )
    .bind(path.as_str())
    .fetch_all(db)
    .await?)
}

/// The readers of files, for the route table.
pub const READERS: &[Role] = FILE_READERS;
