//! Two-factor sign-in (双因素认证) wire types.

use serde::{Deserialize, Serialize};

use crate::RawInput;

/// `POST /api/auth/totp/confirm` and `POST /api/auth/totp/verify`: the code as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpCodeRequest {
    #[serde(default)]
    pub code: RawInput,
}

/// `POST /api/auth/totp/enrol`: what the authenticator app needs. Shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    /// Base32, for typing in by hand.
    pub secret: String,
    /// `otpauth://totp/…`, the QR code's content.
    pub otpauth_uri: String,
    /// The QR code as an SVG document, made on the server.
    pub qr_svg: String,
}

/// `POST /api/auth/totp/confirm`: the recovery codes, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpConfirmed {
    pub recovery_codes: Vec<String>,
}

/// `SessionInfo::second_factor`: the session waits for a code.
pub const SECOND_FACTOR_REQUIRED: &str = "required";
/// `SessionInfo::second_factor`: the account must enrol before going on.
pub const SECOND_FACTOR_ENROL: &str = "enrol";
