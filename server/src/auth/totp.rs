//! Two-factor sign-in (双因素认证, 等保 2.0 第三级 for administrators): TOTP
//! (RFC 6238: HMAC-SHA1, 6 digits, 30 s, ±1 step, by `totp-rs`) and
//! single-use recovery codes.
//!
//! - Enrolment: `POST /auth/totp/enrol` makes a secret (160 bits), stores it
//!   encrypted ([`crate::keys::Keys::seal_secret`]) and shows it once with a
//!   QR code drawn here as SVG; `POST /auth/totp/confirm` proves it with a
//!   code, and answers ten recovery codes, shown once, stored as keyed MACs.
//! - Sign-in: after the password, an enrolled account's session is
//!   *pending* ([`after_password`]) and reaches only `/auth/me`,
//!   `/auth/totp/verify` and `/auth/logout` ([`gate`]). A wrong code counts
//!   as a failed login toward the lockout; a code is accepted once (its time
//!   step must be newer than the last one used).
//! - Administrators (`gongzhi_domain::totp::required_for`) who have not
//!   enrolled must do so before anything else when `GONGZHI_ADMIN_TOTP` is
//!   `required`.
//!
//! Every step is audited (`auth.totp_enrol`, `auth.totp_confirm`,
//! `auth.totp_verify`, `auth.recovery_code`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use gongzhi_api::{
    SessionInfo, TotpCodeRequest, TotpConfirmed, TotpEnrolment, SECOND_FACTOR_ENROL, SECOND_FACTOR_REQUIRED,
};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::LoginError;
use gongzhi_domain::totp::{
    required_for, OneTimeCode, SecondFactorError, RECOVERY_CODES, TOTP_DIGITS, TOTP_STEP_SECONDS,
};
use sqlx::{AnyConnection, Row};
use totp_rs::{Algorithm, TOTP};

use super::constant_time_eq;
use super::session::CurrentUser;
use super::throttle;
use crate::audit::{self, Event, Outcome};
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;

/// What a pending session may reach (inside the `/api` router).
const PENDING_PATHS: [&str; 3] = ["/auth/me", "/auth/totp/verify", "/auth/logout"];
/// What an administrator who must enrol may reach.
const ENROL_PATHS: [&str; 5] = ["/auth/me", "/auth/logout", "/auth/password", "/auth/totp/enrol", "/auth/totp/confirm"];

impl From<SecondFactorError> for AppError {
    fn from(e: SecondFactorError) -> Self {
        let status = match e {
            SecondFactorError::Required | SecondFactorError::EnrolmentRequired => StatusCode::FORBIDDEN,
            SecondFactorError::BadCode => StatusCode::UNAUTHORIZED,
            SecondFactorError::AlreadyEnrolled | SecondFactorError::NotStarted | SecondFactorError::NotPending => {
                StatusCode::CONFLICT
            }
        };
        Self::domain(status, &e)
    }
}

/// The second-factor state of a signed-in session, for `SessionInfo`.
pub fn state_of(user: &CurrentUser) -> Option<String> {
    if user.second_factor_pending {
        Some(SECOND_FACTOR_REQUIRED.into())
    } else if user.must_enrol_second_factor {
        Some(SECOND_FACTOR_ENROL.into())
    } else {
        None
    }
}

/// Refuses what a session may not reach before its second factor.
pub fn gate(user: &CurrentUser, path: &str) -> Result<(), AppError> {
    if user.second_factor_pending && !PENDING_PATHS.contains(&path) {
        return Err(SecondFactorError::Required.into());
    }
    if user.must_enrol_second_factor && !user.must_change_password && !ENROL_PATHS.contains(&path) {
        return Err(SecondFactorError::EnrolmentRequired.into());
    }
    Ok(())
}

/// Whether an account of `role`, enrolled or not, must enrol now.
pub fn must_enrol(state: &AppState, role: gongzhi_domain::Role, enrolled: bool) -> bool {
    state.admin_totp_required && required_for(role) && !enrolled
}

