//! Authentication and sessions through the real router.

mod common;

use axum::http::{header, Method, StatusCode};
use chrono::{Duration, Utc};
use common::{session_from, TestApp, DEMO_PASSWORD};
use serde_json::json;

#[tokio::test]
async fn login_sets_a_strict_httponly_cookie_and_a_fresh_session_each_time() {
    let app = TestApp::new().await;
    let r = app.try_login("reviewer", DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"));
    assert!(!cookie.contains("Secure"), "no TLS in tests");
    assert_eq!(r.body["account"]["role"], "reviewer");
    assert_eq!(r.body["menus"], json!(["admission", "funding", "cleanup", "facilities", "grid", "calendar"]));
    let again = app.login("reviewer").await;
    assert_ne!(session_from(&r, "reviewer").cookie, again.cookie, "new session id at login");
    // Only the hash of the token is stored.
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_all(&app.db().await).await.unwrap();
    assert!(!stored.contains(&again.cookie));
}

#[tokio::test]
async fn secure_cookies_behind_tls() {
    let app = TestApp::with_setup(|c| c.secure_cookies = true).await;
    let r = app.try_login("reviewer", DEMO_PASSWORD).await;
    assert!(r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("; Secure"));
}

#[tokio::test]
async fn wrong_password_and_unknown_name_read_the_same() {
    let app = TestApp::new().await;
    let a = app.try_login("reviewer", "Wrong@2026").await;
    let b = app.try_login("nobody", "Wrong@2026").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.body, b.body);
    assert_eq!(a.body["code"], "login_failed");
    assert_eq!(a.body["message"], "登录名或密码错误。");
}

#[tokio::test]
async fn five_failures_lock_for_fifteen_minutes() {
    let app = TestApp::new().await;
    for _ in 0..4 {
        assert_eq!(app.try_login("finance", "Wrong@2026").await.status, StatusCode::UNAUTHORIZED);
    }
    let fifth = app.try_login("finance", "Wrong@2026").await;
    assert_eq!(fifth.status, StatusCode::LOCKED);
    assert_eq!(fifth.body["code"], "account_locked");
    let msg = fifth.body["message"].as_str().unwrap();
    assert!(msg.starts_with("连续登录失败次数过多,账号已锁定,请于 ") && msg.ends_with(" 后再试。"), "{msg}");
    // The right password does not help while locked.
    let right = app.try_login("finance", DEMO_PASSWORD).await;
    assert_eq!(right.status, StatusCode::LOCKED);
    let until: String = sqlx::query_scalar("SELECT locked_until FROM accounts WHERE username = 'finance'")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    let until = chrono::DateTime::parse_from_rfc3339(&until).unwrap().to_utc();
    let minutes = (until - Utc::now()).num_seconds();
    assert!((14 * 60..=15 * 60).contains(&minutes), "{minutes}s");
    assert!(msg.contains(&gongzhi_domain::time::shanghai_hh_mm(until)));
    // When the lock has passed, the right password works and the count restarts.
    sqlx::query("UPDATE accounts SET locked_until = $1 WHERE username = 'finance'")
        .bind((Utc::now() - Duration::seconds(1)).to_rfc3339())
        .execute(&app.db().await)
        .await
        .unwrap();
    assert_eq!(app.try_login("finance", DEMO_PASSWORD).await.status, StatusCode::OK);
    let failures: i64 = sqlx::query_scalar("SELECT failed_logins FROM accounts WHERE username = 'finance'")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(failures, 0);
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let app = TestApp::new().await;
    for _ in 0..4 {
        app.try_login("finance", "Wrong@2026").await;
    }
    app.login("finance").await;
    for _ in 0..4 {
        assert_eq!(app.try_login("finance", "Wrong@2026").await.status, StatusCode::UNAUTHORIZED);
    }
}

