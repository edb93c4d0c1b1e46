//! One writer at a time, committed to disk in groups (组提交).
//!
//! Every write that is answered 2xx must survive a power loss. Before this
//! module each commit waited for its own flush (SQLite `synchronous = FULL`,
//! PostgreSQL's synchronous commit) while it still held the one-writer lock,
//! so writers queued behind each other's disk flushes, and on SQLite the
//! waiting writers slept in the busy handler (1, 2, 5, 10 ms …) instead of
//! queueing: about 600–1,000 audited writes a second, p99 in the hundreds of
//! milliseconds (ARCHITECTURE.md, "City scale").
//!
//! Now:
//! - writers of one database take their **turn** in the process in arrival
//!   order (a fair async mutex) before they take a pool connection, so a
//!   waiting writer neither sleeps nor holds a connection readers need;
//! - a [`WriteTx`] commits **without waiting for the disk** (SQLite
//!   `synchronous = NORMAL` for that transaction only, PostgreSQL
//!   `synchronous_commit = off` for it only), gives the turn to the next
//!   writer, and only then waits for a **flush that began after its commit**;
//! - one flush serves every commit made before it began: the first waiter
//!   flushes (SQLite: `fdatasync` of the WAL file; PostgreSQL: a one-statement
//!   transaction with an xid, whose synchronous commit flushes the WAL up to
//!   itself and so every earlier commit), the others find themselves covered.
//!
//! So the rule "answered ⇒ on disk" is kept: [`WriteTx::commit`] returns only
//! after its flush. What changes is that another request may *read* a commit
//! in the instant before it is flushed; a power loss then can take that commit
//! (never answered 2xx) and the later ones built on it together, never one
//! without the other (the WAL is replayed in order on both backends).

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Row};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{Backend, WRITE_LOCK};

/// The writers' turn and the group flush of one database.
#[derive(Default)]
pub struct Writer {
    turn: Arc<Mutex<()>>,
    /// One flush at a time; a waiter that gets it after another flush may
    /// find its commit already covered.
    flushing: Mutex<()>,
    /// Commits made without waiting for the disk, counted (a commit's
    /// number is its ticket).
    committed: AtomicU64,
    /// Every commit up to this count is on disk.
    durable: AtomicU64,
    /// Flushes made (read by the tests: fewer flushes than commits is the
    /// point).
    flushes: AtomicU64,
    /// SQLite: the WAL file, read from the database once.
    wal: OnceLock<PathBuf>,
}

impl Writer {
    /// The writer of the pool's database: one per database URL in the
    /// process (tests open many databases at once).
    pub fn of(pool: &AnyPool) -> Arc<Writer> {
        static WRITERS: LazyLock<std::sync::Mutex<HashMap<String, Arc<Writer>>>> = LazyLock::new(Default::default);
        let options = pool.connect_options();
        let url = options.database_url.as_str();
        let mut writers = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
        // Every write asks: the lookup copies no URL once the writer exists.
        if let Some(writer) = writers.get(url) {
            return writer.clone();
        }
        writers.entry(url.to_string()).or_default().clone()
    }

    /// Flushes made so far.
    pub fn flushes(&self) -> u64 {
        self.flushes.load(Ordering::SeqCst)
    }

    /// Every commit up to this count is on disk.
    pub fn durable(&self) -> u64 {
        self.durable.load(Ordering::SeqCst)
    }

    /// Commits made so far without waiting for the disk.
    pub fn commits(&self) -> u64 {
        self.committed.load(Ordering::SeqCst)
    }

    /// Holds off every flush while the guard lives: commits go on, their
    /// answers wait. For tests, which show the grouping with it whatever the
    /// disk's speed (on a RAM disk each flush is over before the next commit).
    #[doc(hidden)]
    pub async fn hold_flushes(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.flushing.lock().await
    }

    /// Returns once commit number `ticket` is on disk.
    async fn wait_durable(&self, ticket: u64, pool: &AnyPool, backend: Backend) -> Result<(), sqlx::Error> {
        loop {
            if self.durable.load(Ordering::SeqCst) >= ticket {
                return Ok(());
            }
            let _flushing = self.flushing.lock().await;
            if self.durable.load(Ordering::SeqCst) >= ticket {
                return Ok(());
            }
            // Every commit counted by now finished before this flush starts.
            let upto = self.committed.load(Ordering::SeqCst);
            self.flush(pool, backend).await?;
            self.flushes.fetch_add(1, Ordering::SeqCst);
            self.durable.fetch_max(upto, Ordering::SeqCst);
        }
    }

    async fn flush(&self, pool: &AnyPool, backend: Backend) -> Result<(), sqlx::Error> {
        match backend {
            Backend::Sqlite => {
                let Some(wal) = self.wal.get().cloned() else {
                    return Err(sqlx::Error::Protocol("the WAL file of the database is not known".into()));
                };
                tokio::task::spawn_blocking(move || match std::fs::File::open(&wal) {
                    Ok(file) => file.sync_data(),
                    // No WAL: the last connection closed, which checkpoints
                    // into the database file, synced, and removes it.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    Err(e) => Err(e),
                })
                .await
                .map_err(|e| sqlx::Error::Protocol(format!("flushing the WAL failed: {e}")))?
                .map_err(sqlx::Error::Io)
            }
            Backend::Postgres => {
                // An xid makes the statement's transaction write a commit
                // record; committed synchronously (the session's default), it
                // flushes the WAL up to that record.
                sqlx::query("SELECT txid_current()").execute(pool).await.map(|_| ())
            }
        }
    }

