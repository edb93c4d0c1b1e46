//! Two-factor sign-in: enrolment with a QR code, the code step after the
//! password, wrong codes counted toward the lockout, recovery codes once,
//! the secret encrypted at rest, every step audited.

mod common;

use axum::http::StatusCode;
use common::{session_from, Session, TestApp, DEMO_PASSWORD};
use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

/// The code an authenticator app shows for `secret` at `offset` steps from now.
fn code(secret: &str, offset: i64) -> String {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().unwrap();
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).unwrap();
    let now = chrono::Utc::now().timestamp() + offset * 30;
    totp.generate(now as u64)
}

/// Enrols `username`; answers the base32 secret and the recovery codes.
async fn enrol(app: &TestApp, session: &Session) -> (String, Vec<String>) {
    let r = app.post_as(session, "/api/auth/totp/enrol", json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let secret = r.body["secret"].as_str().unwrap().to_string();
    assert!(r.body["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/%E5%85%B1%E6%B2%BB%3A"));
    assert!(r.body["qr_svg"].as_str().unwrap().starts_with("<svg"));
    let wrong = app.post_as(session, "/api/auth/totp/confirm", json!({ "code": "000000" })).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post_as(session, "/api/auth/totp/confirm", json!({ "code": code(&secret, 0) })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let codes: Vec<String> =
        r.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().into()).collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// The password step only: a pending session.
async fn password_step(app: &TestApp, username: &str) -> Session {
    let r = app.try_login(username, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["second_factor"], "required", "{}", r.body);
    session_from(&r, username)
}

async fn failures(app: &TestApp, username: &str) -> i64 {
    sqlx::query_scalar("SELECT failed_logins FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&app.db().await)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_enrolled_administrator_needs_the_code() {
    let app = TestApp::new().await;
    let first = app.login("auditadmin").await;
    let (secret, _) = enrol(&app, &first).await;
    assert_eq!(
        app.post_as(&first, "/api/auth/totp/enrol", json!({})).await.body["code"],
        "second_factor_already_enrolled"
    );

    let pending = password_step(&app, "auditadmin").await;
    // Without the code the session reaches nothing but the code step.
    let r = app.get_as(&pending, "/api/audit").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["code"], "second_factor_required");
    assert_eq!(r.body["message"], "请输入身份验证器上的动态验证码,完成登录。");
    assert_eq!(app.get_as(&pending, "/api/auth/me").await.body["second_factor"], "required");
    assert_eq!(app.post_as(&pending, "/api/auth/password", json!({})).await.body["code"], "second_factor_required");

    // A wrong code is refused and counts as a failed login.
    let r = app.post_as(&pending, "/api/auth/totp/verify", json!({ "code": "000000" })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["code"], "second_factor_invalid");
    assert_eq!(failures(&app, "auditadmin").await, 1);

    // The code from the app: signed in; the failures are forgiven.
    let good = code(&secret, 1);
    let r = app.post_as(&pending, "/api/auth/totp/verify", json!({ "code": good })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.get("second_factor").is_none());
    assert_eq!(app.get_as(&pending, "/api/audit").await.status, StatusCode::OK);
    assert_eq!(failures(&app, "auditadmin").await, 0);

    // The same code does not work twice.
    let again = password_step(&app, "auditadmin").await;
    let r = app.post_as(&again, "/api/auth/totp/verify", json!({ "code": good })).await;
    assert_eq!(r.body["code"], "second_factor_invalid", "{}", r.body);

    // Every step is in the audit trail.
    let actions: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, outcome FROM audit_log WHERE actor = 'auditadmin' AND action LIKE 'auth.totp%' ORDER BY seq",
    )
    .fetch_all(&app.db().await)
    .await
    .unwrap();
    let actions: Vec<(&str, &str)> = actions.iter().map(|(a, o)| (a.as_str(), o.as_str())).collect();
    assert_eq!(
        actions,
        [
            ("auth.totp_enrol", "success"),
            ("auth.totp_confirm", "failure"),
            ("auth.totp_confirm", "success"),
            ("auth.totp_verify", "failure"),
            ("auth.totp_verify", "success"),
            ("auth.totp_verify", "failure"),
        ]
    );
}

#[tokio::test]
async fn wrong_codes_lock_the_account() {
    let app = TestApp::new().await;
    let first = app.login("secadmin").await;
    enrol(&app, &first).await;
    let pending = password_step(&app, "secadmin").await;
    for _ in 0..4 {
        let r = app.post_as(&pending, "/api/auth/totp/verify", json!({ "code": "111111" })).await;
        assert_eq!(r.body["code"], "second_factor_invalid");
    }
    let r = app.post_as(&pending, "/api/auth/totp/verify", json!({ "code": "111111" })).await;
    assert_eq!(r.status, StatusCode::LOCKED);
    assert_eq!(r.body["code"], "account_locked");
    // The pending session is gone, and the password alone no longer helps.
    assert_eq!(app.get_as(&pending, "/api/auth/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.try_login("secadmin", DEMO_PASSWORD).await.body["code"], "account_locked");
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let app = TestApp::new().await;
    let first = app.login("sysadmin").await;
    let (_, codes) = enrol(&app, &first).await;
    let pending = password_step(&app, "sysadmin").await;
    let r = app.post_as(&pending, "/api/auth/totp/verify", json!({ "code": codes[3].to_uppercase() })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.get_as(&pending, "/api/accounts").await.status, StatusCode::OK);

    let again = password_step(&app, "sysadmin").await;
    let r = app.post_as(&again, "/api/auth/totp/verify", json!({ "code": codes[3] })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["code"], "second_factor_invalid");
    let r = app.post_as(&again, "/api/auth/totp/verify", json!({ "code": codes[4] })).await;
    assert_eq!(r.status, StatusCode::OK);
    let used: Vec<(String, String)> =
        sqlx::query_as("SELECT outcome, detail FROM audit_log WHERE action = 'auth.recovery_code' ORDER BY seq")
            .fetch_all(&app.db().await)
            .await
            .unwrap();
    assert_eq!(used.len(), 3);
    assert_eq!(used[0].0, "success");
    assert!(used[0].1.contains("\"recovery_codes_left\":9"), "{}", used[0].1);
    assert_eq!(used[1].0, "failure");
}

#[tokio::test]
async fn the_secret_and_recovery_codes_are_not_stored_in_clear() {
    let app = TestApp::new().await;
    let first = app.login("auditadmin").await;
    let (secret, codes) = enrol(&app, &first).await;
    let db = app.db().await;
    let stored: String = sqlx::query_scalar("SELECT secret_enc FROM account_totp").fetch_one(&db).await.unwrap();
    let raw = Secret::Encoded(secret.clone()).to_bytes().unwrap();
    let raw_hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    assert!(stored.starts_with("v1:"));
    assert!(!stored.contains(&secret) && !stored.to_lowercase().contains(&secret.to_lowercase()));
    assert!(!stored.contains(&raw_hex));
    let macs: Vec<String> =
        sqlx::query_scalar("SELECT code_mac FROM totp_recovery_codes").fetch_all(&db).await.unwrap();
    assert_eq!(macs.len(), 10);
    for c in &codes {
        assert!(!macs.iter().any(|m| m.contains(c.as_str()) || m.contains(&c.replace('-', ""))));
    }
    // Nor anywhere in what the database keeps.
    db.close().await;
    let bytes = app.stored_bytes().await;
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(&secret));
    assert!(!text.contains(codes[0].as_str()));
}

#[tokio::test]
async fn administrators_must_enrol_when_required() {
    let app = TestApp::with_setup(|c| c.admin_totp_required = true).await;
    let admin = app.login("sysadmin").await;
    assert_eq!(app.get_as(&admin, "/api/auth/me").await.body["second_factor"], "enrol");
    let r = app.get_as(&admin, "/api/accounts").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["code"], "second_factor_enrolment_required");
    // Other roles are not forced.
    let finance = app.login("finance").await;
    assert!(app.get_as(&finance, "/api/auth/me").await.body.get("second_factor").is_none());
    assert_eq!(app.get_as(&finance, "/api/funding/summary").await.status, StatusCode::OK);

    enrol(&app, &admin).await;
    assert_eq!(app.get_as(&admin, "/api/accounts").await.status, StatusCode::OK);
    assert!(app.get_as(&admin, "/api/auth/me").await.body.get("second_factor").is_none());
}

#[tokio::test]
async fn a_code_is_needed_only_for_a_pending_session() {
    let app = TestApp::new().await;
    let finance = app.login("finance").await;
    let r = app.post_as(&finance, "/api/auth/totp/verify", json!({ "code": "123456" })).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["code"], "second_factor_not_pending");
    let r = app.post_as(&finance, "/api/auth/totp/confirm", json!({ "code": "123456" })).await;
    assert_eq!(r.body["code"], "second_factor_not_started");
    let r = app.post_as(&finance, "/api/auth/totp/confirm", json!({ "code": "12" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
