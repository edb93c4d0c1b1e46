//! Submitting an application, registering a paper one, the queue, one file,
//! resubmitting after a return, and withdrawal.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use gongzhi_api::{AdmissionFile, AdmissionSummary, NewAdmission, PaperAdmission, ReasonRequest};
use gongzhi_domain::admission::clock::parse_accepted_on;
use gongzhi_domain::admission::flow::{APPLICANT, REVIEWER};
use gongzhi_domain::admission::steps::FIELD_WITHDRAW_REASON;
use gongzhi_domain::admission::{
    check, AdmissionAction, AdmissionApplication, AdmissionApplicationInput, AdmissionStatus, CommunityScope,
    FileFacts, ParseContext,
};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::AccessError;
use gongzhi_domain::{Field, FieldError, FieldErrorKind, OrgPath};
use serde::Deserialize;

use super::{
    communities_under, current_view, file_view, finish_step, flow_error, move_file, own_file, plan, scoped_file,
    visible_rows, FileRow, READERS,
};
use crate::auth::session::CurrentUser;
use crate::auth::sha256_hex;
use crate::error::{ApiResult, AppError};
use crate::idempotency;
use crate::json::JsonBody;
use crate::paging::{paged, PageQuery, Paged};
use crate::state::AppState;
use crate::store;
use crate::store::admission::{add_event, insert_file, store_form, DepartmentBy, NewFile, Records};

/// A department with its node's path.
struct Department {
    id: i64,
    name: String,
    node_id: i64,
    path: OrgPath,
}

async fn department(state: &AppState, by: DepartmentBy<'_>) -> Result<Option<Department>, AppError> {
    let row = store::admission::department(&mut *state.db.acquire().await?, by).await?;
    Ok(row.and_then(|d| {
        Some(Department { id: d.id, name: d.name, node_id: d.org_node_id, path: OrgPath::parse(&d.path)? })
    }))
}

/// Parses the form against the communities under the department's node.
/// Gives the application and the ids of listed communities.
async fn parse_form(
    state: &AppState,
    form: &AdmissionApplicationInput,
    dept: &Department,
) -> Result<(AdmissionApplication, Vec<i64>), AppError> {
    let communities = communities_under(&state.db, &dept.path).await?;
    let exists = |code: &str| communities.iter().any(|c| c.code == code);
    let application = form
        .parse(&ParseContext { today: state.today(), community_exists: &exists })
        .map_err(|e| AppError::fields(&e))?;
    let ids = match &application.scope {
        CommunityScope::All => vec![],
        CommunityScope::List(codes) => communities.iter().filter(|c| codes.contains(&c.code)).map(|c| c.id).collect(),
    };
    Ok((application, ids))
}

/// In one write transaction: the new file and its form. `Err(id)` is the file
/// an earlier try with the same key made (its transaction is dropped).
async fn open_file(
    state: &AppState,
    user: &CurrentUser,
    new: &NewFile,
    application: &AdmissionApplication,
    form: &AdmissionApplicationInput,
    community_ids: &[i64],
) -> Result<Result<(crate::db::WriteTx, i64, String), i64>, AppError> {
    let mut tx = state.write_tx().await?;
    match insert_file(&mut tx, user.account_id, new, application).await? {
        Ok((id, file_no)) => {
            store_form(&mut tx, id, form, application, community_ids).await?;
            Ok(Ok((tx, id, file_no)))
        }
        Err(existing) => Ok(Err(existing)),
    }
}

async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    status: StatusCode,
) -> Result<(StatusCode, Json<AdmissionFile>), AppError> {
    Ok((status, Json(current_view(state, user, id).await?)))
}

