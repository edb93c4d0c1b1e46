//! Test harness: the real router over a real SQLite database in a temp dir,
//! seeded with the demo city.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub use gongzhi_server::seed::DEMO_PASSWORD;

pub struct TestApp {
    pub router: Router,
    pub dir: tempfile::TempDir,
    pub config: gongzhi_server::config::Config,
}

/// A signed-in client: its cookie and CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub username: String,
}

pub struct Response {
    pub status: StatusCode,
    pub body: Value,
    pub headers: HeaderMap,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_setup(|_| {}).await
    }

    /// `setup` may change the configuration or put files in the data
    /// directory before start. Demo mode is on unless `setup` turns it off.
    pub async fn with_setup(setup: impl FnOnce(&mut gongzhi_server::config::Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = gongzhi_server::config::Config::for_dir(dir.path());
        config.demo = true;
        setup(&mut config);
        let router = gongzhi_server::build(&config).await.expect("server builds");
        Self { router, dir, config }
    }

    pub async fn send(&self, method: Method, uri: &str, body: Option<Value>, session: Option<&Session>) -> Response {
        let mut req = Request::builder().method(method.clone()).uri(uri);
        if let Some(s) = session {
            req = req.header(header::COOKIE, format!("gongzhi_session={}", s.cookie));
            if method != Method::GET {
                req = req.header("x-csrf-token", &s.csrf);
            }
        }
        let req = match body {
            Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
        Response { status, body, headers }
    }

    /// Posts a file's bytes (CSV, GeoJSON) as a signed-in client.
    pub async fn post_bytes(&self, session: &Session, uri: &str, content_type: &str, bytes: Vec<u8>) -> Response {
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::COOKIE, format!("gongzhi_session={}", session.cookie))
            .header("x-csrf-token", &session.csrf)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(bytes))
            .unwrap();
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
        Response { status, body, headers }
    }

    /// The body's bytes as sent (files), after checking the status is 200.
    pub async fn raw(&self, method: Method, uri: &str, session: &Session) -> Vec<u8> {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, format!("gongzhi_session={}", session.cookie))
            .body(Body::empty())
            .unwrap();
        let response = self.router.clone().oneshot(req).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        response.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let r = self.send(Method::GET, uri, None, None).await;
        (r.status, r.body)
    }

    pub async fn get_as(&self, session: &Session, uri: &str) -> Response {
        self.send(Method::GET, uri, None, Some(session)).await
    }

    pub async fn post_as(&self, session: &Session, uri: &str, body: Value) -> Response {
        self.send(Method::POST, uri, Some(body), Some(session)).await
    }

    pub async fn try_login(&self, username: &str, password: &str) -> Response {
        self.send(
            Method::POST,
            "/api/auth/login",
            Some(serde_json::json!({ "username": username, "password": password })),
            None,
        )
        .await
    }

    /// Signs in a demo account.
    pub async fn login(&self, username: &str) -> Session {
        let r = self.try_login(username, DEMO_PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.body);
        session_from(&r, username)
    }

    /// A second connection to the same database, for inspecting and
    /// tampering with it as someone with file access could.
    pub async fn db(&self) -> sqlx::SqlitePool {
        let path = self.config.data_dir.join("gongzhi.db");
        sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap()
    }

    /// The id of an org node by its code.
    pub async fn node_id(&self, code: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM org_nodes WHERE code = ?")
            .bind(code)
            .fetch_one(&self.db().await)
            .await
            .unwrap()
    }

    pub async fn account_id(&self, username: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM accounts WHERE username = ?")
            .bind(username)
            .fetch_one(&self.db().await)
            .await
            .unwrap()
    }
}

pub fn session_from(r: &Response, username: &str) -> Session {
    let set_cookie = r.headers.get(header::SET_COOKIE).expect("session cookie").to_str().unwrap();
    let cookie = set_cookie.split(';').next().unwrap().trim_start_matches("gongzhi_session=").to_string();
    Session { cookie, csrf: r.body["csrf_token"].as_str().unwrap().to_string(), username: username.to_string() }
}

/// Some history: logins, a failure, a change, a logout.
pub async fn history(app: &TestApp) {
    app.try_login("finance", "Wrong@2026").await;
    let admin = app.login("sysadmin").await;
    let id = app.account_id("finance").await;
    app.post_as(&admin, &format!("/api/accounts/{id}/disable"), serde_json::json!({})).await;
    app.post_as(&admin, &format!("/api/accounts/{id}/enable"), serde_json::json!({})).await;
    app.post_as(&admin, "/api/auth/logout", serde_json::json!({})).await;
}
