//! The audit trail's rows as stored (writing is `crate::audit::append`).

use gongzhi_domain::audit::AuditEntry;
use sqlx::any::AnyRow;
use sqlx::Row;

/// An entry as stored.
pub fn entry(row: &AnyRow) -> AuditEntry {
    AuditEntry {
        seq: row.get("seq"),
        at: row.get("at"),
        actor: row.get("actor"),
        role: row.get("role"),
        action: row.get("action"),
        object: row.get("object"),
        outcome: row.get("outcome"),
        client_addr: row.get("client_addr"),
        detail: row.get("detail"),
        prev_hash: row.get("prev_hash"),
        hash: row.get("hash"),
    }
}
