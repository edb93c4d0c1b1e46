//! The purchase-of-services list (购买服务事项清单) as stored: typed rows, the
//! insert, and acceptance as a move from `contracted` only if unchanged.

use gongzhi_domain::purchase::{Purchase, PurchaseStatus};
use sqlx::AnyConnection;

use gongzhi_domain::audit::AuditAction;

use super::transition::{self, Outcome, Set, Table, Transition};
use crate::audit::Who;

/// Purchases move from `contracted` to `accepted` or `rejected` (no step table:
/// the acceptance's columns are on the row).
pub const PURCHASES: Table<PurchaseStatus> = Table::new("purchases", "purchase", None);

/// A purchase with its department's name and the admission file it replaces.
#[derive(Debug, sqlx::FromRow)]
pub struct PurchaseRow {
    pub id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub service: String,
    pub organisation: String,
    pub amount_fen: i64,
    /// YYYY-MM-DD
    pub starts_on: String,
    /// YYYY-MM-DD
    pub ends_on: String,
    /// JSON array of strings.
    pub deliverables: String,
    pub file_no: Option<String>,
    pub status: String,
    pub accepted_on: Option<String>,
    pub acceptance_note: Option<String>,
}

const SELECT: &str = "SELECT p.id, p.department_id, d.name AS department_name, p.service, p.organisation, p.amount_fen,
        p.starts_on, p.ends_on, p.deliverables, a.file_no, p.status, p.accepted_on, p.acceptance_note
     FROM purchases p JOIN departments d ON d.id = p.department_id
     LEFT JOIN admission_applications a ON a.id = p.source_application_id";

/// The whole list, newest first.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<PurchaseRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} ORDER BY p.id DESC")).fetch_all(conn).await
}

/// One purchase.
pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<PurchaseRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE p.id = $1")).bind(id).fetch_optional(conn).await
}

/// Whether `application` is `department`'s own admission file that was not
/// admitted (the only kind a purchase may replace).
pub async fn is_replaceable_file(
    conn: &mut AnyConnection,
    application: i64,
    department: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM admission_applications WHERE id = $1 AND department_id = $2 AND status NOT IN ('approved', 'registered')",
    )
    .bind(application)
    .bind(department)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Inserts a contracted purchase; its id.
pub async fn insert(
    conn: &mut AnyConnection,
    department: i64,
    p: &Purchase,
    created_by: i64,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    let deliverables = serde_json::to_string(&p.deliverables).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_scalar(
        "INSERT INTO purchases (department_id, service, organisation, amount_fen, starts_on, ends_on, deliverables,
            source_application_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(department)
    .bind(&p.service)
    .bind(&p.organisation)
    .bind(p.amount.fen())
    .bind(p.starts_on.to_string())
    .bind(p.ends_on.to_string())
    .bind(deliverables)
    .bind(p.source_application)
    .bind(created_by)
    .bind(created_at)
    .fetch_one(conn)
    .await
}

/// Records the acceptance (accepted or rejected) and its audit entry only if
/// the purchase is still `contracted` ([`transition::apply`]); anything but
/// `Moved` when someone accepted it meanwhile.
pub async fn accept(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    result: PurchaseStatus,
    on: chrono::NaiveDate,
    note: &str,
    detail: serde_json::Value,
) -> Result<Outcome<PurchaseStatus>, sqlx::Error> {
    let on = on.to_string();
    let t = Transition {
        table: &PURCHASES,
        id,
        from: &[PurchaseStatus::Contracted],
        to: result,
        set: vec![Set::to("accepted_on", on.as_str()), Set::to("acceptance_note", note)],
        step: vec![],
        action: AuditAction::PurchaseAccept,
        detail,
    };
    transition::apply(conn, who, t).await
}
