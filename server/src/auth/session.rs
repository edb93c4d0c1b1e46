//! Sessions: the cookie, the [`CurrentUser`] extractor and role/scope checks.
//!
//! The cookie holds a random token; the database holds only its SHA-256. Each
//! session also has a CSRF token, returned to the app at login and on
//! `GET /api/auth/me`, that every state-changing request must echo in the
//! `X-CSRF-Token` header.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use chrono::{Duration, Utc};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::AccessError;
use gongzhi_domain::time::parse_utc;
use gongzhi_domain::DomainError;
use gongzhi_domain::{OrgPath, Role};

use super::client::ClientAddr;
use super::{constant_time_eq, sha256_hex};
use crate::audit::{self, Event, Outcome, Who};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::sessions;

pub const COOKIE_NAME: &str = "gongzhi_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Paths an account that must change its initial password may still use
/// (as seen inside the `/api` router, which strips its prefix).
const PASSWORD_CHANGE_PATHS: [&str; 3] = ["/auth/me", "/auth/password", "/auth/logout"];

/// The signed-in account behind a request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_node_id: i64,
    /// The account's node: it sees this node and below.
    pub scope: OrgPath,
    pub department_id: Option<i64>,
    pub csrf_token: String,
    pub must_change_password: bool,
    /// The password step passed; the second factor has not ([`super::totp`]).
    pub second_factor_pending: bool,
    /// An administrator who must enrol a second factor before going on.
    pub must_enrol_second_factor: bool,
    pub client: String,
    pub token_hash: String,
}

impl CurrentUser {
    pub fn who(&self) -> Who {
        Who { actor: Some(self.username.clone()), role: Some(self.role), client: self.client.clone() }
    }

    /// Passes when the account has one of `roles`; otherwise records the
    /// refusal and answers 403.
    pub async fn require(self, state: &AppState, roles: &[Role], action: AuditAction) -> Result<Self, AppError> {
        if roles.contains(&self.role) {
            return Ok(self);
        }
        let event = Event::new(action, "route", Outcome::Denied).detail(serde_json::json!({ "reason": "role" }));
        audit::record(state, &self.who(), &event).await?;
        Err(AccessError::Forbidden.into())
    }

    /// Whether a record at `path` is within this account's scope.
    pub fn sees(&self, path: &OrgPath) -> bool {
        self.scope.contains(path)
    }

    /// Records a write that names a record outside the scope (answered 422
    /// by the caller, like an unknown id, so its existence is not revealed).
    pub async fn audit_foreign_reference(
        &self,
        state: &AppState,
        action: AuditAction,
        object: String,
    ) -> Result<(), AppError> {
        let event = Event::new(action, object, Outcome::Denied).detail(serde_json::json!({ "reason": "scope" }));
        audit::record(state, &self.who(), &event).await
    }

    /// Records a reach outside the scope and answers 404, so the record's
    /// existence is not revealed.
    pub async fn out_of_scope(&self, state: &AppState, action: AuditAction, object: String) -> AppError {
        let event = Event::new(action, object, Outcome::Denied).detail(serde_json::json!({ "reason": "scope" }));
        match audit::record(state, &self.who(), &event).await {
            Ok(()) => AccessError::NotFound.into(),
            Err(e) => e,
        }
    }
}

/// The value of cookie `name`, if sent.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `Set-Cookie` for a new session, or (with `None`) one that clears it.
pub fn session_cookie(token: Option<&str>, secure: bool) -> (axum::http::HeaderName, HeaderValue) {
    let secure = if secure { "; Secure" } else { "" };
    let value = match token {
        Some(t) => format!("{COOKIE_NAME}={t}; HttpOnly; SameSite=Strict; Path=/{secure}"),
        None => format!("{COOKIE_NAME}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}"),
    };
    (SET_COOKIE, HeaderValue::from_str(&value).expect("cookie is ASCII"))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let ClientAddr(client) = ClientAddr::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
        let token = cookie_value(&parts.headers, COOKIE_NAME).ok_or(AccessError::NotLoggedIn)?;
        let token_hash = sha256_hex(token);
        let row = sessions::by_token(&state.db, &token_hash).await?.ok_or(AccessError::NotLoggedIn)?;

        let now = Utc::now();
        let created = parse_utc(&row.created_at).unwrap_or_default();
        let last_seen = parse_utc(&row.last_seen_at).unwrap_or_default();
        if row.disabled != 0 || !state.policy().session_is_live(created, last_seen, now) {
            sessions::end(&mut *state.db.acquire().await?, &token_hash).await?;
            return Err(AccessError::SessionExpired.into());
        }
        let role =
            Role::from_code(&row.role).ok_or_else(|| AppError::internal(format!("unknown role {}", row.role)))?;
        let user = CurrentUser {
            account_id: row.id,
            username: row.username,
            display_name: row.display_name,
            role,
            org_node_id: row.org_node_id,
            scope: OrgPath::parse(&row.path).ok_or_else(|| AppError::internal("malformed org path"))?,
            department_id: row.department_id,
            csrf_token: row.csrf_token,
            must_change_password: row.must_change_password != 0,
            second_factor_pending: row.second_factor_pending != 0,
            must_enrol_second_factor: super::totp::must_enrol(state, role, row.totp_enrolled != 0),
            client,
            token_hash,
        };

        if !is_safe(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !constant_time_eq(sent, &user.csrf_token) {
                let event = Event::new(AuditAction::AuthCsrf, parts.uri.path().to_string(), Outcome::Denied);
                audit::record(state, &user.who(), &event).await?;
                return Err(AccessError::CsrfMissing.into());
            }
        }
        if user.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&parts.uri.path()) {
            return Err(AccessError::PasswordChangeRequired.into());
        }
        super::totp::gate(&user, parts.uri.path())?;
        // Sliding idle timeout; written at most every 15 s to spare the disk.
        if now - last_seen > Duration::seconds(15) {
            sessions::touch(&state.db, &user.token_hash, &now.to_rfc3339()).await?;
        }
        Ok(user)
    }
}

/// `Option<CurrentUser>` on public routes: the signed-in account when there
/// is a live session, `None` for a visitor (no cookie, an unknown or expired
/// session). Every other refusal of the session still refuses the request.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, AppError> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(e)
                if [AccessError::NotLoggedIn, AccessError::SessionExpired].iter().any(|a| a.code() == e.body.code) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// What the app learns of a signed-in session: the account, its menus and the CSRF token.
pub fn session_info(account: gongzhi_api::AccountView, csrf_token: String) -> gongzhi_api::SessionInfo {
    let menus = Role::from_code(&account.role).map(|r| r.menus()).unwrap_or_default();
    gongzhi_api::SessionInfo {
        menus: menus.iter().map(|m| m.to_string()).collect(),
        account,
        csrf_token,
        second_factor: None,
    }
}
