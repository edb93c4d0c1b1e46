//! A community's seal register (用印登记簿) as stored: one keyed hash chain per
//! community; and the catalogue's province and city editions.

use chrono::{Datelike, NaiveDate, Utc};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::chain::GENESIS_HASH;
use gongzhi_domain::seal::{compose, register_no, Catalog, CatalogLayer, RegisterEntry, SealStatus};
use gongzhi_domain::time::shanghai_date;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::transition::{self, Outcome, Set, Table, Transition};
use crate::audit::Who;

/// The name of a community's register among the keyed chains.
pub fn register_chain(community_id: i64) -> String {
    format!("seal:{community_id}")
}

/// Appends `entry` to its community's register chain; fills in `seq`,
/// `register_no`, `prev_hash` and `hash`.
pub async fn append_register(
    conn: &mut AnyConnection,
    community_code: &str,
    mut entry: RegisterEntry,
) -> Result<RegisterEntry, sqlx::Error> {
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM seal_register_head WHERE community_id = $1")
            .bind(entry.community_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (prev_seq, prev_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
    entry.seq = prev_seq + 1;
    entry.register_no = register_no(community_code, shanghai_date(Utc::now()).year(), entry.seq);
    entry.prev_hash = prev_hash;
    entry.hash = entry.compute_hash(&entry.prev_hash);
    let chain = register_chain(entry.community_id);
    let key = crate::keys::connection_chain_key(&mut *conn).await?;
    let mac = crate::keys::link_mac(&key, &chain, entry.seq, &entry.hash);
    let head_mac = crate::keys::head_mac(&key, &chain, entry.seq, &entry.hash);
    sqlx::query(
        "INSERT INTO seal_register (community_id, seq, register_no, request_id, kind, corrects_seq, at, matter, copies,
            approver, handler, applicant, content_sha256, note, prev_hash, hash, mac)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(entry.community_id)
    .bind(entry.seq)
    .bind(&entry.register_no)
    .bind(entry.request_id)
    .bind(&entry.kind)
    .bind(entry.corrects_seq)
    .bind(&entry.at)
    .bind(&entry.matter)
    .bind(entry.copies)
    .bind(&entry.approver)
    .bind(&entry.handler)
    .bind(&entry.applicant)
    .bind(&entry.content_sha256)
    .bind(&entry.note)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .bind(&mac)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO seal_register_head (community_id, seq, hash, mac) VALUES ($1, $2, $3, $4)
         ON CONFLICT(community_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
    )
    .bind(entry.community_id)
    .bind(entry.seq)
    .bind(&entry.hash)
    .bind(&head_mac)
    .execute(&mut *conn)
    .await?;
    Ok(entry)
}

/// A register entry as stored (also used by tests that tamper with the register).
pub fn register_entry(row: &AnyRow) -> RegisterEntry {
    RegisterEntry {
        community_id: row.get("community_id"),
        seq: row.get("seq"),
        register_no: row.get("register_no"),
        request_id: row.get("request_id"),
        kind: row.get("kind"),
        corrects_seq: row.get("corrects_seq"),
        at: row.get("at"),
        matter: row.get("matter"),
        copies: row.get("copies"),
        approver: row.get("approver"),
        handler: row.get("handler"),
        applicant: row.get("applicant"),
        content_sha256: row.get("content_sha256"),
        note: row.get("note"),
        prev_hash: row.get("prev_hash"),
        hash: row.get("hash"),
    }
}

/// One stored edition of a catalogue layer.
#[derive(Debug, sqlx::FromRow)]
pub struct LayerRow {
    pub id: i64,
    pub body: String,
    pub loaded_by: String,
    pub loaded_at: String,
}

impl LayerRow {
    /// The edition as loaded (its body was checked before it was stored).
    pub fn layer(&self) -> Result<CatalogLayer, sqlx::Error> {
        serde_json::from_str(&self.body).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }
}

/// Every province and city edition, oldest first.
pub async fn layer_rows(conn: &mut AnyConnection) -> Result<Vec<LayerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.body, a.display_name AS loaded_by, l.loaded_at
         FROM seal_catalog_layers l JOIN accounts a ON a.id = l.loaded_by ORDER BY l.id",
    )
    .fetch_all(conn)
    .await
}

