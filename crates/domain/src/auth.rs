//! Authentication rules (身份鉴别): passwords, lockout, session lifetimes, and
//! the security policy (安全策略) the security administrator sets.
//!
//! Pure rules over values and instants passed in; hashing, storage and clocks
//! belong to the server.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind, Problems};
use crate::org::Role;

/// Field `username`, labelled “登录名” in forms and messages.
pub const FIELD_USERNAME: Field = Field::new("username", "登录名");
/// Field `password`, labelled “登录密码” in forms and messages.
pub const FIELD_PASSWORD: Field = Field::new("password", "登录密码");
/// Field `new_password`, labelled “新密码” in forms and messages.
pub const FIELD_NEW_PASSWORD: Field = Field::new("new_password", "新密码");
/// Field `display_name`, labelled “姓名” in forms and messages.
pub const FIELD_DISPLAY_NAME: Field = Field::new("display_name", "姓名");

/// A login name: 3–32 characters of ASCII letters, digits, `_`, `.`, `-`,
/// starting with a letter. Stored lower-case, so `ZhangSan` and `zhangsan`
/// cannot be two accounts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Parses a login name: 3–32 lower-case letters, digits or `_ . -`, from a letter.
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

    /// The login name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the policy: at least [`Password::MIN_LEN`]
/// characters ([`Password::ADMIN_MIN_LEN`] for the three administrators)
/// from at least 3 of the 4 classes (upper, lower, digit, symbol), not
/// containing the login name, and not on the common-password list
/// (`common-passwords.txt`). Never stored: only its argon2id hash is.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// The shortest password of an ordinary account.
    pub const MIN_LEN: usize = 8;
    /// 等保 2.0 asks more of the accounts that hold the keys.
    pub const ADMIN_MIN_LEN: usize = 12;
    /// The longest password accepted.
    pub const MAX_LEN: usize = 128;

    /// The shortest password allowed for an account of `role` (`None`: the
    /// role is not known yet, as when a form's role field is wrong).
    pub fn min_len(role: Option<Role>) -> usize {
        if role.is_some_and(Role::is_admin) {
            Self::ADMIN_MIN_LEN
        } else {
            Self::MIN_LEN
        }
    }

    /// Checks a password against the policy (length for the role, three of four character classes, not the login name, not a common password).
    pub fn parse(field: Field, raw: &str, username: Option<&Username>, role: Option<Role>) -> Result<Self, FieldError> {
        let min_len = Self::min_len(role);
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
        if raw.chars().count() < min_len || classes < 3 {
            return Err(field.error(FieldErrorKind::PasswordTooWeak { min_len }));
        }
        if username.is_some_and(|u| raw.to_ascii_lowercase().contains(u.as_str())) {
            return Err(field.error(FieldErrorKind::InvalidFormat { expected: "密码中不能包含登录名" }));
        }
        if is_common_password(raw) {
            return Err(field.error(FieldErrorKind::PasswordCommon));
        }
        Ok(Self(raw.to_string()))
    }

    /// The password itself, only to hash it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Passwords that meet the class rule yet are among the first an attacker
/// tries (keyboard walks, `Admin@123`, a year behind a word), one per line,
/// lower case. Compared after folding case and the usual letter-for-symbol
/// swaps (`P@ssw0rd` is `password`), and with a trailing year or digits
/// taken off, so one line covers its variants.
const COMMON_PASSWORDS: &str = include_str!("../common-passwords.txt");

/// The password folded as [`COMMON_PASSWORDS`] is written.
// ASCII case folding only: `str::to_lowercase` would pull Unicode's case
// tables into the browser bundle (~12 KB gzip), and the list is ASCII.
fn fold_password(raw: &str) -> String {
    raw.to_ascii_lowercase()
        .chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '1' | '!' | '|' => 'i',
            '3' => 'e',
            '$' | '5' => 's',
            '7' => 't',
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Whether the password is on the common list, as typed or folded.
pub fn is_common_password(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    let folded = fold_password(raw);
    // "Admin@2026", "Qwer1234!!": the stem before the trailing digits and symbols.
    let stem: String = lower.trim_end_matches(|c: char| !c.is_ascii_alphabetic()).to_string();
    let folded_stem = fold_password(&stem);
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|entry| entry == lower || entry == folded || (entry.len() >= 4 && (entry == stem || entry == folded_stem)))
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

/// Failed logins from one client address, across every name, within one
/// lock window, before the address must wait (HTTP 429): a guesser who
/// sprays many names from one place is slowed even though no single name
/// reaches its own limit.
pub const ADDRESS_MAX_FAILURES: u32 = 20;

/// The longest login name and password a login request may carry; anything
/// longer is refused before it is hashed or written to the audit trail.
pub const LOGIN_NAME_MAX_CHARS: usize = 64;

/// A login attempt as counted before its password is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Check the password; `last` when a wrong one locks the name.
    Allowed {
        /// A wrong password now locks the name.
        last: bool,
    },
    /// More attempts than the limit: refuse without checking.
    OverLimit,
}

