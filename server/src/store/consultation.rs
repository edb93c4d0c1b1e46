//! Consultation and deliberation (协商议事) as stored: matters and their
//! co-signers (one row per resident: the key decides), meetings (one planned
//! per matter: a unique index decides), attendance (once each), follow-up
//! items. Status moves go through [`transition`].

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::consultation::{
    Attendance, FollowUpStatus, Matter, MatterOrigin, MatterStatus, Meeting, MeetingRecord, MeetingStatus,
};
use sqlx::AnyConnection;

use super::transition::{self, Outcome, Set, Table, Transition};
use crate::audit::Who;

/// Matters move collecting → accepted → resolved → closed.
pub const MATTERS: Table<MatterStatus> = Table::new("consultation_matters", "consultation_matter", None);
/// Meetings move planned → held.
pub const MEETINGS: Table<MeetingStatus> = Table::new("consultation_meetings", "consultation_meeting", None);
/// Follow-ups move open → done → published.
pub const FOLLOW_UPS: Table<FollowUpStatus> = Table::new("consultation_follow_ups", "consultation_follow_up", None);

/// The co-signers community `id` requires, if it set a number.
pub async fn cosigners_needed(conn: &mut AnyConnection, community: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT cosigners_needed FROM consultation_settings WHERE community_id = $1")
        .bind(community)
        .fetch_optional(conn)
        .await
}

/// Sets the co-signers community `id` requires (for matters raised from now on).
pub async fn set_cosigners_needed(conn: &mut AnyConnection, community: i64, n: u32) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_settings (community_id, cosigners_needed) VALUES ($1, $2)
         ON CONFLICT(community_id) DO UPDATE SET cosigners_needed = excluded.cosigners_needed",
    )
    .bind(community)
    .bind(i64::from(n))
    .execute(conn)
    .await?;
    Ok(())
}

/// A matter with its community and its co-signers' count.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MatterRow {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub community_path: String,
    pub kind: String,
    pub origin: String,
    pub title: String,
    pub description: String,
    pub parties: String,
    pub status: String,
    pub cosigners_needed: i64,
    pub raised_on: String,
    pub cosigners: i64,
}

const MATTER: &str = "SELECT m.id, m.community_id, c.name AS community_name, c.path AS community_path, m.kind,
        m.origin, m.title, m.description, m.parties, m.status, m.cosigners_needed, m.raised_on,
        (SELECT COUNT(*) FROM consultation_cosigners x WHERE x.matter_id = m.id) AS cosigners
     FROM consultation_matters m JOIN org_nodes c ON c.id = m.community_id";

/// The matters of the communities in `scope` (or the one it lies in), newest first.
pub async fn matters(conn: &mut AnyConnection, scope: &str) -> Result<Vec<MatterRow>, sqlx::Error> {
    sqlx::query_as(&format!("{MATTER} WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY m.id DESC"))
        .bind(scope)
        .fetch_all(conn)
        .await
}

/// Matter `id`.
pub async fn matter(conn: &mut AnyConnection, id: i64) -> Result<Option<MatterRow>, sqlx::Error> {
    sqlx::query_as(&format!("{MATTER} WHERE m.id = $1")).bind(id).fetch_optional(conn).await
}

/// What a new matter is stored with besides its content.
pub struct NewMatter<'a> {
    pub community: i64,
    pub origin: MatterOrigin,
    pub status: MatterStatus,
    pub cosigners_needed: u32,
    pub by: i64,
    pub at: &'a str,
    pub on: chrono::NaiveDate,
}

