//! Login, logout, the current session, and changing one's own password.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use gongzhi_api::{ChangePasswordRequest, LoginRequest, SessionInfo};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::{LoginError, LoginInput, Password, Username, FIELD_NEW_PASSWORD};
use gongzhi_domain::{FieldErrorKind, Role};

use crate::audit::{self, Event, Outcome, Who};
use crate::auth::client::ClientAddr;
use crate::auth::session::session_info;
use crate::auth::session::{session_cookie, CurrentUser};
use crate::auth::{password, random_token, sha256_hex, throttle};
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::accounts::load_account_view;
use crate::store::sessions;

/// `POST /api/auth/login`
///
/// Every attempt is counted before its password is checked, inside one write
/// transaction (`failed_logins = failed_logins + 1`), so parallel guesses each
/// count; an unknown name is counted and locked the same way (no oracle), and
/// the client address is throttled across names. Hashing runs under a bound
/// on how many at once (`AppState::hashing`).
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(req): JsonBody<LoginRequest>,
) -> Result<Response, AppError> {
    let input = LoginInput::parse(req.username.as_str(), req.password.as_str()).map_err(|e| AppError::fields(&e))?;
    let who = Who::anonymous(&client, Some(input.tried_name.as_str()));
    let policy = state.policy();
    let now = Utc::now();

    let address = throttle::address_failures(&state, &client, now).await?;
    if !policy.address_may_try(address.failures) {
        let event = Event::new(AuditAction::AuthLogin, "account:?", Outcome::Denied)
            .detail(serde_json::json!({ "reason": "address_throttled" }));
        audit::record(&state, &who, &event).await?;
        return Err(LoginError::TooManyAttempts { until: address.window_until }.into());
    }

    // Malformed names cannot exist, but are counted and hashed like any other.
    let account = match Username::parse(&input.tried_name) {
        Ok(u) => sessions::login_account(&state.db, u.as_str()).await?,
        Err(_) => None,
    };
    let target = match &account {
        Some(a) => throttle::Target::Account(a.id),
        None => throttle::Target::Name(&input.tried_name),
    };
    let object = match &account {
        Some(a) => format!("account:{}", a.id),
        None => "account:?".to_string(),
    };
    let who = Who { role: account.as_ref().and_then(|a| Role::from_code(&a.role)), ..who };

    let attempt = throttle::reserve(&state, &target, &policy, now).await?;
    let last = match attempt {
        throttle::Reserved::Locked(until) => {
            let event = Event::new(AuditAction::AuthLogin, object, Outcome::Denied)
                .detail(serde_json::json!({ "reason": "locked" }));
            audit::record(&state, &who, &event).await?;
            return Err(LoginError::Locked { until }.into());
        }
        throttle::Reserved::Attempt(last) => last,
    };

    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let permit = state.hashing_permit().await.ok_or(LoginError::ServerBusy)?;
    let matches = password::verify(&input.password, stored.as_deref().unwrap_or(password::DUMMY_HASH)).await;
    drop(permit);
    let Some(account) = account.filter(|_| matches) else {
        let mut tx = state.write_tx().await?;
        let locked_until = throttle::failed(&mut tx, &target, &client, last, &policy, now).await?;
        let detail = serde_json::json!({ "locked_until": locked_until.map(|t| t.to_rfc3339()) });
        audit::append(&mut tx, &who, &Event::new(AuditAction::AuthLogin, object, Outcome::Failure).detail(detail))
            .await?;
        tx.commit().await?;
        return Err(match locked_until {
            Some(until) => LoginError::Locked { until },
            None => LoginError::BadCredentials,
        }
        .into());
    };
    let account_id = account.id;
    if account.disabled != 0 {
        throttle::succeeded(&state, account_id).await?;
        let event = Event::new(AuditAction::AuthLogin, object, Outcome::Denied)
            .detail(serde_json::json!({ "reason": "disabled" }));
        audit::record(&state, &who, &event).await?;
        return Err(LoginError::Disabled.into());
    }

    // A new session id at every login (no fixation).
    let token = random_token();
    let csrf = random_token();
    let now_s = now.to_rfc3339();
    let mut tx = state.write_tx().await?;
    sessions::start(&mut tx, account_id, (&sha256_hex(&token), &csrf), &now_s, &client).await?;
    audit::append(&mut tx, &who, &Event::success(AuditAction::AuthLogin, object)).await?;
    let second_factor = crate::auth::totp::after_password(&mut tx, &state, &sha256_hex(&token), account_id).await?;
    tx.commit().await?;

    let account = load_account_view(&state.db, account_id).await?;
    let info = SessionInfo { second_factor, ..session_info(account, csrf) };
    Ok(([session_cookie(Some(&token), state.secure_cookies)], Json(info)).into_response())
}

/// `GET /api/auth/me`
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<SessionInfo> {
    let account = load_account_view(&state.db, user.account_id).await?;
    let second_factor = crate::auth::totp::state_of(&user);
    Ok(Json(SessionInfo { second_factor, ..session_info(account, user.csrf_token) }))
}

/// `POST /api/auth/logout`
pub async fn logout(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let mut tx = state.write_tx().await?;
    sessions::end(&mut tx, &user.token_hash).await?;
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::AuthLogout, format!("account:{}", user.account_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(([session_cookie(None, state.secure_cookies)], StatusCode::NO_CONTENT).into_response())
}

/// `POST /api/auth/password`: change one's own password (required after an
/// administrator set or reset it). Other sessions of the account end.
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<ChangePasswordRequest>,
) -> ApiResult<SessionInfo> {
    let username = Username::parse(&user.username).map_err(|e| AppError::internal(e.to_string()))?;
    let new = Password::parse(FIELD_NEW_PASSWORD, req.new_password.as_str(), Some(&username), Some(user.role))
        .map_err(|e| AppError::fields(&[e]))?;
    let stored = sessions::password_hash(&state.db, user.account_id).await?;
    let permit = state.hashing_permit().await.ok_or(LoginError::ServerBusy)?;
    let matches = password::verify(req.current_password.as_str(), &stored).await;
    drop(permit);
    if !matches {
        let wrong = gongzhi_domain::Field::new("current_password", "当前密码")
            .error(FieldErrorKind::InvalidFormat { expected: "与当前密码不符" });
        return Err(AppError::unprocessable(&[wrong]));
    }
    if req.current_password.as_str() == req.new_password.as_str() {
        return Err(AppError::unprocessable(&[FIELD_NEW_PASSWORD
            .error(FieldErrorKind::InvalidFormat { expected: "新密码不能与当前密码相同" })]));
    }
    let hash = password::hash(&new).await?;
    let mut tx = state.write_tx().await?;
    sessions::set_own_password(&mut tx, user.account_id, &hash, &Utc::now().to_rfc3339(), &user.token_hash).await?;
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::AuthPasswordChange, format!("account:{}", user.account_id)),
    )
    .await?;
    tx.commit().await?;
    let account = load_account_view(&state.db, user.account_id).await?;
    let second_factor = crate::auth::totp::state_of(&user);
    Ok(Json(SessionInfo { second_factor, ..session_info(account, user.csrf_token) }))
}
