//! Open311 (外部系统接口): API keys of external tools, their rate ledger, and
//! what came with an event posted through GeoReport v2. The event itself is
//! stored by [`super::events::insert_report`], as any report.

use sqlx::{AnyConnection, AnyPool};

/// The role code of the account each key reports through. Not a
/// [`gongzhi_domain::Role`]: such an account can never sign in (it is
/// disabled, has no usable password, and an unknown role ends any session).
pub const CLIENT_ROLE: &str = "open311_client";

/// A key as listed, with its scope and last use.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub org_node_id: i64,
    pub org_node_name: String,
    pub path: String,
    pub rate_per_minute: i64,
    pub account_id: i64,
    pub issued_at: String,
    pub issued_by: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

const SELECT_KEY: &str = "SELECT k.id, k.name, k.org_node_id, n.name AS org_node_name, n.path, k.rate_per_minute,
        k.account_id, k.issued_at, a.display_name AS issued_by, k.revoked_at,
        (SELECT MAX(u.at) FROM open311_key_uses u WHERE u.key_id = k.id) AS last_used_at
     FROM open311_keys k JOIN org_nodes n ON n.id = k.org_node_id JOIN accounts a ON a.id = k.issued_by";

/// The city's code: the GeoReport `jurisdiction_id`.
pub async fn city_code(db: &AnyPool) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code FROM org_nodes WHERE level = 'city' ORDER BY id LIMIT 1").fetch_optional(db).await
}

/// An organisation node's path, if it exists.
pub async fn node_path(db: &AnyPool, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT path FROM org_nodes WHERE id = $1").bind(id).fetch_optional(db).await
}

/// Keys scoped within `scope` (an org path prefix), newest first.
pub async fn list_keys(db: &AnyPool, scope: &str) -> Result<Vec<KeyRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_KEY} WHERE n.path LIKE $1 || '%' ORDER BY k.id DESC"))
        .bind(scope)
        .fetch_all(db)
        .await
}

pub async fn key(conn: &mut AnyConnection, id: i64) -> Result<Option<KeyRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_KEY} WHERE k.id = $1")).bind(id).fetch_optional(&mut *conn).await
}

/// The unrevoked key whose token hashes to `token_sha256`.
pub async fn live_key_by_hash(db: &AnyPool, token_sha256: &str) -> Result<Option<KeyRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_KEY} WHERE k.token_sha256 = $1 AND k.revoked_at IS NULL"))
        .bind(token_sha256)
        .fetch_optional(db)
        .await
}

/// A key to issue.
pub struct NewKey<'a> {
    pub name: &'a str,
    pub token_sha256: &'a str,
    pub org_node_id: i64,
    pub rate_per_minute: i64,
    pub issued_by: i64,
    pub at: &'a str,
}

/// Stores a key and the account it reports through; returns the key's id.
pub async fn insert_key(tx: &mut AnyConnection, k: &NewKey<'_>) -> Result<i64, sqlx::Error> {
    let account_id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (username, display_name, role, org_node_id, password_hash, must_change_password, disabled,
            created_at, updated_at) VALUES ($1, $2, $3, $4, '!', 0, 1, $5, $6) RETURNING id",
    )
    // The hash is unique; its first half names the account.
    .bind(format!("open311.{}", &k.token_sha256[..16]))
    .bind(format!("外部系统:{}", k.name))
    .bind(CLIENT_ROLE)
    .bind(k.org_node_id)
    .bind(k.at)
    .bind(k.at)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query_scalar(
        "INSERT INTO open311_keys (name, token_sha256, org_node_id, rate_per_minute, account_id, issued_by, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(k.name)
    .bind(k.token_sha256)
    .bind(k.org_node_id)
    .bind(k.rate_per_minute)
    .bind(account_id)
    .bind(k.issued_by)
    .bind(k.at)
    .fetch_one(&mut *tx)
    .await
}

