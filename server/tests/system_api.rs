//! Health, the OpenAPI document and the app fallback, through the real router.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::TestApp;
use gongzhi_server::routes::Access;

#[tokio::test]
async fn health_reports_database_and_bundle() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["app_bundle"], false);
    if app.backend() == gongzhi_server::db::Backend::Sqlite {
        assert!(app.dir.path().join("data/gongzhi.db").is_file(), "database created on first start");
    }
}

#[tokio::test]
async fn openapi_documents_exactly_the_routes_that_exist() {
    let app = TestApp::new().await;
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    // (method, path, x-access) as documented…
    let documented: BTreeSet<(String, String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object().unwrap().iter().map(move |(method, op)| {
                (method.to_uppercase(), path.clone(), op["x-access"].as_str().unwrap_or("missing").to_string())
            })
        })
        .collect();
    // …and as routed.
    let routed: BTreeSet<(String, String, String)> = gongzhi_server::routes::api_routes()
        .iter()
        .map(|r| {
            let access = match r.access {
                Access::Public => "public".to_string(),
                Access::SignedIn => "signed_in".to_string(),
                Access::Roles(roles) => {
                    format!("roles:{}", roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(","))
                }
            };
            (r.method.to_string(), r.path.to_string(), access)
        })
        .collect();
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

#[tokio::test]
async fn malformed_bodies_get_coded_chinese_errors() {
    use axum::body::Body;
    use axum::http::{header, Request};
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let send = |content_type: Option<&'static str>, body: &'static str| {
        let mut req = Request::post("/api/auth/login");
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        app.router.clone().oneshot(req.body(Body::from(body)).unwrap())
    };
    let r = send(Some("application/json"), "{not json").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value =
        serde_json::from_slice(&http_body_util::BodyExt::collect(r.into_body()).await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["code"], "body_invalid");
    assert_eq!(body["message"], "请求内容格式不正确,无法识别。");
    let r = send(None, "username=a").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// The tablet bundle is served for the street pages, the office bundle for
/// every other page; assets are served as files.
#[tokio::test]
async fn each_page_gets_its_bundle() {
    let app = TestApp::with_setup(|c| {
        std::fs::create_dir_all(c.dist_dir.join("field")).unwrap();
        std::fs::write(c.dist_dir.join("index.html"), "<p>office</p>").unwrap();
        std::fs::write(c.dist_dir.join("field").join("index.html"), "<p>tablet</p>").unwrap();
        std::fs::write(c.dist_dir.join("field").join("app.js"), "// js").unwrap();
    })
    .await;
    for (path, expected) in [
        ("/", "<p>office</p>"),
        ("/admission/3", "<p>office</p>"),
        ("/sealed", "<p>office</p>"),
        ("/seal", "<p>tablet</p>"),
        ("/seal/requests/7", "<p>tablet</p>"),
        ("/residents", "<p>tablet</p>"),
        ("/field/app.js", "// js"),
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body.as_str(), Some(expected), "{path}");
    }
}
