//! Cleanup (清理) as stored: the registers' entries and the campaigns as
//! typed rows; a review (the entry's move through [`super::transition`]
//! unless it is kept), re-checked under the write lock; closing a campaign,
//! a move from `open` only if unchanged.

use std::collections::BTreeMap;

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::cleanup::{CampaignStatus, Counts, Entry, EntryKind, EntryStatus, Review};
use sqlx::AnyConnection;

use super::transition::{self, Outcome, Set, Table, Transition};
use crate::audit::{self, Event, Who};

/// Entries move from `active` to `merged` or `removed` (the review row is
/// written before the move, as a review may keep the entry).
pub const ENTRIES: Table<EntryStatus> = Table::new("cleanup_entries", "cleanup_entry", None);

/// Campaigns move from `open` to `closed`.
pub const CAMPAIGNS: Table<CampaignStatus> = Table::new("cleanup_campaigns", "cleanup_campaign", None);

/// A community a register belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The communities at or under `scope`, or the one above it (a leader's own).
pub async fn communities(conn: &mut AnyConnection, scope: &str) -> Result<Vec<CommunityRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, code, name FROM org_nodes WHERE level = 'community' AND (path LIKE $1 || '%' OR $1 LIKE path || '%')
         ORDER BY code",
    )
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// A register entry with its community and the latest review's reason.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub community_id: i64,
    pub kind: String,
    pub name: String,
    pub source: String,
    pub basis: String,
    pub status: String,
    pub merged_into: Option<i64>,
    pub closed_in: Option<i64>,
    pub community_code: String,
    pub community_name: String,
    pub reason: Option<String>,
}

const ENTRY_SELECT: &str = "SELECT e.id, e.community_id, e.kind, e.name, e.source, e.basis, e.status, e.merged_into,
        e.closed_in, n.code AS community_code, n.name AS community_name,
        (SELECT r.reason FROM cleanup_reviews r WHERE r.entry_id = e.id ORDER BY r.id DESC LIMIT 1) AS reason
     FROM cleanup_entries e JOIN org_nodes n ON n.id = e.community_id";

/// Every entry, history included, by community code, kind and id.
pub async fn entries(conn: &mut AnyConnection) -> Result<Vec<EntryRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ENTRY_SELECT} ORDER BY n.code, e.kind, e.id")).fetch_all(conn).await
}

/// One entry.
pub async fn entry(conn: &mut AnyConnection, id: i64) -> Result<EntryRow, sqlx::Error> {
    sqlx::query_as(&format!("{ENTRY_SELECT} WHERE e.id = $1")).bind(id).fetch_one(conn).await
}

/// Registers a checked entry in force; its id.
pub async fn insert_entry(
    conn: &mut AnyConnection,
    community_id: i64,
    entry: &Entry,
    created_by: i64,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO cleanup_entries (community_id, kind, name, source, basis, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(community_id)
    .bind(entry.kind.code())
    .bind(&entry.name)
    .bind(&entry.source)
    .bind(&entry.basis)
    .bind(created_by)
    .bind(created_at)
    .fetch_one(conn)
    .await
}

/// Entries in force per community code, for the communities under `path`.
pub async fn counts_under(conn: &mut AnyConnection, path: &str) -> Result<BTreeMap<String, Counts>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT n.code, e.kind FROM cleanup_entries e JOIN org_nodes n ON n.id = e.community_id
         WHERE e.status = 'active' AND n.path LIKE $1 || '%'",
    )
    .bind(path)
    .fetch_all(conn)
    .await?;
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for (code, kind) in rows {
        if let Some(k) = EntryKind::from_code(&kind) {
            out.entry(code).or_default().add(k);
        }
    }
    Ok(out)
}

/// A campaign with its node's path and how many reviews it has.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    /// YYYY-MM-DD
    pub started_on: String,
    pub status: String,
    /// JSON {community code: Counts}.
    pub counts_before: String,
    /// JSON {community code: Counts}, once closed.
    pub counts_after: Option<String>,
    pub path: String,
    pub reviewed: i64,
}

/// One campaign.
pub async fn campaign(conn: &mut AnyConnection, id: i64) -> Result<CampaignRow, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.name, c.started_on, c.status, c.counts_before, c.counts_after, n.path,
            (SELECT COUNT(*) FROM cleanup_reviews r WHERE r.campaign_id = c.id) AS reviewed
         FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

/// The campaigns at, above or below the node `scope`, newest first.
pub async fn campaigns_around(conn: &mut AnyConnection, scope: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT c.id FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id
         WHERE n.path LIKE $1 || '%' OR $1 LIKE n.path || '%' ORDER BY c.id DESC",
    )
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// What a new campaign records.
pub struct NewCampaign<'a> {
    pub name: &'a str,
    pub org_node_id: i64,
    /// YYYY-MM-DD
    pub started_on: &'a str,
    /// JSON {community code: Counts}.
    pub counts_before: &'a str,
    pub created_by: i64,
    pub created_at: &'a str,
}

/// Inserts an open campaign; its id.
pub async fn insert_campaign(conn: &mut AnyConnection, c: &NewCampaign<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO cleanup_campaigns (name, org_node_id, started_on, counts_before, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(c.name)
    .bind(c.org_node_id)
    .bind(c.started_on)
    .bind(c.counts_before)
    .bind(c.created_by)
    .bind(c.created_at)
    .fetch_one(conn)
    .await
}

/// A campaign's status and its node's path.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignPlace {
    pub status: String,
    pub path: String,
}

