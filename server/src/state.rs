//! What every handler can reach.

use std::sync::Arc;

use gongzhi_domain::WorkingDayCalendar;
use sqlx::SqlitePool;

use crate::config::Config;
use crate::{db, holidays};

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    /// Loaded once at start; read-only afterwards.
    pub calendar: Arc<WorkingDayCalendar>,
    /// Whether the browser bundle was found at start.
    pub app_bundle: bool,
}

impl AppState {
    pub async fn open(config: &Config) -> anyhow::Result<Self> {
        let calendar = holidays::load(&config.holidays_dir())?;
        tracing::info!(known_years = ?calendar.known_years(), "working-day calendar ready");
        Ok(Self {
            db: db::open(&config.data_dir).await?,
            calendar: Arc::new(calendar),
            app_bundle: config.dist_dir.join("index.html").is_file(),
        })
    }
}