/// Stores a matter; its id.
pub async fn insert_matter(conn: &mut AnyConnection, m: &Matter, n: &NewMatter<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO consultation_matters (community_id, kind, origin, title, description, parties, status,
            cosigners_needed, raised_by, raised_at, raised_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(n.community)
    .bind(m.kind.code())
    .bind(n.origin.code())
    .bind(&m.title)
    .bind(&m.description)
    .bind(serde_json::to_string(&m.parties).unwrap_or_else(|_| "[]".into()))
    .bind(n.status.code())
    .bind(i64::from(n.cosigners_needed))
    .bind(n.by)
    .bind(n.at)
    .bind(n.on.to_string())
    .fetch_one(conn)
    .await
}

/// Records `resident` behind `matter`; `false` when they already were.
pub async fn cosign(conn: &mut AnyConnection, matter: i64, resident: i64, at: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO consultation_cosigners (matter_id, resident_id, signed_at) VALUES ($1, $2, $3)
         ON CONFLICT(matter_id, resident_id) DO NOTHING",
    )
    .bind(matter)
    .bind(resident)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many residents are behind `matter`.
pub async fn cosigners(conn: &mut AnyConnection, matter: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM consultation_cosigners WHERE matter_id = $1")
        .bind(matter)
        .fetch_one(conn)
        .await
}

/// Whether `resident` is behind `matter`.
pub async fn has_cosigned(conn: &mut AnyConnection, matter: i64, resident: i64) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM consultation_cosigners WHERE matter_id = $1 AND resident_id = $2")
            .bind(matter)
            .bind(resident)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// The matters in `scope` that `resident` is behind.
pub async fn cosigned_by(conn: &mut AnyConnection, resident: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT matter_id FROM consultation_cosigners WHERE resident_id = $1")
        .bind(resident)
        .fetch_all(conn)
        .await
}

/// Moves matter `id` from one of `from` to `to` with its audit entry, only if unchanged.
pub async fn move_matter(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    (from, to): (&[MatterStatus], MatterStatus),
    action: AuditAction,
    detail: serde_json::Value,
) -> Result<Outcome<MatterStatus>, sqlx::Error> {
    let t = Transition { table: &MATTERS, id, from, to, set: vec![], step: vec![], action, detail };
    transition::apply(conn, who, t).await
}

/// A meeting as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub matter_id: i64,
    pub kind: String,
    pub date: String,
    pub time: String,
    pub place: String,
    pub invited: String,
    pub status: String,
    pub minutes: Option<String>,
    pub resolution: Option<String>,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub outcome: Option<String>,
    pub referred_to: Option<String>,
}

const MEETING: &str = "SELECT id, matter_id, kind, date, time, place, invited, status, minutes, resolution,
        votes_for, votes_against, votes_abstain, outcome, referred_to FROM consultation_meetings";

/// The meetings on `matter`, in order.
pub async fn meetings(conn: &mut AnyConnection, matter: i64) -> Result<Vec<MeetingRow>, sqlx::Error> {
    sqlx::query_as(&format!("{MEETING} WHERE matter_id = $1 ORDER BY id")).bind(matter).fetch_all(conn).await
}

/// Meeting `id`.
pub async fn meeting(conn: &mut AnyConnection, id: i64) -> Result<Option<MeetingRow>, sqlx::Error> {
    sqlx::query_as(&format!("{MEETING} WHERE id = $1")).bind(id).fetch_optional(conn).await
}

/// The planned meetings' days of the matters in `scope`: (matter, date).
pub async fn planned_in(conn: &mut AnyConnection, scope: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.matter_id, g.date FROM consultation_meetings g
         JOIN consultation_matters m ON m.id = g.matter_id JOIN org_nodes c ON c.id = m.community_id
         WHERE g.status = 'planned' AND (c.path LIKE $1 || '%' OR $1 LIKE c.path || '%')",
    )
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// Stores a planned meeting on `matter`; its id, or `None` when one is
/// planned already (the unique index decides).
pub async fn insert_meeting(
    conn: &mut AnyConnection,
    matter: i64,
    m: &Meeting,
    by: i64,
    at: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO consultation_meetings (matter_id, kind, date, time, place, invited, planned_by, planned_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(matter)
    .bind(m.kind.code())
    .bind(m.date.to_string())
    .bind(&m.time)
    .bind(&m.place)
    .bind(serde_json::to_string(&m.invited).unwrap_or_else(|_| "[]".into()))
    .bind(by)
    .bind(at)
    .fetch_optional(conn)
    .await
}

/// Records meeting `id` as held with its record, only if still planned.
pub async fn record_meeting(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    r: &MeetingRecord,
    (by, at): (i64, &str),
    detail: serde_json::Value,
) -> Result<Outcome<MeetingStatus>, sqlx::Error> {
    let vote = |f: fn(&gongzhi_domain::consultation::Votes) -> u32| r.votes.as_ref().map(|v| i64::from(f(v)));
    let (outcome, referred) = match &r.outcome {
        Some((o, to)) => (Some(o.code()), to.as_deref()),
        None => (None, None),
    };
    let t = Transition {
        table: &MEETINGS,
        id,
        from: &[MeetingStatus::Planned],
        to: MeetingStatus::Held,
        set: vec![
            Set::to("minutes", r.minutes.as_str()),
            Set::to("resolution", r.resolution.as_str()),
            Set::to("votes_for", vote(|v| v.for_)),
            Set::to("votes_against", vote(|v| v.against)),
            Set::to("votes_abstain", vote(|v| v.abstain)),
            Set::to("outcome", outcome),
            Set::to("referred_to", referred),
            Set::to("recorded_by", Some(by)),
            Set::to("recorded_at", at),
        ],
        step: vec![],
        action: AuditAction::ConsultationRecord,
        detail,
    };
    transition::apply(conn, who, t).await
}

/// An attendance as shown to staff.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttendanceRow {
    pub meeting_id: i64,
    pub name: String,
    pub capacity: String,
    pub method: String,
}

