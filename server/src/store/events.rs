//! Events (事件) as stored: the one insert of a new report, shared by a grid
//! member's report (`POST /api/events`) and an external tool's (`POST
//! /open311/v2/requests`), so both enter the loop the same way: the event
//! row in status `reported` and its first step; events as typed rows
//! ([`EventRow`]) with their steps; and a step of the loop, a move through
//! [`super::transition`].

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::grid::event::{EventAction, EventStatus};
use sqlx::AnyConnection;

use super::transition::{self, Outcome, Set, StepTable, Table, Transition};
use crate::audit::Who;

/// Events move through the loop's statuses, one `event_steps` row per move.
pub const EVENTS: Table<EventStatus> =
    Table::new("events", "event", Some(StepTable { name: "event_steps", record: "event_id" }));

/// An event with the names the views show.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub idempotency_key: String,
    pub path: String,
    pub category: String,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub status: String,
    pub department_id: Option<i64>,
    pub duplicate_of: Option<i64>,
    /// JSON array of ids.
    pub possible_duplicates: String,
    pub reported_by: i64,
    /// RFC 3339, UTC.
    pub reported_at: String,
    /// RFC 3339, UTC.
    pub stage_started_at: String,
    pub community_name: String,
    pub grid_name: Option<String>,
    pub department_name: Option<String>,
    /// The reporter's display name.
    pub reporter: String,
}

const SELECT: &str = "SELECT e.id, e.idempotency_key, e.path, e.category, e.description, e.lon, e.lat, e.status,
        e.department_id, e.duplicate_of, e.possible_duplicates, e.reported_by, e.reported_at, e.stage_started_at,
        c.name AS community_name, g.name AS grid_name, d.name AS department_name, a.display_name AS reporter
     FROM events e JOIN org_nodes c ON c.id = e.community_id LEFT JOIN org_nodes g ON g.id = e.grid_id
     LEFT JOIN departments d ON d.id = e.department_id JOIN accounts a ON a.id = e.reported_by";

/// One event.
pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE e.id = $1")).bind(id).fetch_optional(conn).await
}

/// Whose events a list holds.
pub enum Holder<'a> {
    /// Dispatched to a department.
    Department(i64),
    /// Under a node (an account's scope), or reported by an account.
    Scope { path: &'a str, reporter: i64 },
}

/// Which events a list holds by status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Open,
    Closed,
    All,
}

/// The events of `holder`, newest first.
pub async fn list(conn: &mut AnyConnection, holder: Holder<'_>, which: Which) -> Result<Vec<EventRow>, sqlx::Error> {
    let which = match which {
        Which::Closed => " AND e.status = 'closed'",
        Which::All => "",
        Which::Open => " AND e.status <> 'closed'",
    };
    match holder {
        Holder::Department(d) => {
            sqlx::query_as(&format!("{SELECT} WHERE e.department_id = $1{which} ORDER BY e.id DESC"))
                .bind(d)
                .fetch_all(conn)
                .await
        }
        Holder::Scope { path, reporter } => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE (e.path LIKE $1 || '%' OR e.reported_by = $2){which} ORDER BY e.id DESC"
            ))
            .bind(path)
            .bind(reporter)
            .fetch_all(conn)
            .await
        }
    }
}

/// One step of an event's loop, with its actor's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StepRow {
    pub action: String,
    pub to_status: String,
    pub note: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub display_name: String,
}

/// An event's steps, in order.
pub async fn steps(conn: &mut AnyConnection, id: i64) -> Result<Vec<StepRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.action, s.to_status, s.note, s.at, a.display_name FROM event_steps s JOIN accounts a ON a.id = s.actor_id
         WHERE s.event_id = $1 ORDER BY s.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// An open event's stage: what its clock runs on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StageRow {
    pub id: i64,
    pub category: String,
    pub status: String,
    /// RFC 3339, UTC.
    pub stage_started_at: String,
}

