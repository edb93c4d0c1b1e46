//! Admission files (准入申请) as stored: the file as a typed row
//! ([`FileRow`]), its form and communities, its consultations, solicited
//! opinions, guides and training, its timeline; and a step of the review,
//! a move through [`super::transition`] ([`move_file`]).

use chrono::{Datelike, NaiveDate, SecondsFormat, Utc};
use gongzhi_domain::admission::application::{CommunityScope, FundingPlan};
use gongzhi_domain::admission::negative_list::{NegativeList, NegativeMatch};
use gongzhi_domain::admission::{AdmissionApplication, AdmissionApplicationInput, AdmissionPath, AdmissionStatus};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::OrgPath;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::transition::{self, Outcome, Set, StepTable, Table, Transition, Value};
use crate::audit::{self, Event, Who};
use crate::error::AppError;
use crate::idempotency;

/// One line on a file's timeline.
pub async fn add_event(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    at: &str,
    actor: &str,
    step: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO admission_events (application_id, at, actor, action, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(at)
        .bind(actor)
        .bind(step)
        .bind(note)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes the form's columns (insert done by the caller) and its communities.
pub async fn store_form(
    tx: &mut AnyConnection,
    id: i64,
    form: &AdmissionApplicationInput,
    application: &AdmissionApplication,
    community_ids: &[i64],
) -> Result<(), AppError> {
    let (fen, period) = match &application.funding {
        FundingPlan::PerCommunity { amount, period } => (Some(amount.fen()), Some(period.code())),
        FundingPlan::NoCost { .. } => (None, None),
    };
    let matches = NegativeList::bundled().matches(&application.searchable_text());
    sqlx::query(
        "UPDATE admission_applications SET form = $1, item_name = $2, scope_all = $3, start_date = $4, funding_fen = $5,
            funding_period = $6, negative_matches = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(serde_json::to_string(form).map_err(AppError::internal)?)
    .bind(&application.item_name)
    .bind(i64::from(matches!(application.scope, CommunityScope::All)))
    .bind(application.start_date.to_string())
    .bind(fen)
    .bind(period)
    .bind(serde_json::to_string(&matches).map_err(AppError::internal)?)
    .bind(Utc::now().to_rfc3339())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM admission_communities WHERE application_id = $1").bind(id).execute(&mut *tx).await?;
    for community in community_ids {
        sqlx::query("INSERT INTO admission_communities (application_id, community_id) VALUES ($1, $2)")
            .bind(id)
            .bind(community)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// What a new file starts with, besides the form.
pub struct NewFile {
    pub key: String,
    pub fingerprint: String,
    pub department_id: i64,
    pub org_node_id: i64,
    pub status: AdmissionStatus,
    pub paper: bool,
    /// Today, or for a paper file its acceptance date at the latest.
    pub submitted_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// For a paper file that is exempt: registered on acceptance.
    pub decided_on: Option<NaiveDate>,
}

/// Inserts a file, or finds the one an earlier try with the same key made.
/// `Ok(Err(id))` is that earlier file.
pub async fn insert_file(
    tx: &mut AnyConnection,
    account_id: i64,
    new: &NewFile,
    application: &AdmissionApplication,
) -> Result<Result<(i64, String), i64>, AppError> {
    let year = new.accepted_on.unwrap_or_else(|| gongzhi_domain::time::shanghai_date(Utc::now())).year();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admission_applications WHERE file_no LIKE $1")
        .bind(format!("ZR-{year}-%"))
        .fetch_one(&mut *tx)
        .await?;
    let file_no = format!("ZR-{year}-{:04}", n + 1);
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    // The unique key decides, not a check-then-insert.
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO admission_applications (file_no, idempotency_key, request_sha256, department_id, org_node_id, path,
            status, form, item_name, scope_all, start_date, paper, submitted_at, submitted_on, accepted_on, decided_on,
            decided_by, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', '', 1, '', $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT(idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(&file_no)
    .bind(&new.key)
    .bind(&new.fingerprint)
    .bind(new.department_id)
    .bind(new.org_node_id)
    .bind(application.path.code())
    .bind(new.status.code())
    .bind(i64::from(new.paper))
    .bind(&now)
    .bind(new.submitted_on.to_string())
    .bind(new.accepted_on.map(|d| d.to_string()))
    .bind(new.decided_on.map(|d| d.to_string()))
    .bind(new.decided_on.map(|_| account_id))
    .bind(account_id)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = inserted else {
        let id =
            idempotency::earlier(tx, &idempotency::ADMISSION_FILES, account_id, &new.key, &new.fingerprint).await?;
        return Ok(Err(id));
    };
    Ok(Ok((id, file_no)))
}

/// Admission files move through the review's statuses, one timeline line
/// (`admission_events`) per move; the audit trail names them `admission:id`.
pub const FILES: Table<AdmissionStatus> = Table::new(
    "admission_applications",
    "admission",
    Some(StepTable { name: "admission_events", record: "application_id" }),
);

/// One application as stored, with its department's and decider's names.
#[derive(Debug, Clone)]
pub struct FileRow {
    pub id: i64,
    pub file_no: String,
    pub department_id: i64,
    pub department_code: String,
    pub department_name: String,
    pub org_path: OrgPath,
    pub path: AdmissionPath,
    pub status: AdmissionStatus,
    pub form: AdmissionApplicationInput,
    pub item_name: String,
    pub scope_all: bool,
    pub funding_fen: Option<i64>,
    pub funding_period: Option<String>,
    pub negative_matches: Vec<NegativeMatch>,
    pub paper: bool,
    pub submitted_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub return_reason: Option<String>,
    pub extension_days: u32,
    pub extension_reason: Option<String>,
    pub extension_approver: Option<String>,
    pub solicit_scope: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub decision_meeting: Option<String>,
    pub decision_note: Option<String>,
    pub decided_by_name: Option<String>,
    pub delivered_at: Option<String>,
}

const SELECT: &str = "SELECT a.*, d.code AS department_code, d.name AS department_name, n.path AS org_path,
        db.display_name AS decided_by_name
     FROM admission_applications a JOIN departments d ON d.id = a.department_id
     JOIN org_nodes n ON n.id = a.org_node_id LEFT JOIN accounts db ON db.id = a.decided_by";

fn date(row: &AnyRow, column: &str) -> Result<Option<NaiveDate>, sqlx::Error> {
    Ok(row.try_get::<Option<String>, _>(column)?.and_then(|s| s.parse().ok()))
}

fn flag(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}

impl<'r> sqlx::FromRow<'r, AnyRow> for FileRow {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let bad = |what: &str| sqlx::Error::Decode(format!("admission row: bad {what}").into());
        Ok(Self {
            id: row.try_get("id")?,
            file_no: row.try_get("file_no")?,
            department_id: row.try_get("department_id")?,
            department_code: row.try_get("department_code")?,
            department_name: row.try_get("department_name")?,
            org_path: OrgPath::parse(row.try_get("org_path")?).ok_or_else(|| bad("path"))?,
            path: AdmissionPath::from_code(row.try_get("path")?).ok_or_else(|| bad("admission path"))?,
            status: AdmissionStatus::from_code(row.try_get("status")?).ok_or_else(|| bad("status"))?,
            form: serde_json::from_str(row.try_get("form")?).map_err(|_| bad("form"))?,
            item_name: row.try_get("item_name")?,
            scope_all: flag(row, "scope_all")?,
            funding_fen: row.try_get("funding_fen")?,
            funding_period: row.try_get("funding_period")?,
            negative_matches: serde_json::from_str(row.try_get("negative_matches")?).unwrap_or_default(),
            paper: flag(row, "paper")?,
            submitted_on: date(row, "submitted_on")?.unwrap_or_default(),
            accepted_on: date(row, "accepted_on")?,
            return_reason: row.try_get("return_reason")?,
            extension_days: row.try_get::<i64, _>("extension_days")?.try_into().unwrap_or(0),
            extension_reason: row.try_get("extension_reason")?,
            extension_approver: row.try_get("extension_approver")?,
            solicit_scope: row.try_get("solicit_scope")?,
            decided_on: date(row, "decided_on")?,
            decision_meeting: row.try_get("decision_meeting")?,
            decision_note: row.try_get("decision_note")?,
            decided_by_name: row.try_get("decided_by_name")?,
            delivered_at: row.try_get("delivered_at")?,
        })
    }
}

/// One file.
pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE a.id = $1")).bind(id).fetch_optional(conn).await
}

/// Every file with a running or stopped clock, by id.
pub async fn clocked(conn: &mut AnyConnection) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE a.accepted_on IS NOT NULL ORDER BY a.id")).fetch_all(conn).await
}

/// Whose files a list holds.
pub enum Holder<'a> {
    /// A department's own files and those it was consulted on.
    Department(i64),
    /// The files of departments under a node (an account's scope).
    Under(&'a str),
}

/// The files of `holder`.
pub async fn list(conn: &mut AnyConnection, holder: Holder<'_>) -> Result<Vec<FileRow>, sqlx::Error> {
    match holder {
        Holder::Department(d) => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE a.department_id = $1 OR a.id IN
                   (SELECT application_id FROM admission_consultations WHERE department_id = $1)"
            ))
            .bind(d)
            .fetch_all(conn)
            .await
        }
        Holder::Under(path) => {
            sqlx::query_as(&format!("{SELECT} WHERE n.path LIKE $1 || '%'")).bind(path).fetch_all(conn).await
        }
    }
}

