//! Backup and restore of the embedded SQLite database (README, "Backup and
//! restore").
//!
//! - [`backup`] takes a consistent copy while the server runs: `VACUUM INTO`
//!   reads one snapshot inside a read transaction (WAL lets writers carry on)
//!   into `gongzhi-<UTC time>.db`, written under a `.partial` name, checked
//!   (`PRAGMA integrity_check`, and the keyed chains when the key is at hand),
//!   synced and only then renamed; beside it a manifest
//!   (`gongzhi-<UTC time>.json`: time, schema version, audit head, SHA-256 of
//!   the copy) and the operator's holiday schedules (`…​.holidays/`).
//! - [`check`] verifies a backup without touching anything: the SHA-256
//!   against its manifest, the integrity check, the schema version against
//!   this binary's migrations, and every chain with the key outside the
//!   database.
//! - [`restore`] refuses while a server holds the data directory (the lock
//!   file [`DataDirLock`], held by `serve` for its lifetime), stages the copy
//!   in the data directory, checks the staged bytes as [`check`] does, keeps
//!   the database it replaces (`gongzhi.db.replaced-<time>`) and swaps the
//!   new one in with one `rename`: at every instant `gongzhi.db` is either the
//!   old database or the restored one, never a mixture.
//!
//! SQLite only: with `GONGZHI_DATABASE_URL=postgres://…` both commands refuse
//! and point to `pg_dump` / `pg_restore`.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::{bail, Context};
use chrono::{SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Connection};

use crate::config::Config;
use crate::keys::Keys;

/// The database file in the data directory.
pub const DB_FILE: &str = "gongzhi.db";
/// Locked (advisory `flock`) by a running server; `restore` needs it free.
pub const LOCK_FILE: &str = "gongzhi.lock";
pub const MANIFEST_FORMAT: &str = "gongzhi-backup/1";

/// An exclusive lock on the data directory, released when dropped or when
/// the process dies (even by SIGKILL: the kernel drops `flock` locks).
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    pub fn acquire(data_dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
        let path = data_dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "另一个 gongzhi-server 进程正在使用数据目录 {} / another gongzhi-server holds {} (lock {LOCK_FILE}): stop it first",
                data_dir.display(),
                data_dir.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
        }
    }
}

/// Refuses when `GONGZHI_DATABASE_URL` selects PostgreSQL: its backups are
/// `pg_dump`'s (README, "Backup and restore").
pub fn refuse_postgres(command: &str) -> anyhow::Result<()> {
    let url = std::env::var("GONGZHI_DATABASE_URL").unwrap_or_default();
    if url.trim_start().starts_with("postgres") {
        bail!(
            "`gongzhi-server {command}` copies the embedded SQLite database only; GONGZHI_DATABASE_URL selects PostgreSQL: \
             use `pg_dump -Fc` and `pg_restore` (README, \"Backup and restore\")"
        );
    }
    Ok(())
}

/// A chain's head as the backup holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// One operator file copied with the database (holiday schedules).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopiedFile {
    pub name: String,
    pub sha256: String,
}

/// `gongzhi-<time>.json`, written beside the copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// UTC, RFC 3339, when the copy was taken.
    pub created_at: String,
    /// The copy's file name, in the manifest's directory.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    /// The last migration applied (`_sqlx_migrations`).
    pub schema_version: i64,
    pub migration: String,
    pub sqlite_version: String,
    /// The audit trail's head in the copy (`None`: empty trail).
    pub audit_head: Option<Head>,
    pub seal_registers: i64,
    /// Whether every chain in the copy verified with the key outside the
    /// database (`None`: the key was not at hand when the backup was taken).
    pub chains_intact: Option<bool>,
    /// `$GONGZHI_DATA_DIR/holidays/*.json`, copied to `<file stem>.holidays/`.
    #[serde(default)]
    pub holidays: Vec<CopiedFile>,
}

/// What was found in a database copy.
#[derive(Clone, Debug)]
pub struct Facts {
    pub integrity: Vec<String>,
    pub schema_version: i64,
    pub migration: String,
    pub sqlite_version: String,
    pub audit_head: Option<Head>,
    pub seal_registers: i64,
    /// One line per chain: (intact, line), when keys were given.
    pub chains: Option<Vec<(bool, String)>>,
}

impl Facts {
    pub fn integrity_ok(&self) -> bool {
        self.integrity == ["ok"]
    }
    pub fn chains_intact(&self) -> Option<bool> {
        self.chains.as_ref().map(|c| c.iter().all(|(ok, _)| *ok))
    }
}

