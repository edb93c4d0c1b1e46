//! The audit trail: what is recorded, and that tampering is caught.

mod common;

use axum::http::{header, StatusCode};
use common::{history, TestApp, DEMO_PASSWORD};

async fn verify(app: &TestApp) -> serde_json::Value {
    let auditor = app.login("auditadmin").await;
    let r = app.get_as(&auditor, "/api/audit/verify").await;
    assert_eq!(r.status, StatusCode::OK);
    r.body
}

#[tokio::test]
async fn logins_failures_changes_and_logouts_are_recorded() {
    let app = TestApp::new().await;
    history(&app).await;
    let auditor = app.login("auditadmin").await;
    let page = app.get_as(&auditor, "/api/audit?per_page=200").await.body;
    let rows: Vec<(String, String, String)> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| {
            (
                e["actor"].as_str().unwrap_or("").into(),
                e["action"].as_str().unwrap().into(),
                e["outcome"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expect = [
        ("", "system.bootstrap", "success"),
        ("finance", "auth.login", "failure"),
        ("sysadmin", "auth.login", "success"),
        ("sysadmin", "account.disable", "success"),
        ("sysadmin", "account.enable", "success"),
        ("sysadmin", "auth.logout", "success"),
        ("auditadmin", "auth.login", "success"),
    ];
    let got: Vec<(&str, &str, &str)> = rows.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    assert_eq!(got, expect);
    let disable = &page["entries"].as_array().unwrap()[3];
    assert_eq!(disable["role"], "system_admin");
    assert_eq!(disable["client_addr"], "unknown"); // no socket in router tests
    assert!(disable["at"].as_str().unwrap().ends_with('Z'), "UTC");

    // Filters.
    let only = app.get_as(&auditor, "/api/audit?actor=sysadmin&action=account.").await.body;
    assert_eq!(only["total"], 2);
    let failures = app.get_as(&auditor, "/api/audit?outcome=failure").await.body;
    assert_eq!(failures["total"], 1);
    let bad = app.get_as(&auditor, "/api/audit?from=2026-13-01").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["field"], "from");
}

/// The action filter takes the codes of `AuditAction` and `AuditArea` only:
/// one action exactly, or an area's actions, and names the field otherwise.
/// Every action the demo city's history wrote is a known action.
#[tokio::test]
async fn the_action_filter_takes_known_actions_and_areas() {
    use gongzhi_domain::audit::{AuditAction, AuditArea};
    let app = TestApp::new().await;
    history(&app).await;
    let auditor = app.login("auditadmin").await;
    let all = app.get_as(&auditor, "/api/audit?per_page=200").await.body;
    for e in all["entries"].as_array().unwrap() {
        let code = e["action"].as_str().unwrap();
        assert!(AuditAction::from_code(code).is_some(), "unknown action stored: {code}");
    }
    let logins = app.get_as(&auditor, "/api/audit?action=auth.login&per_page=200").await.body;
    let n_logins = logins["total"].as_i64().unwrap();
    assert!(n_logins > 0);
    assert!(logins["entries"].as_array().unwrap().iter().all(|e| e["action"] == "auth.login"));
    let area = app.get_as(&auditor, "/api/audit?action=auth&per_page=200").await.body;
    assert!(area["total"].as_i64().unwrap() > n_logins, "the area holds logouts too");
    assert!(area["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| AuditAction::from_code(e["action"].as_str().unwrap()).unwrap().area() == AuditArea::Auth));
    // The old prefix form still reads as the area.
    assert_eq!(app.get_as(&auditor, "/api/audit?action=auth.").await.body["total"], area["total"]);
    // A LIKE wildcard is not a way to match everything.
    for bad in ["%", "auth.%", "a_th", "no.such_action"] {
        let r = app.get_as(&auditor, &format!("/api/audit?action={}", bad.replace('%', "%25"))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.body["field"], "action", "{bad}");
        assert!(r.body["message"].as_str().unwrap().contains("操作"), "{bad}: {}", r.body["message"]);
    }
}

#[tokio::test]
async fn only_the_audit_admin_reads_the_trail() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    assert_eq!(app.get_as(&admin, "/api/audit").await.status, StatusCode::FORBIDDEN);
    let sec = app.login("secadmin").await;
    assert_eq!(app.get_as(&sec, "/api/audit/verify").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_untouched_chain_is_intact() {
    let app = TestApp::new().await;
    history(&app).await;
    let report = verify(&app).await;
    assert_eq!(report["intact"], true, "{report}");
    assert_eq!(report["entries"], 7);
    assert!(report["message"].as_str().unwrap().starts_with("审计日志完整"));
}

#[tokio::test]
async fn the_database_refuses_edits_and_deletes() {
    let app = TestApp::new().await;
    history(&app).await;
    let db = app.db().await;
    assert!(sqlx::query("UPDATE audit_log SET outcome = 'success' WHERE seq = 2").execute(&db).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(&db).await.is_err());
}

/// Someone with write access to the file drops the guard triggers first.
/// The auditor signs in first, so that no new entry follows the tampering.
async fn tamper(app: &TestApp, sql: &str) -> serde_json::Value {
    history(app).await;
    let auditor = app.login("auditadmin").await;
    let db = app.db().await;
    common::drop_trigger(&db, "audit_log_no_update").await;
    common::drop_trigger(&db, "audit_log_no_delete").await;
    for stmt in sql.split(';').filter(|s| !s.trim().is_empty()) {
        sqlx::query(stmt).execute(&db).await.unwrap();
    }
    let r = app.get_as(&auditor, "/api/audit/verify").await;
    assert_eq!(r.status, StatusCode::OK);
    r.body
}

#[tokio::test]
async fn a_changed_entry_is_caught() {
    let app = TestApp::new().await;
    let report = tamper(&app, "UPDATE audit_log SET outcome = 'success' WHERE seq = 2").await;
    assert_eq!(report["intact"], false);
    assert_eq!(report["first_broken_seq"], 2);
    assert_eq!(report["reason"], "content_changed");
    assert_eq!(report["message"], "第 2 条审计记录的内容已被修改。");
}

#[tokio::test]
async fn a_deleted_entry_is_caught() {
    let app = TestApp::new().await;
    let report = tamper(&app, "DELETE FROM audit_log WHERE seq = 3").await;
    assert_eq!(report["intact"], false);
    assert_eq!(report["first_broken_seq"], 4);
    assert_eq!(report["reason"], "link_broken");
}

#[tokio::test]
async fn reordered_entries_are_caught() {
    let app = TestApp::new().await;
    // Swap the contents of entries 3 and 4 (sequence numbers stay put).
    let report = tamper(
        &app,
        "UPDATE audit_log SET seq = -3 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = -3",
    )
    .await;
    assert_eq!(report["intact"], false);
    assert_eq!(report["first_broken_seq"], 3);
}

#[tokio::test]
async fn cutting_off_the_end_is_caught() {
    let app = TestApp::new().await;
    let report = tamper(&app, "DELETE FROM audit_log WHERE seq >= 6").await;
    assert_eq!(report["intact"], false);
    assert_eq!(report["reason"], "head_mismatch");
}

#[tokio::test]
async fn export_opens_in_excel() {
    let app = TestApp::new().await;
    history(&app).await;
    let auditor = app.login("auditadmin").await;
    let r = app.get_as(&auditor, "/api/audit/export?actor=sysadmin").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(r.headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("attachment"));
    let csv = r.body.as_str().unwrap();
    assert!(csv.starts_with("\u{feff}序号,时间(北京时间),账号,角色,操作"));
    assert!(csv.contains("停用账号") && csv.contains("系统管理员"));
    assert_eq!(csv.lines().count(), 5, "{csv}");
    let _ = DEMO_PASSWORD;
}
