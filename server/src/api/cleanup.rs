//! Cleanup (清理): per-community registers of work items, bodies, ledgers and
//! plaques, and campaigns that review each entry — keep, merge, remove — with
//! a reason. Nothing is deleted: removed and merged entries stay as history,
//! and each campaign keeps the counts from before it.
//!
//! Reviewers work on the communities in their scope; a community leader keeps
//! the register of their own community and sees its campaigns.

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::ConflictError;
use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use gongzhi_api::{CampaignView, CleanupEntryView, CommunityCounts, NewCampaign, NewReview};
use gongzhi_domain::cleanup::{Counts, EntryInput, EntryKind, Verdict, FIELD_CAMPAIGN_NAME};
use gongzhi_domain::{OrgPath, Role};
use serde::Deserialize;
use sqlx::{AnyConnection, Row};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;

pub const READERS: &[Role] = &[Role::Reviewer, Role::CommunityLeader];
pub const REVIEWERS: &[Role] = &[Role::Reviewer];

/// Communities in the caller's scope (a leader's is their own): (id, code, name).
async fn communities(state: &AppState, scope: &OrgPath) -> Result<Vec<(i64, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, code, name FROM org_nodes WHERE level = 'community' AND (path LIKE $1 || '%' OR $1 LIKE path || '%')
         ORDER BY code",
    )
    .bind(scope.as_str())
    .fetch_all(&state.db)
    .await?)
}

const ENTRY_SELECT: &str = "SELECT e.*, n.code AS community_code, n.name AS community_name,
        (SELECT r.reason FROM cleanup_reviews r WHERE r.entry_id = e.id ORDER BY r.id DESC LIMIT 1) AS reason
     FROM cleanup_entries e JOIN org_nodes n ON n.id = e.community_id";

fn entry_view(r: &sqlx::any::AnyRow) -> CleanupEntryView {
    let kind: String = r.get("kind");
    let status: String = r.get("status");
    CleanupEntryView {
        id: r.get("id"),
        community_code: r.get("community_code"),
        community_name: r.get("community_name"),
        kind_label: EntryKind::from_code(&kind).map(EntryKind::label).unwrap_or_default().into(),
        kind,
        name: r.get("name"),
        source: r.get("source"),
        basis: r.get("basis"),
        status_label: match status.as_str() {
            "active" => "在册",
            "merged" => "已合并",
            _ => "已清理",
        }
        .into(),
        status,
        merged_into: r.get("merged_into"),
        closed_in: r.get("closed_in"),
        reason: r.get("reason"),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct EntryFilter {
    community: Option<String>,
}

/// `GET /api/cleanup/entries`: the registers in scope, history included.
pub async fn entries(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<EntryFilter>,
) -> ApiResult<Vec<CleanupEntryView>> {
    let user = user.require(&state, READERS, AuditAction::CleanupEntries).await?;
    let ids: Vec<i64> = communities(&state, &user.scope)
        .await?
        .into_iter()
        .filter(|c| f.community.as_deref().is_none_or(|code| code.is_empty() || code == c.1))
        .map(|c| c.0)
        .collect();
    let rows = sqlx::query(&format!("{ENTRY_SELECT} ORDER BY n.code, e.kind, e.id")).fetch_all(&state.db).await?;
    Ok(Json(rows.iter().filter(|r| ids.contains(&r.get("community_id"))).map(entry_view).collect()))
}

/// `POST /api/cleanup/entries`: registers what a community carries.
pub async fn add_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<EntryInput>,
) -> Result<(StatusCode, Json<CleanupEntryView>), AppError> {
    let user = user.require(&state, READERS, AuditAction::CleanupAdd).await?;
    let mine = communities(&state, &user.scope).await?;
    let entry = body.parse(&|c| mine.iter().any(|m| m.1 == c)).map_err(|e| AppError::fields(&e))?;
    let community_id = mine.iter().find(|m| m.1 == entry.community).map(|m| m.0).unwrap_or_default();
    let mut tx = state.write_tx().await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO cleanup_entries (community_id, kind, name, source, basis, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(community_id)
    .bind(entry.kind.code())
    .bind(&entry.name)
    .bind(&entry.source)
    .bind(&entry.basis)
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .fetch_one(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "community": entry.community, "kind": entry.kind.code(), "name": entry.name });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::CleanupAdd, format!("cleanup_entry:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    let row = sqlx::query(&format!("{ENTRY_SELECT} WHERE e.id = $1")).bind(id).fetch_one(&state.db).await?;
    Ok((StatusCode::CREATED, Json(entry_view(&row))))
}

/// Entries in force per community code, for the communities under `path`.
async fn counts_under(conn: &mut AnyConnection, path: &str) -> Result<BTreeMap<String, Counts>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT n.code, e.kind FROM cleanup_entries e JOIN org_nodes n ON n.id = e.community_id
         WHERE e.status = 'active' AND n.path LIKE $1 || '%'",
    )
    .bind(path)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for (code, kind) in rows {
        if let Some(k) = EntryKind::from_code(&kind) {
            out.entry(code).or_default().add(k);
        }
    }
    Ok(out)
}

