//! Test harness: the real router over a real SQLite database in a temp dir.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_setup(|_| {}).await
    }

    /// `setup` may put files in the data directory before start.
    pub async fn with_setup(setup: impl FnOnce(&gongzhi_server::config::Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = gongzhi_server::config::Config::for_dir(dir.path());
        setup(&config);
        let router = gongzhi_server::build(&config).await.expect("server builds");
        Self { router, dir }
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, json)
    }
}
