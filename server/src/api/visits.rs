//! Visits (走访) recorded on a tablet, often offline and sent later: each
//! carries the tablet's UUID as idempotency key, and the unique constraint on
//! it stores a retried sync exactly once.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{SecondsFormat, Utc};
use gongzhi_api::{NewVisit, VisitView};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::grid::visits::{VisitOutcome, FIELD_HOUSEHOLD};
use gongzhi_domain::time::shanghai_date;
use gongzhi_domain::{Field, FieldErrorKind, OrgPath, Role};
use sqlx::Row;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::auth::sha256_hex;
use crate::error::AppError;
use crate::idempotency;
use crate::json::JsonBody;
use crate::paging::{paged, PageQuery, Paged};
use crate::state::AppState;

pub const RECORDERS: &[Role] = &[Role::GridMember, Role::CommunityLeader];

const SELECT: &str = "SELECT v.*, a.display_name FROM visits v JOIN accounts a ON a.id = v.recorded_by";

fn row_view(r: &sqlx::any::AnyRow) -> VisitView {
    let outcome: String = r.get("outcome");
    VisitView {
        id: r.get("id"),
        idempotency_key: r.get("idempotency_key"),
        household_id: r.get("household_id"),
        resident_id: r.get("resident_id"),
        outcome_label: VisitOutcome::from_code(&outcome).map(VisitOutcome::label).unwrap_or_default().into(),
        outcome,
        needs: r.get("needs"),
        follow_up: r.get("follow_up"),
        visited_at: r.get("visited_at"),
        recorded_by: r.get("display_name"),
    }
}

async fn view(state: &AppState, id: i64) -> Result<VisitView, AppError> {
    let r = sqlx::query(&format!("{SELECT} WHERE v.id = $1")).bind(id).fetch_one(&state.db).await?;
    Ok(row_view(&r))
}

/// `POST /api/visits`: 201 with the new visit; 200 with the stored one when
/// the same key and body come again; 422 when the key came with another body.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewVisit>,
) -> Result<(StatusCode, Json<VisitView>), AppError> {
    let user = user.require(&state, RECORDERS, AuditAction::VisitCreate).await?;
    let key = idempotency::parse_key(&body.idempotency_key)?;
    let now = Utc::now();
    let visit = body.visit.parse(now).map_err(|e| AppError::fields(&e))?;
    // The household must be in the recorder's scope; a resident, in the household.
    let household: Option<(i64, String)> = sqlx::query_as(
        "SELECT h.grid_id, g.path FROM households h JOIN org_nodes g ON g.id = h.grid_id WHERE h.id = $1",
    )
    .bind(visit.household_id)
    .fetch_optional(&state.db)
    .await?;
    let exists = household.is_some();
    let Some((grid_id, _)) = household.filter(|(_, path)| OrgPath::parse(path).is_some_and(|p| user.sees(&p))) else {
        if exists {
            user.audit_foreign_reference(&state, AuditAction::VisitCreate, format!("household:{}", visit.household_id))
                .await?;
        }
        let raw = visit.household_id.to_string();
        return Err(AppError::unprocessable(&[FIELD_HOUSEHOLD.error(FieldErrorKind::UnknownOption { raw })]));
    };
    if let Some(rid) = visit.resident_id {
        let belongs: Option<i64> = sqlx::query_scalar("SELECT id FROM residents WHERE id = $1 AND household_id = $2")
            .bind(rid)
            .bind(visit.household_id)
            .fetch_optional(&state.db)
            .await?;
        if belongs.is_none() {
            let field = Field::new("resident_id", "走访对象");
            return Err(AppError::unprocessable(
                &[field.error(FieldErrorKind::UnknownOption { raw: rid.to_string() })],
            ));
        }
    }
    let fingerprint = sha256_hex(&serde_json::to_string(&body.visit).map_err(AppError::internal)?);
    let mut tx = state.write_tx().await?;
    let visited_at = visit.visited_at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO visits (idempotency_key, request_sha256, grid_id, household_id, resident_id, outcome, needs,
            follow_up, visited_at, visited_on, recorded_by, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT(idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(&key)
    .bind(&fingerprint)
    .bind(grid_id)
    .bind(visit.household_id)
    .bind(visit.resident_id)
    .bind(visit.outcome.code())
    .bind(&visit.needs)
    .bind(&visit.follow_up)
    .bind(&visited_at)
    .bind(shanghai_date(visit.visited_at).to_string())
    .bind(user.account_id)
    .bind(now.to_rfc3339_opts(SecondsFormat::Millis, true))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = inserted else {
        let id = idempotency::earlier(&mut tx, &idempotency::VISITS, user.account_id, &key, &fingerprint).await?;
        drop(tx);
        return Ok((StatusCode::OK, Json(view(&state, id).await?)));
    };
    let detail = serde_json::json!({
        "household": visit.household_id, "resident": visit.resident_id, "outcome": visit.outcome.code(), "visited_at": visited_at
    });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::VisitCreate, format!("visit:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view(&state, id).await?)))
}

/// `GET /api/grids/{id}/visits`: the grid's visits of the last 30 days,
/// newest first (what was done on the walk, for the grid member and the
/// community).
pub async fn recent(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(pq): Query<PageQuery>,
) -> Paged<VisitView> {
    let user = user.require(&state, crate::api::grid::READERS, AuditAction::VisitList).await?;
    crate::api::grid::grid_in_scope(&state, &user, id, AuditAction::VisitList).await?;
    let page = pq.page(200);
    let since = (state.today() - chrono::Days::new(30)).to_string();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits v WHERE v.grid_id = $1 AND v.visited_on >= $2")
        .bind(id)
        .bind(&since)
        .fetch_one(&state.db)
        .await?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE v.grid_id = $1 AND v.visited_on >= $2 ORDER BY v.visited_at DESC, v.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(id)
    .bind(since)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(&state.db)
    .await?;
    paged(rows.iter().map(row_view).collect(), total, page)
}
