//! Idempotency keys for retried writes: the client makes a key (a UUID) once
//! per record; the database's unique constraint on it decides whether a
//! request is new — never a check-then-insert.

use axum::http::StatusCode;
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
    AppError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
        "该请求标识已用于另一份内容不同的记录,请刷新页面后重新提交。",
    )
}

/// The record an earlier request with this key stored in `table` (which has
/// `id`, `idempotency_key` and `request_sha256`): its id when the body was
/// the same, [`reused`] when it was not.
pub async fn earlier(
    conn: &mut sqlx::SqliteConnection,
    table: &'static str,
    key: &str,
    fingerprint: &str,
) -> Result<i64, AppError> {
    let (id, stored): (i64, String) =
        sqlx::query_as(&format!("SELECT id, request_sha256 FROM {table} WHERE idempotency_key = ?"))
            .bind(key)
            .fetch_one(&mut *conn)
            .await?;
    if stored == fingerprint {
        Ok(id)
    } else {
        Err(reused())
    }
}