async fn campaign_view(state: &AppState, id: i64) -> Result<CampaignView, AppError> {
    let row = sqlx::query(
        "SELECT c.*, n.path, (SELECT COUNT(*) FROM cleanup_reviews r WHERE r.campaign_id = c.id) AS reviewed
         FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(&state.db)
    .await?;
    let before: BTreeMap<String, Counts> = serde_json::from_str(row.get("counts_before")).unwrap_or_default();
    let after: BTreeMap<String, Counts> = match row.get::<Option<String>, _>("counts_after") {
        Some(json) => serde_json::from_str(&json).unwrap_or_default(),
        None => counts_under(&mut *state.db.acquire().await?, row.get("path")).await?,
    };
    let path = OrgPath::parse(row.get("path")).ok_or_else(|| AppError::internal("bad path"))?;
    let mut view = CampaignView {
        id,
        name: row.get("name"),
        started_on: row.get::<String, _>("started_on").parse().unwrap_or_default(),
        status: row.get("status"),
        reviewed: row.get::<i64, _>("reviewed") as u32,
        communities: vec![],
        city_before: Counts::default(),
        city_after: Counts::default(),
    };
    for (_, code, name) in communities(state, &path).await? {
        let b = before.get(&code).cloned().unwrap_or_default();
        let a = after.get(&code).cloned().unwrap_or_default();
        view.city_before.merge(&b);
        view.city_after.merge(&a);
        view.communities.push(CommunityCounts { community_code: code, community_name: name, before: b, after: a });
    }
    Ok(view)
}

/// Campaigns the caller may see: at, above or below their node.
async fn visible_campaigns(state: &AppState, user: &CurrentUser) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT c.id FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id
         WHERE n.path LIKE $1 || '%' OR $1 LIKE n.path || '%' ORDER BY c.id DESC",
    )
    .bind(user.scope.as_str())
    .fetch_all(&state.db)
    .await?)
}

/// `GET /api/cleanup/campaigns`
pub async fn campaigns(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<CampaignView>> {
    let user = user.require(&state, READERS, AuditAction::CleanupCampaigns).await?;
    let mut out = Vec::new();
    for id in visible_campaigns(&state, &user).await? {
        out.push(campaign_view(&state, id).await?);
    }
    Ok(Json(out))
}

/// `POST /api/cleanup/campaigns` (reviewer): starts a campaign over the
/// communities in the reviewer's scope, recording what is in force now.
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewCampaign>,
) -> Result<(StatusCode, Json<CampaignView>), AppError> {
    let user = user.require(&state, REVIEWERS, AuditAction::CleanupStart).await?;
    let name = FIELD_CAMPAIGN_NAME.required_text(&body.name, 60).map_err(|e| AppError::fields(&[e]))?;
    let mut tx = state.write_tx().await?;
    let before = counts_under(&mut tx, user.scope.as_str()).await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO cleanup_campaigns (name, org_node_id, started_on, counts_before, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&name)
    .bind(user.org_node_id)
    .bind(state.today().to_string())
    .bind(serde_json::to_string(&before).map_err(AppError::internal)?)
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .fetch_one(&mut *tx)
    .await?;
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::CleanupStart, format!("cleanup_campaign:{id}")))
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(campaign_view(&state, id).await?)))
}

/// An open campaign the reviewer may act on: (id, path).
async fn open_campaign(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<String, AppError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT c.status, n.path FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db)
    .await?;
    match row {
        Some((status, path)) if OrgPath::parse(&path).is_some_and(|p| user.sees(&p)) => {
            if status != "open" {
                return Err(ConflictError::CleanupCampaignClosed.into());
            }
            Ok(path)
        }
        _ => Err(user.out_of_scope(state, action, format!("cleanup_campaign:{id}")).await),
    }
}