/// After the password step of a login, inside its transaction: an enrolled
/// account's new session waits for the code. Answers the session's state.
pub async fn after_password(
    conn: &mut AnyConnection,
    state: &AppState,
    token_hash: &str,
    account_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.role,
                CASE WHEN EXISTS(SELECT 1 FROM account_totp t WHERE t.account_id = a.id AND t.confirmed_at IS NOT NULL)
                THEN 1 ELSE 0 END AS enrolled
         FROM accounts a WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(&mut *conn)
    .await?;
    let enrolled = crate::db::flag(&row, "enrolled");
    if enrolled {
        sqlx::query("UPDATE sessions SET second_factor_pending = 1 WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *conn)
            .await?;
        return Ok(Some(SECOND_FACTOR_REQUIRED.into()));
    }
    let role = gongzhi_domain::Role::from_code(row.get("role"));
    Ok(role.filter(|r| must_enrol(state, *r, false)).map(|_| SECOND_FACTOR_ENROL.into()))
}

fn totp(secret: Vec<u8>) -> Result<TOTP, AppError> {
    TOTP::new(Algorithm::SHA1, TOTP_DIGITS, 1, TOTP_STEP_SECONDS, secret).map_err(AppError::internal)
}

/// The time step a code matches (now ±1 step, newer than `last_step`).
fn matching_step(totp: &TOTP, code: &str, last_step: i64) -> Option<i64> {
    let now = Utc::now().timestamp().max(0) as u64 / TOTP_STEP_SECONDS;
    (now.saturating_sub(1)..=now + 1)
        .filter(|s| *s as i64 > last_step)
        .find(|s| constant_time_eq(&totp.generate(s * TOTP_STEP_SECONDS), code))
        .map(|s| s as i64)
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Ten recovery codes, `xxxxx-xxxxx` over 32 unambiguous letters and digits
/// (50 bits each).
fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789z";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            getrandom::fill(&mut bytes).expect("the operating system provides randomness");
            let chars: String = bytes.iter().map(|b| ALPHABET[usize::from(b & 31)] as char).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// `POST /api/auth/totp/enrol`: a new secret for the signed-in account.
pub async fn enrol(State(state): State<AppState>, user: CurrentUser) -> ApiResult<TotpEnrolment> {
    let confirmed: Option<Option<String>> =
        sqlx::query_scalar("SELECT confirmed_at FROM account_totp WHERE account_id = $1")
            .bind(user.account_id)
            .fetch_optional(&state.db)
            .await?;
    if matches!(confirmed, Some(Some(_))) {
        return Err(SecondFactorError::AlreadyEnrolled.into());
    }
    let mut secret = vec![0u8; 20];
    getrandom::fill(&mut secret).expect("the operating system provides randomness");
    let sealed = state.keys.seal_secret(user.account_id, &secret);
    let t = totp(secret)?;
    let base32 = t.get_secret_base32();
    let label = percent(&format!("共治:{}", user.username));
    let otpauth_uri = format!(
        "otpauth://totp/{label}?secret={base32}&issuer={}&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP_SECONDS}",
        percent("共治")
    );
    let qr = qrcode::QrCode::with_error_correction_level(otpauth_uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(AppError::internal)?;
    let svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    let qr_svg = svg.find("<svg").map(|i| svg[i..].to_string()).unwrap_or(svg);

    let mut tx = state.write_tx().await?;
    sqlx::query(
        "INSERT INTO account_totp (account_id, secret_enc, created_at) VALUES ($1, $2, $3)
         ON CONFLICT(account_id) DO UPDATE SET secret_enc = excluded.secret_enc, created_at = excluded.created_at
         WHERE account_totp.confirmed_at IS NULL",
    )
    .bind(user.account_id)
    .bind(&sealed)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::AuthTotpEnrol, format!("account:{}", user.account_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(TotpEnrolment { secret: base32, otpauth_uri, qr_svg }))
}

/// The account's secret, decrypted; `None` when not enrolled (or not started).
async fn secret_of(state: &AppState, account_id: i64, confirmed: bool) -> Result<Option<(Vec<u8>, i64)>, AppError> {
    let row = sqlx::query("SELECT secret_enc, last_step, confirmed_at FROM account_totp WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&state.db)
        .await?;
    let Some(row) = row else { return Ok(None) };
    if row.get::<Option<String>, _>("confirmed_at").is_some() != confirmed {
        return Ok(None);
    }
    let secret = state
        .keys
        .open_secret(account_id, row.get("secret_enc"))
        .ok_or_else(|| AppError::internal("TOTP secret does not decrypt with this key"))?;
    Ok(Some((secret, row.get("last_step"))))
}

/// `POST /api/auth/totp/confirm`: the first code proves the app has the
/// secret; answers the recovery codes (shown once).
pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<TotpCodeRequest>,
) -> ApiResult<TotpConfirmed> {
    let code = OneTimeCode::parse_totp(req.code.as_str()).map_err(|e| AppError::fields(&[e]))?;
    let Some((secret, last_step)) = secret_of(&state, user.account_id, false).await? else {
        return Err(SecondFactorError::NotStarted.into());
    };
    let object = format!("account:{}", user.account_id);
    let Some(step) = matching_step(&totp(secret)?, &code, last_step) else {
        audit::record(&state, &user.who(), &Event::new(AuditAction::AuthTotpConfirm, object, Outcome::Failure)).await?;
        return Err(AppError::domain(StatusCode::UNPROCESSABLE_ENTITY, &SecondFactorError::BadCode));
    };
    let codes = recovery_codes();
    let mut tx = state.write_tx().await?;
    let done = sqlx::query(
        "UPDATE account_totp SET confirmed_at = $1, last_step = $2 WHERE account_id = $3 AND confirmed_at IS NULL",
    )
    .bind(Utc::now().to_rfc3339())
    .bind(step)
    .bind(user.account_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(SecondFactorError::AlreadyEnrolled.into());
    }
    sqlx::query("DELETE FROM totp_recovery_codes WHERE account_id = $1")
        .bind(user.account_id)
        .execute(&mut *tx)
        .await?;
    for c in &codes {
        sqlx::query("INSERT INTO totp_recovery_codes (account_id, code_mac) VALUES ($1, $2)")
            .bind(user.account_id)
            .bind(state.keys.recovery_mac(c))
            .execute(&mut *tx)
            .await?;
    }
    let detail = serde_json::json!({ "recovery_codes": codes.len() });
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::AuthTotpConfirm, object).detail(detail)).await?;
    tx.commit().await?;
    Ok(Json(TotpConfirmed { recovery_codes: codes }))
}

/// `POST /api/auth/totp/verify`: the second step of a login. A wrong code
/// counts toward the lockout like a wrong password.
pub async fn verify(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<TotpCodeRequest>,
) -> ApiResult<SessionInfo> {
    if !user.second_factor_pending {
        return Err(SecondFactorError::NotPending.into());
    }
    let code = OneTimeCode::parse(req.code.as_str()).map_err(|e| AppError::fields(&[e]))?;
    let object = format!("account:{}", user.account_id);
    let policy = state.policy();
    let now = Utc::now();
    // Counted before the code is checked, as a password is: parallel guesses each count.
    let target = throttle::Target::Account(user.account_id);
    let last = match throttle::reserve(&state, &target, &policy, now).await? {
        throttle::Reserved::Attempt(last) => last,
        throttle::Reserved::Locked(until) => {
            let mut tx = state.write_tx().await?;
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&user.token_hash).execute(&mut *tx).await?;
            let event = Event::new(AuditAction::AuthTotpVerify, object, Outcome::Denied)
                .detail(serde_json::json!({ "reason": "locked" }));
            audit::append(&mut tx, &user.who(), &event).await?;
            tx.commit().await?;
            return Err(LoginError::Locked { until }.into());
        }
    };
    let Some((secret, last_step)) = secret_of(&state, user.account_id, true).await? else {
        return Err(SecondFactorError::NotPending.into());
    };

    let mut tx = state.write_tx().await?;
    let (action, accepted) = match &code {
        OneTimeCode::Totp(c) => match matching_step(&totp(secret)?, c, last_step) {
            Some(step) => {
                // Only if no other request used this step meanwhile.
                let r = sqlx::query("UPDATE account_totp SET last_step = $1 WHERE account_id = $2 AND last_step < $3")
                    .bind(step)
                    .bind(user.account_id)
                    .bind(step)
                    .execute(&mut *tx)
                    .await?;
                (AuditAction::AuthTotpVerify, r.rows_affected() == 1)
            }
            None => (AuditAction::AuthTotpVerify, false),
        },
        OneTimeCode::Recovery(c) => {
            let r = sqlx::query(
                "UPDATE totp_recovery_codes SET used_at = $1 WHERE account_id = $2 AND code_mac = $3 AND used_at IS NULL",
            )
            .bind(now.to_rfc3339())
            .bind(user.account_id)
            .bind(state.keys.recovery_mac(c))
            .execute(&mut *tx)
            .await?;
            (AuditAction::AuthRecoveryCode, r.rows_affected() == 1)
        }
    };
    if !accepted {
        let locked_until = throttle::failed(&mut tx, &target, &user.client, last, &policy, now).await?;
        if locked_until.is_some() {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&user.token_hash).execute(&mut *tx).await?;
        }
        let detail = serde_json::json!({ "locked_until": locked_until.map(|t| t.to_rfc3339()) });
        audit::append(&mut tx, &user.who(), &Event::new(action, object, Outcome::Failure).detail(detail)).await?;
        tx.commit().await?;
        return Err(match locked_until {
            Some(until) => LoginError::Locked { until }.into(),
            None => SecondFactorError::BadCode.into(),
        });
    }
    sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(user.account_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE sessions SET second_factor_pending = 0 WHERE token_hash = $1")
        .bind(&user.token_hash)
        .execute(&mut *tx)
        .await?;
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM totp_recovery_codes WHERE account_id = $1 AND used_at IS NULL")
            .bind(user.account_id)
            .fetch_one(&mut *tx)
            .await?;
    let detail = serde_json::json!({ "recovery_codes_left": left });
    audit::append(&mut tx, &user.who(), &Event::success(action, object).detail(detail)).await?;
    tx.commit().await?;
    let account = crate::store::accounts::load_account_view(&state.db, user.account_id).await?;
    let mut info = crate::auth::session::session_info(account, user.csrf_token);
    info.second_factor = None;
    Ok(Json(info))
}