/// Revokes a live key; false when it was already revoked.
pub async fn revoke_key(tx: &mut AnyConnection, id: i64, by: i64, at: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE open311_keys SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL")
            .bind(at)
            .bind(by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses of a key at or after `since` (RFC 3339 UTC, same form as stored).
pub async fn uses_since(conn: &mut AnyConnection, key_id: i64, since: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM open311_key_uses WHERE key_id = $1 AND at >= $2")
        .bind(key_id)
        .bind(since)
        .fetch_one(&mut *conn)
        .await
}

pub async fn record_use(conn: &mut AnyConnection, key_id: i64, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO open311_key_uses (key_id, at) VALUES ($1, $2)")
        .bind(key_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A grid's community and the grid's path.
pub async fn grid_place(db: &AnyPool, grid_id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row: Option<(Option<i64>, String)> =
        sqlx::query_as("SELECT parent_id, path FROM org_nodes WHERE id = $1").bind(grid_id).fetch_optional(db).await?;
    Ok(row.and_then(|(parent, path)| parent.map(|p| (p, path))))
}

/// What an external tool sent beyond the event.
pub struct NewRequest<'a> {
    pub event_id: i64,
    pub key_id: i64,
    pub token: &'a str,
    pub address_string: &'a str,
    pub media_url: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub device_id: &'a str,
    pub account_ref: &'a str,
    /// JSON object text of the `attribute[...]` fields.
    pub attributes: &'a str,
    pub at: &'a str,
}

pub async fn insert_request(tx: &mut AnyConnection, r: &NewRequest<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO open311_requests (event_id, key_id, token, address_string, media_url, first_name, last_name, email,
            phone, device_id, account_ref, attributes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(r.event_id)
    .bind(r.key_id)
    .bind(r.token)
    .bind(r.address_string)
    .bind(r.media_url)
    .bind(r.first_name)
    .bind(r.last_name)
    .bind(r.email)
    .bind(r.phone)
    .bind(r.device_id)
    .bind(r.account_ref)
    .bind(r.attributes)
    .bind(r.at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A posted request as the public reads it: no contact fields.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub token: String,
    pub category: String,
    pub description: String,
    pub status: String,
    pub lon: f64,
    pub lat: f64,
    pub address_string: String,
    pub media_url: String,
    pub reported_at: String,
    pub updated_at: String,
    pub community_name: String,
    pub department_name: Option<String>,
}

const SELECT_REQUEST: &str =
    "SELECT e.id, r.token, e.category, e.description, e.status, e.lon, e.lat, r.address_string,
        r.media_url, e.reported_at, e.updated_at, c.name AS community_name, d.name AS department_name
     FROM open311_requests r JOIN events e ON e.id = r.event_id JOIN org_nodes c ON c.id = e.community_id
     LEFT JOIN departments d ON d.id = e.department_id";

/// Which posted requests to read.
#[derive(Debug, Default)]
pub struct RequestFilter {
    /// When given, only these ids (and the rest of the filter is ignored,
    /// as the spec says).
    pub ids: Option<Vec<i64>>,
    pub service_code: Option<String>,
    /// RFC 3339 UTC bounds on the time reported, inclusive.
    pub from: String,
    pub to: String,
    /// `Some(true)`: closed only; `Some(false)`: open only.
    pub closed: Option<bool>,
}

pub async fn requests(db: &AnyPool, f: &RequestFilter) -> Result<Vec<RequestRow>, sqlx::Error> {
    if let Some(ids) = &f.ids {
        let mut out = Vec::new();
        for id in ids {
            if let Some(r) = request(db, *id).await? {
                out.push(r);
            }
        }
        return Ok(out);
    }
    let status = match f.closed {
        Some(true) => " AND e.status = 'closed'",
        Some(false) => " AND e.status <> 'closed'",
        None => "",
    };
    sqlx::query_as(&format!(
        "{SELECT_REQUEST} WHERE e.reported_at >= $1 AND e.reported_at <= $2 AND ($3 = '' OR e.category = $3){status} ORDER BY e.id DESC LIMIT 1000"
    ))
    .bind(&f.from)
    .bind(&f.to)
    .bind(f.service_code.clone().unwrap_or_default())
    .fetch_all(db)
    .await
}

pub async fn request(db: &AnyPool, id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_REQUEST} WHERE e.id = $1")).bind(id).fetch_optional(db).await
}

/// The event a token names.
pub async fn event_of_token(db: &AnyPool, token: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT event_id FROM open311_requests WHERE token = $1").bind(token).fetch_optional(db).await
}

/// The latest step of an event: (action, note).
pub async fn latest_step(db: &AnyPool, event_id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT action, note FROM event_steps WHERE event_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(event_id)
        .fetch_optional(db)
        .await
}

/// Every department's name by its code (the services list names the
/// department that handles each category).
pub async fn department_names(db: &sqlx::AnyPool) -> Result<std::collections::BTreeMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM departments").fetch_all(db).await?;
    Ok(rows.into_iter().collect())
}
