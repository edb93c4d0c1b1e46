//! The database: the embedded SQLite file under `GONGZHI_DATA_DIR` (the
//! default), or PostgreSQL when `GONGZHI_DATABASE_URL=postgres://…`. Both sit
//! behind sqlx's `Any` driver, so every query is written once (placeholders
//! `$1…$N`, integers `i64`, text, bytes); the few statements that differ ask
//! [`Backend`].

use std::time::Duration;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool};

pub mod writer;
pub use writer::{WriteTx, Writer};

use crate::config::Config;

/// Which database is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The advisory lock every PostgreSQL write transaction takes first (see
/// [`write_tx`]): "gongzhi" in ASCII.
const WRITE_LOCK: i64 = 0x0067_6f6e_677a_6869;

impl Backend {
    /// The backend of a database URL (`sqlite:`, `postgres:`/`postgresql:`).
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("sqlite") => Ok(Self::Sqlite),
            Some("postgres" | "postgresql") => Ok(Self::Postgres),
            _ => anyhow::bail!("GONGZHI_DATABASE_URL must start with postgres:// (or sqlite://)"),
        }
    }

    /// The backend a pool connects to.
    pub fn of(pool: &AnyPool) -> Self {
        match pool.connect_options().database_url.scheme() {
            "sqlite" => Self::Sqlite,
            _ => Self::Postgres,
        }
    }

    /// The backend of an open connection (inside a transaction).
    pub fn of_connection(conn: &AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Self::Sqlite
        } else {
            Self::Postgres
        }
    }

    /// `expr`'s values of a group joined by `separator` (SQL text).
    pub fn string_agg(self, expr: &str, separator: &str) -> String {
        match self {
            Self::Sqlite => format!("group_concat({expr}, {separator})"),
            Self::Postgres => format!("string_agg({expr}, {separator})"),
        }
    }

    /// One JSON array text of the rows' arrays `[columns…]`, in `order`.
    pub fn json_rows(self, columns: &str, order: &str) -> String {
        match self {
            // SQLite's aggregate keeps the order of the rows it is fed.
            Self::Sqlite => format!("json_group_array(json_array({columns}))"),
            Self::Postgres => {
                format!("CAST(COALESCE(json_agg(json_build_array({columns}) ORDER BY {order}), '[]') AS TEXT)")
            }
        }
    }

    /// The connection's own table holding the chain key: SQLite's `temp`
    /// schema, PostgreSQL's `pg_temp` — named explicitly, so a table of the
    /// same name in the database cannot stand in for it.
    pub fn chain_key_table(self) -> &'static str {
        match self {
            Self::Sqlite => "temp.chain_key",
            Self::Postgres => "pg_temp.chain_key",
        }
    }
}

/// Opens the database named by the configuration and migrates it. Every
/// connection gets the chain subkey of `keys` in a TEMP table that lives only
/// in that connection (SQLite: in memory, never in the database file;
/// PostgreSQL: the session's temporary schema), so that
/// [`crate::audit::append`] and the seal register can MAC their links inside
/// the caller's transaction.
pub async fn open(config: &Config, keys: &crate::keys::Keys) -> anyhow::Result<AnyPool> {
    sqlx::any::install_default_drivers();
    let (url, shown) = match &config.database_url {
        Some(url) => (url.clone(), redact(url)),
        None => {
            tokio::fs::create_dir_all(&config.data_dir)
                .await
                .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
            let path = config.data_dir.join("gongzhi.db");
            (format!("sqlite://{}?mode=rwc", path.display()), path.display().to_string())
        }
    };
    let backend = Backend::of_url(&url)?;
    let chain_key = keys.chain_key().to_vec();
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            let key = chain_key.clone();
            Box::pin(async move {
                prepare_connection(conn, backend, key).await?;
                Ok(())
            })
        })
        .connect(&url)
        .await
        .with_context(|| format!("cannot open database {shown}"))?;
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await,
    }
    .context("database migration failed")?;
    Ok(pool)
}

/// Per-connection settings and the chain key.
async fn prepare_connection(conn: &mut AnyConnection, backend: Backend, key: Vec<u8>) -> Result<(), sqlx::Error> {
    match backend {
        Backend::Sqlite => {
            for pragma in [
                "PRAGMA journal_mode = WAL",
                // FULL: a commit is on disk (the WAL fsynced) before the
                // answer is sent; NORMAL would lose the last acknowledged
                // commits on a power loss (ARCHITECTURE.md, "Nothing
                // acknowledged is lost").
                "PRAGMA synchronous = FULL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA busy_timeout = 5000",
                "PRAGMA temp_store = MEMORY",
            ] {
                sqlx::query(pragma).execute(&mut *conn).await?;
            }
            sqlx::query(
                "CREATE TEMP TABLE IF NOT EXISTS chain_key (id INTEGER PRIMARY KEY CHECK (id = 1), k BLOB NOT NULL)",
            )
            .execute(&mut *conn)
            .await?;
        }
        Backend::Postgres => {
            sqlx::query(
                "CREATE TEMP TABLE IF NOT EXISTS chain_key (id BIGINT PRIMARY KEY CHECK (id = 1), k BYTEA NOT NULL)",
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    let table = backend.chain_key_table();
    sqlx::query(&format!("INSERT INTO {table} (id, k) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET k = excluded.k"))
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A write transaction with one writer at a time, on either backend, so a
/// read-then-write inside it — like appending to the audit chain or a seal
/// register — cannot interleave with another:
/// - the writers of the process take their turn in arrival order first
///   ([`writer`]);
/// - SQLite: `BEGIN IMMEDIATE` takes the database's write lock (other
///   processes wait up to the busy timeout);
/// - PostgreSQL: the transaction's first statement takes one exclusive
///   transaction-level advisory lock, held until commit or rollback. Readers
///   are not blocked (MVCC); writers of every server queue on the lock.
///
/// [`WriteTx::commit`] returns once the commit is on disk, flushed in a group
/// with the commits made beside it ([`writer`]).
pub async fn write_tx(pool: &AnyPool) -> Result<WriteTx, sqlx::Error> {
    WriteTx::begin(pool, writer::Kind::Ordered).await
}

/// A write transaction that needs no ordering with other writers: what a
/// background import stages (`store::household_import`), rows no one else
/// reads or writes. SQLite has one writer anyway (in turn, `BEGIN
/// IMMEDIATE`, as [`write_tx`]); PostgreSQL takes no turn and no advisory
/// lock, so staging never makes an audited write wait.
pub async fn staging_tx(pool: &AnyPool) -> Result<WriteTx, sqlx::Error> {
    WriteTx::begin(pool, writer::Kind::Staging).await
}

/// Inside a transaction begun with [`staging_tx`]: takes the one-writer
/// lock [`write_tx`] takes at its start — on PostgreSQL the advisory lock,
/// held to the end of the transaction; on SQLite nothing more (`BEGIN
/// IMMEDIATE` holds the write lock already). So a transaction can do set-based
/// writes that need no ordering first, and hold the lock only for what does
/// (the audit chain).
pub async fn take_write_lock(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if Backend::of_connection(conn) == Backend::Postgres {
        sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A 0/1 flag column as `bool`. Flags are integers on both backends (SQLite
/// has no boolean type), so they are bound as `i64` and read through here.
pub fn flag(row: &sqlx::any::AnyRow, column: &str) -> bool {
    use sqlx::Row;
    row.get::<i64, _>(column) != 0
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{user}@{}", &url[..s], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