/// `POST /api/admission/applications` (department applicant): submits an
/// application. Retrying with the same key answers the same file.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewAdmission>,
) -> Result<(StatusCode, Json<AdmissionFile>), AppError> {
    let user = user.require(&state, APPLICANT, AuditAction::AdmissionSubmit).await?;
    let key = idempotency::parse_key(&body.idempotency_key)?;
    let dept_id = user.department_id.ok_or(AccessError::Forbidden)?;
    let dept = department(&state, DepartmentBy::Id(dept_id)).await?.ok_or(AccessError::Forbidden)?;
    let (application, community_ids) = parse_form(&state, &body.form, &dept).await?;
    let status = check(&FileFacts::default(), AdmissionAction::Submit).map_err(|e| flow_error(&e))?;
    let fingerprint = sha256_hex(&serde_json::to_string(&body.form).map_err(AppError::internal)?);
    let new = NewFile {
        key,
        fingerprint,
        department_id: dept.id,
        org_node_id: dept.node_id,
        status,
        paper: false,
        submitted_on: state.today(),
        accepted_on: None,
        decided_on: None,
    };
    let (tx, id, file_no) = match open_file(&state, &user, &new, &application, &body.form, &community_ids).await? {
        Ok(opened) => opened,
        Err(existing) => return answer(&state, &user, existing, StatusCode::OK).await,
    };
    let detail = serde_json::json!({ "file_no": file_no, "path": application.path.code() });
    finish_step(tx, &user, id, AdmissionAction::Submit, "", detail).await?;
    answer(&state, &user, id, StatusCode::CREATED).await
}

/// `POST /api/admission/paper` (reviewer): registers an application that came
/// on paper, accepted on its real acceptance date.
pub async fn paper(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<PaperAdmission>,
) -> Result<(StatusCode, Json<AdmissionFile>), AppError> {
    let user = user.require(&state, REVIEWER, AuditAction::AdmissionPaper).await?;
    let key = idempotency::parse_key(&body.idempotency_key)?;
    let field = Field::new("department", "申请部门");
    let dept = match body.department.trim() {
        "" => Err(field.error(FieldErrorKind::Required)),
        code => match department(&state, DepartmentBy::Code(code)).await? {
            Some(d) if user.sees(&d.path) => Ok(d),
            _ => Err(field.error(FieldErrorKind::UnknownOption { raw: code.to_string() })),
        },
    };
    let accepted_on = parse_accepted_on(&body.accepted_on, state.today());
    // Every problem at once: the department, the date and the form.
    let (dept, accepted_on) = match (dept, accepted_on) {
        (Ok(d), Ok(a)) => (d, a),
        (d, a) => {
            let errors: Vec<FieldError> = [d.err(), a.err()].into_iter().flatten().collect();
            return Err(AppError::fields(&errors));
        }
    };
    let (application, community_ids) = parse_form(&state, &body.form, &dept).await?;
    let facts = FileFacts { path: Some(application.path), ..FileFacts::default() };
    let submitted = check(&facts, AdmissionAction::Submit).map_err(|e| flow_error(&e))?;
    let status =
        check(&FileFacts { status: Some(submitted), ..facts }, AdmissionAction::Accept).map_err(|e| flow_error(&e))?;
    let fingerprint = sha256_hex(
        &serde_json::to_string(&(&body.form, &body.department, &body.accepted_on)).map_err(AppError::internal)?,
    );
    let decided_on = (status == AdmissionStatus::Registered).then_some(accepted_on);
    let new = NewFile {
        key,
        fingerprint,
        department_id: dept.id,
        org_node_id: dept.node_id,
        status,
        paper: true,
        submitted_on: accepted_on,
        accepted_on: Some(accepted_on),
        decided_on,
    };
    let (mut tx, id, file_no) = match open_file(&state, &user, &new, &application, &body.form, &community_ids).await? {
        Ok(opened) => opened,
        Err(existing) => return answer(&state, &user, existing, StatusCode::OK).await,
    };
    let note = format!("纸质申请({}报送),由审核人登记", dept.name);
    add_event(&mut tx, id, &Utc::now().to_rfc3339(), &user.display_name, "submit", &note).await?;
    let detail = serde_json::json!({ "file_no": file_no, "paper": true, "accepted_on": accepted_on });
    finish_step(tx, &user, id, AdmissionAction::Accept, &format!("受理日期 {accepted_on}"), detail).await?;
    answer(&state, &user, id, StatusCode::CREATED).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ListFilter {
    status: Option<String>,
    /// Department code.
    department: Option<String>,
    /// `on_track`, `due_soon`, `overdue`, `done`.
    due: Option<String>,
    /// Part of the item's name or file number.
    q: Option<String>,
}

/// `GET /api/admission/applications`: the files the caller may read, the
/// nearest deadline first (files without a running clock after them), a page
/// at a time (`?page=&per_page=`, 50 by default, the total after the filters
/// in `X-Total-Count`).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<ListFilter>,
    Query(pq): Query<PageQuery>,
) -> Paged<AdmissionSummary> {
    let user = user.require(&state, READERS, AuditAction::AdmissionList).await?;
    let today = state.today();
    let calendar = state.calendar();
    let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let (status, department, due, q) = (blank(&f.status), blank(&f.department), blank(&f.due), blank(&f.q));
    let mut rows: Vec<AdmissionSummary> = visible_rows(&state, &user)
        .await?
        .iter()
        .map(|r: &FileRow| r.summary(&calendar.calendar, today))
        .filter(|s| status.as_ref().is_none_or(|v| &s.status == v))
        .filter(|s| department.as_ref().is_none_or(|v| &s.department_code == v))
        .filter(|s| due.as_ref().is_none_or(|v| s.due_state.is_some_and(|d| d.code() == v)))
        .filter(|s| q.as_ref().is_none_or(|v| s.item_name.contains(v.as_str()) || s.file_no.contains(v.as_str())))
        .collect();
    // Running clocks first by due date; then waiting intake; then the rest, newest first.
    rows.sort_by_key(|s| {
        let running = s.due_state.is_some_and(|d| d.code() != "done");
        let rank = if running {
            0
        } else if s.status == "submitted" {
            1
        } else {
            2
        };
        (rank, if running { s.due } else { None }, std::cmp::Reverse(s.submitted_on), std::cmp::Reverse(s.id))
    });
    // The order rests on each file's working-day clock, read in Rust, so the
    // page is cut after it (a district's files, not the city's, are read).
    let page = pq.page(50);
    let total = rows.len() as i64;
    paged(page.slice(rows), total, page)
}

