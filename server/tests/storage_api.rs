//! What both storage backends guarantee (SQLite, and PostgreSQL when
//! `GONGZHI_TEST_DATABASE_URL` is set) under concurrent writers. (The
//! append-only triggers are tested in `chain_anchor_api.rs`.)

mod common;

use axum::http::StatusCode;
use chrono::Utc;
use common::TestApp;
use serde_json::json;

/// Audited writes sent all at once from many clients: every one is answered
/// 2xx, the audit trail gets exactly one entry each, and the chain verifies
/// (through the API and as `verify-audit` does). Without one writer at a time
/// two appends would read the same head: a duplicate sequence number (an
/// error) or a forked chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_audited_writes_leave_a_valid_chain() {
    const VISITS: usize = 24;
    const EVENTS: usize = 8;
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let household: i64 = sqlx::query_scalar(
        "SELECT h.id FROM households h JOIN org_nodes n ON n.id = h.grid_id WHERE n.code = 'DX-CD-XF-01' ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let entries_before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(&app.db().await).await.unwrap();

    let app = std::sync::Arc::new(app);
    let mut writes = Vec::new();
    for i in 0..VISITS {
        let (app, s) = (app.clone(), s.clone());
        writes.push(tokio::spawn(async move {
            let body = json!({
                "idempotency_key": format!("9d1e2f3a-0000-4000-8000-{i:012}"),
                "household_id": household,
                "outcome": "met",
                "needs": "",
                "follow_up": "",
                "visited_at": Utc::now().to_rfc3339(),
            });
            app.post_as(&s, "/api/visits", body).await
        }));
    }
    for i in 0..EVENTS {
        let (app, s) = (app.clone(), s.clone());
        writes.push(tokio::spawn(async move {
            let body = json!({
                "idempotency_key": format!("9d1e2f3a-0000-4000-9000-{i:012}"),
                "category": "environment",
                "description": format!("并发写入测试 {i}"),
                "lon": 116.6012, "lat": 28.2406,
                "reported_at": Utc::now().to_rfc3339(),
            });
            app.post_as(&s, "/api/events", body).await
        }));
    }
    for w in writes {
        let r = w.await.unwrap();
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }

    let db = app.db().await;
    let entries_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(&db).await.unwrap();
    let written: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('visit.create', 'event.report') AND outcome = 'success'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(written, (VISITS + EVENTS) as i64, "one entry per write");
    assert!(entries_after >= entries_before + written);
    // Sequence numbers are dense and the head names the last one.
    let (max_seq, n): (i64, i64) =
        sqlx::query_as("SELECT MAX(seq), COUNT(*) FROM audit_log").fetch_one(&db).await.unwrap();
    assert_eq!(max_seq, n, "no gaps, no duplicates");
    let head: i64 = sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1").fetch_one(&db).await.unwrap();
    assert_eq!(head, max_seq);

    let auditor = app.login("auditadmin").await;
    let r = app.get_as(&auditor, "/api/audit/verify").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["intact"], true, "{}", r.body);
    // As `gongzhi-server verify-audit` checks every chain.
    let keys = gongzhi_server::keys::Keys::load(&app.config.key_dir, None).unwrap();
    let results = gongzhi_server::chains::verify_all(&db, &keys, None).await.unwrap();
    assert!(!results.is_empty());
    for r in &results {
        assert!(r.report.intact, "{}: {}", r.name, r.report.message);
    }
}

