//! Health and the API description.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use gongzhi_api::HealthResponse;
use gongzhi_domain::RequestError;

use crate::error::AppError;
use crate::state::AppState;

/// The OpenAPI 3.1 document, kept by hand next to the route table; a test
/// checks that they list the same routes.
pub const OPENAPI: &str = include_str!("../../openapi.json");

pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let db_ok = crate::store::system::reachable(&state.db).await;
    let body = HealthResponse {
        status: if db_ok { "ok" } else { "degraded" }.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: if db_ok { "ok" } else { "unavailable" }.into(),
        app_bundle: state.app_bundle,
    };
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body))
}

pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// Unknown `/api/...` paths answer JSON, not the app's index page.
pub async fn not_found() -> AppError {
    AppError::from(RequestError::RouteNotFound)
}