/// The catalogue in force on `day`: the national edition (with where-to-go
/// texts) and the stored editions composed.
pub async fn catalog_on(conn: &mut AnyConnection, day: NaiveDate) -> Result<Catalog, sqlx::Error> {
    let layers = layer_rows(conn).await?.iter().map(LayerRow::layer).collect::<Result<Vec<_>, _>>()?;
    Ok(compose(&CatalogLayer::national(true), &layers, day))
}

/// Stores a checked edition; `None` when its level already has that version.
pub async fn insert_layer(
    conn: &mut AnyConnection,
    layer: &CatalogLayer,
    loaded_by: i64,
    loaded_at: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let body = serde_json::to_string(layer).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_scalar(
        "INSERT INTO seal_catalog_layers (level, version, region, effective_from, body, body_sha256, loaded_by, loaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (level, version) DO NOTHING RETURNING id",
    )
    .bind(layer.level.code())
    .bind(&layer.version)
    .bind(&layer.region)
    .bind(layer.effective_from.to_string())
    .bind(&body)
    .bind(crate::auth::sha256_hex(&body))
    .bind(loaded_by)
    .bind(loaded_at)
    .fetch_optional(conn)
    .await
}

/// A name recorded outside the catalogue: how often, in how many
/// communities, and when last.
#[derive(Debug, sqlx::FromRow)]
pub struct UncataloguedRow {
    pub name: String,
    pub requests: i64,
    pub communities: i64,
    pub last_at: String,
}

/// Matters recorded by name outside the catalogue, most asked first.
pub async fn uncatalogued(conn: &mut AnyConnection) -> Result<Vec<UncataloguedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT matter_name AS name, COUNT(*) AS requests, COUNT(DISTINCT community_id) AS communities,
                MAX(created_at) AS last_at
         FROM seal_requests WHERE matter_code = '' GROUP BY matter_name ORDER BY COUNT(*) DESC, matter_name LIMIT 500",
    )
    .fetch_all(conn)
    .await
}

/// A community, as the seal's requests and register are kept per community.
#[derive(Debug, sqlx::FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub path: String,
}

/// The community at or above the node `scope` (an account's path).
pub async fn community_at(conn: &mut AnyConnection, scope: &str) -> Result<Option<CommunityRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, code, name, path FROM org_nodes WHERE level = 'community' AND $1 LIKE path || '%' LIMIT 1",
    )
    .bind(scope)
    .fetch_optional(conn)
    .await
}

/// Departments' names by code (for refusal messages).
pub async fn department_names(
    conn: &mut AnyConnection,
) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    Ok(sqlx::query_as::<_, (String, String)>("SELECT code, name FROM departments")
        .fetch_all(conn)
        .await?
        .into_iter()
        .collect())
}

/// A certificate request as stored, with the names the views show.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub community_code: String,
    pub community_path: String,
    pub requester_kind: String,
    pub requester_name: String,
    pub requester_department: Option<String>,
    pub resident_name: String,
    pub resident_id_number: String,
    pub matter_code: String,
    pub matter_name: String,
    pub purpose: String,
    pub content: String,
    pub copies: i64,
    pub basis_law: String,
    pub basis_article: String,
    pub basis_text: String,
    pub status: String,
    /// JSON array of `FieldProblem`.
    pub refusal_reasons: String,
    pub refusal_note: Option<String>,
    pub created_by_name: String,
    pub created_at: String,
    pub reviewed_by_name: Option<String>,
    pub approved_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub register_no: Option<String>,
    pub catalog_version: String,
    pub requester_own_duty: i64,
    pub review_note: Option<String>,
    pub approve_note: Option<String>,
}

