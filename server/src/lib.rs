//! # gongzhi-server — the thin axum API of Gongzhi (共治)
//!
//! Handlers parse input with the domain crate, run the domain rule, store the
//! result and answer JSON. No business rule lives here that the browser could
//! not run too.
//!
//! - [`routes`]: every API route in one table, and the router built from it.
//! - [`api`]: the handlers, one module per capability.
//! - [`error`]: turning domain errors into HTTP answers with stable codes.
//! - [`spa`]: serving the Trunk bundle with an `index.html` fallback.

pub mod api;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod chains;
pub mod config;
pub mod db;
pub mod error;
pub mod export;
pub mod headers;
pub mod holidays;
pub mod idempotency;
pub mod json;
pub mod keys;
pub mod paging;
pub mod routes;
pub mod seed;
pub mod spa;
pub mod state;
pub mod store;

use anyhow::Context;
use tokio::net::TcpListener;

pub use routes::router;
pub use state::AppState;

/// Opens storage, loads the calendar and builds the router for `config`.
pub async fn build(config: &config::Config) -> anyhow::Result<axum::Router> {
    let state = AppState::open(config).await?;
    Ok(router(state, &config.dist_dir))
}

/// Runs the server until Ctrl-C or SIGTERM, finishing requests in flight.
pub async fn serve(config: config::Config) -> anyhow::Result<()> {
    // Held until the process ends: `restore` refuses while it is.
    let _lock = backup::DataDirLock::acquire(&config.data_dir)?;
    let app = build(&config).await?;
    let listener = TcpListener::bind(config.addr).await.with_context(|| format!("cannot listen on {}", config.addr))?;
    tracing::info!("Gongzhi listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("Gongzhi stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