/// The admitted files (approved or registered), the latest decision first.
pub async fn admitted(conn: &mut AnyConnection) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE a.status IN ('approved', 'registered') ORDER BY a.decided_on DESC"))
        .fetch_all(conn)
        .await
}

/// A department with its node.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartmentRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub org_node_id: i64,
    pub path: String,
}

/// How a department is named.
#[derive(Clone, Copy, Debug)]
pub enum DepartmentBy<'a> {
    Id(i64),
    Code(&'a str),
}

/// One department.
pub async fn department(conn: &mut AnyConnection, by: DepartmentBy<'_>) -> Result<Option<DepartmentRow>, sqlx::Error> {
    let select = "SELECT d.id, d.code, d.name, d.org_node_id, n.path FROM departments d
        JOIN org_nodes n ON n.id = d.org_node_id";
    match by {
        DepartmentBy::Id(id) => {
            sqlx::query_as(&format!("{select} WHERE d.id = $1")).bind(id).fetch_optional(conn).await
        }
        DepartmentBy::Code(code) => {
            sqlx::query_as(&format!("{select} WHERE d.code = $1")).bind(code).fetch_optional(conn).await
        }
    }
}

/// A department as the forms name it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartmentName {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// Every department, by id.
pub async fn departments(conn: &mut AnyConnection) -> Result<Vec<DepartmentName>, sqlx::Error> {
    sqlx::query_as("SELECT id, code, name FROM departments ORDER BY id").fetch_all(conn).await
}

