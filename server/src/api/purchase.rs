//! The purchase-of-services list (购买服务事项清单): public, kept by the
//! departments that contract the services.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use gongzhi_api::PurchaseView;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::AccessError;
use gongzhi_domain::purchase::{AcceptanceInput, PurchaseInput, PurchaseStatus, FIELD_SOURCE};
use gongzhi_domain::ConflictError;
use gongzhi_domain::{FieldErrorKind, Role};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::purchase::{self as store, PurchaseRow};

pub const BUYERS: &[Role] = &[Role::DepartmentApplicant];

fn view(r: PurchaseRow, department_id: Option<i64>) -> PurchaseView {
    PurchaseView {
        id: r.id,
        department_name: r.department_name,
        service: r.service,
        organisation: r.organisation,
        amount_fen: r.amount_fen,
        starts_on: r.starts_on.parse().unwrap_or_default(),
        ends_on: r.ends_on.parse().unwrap_or_default(),
        deliverables: serde_json::from_str(&r.deliverables).unwrap_or_default(),
        source_file_no: r.file_no,
        status_label: PurchaseStatus::from_code(&r.status).map(PurchaseStatus::label).unwrap_or_default().into(),
        status: r.status,
        accepted_on: r.accepted_on.and_then(|d| d.parse().ok()),
        acceptance_note: r.acceptance_note,
        own: department_id == Some(r.department_id),
    }
}

async fn load(state: &AppState, id: i64, department_id: Option<i64>) -> Result<PurchaseView, AppError> {
    let row = store::get(&mut *state.db.acquire().await?, id).await?;
    Ok(view(row.ok_or_else(|| AppError::internal("purchase vanished"))?, department_id))
}

/// `GET /api/purchases` (public): the whole list, newest first. A signed-in
/// department sees which entries are its own.
pub async fn list(State(state): State<AppState>, user: Option<CurrentUser>) -> ApiResult<Vec<PurchaseView>> {
    let department = user.and_then(|u| u.department_id);
    let rows = store::list(&mut *state.db.acquire().await?).await?;
    Ok(Json(rows.into_iter().map(|r| view(r, department)).collect()))
}

/// `POST /api/purchases` (department applicant): a contracted service; it may
/// name the department's admission file it replaces.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<PurchaseInput>,
) -> Result<(StatusCode, Json<PurchaseView>), AppError> {
    let user = user.require(&state, BUYERS, AuditAction::PurchaseCreate).await?;
    let dept = user.department_id.ok_or(AccessError::Forbidden)?;
    let purchase = body.parse().map_err(|e| AppError::fields(&e))?;
    if let Some(source) = purchase.source_application {
        // Only the department's own file that was not admitted.
        if !store::is_replaceable_file(&mut *state.db.acquire().await?, source, dept).await? {
            return Err(AppError::fields(&[
                FIELD_SOURCE.error(FieldErrorKind::UnknownOption { raw: source.to_string() })
            ]));
        }
    }
    let mut tx = state.write_tx().await?;
    let id = store::insert(&mut tx, dept, &purchase, user.account_id, &Utc::now().to_rfc3339()).await?;
    let detail = serde_json::json!({ "service": purchase.service, "organisation": purchase.organisation, "fen": purchase.amount.fen() });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::PurchaseCreate, format!("purchase:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load(&state, id, Some(dept)).await?)))
}

/// `POST /api/purchases/{id}/acceptance` (the contracting department): the
/// deliverables accepted or not, dated, with the opinion. Once only: a second
/// acceptance, even at the same moment, answers 409 and records nothing.
pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<AcceptanceInput>,
) -> ApiResult<PurchaseView> {
    let user = user.require(&state, BUYERS, AuditAction::PurchaseAccept).await?;
    let row = store::get(&mut *state.db.acquire().await?, id).await?;
    let Some(row) = row.filter(|r| user.department_id == Some(r.department_id)) else {
        return Err(user.out_of_scope(&state, AuditAction::PurchaseAccept, format!("purchase:{id}")).await);
    };
    let (result, on, note) = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    if row.status != "contracted" {
        return Err(ConflictError::PurchaseAlreadyAccepted.into());
    }
    let mut tx = state.write_tx().await?;
    let detail = serde_json::json!({ "result": result.code(), "note": note });
    if !store::accept(&mut tx, &user.who(), id, result, on, &note, detail).await?.is_moved() {
        return Err(ConflictError::PurchaseAlreadyAccepted.into());
    }
    tx.commit().await?;
    Ok(Json(load(&state, id, user.department_id).await?))
}
