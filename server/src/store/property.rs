//! Property management joint building (社区物业党建联建) as stored: companies
//! (unique per community and credit code), estates (unique per community and
//! name) with the grids they cover, edits conditional on the version read;
//! complaint links keyed by the event (one company per complaint,
//! append-only); the raters of a company's satisfaction rating — residents
//! of the households in its estates' grids.

use gongzhi_domain::property::{Company, Estate};
use sqlx::AnyConnection;

/// Whether `e` is a unique-key violation (the key decided: not an error).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}

/// A company with its community.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompanyRow {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub community_path: String,
    pub name: String,
    pub credit_code: String,
    pub contact: String,
    pub phone: String,
    pub party_org: String,
    pub party_members: i64,
    pub agreement_on: Option<String>,
    pub version: i64,
}

const COMPANY: &str = "SELECT p.id, p.community_id, c.name AS community_name, c.path AS community_path, p.name,
        p.credit_code, p.contact, p.phone, p.party_org, p.party_members, p.agreement_on, p.version
     FROM property_companies p JOIN org_nodes c ON c.id = p.community_id";

/// The companies of the communities in `scope` (or the one it lies in), by name.
pub async fn companies(conn: &mut AnyConnection, scope: &str) -> Result<Vec<CompanyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{COMPANY} WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY c.path, p.name, p.id"
    ))
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// Company `id`.
pub async fn company(conn: &mut AnyConnection, id: i64) -> Result<Option<CompanyRow>, sqlx::Error> {
    sqlx::query_as(&format!("{COMPANY} WHERE p.id = $1")).bind(id).fetch_optional(conn).await
}

/// Stores a company of `community`; `None` when the community has one with
/// this credit code (the unique key decides).
pub async fn insert_company(
    conn: &mut AnyConnection,
    community: i64,
    c: &Company,
    (by, at): (i64, &str),
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO property_companies (community_id, name, credit_code, contact, phone, party_org, party_members,
            agreement_on, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10)
         ON CONFLICT (community_id, credit_code) DO NOTHING RETURNING id",
    )
    .bind(community)
    .bind(&c.name)
    .bind(c.credit_code.as_str())
    .bind(&c.contact)
    .bind(c.phone.expose())
    .bind(c.party_org.code())
    .bind(i64::from(c.party_members))
    .bind(c.agreement_on.map(|d| d.to_string()))
    .bind(by)
    .bind(at)
    .fetch_optional(conn)
    .await
}

/// Rewrites company `id` if it is still at `version`; whether it wrote. A
/// credit code another company of the community has fails on the unique key.
pub async fn update_company(
    conn: &mut AnyConnection,
    (id, version): (i64, i64),
    c: &Company,
    (by, at): (i64, &str),
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE property_companies SET name = $1, credit_code = $2, contact = $3, phone = $4, party_org = $5,
            party_members = $6, agreement_on = $7, updated_by = $8, updated_at = $9, version = version + 1
         WHERE id = $10 AND version = $11",
    )
    .bind(&c.name)
    .bind(c.credit_code.as_str())
    .bind(&c.contact)
    .bind(c.phone.expose())
    .bind(c.party_org.code())
    .bind(i64::from(c.party_members))
    .bind(c.agreement_on.map(|d| d.to_string()))
    .bind(by)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An estate with its community's path.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EstateRow {
    pub id: i64,
    pub company_id: i64,
    pub community_id: i64,
    pub community_path: String,
    pub name: String,
    pub households: i64,
    pub served_since: String,
    pub owners_committee: i64,
    pub committee_chair: Option<String>,
    pub committee_term_ends: Option<String>,
    pub version: i64,
}

const ESTATE: &str = "SELECT e.id, e.company_id, e.community_id, c.path AS community_path, e.name, e.households,
        e.served_since, e.owners_committee, e.committee_chair, e.committee_term_ends, e.version
     FROM property_estates e JOIN org_nodes c ON c.id = e.community_id";

/// The estates of `company`, by name.
pub async fn estates_of(conn: &mut AnyConnection, company: i64) -> Result<Vec<EstateRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ESTATE} WHERE e.company_id = $1 ORDER BY e.name, e.id"))
        .bind(company)
        .fetch_all(conn)
        .await
}

/// Estate `id`.
pub async fn estate(conn: &mut AnyConnection, id: i64) -> Result<Option<EstateRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ESTATE} WHERE e.id = $1")).bind(id).fetch_optional(conn).await
}

/// The grids the estates of `company` cover: (estate, grid, grid's name).
pub async fn estate_grids(conn: &mut AnyConnection, company: i64) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.estate_id, g.grid_id, n.name FROM property_estate_grids g
           JOIN property_estates e ON e.id = g.estate_id JOIN org_nodes n ON n.id = g.grid_id
         WHERE e.company_id = $1 ORDER BY n.code",
    )
    .bind(company)
    .fetch_all(conn)
    .await
}

fn committee(e: &Estate) -> (i64, Option<&str>, Option<String>) {
    match &e.committee {
        Some(c) => (1, Some(c.chair.as_str()), Some(c.term_ends.to_string())),
        None => (0, None, None),
    }
}

