//! What every handler can reach.

use std::sync::{Arc, RwLock};

use gongzhi_domain::auth::SecurityPolicy;
use gongzhi_domain::grid::locate::GridIndex;
use gongzhi_domain::WorkingDayCalendar;
use sqlx::AnyPool;

use crate::config::Config;
use crate::{db, holidays};

/// One calendar and its version: a digest of the schedules it holds, so the
/// browser can tell when to fetch them again.
pub struct CalendarInForce {
    pub calendar: WorkingDayCalendar,
    pub version: String,
}

impl CalendarInForce {
    pub fn new(calendar: WorkingDayCalendar) -> Self {
        let version = holidays::version(&calendar);
        Self { calendar, version }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: AnyPool,
    /// Which database `db` is, for the few statements that differ.
    pub backend: db::Backend,
    /// The working-day calendar in force, swapped whole when the system
    /// administrator loads a year's schedule (no restart). Readers take a
    /// snapshot ([`AppState::calendar`]) and compute on it.
    calendar: Arc<RwLock<Arc<CalendarInForce>>>,
    /// Whether the browser bundle was found at start.
    pub app_bundle: bool,
    /// The security policy, cached; written through by the security admin.
    policy: Arc<RwLock<SecurityPolicy>>,
    /// Set `Secure` on cookies (behind TLS).
    pub secure_cookies: bool,
    today: Option<chrono::NaiveDate>,
    /// `$GONGZHI_DATA_DIR/holidays`: uploaded schedules are kept here.
    pub holidays_dir: std::path::PathBuf,
    /// One schedule upload at a time (read the calendar, recompute, swap).
    pub calendar_upload: Arc<tokio::sync::Mutex<()>>,
    /// When each period's funding is due.
    pub funding_due: gongzhi_domain::funding::DueRule,
    /// R-tree over every grid's boundary, built on first use and dropped
    /// when boundaries are imported.
    grid_index: Arc<RwLock<Option<Arc<GridIndex<i64>>>>>,
    /// How many password hashes may be computed at once: each costs ~20 MB
    /// and tens of milliseconds of a core by design, so an unbounded number
    /// before sign-in would let anyone exhaust the machine.
    hashing: Arc<tokio::sync::Semaphore>,
    /// Proxies whose `X-Forwarded-For` is believed (`GONGZHI_TRUSTED_PROXIES`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// The keys kept outside the database ([`crate::keys`]).
    pub keys: Arc<crate::keys::Keys>,
    /// Administrators must enrol a second factor (`GONGZHI_ADMIN_TOTP`).
    pub admin_totp_required: bool,
    /// The household import running now, if any: one at a time, its live
    /// progress here rather than in the database (no write per batch).
    pub household_import: Arc<tokio::sync::Mutex<Option<Arc<LiveImport>>>>,
}

/// A background import's live progress.
pub struct LiveImport {
    pub id: i64,
    pub account_id: i64,
    phase: std::sync::Mutex<gongzhi_domain::grid::import::ImportPhase>,
    pub rows_done: std::sync::atomic::AtomicU32,
    pub rows_total: std::sync::atomic::AtomicU32,
}

impl LiveImport {
    pub fn new(id: i64, account_id: i64) -> Self {
        Self {
            id,
            account_id,
            phase: std::sync::Mutex::new(gongzhi_domain::grid::import::ImportPhase::Reading),
            rows_done: Default::default(),
            rows_total: Default::default(),
        }
    }

