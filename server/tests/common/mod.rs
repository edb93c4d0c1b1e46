//! Test harness: the real router over a real database seeded with the demo
//! city — SQLite in a temp dir, or, when `GONGZHI_TEST_DATABASE_URL` names a
//! PostgreSQL server (a URL whose user may create databases), a fresh
//! database of its own there for every [`TestApp`], dropped with it.

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
    /// The PostgreSQL database made for this app, if any.
    pg: Option<PgDatabase>,
}

/// A database created on the PostgreSQL server for one test app.
struct PgDatabase {
    admin_url: String,
    name: String,
}

/// `GONGZHI_TEST_DATABASE_URL`, when set.
fn pg_admin_url() -> Option<String> {
    std::env::var("GONGZHI_TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl PgDatabase {
    /// A new empty database (UTF-8, byte-order collation as SQLite compares).
    async fn create(admin_url: String) -> Self {
        use sqlx::Connection;
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        sqlx::any::install_default_drivers();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("gongzhi_test_{}_{n}_{nanos}", std::process::id());
        let mut admin = sqlx::AnyConnection::connect(&admin_url).await.expect("connect to GONGZHI_TEST_DATABASE_URL");
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        Self { admin_url, name }
    }

    fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Its own thread and runtime: this may run inside the test's runtime.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async move {
                use sqlx::Connection;
                let mut admin = sqlx::AnyConnection::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("test database {} was not dropped", self.name);
        }
    }
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
        let pg = match pg_admin_url() {
            Some(admin) => Some(PgDatabase::create(admin).await),
            None => None,
        };
        config.database_url = pg.as_ref().map(PgDatabase::url);
        setup(&mut config);
        let router = gongzhi_server::build(&config).await.expect("server builds");
        Self { router, dir, config, pg }
    }

    /// The server started again on the same data (and key), as after a
    /// restart.
    pub async fn restart(self) -> Self {
        let router = gongzhi_server::build(&self.config).await.expect("server builds again");
        Self { router, ..self }
    }

    pub async fn send(&self, method: Method, uri: &str, body: Option<Value>, session: Option<&Session>) -> Response {
        send_to(&self.router, method, uri, body, session).await
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
    /// tampering with it as someone with file (or database superuser)
    /// access could.
    pub async fn db(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.database_url()).await.unwrap()
    }

    /// A pool of at most `n` connections to the same database, so a test can
    /// tell what a returned connection still holds.
    pub async fn small_pool(&self, n: u32) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::any::AnyPoolOptions::new().max_connections(n).connect(&self.database_url()).await.unwrap()
    }

    fn database_url(&self) -> String {
        match &self.config.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.config.data_dir.join("gongzhi.db").display()),
        }
    }

    /// Which database the app runs on.
    pub fn backend(&self) -> gongzhi_server::db::Backend {
        match self.pg {
            Some(_) => gongzhi_server::db::Backend::Postgres,
            None => gongzhi_server::db::Backend::Sqlite,
        }
    }

    /// Everything the database keeps at rest, as bytes to search for
    /// secrets: the SQLite file and its WAL, or every row of every table in
    /// the PostgreSQL database as text.
    pub async fn stored_bytes(&self) -> Vec<u8> {
        match self.backend() {
            gongzhi_server::db::Backend::Sqlite => {
                let mut bytes = std::fs::read(self.config.data_dir.join("gongzhi.db")).unwrap();
                bytes.extend(std::fs::read(self.config.data_dir.join("gongzhi.db-wal")).unwrap_or_default());
                bytes
            }
            gongzhi_server::db::Backend::Postgres => {
                let db = self.db().await;
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables
                     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
                )
                .fetch_all(&db)
                .await
                .unwrap();
                let mut bytes = Vec::new();
                for t in tables {
                    let rows: Vec<String> =
                        sqlx::query_scalar(&format!("SELECT CAST(t AS TEXT) FROM {t} t")).fetch_all(&db).await.unwrap();
                    for r in rows {
                        bytes.extend(r.into_bytes());
                        bytes.push(b'\n');
                    }
                }
                bytes
            }
        }
    }

    /// The id of an org node by its code.
    pub async fn node_id(&self, code: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM org_nodes WHERE code = $1")
            .bind(code)
            .fetch_one(&self.db().await)
            .await
            .unwrap()
    }

    pub async fn account_id(&self, username: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_one(&self.db().await)
            .await
            .unwrap()
    }
}