async fn set_grids(conn: &mut AnyConnection, estate: i64, grids: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM property_estate_grids WHERE estate_id = $1").bind(estate).execute(&mut *conn).await?;
    for g in grids {
        sqlx::query("INSERT INTO property_estate_grids (estate_id, grid_id) VALUES ($1, $2)")
            .bind(estate)
            .bind(g)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Stores an estate of `company` in `community` with its grids; `None` when
/// the community has an estate of this name (the unique key decides).
pub async fn insert_estate(
    conn: &mut AnyConnection,
    (company, community): (i64, i64),
    e: &Estate,
    (by, at): (i64, &str),
) -> Result<Option<i64>, sqlx::Error> {
    let (established, chair, ends) = committee(e);
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO property_estates (company_id, community_id, name, households, served_since, owners_committee,
            committee_chair, committee_term_ends, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10)
         ON CONFLICT (community_id, name) DO NOTHING RETURNING id",
    )
    .bind(company)
    .bind(community)
    .bind(&e.name)
    .bind(i64::from(e.households))
    .bind(e.served_since.to_string())
    .bind(established)
    .bind(chair)
    .bind(ends)
    .bind(by)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        set_grids(conn, id, &e.grids).await?;
    }
    Ok(id)
}

/// Rewrites estate `id` and its grids if it is still at `version`; whether
/// it wrote. A name another estate of the community has fails on the unique key.
pub async fn update_estate(
    conn: &mut AnyConnection,
    (id, version): (i64, i64),
    e: &Estate,
    (by, at): (i64, &str),
) -> Result<bool, sqlx::Error> {
    let (established, chair, ends) = committee(e);
    let done = sqlx::query(
        "UPDATE property_estates SET name = $1, households = $2, served_since = $3, owners_committee = $4,
            committee_chair = $5, committee_term_ends = $6, updated_by = $7, updated_at = $8, version = version + 1
         WHERE id = $9 AND version = $10",
    )
    .bind(&e.name)
    .bind(i64::from(e.households))
    .bind(e.served_since.to_string())
    .bind(established)
    .bind(chair)
    .bind(ends)
    .bind(by)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    set_grids(conn, id, &e.grids).await?;
    Ok(true)
}

/// Links complaint `event` to `company`, once: the company it is linked to
/// (this one when this request linked it, or when it was already).
pub async fn link_complaint(
    conn: &mut AnyConnection,
    (event, company): (i64, i64),
    (by, at): (i64, &str),
) -> Result<(bool, i64), sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO property_complaints (event_id, company_id, linked_by, linked_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(event)
    .bind(company)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    let linked: i64 = sqlx::query_scalar("SELECT company_id FROM property_complaints WHERE event_id = $1")
        .bind(event)
        .fetch_one(conn)
        .await?;
    Ok((done.rows_affected() == 1, linked))
}

/// The complaints linked to `company`: (status, last change UTC).
pub async fn complaints(conn: &mut AnyConnection, company: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        // Closed on the day of its closing step (a later touch of the event
        // must not move it to another year); a duplicate is not a complaint.
        "SELECT e.status, COALESCE((SELECT MAX(s.at) FROM event_steps s WHERE s.event_id = e.id
                                      AND s.to_status = 'closed'), e.updated_at)
           FROM property_complaints p JOIN events e ON e.id = p.event_id
          WHERE p.company_id = $1 AND e.duplicate_of IS NULL ORDER BY e.id",
    )
    .bind(company)
    .fetch_all(conn)
    .await
}

/// Whether `company` has a satisfaction rating still open (not published).
pub async fn rating_open(conn: &mut AnyConnection, company: i64) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM review_reviews WHERE property_company_id = $1 AND status = 'open'")
            .bind(company)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// The grids estate `estate` covers, by id.
pub async fn grids_of_estate(conn: &mut AnyConnection, estate: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT grid_id FROM property_estate_grids WHERE estate_id = $1 ORDER BY grid_id")
        .bind(estate)
        .fetch_all(conn)
        .await
}

/// Which of `grids` an estate of a company other than `company` covers.
pub async fn grids_served_elsewhere(
    conn: &mut AnyConnection,
    company: i64,
    grids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    if grids.is_empty() {
        return Ok(Vec::new());
    }
    let list = grids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query_scalar(&format!(
        "SELECT DISTINCT g.grid_id FROM property_estate_grids g JOIN property_estates e ON e.id = g.estate_id
          WHERE e.company_id <> $1 AND g.grid_id IN ({list})"
    ))
    .bind(company)
    .fetch_all(conn)
    .await
}

/// Whether resident `resident` lives in a household of a grid one of
/// `company`'s estates covers.
pub async fn estate_resident(conn: &mut AnyConnection, company: i64, resident: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM residents r JOIN households h ON h.id = r.household_id
           JOIN property_estate_grids g ON g.grid_id = h.grid_id JOIN property_estates e ON e.id = g.estate_id
         WHERE r.id = $1 AND e.company_id = $2",
    )
    .bind(resident)
    .bind(company)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// A joint meeting (物业联席会议) of the community's matters.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JointMeetingRow {
    pub id: i64,
    pub matter_id: i64,
    pub matter_title: String,
    pub matter_kind: String,
    pub date: String,
    pub status: String,
    pub resolution: Option<String>,
    /// JSON array of {kind, name}.
    pub invited: String,
}

/// The joint meetings of `community`'s matters, newest first.
pub async fn joint_meetings(conn: &mut AnyConnection, community: i64) -> Result<Vec<JointMeetingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.id, g.matter_id, m.title AS matter_title, m.kind AS matter_kind, g.date, g.status, g.resolution,
            g.invited
         FROM consultation_meetings g JOIN consultation_matters m ON m.id = g.matter_id
         WHERE m.community_id = $1 AND g.kind = 'joint' ORDER BY g.date DESC, g.id DESC",
    )
    .bind(community)
    .fetch_all(conn)
    .await
}
