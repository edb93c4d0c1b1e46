//! Events (事件): the one insert of a new report, shared by a grid member's
//! report (`POST /api/events`) and an external tool's (`POST
//! /open311/v2/requests`), so both enter the loop the same way: the event
//! row in status `reported` and its first step.

use sqlx::AnyConnection;

/// A report ready to store, placed in its community (and grid).
pub struct NewReport<'a> {
    pub idempotency_key: &'a str,
    pub request_sha256: &'a str,
    pub community_id: i64,
    pub grid_id: Option<i64>,
    pub path: &'a str,
    pub category: &'a str,
    pub description: &'a str,
    pub lon: f64,
    pub lat: f64,
    /// Ids of the open events of the same category within 50 m.
    pub possible_duplicates: &'a [i64],
    pub reported_by: i64,
    /// RFC 3339, UTC: when the reporter wrote it.
    pub reported_at: &'a str,
    /// RFC 3339, UTC: now (received, and the start of the registration clock).
    pub received_at: &'a str,
}

/// Inserts the event and its report step; `None` when the idempotency key
/// is already taken (a retry: nothing is written).
pub async fn insert_report(tx: &mut AnyConnection, r: &NewReport<'_>) -> Result<Option<i64>, sqlx::Error> {
    let duplicates = serde_json::to_string(r.possible_duplicates).unwrap_or_else(|_| "[]".into());
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO events (idempotency_key, request_sha256, community_id, grid_id, path, category, description, lon, lat,
            status, possible_duplicates, reported_by, reported_at, received_at, stage_started_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'reported', $10, $11, $12, $13, $14, $15)
         ON CONFLICT(idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(r.idempotency_key)
    .bind(r.request_sha256)
    .bind(r.community_id)
    .bind(r.grid_id)
    .bind(r.path)
    .bind(r.category)
    .bind(r.description)
    .bind(r.lon)
    .bind(r.lat)
    .bind(duplicates)
    .bind(r.reported_by)
    .bind(r.reported_at)
    .bind(r.received_at)
    // The clock of registration runs from when the community could first see it.
    .bind(r.received_at)
    .bind(r.received_at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = inserted else { return Ok(None) };
    sqlx::query("INSERT INTO event_steps (event_id, action, to_status, note, actor_id, at) VALUES ($1, 'report', 'reported', '', $2, $3)")
        .bind(id)
        .bind(r.reported_by)
        .bind(r.received_at)
        .execute(&mut *tx)
        .await?;
    Ok(Some(id))
}
