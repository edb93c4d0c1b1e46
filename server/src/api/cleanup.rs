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
use gongzhi_domain::cleanup::{CampaignStatus, Counts, EntryInput, EntryKind, EntryStatus, FIELD_CAMPAIGN_NAME};
use gongzhi_domain::{OrgPath, Role};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::cleanup::{self as store, CommunityRow, EntryRow, Reviewed};
use crate::store::transition::Outcome;

pub const READERS: &[Role] = &[Role::Reviewer, Role::CommunityLeader];
pub const REVIEWERS: &[Role] = &[Role::Reviewer];

/// Communities in the caller's scope (a leader's is their own).
async fn communities(state: &AppState, scope: &OrgPath) -> Result<Vec<CommunityRow>, AppError> {
    Ok(store::communities(&mut *state.db.acquire().await?, scope.as_str()).await?)
}

fn entry_view(r: EntryRow) -> CleanupEntryView {
    CleanupEntryView {
        id: r.id,
        community_code: r.community_code,
        community_name: r.community_name,
        kind_label: EntryKind::from_code(&r.kind).map(EntryKind::label).unwrap_or_default().into(),
        kind: r.kind,
        name: r.name,
        source: r.source,
        basis: r.basis,
        status_label: EntryStatus::from_code(&r.status).unwrap_or(EntryStatus::Removed).label().into(),
        status: r.status,
        merged_into: r.merged_into,
        closed_in: r.closed_in,
        reason: r.reason,
    }
}

async fn load_entry(state: &AppState, id: i64) -> Result<CleanupEntryView, AppError> {
    Ok(entry_view(store::entry(&mut *state.db.acquire().await?, id).await?))
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
        .filter(|c| f.community.as_deref().is_none_or(|code| code.is_empty() || code == c.code))
        .map(|c| c.id)
        .collect();
    let rows = store::entries(&mut *state.db.acquire().await?).await?;
    Ok(Json(rows.into_iter().filter(|r| ids.contains(&r.community_id)).map(entry_view).collect()))
}

/// `POST /api/cleanup/entries`: registers what a community carries.
pub async fn add_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<EntryInput>,
) -> Result<(StatusCode, Json<CleanupEntryView>), AppError> {
    let user = user.require(&state, READERS, AuditAction::CleanupAdd).await?;
    let mine = communities(&state, &user.scope).await?;
    let entry = body.parse(&|c| mine.iter().any(|m| m.code == c)).map_err(|e| AppError::fields(&e))?;
    let community_id = mine.iter().find(|m| m.code == entry.community).map(|m| m.id).unwrap_or_default();
    let mut tx = state.write_tx().await?;
    let id = store::insert_entry(&mut tx, community_id, &entry, user.account_id, &Utc::now().to_rfc3339()).await?;
    let detail = serde_json::json!({ "community": entry.community, "kind": entry.kind.code(), "name": entry.name });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::CleanupAdd, store::ENTRIES.object(id)).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load_entry(&state, id).await?)))
}

async fn campaign_view(state: &AppState, id: i64) -> Result<CampaignView, AppError> {
    let row = store::campaign(&mut *state.db.acquire().await?, id).await?;
    let before: BTreeMap<String, Counts> = serde_json::from_str(&row.counts_before).unwrap_or_default();
    let after: BTreeMap<String, Counts> = match &row.counts_after {
        Some(json) => serde_json::from_str(json).unwrap_or_default(),
        None => store::counts_under(&mut *state.db.acquire().await?, &row.path).await?,
    };
    let path = OrgPath::parse(&row.path).ok_or_else(|| AppError::internal("bad path"))?;
    let mut view = CampaignView {
        id,
        name: row.name,
        started_on: row.started_on.parse().unwrap_or_default(),
        status: row.status,
        reviewed: row.reviewed as u32,
        communities: vec![],
        city_before: Counts::default(),
        city_after: Counts::default(),
    };
    for CommunityRow { code, name, .. } in communities(state, &path).await? {
        let b = before.get(&code).cloned().unwrap_or_default();
        let a = after.get(&code).cloned().unwrap_or_default();
        view.city_before.merge(&b);
        view.city_after.merge(&a);
        view.communities.push(CommunityCounts { community_code: code, community_name: name, before: b, after: a });
    }
    Ok(view)
}