/// A pool on a copy that is not the live database: rollback journal (no
/// `-wal` beside it), no migrations, no keys in the connection.
async fn open_copy(path: &Path) -> anyhow::Result<AnyPool> {
    sqlx::any::install_default_drivers();
    if !path.is_file() {
        anyhow::bail!("cannot open {}: no such file", path.display());
    }
    // Through the Any driver, as the chain checks expect; `mode=rw` never
    // creates a missing file.
    AnyPoolOptions::new()
        .max_connections(1)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::query("PRAGMA journal_mode = DELETE").execute(&mut *conn).await?;
                sqlx::query("PRAGMA busy_timeout = 30000").execute(&mut *conn).await?;
                Ok(())
            })
        })
        .connect(&format!("sqlite://{}?mode=rw", path.display()))
        .await
        .with_context(|| format!("cannot open {}", path.display()))
}

/// Reads what a copy holds; with `keys`, verifies every chain in it.
pub async fn inspect(path: &Path, keys: Option<&Keys>) -> anyhow::Result<Facts> {
    let pool = open_copy(path).await?;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&pool).await?;
    let (schema_version, migration): (i64, String) =
        sqlx::query_as("SELECT version, description FROM _sqlx_migrations WHERE success ORDER BY version DESC LIMIT 1")
            .fetch_optional(&pool)
            .await
            .context("not a Gongzhi database (no migrations table)")?
            .context("not a Gongzhi database (no migration applied)")?;
    let sqlite_version: String = sqlx::query_scalar("SELECT sqlite_version()").fetch_one(&pool).await?;
    let audit_head = sqlx::query_as::<_, (i64, String)>("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(&pool)
        .await?
        .map(|(seq, hash)| Head { seq, hash });
    let seal_registers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seal_register_head").fetch_one(&pool).await?;
    let chains = match keys {
        None => None,
        Some(keys) => Some(
            crate::chains::verify_all(&pool, keys, None)
                .await?
                .into_iter()
                .map(|r| {
                    let line = format!(
                        "[{}] {}:{}",
                        if r.report.intact { "完整" } else { "被篡改" },
                        r.name,
                        r.report.message
                    );
                    (r.report.intact, line)
                })
                .collect(),
        ),
    };
    pool.close().await;
    Ok(Facts { integrity, schema_version, migration, sqlite_version, audit_head, seal_registers, chains })
}

fn sha256_file(path: &Path) -> anyhow::Result<(u64, String)> {
    let mut file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((bytes, hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()))
}

fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).with_context(|| format!("cannot sync directory {}", dir.display()))
}

/// A new file readable by the owner only (copies hold personal data).
fn create_private(path: &Path) -> anyhow::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).with_context(|| format!("cannot create {}", path.display()))
}

fn copy_private(from: &Path, to: &Path) -> anyhow::Result<()> {
    let mut src = File::open(from).with_context(|| format!("cannot read {}", from.display()))?;
    let mut dst = create_private(to)?;
    std::io::copy(&mut src, &mut dst).with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    dst.sync_all()?;
    Ok(())
}

/// The schema version this binary migrates to.
fn known_schema_version() -> i64 {
    sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).max().unwrap_or(0)
}

/// What a backup produced.
#[derive(Debug)]
pub struct BackupDone {
    pub file: PathBuf,
    pub manifest_path: PathBuf,
    pub manifest: Manifest,
    pub facts: Facts,
}

