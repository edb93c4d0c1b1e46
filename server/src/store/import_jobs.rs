//! Background import jobs (`import_jobs`): a row when a job starts and its
//! outcome when it ends. Live progress is kept in memory
//! ([`crate::state::LiveImport`]), not written per batch.

use gongzhi_domain::grid::import::ImportPhase;
use sqlx::{AnyConnection, AnyPool};

/// The stored row the job page reads once a job has ended.
#[derive(Debug, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub status: String,
    pub rows: i64,
    pub report: Option<String>,
    pub created_by: i64,
}

/// A new running job; its id.
pub async fn start(conn: &mut AnyConnection, kind: &str, account_id: i64, now: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO import_jobs (kind, status, created_by, created_at) VALUES ($1, 'running', $2, $3) RETURNING id",
    )
    .bind(kind)
    .bind(account_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// The job's outcome: its final phase, rows and report (JSON) — only while
/// it is still running (a job marked interrupted by a restart stays so).
/// Whether it was recorded.
pub async fn finish(
    conn: &mut AnyConnection,
    id: i64,
    phase: ImportPhase,
    rows: u32,
    report: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE import_jobs SET status = $1, rows = $2, report = $3, finished_at = $4 WHERE id = $5 AND status = 'running'",
    )
    .bind(phase.code())
    .bind(i64::from(rows))
    .bind(report)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn get(db: &AnyPool, id: i64) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, status, rows, report, created_by FROM import_jobs WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// At start: a job still running was cut off by the stop (never applied);
/// its staged rows, and any other, are deleted. Returns how many jobs.
pub async fn interrupt_running(db: &AnyPool, now: &str) -> Result<u64, sqlx::Error> {
    let mut tx = crate::db::write_tx(db).await?;
    let n = sqlx::query("UPDATE import_jobs SET status = $1, finished_at = $2 WHERE status = 'running'")
        .bind(ImportPhase::Interrupted.code())
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    super::household_import::discard_all(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}
