//! The security policy (安全策略) as stored.

use gongzhi_domain::auth::SecurityPolicy;
use sqlx::AnyPool;

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
