//! Serves the browser app built by Trunk, same-origin with the API.
//!
//! Any path that is not a file in the bundle gets an `index.html` (status
//! 200), so that deep links into the client-side router work on reload: the
//! tablet bundle's (`dist/field/index.html`) for the street pages
//! ([`gongzhi_api::FIELD_PATHS`]), the office bundle's for every other page.
//! When the bundle has not been built the API still runs, and every page says so.

use std::path::Path;

use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

const NOT_BUILT: &str = r#"<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<title>共治 · 前端尚未构建</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6">
<h1>前端页面尚未构建</h1>
<p>服务器与接口(<code>/api</code>)运行正常,但没有找到浏览器端程序包(<code>dist/index.html</code>)。</p>
<p>请在项目根目录运行 <code>./scripts/run.sh</code>,它会先构建前端再启动服务器。</p>
<p><a href="/api/health">/api/health</a></p></body></html>"#;

/// The hashes of the inline scripts of both bundles' pages, for the CSP.
pub fn inline_script_hashes(dist_dir: &Path) -> Vec<String> {
    let mut hashes: Vec<String> = [dist_dir.join("index.html"), dist_dir.join("field").join("index.html")]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .flat_map(|html| crate::headers::inline_script_hashes(&html))
        .collect();
    hashes.sort();
    hashes.dedup();
    hashes
}

pub fn service(dist_dir: &Path) -> Router {
    let index = dist_dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dist = %dist_dir.display(), "browser bundle not found: serving the API only (run ./scripts/run.sh to build the app)");
        return Router::new().fallback(|| async { (StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)) });
    }
    // Small, read once; a rebuilt bundle is picked up at the next start.
    let office: &'static str = std::fs::read_to_string(&index).unwrap_or_default().leak();
    let field: Option<&'static str> =
        std::fs::read_to_string(dist_dir.join("field").join("index.html")).ok().map(|s| &*s.leak());
    if field.is_none() {
        tracing::warn!("tablet bundle (dist/field) not found: the office bundle serves every page");
    }
    let pick = move |uri: Uri| async move {
        Html(match field {
            Some(field) if gongzhi_api::is_field_path(uri.path()) => field,
            _ => office,
        })
    };
    // Trunk fingerprints asset names, so only index.html must be revalidated;
    // browsers may still cache it, but must ask first.
    Router::new()
        .fallback_service(ServeDir::new(dist_dir).fallback(get(pick)))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
}
