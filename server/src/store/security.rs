//! The security policy (安全策略) as stored.

use gongzhi_domain::auth::SecurityPolicy;
use sqlx::{AnyConnection, AnyPool};

/// The one row of the policy.
pub async fn load_policy(db: &AnyPool) -> Result<SecurityPolicy, sqlx::Error> {
    let (max_failures, lock_minutes, idle_minutes, absolute_hours): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT max_failures, lock_minutes, idle_minutes, absolute_hours FROM security_policy WHERE id = 1",
    )
    .fetch_one(db)
    .await?;
    Ok(SecurityPolicy {
        max_failures: max_failures as u32,
        lock_minutes: lock_minutes as u32,
        idle_minutes: idle_minutes as u32,
        absolute_hours: absolute_hours as u32,
    })
}

/// Stores `policy` as the one row, in the caller's transaction (beside its
/// audit entry).
pub async fn save_policy(conn: &mut AnyConnection, policy: &SecurityPolicy, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE security_policy SET max_failures = $1, lock_minutes = $2, idle_minutes = $3, absolute_hours = $4, updated_at = $5 WHERE id = 1",
    )
    .bind(i64::from(policy.max_failures))
    .bind(i64::from(policy.lock_minutes))
    .bind(i64::from(policy.idle_minutes))
    .bind(i64::from(policy.absolute_hours))
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}