    pub fn phase(&self) -> gongzhi_domain::grid::import::ImportPhase {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Enters `phase` with nothing of it done yet.
    pub fn enter(&self, phase: gongzhi_domain::grid::import::ImportPhase) {
        self.rows_done.store(0, std::sync::atomic::Ordering::Relaxed);
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = phase;
    }

    pub fn advance(&self, rows: u32) {
        self.rows_done.fetch_add(rows, std::sync::atomic::Ordering::Relaxed);
    }
}

/// How long a login waits for a free hashing slot before it is told to try
/// again (429).
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl AppState {
    pub async fn open(config: &Config) -> anyhow::Result<Self> {
        let today = config.today.unwrap_or_else(|| gongzhi_domain::time::shanghai_date(chrono::Utc::now()));
        let calendar = holidays::load(&config.holidays_dir(), today)?;
        tracing::info!(known_years = ?calendar.known_years(), "working-day calendar ready");
        let keys = crate::keys::Keys::load_or_create(&config.key_dir, config.audit_key.as_deref())?;
        let db = db::open(config, &keys).await?;
        crate::chains::anchor_legacy(&db, &keys).await?;
        crate::seed::first_start(&db, config, &calendar).await?;
        let policy = crate::store::security::load_policy(&db).await?;
        let interrupted = crate::store::import_jobs::interrupt_running(&db, &chrono::Utc::now().to_rfc3339()).await?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "imports cut off by the last stop marked interrupted (nothing was written)");
        }
        Ok(Self {
            backend: db::Backend::of(&db),
            db,
            calendar: Arc::new(RwLock::new(Arc::new(CalendarInForce::new(calendar)))),
            holidays_dir: config.holidays_dir(),
            calendar_upload: Arc::default(),
            app_bundle: config.dist_dir.join("index.html").is_file(),
            policy: Arc::new(RwLock::new(policy)),
            secure_cookies: config.secure_cookies,
            today: config.today,
            funding_due: match config.funding_due_days {
                0 => gongzhi_domain::funding::DueRule::PeriodStart,
                n => gongzhi_domain::funding::DueRule::WorkingDaysBefore(n),
            },
            grid_index: Arc::default(),
            hashing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()).max(2),
            )),
            trusted_proxies: Arc::new(config.trusted_proxies.clone()),
            keys: Arc::new(keys),
            admin_totp_required: config.admin_totp_required,
            household_import: Arc::default(),
        })
    }

    /// Today in Asia/Shanghai (or the configured `GONGZHI_TODAY`).
    pub fn today(&self) -> chrono::NaiveDate {
        self.today.unwrap_or_else(|| gongzhi_domain::time::shanghai_date(chrono::Utc::now()))
    }

    /// A slot for one password hash, or `None` when none frees up in time.
    pub async fn hashing_permit(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        tokio::time::timeout(HASHING_WAIT, self.hashing.clone().acquire_owned()).await.ok()?.ok()
    }

    /// The calendar in force now (a snapshot: a schedule loaded meanwhile
    /// does not change it under a computation).
    pub fn calendar(&self) -> Arc<CalendarInForce> {
        self.calendar.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts `calendar` in force for every request from now on.
    pub fn set_calendar(&self, calendar: WorkingDayCalendar) -> Arc<CalendarInForce> {
        let next = Arc::new(CalendarInForce::new(calendar));
        *self.calendar.write().unwrap_or_else(|e| e.into_inner()) = next.clone();
        next
    }

    pub fn policy(&self) -> SecurityPolicy {
        *self.policy.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_policy(&self, policy: SecurityPolicy) {
        *self.policy.write().unwrap_or_else(|e| e.into_inner()) = policy;
    }

    /// The grid index, loaded from the database if not built yet.
    pub async fn grid_index(&self) -> Result<Arc<GridIndex<i64>>, sqlx::Error> {
        if let Some(index) = self.grid_index.read().unwrap_or_else(|e| e.into_inner()).clone() {
            return Ok(index);
        }
        let index = Arc::new(crate::store::grid::load_index(&self.db).await?);
        *self.grid_index.write().unwrap_or_else(|e| e.into_inner()) = Some(index.clone());
        Ok(index)
    }

    /// Forgets the grid index after boundaries change.
    pub fn grid_index_changed(&self) {
        *self.grid_index.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// A write transaction: one writer at a time ([`db::write_tx`]), so a
    /// read-then-write inside it — like appending to the audit chain —
    /// cannot interleave with another.
    pub async fn write_tx(&self) -> Result<db::WriteTx, sqlx::Error> {
        db::write_tx(&self.db).await
    }
}
