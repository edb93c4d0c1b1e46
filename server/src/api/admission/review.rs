//! The review, step by step. Each handler: role, scope, input, the domain's
//! state machine, then one transaction that moves the status (only if nobody
//! moved it meanwhile), writes the timeline and the audit trail.

use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use gongzhi_api::{AdmissionFile, ConsultRequest, ReasonRequest, SolicitRequest};
use gongzhi_domain::admission::clock::ExtensionInput;
use gongzhi_domain::admission::flow::OPINION_GIVERS;
use gongzhi_domain::admission::steps::{
    parse_codes, DecisionInput, OpinionInput, SolicitedInput, FIELD_DEPARTMENTS, FIELD_OPINION_DEPARTMENT,
    FIELD_RETURN_REASON, FIELD_SOLICIT_SCOPE,
};
use gongzhi_domain::admission::{AdmissionAction, AdmissionFlowError, AdmissionStatus};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::{FieldErrorKind, Role};

use super::{finish_step, flow_error, plan, scoped_file, set_status, FileRow};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;

/// Role check, then the file within scope.
async fn open(
    state: &AppState,
    user: CurrentUser,
    id: i64,
    action: AdmissionAction,
    audit: AuditAction,
) -> Result<(CurrentUser, FileRow), AppError> {
    let user = user.require(state, action.roles(), audit).await?;
    let row = scoped_file(state, &user, id, audit).await?;
    Ok((user, row))
}

async fn done(state: &AppState, user: &CurrentUser, id: i64) -> ApiResult<AdmissionFile> {
    Ok(Json(super::current_view(state, user, id).await?))
}

/// `POST .../accept` (reviewer): intake. Approval items go to consultation
/// and the clock starts today; exempt items are registered.
pub async fn accept(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, AdmissionAction::Accept, AuditAction::AdmissionAccept).await?;
    let to = plan(&state, &row, AdmissionAction::Accept).await?;
    let today = state.today().to_string();
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, to).await?;
    let registered = to == AdmissionStatus::Registered;
    sqlx::query(
        "UPDATE admission_applications SET accepted_on = $1, return_reason = NULL, decided_on = $2, decided_by = $3
         WHERE id = $4",
    )
    .bind(&today)
    .bind(registered.then_some(&today))
    .bind(registered.then_some(user.account_id))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let note =
        if registered { format!("免审事项,{today} 备案") } else { format!("受理日期 {today},开始计时") };
    finish_step(tx, &user, id, AdmissionAction::Accept, &note, serde_json::json!({ "to": to.code() })).await?;
    done(&state, &user, id).await
}

/// `POST .../return` (reviewer): incomplete; back to the applicant with what
/// is missing. The clock stops and restarts at the next acceptance.
pub async fn return_for_completion(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ReasonRequest>,
) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, AdmissionAction::Return, AuditAction::AdmissionReturn).await?;
    let reason = FIELD_RETURN_REASON.required_text(&body.reason, 500).map_err(|e| AppError::fields(&[e]))?;
    let to = plan(&state, &row, AdmissionAction::Return).await?;
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, to).await?;
    sqlx::query(
        "UPDATE admission_applications SET return_reason = $1, accepted_on = NULL, extension_days = 0,
            extension_reason = NULL, extension_approver = NULL WHERE id = $2",
    )
    .bind(&reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    finish_step(tx, &user, id, AdmissionAction::Return, &reason, serde_json::json!({ "reason": reason })).await?;
    done(&state, &user, id).await
}

/// `POST .../consult` (reviewer): asks departments for their opinion.
pub async fn consult(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ConsultRequest>,
) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, AdmissionAction::Consult, AuditAction::AdmissionConsult).await?;
    let departments: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, code, name FROM departments WHERE id != $1")
            .bind(row.department_id)
            .fetch_all(&state.db)
            .await?;
    let codes = parse_codes(FIELD_DEPARTMENTS, &body.departments, &|c| departments.iter().any(|d| d.1 == c))
        .map_err(|e| AppError::fields(&[e]))?;
    plan(&state, &row, AdmissionAction::Consult).await?;
    let now = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, row.status).await?;
    let mut names = Vec::new();
    for (dept_id, code, name) in &departments {
        if codes.contains(code) {
            sqlx::query(
                "INSERT INTO admission_consultations (application_id, department_id, asked_at) VALUES ($1, $2, $3)
                 ON CONFLICT(application_id, department_id) DO NOTHING",
            )
            .bind(id)
            .bind(dept_id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            names.push(name.clone());
        }
    }
    let note = format!("商请:{}", names.join("、"));
    finish_step(tx, &user, id, AdmissionAction::Consult, &note, serde_json::json!({ "departments": codes })).await?;
    done(&state, &user, id).await
}

