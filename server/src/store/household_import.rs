//! The write of a household import (a district's file, hundreds of thousands
//! of rows) without holding the write lock for long:
//! 1. [`stage`]: the checked rows go into `import_staged_households` and
//!    `import_staged_residents` under the job's id, in short transactions
//!    ([`STAGE_TX_BUDGET`] each; after each the lock is left free as long as
//!    it was held, so other writers get in);
//! 2. [`apply`], inside the caller's one final write transaction: set-based
//!    `UPDATE … FROM` / `INSERT … SELECT` from the staged rows into
//!    `households` and `residents`, only if the job is still running and all
//!    its staged rows are there;
//! 3. [`discard`]: the staged rows go, in slices, once the job has ended.
//!
//! All or nothing as before: until the final transaction commits, nothing is
//! in `households` or `residents`; a job cut off by a stop is marked
//! interrupted at start and its staged rows deleted
//! ([`super::import_jobs::interrupt_running`]).

use std::time::{Duration, Instant};

use sqlx::{AnyConnection, AnyPool};

/// How long one staging transaction may hold the write lock before it
/// commits (and then leaves it free as long again).
pub const STAGE_TX_BUDGET: Duration = Duration::from_millis(50);

/// Rows one multi-row statement carries (SQLite allows 32,766 parameters,
/// PostgreSQL 65,535): small, so that one statement past the budget adds
/// little to a transaction.
const BATCH: usize = 200;

/// Staged rows deleted per transaction by [`discard`].
const DISCARD_SLICE: i64 = 20_000;

/// A household of the file, as staged.
pub struct StagedHousehold<'a> {
    pub grid_id: i64,
    pub code: &'a str,
    pub address: &'a str,
    pub building: &'a str,
    pub lon: f64,
    pub lat: f64,
}

/// A resident of the file, as staged: `resident_id` is the registered
/// resident the row updates (matched by ID number), `None` for a new one.
pub struct StagedResident<'a> {
    pub resident_id: Option<i64>,
    pub grid_id: i64,
    pub household_code: &'a str,
    pub name: &'a str,
    pub id_number: &'a str,
    pub phone: Option<&'a str>,
    pub address: &'a str,
    pub special_group: Option<&'static str>,
    pub special_since: Option<String>,
}

/// What staging took: the longest transaction (the write lock's longest
/// hold), how many, and the whole time.
#[derive(Clone, Copy, Debug, Default)]
pub struct StageTimes {
    pub longest_tx: Duration,
    pub transactions: u32,
    pub total: Duration,
}

/// `($1, …, $k), ($k+1, …)`: `rows` groups of `cols` placeholders.
fn values(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(",")))
        .collect::<Vec<_>>()
        .join(",")
}