const SELECT_REQUEST: &str = "SELECT r.id, r.community_id, n.name AS community_name, n.code AS community_code,
        n.path AS community_path, r.requester_kind, r.requester_name, r.requester_department, r.resident_name,
        r.resident_id_number, r.matter_code, r.matter_name, r.purpose, r.content, r.copies, r.basis_law,
        r.basis_article, r.basis_text, r.status, r.refusal_reasons, r.refusal_note, c.display_name AS created_by_name,
        r.created_at, rv.display_name AS reviewed_by_name, ap.display_name AS approved_by_name, r.decided_at,
        r.register_no, r.catalog_version, r.requester_own_duty, r.review_note, r.approve_note
     FROM seal_requests r JOIN org_nodes n ON n.id = r.community_id JOIN accounts c ON c.id = r.created_by
     LEFT JOIN accounts rv ON rv.id = r.reviewed_by LEFT JOIN accounts ap ON ap.id = r.approved_by";

/// One request by id (any community: the caller checks the scope).
pub async fn request(conn: &mut AnyConnection, id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_REQUEST} WHERE r.id = $1")).bind(id).fetch_optional(conn).await
}

/// A community's requests, newest first, optionally of one status: a page and the total.
pub async fn community_requests(
    conn: &mut AnyConnection,
    community_id: i64,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RequestRow>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM seal_requests r WHERE r.community_id = $1 AND ($2 IS NULL OR r.status = $3)",
    )
    .bind(community_id)
    .bind(status)
    .bind(status)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query_as(&format!(
        "{SELECT_REQUEST} WHERE r.community_id = $1 AND ($2 IS NULL OR r.status = $3) ORDER BY r.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind(community_id)
    .bind(status)
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, total))
}

/// A new request with its decision, as the handler made it.
pub struct NewRequest<'a> {
    pub community_id: i64,
    pub idempotency_key: &'a str,
    pub request_sha256: &'a str,
    pub request: &'a gongzhi_domain::seal::CertificateRequest,
    pub status: gongzhi_domain::seal::SealStatus,
    /// JSON array of `FieldProblem`.
    pub refusal_reasons: &'a str,
    pub created_by: i64,
    pub created_at: &'a str,
    /// Refused at once: by whom, when.
    pub decided: Option<(i64, &'a str)>,
    pub catalog_version: &'a str,
}

/// Inserts a request; `None` when its idempotency key is already used (the
/// unique key decides, never a check-then-insert).
pub async fn insert_request(conn: &mut AnyConnection, r: &NewRequest<'_>) -> Result<Option<i64>, sqlx::Error> {
    let q = r.request;
    sqlx::query_scalar(
        "INSERT INTO seal_requests (community_id, idempotency_key, request_sha256, requester_kind, requester_name,
            requester_department, resident_name, resident_id_number, matter_code, matter_name, purpose, content, copies,
            basis_law, basis_article, basis_text, status, refusal_reasons, created_by, created_at, decided_by, decided_at,
            catalog_version, requester_own_duty)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
            $24)
         ON CONFLICT(idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(r.community_id)
    .bind(r.idempotency_key)
    .bind(r.request_sha256)
    .bind(q.requester_kind.code())
    .bind(&q.requester_name)
    .bind(&q.requester_department)
    .bind(&q.resident_name)
    .bind(q.resident_id_number.expose())
    .bind(&q.matter.code)
    .bind(&q.matter.name)
    .bind(&q.purpose)
    .bind(&q.content)
    .bind(i64::from(q.copies))
    .bind(&q.basis.law)
    .bind(&q.basis.article)
    .bind(&q.basis.text)
    .bind(r.status.code())
    .bind(r.refusal_reasons)
    .bind(r.created_by)
    .bind(r.created_at)
    .bind(r.decided.map(|(by, _)| by))
    .bind(r.decided.map(|(_, at)| at))
    .bind(r.catalog_version)
    .bind(i64::from(q.matter.is_uncatalogued() && q.requester_own_duty))
    .fetch_optional(conn)
    .await
}