/// A community under a node, with its street.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub street: String,
}

/// The communities under the node at `path`, by code.
pub async fn communities_under(conn: &mut AnyConnection, path: &str) -> Result<Vec<CommunityRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.code, c.name, s.name AS street FROM org_nodes c JOIN org_nodes s ON s.id = c.parent_id
         WHERE c.level = 'community' AND c.path LIKE $1 || '%' ORDER BY c.code",
    )
    .bind(path)
    .fetch_all(conn)
    .await
}

/// The root node's path (the catalogue lists the communities under it).
pub async fn root_path(conn: &mut AnyConnection) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT path FROM org_nodes WHERE parent_id IS NULL ORDER BY id LIMIT 1")
        .fetch_optional(conn)
        .await
}

/// A community a file lists (when it does not cover all).
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct ListedRow {
    pub application_id: i64,
    pub community_id: i64,
}

/// The communities file `id` lists; every file's when `id` is `None`.
pub async fn listed_communities(conn: &mut AnyConnection, id: Option<i64>) -> Result<Vec<ListedRow>, sqlx::Error> {
    match id {
        Some(id) => {
            sqlx::query_as("SELECT application_id, community_id FROM admission_communities WHERE application_id = $1")
                .bind(id)
                .fetch_all(conn)
                .await
        }
        None => sqlx::query_as("SELECT application_id, community_id FROM admission_communities").fetch_all(conn).await,
    }
}

