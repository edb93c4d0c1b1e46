//! Two-factor sign-in (双因素认证): the rules the browser and the server share.
//!
//! The server does the cryptography (RFC 6238 TOTP, encrypted secrets); this
//! module says who must use a second factor, what a code looks like, and the
//! Chinese messages of its errors.

use crate::error::{DomainError, Field, FieldError, FieldErrorKind};
use crate::Role;

/// The field the code is typed into.
pub const FIELD_CODE: Field = Field::new("code", "动态验证码");

/// Digits of a time-based code.
pub const TOTP_DIGITS: usize = 6;
/// Seconds a time-based code stands for (RFC 6238 default).
pub const TOTP_STEP_SECONDS: u64 = 30;
/// Recovery codes issued at enrolment; each works once.
pub const RECOVERY_CODES: usize = 10;

/// Whether accounts of `role` must sign in with a second factor
/// (等保 2.0 第三级: administrators authenticate with two factors). Other
/// roles may enrol voluntarily.
pub fn required_for(role: Role) -> bool {
    matches!(role, Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin)
}

/// A code as typed: six digits from the authenticator app, or a recovery
/// code (`xxxxx-xxxxx`, ten letters or digits, case and dashes ignored).
#[derive(Clone, PartialEq, Eq)]
pub enum OneTimeCode {
    /// Six digits from the authenticator app (动态验证码).
    Totp(String),
    /// A recovery code (恢复码), lower case, dashes removed.
    Recovery(String),
}

impl std::fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OneTimeCode::Totp(_) => "Totp(***)",
            OneTimeCode::Recovery(_) => "Recovery(***)",
        })
    }
}

impl OneTimeCode {
    /// Reads a code as typed: blanks and dashes ignored, case folded.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let compact: String =
            raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_lowercase()).collect();
        if compact.is_empty() {
            return Err(FIELD_CODE.error(FieldErrorKind::Required));
        }
        if compact.len() == TOTP_DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(OneTimeCode::Totp(compact));
        }
        if compact.len() == 10 && compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(OneTimeCode::Recovery(format!("{}-{}", &compact[..5], &compact[5..])));
        }
        Err(FIELD_CODE
            .error(FieldErrorKind::InvalidFormat { expected: "6 位数字动态验证码,或 10 位恢复码" }))
    }

    /// Only a six-digit code (enrolment is confirmed with the app, not a
    /// recovery code).
    pub fn parse_totp(raw: &str) -> Result<String, FieldError> {
        match Self::parse(raw)? {
            OneTimeCode::Totp(c) => Ok(c),
            OneTimeCode::Recovery(_) => {
                Err(FIELD_CODE
                    .error(FieldErrorKind::InvalidFormat { expected: "身份验证器显示的 6 位数字" }))
            }
        }
    }
}

/// Errors of the second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactorError {
    /// The password was right; the session waits for the code.
    Required,
    /// An administrator who has not enrolled yet must enrol first.
    EnrolmentRequired,
    /// The code (or recovery code) is wrong, used already, or too old.
    BadCode,
    /// Enrolment was asked for an account that has a second factor already.
    AlreadyEnrolled,
    /// A code was sent to confirm an enrolment that was not started.
    NotStarted,
    /// A code was sent for a session that does not wait for one.
    NotPending,
}

impl DomainError for SecondFactorError {
    fn code(&self) -> &'static str {
        match self {
            SecondFactorError::Required => "second_factor_required",
            SecondFactorError::EnrolmentRequired => "second_factor_enrolment_required",
            SecondFactorError::BadCode => "second_factor_invalid",
            SecondFactorError::AlreadyEnrolled => "second_factor_already_enrolled",
            SecondFactorError::NotStarted => "second_factor_not_started",
            SecondFactorError::NotPending => "second_factor_not_pending",
        }
    }

    fn message(&self) -> String {
        match self {
            SecondFactorError::Required => "请输入身份验证器上的动态验证码,完成登录。",
            SecondFactorError::EnrolmentRequired => "管理员账号须先绑定身份验证器(双因素认证),才能继续使用。",
            SecondFactorError::BadCode => "动态验证码或恢复码不正确,或已使用过。",
            SecondFactorError::AlreadyEnrolled => "该账号已绑定身份验证器。",
            SecondFactorError::NotStarted => "请先开始绑定身份验证器,再输入验证码。",
            SecondFactorError::NotPending => "本次登录无需动态验证码。",
        }
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse() {
        assert_eq!(OneTimeCode::parse(" 123 456 ").unwrap(), OneTimeCode::Totp("123456".into()));
        assert_eq!(OneTimeCode::parse("ABCDE-12345").unwrap(), OneTimeCode::Recovery("abcde-12345".into()));
        assert_eq!(OneTimeCode::parse("abcde12345").unwrap(), OneTimeCode::Recovery("abcde-12345".into()));
        assert_eq!(OneTimeCode::parse("").unwrap_err().kind, FieldErrorKind::Required);
        assert!(OneTimeCode::parse("12345").is_err());
        assert!(OneTimeCode::parse_totp("abcde-12345").is_err());
        assert_eq!(format!("{:?}", OneTimeCode::parse("123456").unwrap()), "Totp(***)");
    }

    #[test]
    fn the_three_administrators_need_a_second_factor() {
        assert!(required_for(Role::SystemAdmin) && required_for(Role::SecurityAdmin) && required_for(Role::AuditAdmin));
        assert!(!required_for(Role::GridMember));
    }
}