/// Takes a consistent copy of the live database into `dir` (see the module
/// documentation). Safe while the server runs and writes.
pub async fn backup(config: &Config, dir: &Path) -> anyhow::Result<BackupDone> {
    refuse_postgres("backup")?;
    let live = config.data_dir.join(DB_FILE);
    if !live.is_file() {
        bail!("no database at {} (GONGZHI_DATA_DIR)", live.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create backup directory {}", dir.display()))?;
    let now = Utc::now();
    let stem = format!("gongzhi-{}", now.format("%Y%m%dT%H%M%S%.3fZ"));
    let file = dir.join(format!("{stem}.db"));
    let partial = dir.join(format!("{stem}.db.partial"));
    if file.exists() {
        bail!("{} exists already", file.display());
    }
    // VACUUM INTO writes into an empty file: made first, so it is 0600.
    drop(create_private(&partial)?);
    let copied = async {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", live.display()))?
            .create_if_missing(false)
            .busy_timeout(Duration::from_secs(30));
        let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
        sqlx::query("VACUUM INTO ?").bind(partial.to_string_lossy().into_owned()).execute(&mut conn).await?;
        conn.close().await?;
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e.context(format!("cannot copy {}", live.display())));
    }
    let keys = Keys::load(&config.key_dir, config.audit_key.as_deref()).ok();
    if keys.is_none() {
        tracing::warn!("the key outside the database is not at hand: the copy's chains are not verified now");
    }
    let facts = match inspect(&partial, keys.as_ref()).await {
        Ok(f) if f.integrity_ok() => f,
        Ok(f) => {
            let _ = std::fs::remove_file(&partial);
            bail!("the copy fails PRAGMA integrity_check: {}", f.integrity.join("; "));
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    File::open(&partial)?.sync_all()?;
    let (bytes, sha256) = sha256_file(&partial)?;
    // The operator's holiday schedules travel with the database.
    let mut holidays = Vec::new();
    let holidays_dir = config.holidays_dir();
    if holidays_dir.is_dir() {
        let target = dir.join(format!("{stem}.holidays"));
        std::fs::create_dir_all(&target)?;
        let mut names: Vec<_> = std::fs::read_dir(&holidays_dir)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        for path in names {
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            copy_private(&path, &target.join(&name))?;
            holidays.push(CopiedFile { sha256: sha256_file(&path)?.1, name });
        }
        sync_dir(&target)?;
    }
    std::fs::rename(&partial, &file)?;
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        created_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        file: format!("{stem}.db"),
        bytes,
        sha256,
        schema_version: facts.schema_version,
        migration: facts.migration.clone(),
        sqlite_version: facts.sqlite_version.clone(),
        audit_head: facts.audit_head.clone(),
        seal_registers: facts.seal_registers,
        chains_intact: facts.chains_intact(),
        holidays,
    };
    let manifest_path = dir.join(format!("{stem}.json"));
    let tmp = dir.join(format!(".{stem}.json.tmp"));
    {
        let mut f = create_private(&tmp)?;
        std::io::Write::write_all(&mut f, serde_json::to_string_pretty(&manifest)?.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &manifest_path)?;
    sync_dir(dir)?;
    Ok(BackupDone { file, manifest_path, manifest, facts })
}

/// The database file and manifest named by `from` (either of the two).
fn locate(from: &Path) -> anyhow::Result<(PathBuf, Manifest, PathBuf)> {
    let manifest_path =
        if from.extension().is_some_and(|x| x == "json") { from.to_path_buf() } else { from.with_extension("json") };
    let text = std::fs::read_to_string(&manifest_path).with_context(|| {
        format!("cannot read the backup's manifest {} (written beside the copy by `backup`)", manifest_path.display())
    })?;
    let manifest: Manifest =
        serde_json::from_str(&text).with_context(|| format!("{} is not a backup manifest", manifest_path.display()))?;
    if manifest.format != MANIFEST_FORMAT {
        bail!("{}: unknown format {:?}", manifest_path.display(), manifest.format);
    }
    if manifest.file.contains('/') || manifest.file.contains("..") {
        bail!("{}: file name {:?} is not a plain name", manifest_path.display(), manifest.file);
    }
    let dir = manifest_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    Ok((dir.join(&manifest.file), manifest, dir))
}

fn load_keys(config: &Config) -> anyhow::Result<Keys> {
    Keys::load(&config.key_dir, config.audit_key.as_deref()).context(
        "the key outside the database is needed to verify the backup's audit trail and seal registers: \
         restore the key file (gongzhi.key) into GONGZHI_KEY_DIR first, or set GONGZHI_AUDIT_KEY — \
         without it the restored chains cannot be verified",
    )
}

/// Checks that `db` is exactly the copy `manifest` describes and that it is
/// sound: integrity, a schema this binary knows, every chain intact.
async fn check_file(db: &Path, manifest: &Manifest, keys: &Keys) -> anyhow::Result<Facts> {
    let (bytes, sha256) = sha256_file(db)?;
    if bytes != manifest.bytes || sha256 != manifest.sha256 {
        bail!(
            "{} is not the copy its manifest describes: {bytes} bytes, SHA-256 {sha256}; expected {} bytes, SHA-256 {} (damaged or altered)",
            db.display(),
            manifest.bytes,
            manifest.sha256
        );
    }
    let facts = inspect(db, Some(keys)).await?;
    if !facts.integrity_ok() {
        bail!("{}: PRAGMA integrity_check: {}", db.display(), facts.integrity.join("; "));
    }
    if facts.schema_version > known_schema_version() {
        bail!(
            "the backup's schema ({} {}) is newer than this gongzhi-server knows ({}): restore with the version that took it",
            facts.schema_version,
            facts.migration,
            known_schema_version()
        );
    }
    if facts.audit_head != manifest.audit_head {
        bail!("the copy's audit head differs from its manifest's");
    }
    if facts.chains_intact() != Some(true) {
        let lines: Vec<&str> = facts.chains.iter().flatten().filter(|(ok, _)| !ok).map(|(_, l)| l.as_str()).collect();
        bail!("the backup's chains do not verify with this key:\n{}", lines.join("\n"));
    }
    Ok(facts)
}

/// Verifies a backup where it lies, changing nothing: its bytes against the
/// manifest, then the checks of [`check_file`] on a scratch copy (opening a
/// database may touch its file).
pub async fn check(config: &Config, from: &Path) -> anyhow::Result<(Manifest, Facts)> {
    refuse_postgres("verify-backup")?;
    let keys = load_keys(config)?;
    let (db, manifest, dir) = locate(from)?;
    check_holidays(&manifest, &dir)?;
    let scratch = tempfile_dir(&std::env::temp_dir())?;
    let copy = scratch.join(DB_FILE);
    copy_private(&db, &copy)?;
    let result = check_file(&copy, &manifest, &keys).await;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok((manifest, result?))
}

fn holidays_source(manifest: &Manifest, dir: &Path) -> PathBuf {
    dir.join(format!("{}.holidays", manifest.file.trim_end_matches(".db")))
}

fn check_holidays(manifest: &Manifest, dir: &Path) -> anyhow::Result<()> {
    let source = holidays_source(manifest, dir);
    for f in &manifest.holidays {
        let (_, sha) = sha256_file(&source.join(&f.name))?;
        if sha != f.sha256 {
            bail!("{}: SHA-256 differs from the manifest's", source.join(&f.name).display());
        }
    }
    Ok(())
}

/// A fresh private directory under `parent`.
fn tempfile_dir(parent: &Path) -> anyhow::Result<PathBuf> {
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let dir = parent.join(format!(".gongzhi-check-{}", nonce.iter().map(|b| format!("{b:02x}")).collect::<String>()));
    std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the database it replaced was kept (`None`: there was none).
    pub kept_aside: Option<PathBuf>,
}

/// Puts the backup `from` (its `.db` or its manifest) in place of the
/// database in `$GONGZHI_DATA_DIR` (see the module documentation).
pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<Restored> {
    refuse_postgres("restore")?;
    let keys = load_keys(config)?;
    let (db, manifest, dir) = locate(from)?;
    check_holidays(&manifest, &dir)?;
    let data_dir = &config.data_dir;
    let _lock = DataDirLock::acquire(data_dir).context("refusing to restore")?;
    let live = data_dir.join(DB_FILE);
    let staged = data_dir.join(format!("{DB_FILE}.restoring"));
    for stale in [staged.clone(), with_suffix(&staged, "-journal")] {
        let _ = std::fs::remove_file(stale);
    }
    copy_private(&db, &staged)?;
    if let Err(e) = check_file(&staged, &manifest, &keys).await {
        let _ = std::fs::remove_file(&staged);
        return Err(e.context(format!("nothing restored: {} is unchanged", live.display())));
    }
    File::open(&staged)?.sync_all()?;
    let stamp = Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string();
    // The database being replaced is made whole in its own file first (its
    // WAL checkpointed, rollback journal), then kept under a second name.
    let kept_aside = match keep_aside(&live, data_dir, &stamp).await {
        Ok(aside) => aside,
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            return Err(e.context(format!("nothing restored: {} is unchanged", live.display())));
        }
    };
    for stale in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(&live, stale));
    }
    // Holidays first, the database last: the one rename that counts.
    let source = holidays_source(&manifest, &dir);
    let holidays = config.holidays_dir();
    if !manifest.holidays.is_empty() || holidays.exists() {
        let incoming = data_dir.join("holidays.restoring");
        let _ = std::fs::remove_dir_all(&incoming);
        std::fs::create_dir_all(&incoming)?;
        for f in &manifest.holidays {
            copy_private(&source.join(&f.name), &incoming.join(&f.name))?;
        }
        if holidays.exists() {
            std::fs::rename(&holidays, data_dir.join(format!("holidays.replaced-{stamp}")))?;
        }
        std::fs::rename(&incoming, &holidays)?;
    }
    std::fs::rename(&staged, &live)?;
    sync_dir(data_dir)?;
    Ok(Restored { manifest, kept_aside })
}