/// `POST /api/cleanup/campaigns/{id}/reviews` (reviewer): keep, merge or
/// remove one entry, with a reason. The entry's status changes at once; the
/// entry itself stays, as history.
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewReview>,
) -> Result<(StatusCode, Json<CleanupEntryView>), AppError> {
    let user = user.require(&state, REVIEWERS, AuditAction::CleanupReview).await?;
    let path = open_campaign(&state, &user, id, AuditAction::CleanupReview).await?;
    let entry: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT e.community_id, e.kind, e.status FROM cleanup_entries e JOIN org_nodes n ON n.id = e.community_id
         WHERE e.id = $1 AND n.path LIKE $2 || '%'",
    )
    .bind(body.entry_id)
    .bind(&path)
    .fetch_optional(&state.db)
    .await?;
    let Some((community_id, kind, status)) = entry else {
        let e = gongzhi_domain::Field::new("entry_id", "清理条目")
            .error(gongzhi_domain::FieldErrorKind::UnknownOption { raw: body.entry_id.to_string() });
        return Err(AppError::fields(&[e]));
    };
    // Merge targets: other entries in force, same community and kind.
    let targets: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM cleanup_entries WHERE community_id = $1 AND kind = $2 AND status = 'active' AND id != $3",
    )
    .bind(community_id)
    .bind(&kind)
    .bind(body.entry_id)
    .fetch_all(&state.db)
    .await?;
    let review = body.review.parse(&|t| targets.contains(&t)).map_err(|e| AppError::fields(&e))?;
    if status != "active" {
        return Err(ConflictError::CleanupEntryClosed.into());
    }
    let mut tx = state.write_tx().await?;
    // Checked again under the write lock: the campaign may have closed, the
    // entry (or the merge target) been closed by another campaign meanwhile.
    let campaign_open: Option<String> = sqlx::query_scalar("SELECT status FROM cleanup_campaigns WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    if campaign_open.as_deref() != Some("open") {
        return Err(ConflictError::CleanupCampaignClosed.into());
    }
    let open_entries: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM cleanup_entries WHERE status = 'active' AND id IN ($1, $2)")
            .bind(body.entry_id)
            .bind(review.merge_into.unwrap_or(body.entry_id))
            .fetch_all(&mut *tx)
            .await?;
    if !open_entries.contains(&body.entry_id) || review.merge_into.is_some_and(|t| !open_entries.contains(&t)) {
        return Err(ConflictError::CleanupEntryClosed.into());
    }
    let inserted = sqlx::query(
        "INSERT INTO cleanup_reviews (campaign_id, entry_id, verdict, merge_into, reason, reviewed_by, reviewed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(campaign_id, entry_id) DO NOTHING",
    )
    .bind(id)
    .bind(body.entry_id)
    .bind(review.verdict.code())
    .bind(review.merge_into)
    .bind(&review.reason)
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(ConflictError::CleanupAlreadyReviewed.into());
    }
    if !review.verdict.keeps() {
        let new_status = if review.verdict == Verdict::Merge { "merged" } else { "removed" };
        sqlx::query(
            "UPDATE cleanup_entries SET status = $1, merged_into = $2, closed_in = $3 WHERE id = $4 AND status = 'active'",
        )
        .bind(new_status)
        .bind(review.merge_into)
        .bind(id)
        .bind(body.entry_id)
        .execute(&mut *tx)
        .await?;
    }
    let detail = serde_json::json!({ "campaign": id, "verdict": review.verdict.code(), "reason": review.reason });
    let event = Event::success(AuditAction::CleanupReview, format!("cleanup_entry:{}", body.entry_id)).detail(detail);
    audit::append(&mut tx, &user.who(), &event).await?;
    tx.commit().await?;
    let row = sqlx::query(&format!("{ENTRY_SELECT} WHERE e.id = $1")).bind(body.entry_id).fetch_one(&state.db).await?;
    Ok((StatusCode::CREATED, Json(entry_view(&row))))
}

/// `POST /api/cleanup/campaigns/{id}/close` (reviewer): ends the campaign and
/// keeps its counts after.
pub async fn close(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<CampaignView> {
    let user = user.require(&state, REVIEWERS, AuditAction::CleanupClose).await?;
    let path = open_campaign(&state, &user, id, AuditAction::CleanupClose).await?;
    let mut tx = state.write_tx().await?;
    let after = counts_under(&mut tx, &path).await?;
    let closed = sqlx::query(
        "UPDATE cleanup_campaigns SET status = 'closed', counts_after = $1, closed_at = $2 WHERE id = $3 AND status = 'open'",
    )
    .bind(serde_json::to_string(&after).map_err(AppError::internal)?)
    .bind(Utc::now().to_rfc3339())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    // Closed meanwhile by another request: nothing recorded twice.
    if closed.rows_affected() == 0 {
        return Err(ConflictError::CleanupCampaignClosed.into());
    }
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::CleanupClose, format!("cleanup_campaign:{id}")))
        .await?;
    tx.commit().await?;
    Ok(Json(campaign_view(&state, id).await?))
}
