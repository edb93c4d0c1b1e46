//! Democratic review (民主评议) as stored: reviews (moved open → published
//! through [`transition`]), who rated (one row per representative: the key
//! decides across online and paper) apart from what was rated (ballots under
//! a random key, no resident, no time). A property company's satisfaction
//! rating is a review with the company and year (one per company and year,
//! by a unique index).

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::review::{Review, ReviewBallot, ReviewStatus};
use sqlx::AnyConnection;

use super::transition::{self, Outcome, Set, Table, Transition};
use crate::audit::Who;

/// Reviews move open → published.
pub const REVIEWS: Table<ReviewStatus> = Table::new("review_reviews", "review", None);

/// A review with its community and ballots' count.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub community_path: String,
    pub title: String,
    pub subject_kind: String,
    pub subject_name: String,
    pub report: String,
    pub dimensions: String,
    pub until: String,
    pub status: String,
    pub forms: Option<String>,
    pub result: Option<String>,
    pub ballots: i64,
    /// A satisfaction rating: the company, rated by its estates' residents.
    pub property_company_id: Option<i64>,
    pub rating_year: Option<i64>,
}

const REVIEW: &str = "SELECT r.id, r.community_id, c.name AS community_name, c.path AS community_path, r.title,
        r.subject_kind, r.subject_name, r.report, r.dimensions, r.until, r.status, r.forms, r.result,
        (SELECT COUNT(*) FROM review_voters v WHERE v.review_id = r.id) AS ballots, r.property_company_id,
        r.rating_year
     FROM review_reviews r JOIN org_nodes c ON c.id = r.community_id";

/// The reviews of the communities in `scope` (or the one it lies in), newest first.
pub async fn reviews(conn: &mut AnyConnection, scope: &str) -> Result<Vec<ReviewRow>, sqlx::Error> {
    sqlx::query_as(&format!("{REVIEW} WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY r.id DESC"))
        .bind(scope)
        .fetch_all(conn)
        .await
}

/// Review `id`.
pub async fn review(conn: &mut AnyConnection, id: i64) -> Result<Option<ReviewRow>, sqlx::Error> {
    sqlx::query_as(&format!("{REVIEW} WHERE r.id = $1")).bind(id).fetch_optional(conn).await
}

/// Stores a review of `community`; its id.
pub async fn insert_review(
    conn: &mut AnyConnection,
    community: i64,
    r: &Review,
    (by, at): (i64, &str),
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO review_reviews (community_id, title, subject_kind, subject_name, report, dimensions, until,
            created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(community)
    .bind(&r.title)
    .bind(r.subject_kind.code())
    .bind(&r.subject_name)
    .bind(&r.report)
    .bind(serde_json::to_string(&r.dimensions).unwrap_or_else(|_| "[]".into()))
    .bind(r.until.to_string())
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// The satisfaction ratings of property company `company`, newest year first.
pub async fn ratings_of(conn: &mut AnyConnection, company: i64) -> Result<Vec<ReviewRow>, sqlx::Error> {
    sqlx::query_as(&format!("{REVIEW} WHERE r.property_company_id = $1 ORDER BY r.rating_year DESC, r.id DESC"))
        .bind(company)
        .fetch_all(conn)
        .await
}

/// Stores the satisfaction rating of `company` for `year` (a review of
/// `community` rated by the company's estates' residents); `None` when that
/// year's rating exists (the unique index decides).
pub async fn insert_rating(
    conn: &mut AnyConnection,
    (community, company, year): (i64, i64, i32),
    r: &Review,
    (by, at): (i64, &str),
) -> Result<Option<i64>, sqlx::Error> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO review_reviews (community_id, title, subject_kind, subject_name, report, dimensions, until,
            created_by, created_at, property_company_id, rating_year)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(community)
    .bind(&r.title)
    .bind(r.subject_kind.code())
    .bind(&r.subject_name)
    .bind(&r.report)
    .bind(serde_json::to_string(&r.dimensions).unwrap_or_else(|_| "[]".into()))
    .bind(r.until.to_string())
    .bind(by)
    .bind(at)
    .bind(company)
    .bind(i64::from(year))
    .fetch_one(conn)
    .await;
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if super::property::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Records that `resident` rated `review` and, apart, the ballot; `false`
/// (nothing written) when they rated already.
pub async fn cast(
    conn: &mut AnyConnection,
    (review, resident): (i64, i64),
    ballot: &ReviewBallot,
    paper: bool,
    (by, at): (i64, &str),
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO review_voters (review_id, resident_id, channel, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT(review_id, resident_id) DO NOTHING",
    )
    .bind(review)
    .bind(resident)
    .bind(if paper { "paper" } else { "online" })
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query("INSERT INTO review_ballots (key, review_id, paper, ballot) VALUES ($1, $2, $3, $4)")
        .bind(key)
        .bind(review)
        .bind(i64::from(paper))
        .bind(serde_json::to_string(ballot).unwrap_or_default())
        .execute(conn)
        .await?;
    Ok(true)
}

/// Whether `resident` rated `review`.
pub async fn has_rated(conn: &mut AnyConnection, review: i64, resident: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_voters WHERE review_id = $1 AND resident_id = $2")
        .bind(review)
        .bind(resident)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// The ballots of `review`: (on paper, the ballot as JSON).
pub async fn ballots(conn: &mut AnyConnection, review: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT paper, ballot FROM review_ballots WHERE review_id = $1 ORDER BY key")
        .bind(review)
        .fetch_all(conn)
        .await
}

/// How many paper ballots `review` has.
pub async fn paper_count(conn: &mut AnyConnection, review: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM review_voters WHERE review_id = $1 AND channel = 'paper'")
        .bind(review)
        .fetch_one(conn)
        .await
}

/// Records the paper forms' count of an open review; `false` when it is published.
pub async fn set_forms(conn: &mut AnyConnection, review: i64, forms: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE review_reviews SET forms = $1 WHERE id = $2 AND status = 'open'")
        .bind(forms)
        .bind(review)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes review `id` with its result, only if still open.
pub async fn publish(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    result: &str,
    detail: serde_json::Value,
) -> Result<Outcome<ReviewStatus>, sqlx::Error> {
    let t = Transition {
        table: &REVIEWS,
        id,
        from: &[ReviewStatus::Open],
        to: ReviewStatus::Published,
        set: vec![Set::to("result", result)],
        step: vec![],
        action: AuditAction::ReviewPublish,
        detail,
    };
    transition::apply(conn, who, t).await
}