/// Where campaign `id` stands.
pub async fn campaign_place(conn: &mut AnyConnection, id: i64) -> Result<Option<CampaignPlace>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.status, n.path FROM cleanup_campaigns c JOIN org_nodes n ON n.id = c.org_node_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// An entry as a review sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewedEntry {
    pub community_id: i64,
    pub kind: String,
    pub status: String,
}

/// Entry `id`, if it lies under `path`.
pub async fn entry_under(conn: &mut AnyConnection, id: i64, path: &str) -> Result<Option<ReviewedEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.community_id, e.kind, e.status FROM cleanup_entries e JOIN org_nodes n ON n.id = e.community_id
         WHERE e.id = $1 AND n.path LIKE $2 || '%'",
    )
    .bind(id)
    .bind(path)
    .fetch_optional(conn)
    .await
}

/// Where an entry may be merged: the other entries in force of its community and kind.
pub async fn merge_targets(
    conn: &mut AnyConnection,
    community_id: i64,
    kind: &str,
    except: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM cleanup_entries WHERE community_id = $1 AND kind = $2 AND status = 'active' AND id != $3",
    )
    .bind(community_id)
    .bind(kind)
    .bind(except)
    .fetch_all(conn)
    .await
}

/// What became of a review.
#[derive(Debug, PartialEq, Eq)]
pub enum Reviewed {
    /// The review row, the entry's status (unless kept) and the audit entry written.
    Recorded,
    /// The campaign closed meanwhile.
    CampaignClosed,
    /// The entry (or the merge target) was merged or removed meanwhile.
    EntryClosed,
    /// This campaign already has a verdict on the entry.
    AlreadyReviewed,
}

/// **A review**, in the caller's write transaction: checks again, under the
/// write lock, that the campaign is open and the entry (and a merge target)
/// still in force; records the verdict once per campaign and entry; moves the
/// entry (merged, removed) through [`transition::apply`], or for a kept entry
/// writes the audit entry alone. Anything but `Recorded` wrote nothing.
pub async fn record_review(
    conn: &mut AnyConnection,
    who: &Who,
    campaign_id: i64,
    entry_id: i64,
    review: &Review,
    reviewed_by: i64,
    reviewed_at: &str,
) -> Result<Reviewed, sqlx::Error> {
    let campaign_open: Option<String> = sqlx::query_scalar("SELECT status FROM cleanup_campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_optional(&mut *conn)
        .await?;
    if campaign_open.as_deref() != Some(CampaignStatus::Open.code()) {
        return Ok(Reviewed::CampaignClosed);
    }
    let open_entries: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM cleanup_entries WHERE status = 'active' AND id IN ($1, $2)")
            .bind(entry_id)
            .bind(review.merge_into.unwrap_or(entry_id))
            .fetch_all(&mut *conn)
            .await?;
    if !open_entries.contains(&entry_id) || review.merge_into.is_some_and(|t| !open_entries.contains(&t)) {
        return Ok(Reviewed::EntryClosed);
    }
    let inserted = sqlx::query(
        "INSERT INTO cleanup_reviews (campaign_id, entry_id, verdict, merge_into, reason, reviewed_by, reviewed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(campaign_id, entry_id) DO NOTHING",
    )
    .bind(campaign_id)
    .bind(entry_id)
    .bind(review.verdict.code())
    .bind(review.merge_into)
    .bind(&review.reason)
    .bind(reviewed_by)
    .bind(reviewed_at)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(Reviewed::AlreadyReviewed);
    }
    let detail =
        serde_json::json!({ "campaign": campaign_id, "verdict": review.verdict.code(), "reason": review.reason });
    if review.verdict.keeps() {
        let event = Event::success(AuditAction::CleanupReview, ENTRIES.object(entry_id)).detail(detail);
        audit::append(conn, who, &event).await?;
        return Ok(Reviewed::Recorded);
    }
    let moved = transition::apply(
        conn,
        who,
        Transition {
            table: &ENTRIES,
            id: entry_id,
            from: &[EntryStatus::Active],
            to: review.verdict.entry_status(),
            set: vec![Set::to("merged_into", review.merge_into), Set::to("closed_in", campaign_id)],
            step: vec![],
            action: AuditAction::CleanupReview,
            detail,
        },
    )
    .await?;
    Ok(if moved.is_moved() { Reviewed::Recorded } else { Reviewed::EntryClosed })
}

/// **Closes** campaign `id` with its counts after, only if it is still
/// open, and writes the audit entry ([`transition::apply`]).
pub async fn close(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    counts_after: &str,
    closed_at: &str,
) -> Result<Outcome<CampaignStatus>, sqlx::Error> {
    transition::apply(
        conn,
        who,
        Transition {
            table: &CAMPAIGNS,
            id,
            from: &[CampaignStatus::Open],
            to: CampaignStatus::Closed,
            set: vec![Set::to("counts_after", counts_after), Set::to("closed_at", closed_at)],
            step: vec![],
            action: AuditAction::CleanupClose,
            detail: serde_json::json!({}),
        },
    )
    .await
}