    /// SQLite: learns the WAL file's path from the database itself, once.
    async fn learn_wal(&self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        if self.wal.get().is_none() {
            let row =
                sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'").fetch_one(&mut *conn).await?;
            let file: String = row.try_get(0)?;
            let _ = self.wal.set(PathBuf::from(format!("{file}-wal")));
        }
        Ok(())
    }
}

/// A write transaction (see [`super::write_tx`]): derefs to the connection,
/// so `&mut tx` goes wherever `&mut AnyConnection` does. Dropped without
/// [`WriteTx::commit`], it is rolled back before the next writer's turn.
pub struct WriteTx {
    conn: Option<PoolConnection<Any>>,
    turn: Option<OwnedMutexGuard<()>>,
    writer: Arc<Writer>,
    pool: AnyPool,
    backend: Backend,
    /// Committed without waiting for the disk, so the commit waits for a
    /// group flush (false for PostgreSQL staging, which commits
    /// synchronously itself).
    grouped: bool,
}

/// How a transaction begins.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// In turn with every writer; PostgreSQL takes the advisory lock.
    Ordered,
    /// Staging (see [`super::staging_tx`]): PostgreSQL takes no lock and no
    /// turn; SQLite has one writer anyway.
    Staging,
}

impl WriteTx {
    /// Begins in a task of its own, so a request dropped meanwhile cannot
    /// leave the connection inside a transaction (a transaction nobody awaits
    /// any more is then dropped, which rolls it back).
    pub(super) async fn begin(pool: &AnyPool, kind: Kind) -> Result<WriteTx, sqlx::Error> {
        let pool = pool.clone();
        tokio::spawn(async move {
            let backend = Backend::of(&pool);
            let writer = Writer::of(&pool);
            let in_turn = backend == Backend::Sqlite || kind == Kind::Ordered;
            let turn = if in_turn { Some(writer.turn.clone().lock_owned().await) } else { None };
            let mut conn = pool.acquire().await?;
            let grouped = in_turn;
            let begun = async {
                match backend {
                    Backend::Sqlite => {
                        writer.learn_wal(&mut conn).await?;
                        // Not inside a transaction: SQLite refuses to change
                        // it there. Set back to FULL at the end.
                        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
                        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
                    }
                    Backend::Postgres => {
                        sqlx::query("BEGIN").execute(&mut *conn).await?;
                        if kind == Kind::Ordered {
                            // Both for this transaction only.
                            sqlx::query(
                                "SELECT 1 FROM pg_advisory_xact_lock($1), set_config('synchronous_commit', 'off', true)",
                            )
                            .bind(WRITE_LOCK)
                            .execute(&mut *conn)
                            .await?;
                        }
                    }
                }
                Ok::<_, sqlx::Error>(())
            }
            .await;
            if let Err(e) = begun {
                // Its settings are unknown now: never reused.
                conn.close_on_drop();
                return Err(e);
            }
            Ok(WriteTx { conn: Some(conn), turn, writer, pool, backend, grouped })
        })
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("beginning a transaction failed: {e}")))?
    }

    /// Commits; returns once the commit is on disk. Runs to its end even when
    /// the request is dropped meanwhile.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let conn = self.conn.take().expect("an open transaction");
        let turn = self.turn.take();
        let (writer, pool, backend, grouped) = (self.writer.clone(), self.pool.clone(), self.backend, self.grouped);
        tokio::spawn(async move {
            end(conn, backend, "COMMIT").await?;
            if !grouped {
                return Ok(());
            }
            let ticket = writer.committed.fetch_add(1, Ordering::SeqCst) + 1;
            // The next writer need not wait for this one's flush.
            drop(turn);
            writer.wait_durable(ticket, &pool, backend).await
        })
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("committing failed: {e}")))?
    }

    /// Rolls back (what dropping does, awaited).
    pub async fn rollback(mut self) -> Result<(), sqlx::Error> {
        let conn = self.conn.take().expect("an open transaction");
        let turn = self.turn.take();
        let backend = self.backend;
        tokio::spawn(async move {
            let _turn = turn;
            end(conn, backend, "ROLLBACK").await
        })
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("rolling back failed: {e}")))?
    }
}

/// Ends the transaction with `statement` and gives the connection back to
/// the pool as it was; a connection whose state is in doubt is closed.
/// The answer is the statement's: a COMMIT that went through is a commit
/// even when resetting `synchronous` after it fails (the connection, still
/// at NORMAL, is then closed rather than reused).
async fn end(mut conn: PoolConnection<Any>, backend: Backend, statement: &'static str) -> Result<(), sqlx::Error> {
    if let Err(e) = sqlx::query(statement).execute(&mut *conn).await {
        conn.close_on_drop();
        return Err(e);
    }
    if backend == Backend::Sqlite && sqlx::query("PRAGMA synchronous = FULL").execute(&mut *conn).await.is_err() {
        conn.close_on_drop();
    }
    Ok(())
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        let turn = self.turn.take();
        let backend = self.backend;
        match tokio::runtime::Handle::try_current() {
            // The turn goes with the rollback: the next writer begins after it.
            Ok(runtime) => {
                runtime.spawn(async move {
                    let _turn = turn;
                    let _ = end(conn, backend, "ROLLBACK").await;
                });
            }
            // No runtime to roll back on: closing the connection rolls back.
            Err(_) => conn.close_on_drop(),
        }
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.conn.as_ref().expect("an open transaction")
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect("an open transaction")
    }
}
