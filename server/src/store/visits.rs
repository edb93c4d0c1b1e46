//! Visits (走访) as stored: typed rows ([`VisitRow`]) with their recorder's
//! name, the insert keyed by the tablet's UUID, and what a new visit is
//! checked against (the household's grid, the resident's household).

use sqlx::AnyConnection;

/// A visit with the display name of who recorded it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitRow {
    pub id: i64,
    pub idempotency_key: String,
    pub household_id: i64,
    pub resident_id: Option<i64>,
    pub outcome: String,
    pub needs: Option<String>,
    pub follow_up: Option<String>,
    /// RFC 3339, UTC.
    pub visited_at: String,
    pub display_name: String,
}

const SELECT: &str = "SELECT v.id, v.idempotency_key, v.household_id, v.resident_id, v.outcome, v.needs, v.follow_up,
        v.visited_at, a.display_name
     FROM visits v JOIN accounts a ON a.id = v.recorded_by";

/// One visit.
pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<VisitRow, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE v.id = $1")).bind(id).fetch_one(conn).await
}

/// A grid's visits on or after `since` (YYYY-MM-DD, Asia/Shanghai): how
/// many there are.
pub async fn count_since(conn: &mut AnyConnection, grid_id: i64, since: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM visits v WHERE v.grid_id = $1 AND v.visited_on >= $2")
        .bind(grid_id)
        .bind(since)
        .fetch_one(conn)
        .await
}

/// A page of a grid's visits on or after `since`, newest first.
pub async fn since(
    conn: &mut AnyConnection,
    grid_id: i64,
    since: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<VisitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE v.grid_id = $1 AND v.visited_on >= $2 ORDER BY v.visited_at DESC, v.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(grid_id)
    .bind(since)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// A household's grid: (grid id, grid path).
pub async fn household_grid(conn: &mut AnyConnection, household_id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT h.grid_id, g.path FROM households h JOIN org_nodes g ON g.id = h.grid_id WHERE h.id = $1")
        .bind(household_id)
        .fetch_optional(conn)
        .await
}

/// Whether resident `resident_id` lives in household `household_id`.
pub async fn resident_in(conn: &mut AnyConnection, resident_id: i64, household_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM residents WHERE id = $1 AND household_id = $2")
        .bind(resident_id)
        .bind(household_id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// A visit ready to store.
pub struct VisitEntry<'a> {
    pub idempotency_key: &'a str,
    pub request_sha256: &'a str,
    pub grid_id: i64,
    pub household_id: i64,
    pub resident_id: Option<i64>,
    pub outcome: &'a str,
    pub needs: Option<&'a str>,
    pub follow_up: Option<&'a str>,
    /// RFC 3339, UTC.
    pub visited_at: &'a str,
    /// YYYY-MM-DD, Asia/Shanghai.
    pub visited_on: &'a str,
    pub recorded_by: i64,
    /// RFC 3339, UTC.
    pub received_at: &'a str,
}

/// Inserts the visit; `None` when the idempotency key is already taken (a
/// retried sync: nothing is written).
pub async fn insert(conn: &mut AnyConnection, v: &VisitEntry<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO visits (idempotency_key, request_sha256, grid_id, household_id, resident_id, outcome, needs,
            follow_up, visited_at, visited_on, recorded_by, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT(idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(v.idempotency_key)
    .bind(v.request_sha256)
    .bind(v.grid_id)
    .bind(v.household_id)
    .bind(v.resident_id)
    .bind(v.outcome)
    .bind(v.needs)
    .bind(v.follow_up)
    .bind(v.visited_at)
    .bind(v.visited_on)
    .bind(v.recorded_by)
    .bind(v.received_at)
    .fetch_optional(conn)
    .await
}