/// Drops one of the append-only triggers (`<table>_no_update`,
/// `<table>_no_delete`), as someone with full access to the database could,
/// to tamper with what it guards.
pub async fn drop_trigger(db: &sqlx::AnyPool, trigger: &str) {
    let sql = match gongzhi_server::db::Backend::of(db) {
        gongzhi_server::db::Backend::Sqlite => format!("DROP TRIGGER IF EXISTS {trigger}"),
        gongzhi_server::db::Backend::Postgres => {
            let table = trigger.trim_end_matches("_no_update").trim_end_matches("_no_delete");
            format!("DROP TRIGGER IF EXISTS {trigger} ON {table}")
        }
    };
    sqlx::query(&sql).execute(db).await.unwrap();
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

/// Starts a household import job with `csv` (202) and polls it until it has
/// ended; the job as last read.
pub async fn import_households(app: &TestApp, session: &Session, csv: Vec<u8>) -> Value {
    let r = app.post_bytes(session, "/api/households/import", "text/csv", csv).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    wait_for_job(app, session, r.body["id"].as_i64().expect("job id")).await
}

/// Polls `GET /api/households/import/jobs/{id}` until the job has ended.
pub async fn wait_for_job(app: &TestApp, session: &Session, id: i64) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    loop {
        let r = app.get_as(session, &format!("/api/households/import/jobs/{id}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        if matches!(r.body["phase"].as_str(), Some("done" | "failed" | "interrupted")) {
            return r.body;
        }
        assert!(std::time::Instant::now() < deadline, "import job {id} did not end: {}", r.body);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A valid resident ID number (GB 11643 check digit) for person `n`:
/// distinct for every `n` below 36,500,000.
pub fn id_number(n: u32) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1940, 1, 1).unwrap() + chrono::Days::new(u64::from(n / 1000));
    let body = format!("361199{}{:03}", birth.format("%Y%m%d"), n % 1000);
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// A clean household file for `grids`: `residents` rows, three to a
/// household, each household code prefixed with `prefix`.
pub fn household_csv(grids: &[String], prefix: &str, residents: u32) -> Vec<u8> {
    use std::fmt::Write;
    let mut out = String::from("网格编码,户编号,地址,楼栋,经度,纬度,姓名,公民身份号码,联系电话,特殊群体,纳入日期\n");
    for n in 0..residents {
        let h = n / 3;
        let grid = &grids[(h as usize) % grids.len()];
        let building = h % 40 + 1;
        let group = if n % 50 == 0 { "独居老人" } else { "" };
        let since = if group.is_empty() { "" } else { "2025-03-01" };
        let _ = writeln!(
            out,
            "{grid},{prefix}-{h:06},东乡区城东街道幸福社区幸福路 {building} 号 {building} 栋 {unit} 单元 {room} 室(导入测试),{building} 栋,116.6005,28.2405,居民{n},{id},139{phone:08},{group},{since}",
            unit = h % 6 + 1,
            room = h % 30 + 101,
            id = id_number(n),
            phone = n,
        );
    }
    out.into_bytes()
}

/// A request to a router, as [`TestApp::send`] (also to a router kept from
/// before a restart, whose background jobs still run).
pub async fn send_to(
    router: &Router,
    method: Method,
    uri: &str,
    body: Option<Value>,
    session: Option<&Session>,
) -> Response {
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
    let response = router.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
    Response { status, body, headers }
}
