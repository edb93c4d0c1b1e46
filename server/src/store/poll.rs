//! Opinion polls (民意调查) as stored: polls (moved open → closed through
//! [`transition`]), who answered (one row per resident: the unique key
//! decides across channels) apart from what was answered (answers under a
//! random key, no resident, no time).

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::poll::{Answer, Audience, Poll, PollStatus};
use sqlx::AnyConnection;

use super::transition::{self, Outcome, Transition};
use crate::audit::Who;

/// Polls move open → closed.
pub const POLLS: transition::Table<PollStatus> = transition::Table::new("poll_polls", "poll", None);

/// A poll with its community and questionnaires' count.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PollRow {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub community_path: String,
    pub title: String,
    pub intro: String,
    pub audience: String,
    pub questions: String,
    pub until: String,
    pub status: String,
    pub responses: i64,
}

const POLL: &str = "SELECT p.id, p.community_id, c.name AS community_name, c.path AS community_path, p.title,
        p.intro, p.audience, p.questions, p.until, p.status,
        (SELECT COUNT(*) FROM poll_respondents v WHERE v.poll_id = p.id) AS responses
     FROM poll_polls p JOIN org_nodes c ON c.id = p.community_id";

/// The polls of the communities in `scope` (or the one it lies in), newest first.
pub async fn polls(conn: &mut AnyConnection, scope: &str) -> Result<Vec<PollRow>, sqlx::Error> {
    sqlx::query_as(&format!("{POLL} WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY p.id DESC"))
        .bind(scope)
        .fetch_all(conn)
        .await
}

/// Poll `id`.
pub async fn poll(conn: &mut AnyConnection, id: i64) -> Result<Option<PollRow>, sqlx::Error> {
    sqlx::query_as(&format!("{POLL} WHERE p.id = $1")).bind(id).fetch_optional(conn).await
}

/// Stores a poll of `community`; its id.
pub async fn insert_poll(
    conn: &mut AnyConnection,
    community: i64,
    p: &Poll,
    (by, at): (i64, &str),
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO poll_polls (community_id, title, intro, audience, questions, until, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(community)
    .bind(&p.title)
    .bind(&p.intro)
    .bind(serde_json::to_string(&p.audience).unwrap_or_default())
    .bind(serde_json::to_string(&p.questions).unwrap_or_else(|_| "[]".into()))
    .bind(p.until.to_string())
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// `(1, 2, 3)`: ids written into SQL as numbers (they are `i64`, never text).
fn id_list(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("({})", list.join(", "))
}

/// The grids among `ids` (at most `poll::MAX_GRIDS`) that lie in the community at `path`.
pub async fn grids_in(conn: &mut AnyConnection, path: &str, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_scalar(&format!(
        "SELECT id FROM org_nodes WHERE level = 'grid' AND path LIKE $1 || '%' AND id IN {}",
        id_list(ids)
    ))
    .bind(path)
    .fetch_all(conn)
    .await
}

/// The names of grids `ids`, in the order of their ids.
pub async fn grid_names(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_scalar(&format!("SELECT name FROM org_nodes WHERE id IN {} ORDER BY id", id_list(ids)))
        .fetch_all(conn)
        .await
}

/// A register entry as a poll sees it: where the resident lives, and their group.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Respondent {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub grid_id: i64,
    pub path: String,
    pub special_group: Option<String>,
}

const RESPONDENT: &str = "SELECT r.id, r.name, r.address, r.org_node_id AS grid_id, n.path, r.special_group
     FROM residents r JOIN org_nodes n ON n.id = r.org_node_id";

/// Register entry `id`.
pub async fn respondent(conn: &mut AnyConnection, id: i64) -> Result<Option<Respondent>, sqlx::Error> {
    sqlx::query_as(&format!("{RESPONDENT} WHERE r.id = $1")).bind(id).fetch_optional(conn).await
}

/// A register entry found for a poll's entry page, with whether it has answered.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Found {
    #[sqlx(flatten)]
    pub resident: Respondent,
    pub answered: i64,
}

