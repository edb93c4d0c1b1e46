//! What every handler can reach.

use std::sync::{Arc, RwLock};

use gongzhi_domain::auth::SecurityPolicy;
use gongzhi_domain::WorkingDayCalendar;
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::config::Config;
use crate::{db, holidays};

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    /// Loaded once at start; read-only afterwards.
    pub calendar: Arc<WorkingDayCalendar>,
    /// Whether the browser bundle was found at start.
    pub app_bundle: bool,
    /// The security policy, cached; written through by the security admin.
    policy: Arc<RwLock<SecurityPolicy>>,
    /// Set `Secure` on cookies (behind TLS).
    pub secure_cookies: bool,
    today: Option<chrono::NaiveDate>,
    /// When each period's funding is due.
    pub funding_due: gongzhi_domain::funding::DueRule,
}

impl AppState {
    pub async fn open(config: &Config) -> anyhow::Result<Self> {
        let calendar = holidays::load(&config.holidays_dir())?;
        tracing::info!(known_years = ?calendar.known_years(), "working-day calendar ready");
        let db = db::open(&config.data_dir).await?;
        crate::seed::first_start(&db, config, &calendar).await?;
        let policy = crate::api::security::load_policy(&db).await?;
        Ok(Self {
            db,
            calendar: Arc::new(calendar),
            app_bundle: config.dist_dir.join("index.html").is_file(),
            policy: Arc::new(RwLock::new(policy)),
            secure_cookies: config.secure_cookies,
            today: config.today,
            funding_due: match config.funding_due_days {
                0 => gongzhi_domain::funding::DueRule::PeriodStart,
                n => gongzhi_domain::funding::DueRule::WorkingDaysBefore(n),
            },
        })
    }

    /// Today in Asia/Shanghai (or the configured `GONGZHI_TODAY`).
    pub fn today(&self) -> chrono::NaiveDate {
        self.today.unwrap_or_else(|| gongzhi_domain::time::shanghai_date(chrono::Utc::now()))
    }

    pub fn policy(&self) -> SecurityPolicy {
        *self.policy.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_policy(&self, policy: SecurityPolicy) {
        *self.policy.write().unwrap_or_else(|e| e.into_inner()) = policy;
    }

    /// A write transaction. `BEGIN IMMEDIATE` takes SQLite's write lock at
    /// once (waiting up to the busy timeout), so a read-then-write inside it —
    /// like appending to the audit chain — cannot interleave with another.
    pub async fn write_tx(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.db.begin_with("BEGIN IMMEDIATE").await
    }
}