/// The names of the communities file `id` lists: (node id, name).
pub async fn community_names(conn: &mut AnyConnection, id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.name FROM admission_communities c JOIN org_nodes n ON n.id = c.community_id WHERE c.application_id = $1",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// A department consulted on a file, with its answer once given.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsultationRow {
    pub department_id: i64,
    pub code: String,
    pub name: String,
    pub stance: Option<String>,
    pub text: Option<String>,
    /// 1 when a reviewer entered it from a letter.
    pub entered_for: i64,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<String>,
}

/// The departments consulted on file `id`, in the order asked.
pub async fn consultations(conn: &mut AnyConnection, id: i64) -> Result<Vec<ConsultationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.department_id, d.code, d.name, c.stance, c.text, c.entered_for, a.display_name AS answered_by_name,
            c.answered_at
         FROM admission_consultations c
         JOIN departments d ON d.id = c.department_id LEFT JOIN accounts a ON a.id = c.answered_by
         WHERE c.application_id = $1 ORDER BY c.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// One department's consultation on a file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AskedRow {
    pub id: i64,
    pub stance: Option<String>,
}

/// Whether department `department` was consulted on file `id`, and its stance.
pub async fn consultation(conn: &mut AnyConnection, id: i64, department: i64) -> Result<Option<AskedRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, stance FROM admission_consultations WHERE application_id = $1 AND department_id = $2")
        .bind(id)
        .bind(department)
        .fetch_optional(conn)
        .await
}

/// Asks `department` for its opinion on file `id` (once: asking again keeps the first).
pub async fn ask(conn: &mut AnyConnection, id: i64, department: i64, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO admission_consultations (application_id, department_id, asked_at) VALUES ($1, $2, $3)
         ON CONFLICT(application_id, department_id) DO NOTHING",
    )
    .bind(id)
    .bind(department)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// An opinion as [`answer`] records it.
pub struct Answer<'a> {
    pub stance: &'a str,
    pub text: &'a str,
    pub by: i64,
    /// Entered by a reviewer from a letter.
    pub for_letter: bool,
    pub at: &'a str,
}

/// Records the opinion of consultation `consultation` only if none is yet
/// recorded; false when one was.
pub async fn answer(conn: &mut AnyConnection, consultation: i64, a: &Answer<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE admission_consultations SET stance = $1, text = $2, answered_by = $3, entered_for = $4, answered_at = $5
         WHERE id = $6 AND stance IS NULL",
    )
    .bind(a.stance)
    .bind(a.text)
    .bind(a.by)
    .bind(i64::from(a.for_letter))
    .bind(a.at)
    .bind(consultation)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// How many opinions the solicitation on file `id` gathered.
pub async fn solicited_count(conn: &mut AnyConnection, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM admission_solicited WHERE application_id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// An opinion gathered in the solicitation, with who recorded it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SolicitedRow {
    pub source: String,
    pub text: String,
    pub display_name: String,
    pub recorded_at: String,
}

/// The opinions gathered on file `id`, in order.
pub async fn solicited(conn: &mut AnyConnection, id: i64) -> Result<Vec<SolicitedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.source, s.text, a.display_name, s.recorded_at FROM admission_solicited s
         JOIN accounts a ON a.id = s.recorded_by WHERE s.application_id = $1 ORDER BY s.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Records one opinion gathered in the solicitation.