/// `POST .../opinions`: a consulted department gives its opinion; a reviewer
/// may enter one received by letter, naming the department.
pub async fn opinion(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<OpinionInput>,
) -> ApiResult<AdmissionFile> {
    let user = user.require(&state, OPINION_GIVERS, AuditAction::AdmissionOpinion).await?;
    let row = scoped_file(&state, &user, id, AuditAction::AdmissionOpinion).await?;
    let mut opinion = body.parse().map_err(|e| AppError::fields(&e))?;
    let for_letter = user.role == Role::Reviewer;
    let department: Option<(i64, String)> = if for_letter {
        let Some(code) = opinion.department.take() else {
            return Err(AppError::fields(&[FIELD_OPINION_DEPARTMENT.error(FieldErrorKind::Required)]));
        };
        sqlx::query_as("SELECT id, name FROM departments WHERE code = $1").bind(code).fetch_optional(&state.db).await?
    } else {
        sqlx::query_as("SELECT id, name FROM departments WHERE id = $1")
            .bind(user.department_id.unwrap_or(-1))
            .fetch_optional(&state.db)
            .await?
    };
    plan(&state, &row, AdmissionAction::RecordOpinion).await?;
    let consultation: Option<(i64, Option<String>)> = match &department {
        Some((dept_id, _)) => {
            sqlx::query_as(
                "SELECT id, stance FROM admission_consultations WHERE application_id = $1 AND department_id = $2",
            )
            .bind(id)
            .bind(dept_id)
            .fetch_optional(&state.db)
            .await?
        }
        None => None,
    };
    let dept_name = department.map(|d| d.1).unwrap_or_else(|| body.department.clone());
    let consultation_id = match consultation {
        None => return Err(flow_error(&AdmissionFlowError::NotConsulted { department: dept_name })),
        Some((_, Some(_))) => return Err(flow_error(&AdmissionFlowError::OpinionGiven { department: dept_name })),
        Some((cid, None)) => cid,
    };
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, row.status).await?;
    let answered = sqlx::query(
        "UPDATE admission_consultations SET stance = $1, text = $2, answered_by = $3, entered_for = $4, answered_at = $5
         WHERE id = $6 AND stance IS NULL",
    )
    .bind(opinion.stance.code())
    .bind(&opinion.text)
    .bind(user.account_id)
    .bind(i64::from(for_letter))
    .bind(Utc::now().to_rfc3339())
    .bind(consultation_id)
    .execute(&mut *tx)
    .await?;
    if answered.rows_affected() == 0 {
        return Err(flow_error(&AdmissionFlowError::OpinionGiven { department: dept_name }));
    }
    let note = format!("{}:{}。{}", dept_name, opinion.stance.label(), opinion.text);
    let detail =
        serde_json::json!({ "department": dept_name, "stance": opinion.stance.code(), "by_letter": for_letter });
    finish_step(tx, &user, id, AdmissionAction::RecordOpinion, &note, detail).await?;
    done(&state, &user, id).await
}

/// `POST .../solicit` (reviewer): solicits opinions within a stated scope,
/// once every consulted department has answered.
pub async fn solicit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<SolicitRequest>,
) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, AdmissionAction::Solicit, AuditAction::AdmissionSolicit).await?;
    let scope = FIELD_SOLICIT_SCOPE.required_text(&body.scope, 200).map_err(|e| AppError::fields(&[e]))?;
    let to = plan(&state, &row, AdmissionAction::Solicit).await?;
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, to).await?;
    sqlx::query("UPDATE admission_applications SET solicit_scope = $1 WHERE id = $2")
        .bind(&scope)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let note = format!("征求意见范围:{scope}");
    finish_step(tx, &user, id, AdmissionAction::Solicit, &note, serde_json::json!({ "scope": scope })).await?;
    done(&state, &user, id).await
}

/// `POST .../solicited` (reviewer): one opinion gathered in the solicitation.
pub async fn solicited(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<SolicitedInput>,
) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, AdmissionAction::RecordSolicited, AuditAction::AdmissionSolicited).await?;
    let (source, text) = body.parse().map_err(|e| AppError::fields(&e))?;
    plan(&state, &row, AdmissionAction::RecordSolicited).await?;
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, row.status).await?;
    sqlx::query(
        "INSERT INTO admission_solicited (application_id, source, text, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&source)
    .bind(&text)
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    let note = format!("{source}:{text}");
    finish_step(tx, &user, id, AdmissionAction::RecordSolicited, &note, serde_json::json!({ "source": source }))
        .await?;
    done(&state, &user, id).await
}