/// Makes the live database whole in its own file (WAL checkpointed, rollback
/// journal: this needs every other connection gone) and links it under a
/// second name, `gongzhi.db.replaced-<stamp>`.
async fn keep_aside(live: &Path, data_dir: &Path, stamp: &str) -> anyhow::Result<Option<PathBuf>> {
    if !live.exists() {
        return Ok(None);
    }
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", live.display()))?
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(5));
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode = DELETE").fetch_one(&mut conn).await?;
    conn.close().await?;
    if mode != "delete" {
        bail!("cannot checkpoint {} (another process has it open?)", live.display());
    }
    let aside = data_dir.join(format!("{DB_FILE}.replaced-{stamp}"));
    if std::fs::hard_link(live, &aside).is_err() {
        copy_private(live, &aside)?;
    }
    Ok(Some(aside))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// `gongzhi-server backup DIR | restore FROM | verify-backup FROM`: prints
/// what was done; the exit code.
pub async fn command(config: &Config, name: &str, args: &[String]) -> anyhow::Result<i32> {
    let [arg] = args else {
        bail!("usage: gongzhi-server backup DIR | restore BACKUP.db | verify-backup BACKUP.db");
    };
    let path = Path::new(arg);
    match name {
        "backup" => {
            let done = backup(config, path).await?;
            let m = &done.manifest;
            println!("备份完成 / backup written: {} ({} bytes, SHA-256 {})", done.file.display(), m.bytes, m.sha256);
            println!("manifest: {}", done.manifest_path.display());
            println!(
                "schema {} ({}); audit head {}; {} seal register(s); integrity_check ok",
                m.schema_version,
                m.migration,
                m.audit_head.as_ref().map_or("empty".into(), |h| format!("seq {} {}", h.seq, h.hash)),
                m.seal_registers
            );
            match &done.facts.chains {
                None => {
                    println!("chains not verified: the key outside the database is not at hand (GONGZHI_KEY_DIR / GONGZHI_AUDIT_KEY)");
                    Ok(0)
                }
                Some(lines) => {
                    for (_, line) in lines {
                        println!("{line}");
                    }
                    Ok(i32::from(done.facts.chains_intact() != Some(true)))
                }
            }
        }
        "verify-backup" => {
            let (m, facts) = check(config, path).await?;
            println!(
                "备份完好 / backup verified: {} taken {}, SHA-256 matches, integrity_check ok",
                m.file, m.created_at
            );
            for (_, line) in facts.chains.iter().flatten() {
                println!("{line}");
            }
            Ok(0)
        }
        "restore" => {
            let r = restore(config, path).await?;
            println!(
                "已恢复 / restored {} (taken {}) into {}",
                r.manifest.file,
                r.manifest.created_at,
                config.data_dir.join(DB_FILE).display()
            );
            if let Some(aside) = &r.kept_aside {
                println!("the database it replaced is kept as {}", aside.display());
            }
            println!("verified before the swap: SHA-256, integrity_check, every chain with the key; start the server");
            Ok(0)
        }
        other => bail!("unknown backup command {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(file: &str, format: &str) -> String {
        serde_json::json!({
            "format": format, "created_at": "2026-12-01T02:00:00.000Z", "file": file, "bytes": 1, "sha256": "00",
            "schema_version": 10, "migration": "calendar", "sqlite_version": "3", "audit_head": null,
            "seal_registers": 0, "chains_intact": null
        })
        .to_string()
    }

    #[test]
    fn a_manifest_names_a_file_beside_it_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("gongzhi-20261201T020000.000Z.json");
        std::fs::write(&json, manifest("gongzhi-20261201T020000.000Z.db", MANIFEST_FORMAT)).unwrap();
        // Named by the copy or by the manifest, the same pair.
        let (db, m, _) = locate(&dir.path().join("gongzhi-20261201T020000.000Z.db")).unwrap();
        assert_eq!(db, dir.path().join("gongzhi-20261201T020000.000Z.db"));
        assert_eq!(m.holidays, vec![]);
        assert_eq!(locate(&json).unwrap().0, db);
        for (file, format) in [("../gongzhi.db", MANIFEST_FORMAT), ("a/b.db", MANIFEST_FORMAT), ("x.db", "other/1")] {
            std::fs::write(&json, manifest(file, format)).unwrap();
            assert!(locate(&json).is_err(), "{file} {format}");
        }
        assert!(locate(&dir.path().join("missing.db")).is_err(), "a copy without its manifest is refused");
    }

    #[test]
    fn the_data_directory_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let held = DataDirLock::acquire(dir.path()).unwrap();
        let refused = DataDirLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(refused.contains("another gongzhi-server holds"), "{refused}");
        drop(held);
        DataDirLock::acquire(dir.path()).unwrap();
    }
}
