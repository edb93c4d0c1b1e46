//! The review, step by step. Each handler: role, scope, input, the domain's
//! state machine, then one transaction that moves the status (only if nobody
//! moved it meanwhile), writes the timeline and the audit trail
//! ([`super::move_file`], through `store::transition`).

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

use super::{finish_step, flow_error, move_file, plan, scoped_file, FileRow};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store;
use crate::store::admission::{Answer, DepartmentBy, Records};

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
    let registered = to == AdmissionStatus::Registered;
    let note =
        if registered { format!("免审事项,{today} 备案") } else { format!("受理日期 {today},开始计时") };
    let records = Records::Accept { on: &today, registered_by: registered.then_some(user.account_id) };
    let detail = serde_json::json!({ "to": to.code() });
    let mut tx = state.write_tx().await?;
    move_file(&mut tx, &user, id, (row.status, to), AdmissionAction::Accept, records, &note, detail).await?;
    tx.commit().await?;
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
    let detail = serde_json::json!({ "reason": reason });
    let mut tx = state.write_tx().await?;
    let records = Records::Return { reason: &reason };
    move_file(&mut tx, &user, id, (row.status, to), AdmissionAction::Return, records, &reason, detail).await?;
    tx.commit().await?;
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
    let mut departments = store::admission::departments(&mut *state.db.acquire().await?).await?;
    departments.retain(|d| d.id != row.department_id);
    let codes = parse_codes(FIELD_DEPARTMENTS, &body.departments, &|c| departments.iter().any(|d| d.code == c))
        .map_err(|e| AppError::fields(&[e]))?;
    plan(&state, &row, AdmissionAction::Consult).await?;
    let asked: Vec<_> = departments.iter().filter(|d| codes.contains(&d.code)).collect();
    let names: Vec<&str> = asked.iter().map(|d| d.name.as_str()).collect();
    let note = format!("商请:{}", names.join("、"));
    let detail = serde_json::json!({ "departments": codes });
    let now = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    let unchanged = (row.status, row.status);
    move_file(&mut tx, &user, id, unchanged, AdmissionAction::Consult, Records::Nothing, &note, detail).await?;
    for d in asked {
        store::admission::ask(&mut tx, id, d.id, &now).await?;
    }
    tx.commit().await?;
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
    let code = match opinion.department.take() {
        None if for_letter => {
            return Err(AppError::fields(&[FIELD_OPINION_DEPARTMENT.error(FieldErrorKind::Required)]));
        }
        code => code.filter(|_| for_letter),
    };
    let by = match &code {
        Some(code) => DepartmentBy::Code(code),
        None => DepartmentBy::Id(user.department_id.unwrap_or(-1)),
    };
    let department = store::admission::department(&mut *state.db.acquire().await?, by).await?;
    plan(&state, &row, AdmissionAction::RecordOpinion).await?;
    let consultation = match &department {
        Some(d) => store::admission::consultation(&mut *state.db.acquire().await?, id, d.id).await?,
        None => None,
    };
    let dept_name = department.map(|d| d.name).unwrap_or_else(|| body.department.clone());
    let consultation_id = match consultation {
        None => return Err(flow_error(&AdmissionFlowError::NotConsulted { department: dept_name })),
        Some(c) if c.stance.is_some() => {
            return Err(flow_error(&AdmissionFlowError::OpinionGiven { department: dept_name }))
        }
        Some(c) => c.id,
    };
    let note = format!("{}:{}。{}", dept_name, opinion.stance.label(), opinion.text);
    let detail =
        serde_json::json!({ "department": dept_name, "stance": opinion.stance.code(), "by_letter": for_letter });
    let now = Utc::now().to_rfc3339();
    let answer =
        Answer { stance: opinion.stance.code(), text: &opinion.text, by: user.account_id, for_letter, at: &now };
    let mut tx = state.write_tx().await?;
    let unchanged = (row.status, row.status);
    move_file(&mut tx, &user, id, unchanged, AdmissionAction::RecordOpinion, Records::Nothing, &note, detail).await?;
    // Answered meanwhile: the transaction (with the step) is dropped.
    if !store::admission::answer(&mut tx, consultation_id, &answer).await? {
        return Err(flow_error(&AdmissionFlowError::OpinionGiven { department: dept_name }));
    }
    tx.commit().await?;
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
    let note = format!("征求意见范围:{scope}");
    let detail = serde_json::json!({ "scope": scope });
    let mut tx = state.write_tx().await?;
    let records = Records::Solicit { scope: &scope };
    move_file(&mut tx, &user, id, (row.status, to), AdmissionAction::Solicit, records, &note, detail).await?;
    tx.commit().await?;
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
    let note = format!("{source}:{text}");
    let detail = serde_json::json!({ "source": source });
    let now = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    let unchanged = (row.status, row.status);
    move_file(&mut tx, &user, id, unchanged, AdmissionAction::RecordSolicited, Records::Nothing, &note, detail).await?;
    store::admission::add_solicited(&mut tx, id, &source, &text, user.account_id, &now).await?;
    tx.commit().await?;
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
    let step = AdmissionAction::SendToGroup;
    move_file(&mut tx, &user, id, (row.status, to), step, Records::Nothing, "", serde_json::json!({})).await?;
    tx.commit().await?;
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
    let note = format!("{}({})。{}", decision.meeting, decision.decided_on, decision.note);
    let detail = serde_json::json!({ "meeting": decision.meeting, "decided_on": decision.decided_on });
    let decided_on = decision.decided_on.to_string();
    let records =
        Records::Decide { on: &decided_on, meeting: &decision.meeting, note: &decision.note, by: user.account_id };
    let mut tx = state.write_tx().await?;
    move_file(&mut tx, &user, id, (row.status, to), action, records, note.trim_end_matches('。'), detail).await?;
    tx.commit().await?;
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
    let note = format!("延长 {} 个工作日。理由:{};批准人:{}", ext.days, ext.reason, ext.approver);
    let detail = serde_json::json!({ "days": ext.days, "approver": ext.approver });
    let mut tx = state.write_tx().await?;
    let unchanged = (row.status, row.status);
    move_file(&mut tx, &user, id, unchanged, AdmissionAction::Extend, Records::Nothing, &note, detail).await?;
    // Extended meanwhile: the transaction (with the step) is dropped.
    if !store::admission::extend(&mut tx, id, ext.days, &ext.reason, &ext.approver).await? {
        return Err(flow_error(&AdmissionFlowError::AlreadyExtended));
    }
    tx.commit().await?;
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
    if !store::admission::mark_delivered(&mut tx, id, &Utc::now().to_rfc3339()).await? {
        return Err(flow_error(&AdmissionFlowError::AlreadyDelivered));
    }
    let note = format!("审批结果“{}”已反馈{}", row.status.label(), row.department_name);
    finish_step(tx, &user, id, AdmissionAction::Deliver, &note, serde_json::json!({})).await?;
    done(&state, &user, id).await
}
