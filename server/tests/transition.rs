//! `store::transition::apply`, the one transition write, on both backends
//! (SQLite, and PostgreSQL when `GONGZHI_TEST_DATABASE_URL` is set): two
//! moves of one record at once move it once and audit it once.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::purchase::PurchaseStatus;
use gongzhi_domain::Role;
use gongzhi_server::audit::Who;
use gongzhi_server::store::purchase::PURCHASES;
use gongzhi_server::store::transition::{apply, Outcome, Set, Transition};
use serde_json::json;

/// One acceptance of purchase `id` as `to`, through the helper, committed
/// only when it moved.
async fn accept(pool: &sqlx::AnyPool, id: i64, to: PurchaseStatus) -> Outcome<PurchaseStatus> {
    let who = Who { actor: Some("applicant".into()), role: Some(Role::DepartmentApplicant), client: "test".into() };
    let mut tx = gongzhi_server::db::write_tx(pool).await.unwrap();
    let outcome = apply(
        &mut tx,
        &who,
        Transition {
            table: &PURCHASES,
            id,
            from: &[PurchaseStatus::Contracted],
            to,
            set: vec![Set::to("accepted_on", "2026-11-24"), Set::to("acceptance_note", to.label())],
            step: vec![],
            action: AuditAction::PurchaseAccept,
            detail: json!({ "result": to.code() }),
        },
    )
    .await
    .unwrap();
    if outcome.is_moved() {
        tx.commit().await.unwrap();
    }
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_moves_at_once_move_once_and_audit_once() {
    let app = TestApp::with_setup(|c| c.today = Some("2026-11-24".parse().unwrap())).await;
    let applicant = app.login("applicant").await;
    let body = json!({ "service": "心理疏导", "organisation": "示范市心理服务中心", "amount": "12000", "starts_on": "2027-01-01",
        "ends_on": "2027-06-30", "deliverables": "服务记录" });
    let r = app.post_as(&applicant, "/api/purchases", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();

    // The server's own pool: every connection holds the chain key.
    let keys = gongzhi_server::keys::Keys::load(&app.config.key_dir, None).unwrap();
    let pool = gongzhi_server::db::open(&app.config, &keys).await.unwrap();
    let (a, b) = tokio::join!(accept(&pool, id, PurchaseStatus::Accepted), accept(&pool, id, PurchaseStatus::Rejected));
    let (winner, loser) = match (&a, &b) {
        (Outcome::Moved { .. }, Outcome::Changed { .. }) => (PurchaseStatus::Accepted, &b),
        (Outcome::Changed { .. }, Outcome::Moved { .. }) => (PurchaseStatus::Rejected, &a),
        _ => panic!("exactly one move: {a:?} / {b:?}"),
    };
    assert_eq!(*loser, Outcome::Changed { now: winner }, "the other sees the winner's status");

    let db = app.db().await;
    let (status, note): (String, String) =
        sqlx::query_as("SELECT status, acceptance_note FROM purchases WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), note.as_str()), (winner.code(), winner.label()), "the loser wrote nothing");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'purchase.accept' AND object = $1")
            .bind(format!("purchase:{id}"))
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(audited, 1, "one audit entry");

    // Moved once, it does not move from `contracted` again; a record that
    // does not exist is not found; neither writes anything.
    assert_eq!(accept(&pool, id, winner).await, Outcome::Changed { now: winner });
    assert_eq!(accept(&pool, id + 1000, PurchaseStatus::Accepted).await, Outcome::NotFound);
    let audited_all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'purchase.accept'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(audited_all, 1);

    // The chain the helper extended verifies.
    let results = gongzhi_server::chains::verify_all(&db, &keys, None).await.unwrap();
    for r in &results {
        assert!(r.report.intact, "{}: {}", r.name, r.report.message);
    }
}
