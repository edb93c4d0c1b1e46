//! Configuration from the environment, with defaults that run out of the box.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

#[derive(Clone, Debug)]
pub struct Config {
    /// `GONGZHI_ADDR`, default `127.0.0.1:8080`.
    pub addr: SocketAddr,
    /// `GONGZHI_DATA_DIR`, default `./data`: the SQLite database and
    /// operator-supplied holiday schedules (`holidays/*.json`) live here.
    pub data_dir: PathBuf,
    /// `GONGZHI_DATABASE_URL`: `postgres://…` runs on that PostgreSQL
    /// database instead of the embedded SQLite file under `data_dir`.
    pub database_url: Option<String>,
    /// `GONGZHI_DIST_DIR`, default `./dist`: the Trunk bundle to serve.
    pub dist_dir: PathBuf,
    /// `GONGZHI_DEMO=1`: seed the demo city and its accounts on first start.
    pub demo: bool,
    /// `GONGZHI_ADMIN_PASSWORD`: outside demo mode, the first start creates
    /// the system administrator `sysadmin` with this password (required then;
    /// there are no default credentials).
    pub admin_password: Option<String>,
    /// `GONGZHI_SECURE_COOKIES=1` behind TLS: cookies get `Secure`.
    pub secure_cookies: bool,
    /// `GONGZHI_TODAY=YYYY-MM-DD`: pin "today" (Asia/Shanghai) for the
    /// working-day rules — for tests and demonstrations only; deadlines are
    /// otherwise counted on the real date.
    pub today: Option<chrono::NaiveDate>,
    /// `GONGZHI_FUNDING_DUE_DAYS`: funding for a period is due this many
    /// working days before the period starts (default 0: by its first day).
    pub funding_due_days: u32,
    /// `GONGZHI_TRUSTED_PROXIES`: comma-separated addresses of reverse
    /// proxies in front of the server. Only from these is `X-Forwarded-For`
    /// believed for the client address (audit trail, login throttling);
    /// from anyone else it is ignored, so a client cannot pick its address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `GONGZHI_KEY_DIR`, default the data directory: where `gongzhi.key` (the
    /// key outside the database that MACs the chains, signs checkpoints and
    /// encrypts TOTP secrets) is kept. Production should put it elsewhere.
    pub key_dir: PathBuf,
    /// `GONGZHI_AUDIT_KEY`: the key as 64 hex digits instead of the file.
    pub audit_key: Option<String>,
    /// `GONGZHI_ADMIN_TOTP`: `required` (the default outside demo mode) makes
    /// administrators enrol a second factor at first sign-in, on the 修改密码
    /// page's enrolment panel; `optional` (the demo's default, so its shared
    /// demo accounts stay usable) lets them sign in with the password until
    /// they enrol. Enrolled accounts always need the code.
    pub admin_totp_required: bool,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("GONGZHI_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let data_dir: PathBuf = var("GONGZHI_DATA_DIR").unwrap_or_else(|| "data".into()).into();
        let demo = flag(var("GONGZHI_DEMO"));
        let admin_totp_required = match var("GONGZHI_ADMIN_TOTP").as_deref().map(str::trim) {
            None => !demo,
            Some("required") => true,
            Some("optional") => false,
            Some(other) => anyhow::bail!("GONGZHI_ADMIN_TOTP={other:?}: use `required` or `optional`"),
        };
        Ok(Self {
            key_dir: var("GONGZHI_KEY_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.clone()),
            audit_key: var("GONGZHI_AUDIT_KEY"),
            admin_totp_required,
            addr: addr
                .parse()
                .with_context(|| format!("GONGZHI_ADDR={addr:?} is not an address like 127.0.0.1:8080"))?,
            data_dir,
            database_url: var("GONGZHI_DATABASE_URL"),
            dist_dir: var("GONGZHI_DIST_DIR").unwrap_or_else(|| "dist".into()).into(),
            demo,
            admin_password: std::env::var("GONGZHI_ADMIN_PASSWORD").ok().filter(|v| !v.is_empty()),
            secure_cookies: flag(var("GONGZHI_SECURE_COOKIES")),
            today: match var("GONGZHI_TODAY") {
                Some(raw) => Some(
                    gongzhi_domain::due::parse_date(("GONGZHI_TODAY", "GONGZHI_TODAY"), Some(&raw))
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                ),
                None => None,
            },
            funding_due_days: match var("GONGZHI_FUNDING_DUE_DAYS") {
                Some(raw) => raw.trim().parse::<u32>().ok().filter(|n| *n <= 60).with_context(|| {
                    format!("GONGZHI_FUNDING_DUE_DAYS={raw:?} is not a number of working days 0–60")
                })?,
                None => 0,
            },
            trusted_proxies: match var("GONGZHI_TRUSTED_PROXIES") {
                Some(raw) => raw
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(|a| a.parse().with_context(|| format!("GONGZHI_TRUSTED_PROXIES: {a:?} is not an IP address")))
                    .collect::<anyhow::Result<_>>()?,
                None => vec![],
            },
        })
    }

    /// A configuration for tests: everything under `dir`, no bundle.
    pub fn for_dir(dir: &std::path::Path) -> Self {
        Self {
            addr: "127.0.0.1:0".parse().expect("valid address"),
            data_dir: dir.join("data"),
            database_url: None,
            dist_dir: dir.join("dist"),
            demo: false,
            admin_password: None,
            secure_cookies: false,
            today: None,
            funding_due_days: 0,
            trusted_proxies: vec![],
            key_dir: dir.join("data"),
            audit_key: None,
            admin_totp_required: false,
        }
    }

    pub fn holidays_dir(&self) -> PathBuf {
        self.data_dir.join("holidays")
    }
}

fn flag(v: Option<String>) -> bool {
    matches!(v.as_deref().map(str::trim), Some("1" | "true" | "yes" | "on"))
}
