//! Health, the OpenAPI document and the app fallback, through the real router.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::TestApp;

#[tokio::test]
async fn health_reports_database_and_bundle() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["app_bundle"], false);
    assert!(app.dir.path().join("data/gongzhi.db").is_file(), "database created on first start");
}

#[tokio::test]
async fn openapi_documents_exactly_the_routes_that_exist() {
    let app = TestApp::new().await;
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone())))
        .collect();
    let routed: BTreeSet<(String, String)> =
        gongzhi_server::routes::api_routes().iter().map(|r| (r.method.to_string(), r.path.to_string())).collect();
    assert_eq!(documented, routed);
}

#[tokio::test]
async fn unknown_api_path_is_a_json_404() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn pages_warn_when_the_bundle_is_not_built() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/calendar").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.as_str().unwrap().contains("前端页面尚未构建"));
}

#[tokio::test]
async fn built_bundle_is_served_with_index_fallback() {
    let app = TestApp::with_setup(|config| {
        std::fs::create_dir_all(&config.dist_dir).unwrap();
        std::fs::write(config.dist_dir.join("index.html"), "<html>共治</html>").unwrap();
        std::fs::write(config.dist_dir.join("app.js"), "console.log(1)").unwrap();
    })
    .await;
    let (status, body) = app.get("/calendar/deep/link").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_str().unwrap(), "<html>共治</html>");
    let (status, body) = app.get("/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_str().unwrap(), "console.log(1)");
    let (_, health) = app.get("/api/health").await;
    assert_eq!(health["app_bundle"], true);
}
