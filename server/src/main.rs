//! `gongzhi-server`: starts the API and serves the browser app.
//!
//! `gongzhi-server verify-audit` instead checks the audit trail's hash chain
//! in `$GONGZHI_DATA_DIR` and exits 0 when intact, 1 when broken.

use gongzhi_server::{config::Config, serve};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    let config = Config::from_env()?;
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve(config).await,
        Some("verify-audit") => {
            let db = gongzhi_server::db::open(&config.data_dir).await?;
            let report = gongzhi_server::api::audit::verify_chain(&db).await?;
            println!("{}", report.message);
            std::process::exit(if report.intact { 0 } else { 1 });
        }
        Some(other) => anyhow::bail!("unknown command {other:?}: use `serve` (default) or `verify-audit`"),
    }
}
