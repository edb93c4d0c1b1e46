//! Idempotency keys for retried writes: the client makes a key (a UUID) once
//! per record; the database's unique constraint on it decides whether a
//! request is new — never a check-then-insert.

use gongzhi_domain::RequestError;
use gongzhi_domain::{Field, FieldErrorKind};

use crate::error::AppError;

/// The key as sent: 8 to 64 letters, digits or hyphens.
pub fn parse_key(raw: &str) -> Result<String, AppError> {
    let key = raw.trim();
    let ok = (8..=64).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(key.to_string())
    } else {
        let e = Field::new("idempotency_key", "请求标识")
            .error(FieldErrorKind::InvalidFormat { expected: "应为客户端生成的 8 到 64 位标识(如 UUID)" });
        Err(AppError::fields(&[e]))
    }
}

/// A key already used for a different body.
pub fn reused() -> AppError {
    RequestError::IdempotencyKeyReused.into()
}

/// Which table holds the records, and which column names who sent each.
pub struct Keyed {
    pub table: &'static str,
    pub sender_column: &'static str,
}

pub const VISITS: Keyed = Keyed { table: "visits", sender_column: "recorded_by" };
pub const EVENTS: Keyed = Keyed { table: "events", sender_column: "reported_by" };
pub const ADMISSION_FILES: Keyed = Keyed { table: "admission_applications", sender_column: "created_by" };

/// The record an earlier request with this key stored (the table has `id`,
/// `idempotency_key`, `request_sha256` and the sender column): its id when
/// the same account sent the same body, [`reused`] otherwise — a replay is
/// answered only to whoever sent the original, so a key learnt from a shared
/// tablet or a log does not open someone else's record.
pub async fn earlier(
    conn: &mut sqlx::AnyConnection,
    keyed: &Keyed,
    sender: i64,
    key: &str,
    fingerprint: &str,
) -> Result<i64, AppError> {
    let (id, stored, sent_by): (i64, String, i64) = sqlx::query_as(&format!(
        "SELECT id, request_sha256, {} FROM {} WHERE idempotency_key = $1",
        keyed.sender_column, keyed.table
    ))
    .bind(key)
    .fetch_one(&mut *conn)
    .await?;
    if stored == fingerprint && sent_by == sender {
        Ok(id)
    } else {
        Err(reused())
    }
}
