//! Funding (费随事转) as stored: the communities an item may cover, the
//! admitted items with a funding plan, and the append-only payments ledger
//! (payments and their reversing corrections) as typed rows.

use sqlx::AnyConnection;

/// A community with its street and district, and its households (the
/// weight a split payment is shared by).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlaceRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub path: String,
    pub households: i64,
    pub street_code: String,
    pub street_name: String,
    pub district_name: String,
}

/// Every community, by code.
pub async fn places(conn: &mut AnyConnection) -> Result<Vec<PlaceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.code, c.name, c.path, c.households, s.code AS street_code, s.name AS street_name,
                d.name AS district_name
         FROM org_nodes c JOIN org_nodes s ON s.id = c.parent_id JOIN org_nodes d ON d.id = s.parent_id
         WHERE c.level = 'community' ORDER BY c.code",
    )
    .fetch_all(conn)
    .await
}

/// An admitted item with a funding plan, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub file_no: String,
    pub item_name: String,
    pub department_id: i64,
    pub department_code: String,
    pub department_name: String,
    /// The applying department's node.
    pub node_path: String,
    pub funding_fen: i64,
    pub funding_period: Option<String>,
    /// YYYY-MM-DD
    pub start_date: String,
    /// 1 when the item covers every community under the node.
    pub scope_all: i64,
    /// The form (JSON of `AdmissionApplicationInput`).
    pub form: String,
}

/// Every admitted (approved or registered) item with a funding plan, by id.
pub async fn items(conn: &mut AnyConnection) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.file_no, a.item_name, a.department_id, d.code AS department_code, d.name AS department_name,
                n.path AS node_path, a.funding_fen, a.funding_period, a.start_date, a.scope_all, a.form
         FROM admission_applications a JOIN departments d ON d.id = a.department_id JOIN org_nodes n ON n.id = a.org_node_id
         WHERE a.status IN ('approved', 'registered') AND a.funding_fen IS NOT NULL ORDER BY a.id",
    )
    .fetch_all(conn)
    .await
}

/// A ledger entry as the settlement reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaidRow {
    pub application_id: i64,
    pub community_id: i64,
    pub period_index: i64,
    /// YYYY-MM-DD
    pub paid_on: String,
    /// Negative for a correction.
    pub amount_fen: i64,
}

/// Every ledger entry (payments and corrections).
pub async fn paid(conn: &mut AnyConnection) -> Result<Vec<PaidRow>, sqlx::Error> {
    sqlx::query_as("SELECT application_id, community_id, period_index, paid_on, amount_fen FROM funding_payments")
        .fetch_all(conn)
        .await
}

/// A ledger entry with its community and recorder, and whether it was corrected.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub application_id: i64,
    pub community_id: i64,
    pub community_code: String,
    pub community_name: String,
    pub period_index: i64,
    /// YYYY-MM-DD
    pub paid_on: String,
    pub amount_fen: i64,
    pub voucher_no: String,
    /// `payment` or `correction`.
    pub kind: String,
    pub corrects_id: Option<i64>,
    /// How many corrections reverse it (0 or 1).
    pub corrected: i64,
    pub note: String,
    /// The recorder's display name.
    pub display_name: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
}

const PAYMENT_SELECT: &str = "SELECT p.id, p.application_id, p.community_id, n.code AS community_code,
        n.name AS community_name, p.period_index, p.paid_on, p.amount_fen, p.voucher_no, p.kind, p.corrects_id,
        (SELECT COUNT(*) FROM funding_payments c WHERE c.corrects_id = p.id) AS corrected, p.note, a.display_name,
        p.recorded_at
     FROM funding_payments p JOIN org_nodes n ON n.id = p.community_id JOIN accounts a ON a.id = p.recorded_by";

/// The entries of item `application_id` (every item's when `None`), newest first.
pub async fn payments(conn: &mut AnyConnection, application_id: Option<i64>) -> Result<Vec<PaymentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PAYMENT_SELECT} WHERE ($1 IS NULL OR p.application_id = $1) ORDER BY p.id DESC"))
        .bind(application_id)
        .fetch_all(conn)
        .await
}

