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
        sqlx::query("UPDATE accounts SET failed_logins = 0 WHERE username = 'admin'").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
}