async fn stage_households(
    conn: &mut AnyConnection,
    job: i64,
    first_seq: usize,
    rows: &[StagedHousehold<'_>],
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO import_staged_households (job_id, seq, grid_id, code, address, building, lon, lat) VALUES {}",
        values(rows.len(), 8)
    );
    let mut q = sqlx::query(&sql);
    for (i, h) in rows.iter().enumerate() {
        q = q
            .bind(job)
            .bind((first_seq + i) as i64)
            .bind(h.grid_id)
            .bind(h.code)
            .bind(h.address)
            .bind(h.building)
            .bind(h.lon)
            .bind(h.lat);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

async fn stage_residents(
    conn: &mut AnyConnection,
    job: i64,
    first_seq: usize,
    rows: &[StagedResident<'_>],
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO import_staged_residents (job_id, seq, resident_id, org_node_id, household_code, name, id_number, phone, address, special_group, special_since) VALUES {}",
        values(rows.len(), 11)
    );
    let mut q = sqlx::query(&sql);
    for (i, p) in rows.iter().enumerate() {
        q = q
            .bind(job)
            .bind((first_seq + i) as i64)
            .bind(p.resident_id)
            .bind(p.grid_id)
            .bind(p.household_code)
            .bind(p.name)
            .bind(p.id_number)
            .bind(p.phone)
            .bind(p.address)
            .bind(p.special_group)
            .bind(p.special_since.as_deref());
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Stages the job's rows in short transactions; `progress` is told of the
/// rows staged after each commit.
pub async fn stage(
    db: &AnyPool,
    job: i64,
    households: &[StagedHousehold<'_>],
    residents: &[StagedResident<'_>],
    progress: impl Fn(u32),
) -> Result<StageTimes, sqlx::Error> {
    let started = Instant::now();
    let mut times = StageTimes::default();
    // Batches in file order, households first (the residents refer to
    // them only by key): batch i < h_batches is households', else residents'.
    let h_batches = households.len().div_ceil(BATCH);
    let batches = h_batches + residents.len().div_ceil(BATCH);
    let mut next = 0;
    while next < batches {
        let mut tx = crate::db::staging_tx(db).await?;
        // The lock is ours from BEGIN IMMEDIATE on: time from there.
        let held_from = Instant::now();
        let mut staged = 0u32;
        while next < batches && held_from.elapsed() < STAGE_TX_BUDGET {
            if next < h_batches {
                let seq = next * BATCH;
                stage_households(&mut tx, job, seq, &households[seq..(seq + BATCH).min(households.len())]).await?;
            } else {
                let seq = (next - h_batches) * BATCH;
                let rows = &residents[seq..(seq + BATCH).min(residents.len())];
                stage_residents(&mut tx, job, seq, rows).await?;
                staged += rows.len() as u32;
            }
            next += 1;
        }
        tx.commit().await?;
        let hold = held_from.elapsed();
        times.longest_tx = times.longest_tx.max(hold);
        times.transactions += 1;
        progress(staged);
        // Leave the lock free at least as long as it was held: a writer
        // waiting in SQLite's busy handler (which sleeps between tries) or
        // on PostgreSQL's advisory lock gets in before the next batch.
        tokio::time::sleep(hold.max(Duration::from_millis(5))).await;
    }
    times.total = started.elapsed();
    Ok(times)
}

/// What [`apply`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub households_created: u64,
    pub households_updated: u64,
    pub residents_created: u64,
    pub residents_updated: u64,
    /// Milliseconds of each statement: households updated, created,
    /// residents updated, created.
    pub steps_ms: [u64; 4],
}

/// Why [`apply`] wrote nothing.
#[derive(Debug)]
pub enum ApplyError {
    /// The job is no longer running (marked interrupted by a restart), or
    /// some of its staged rows are missing: the caller rolls back.
    NotRunning,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ApplyError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e)
    }
}

/// Inside the caller's final write transaction: the staged rows of `job`
/// into `households` and `residents` — households of the file already in
/// their grid updated, the others created; registered residents (staged
/// with their id) updated if still in `scope`, the others created in their
/// household. Checks first that the job still runs and that all `households`
/// and `residents` staged rows are there; `residents_known` of them carry
/// a registered resident's id.
pub async fn apply(
    tx: &mut AnyConnection,
    job: i64,
    households: usize,
    residents: usize,
    residents_known: usize,
    scope: &str,
    now: &str,
) -> Result<Applied, ApplyError> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM import_jobs WHERE id = $1").bind(job).fetch_optional(&mut *tx).await?;
    let staged: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM import_staged_households WHERE job_id = $1),
                (SELECT CAST(COUNT(*) AS BIGINT) FROM import_staged_residents WHERE job_id = $1)",
    )
    .bind(job)
    .fetch_one(&mut *tx)
    .await?;
    if status.as_deref() != Some("running") || staged != (households as i64, residents as i64) {
        return Err(ApplyError::NotRunning);
    }
    let mut steps_ms = [0u64; 4];
    let mut step = Instant::now();
    let mut lap = |i: usize| {
        steps_ms[i] = step.elapsed().as_millis() as u64;
        step = Instant::now();
    };
    let households_updated = sqlx::query(
        "UPDATE households SET address = s.address, building = s.building, lon = s.lon, lat = s.lat
         FROM import_staged_households s
         WHERE s.job_id = $1 AND households.grid_id = s.grid_id AND households.code = s.code",
    )
    .bind(job)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    lap(0);
    let households_created = sqlx::query(
        "INSERT INTO households (grid_id, code, address, building, lon, lat, created_at)
         SELECT s.grid_id, s.code, s.address, s.building, s.lon, s.lat, $2
         FROM import_staged_households s
         WHERE s.job_id = $1
           AND NOT EXISTS (SELECT 1 FROM households h WHERE h.grid_id = s.grid_id AND h.code = s.code)
         ORDER BY s.seq",
    )
    .bind(job)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    lap(1);
    // Scope again inside the transaction: only residents still in it move.
    // (Skipped when the file registers no one already there: the scan of the
    // staged rows is a tenth of the transaction at district size.)
    let updates = residents_known > 0;
    let residents_updated = if !updates {
        0
    } else {
        sqlx::query(
            "UPDATE residents SET org_node_id = s.org_node_id, household_id = h.id, name = s.name, phone = s.phone,
             address = s.address, special_group = s.special_group,
             special_since = COALESCE(s.special_since, residents.special_since)
         FROM import_staged_residents s JOIN households h ON h.grid_id = s.org_node_id AND h.code = s.household_code
         WHERE s.job_id = $1 AND s.resident_id IS NOT NULL AND residents.id = s.resident_id
           AND residents.org_node_id IN (SELECT id FROM org_nodes WHERE path LIKE $2 || '%')",
        )
        .bind(job)
        .bind(scope)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    };
    lap(2);
    let residents_created = sqlx::query(
        "INSERT INTO residents (org_node_id, household_id, name, id_number, phone, address, special_group, special_since, created_at)
         SELECT s.org_node_id, h.id, s.name, s.id_number, s.phone, s.address, s.special_group, s.special_since, $2
         FROM import_staged_residents s JOIN households h ON h.grid_id = s.org_node_id AND h.code = s.household_code
         WHERE s.job_id = $1 AND s.resident_id IS NULL
         ORDER BY s.seq",
    )
    .bind(job)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    lap(3);
    Ok(Applied { households_created, households_updated, residents_created, residents_updated, steps_ms })
}

/// Deletes the job's staged rows, in slices (short transactions), once the
/// job has ended; `households` and `residents` are how many were staged.
pub async fn discard(db: &AnyPool, job: i64, households: usize, residents: usize) -> Result<(), sqlx::Error> {
    for (table, n) in [("import_staged_households", households), ("import_staged_residents", residents)] {
        let mut from = 0i64;
        while from < n as i64 {
            let mut tx = crate::db::staging_tx(db).await?;
            sqlx::query(&format!("DELETE FROM {table} WHERE job_id = $1 AND seq >= $2 AND seq < $3"))
                .bind(job)
                .bind(from)
                .bind(from + DISCARD_SLICE)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            from += DISCARD_SLICE;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    Ok(())
}

/// At start, inside the caller's transaction: every staged row (no job runs
/// yet, so all belong to jobs cut off by the stop).
pub async fn discard_all(tx: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM import_staged_households").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM import_staged_residents").execute(&mut *tx).await?;
    Ok(())
}

/// Staged rows left, all jobs (0 once every job has ended and cleaned up).
pub async fn staged_rows(db: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM import_staged_households)
              + (SELECT CAST(COUNT(*) AS BIGINT) FROM import_staged_residents)",
    )
    .fetch_one(db)
    .await
}
