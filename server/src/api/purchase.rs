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
use sqlx::Row;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;

pub const BUYERS: &[Role] = &[Role::DepartmentApplicant];

const SELECT: &str = "SELECT p.*, d.name AS department_name, a.file_no FROM purchases p
     JOIN departments d ON d.id = p.department_id LEFT JOIN admission_applications a ON a.id = p.source_application_id";

fn view(r: &sqlx::any::AnyRow, department_id: Option<i64>) -> PurchaseView {
    let status: String = r.get("status");
    PurchaseView {
        id: r.get("id"),
        department_name: r.get("department_name"),
        service: r.get("service"),
        organisation: r.get("organisation"),
        amount_fen: r.get("amount_fen"),
        starts_on: r.get::<String, _>("starts_on").parse().unwrap_or_default(),
        ends_on: r.get::<String, _>("ends_on").parse().unwrap_or_default(),
        deliverables: serde_json::from_str(r.get("deliverables")).unwrap_or_default(),
        source_file_no: r.get("file_no"),
        status_label: PurchaseStatus::from_code(&status).map(PurchaseStatus::label).unwrap_or_default().into(),
        status,
        accepted_on: r.get::<Option<String>, _>("accepted_on").and_then(|d| d.parse().ok()),
        acceptance_note: r.get("acceptance_note"),
        own: department_id == Some(r.get("department_id")),
    }
}

/// `GET /api/purchases` (public): the whole list, newest first. A signed-in
/// department sees which entries are its own.
pub async fn list(State(state): State<AppState>, user: Option<CurrentUser>) -> ApiResult<Vec<PurchaseView>> {
    let department = user.and_then(|u| u.department_id);
    let rows = sqlx::query(&format!("{SELECT} ORDER BY p.id DESC")).fetch_all(&state.db).await?;
    Ok(Json(rows.iter().map(|r| view(r, department)).collect()))
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
        let ok: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM admission_applications WHERE id = $1 AND department_id = $2 AND status NOT IN ('approved', 'registered')",
        )
        .bind(source)
        .bind(dept)
        .fetch_optional(&state.db)
        .await?;
        if ok.is_none() {
            return Err(AppError::fields(&[
                FIELD_SOURCE.error(FieldErrorKind::UnknownOption { raw: source.to_string() })
            ]));
        }
    }
    let mut tx = state.write_tx().await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO purchases (department_id, service, organisation, amount_fen, starts_on, ends_on, deliverables,
            source_application_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(dept)
    .bind(&purchase.service)
    .bind(&purchase.organisation)
    .bind(purchase.amount.fen())
    .bind(purchase.starts_on.to_string())
    .bind(purchase.ends_on.to_string())
    .bind(serde_json::to_string(&purchase.deliverables).map_err(AppError::internal)?)
    .bind(purchase.source_application)
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .fetch_one(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "service": purchase.service, "organisation": purchase.organisation, "fen": purchase.amount.fen() });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::PurchaseCreate, format!("purchase:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    let row = sqlx::query(&format!("{SELECT} WHERE p.id = $1")).bind(id).fetch_one(&state.db).await?;
    Ok((StatusCode::CREATED, Json(view(&row, Some(dept)))))
}

/// `POST /api/purchases/{id}/acceptance` (the contracting department): the
/// deliverables accepted or not, dated, with the opinion.
pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<AcceptanceInput>,
) -> ApiResult<PurchaseView> {
    let user = user.require(&state, BUYERS, AuditAction::PurchaseAccept).await?;
    let row = sqlx::query("SELECT department_id, status FROM purchases WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db)
        .await?;
    let Some(row) = row.filter(|r| user.department_id == Some(r.get("department_id"))) else {
        return Err(user.out_of_scope(&state, AuditAction::PurchaseAccept, format!("purchase:{id}")).await);
    };
    let (result, on, note) = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    if row.get::<String, _>("status") != "contracted" {
        return Err(ConflictError::PurchaseAlreadyAccepted.into());
    }
    let mut tx = state.write_tx().await?;
    sqlx::query(
        "UPDATE purchases SET status = $1, accepted_on = $2, acceptance_note = $3 WHERE id = $4 AND status = 'contracted'",
    )
    .bind(result.code())
    .bind(on.to_string())
    .bind(&note)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "result": result.code(), "note": note });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::PurchaseAccept, format!("purchase:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    let row = sqlx::query(&format!("{SELECT} WHERE p.id = $1")).bind(id).fetch_one(&state.db).await?;
    Ok(Json(view(&row, user.department_id)))
}