pub async fn add_solicited(
    conn: &mut AnyConnection,
    id: i64,
    source: &str,
    text: &str,
    by: i64,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO admission_solicited (application_id, source, text, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(source)
    .bind(text)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// One line of a file's timeline as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TimelineRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub note: String,
}

/// File `id`'s timeline, in order.
pub async fn timeline(conn: &mut AnyConnection, id: i64) -> Result<Vec<TimelineRow>, sqlx::Error> {
    sqlx::query_as("SELECT at, actor, action, note FROM admission_events WHERE application_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(conn)
        .await
}

/// A member of staff named to guide and train (the phone in full).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GuideRow {
    pub name: String,
    pub phone: String,
    pub named_at: String,
}

/// File `id`'s guides, in order.
pub async fn guides(conn: &mut AnyConnection, id: i64) -> Result<Vec<GuideRow>, sqlx::Error> {
    sqlx::query_as("SELECT name, phone, named_at FROM admission_guides WHERE application_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(conn)
        .await
}

/// Names a guide for file `id`.
pub async fn add_guide(
    conn: &mut AnyConnection,
    id: i64,
    name: &str,
    phone: &str,
    by: i64,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO admission_guides (application_id, name, phone, named_by, named_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(name)
    .bind(phone)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Training held in a community, with the community's code and name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrainingRow {
    pub code: String,
    pub name: String,
    /// YYYY-MM-DD
    pub held_on: String,
    pub trainer: String,
    pub attendees: i64,
    pub topic: String,
}

/// File `id`'s trainings, by day.
pub async fn trainings(conn: &mut AnyConnection, id: i64) -> Result<Vec<TrainingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.code, n.name, t.held_on, t.trainer, t.attendees, t.topic FROM admission_trainings t
         JOIN org_nodes n ON n.id = t.community_id WHERE t.application_id = $1 ORDER BY t.held_on, t.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// A training held for a file in a community (by the community's code).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeldRow {
    pub application_id: i64,
    pub code: String,
    /// YYYY-MM-DD
    pub held_on: String,
}

/// Every training held, for every file.
pub async fn held(conn: &mut AnyConnection) -> Result<Vec<HeldRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.application_id, n.code, t.held_on FROM admission_trainings t JOIN org_nodes n ON n.id = t.community_id",
    )
    .fetch_all(conn)
    .await
}

/// Training as [`add_training`] records it.
pub struct NewTraining<'a> {
    pub community_id: i64,
    pub held_on: NaiveDate,
    pub trainer: &'a str,
    pub attendees: u32,
    pub topic: &'a str,
    pub by: i64,
    pub at: &'a str,
}