/// A request dropped at any moment of beginning its write transaction (the
/// client went away, the test's browser closed) leaves no transaction open
/// on a pooled connection. sqlx's `begin` is not cancel-safe: dropped after
/// SQLite acknowledged `BEGIN IMMEDIATE` but before the transaction existed,
/// it handed the connection back still holding the write lock, and every
/// later write failed ("database is locked", a 500 on every login).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_transaction_dropped_while_it_begins_leaves_no_lock() {
    use std::future::Future;
    use std::time::Duration;
    let app = TestApp::new().await;
    let pool = app.small_pool(2).await;
    for round in 0..1000u64 {
        let mut begin = Box::pin(gongzhi_server::db::write_tx(&pool));
        // Polled a few times, with the database's worker given a varying
        // head start in between, then dropped.
        for _ in 0..=(round % 4) {
            let ready = std::future::poll_fn(|cx| std::task::Poll::Ready(begin.as_mut().poll(cx))).await;
            if let std::task::Poll::Ready(r) = ready {
                r.unwrap_or_else(|e| panic!("round {round}: {e}"));
                break;
            }
            std::thread::sleep(Duration::from_micros((round * 13) % 300));
        }
        drop(begin);
    }
    // Every connection of the pool still writes, at once.
    for i in 0..6 {
        let mut tx = tokio::time::timeout(Duration::from_secs(3), gongzhi_server::db::write_tx(&pool))
            .await
            .unwrap_or_else(|_| panic!("write {i}: a dropped begin left the write lock held"))
            .unwrap_or_else(|e| panic!("write {i}: {e}"));
        sqlx::query("UPDATE accounts SET failed_logins = 0 WHERE username = 'sysadmin'")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

/// Writers committed at once share their flushes to disk (group commit,
/// `db::writer`): every commit is answered only after a flush that began
/// after it, so at rest every commit counted is covered; with many writers
/// at once there are fewer flushes than commits; and the connections go back
/// to the pool as they were (SQLite: `synchronous = FULL` for any statement
/// outside a write transaction).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_at_once_share_their_flushes() {
    const WRITES: i64 = 64;
    let app = TestApp::new().await;
    let pool = app.small_pool(8).await;
    let writer = gongzhi_server::db::Writer::of(&pool);
    let (commits, flushes) = (writer.commits(), writer.flushes());
    let before: i64 = sqlx::query_scalar("SELECT failed_logins FROM accounts WHERE username = 'sysadmin'")
        .fetch_one(&pool)
        .await
        .unwrap();
    // Flushes held off until every write has committed: then one flush
    // answers them all, whatever the disk's speed.
    let held = writer.hold_flushes().await;
    let mut writes = Vec::new();
    for _ in 0..WRITES {
        let pool = pool.clone();
        writes.push(tokio::spawn(async move {
            let mut tx = gongzhi_server::db::write_tx(&pool).await.unwrap();
            sqlx::query("UPDATE accounts SET failed_logins = failed_logins + 1 WHERE username = 'sysadmin'")
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while writer.commits() - commits < WRITES as u64 {
        assert!(std::time::Instant::now() < deadline, "the writes did not commit while the flushes were held");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(writes.iter().all(|w| !w.is_finished()), "a write was answered before its flush");
    drop(held);
    for w in writes {
        w.await.unwrap();
    }
    let after: i64 = sqlx::query_scalar("SELECT failed_logins FROM accounts WHERE username = 'sysadmin'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after - before, WRITES, "every write committed once, none lost between turns");
    let made = writer.commits() - commits;
    let flushed = writer.flushes() - flushes;
    assert_eq!(made, WRITES as u64);
    assert_eq!(flushed, 1, "{flushed} flushes for {made} commits waiting together");
    assert_eq!(writer.durable(), writer.commits(), "a commit left unflushed at rest");

    // A transaction dropped half-way is rolled back and frees the turn.
    let mut tx = gongzhi_server::db::write_tx(&pool).await.unwrap();
    sqlx::query("UPDATE accounts SET failed_logins = 999 WHERE username = 'sysadmin'").execute(&mut *tx).await.unwrap();
    drop(tx);
    let mut tx = tokio::time::timeout(std::time::Duration::from_secs(3), gongzhi_server::db::write_tx(&pool))
        .await
        .expect("the dropped transaction kept the turn")
        .unwrap();
    let now: i64 = sqlx::query_scalar("SELECT failed_logins FROM accounts WHERE username = 'sysadmin'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(now, after, "the dropped transaction's write was rolled back");
    tx.rollback().await.unwrap();

    if app.config.database_url.is_none() {
        // Every connection of the pool, held at once, is back at FULL.
        let mut held = Vec::new();
        for _ in 0..8 {
            let mut conn = pool.acquire().await.unwrap();
            let level: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await.unwrap();
            assert_eq!(level, 2, "a connection left at synchronous = NORMAL");
            held.push(conn);
        }
    }
}
