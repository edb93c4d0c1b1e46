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

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::auth::sha256_hex;
use crate::error::AppError;
use crate::idempotency;
use crate::json::JsonBody;
use crate::paging::{paged, PageQuery, Paged};
use crate::state::AppState;
use crate::store;
use crate::store::visits::{VisitEntry, VisitRow};

pub const RECORDERS: &[Role] = &[Role::GridMember, Role::CommunityLeader];

fn row_view(r: VisitRow) -> VisitView {
    VisitView {
        id: r.id,
        idempotency_key: r.idempotency_key,
        household_id: r.household_id,
        resident_id: r.resident_id,
        outcome_label: VisitOutcome::from_code(&r.outcome).map(VisitOutcome::label).unwrap_or_default().into(),
        outcome: r.outcome,
        needs: r.needs,
        follow_up: r.follow_up,
        visited_at: r.visited_at,
        recorded_by: r.display_name,
    }
}

async fn view(state: &AppState, id: i64) -> Result<VisitView, AppError> {
    Ok(row_view(store::visits::get(&mut *state.db.acquire().await?, id).await?))
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
    let household = store::visits::household_grid(&mut *state.db.acquire().await?, visit.household_id).await?;
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
        if !store::visits::resident_in(&mut *state.db.acquire().await?, rid, visit.household_id).await? {
            let field = Field::new("resident_id", "走访对象");
            return Err(AppError::unprocessable(
                &[field.error(FieldErrorKind::UnknownOption { raw: rid.to_string() })],
            ));
        }
    }
    let fingerprint = sha256_hex(&serde_json::to_string(&body.visit).map_err(AppError::internal)?);
    let visited_at = visit.visited_at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let visited_on = shanghai_date(visit.visited_at).to_string();
    let received_at = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let new = VisitEntry {
        idempotency_key: &key,
        request_sha256: &fingerprint,
        grid_id,
        household_id: visit.household_id,
        resident_id: visit.resident_id,
        outcome: visit.outcome.code(),
        needs: visit.needs.as_deref(),
        follow_up: visit.follow_up.as_deref(),
        visited_at: &visited_at,
        visited_on: &visited_on,
        recorded_by: user.account_id,
        received_at: &received_at,
    };
    let mut tx = state.write_tx().await?;
    let Some(id) = store::visits::insert(&mut tx, &new).await? else {
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
    let mut conn = state.db.acquire().await?;
    let total = store::visits::count_since(&mut conn, id, &since).await?;
    let rows = store::visits::since(&mut conn, id, &since, page.limit(), page.offset()).await?;
    paged(rows.into_iter().map(row_view).collect(), total, page)
}