async fn age_session(app: &TestApp, created_ago: Duration, seen_ago: Duration) {
    sqlx::query("UPDATE sessions SET created_at = $1, last_seen_at = $2")
        .bind((Utc::now() - created_ago).to_rfc3339())
        .bind((Utc::now() - seen_ago).to_rfc3339())
        .execute(&app.db().await)
        .await
        .unwrap();
}

#[tokio::test]
async fn idle_sessions_end_after_thirty_minutes() {
    let app = TestApp::new().await;
    let s = app.login("reviewer").await;
    age_session(&app, Duration::minutes(40), Duration::minutes(29)).await;
    assert_eq!(app.get_as(&s, "/api/auth/me").await.status, StatusCode::OK);
    age_session(&app, Duration::minutes(40), Duration::minutes(31)).await;
    let r = app.get_as(&s, "/api/auth/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["code"], "session_expired");
    assert_eq!(r.body["message"], "登录已超时,请重新登录。");
    // The ended session is gone, not just refused.
    assert_eq!(app.get_as(&s, "/api/auth/me").await.body["code"], "not_logged_in");
}

#[tokio::test]
async fn busy_sessions_still_end_after_twelve_hours() {
    let app = TestApp::new().await;
    let s = app.login("reviewer").await;
    age_session(&app, Duration::hours(11) + Duration::minutes(59), Duration::minutes(1)).await;
    assert_eq!(app.get_as(&s, "/api/auth/me").await.status, StatusCode::OK);
    age_session(&app, Duration::hours(12) + Duration::minutes(1), Duration::minutes(1)).await;
    assert_eq!(app.get_as(&s, "/api/auth/me").await.body["code"], "session_expired");
}

#[tokio::test]
async fn state_changes_need_the_csrf_token() {
    let app = TestApp::new().await;
    let s = app.login("sysadmin").await;
    let mut forged = s.clone();
    forged.csrf = "0".repeat(64);
    let r = app.post_as(&forged, "/api/auth/logout", json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["code"], "csrf_token_invalid");
    forged.csrf = String::new();
    assert_eq!(app.post_as(&forged, "/api/auth/logout", json!({})).await.status, StatusCode::FORBIDDEN);
    // Still signed in; with the token, logout works.
    assert_eq!(app.get_as(&s, "/api/auth/me").await.status, StatusCode::OK);
    assert_eq!(app.post_as(&s, "/api/auth/logout", json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&s, "/api/auth/me").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn no_state_change_over_get() {
    let app = TestApp::new().await;
    let s = app.login("sysadmin").await;
    for path in ["/api/auth/logout", "/api/auth/login", "/api/accounts/1/disable"] {
        let r = app.send(Method::GET, path, None, Some(&s)).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
    assert_eq!(app.get_as(&s, "/api/auth/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_blocks_login() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let victim = app.login("finance").await;
    let id = app.account_id("finance").await;
    let r = app.post_as(&admin, &format!("/api/accounts/{id}/disable"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["disabled"], true);
    assert_eq!(app.get_as(&victim, "/api/auth/me").await.status, StatusCode::UNAUTHORIZED);
    let login = app.try_login("finance", DEMO_PASSWORD).await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    assert_eq!(login.body["code"], "account_disabled");
    // Nobody disables themselves (an administrator's account is not managed here at all).
    let me = app.account_id("sysadmin").await;
    let own = app.post_as(&admin, &format!("/api/accounts/{me}/disable"), json!({})).await;
    assert_eq!((own.status, own.body["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin_account_protected")));
}

#[tokio::test]
async fn new_accounts_must_change_their_initial_password() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let grid = app.node_id("DX-CD-HP-02").await;
    let body = json!({ "username": "Zhou.Min", "display_name": "周敏", "role": "grid_member", "org_node_id": grid, "password": "Chushi@2026" });
    let r = app.post_as(&admin, "/api/accounts", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["username"], "zhou.min");
    assert_eq!(r.body["must_change_password"], true);
    // The same name again: refused by the unique index, naming the field.
    let dup = app.post_as(&admin, "/api/accounts", body).await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((dup.body["code"].as_str(), dup.body["field"].as_str()), (Some("field_taken"), Some("username")));

    let login = app.try_login("zhou.min", "Chushi@2026").await;
    assert_eq!(login.status, StatusCode::OK);
    let s = session_from(&login, "zhou.min");
    let blocked = app.get_as(&s, "/api/residents").await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert_eq!(blocked.body["code"], "password_change_required");
    let weak = app
        .post_as(&s, "/api/auth/password", json!({ "current_password": "Chushi@2026", "new_password": "short" }))
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert_eq!(weak.body["field"], "new_password");
    let ok = app
        .post_as(&s, "/api/auth/password", json!({ "current_password": "Chushi@2026", "new_password": "Xinmima#2026" }))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(app.get_as(&s, "/api/residents").await.status, StatusCode::OK);
}

#[tokio::test]
async fn account_form_errors_name_every_field() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let r = app
        .post_as(&admin, "/api/accounts", json!({ "username": "x", "role": "grid_member", "password": "abc" }))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["username", "display_name", "org_node_id", "password"]);
    // A role at a level it cannot sit at.
    let district = app.node_id("DX").await;
    let r = app
        .post_as(&admin, "/api/accounts", json!({ "username": "wangge2", "display_name": "网格员", "role": "grid_member", "org_node_id": district, "password": "Chushi@2026" }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["message"], "所属单位格式不正确:该角色只能设在社区或网格。");
}

#[tokio::test]
async fn first_start_outside_demo_needs_an_admin_password() {
    let dir = tempfile::tempdir().unwrap();
    let config = gongzhi_server::config::Config::for_dir(dir.path());
    let err = gongzhi_server::build(&config).await.expect_err("refuses without a password");
    assert!(format!("{err:#}").contains("GONGZHI_ADMIN_PASSWORD"));

    let mut weak = config.clone();
    weak.admin_password = Some("password".into());
    assert!(gongzhi_server::build(&weak).await.is_err());

    // Administrators need 12 characters.
    let mut short = config.clone();
    short.admin_password = Some("Chushi@2026".into());
    assert!(format!("{:#}", gongzhi_server::build(&short).await.expect_err("too short")).contains("12"));

    let mut ok = config.clone();
    ok.admin_password = Some("Chushi@2026-Qd".into());
    let _router = gongzhi_server::build(&ok).await.expect("starts");
    let app = TestApp::with_setup(|c| {
        c.demo = false;
        c.admin_password = Some("Chushi@2026-Qd".into());
    })
    .await;
    assert_eq!(app.try_login("sysadmin", "Chushi@2026-Qd").await.status, StatusCode::OK);
    // No demo accounts exist.
    assert_eq!(app.try_login("reviewer", DEMO_PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_admin_adds_a_node_and_a_department() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let tree = app.get_as(&admin, "/api/org/tree").await;
    assert_eq!(tree.status, StatusCode::OK, "{}", tree.body);
    let root = &tree.body[0];
    let (root_id, root_path) = (root["id"].as_i64().unwrap(), root["path"].as_str().unwrap().to_string());
    let body = json!({ "parent_id": root_id.to_string(), "code": "new-node-01", "name": "新建单位" });
    let r = app.post_as(&admin, "/api/org/nodes", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["parent_id"], root_id);
    assert_eq!(r.body["path"].as_str().unwrap(), format!("{root_path}{id}/"), "{}", r.body);
    assert_eq!(app.get_as(&admin, &format!("/api/org/nodes/{id}")).await.body, r.body);
    // The code is taken now.
    let again = app.post_as(&admin, "/api/org/nodes", body).await;
    assert_eq!((again.status, again.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("code")));
    let r = app.post_as(&admin, "/api/departments", json!({ "code": "newdept", "name": "新建部门" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let listed = app.get_as(&admin, "/api/departments").await;
    assert!(listed.body.as_array().unwrap().iter().any(|d| d["code"] == "newdept" && d["id"] == r.body["id"]));
}
