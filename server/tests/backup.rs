//! Backup and restore on the real binary (issue 15, "Nothing lost"): a
//! backup taken while a client keeps writing, restored into a fresh data
//! directory, passes `verify-audit` and holds every write acknowledged before
//! it began; `restore` refuses while a server holds the directory, without
//! the key, for a damaged copy (changing nothing), and keeps the database it
//! replaces; `backup` refuses for PostgreSQL.

mod http;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::{start, wait_healthy, Client, BIN};
use serde_json::{json, Value};

/// Runs `gongzhi-server ARGS` with the data and key directories given.
fn run(args: &[&str], data: &Path, keys: &Path, extra: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("GONGZHI_DATA_DIR", data)
        .env("GONGZHI_KEY_DIR", keys)
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "0")
        .env_remove("GONGZHI_AUDIT_KEY")
        .env_remove("GONGZHI_DATABASE_URL");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn sha(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

async fn keys_in(db: &Path) -> BTreeSet<String> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let keys = sqlx::query_scalar::<_, String>("SELECT idempotency_key FROM visits WHERE idempotency_key LIKE 'bk-%'")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    keys.into_iter().collect()
}

fn acked(acks: &Mutex<Vec<String>>) -> BTreeSet<String> {
    acks.lock().unwrap().iter().cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_restores_whole_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    let backups = dir.path().join("backups");
    // An operator's holiday schedule travels with the database.
    let schedule = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/domain/holiday-cn/2026.json");
    std::fs::create_dir_all(data.join("holidays")).unwrap();
    std::fs::copy(schedule, data.join("holidays/2026.json")).unwrap();
    let mut server = start(&data);
    wait_healthy(&mut server).await;
    let household: i64 = {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("gongzhi.db").display())).await.unwrap();
        let id = sqlx::query_scalar(
            "SELECT h.id FROM households h JOIN org_nodes n ON n.id = h.grid_id WHERE n.code = 'DX-CD-XF-01' LIMIT 1",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        id
    };

    // A grid member keeps recording visits throughout.
    let stop = Arc::new(AtomicBool::new(false));
    let acks = Arc::new(Mutex::new(Vec::<String>::new()));
    let writer = {
        let (stop, acks, port) = (stop.clone(), acks.clone(), server.port);
        tokio::spawn(async move {
            let client = Client::login(port, "gridmember", "Gongzhi@2026").await.unwrap();
            for n in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let key = format!("bk-visit-{n:06}");
                let body = json!({ "idempotency_key": key, "household_id": household, "outcome": "met",
                    "needs": "", "follow_up": "", "visited_at": chrono::Utc::now().to_rfc3339() });
                let r = client.post("/api/visits", &body).await.unwrap();
                assert!(r.is_success(), "{} {}", r.status, r.body);
                acks.lock().unwrap().push(key);
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while acks.lock().unwrap().len() < 20 {
        assert!(Instant::now() < deadline, "the writer does not get going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before_backup = acked(&acks);
    let (data2, backups2) = (data.clone(), backups.clone());
    let out = tokio::task::spawn_blocking(move || run(&["backup", backups2.to_str().unwrap()], &data2, &data2, &[]))
        .await
        .unwrap();
    let after_backup = acked(&acks);
    assert!(out.status.success(), "backup: {}", text(&out));
    assert!(after_backup.len() > before_backup.len(), "writes went on while the backup ran");
    assert!(text(&out).contains("[完整] 审计日志"), "the backup verifies its copy's chains: {}", text(&out));
    // Writes went on during and after the backup.
    let deadline = Instant::now() + Duration::from_secs(30);
    while acks.lock().unwrap().len() < after_backup.len() + 10 {
        assert!(Instant::now() < deadline, "writes stopped after the backup");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let manifest_path = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("a manifest");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let copy = backups.join(manifest["file"].as_str().unwrap());
    assert!(copy.is_file());
    assert_eq!(manifest["format"], "gongzhi-backup/1");
    assert_eq!(manifest["chains_intact"], true);
    assert!(manifest["schema_version"].as_i64().unwrap() >= 10);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
            0o600,
            "the copy holds personal data"
        );
    }

    // Not over a running server's data directory.
    let live = data.join("gongzhi.db");
    let out = run(&["restore", copy.to_str().unwrap()], &data, &data, &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("another gongzhi-server holds"), "{}", text(&out));
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    // Without the key, nothing is restored.
    let nokey = dir.path().join("nokey");
    let out = run(&["restore", copy.to_str().unwrap()], &nokey, &nokey, &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("gongzhi.key"), "{}", text(&out));
    assert!(!nokey.join("gongzhi.db").exists());

    // Into a fresh data directory, with the key kept elsewhere.
    let fresh = dir.path().join("fresh");
    let out = run(&["verify-backup", manifest_path.to_str().unwrap()], &fresh, &data, &[]);
    assert!(out.status.success(), "verify-backup: {}", text(&out));
    let out = run(&["restore", copy.to_str().unwrap()], &fresh, &data, &[]);
    assert!(out.status.success(), "restore: {}", text(&out));
    let out = run(&["verify-audit"], &fresh, &data, &[]);
    assert!(out.status.success(), "verify-audit on the restored copy: {}", text(&out));
    let restored = keys_in(&fresh.join("gongzhi.db")).await;
    let lost: Vec<_> = before_backup.difference(&restored).collect();
    assert!(lost.is_empty(), "visits acknowledged before the backup began are missing: {lost:?}");
    let extra: Vec<_> = restored.difference(&after_backup).collect();
    assert!(extra.is_empty(), "the copy holds visits never acknowledged by its end: {extra:?}");
    {
        let pool =
            sqlx::SqlitePool::connect(&format!("sqlite://{}", fresh.join("gongzhi.db").display())).await.unwrap();
        let head: i64 = sqlx::query_scalar("SELECT seq FROM audit_head").fetch_one(&pool).await.unwrap();
        assert_eq!(head, manifest["audit_head"]["seq"].as_i64().unwrap(), "the manifest names the copy's audit head");
        pool.close().await;
    }
    assert_eq!(
        std::fs::read(fresh.join("holidays/2026.json")).unwrap(),
        std::fs::read(schedule).unwrap(),
        "the holiday schedules are restored"
    );
    assert_eq!(manifest["holidays"][0]["name"], "2026.json");
    // The restored directory serves again.
    let mut again = start(&fresh);
    wait_healthy(&mut again).await;
    Client::login(again.port, "gridmember", "Gongzhi@2026").await.expect("sign-in on the restored copy");
    again.child.kill().unwrap();
    again.child.wait().unwrap();

    // A damaged copy changes nothing.
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let bad_copy = bad.join(copy.file_name().unwrap());
    let mut bytes = std::fs::read(&copy).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&bad_copy, bytes).unwrap();
    std::fs::copy(&manifest_path, bad.join(manifest_path.file_name().unwrap())).unwrap();
    let holidays_copy = copy.with_extension("holidays");
    let bad_holidays = bad.join(holidays_copy.file_name().unwrap());
    std::fs::create_dir_all(&bad_holidays).unwrap();
    std::fs::copy(holidays_copy.join("2026.json"), bad_holidays.join("2026.json")).unwrap();
    let before = sha(&fresh.join("gongzhi.db"));
    let out = run(&["restore", bad_copy.to_str().unwrap()], &fresh, &data, &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("nothing restored"), "{}", text(&out));
    assert_eq!(sha(&fresh.join("gongzhi.db")), before, "a refused restore left the database as it was");
    assert!(!fresh.join("gongzhi.db.restoring").exists());

    // Restoring over a database keeps it aside, whole.
    let out = run(&["restore", copy.to_str().unwrap()], &fresh, &data, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let aside: Vec<PathBuf> = std::fs::read_dir(&fresh)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("gongzhi.db.replaced-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(keys_in(&aside[0]).await, restored, "the replaced database is kept whole");
    let holidays_aside = std::fs::read_dir(&fresh)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("holidays.replaced-"))
        .expect("the replaced holiday schedules are kept");
    assert!(holidays_aside.join("2026.json").is_file());
    assert!(fresh.join("holidays/2026.json").is_file());

    // PostgreSQL is backed up with pg_dump.
    let out = run(
        &["backup", backups.to_str().unwrap()],
        &data,
        &data,
        &[("GONGZHI_DATABASE_URL", "postgres://gongzhi@localhost/gongzhi")],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("pg_dump"), "{}", text(&out));
    drop(live);
}