/// A login request's two fields, bounded before any work is done for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginInput {
    /// Trimmed, lower case, at most [`LOGIN_NAME_MAX_CHARS`] characters;
    /// not necessarily a valid [`Username`] (a wrong name is answered like a
    /// wrong password).
    pub tried_name: String,
    /// 登录密码.
    pub password: String,
}

impl LoginInput {
    /// Bounds and trims the two fields; both are required.
    pub fn parse(username: &str, password: &str) -> Result<Self, Vec<FieldError>> {
        let mut p = Problems::new();
        let name = username.trim().to_ascii_lowercase();
        if name.is_empty() {
            p.push(FIELD_USERNAME.error(FieldErrorKind::Required));
        } else if name.chars().count() > LOGIN_NAME_MAX_CHARS {
            p.push(FIELD_USERNAME.error(FieldErrorKind::TooLong { max: LOGIN_NAME_MAX_CHARS }));
        }
        if password.is_empty() {
            p.push(FIELD_PASSWORD.error(FieldErrorKind::Required));
        } else if password.chars().count() > Password::MAX_LEN {
            p.push(FIELD_PASSWORD.error(FieldErrorKind::TooLong { max: Password::MAX_LEN }));
        }
        p.into_result(|| Some(Self { tried_name: name, password: password.to_string() }))
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

    /// What the `n`-th attempt in a row on one login name means, counted
    /// (atomically, by the server) *before* its password is checked, so
    /// that guesses sent in parallel are each counted: attempts beyond the
    /// limit are refused unchecked, and the one that reaches it locks the
    /// name if its password is wrong too.
    pub fn attempt(&self, n: u32) -> Attempt {
        if n > self.max_failures {
            Attempt::OverLimit
        } else {
            Attempt::Allowed { last: n >= self.max_failures }
        }
    }

    /// When a lock taken now ends.
    pub fn lock_until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + Duration::minutes(self.lock_minutes.into())
    }

    /// Whether a client address that failed `failures` times within the
    /// current window (of `lock_minutes`) may try again.
    pub fn address_may_try(&self, failures: u32) -> bool {
        failures < ADDRESS_MAX_FAILURES
    }

    /// When a session ends: after `idle_minutes` without use, and at the
    /// latest `absolute_hours` after login.
    pub fn session_expiry(&self, created: DateTime<Utc>, last_seen: DateTime<Utc>) -> DateTime<Utc> {
        let idle = last_seen + Duration::minutes(self.idle_minutes.into());
        let absolute = created + Duration::hours(self.absolute_hours.into());
        idle.min(absolute)
    }

    /// Whether a session created at `created` and last used at `last_seen` is still valid at `now`.
    pub fn session_is_live(&self, created: DateTime<Utc>, last_seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now < self.session_expiry(created, last_seen)
    }
}

fn parse_bounded(field: Field, raw: &str, min: i64, max: i64) -> Result<u32, FieldError> {
    // The callers' ranges are non-negative and fit u32.
    field.whole_number(raw, min, max).map(|n| n as u32)
}

/// Why a login failed, as the person at the keyboard is told. A wrong login
/// name and a wrong password read the same, so names cannot be probed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong login name or password (the two are not told apart).
    BadCredentials,
    /// Locked until the given time, shown as Asia/Shanghai `HH:MM`.
    Locked {
        /// When the lock ends.
        until: DateTime<Utc>,
    },
    /// The account is disabled.
    Disabled,
    /// Too many failed logins from this client address: wait until then.
    TooManyAttempts {
        /// When the address may try again.
        until: DateTime<Utc>,
    },
    /// Too many logins being checked at once (each costs a deliberately slow
    /// hash): try again in a moment.
    ServerBusy,
}