/// Up to `limit` residents under `under` whom `audience` asks, whose address
/// (or, with `names`, name) holds `words`, those who have not answered
/// `poll` first, then by register order.
pub async fn find(
    conn: &mut AnyConnection,
    (poll, audience): (i64, &Audience),
    under: &str,
    (words, names): (&str, bool),
    limit: i64,
) -> Result<Vec<Found>, sqlx::Error> {
    let mut filter = String::from(if names {
        " AND (r.address LIKE $2 ESCAPE '\\' OR r.name LIKE $2 ESCAPE '\\')"
    } else {
        " AND r.address LIKE $2 ESCAPE '\\'"
    });
    let group = match audience {
        Audience::Community => None,
        Audience::Grids { ids } => {
            filter.push_str(&format!(" AND r.org_node_id IN {}", id_list(ids)));
            None
        }
        Audience::SpecialGroup { group } => {
            filter.push_str(" AND r.special_group = $5");
            Some(group.code())
        }
    };
    let sql = format!(
        "SELECT r.id, r.name, r.address, r.org_node_id AS grid_id, n.path, r.special_group,
            CASE WHEN v.id IS NULL THEN 0 ELSE 1 END AS answered
         FROM residents r JOIN org_nodes n ON n.id = r.org_node_id
         LEFT JOIN poll_respondents v ON v.poll_id = $4 AND v.resident_id = r.id
         WHERE n.path LIKE $1 || '%'{filter} ORDER BY answered, r.id LIMIT $3"
    );
    let q = sqlx::query_as(&sql).bind(under).bind(super::residents::contains(words)).bind(limit).bind(poll);
    match group {
        Some(g) => q.bind(g).fetch_all(conn).await,
        None => q.fetch_all(conn).await,
    }
}

/// Whether `resident` answered `poll`.
pub async fn has_answered(conn: &mut AnyConnection, poll: i64, resident: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM poll_respondents WHERE poll_id = $1 AND resident_id = $2")
        .bind(poll)
        .bind(resident)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// A questionnaire to store.
pub struct NewResponse<'a> {
    pub poll: i64,
    pub resident: i64,
    pub channel: &'static str,
    pub key: Option<&'a str>,
    pub answers: &'a [Answer],
    pub by: i64,
    pub at: &'a str,
}

/// Records that the resident answered and, apart, the answers; `None`
/// (nothing written) when the resident answered already or the key was used.
pub async fn insert_response(conn: &mut AnyConnection, r: &NewResponse<'_>) -> Result<Option<i64>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO poll_respondents (poll_id, resident_id, channel, idempotency_key, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(r.poll)
    .bind(r.resident)
    .bind(r.channel)
    .bind(r.key)
    .bind(r.by)
    .bind(r.at)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else { return Ok(None) };
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query("INSERT INTO poll_answers (key, poll_id, channel, answers) VALUES ($1, $2, $3, $4)")
        .bind(key)
        .bind(r.poll)
        .bind(r.channel)
        .bind(serde_json::to_string(r.answers).unwrap_or_default())
        .execute(conn)
        .await?;
    Ok(Some(id))
}

/// The entry stored under `key` in `poll`: (whose, by which channel, by whom).
pub async fn entry_by_key(
    conn: &mut AnyConnection,
    poll: i64,
    key: &str,
) -> Result<Option<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT resident_id, channel, recorded_by FROM poll_respondents WHERE poll_id = $1 AND idempotency_key = $2",
    )
    .bind(poll)
    .bind(key)
    .fetch_optional(conn)
    .await
}

/// The answers to `poll`: (channel code, the answers as JSON).
pub async fn answers(conn: &mut AnyConnection, poll: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT channel, answers FROM poll_answers WHERE poll_id = $1 ORDER BY key")
        .bind(poll)
        .fetch_all(conn)
        .await
}

/// Ends poll `id`, only if still open.
pub async fn close(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    detail: serde_json::Value,
) -> Result<Outcome<PollStatus>, sqlx::Error> {
    let t = Transition {
        table: &POLLS,
        id,
        from: &[PollStatus::Open],
        to: PollStatus::Closed,
        set: vec![],
        step: vec![],
        action: AuditAction::PollClose,
        detail,
    };
    transition::apply(conn, who, t).await
}