/// Records training held for file `id`.
pub async fn add_training(conn: &mut AnyConnection, id: i64, t: &NewTraining<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO admission_trainings (application_id, community_id, held_on, trainer, attendees, topic,
            recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(t.community_id)
    .bind(t.held_on.to_string())
    .bind(t.trainer)
    .bind(i64::from(t.attendees))
    .bind(t.topic)
    .bind(t.by)
    .bind(t.at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records file `id`'s one extension only if it has none; false when it has.
pub async fn extend(
    conn: &mut AnyConnection,
    id: i64,
    days: u32,
    reason: &str,
    approver: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE admission_applications SET extension_days = $1, extension_reason = $2, extension_approver = $3
         WHERE id = $4 AND extension_days = 0",
    )
    .bind(i64::from(days))
    .bind(reason)
    .bind(approver)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Records that file `id`'s result was sent, only once; false when it was.
pub async fn mark_delivered(conn: &mut AnyConnection, id: i64, at: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE admission_applications SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// The path of department `id`'s node.
pub async fn department_path(conn: &mut AnyConnection, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT n.path FROM departments d JOIN org_nodes n ON n.id = d.org_node_id WHERE d.id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A line on a file's timeline: when, by whom (display name), the step's
/// code and its note.
#[derive(Clone, Copy, Debug)]
pub struct Line<'a> {
    /// RFC 3339, UTC.
    pub at: &'a str,
    pub actor: &'a str,
    pub step: &'a str,
    pub note: &'a str,
}

/// A step that moves no status (a submission's insert, a paper intake,
/// delivery, guides, training): its timeline line and audit entry.
pub async fn record_step(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    line: Line<'_>,
    action: AuditAction,
    detail: serde_json::Value,
) -> Result<i64, sqlx::Error> {
    add_event(&mut *conn, id, line.at, line.actor, line.step, line.note).await?;
    let event = Event::success(action, FILES.object(id)).detail(detail);
    audit::append(&mut *conn, who, &event).await
}

/// What a move of a file's status records beside the status.
#[derive(Clone, Copy, Debug)]
pub enum Records<'a> {
    /// Nothing more.
    Nothing,
    /// Accepted on `on` (the clock starts; a return's reason is cleared); an
    /// exempt item is registered at once, decided by `registered_by` that day.
    Accept { on: &'a str, registered_by: Option<i64> },
    /// Returned for completion with `reason`: the clock and any extension are cleared.
    Return { reason: &'a str },
    /// Resubmitted on `on`, on `path` (the form itself: [`store_form`]).
    Resubmit { path: &'a str, on: &'a str },
    /// The scope of the solicitation.
    Solicit { scope: &'a str },
    /// The leading group's decision.
    Decide { on: &'a str, meeting: &'a str, note: &'a str, by: i64 },
}

/// One move of a file, as [`move_file`] writes it.
pub struct Move<'a> {
    pub id: i64,
    pub from: AdmissionStatus,
    pub to: AdmissionStatus,
    pub records: Records<'a>,
    /// The timeline's line (`at` is also the file's `updated_at`).
    pub line: Line<'a>,
    pub action: AuditAction,
    pub detail: serde_json::Value,
}

/// **A step of the review**: file `id` moved from `from` to `to` (possibly
/// the same status: a step that must see the file unchanged) only if it is
/// still `from`, with what the step records, its timeline line and its audit
/// entry ([`transition::apply`]). Anything but `Moved`: nothing was written.
pub async fn move_file(
    conn: &mut AnyConnection,
    who: &Who,
    m: Move<'_>,
) -> Result<Outcome<AdmissionStatus>, sqlx::Error> {
    let none = Value::Text(None);
    let mut set = match m.records {
        Records::Nothing => vec![],
        Records::Accept { on, registered_by } => vec![
            Set::to("accepted_on", on),
            Set::to("return_reason", none),
            Set::to("decided_on", registered_by.map(|_| on)),
            Set::to("decided_by", registered_by),
        ],
        Records::Return { reason } => vec![
            Set::to("return_reason", reason),
            Set::to("accepted_on", none),
            Set::to("extension_days", 0_i64),
            Set::to("extension_reason", none),
            Set::to("extension_approver", none),
        ],
        Records::Resubmit { path, on } => vec![Set::to("path", path), Set::to("submitted_on", on)],
        Records::Solicit { scope } => vec![Set::to("solicit_scope", scope)],
        Records::Decide { on, meeting, note, by } => vec![
            Set::to("decided_on", on),
            Set::to("decision_meeting", meeting),
            Set::to("decision_note", note),
            Set::to("decided_by", by),
        ],
    };
    set.push(Set::to("updated_at", m.line.at));
    let t = Transition {
        table: &FILES,
        id: m.id,
        from: &[m.from],
        to: m.to,
        set,
        step: vec![
            ("at", m.line.at.into()),
            ("actor", m.line.actor.into()),
            ("action", m.line.step.into()),
            ("note", m.line.note.into()),
        ],
        action: m.action,
        detail: m.detail,
    };
    transition::apply(conn, who, t).await
}
