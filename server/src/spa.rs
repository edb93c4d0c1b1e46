//! Serves the browser app built by Trunk, same-origin with the API.
//!
//! Any path that is not a file in the bundle gets an `index.html` (status
//! 200), so that deep links into the client-side router work on reload: the
//! tablet bundle's (`dist/field/index.html`) for the street pages, the
//! residents' (`dist/resident/index.html`) for theirs
//! ([`gongzhi_api::bundle_of`], from the page table), the office bundle's for every other page.
//! When the bundle has not been built the API still runs, and every page says so.
//!
//! Files are sent precompressed (`.br`, `.gz` written by `scripts/build-app.sh`)
//! when the browser accepts it. Fingerprinted files (the wasm parts under
//! `pkg-<hash>/`, Trunk's `name-<hash>.css`) never change under one name and
//! are cached for a year, immutable; everything else must be revalidated.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use gongzhi_api::pages::Bundle;

const NOT_BUILT: &str = r#"<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<title>共治 · 前端尚未构建</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6">
<h1>前端页面尚未构建</h1>
<p>服务器与接口(<code>/api</code>)运行正常,但没有找到浏览器端程序包(<code>dist/index.html</code>)。</p>
<p>请在项目根目录运行 <code>./scripts/run.sh</code>,它会先构建前端再启动服务器。</p>
<p><a href="/api/health">/api/health</a></p></body></html>"#;

/// The hashes of the inline scripts of every bundle's page, for the CSP.
pub fn inline_script_hashes(dist_dir: &Path) -> Vec<String> {
    let mut hashes: Vec<String> = [
        dist_dir.join("index.html"),
        dist_dir.join("field").join("index.html"),
        dist_dir.join("resident").join("index.html"),
    ]
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
    let page_of = |dir: &str| -> Option<&'static str> {
        let page = std::fs::read_to_string(dist_dir.join(dir).join("index.html")).ok().map(|s| &*s.leak());
        if page.is_none() {
            tracing::warn!("bundle dist/{dir} not found: the office bundle serves its pages");
        }
        page
    };
    let (field, resident) = (page_of("field"), page_of("resident"));
    let pick = move |uri: Uri| async move {
        // A missing part of a bundle is not a page: 404, never index.html.
        if is_fingerprinted(uri.path()) {
            return (StatusCode::NOT_FOUND, Html("")).into_response();
        }
        Html(match gongzhi_api::bundle_of(uri.path()) {
            Bundle::Field => field.unwrap_or(office),
            Bundle::Resident => resident.unwrap_or(office),
            Bundle::Office | Bundle::Every => office,
        })
        .into_response()
    };
    // Fingerprinted files are immutable; index.html, sw.js and the rest may be
    // cached but must be asked for again.
    Router::new()
        .fallback_service(ServeDir::new(dist_dir).precompressed_br().precompressed_gzip().fallback(get(pick)))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(axum::middleware::from_fn(immutable_when_fingerprinted))
}

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

async fn immutable_when_fingerprinted(request: Request, next: Next) -> Response {
    let fingerprinted = is_fingerprinted(request.uri().path());
    let mut response = next.run(request).await;
    if fingerprinted && response.status() == StatusCode::OK {
        response.headers_mut().insert(header::CACHE_CONTROL, IMMUTABLE);
    }
    response
}

/// A file whose name changes with its content: anything under a `pkg-<hash>/`
/// folder, or a `name-<16 hex digits>.ext` file.
pub fn is_fingerprinted(path: &str) -> bool {
    let hex16 = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let mut segments = path.split('/').filter(|s| !s.is_empty()).peekable();
    while let Some(segment) = segments.next() {
        if segments.peek().is_some() {
            if segment.strip_prefix("pkg-").is_some_and(hex16) {
                return true;
            }
        } else if let Some((stem, _ext)) = segment.split_once('.') {
            return stem.rsplit_once('-').is_some_and(|(_, hash)| hex16(hash));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use tower::ServiceExt;

    #[test]
    fn fingerprinted_names() {
        assert!(is_fingerprinted("/pkg-0123456789abcdef/gongzhi-app_bg.wasm"));
        assert!(is_fingerprinted("/field/pkg-0123456789abcdef/split_x.wasm"));
        assert!(is_fingerprinted("/main-8e8e38c16dfd0613.css"));
        assert!(is_fingerprinted("/field/main-8e8e38c16dfd0613.css"));
        assert!(!is_fingerprinted("/sw.js"));
        assert!(!is_fingerprinted("/index.html"));
        assert!(!is_fingerprinted("/field/index.html"));
        assert!(!is_fingerprinted("/grid/12"));
        assert!(!is_fingerprinted("/pkg-nothex/app.js"));
        assert!(!is_fingerprinted("/pkg-0123456789abcdef"));
    }

    async fn get(app: &Router, path: &str, accept: &str) -> Response {
        let request = Request::get(path).header(header::ACCEPT_ENCODING, accept).body(Body::empty()).unwrap();
        app.clone().oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn precompressed_and_immutable() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg-0123456789abcdef");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html><title>共治</title>").unwrap();
        std::fs::write(pkg.join("app.wasm"), b"raw").unwrap();
        std::fs::write(pkg.join("app.wasm.br"), b"brotli").unwrap();
        std::fs::write(pkg.join("app.wasm.gz"), b"gzip").unwrap();
        let app = service(dir.path());

        let br = get(&app, "/pkg-0123456789abcdef/app.wasm", "gzip, deflate, br").await;
        assert_eq!(br.status(), StatusCode::OK);
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        let gz = get(&app, "/pkg-0123456789abcdef/app.wasm", "gzip").await;
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        let raw = get(&app, "/pkg-0123456789abcdef/app.wasm", "identity").await;
        assert!(raw.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(raw.headers()[header::CONTENT_TYPE], "application/wasm");

        // The page itself (and any deep link) is revalidated.
        let page = get(&app, "/grid/1", "br").await;
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache");
        // A missing chunk is 404, not the page (which would be cached as the chunk).
        let missing = get(&app, "/pkg-0123456789abcdef/gone.wasm", "br").await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(missing.headers()[header::CACHE_CONTROL], "no-cache");
    }

    /// Each bundle's page for its own paths, the office's for the rest.
    #[tokio::test]
    async fn each_path_gets_its_bundle() {
        let dir = tempfile::tempdir().unwrap();
        for (sub, name) in [("", "office"), ("field", "field"), ("resident", "resident")] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join("index.html"), name).unwrap();
        }
        let app = service(dir.path());
        for (path, want) in [
            ("/participation/rounds/3/ballot", "resident"),
            ("/participation", "resident"),
            ("/grid/1", "field"),
            ("/login", "office"),
            ("/participations", "office"),
            ("/admission", "office"),
        ] {
            let body = get(&app, path, "identity").await.into_body();
            let bytes = axum::body::to_bytes(body, 1024).await.unwrap();
            assert_eq!(std::str::from_utf8(&bytes).unwrap(), want, "{path}");
        }
    }
}
