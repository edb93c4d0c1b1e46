//! What every handler can reach.

use std::sync::{Arc, RwLock};

use gongzhi_domain::auth::SecurityPolicy;
use gongzhi_domain::grid::locate::GridIndex;
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
    /// R-tree over every grid's boundary, built on first use and dropped
    /// when boundaries are imported.
    grid_index: Arc<RwLock<Option<Arc<GridIndex<i64>>>>>,
    /// The keys kept outside the database ([`crate::keys`]).
    pub keys: Arc<crate::keys::Keys>,
    /// Administrators must enrol a second factor (`GONGZHI_ADMIN_TOTP`).
    pub admin_totp_required: bool,
}

impl AppState {
    pub async fn open(config: &Config) -> anyhow::Result<Self> {
        let calendar = holidays::load(&config.holidays_dir())?;
        tracing::info!(known_years = ?calendar.known_years(), "working-day calendar ready");
        let keys = crate::keys::Keys::load_or_create(&config.key_dir, config.audit_key.as_deref())?;
        let db = db::open(&config.data_dir, &keys).await?;
        crate::chains::anchor_legacy(&db, &keys).await?;
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
            grid_index: Arc::default(),
            keys: Arc::new(keys),
            admin_totp_required: config.admin_totp_required,
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
    /// The grid index, loaded from the database if not built yet.
    pub async fn grid_index(&self) -> Result<Arc<GridIndex<i64>>, sqlx::Error> {
        if let Some(index) = self.grid_index.read().unwrap_or_else(|e| e.into_inner()).clone() {
            return Ok(index);
        }
        let index = Arc::new(crate::api::grid::load_index(&self.db).await?);
        *self.grid_index.write().unwrap_or_else(|e| e.into_inner()) = Some(index.clone());
        Ok(index)
    }

    /// Forgets the grid index after boundaries change.
    pub fn grid_index_changed(&self) {
        *self.grid_index.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    pub async fn write_tx(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.db.begin_with("BEGIN IMMEDIATE").await
    }
}