/// The attendance of the meetings on `matter`, in order of signing in.
pub async fn attendance(conn: &mut AnyConnection, matter: i64) -> Result<Vec<AttendanceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.meeting_id, a.name, a.capacity, a.method FROM consultation_attendance a
         JOIN consultation_meetings g ON g.id = a.meeting_id WHERE g.matter_id = $1 ORDER BY a.id",
    )
    .bind(matter)
    .fetch_all(conn)
    .await
}

/// How many signed in to meeting `id`.
pub async fn present(conn: &mut AnyConnection, meeting: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM consultation_attendance WHERE meeting_id = $1")
        .bind(meeting)
        .fetch_one(conn)
        .await
}

/// Signs `a` in to `meeting`; `false` when they already were (the unique keys decide).
pub async fn attend(
    conn: &mut AnyConnection,
    meeting: i64,
    a: &Attendance,
    by: i64,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO consultation_attendance (meeting_id, name, capacity, method, resident_id, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(meeting)
    .bind(&a.name)
    .bind(a.capacity.code())
    .bind(a.method.code())
    .bind(a.resident_id)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A follow-up item as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowUpRow {
    pub id: i64,
    pub matter_id: i64,
    pub task: String,
    pub owner: String,
    pub due_on: String,
    pub due_provisional: i64,
    pub status: String,
    pub note: Option<String>,
    pub done_on: Option<String>,
    pub published_on: Option<String>,
}

const FOLLOW_UP: &str =
    "SELECT f.id, f.matter_id, f.task, f.owner, f.due_on, f.due_provisional, f.status, f.note, f.done_on, f.published_on
     FROM consultation_follow_ups f";

/// The follow-ups of `matter`, in order.
pub async fn follow_ups(conn: &mut AnyConnection, matter: i64) -> Result<Vec<FollowUpRow>, sqlx::Error> {
    sqlx::query_as(&format!("{FOLLOW_UP} WHERE f.matter_id = $1 ORDER BY f.id")).bind(matter).fetch_all(conn).await
}

/// The follow-ups of the matters in `scope`.
pub async fn follow_ups_in(conn: &mut AnyConnection, scope: &str) -> Result<Vec<FollowUpRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{FOLLOW_UP} JOIN consultation_matters m ON m.id = f.matter_id JOIN org_nodes c ON c.id = m.community_id
         WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%'"
    ))
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// Follow-up `id`.
pub async fn follow_up(conn: &mut AnyConnection, id: i64) -> Result<Option<FollowUpRow>, sqlx::Error> {
    sqlx::query_as(&format!("{FOLLOW_UP} WHERE f.id = $1")).bind(id).fetch_optional(conn).await
}

/// Stores a follow-up of `matter` decided at `meeting`, due on `due_on`.
pub async fn insert_follow_up(
    conn: &mut AnyConnection,
    (matter, meeting): (i64, i64),
    f: &gongzhi_domain::consultation::FollowUp,
    (due_on, provisional): (&str, bool),
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO consultation_follow_ups (matter_id, meeting_id, task, owner, working_days, due_on, due_provisional)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(matter)
    .bind(meeting)
    .bind(&f.task)
    .bind(&f.owner)
    .bind(i64::from(f.working_days))
    .bind(due_on)
    .bind(i64::from(provisional))
    .fetch_one(conn)
    .await
}

/// Moves follow-up `id` on (reported done with its note, or published),
/// only if unchanged.
pub async fn move_follow_up(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    (from, to): (FollowUpStatus, FollowUpStatus),
    (on, by, note): (&str, i64, Option<&str>),
) -> Result<Outcome<FollowUpStatus>, sqlx::Error> {
    let (set, action) = match to {
        FollowUpStatus::Published => {
            (vec![Set::to("published_on", on), Set::to("published_by", Some(by))], AuditAction::ConsultationPublish)
        }
        _ => (
            vec![Set::to("note", note), Set::to("done_on", on), Set::to("done_by", Some(by))],
            AuditAction::ConsultationFollowUpDone,
        ),
    };
    let detail = serde_json::json!({ "from": from.code(), "to": to.code() });
    let t = Transition { table: &FOLLOW_UPS, id, from: &[from], to, set, step: vec![], action, detail };
    transition::apply(conn, who, t).await
}