/// `POST .../send-to-group` (reviewer): before the leading group.
pub async fn send_to_group(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, AdmissionAction::SendToGroup, AuditAction::AdmissionSendToGroup).await?;
    let to = plan(&state, &row, AdmissionAction::SendToGroup).await?;
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, to).await?;
    finish_step(tx, &user, id, AdmissionAction::SendToGroup, "", serde_json::json!({})).await?;
    done(&state, &user, id).await
}

async fn decide(
    state: AppState,
    user: CurrentUser,
    id: i64,
    body: DecisionInput,
    action: AdmissionAction,
    audit: AuditAction,
) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, action, audit).await?;
    let accepted_on = row.accepted_on.unwrap_or_else(|| state.today());
    let decision =
        body.parse(action == AdmissionAction::Approve, accepted_on, state.today()).map_err(|e| AppError::fields(&e))?;
    let to = plan(&state, &row, action).await?;
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, to).await?;
    sqlx::query(
        "UPDATE admission_applications SET decided_on = $1, decision_meeting = $2, decision_note = $3, decided_by = $4
         WHERE id = $5",
    )
    .bind(decision.decided_on.to_string())
    .bind(&decision.meeting)
    .bind(&decision.note)
    .bind(user.account_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let note = format!("{}({})。{}", decision.meeting, decision.decided_on, decision.note);
    let detail = serde_json::json!({ "meeting": decision.meeting, "decided_on": decision.decided_on });
    finish_step(tx, &user, id, action, note.trim_end_matches('。'), detail).await?;
    done(&state, &user, id).await
}

/// `POST .../approve` (leading-group secretary): 准予准入.
pub async fn approve(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DecisionInput>,
) -> ApiResult<AdmissionFile> {
    decide(state, user, id, body, AdmissionAction::Approve, AuditAction::AdmissionApprove).await
}

/// `POST .../reject` (leading-group secretary): 不予准入, with the reason.
pub async fn reject(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DecisionInput>,
) -> ApiResult<AdmissionFile> {
    decide(state, user, id, body, AdmissionAction::Reject, AuditAction::AdmissionReject).await
}

/// `POST .../extend` (reviewer): one extension, with reason and approver.
pub async fn extend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ExtensionInput>,
) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, AdmissionAction::Extend, AuditAction::AdmissionExtend).await?;
    let ext = body.parse().map_err(|e| AppError::fields(&e))?;
    plan(&state, &row, AdmissionAction::Extend).await?;
    let mut tx = state.write_tx().await?;
    set_status(&mut tx, id, row.status, row.status).await?;
    let extended = sqlx::query(
        "UPDATE admission_applications SET extension_days = $1, extension_reason = $2, extension_approver = $3
         WHERE id = $4 AND extension_days = 0",
    )
    .bind(i64::from(ext.days))
    .bind(&ext.reason)
    .bind(&ext.approver)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if extended.rows_affected() == 0 {
        return Err(flow_error(&AdmissionFlowError::AlreadyExtended));
    }
    let note = format!("延长 {} 个工作日。理由:{};批准人:{}", ext.days, ext.reason, ext.approver);
    let detail = serde_json::json!({ "days": ext.days, "approver": ext.approver });
    finish_step(tx, &user, id, AdmissionAction::Extend, &note, detail).await?;
    done(&state, &user, id).await
}

/// `POST .../deliver` (reviewer): the result is sent to the applicant.
pub async fn deliver(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<AdmissionFile> {
    let (user, row) = open(&state, user, id, AdmissionAction::Deliver, AuditAction::AdmissionDeliver).await?;
    plan(&state, &row, AdmissionAction::Deliver).await?;
    let mut tx = state.write_tx().await?;
    let sent =
        sqlx::query("UPDATE admission_applications SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL")
            .bind(Utc::now().to_rfc3339())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if sent.rows_affected() == 0 {
        return Err(flow_error(&AdmissionFlowError::AlreadyDelivered));
    }
    let note = format!("审批结果“{}”已反馈{}", row.status.label(), row.department_name);
    finish_step(tx, &user, id, AdmissionAction::Deliver, &note, serde_json::json!({})).await?;
    done(&state, &user, id).await
}