/// One entry.
pub async fn payment(conn: &mut AnyConnection, id: i64) -> Result<PaymentRow, sqlx::Error> {
    sqlx::query_as(&format!("{PAYMENT_SELECT} WHERE p.id = $1")).bind(id).fetch_one(conn).await
}

/// A payment to one community, ready to store.
pub struct NewEntry<'a> {
    pub idempotency_key: &'a str,
    pub request_sha256: &'a str,
    pub application_id: i64,
    pub community_id: i64,
    pub period_index: u32,
    pub paid_on: &'a str,
    pub amount_fen: i64,
    pub voucher_no: &'a str,
    pub recorded_by: i64,
    /// RFC 3339, UTC.
    pub recorded_at: &'a str,
}

/// Inserts a payment; `None` when its idempotency key is already taken (a
/// retry: nothing is written).
pub async fn insert_payment(conn: &mut AnyConnection, p: &NewEntry<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO funding_payments (idempotency_key, request_sha256, application_id, community_id, period_index,
            paid_on, amount_fen, voucher_no, kind, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'payment', $9, $10) ON CONFLICT(idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(p.idempotency_key)
    .bind(p.request_sha256)
    .bind(p.application_id)
    .bind(p.community_id)
    .bind(i64::from(p.period_index))
    .bind(p.paid_on)
    .bind(p.amount_fen)
    .bind(p.voucher_no)
    .bind(p.recorded_by)
    .bind(p.recorded_at)
    .fetch_optional(conn)
    .await
}

/// The rows a request with `key` stored (`key`, `key/2`, …): (id, request fingerprint).
pub async fn by_key(conn: &mut AnyConnection, key: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, request_sha256 FROM funding_payments WHERE idempotency_key = $1 OR idempotency_key LIKE $1 || '/%'",
    )
    .bind(key)
    .fetch_all(conn)
    .await
}

/// A payment (not a correction) with its item's department.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OriginalRow {
    pub application_id: i64,
    pub community_id: i64,
    pub period_index: i64,
    pub amount_fen: i64,
    pub voucher_no: String,
    pub department_id: i64,
}

/// Payment `id` (not a correction), to be corrected.
pub async fn original(conn: &mut AnyConnection, id: i64) -> Result<Option<OriginalRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.application_id, p.community_id, p.period_index, p.amount_fen, p.voucher_no, a.department_id
         FROM funding_payments p JOIN admission_applications a ON a.id = p.application_id
         WHERE p.id = $1 AND p.kind = 'payment'",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A reversing entry, ready to store.
pub struct NewCorrection<'a> {
    pub idempotency_key: &'a str,
    pub request_sha256: &'a str,
    /// The payment reversed (its item, community, period, amount and voucher are copied).
    pub corrects: i64,
    pub original: &'a OriginalRow,
    /// YYYY-MM-DD
    pub on: &'a str,
    pub note: &'a str,
    pub recorded_by: i64,
    /// RFC 3339, UTC.
    pub recorded_at: &'a str,
}

/// Inserts the correction; `None` when the payment already has one (the
/// partial unique index decides) or the key is taken.
pub async fn insert_correction(conn: &mut AnyConnection, c: &NewCorrection<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO funding_payments (idempotency_key, request_sha256, application_id, community_id, period_index,
            paid_on, amount_fen, voucher_no, kind, corrects_id, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'correction', $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(c.idempotency_key)
    .bind(c.request_sha256)
    .bind(c.original.application_id)
    .bind(c.original.community_id)
    .bind(c.original.period_index)
    .bind(c.on)
    .bind(-c.original.amount_fen)
    .bind(&c.original.voucher_no)
    .bind(c.corrects)
    .bind(c.note)
    .bind(c.recorded_by)
    .bind(c.recorded_at)
    .fetch_optional(conn)
    .await
}
