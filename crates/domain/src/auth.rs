//! Authentication rules (身份鉴别): passwords, lockout, session lifetimes, and
//! the security policy (安全策略) the security administrator sets.
//!
//! Pure rules over values and instants passed in; hashing, storage and clocks
//! belong to the server.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind, Problems};

pub const FIELD_USERNAME: Field = Field::new("username", "登录名");
pub const FIELD_PASSWORD: Field = Field::new("password", "登录密码");
pub const FIELD_NEW_PASSWORD: Field = Field::new("new_password", "新密码");
pub const FIELD_DISPLAY_NAME: Field = Field::new("display_name", "姓名");

/// A login name: 3–32 characters of ASCII letters, digits, `_`, `.`, `-`,
/// starting with a letter. Stored lower-case, so `ZhangSan` and `zhangsan`
/// cannot be two accounts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(FIELD_USERNAME.error(FieldErrorKind::Required));
        }
        let ok = (3..=32).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
        if ok {
            Ok(Self(name))
        } else {
            Err(FIELD_USERNAME.error(FieldErrorKind::InvalidFormat {
                expected: "3 到 32 位英文字母、数字或 _ . -,以字母开头",
            }))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the policy: at least [`Password::MIN_LEN`]
/// characters from at least 3 of the 4 classes (upper, lower, digit, symbol),
/// and not containing the login name. Never stored: only its argon2id hash is.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_LEN: usize = 8;
    pub const MAX_LEN: usize = 128;

    pub fn parse(field: Field, raw: &str, username: Option<&Username>) -> Result<Self, FieldError> {
        if raw.is_empty() {
            return Err(field.error(FieldErrorKind::Required));
        }
        if raw.chars().count() > Self::MAX_LEN {
            return Err(field.error(FieldErrorKind::TooLong { max: Self::MAX_LEN }));
        }
        let classes = [
            raw.chars().any(|c| c.is_ascii_uppercase()),
            raw.chars().any(|c| c.is_ascii_lowercase()),
            raw.chars().any(|c| c.is_ascii_digit()),
            raw.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .into_iter()
        .filter(|&has| has)
        .count();
        if raw.chars().count() < Self::MIN_LEN || classes < 3 {
            return Err(field.error(FieldErrorKind::PasswordTooWeak { min_len: Self::MIN_LEN }));
        }
        if username.is_some_and(|u| raw.to_ascii_lowercase().contains(u.as_str())) {
            return Err(field.error(FieldErrorKind::InvalidFormat { expected: "密码中不能包含登录名" }));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Login failures in a row and the lock they may have caused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoginThrottle {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Why a login was refused before the password was even checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountLocked {
    pub until: DateTime<Utc>,
}

/// The security policy (安全策略), set by the security administrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityPolicy {
    /// Failures in a row that lock an account.
    pub max_failures: u32,
    /// How long a lock lasts.
    pub lock_minutes: u32,
    /// A session unused this long ends.
    pub idle_minutes: u32,
    /// A session ends this long after login, used or not.
    pub absolute_hours: u32,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self { max_failures: 5, lock_minutes: 15, idle_minutes: 30, absolute_hours: 12 }
    }
}

/// The policy's bounds: a security admin cannot switch protection off.
pub const POLICY_FIELDS: [(Field, i64, i64); 4] = [
    (Field::new("max_failures", "连续登录失败锁定次数"), 3, 10),
    (Field::new("lock_minutes", "锁定时长(分钟)"), 5, 1440),
    (Field::new("idle_minutes", "空闲超时(分钟)"), 5, 120),
    (Field::new("absolute_hours", "会话最长时长(小时)"), 1, 24),
];

impl SecurityPolicy {
    /// Parses the four settings as typed, every problem at once.
    pub fn parse(raw: [&str; 4]) -> Result<Self, Vec<FieldError>> {
        let mut problems = Problems::new();
        let values: Vec<Option<u32>> = POLICY_FIELDS
            .iter()
            .zip(raw)
            .map(|((field, min, max), raw)| problems.take(parse_bounded(*field, raw, *min, *max)))
            .collect();
        problems.into_result(|| {
            Some(Self {
                max_failures: values[0]?,
                lock_minutes: values[1]?,
                idle_minutes: values[2]?,
                absolute_hours: values[3]?,
            })
        })
    }

    /// Refuses a login attempt while the account is locked.
    pub fn check_lock(&self, throttle: &LoginThrottle, now: DateTime<Utc>) -> Result<(), AccountLocked> {
        match throttle.locked_until {
            Some(until) if until > now => Err(AccountLocked { until }),
            _ => Ok(()),
        }
    }

    /// The throttle after a wrong password. The failure that reaches the
    /// limit locks the account and starts the count again.
    pub fn after_failure(&self, throttle: &LoginThrottle, now: DateTime<Utc>) -> LoginThrottle {
        let failures = throttle.failures + 1;
        if failures >= self.max_failures {
            LoginThrottle { failures: 0, locked_until: Some(now + Duration::minutes(self.lock_minutes.into())) }
        } else {
            LoginThrottle { failures, locked_until: None }
        }
    }

    /// When a session ends: after `idle_minutes` without use, and at the
    /// latest `absolute_hours` after login.
    pub fn session_expiry(&self, created: DateTime<Utc>, last_seen: DateTime<Utc>) -> DateTime<Utc> {
        let idle = last_seen + Duration::minutes(self.idle_minutes.into());
        let absolute = created + Duration::hours(self.absolute_hours.into());
        idle.min(absolute)
    }

    pub fn session_is_live(&self, created: DateTime<Utc>, last_seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now < self.session_expiry(created, last_seen)
    }
}

fn parse_bounded(field: Field, raw: &str, min: i64, max: i64) -> Result<u32, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(field.error(FieldErrorKind::Required));
    }
    let n: i64 = raw.parse().map_err(|_| field.error(FieldErrorKind::NotAnInteger { raw: raw.to_string() }))?;
    if !(min..=max).contains(&n) {
        return Err(field.error(FieldErrorKind::OutOfRange { min, max, raw: raw.to_string() }));
    }
    Ok(n as u32)
}

/// Why a login failed, as the person at the keyboard is told. A wrong login
/// name and a wrong password read the same, so names cannot be probed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginError {
    BadCredentials,
    /// Locked until the given time, shown as Asia/Shanghai `HH:MM`.
    Locked {
        until: DateTime<Utc>,
    },
    Disabled,
}

