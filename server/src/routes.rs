//! Every API route in one table. The router, the OpenAPI check and (later)
//! the authorisation matrix are all driven from [`api_routes`], so a route
//! cannot exist without being listed.

use std::path::Path;

use axum::http::Method;
use axum::routing::{get, MethodRouter};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::api::{calendar, system};
use crate::spa;
use crate::state::AppState;

/// One API route: method, path under `/api`, handler.
pub struct ApiRoute {
    pub method: Method,
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> ApiRoute {
    ApiRoute { method, path, handler }
}

/// All API routes.
pub fn api_routes() -> Vec<ApiRoute> {
    vec![
        route(Method::GET, "/health", get(system::health)),
        route(Method::GET, "/openapi.json", get(system::openapi)),
        route(Method::GET, "/calendar/due", get(calendar::due)),
        route(Method::GET, "/calendar/schedules", get(calendar::schedules)),
    ]
}

/// The whole application: `/api/*` and the browser app for everything else.
pub fn router(state: AppState, dist_dir: &Path) -> Router {
    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |r, route| r.route(route.path, route.handler))
        .fallback(system::not_found);
    Router::new()
        .nest("/api", api)
        .fallback_service(spa::service(dist_dir))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