/// The request already stored under an idempotency key: id, fingerprint, community.
pub async fn request_by_key(conn: &mut AnyConnection, key: &str) -> Result<(i64, String, i64), sqlx::Error> {
    sqlx::query_as("SELECT id, request_sha256, community_id FROM seal_requests WHERE idempotency_key = $1")
        .bind(key)
        .fetch_one(conn)
        .await
}

/// Certificate requests move through the seal's flow (no step table: each
/// step's columns are on the request).
pub const SEAL_REQUESTS: Table<SealStatus> = Table::new("seal_requests", "seal_request", None);

/// What a move of a request's status records beside the status.
pub enum Move<'a> {
    /// The worker reviewed it, with their reason (outside the catalogue).
    Review { by: i64, at: &'a str, note: Option<&'a str> },
    /// The leader approved the use of the seal, with their reason.
    Approve { by: i64, at: &'a str, note: Option<&'a str> },
    /// Refused by a person, with the reason.
    Refuse { by: i64, at: &'a str, note: &'a str },
    /// Stamped, with the number its register entry received.
    Stamp { by: i64, at: &'a str, register_no: &'a str },
}

impl Move<'_> {
    /// The audit trail's name for the step.
    pub fn action(&self) -> AuditAction {
        match self {
            Move::Review { .. } => AuditAction::SealReview,
            Move::Approve { .. } => AuditAction::SealApprove,
            Move::Refuse { .. } => AuditAction::SealRefuse,
            Move::Stamp { .. } => AuditAction::SealStamp,
        }
    }
}

/// **The seal's one transition write**: moves request `id` from `from` to
/// `to` only if it is still `from`, recording what `step` says, with its
/// audit entry ([`super::transition::apply`]). Anything but `Moved`: it had
/// changed meanwhile (the caller answers 409 and commits nothing).
pub async fn move_status(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    (from, to): (SealStatus, SealStatus),
    step: Move<'_>,
    detail: serde_json::Value,
) -> Result<Outcome<SealStatus>, sqlx::Error> {
    let action = step.action();
    let set = match step {
        Move::Review { by, at, note } => {
            vec![Set::to("reviewed_by", by), Set::to("reviewed_at", at), Set::to("review_note", note)]
        }
        Move::Approve { by, at, note } => {
            vec![Set::to("approved_by", by), Set::to("approved_at", at), Set::to("approve_note", note)]
        }
        Move::Refuse { by, at, note } => {
            vec![Set::to("decided_by", by), Set::to("decided_at", at), Set::to("refusal_note", note)]
        }
        Move::Stamp { by, at, register_no } => {
            vec![Set::to("decided_by", by), Set::to("decided_at", at), Set::to("register_no", register_no)]
        }
    };
    let t = Transition { table: &SEAL_REQUESTS, id, from: &[from], to, set, step: vec![], action, detail };
    transition::apply(conn, who, t).await
}

/// A community's register entries, filtered (UTC bounds, a LIKE pattern for the matter), in order.
pub async fn register_entries(
    conn: &mut AnyConnection,
    community_id: i64,
    since: Option<&str>,
    until: Option<&str>,
    matter_like: Option<&str>,
) -> Result<Vec<RegisterEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT * FROM seal_register WHERE community_id = $1
           AND ($2 IS NULL OR at >= $3) AND ($4 IS NULL OR at < $5) AND ($6 IS NULL OR matter LIKE $7)
         ORDER BY seq",
    )
    .bind(community_id)
    .bind(since)
    .bind(since)
    .bind(until)
    .bind(until)
    .bind(matter_like)
    .bind(matter_like)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(register_entry).collect())
}

/// One register entry of a community by its number there.
pub async fn register_entry_at(
    conn: &mut AnyConnection,
    community_id: i64,
    seq: i64,
) -> Result<Option<RegisterEntry>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM seal_register WHERE community_id = $1 AND seq = $2")
        .bind(community_id)
        .bind(seq)
        .fetch_optional(conn)
        .await?;
    Ok(row.as_ref().map(register_entry))
}