impl DomainError for LoginError {
    fn code(&self) -> &'static str {
        match self {
            LoginError::BadCredentials => "login_failed",
            LoginError::Locked { .. } => "account_locked",
            LoginError::Disabled => "account_disabled",
        }
    }

    fn message(&self) -> String {
        match self {
            LoginError::BadCredentials => "登录名或密码错误。".to_string(),
            LoginError::Locked { until } => {
                format!("连续登录失败次数过多,账号已锁定,请于 {} 后再试。", crate::time::shanghai_hh_mm(*until))
            }
            LoginError::Disabled => "该账号已停用,请联系系统管理员。".to_string(),
        }
    }
}

/// Errors of sessions and permissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessError {
    /// No session, or it ended.
    NotLoggedIn,
    /// The session ended through inactivity or its maximum length.
    SessionExpired,
    /// A state change without the session's CSRF token.
    CsrfMissing,
    /// The role may not do this.
    Forbidden,
    /// Nothing by that id within the caller's scope (also for things that
    /// exist outside it: their existence is not revealed).
    NotFound,
    /// The account must change its initial password first.
    PasswordChangeRequired,
}

impl DomainError for AccessError {
    fn code(&self) -> &'static str {
        match self {
            AccessError::NotLoggedIn => "not_logged_in",
            AccessError::SessionExpired => "session_expired",
            AccessError::CsrfMissing => "csrf_token_invalid",
            AccessError::Forbidden => "forbidden",
            AccessError::NotFound => "not_found",
            AccessError::PasswordChangeRequired => "password_change_required",
        }
    }

    fn message(&self) -> String {
        match self {
            AccessError::NotLoggedIn => "请先登录。",
            AccessError::SessionExpired => "登录已超时,请重新登录。",
            AccessError::CsrfMissing => "页面已过期,请刷新后重试。",
            AccessError::Forbidden => "您的角色无权进行此操作。",
            AccessError::NotFound => "未找到该记录,或不在您的管辖范围内。",
            AccessError::PasswordChangeRequired => "首次登录请先修改初始密码。",
        }
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
    }

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" ZhangSan ").unwrap().as_str(), "zhangsan");
        for bad in ["ab", "1abc", "张三", "a b c", &"a".repeat(33)] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Username::parse("").unwrap_err().kind, FieldErrorKind::Required);
    }

    #[test]
    fn password_policy_three_of_four_classes() {
        let f = FIELD_PASSWORD;
        assert!(Password::parse(f, "Abcdefg1", None).is_ok());
        assert!(Password::parse(f, "abcdef1!", None).is_ok());
        assert!(Password::parse(f, "ABCDEF1!", None).is_ok());
        for weak in ["Abc1!", "abcdefgh", "abcdefg1", "ABCDEFGH", "12345678!"] {
            assert_eq!(Password::parse(f, weak, None).unwrap_err().code(), "password_too_weak", "{weak}");
        }
        let user = Username::parse("wangwu").unwrap();
        assert_eq!(Password::parse(f, "Wangwu2026!", Some(&user)).unwrap_err().code(), "field_invalid_format");
        assert_eq!(format!("{:?}", Password::parse(f, "Abcdefg1", None).unwrap()), "Password(***)");
    }

    #[test]
    fn five_failures_lock_for_fifteen_minutes() {
        let policy = SecurityPolicy::default();
        let mut th = LoginThrottle::default();
        for i in 1..5 {
            th = policy.after_failure(&th, t(9, 0));
            assert_eq!(th.failures, i);
            assert!(policy.check_lock(&th, t(9, 0)).is_ok());
        }
        th = policy.after_failure(&th, t(9, 0));
        assert_eq!(policy.check_lock(&th, t(9, 14)), Err(AccountLocked { until: t(9, 15) }));
        assert!(policy.check_lock(&th, t(9, 15)).is_ok());
        assert_eq!(th.failures, 0);
    }

    #[test]
    fn locked_message_shows_shanghai_time() {
        // 09:15 UTC is 17:15 in Shanghai.
        assert_eq!(
            LoginError::Locked { until: t(9, 15) }.message(),
            "连续登录失败次数过多,账号已锁定,请于 17:15 后再试。"
        );
    }

    #[test]
    fn sessions_end_when_idle_or_too_old() {
        let p = SecurityPolicy::default();
        assert!(p.session_is_live(t(8, 0), t(8, 0), t(8, 29)));
        assert!(!p.session_is_live(t(8, 0), t(8, 0), t(8, 30)));
        // Kept busy, it still ends 12 hours after login.
        assert!(p.session_is_live(t(0, 0), t(11, 50), t(11, 59)));
        assert!(!p.session_is_live(t(0, 0), t(11, 50), t(12, 0)));
    }

    #[test]
    fn policy_bounds() {
        assert_eq!(SecurityPolicy::parse(["5", "15", "30", "12"]), Ok(SecurityPolicy::default()));
        let errs = SecurityPolicy::parse(["0", "x", "", "25"]).unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.field, e.code())).collect();
        assert_eq!(
            codes,
            vec![
                ("max_failures", "field_out_of_range"),
                ("lock_minutes", "field_not_integer"),
                ("idle_minutes", "field_required"),
                ("absolute_hours", "field_out_of_range"),
            ]
        );
    }
}