/// `GET /api/cleanup/campaigns`: the campaigns at, above or below the
/// caller's node.
pub async fn campaigns(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<CampaignView>> {
    let user = user.require(&state, READERS, AuditAction::CleanupCampaigns).await?;
    let ids = store::campaigns_around(&mut *state.db.acquire().await?, user.scope.as_str()).await?;
    let mut out = Vec::new();
    for id in ids {
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
    let before = store::counts_under(&mut tx, user.scope.as_str()).await?;
    let new = store::NewCampaign {
        name: &name,
        org_node_id: user.org_node_id,
        started_on: &state.today().to_string(),
        counts_before: &serde_json::to_string(&before).map_err(AppError::internal)?,
        created_by: user.account_id,
        created_at: &Utc::now().to_rfc3339(),
    };
    let id = store::insert_campaign(&mut tx, &new).await?;
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::CleanupStart, store::CAMPAIGNS.object(id)))
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(campaign_view(&state, id).await?)))
}

/// An open campaign the reviewer may act on: its node's path.
async fn open_campaign(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<String, AppError> {
    let row = store::campaign_place(&mut *state.db.acquire().await?, id).await?;
    match row {
        Some(c) if OrgPath::parse(&c.path).is_some_and(|p| user.sees(&p)) => {
            if c.status != CampaignStatus::Open.code() {
                return Err(ConflictError::CleanupCampaignClosed.into());
            }
            Ok(c.path)
        }
        _ => Err(user.out_of_scope(state, action, store::CAMPAIGNS.object(id)).await),
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
    let mut conn = state.db.acquire().await?;
    let Some(entry) = store::entry_under(&mut conn, body.entry_id, &path).await? else {
        let e = gongzhi_domain::Field::new("entry_id", "清理条目")
            .error(gongzhi_domain::FieldErrorKind::UnknownOption { raw: body.entry_id.to_string() });
        return Err(AppError::fields(&[e]));
    };
    // Merge targets: other entries in force, same community and kind.
    let targets = store::merge_targets(&mut conn, entry.community_id, &entry.kind, body.entry_id).await?;
    drop(conn);
    let review = body.review.parse(&|t| targets.contains(&t)).map_err(|e| AppError::fields(&e))?;
    if entry.status != EntryStatus::Active.code() {
        return Err(ConflictError::CleanupEntryClosed.into());
    }
    let mut tx = state.write_tx().await?;
    // Checked again under the write lock: the campaign may have closed, the
    // entry (or the merge target) been closed by another campaign meanwhile.
    let at = Utc::now().to_rfc3339();
    match store::record_review(&mut tx, &user.who(), id, body.entry_id, &review, user.account_id, &at).await? {
        Reviewed::Recorded => {}
        Reviewed::CampaignClosed => return Err(ConflictError::CleanupCampaignClosed.into()),
        Reviewed::EntryClosed => return Err(ConflictError::CleanupEntryClosed.into()),
        Reviewed::AlreadyReviewed => return Err(ConflictError::CleanupAlreadyReviewed.into()),
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load_entry(&state, body.entry_id).await?)))
}

/// `POST /api/cleanup/campaigns/{id}/close` (reviewer): ends the campaign and
/// keeps its counts after.
pub async fn close(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<CampaignView> {
    let user = user.require(&state, REVIEWERS, AuditAction::CleanupClose).await?;
    let path = open_campaign(&state, &user, id, AuditAction::CleanupClose).await?;
    let mut tx = state.write_tx().await?;
    let after = store::counts_under(&mut tx, &path).await?;
    let after = serde_json::to_string(&after).map_err(AppError::internal)?;
    match store::close(&mut tx, &user.who(), id, &after, &Utc::now().to_rfc3339()).await? {
        Outcome::Moved { .. } => {}
        // Closed meanwhile by another request: nothing recorded twice.
        Outcome::Changed { .. } | Outcome::NotFound => return Err(ConflictError::CleanupCampaignClosed.into()),
    }
    tx.commit().await?;
    Ok(Json(campaign_view(&state, id).await?))
}