impl DomainError for LoginError {
    fn code(&self) -> &'static str {
        match self {
            LoginError::BadCredentials => "login_failed",
            LoginError::Locked { .. } => "account_locked",
            LoginError::Disabled => "account_disabled",
            LoginError::TooManyAttempts { .. } => "too_many_attempts",
            LoginError::ServerBusy => "server_busy",
        }
    }

    fn message(&self) -> String {
        match self {
            LoginError::BadCredentials => "登录名或密码错误。".to_string(),
            LoginError::Locked { until } => {
                format!("连续登录失败次数过多,账号已锁定,请于 {} 后再试。", crate::time::shanghai_hh_mm(*until))
            }
            LoginError::Disabled => "该账号已停用,请联系系统管理员。".to_string(),
            LoginError::TooManyAttempts { until } => format!(
                "本设备登录失败次数过多,请于 {} 后再试;如忘记密码,请联系系统管理员。",
                crate::time::shanghai_hh_mm(*until)
            ),
            LoginError::ServerBusy => "登录请求较多,请稍候几秒再试。".to_string(),
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
        assert!(Password::parse(f, "Bcdefgh1", None, None).is_ok());
        assert!(Password::parse(f, "bcdefg1!", None, None).is_ok());
        assert!(Password::parse(f, "BCDEFG1!", None, None).is_ok());
        for weak in ["Abc1!", "abcdefgh", "abcdefg1", "ABCDEFGH", "12345678!"] {
            assert_eq!(Password::parse(f, weak, None, None).unwrap_err().code(), "password_too_weak", "{weak}");
        }
        let user = Username::parse("wangwu").unwrap();
        assert_eq!(Password::parse(f, "Wangwu2026!", Some(&user), None).unwrap_err().code(), "field_invalid_format");
        assert_eq!(format!("{:?}", Password::parse(f, "Bcdefgh1", None, None).unwrap()), "Password(***)");
    }

    #[test]
    fn administrators_need_twelve_characters() {
        let f = FIELD_PASSWORD;
        assert!(Password::parse(f, "Chushi@2026", None, Some(Role::GridMember)).is_ok());
        for admin in [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin] {
            let e = Password::parse(f, "Chushi@2026", None, Some(admin)).unwrap_err();
            assert_eq!(e.kind, FieldErrorKind::PasswordTooWeak { min_len: 12 });
            assert_eq!(e.message(), "登录密码至少 12 位,且须包含大写字母、小写字母、数字、符号中的至少 3 类。");
            assert!(Password::parse(f, "Chushi@2026-xq", None, Some(admin)).is_ok());
        }
    }

    #[test]
    fn common_passwords_and_their_variants_are_refused() {
        let f = FIELD_PASSWORD;
        for common in
            ["Admin@2026", "P@ssw0rd", "Password1!", "Qwer1234!", "1qaz2WSX", "Aa123456", "Huawei@123", "Welcome2026!"]
        {
            let e = Password::parse(f, common, None, None).unwrap_err();
            assert_eq!(e.code(), "password_too_common", "{common}");
            assert_eq!(e.message(), "登录密码过于常见,容易被猜中,请换一个不易猜到的密码。");
        }
        // A word that merely contains a listed one is not refused.
        assert!(Password::parse(f, "Wangge@2026", None, None).is_ok());
        assert!(Password::parse(f, "Rootsofriver#9", None, None).is_ok());
    }

    #[test]
    fn five_failures_lock_for_fifteen_minutes() {
        let policy = SecurityPolicy::default();
        // Attempts 1–4 are checked and lock nothing; the 5th locks if wrong.
        for n in 1..5 {
            assert_eq!(policy.attempt(n), Attempt::Allowed { last: false });
        }
        assert_eq!(policy.attempt(5), Attempt::Allowed { last: true });
        // The lock lasts 15 minutes from the failure that took it.
        assert_eq!(policy.lock_until(t(9, 0)), t(9, 15));
    }

    #[test]
    fn attempts_are_counted_before_checking() {
        let policy = SecurityPolicy::default();
        assert_eq!(policy.attempt(1), Attempt::Allowed { last: false });
        assert_eq!(policy.attempt(5), Attempt::Allowed { last: true });
        assert_eq!(policy.attempt(6), Attempt::OverLimit);
        assert!(policy.address_may_try(ADDRESS_MAX_FAILURES - 1));
        assert!(!policy.address_may_try(ADDRESS_MAX_FAILURES));
    }

    #[test]
    fn login_input_is_bounded_before_any_work() {
        let ok = LoginInput::parse(" ZhangSan ", "x").unwrap();
        assert_eq!(ok.tried_name, "zhangsan");
        let errs = LoginInput::parse(&"a".repeat(65), &"p".repeat(129)).unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.field, e.code())).collect();
        assert_eq!(codes, vec![("username", "field_too_long"), ("password", "field_too_long")]);
        assert_eq!(LoginInput::parse("", "").unwrap_err().len(), 2);
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
