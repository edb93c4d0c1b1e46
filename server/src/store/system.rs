//! What the health check asks of the database.

/// Whether the database answers a trivial query.
pub async fn reachable(db: &sqlx::AnyPool) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(db).await.is_ok()
}