/// `GET /api/admission/applications/{id}`
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<AdmissionFile> {
    let user = user.require(&state, READERS, AuditAction::AdmissionRead).await?;
    let row = scoped_file(&state, &user, id, AuditAction::AdmissionRead).await?;
    Ok(Json(file_view(&state, &user, row).await?))
}

/// `POST /api/admission/applications/{id}/resubmit` (applicant): the completed
/// form after a return. The clock starts again at the next acceptance.
pub async fn resubmit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(form): JsonBody<AdmissionApplicationInput>,
) -> ApiResult<AdmissionFile> {
    let user = user.require(&state, APPLICANT, AuditAction::AdmissionResubmit).await?;
    let row = own_file(&state, &user, id, AuditAction::AdmissionResubmit).await?;
    let to = plan(&state, &row, AdmissionAction::Resubmit).await?;
    let dept = department(&state, DepartmentBy::Id(row.department_id)).await?.ok_or(AccessError::Forbidden)?;
    let (application, community_ids) = parse_form(&state, &form, &dept).await?;
    let today = state.today().to_string();
    let records = Records::Resubmit { path: application.path.code(), on: &today };
    let mut tx = state.write_tx().await?;
    let step = AdmissionAction::Resubmit;
    move_file(&mut tx, &user, id, (row.status, to), step, records, "", serde_json::json!({})).await?;
    store_form(&mut tx, id, &form, &application, &community_ids).await?;
    tx.commit().await?;
    Ok(Json(current_view(&state, &user, id).await?))
}

/// `POST /api/admission/applications/{id}/withdraw` (applicant), with a reason.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ReasonRequest>,
) -> ApiResult<AdmissionFile> {
    let user = user.require(&state, APPLICANT, AuditAction::AdmissionWithdraw).await?;
    let row = own_file(&state, &user, id, AuditAction::AdmissionWithdraw).await?;
    let reason = FIELD_WITHDRAW_REASON.required_text(&body.reason, 500).map_err(|e| AppError::fields(&[e]))?;
    let to = plan(&state, &row, AdmissionAction::Withdraw).await?;
    let detail = serde_json::json!({ "reason": reason });
    let mut tx = state.write_tx().await?;
    move_file(&mut tx, &user, id, (row.status, to), AdmissionAction::Withdraw, Records::Nothing, &reason, detail)
        .await?;
    tx.commit().await?;
    Ok(Json(current_view(&state, &user, id).await?))
}