/// Every open event's stage, by id.
pub async fn open_stages(conn: &mut AnyConnection) -> Result<Vec<StageRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, category, status, stage_started_at FROM events WHERE status <> 'closed' ORDER BY id")
        .fetch_all(conn)
        .await
}

/// An open event's place, for finding duplicates.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlaceRow {
    pub id: i64,
    pub category: String,
    pub lon: f64,
    pub lat: f64,
}

/// The open events of a category in a community, but `except`.
pub async fn open_of_category(
    conn: &mut AnyConnection,
    community_id: i64,
    category: &str,
    except: Option<i64>,
) -> Result<Vec<PlaceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, category, lon, lat FROM events WHERE community_id = $1 AND category = $2 AND status <> 'closed' AND id <> $3",
    )
    .bind(community_id)
    .bind(category)
    .bind(except.unwrap_or(-1))
    .fetch_all(conn)
    .await
}

/// A department as events name it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartmentRow {
    pub code: String,
    pub id: i64,
    pub name: String,
}

/// Every department.
pub async fn departments(conn: &mut AnyConnection) -> Result<Vec<DepartmentRow>, sqlx::Error> {
    sqlx::query_as("SELECT code, id, name FROM departments").fetch_all(conn).await
}

/// The department with `code`.
pub async fn department_by_code(conn: &mut AnyConnection, code: Option<&str>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM departments WHERE code = $1").bind(code).fetch_optional(conn).await
}

/// Whether department `id` exists: its id.
pub async fn department(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM departments WHERE id = $1").bind(id).fetch_optional(conn).await
}

/// A node of the organisation where a report may go.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeRow {
    pub id: i64,
    pub level: String,
    pub parent_id: Option<i64>,
    pub path: String,
}

/// A grid's community and the grid's path (a grid always has its community).
pub async fn grid_place(conn: &mut AnyConnection, grid_id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT parent_id, path FROM org_nodes WHERE id = $1").bind(grid_id).fetch_optional(conn).await
}

/// An account's node.
pub async fn node(conn: &mut AnyConnection, id: i64) -> Result<NodeRow, sqlx::Error> {
    sqlx::query_as("SELECT id, level, parent_id, path FROM org_nodes WHERE id = $1").bind(id).fetch_one(conn).await
}

/// A node's path.
pub async fn node_path(conn: &mut AnyConnection, id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT path FROM org_nodes WHERE id = $1").bind(id).fetch_one(conn).await
}

/// One step of the loop, as [`record_step`] writes it.
pub struct Step<'a> {
    pub id: i64,
    pub action: EventAction,
    pub from: EventStatus,
    pub to: EventStatus,
    /// Who holds it after the step.
    pub department: Option<i64>,
    /// Set when marked a duplicate; otherwise what it was stays.
    pub duplicate_of: Option<i64>,
    pub note: &'a str,
    pub actor: i64,
    /// RFC 3339, UTC: now (the next stage's clock starts).
    pub at: &'a str,
    /// The audit trail's name for the action.
    pub audit: AuditAction,
    pub detail: serde_json::Value,
}

/// **A step of the loop**: the event moved from `from` to `to` only if
/// unchanged, its step row and the audit entry written
/// ([`transition::apply`]).
pub async fn record_step(
    conn: &mut AnyConnection,
    who: &Who,
    s: Step<'_>,
) -> Result<Outcome<EventStatus>, sqlx::Error> {
    transition::apply(
        conn,
        who,
        Transition {
            table: &EVENTS,
            id: s.id,
            from: &[s.from],
            to: s.to,
            set: vec![
                Set::to("department_id", s.department),
                Set::if_given("duplicate_of", s.duplicate_of),
                Set::to("stage_started_at", s.at),
                Set::to("updated_at", s.at),
            ],
            step: vec![
                ("action", s.action.code().into()),
                ("to_status", s.to.code().into()),
                ("note", s.note.into()),
                ("actor_id", s.actor.into()),
                ("at", s.at.into()),
            ],
            action: s.audit,
            detail: s.detail,
        },
    )
    .await
}

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
