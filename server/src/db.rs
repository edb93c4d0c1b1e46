//! The embedded SQLite database: opened (created on first start) and migrated.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// Opens the database; every connection gets the chain subkey of `keys` in a
/// TEMP table held in memory (never in the database file), so that
/// [`crate::audit::append`] and the seal register can MAC their links inside
/// the caller's transaction.
pub async fn open(data_dir: &Path, keys: &crate::keys::Keys) -> anyhow::Result<SqlitePool> {
    tokio::fs::create_dir_all(data_dir)
        .await
        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
    let path = data_dir.join("gongzhi.db");
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is on disk (the WAL fsynced) before the answer is
        // sent; NORMAL would lose the last acknowledged commits on a power
        // loss (ARCHITECTURE.md, "Nothing acknowledged is lost").
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .pragma("temp_store", "MEMORY");
    let chain_key = keys.chain_key().to_vec();
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .after_connect(move |conn, _meta| {
            let key = chain_key.clone();
            Box::pin(async move {
                sqlx::query("CREATE TEMP TABLE IF NOT EXISTS chain_key (id INTEGER PRIMARY KEY CHECK (id = 1), k BLOB NOT NULL)")
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("INSERT OR REPLACE INTO temp.chain_key (id, k) VALUES (1, ?)").bind(key).execute(&mut *conn).await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open database {}", path.display()))?;
    sqlx::migrate!("./migrations").run(&pool).await.context("database migration failed")?;
    Ok(pool)
}
