//! Accounts (账号管理), for the system administrator only. The system
//! administrator cannot read the audit trail (三员分立); every change here is
//! recorded in it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use gongzhi_api::{AccountView, NewAccountRequest, ResetPasswordRequest};
use gongzhi_domain::account::{check_binding, check_manageable, NewAccount, FIELD_DEPARTMENT, FIELD_ORG_NODE};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::{Password, Username, FIELD_PASSWORD, FIELD_USERNAME};
use gongzhi_domain::{FieldErrorKind, OrgLevel, OrgPath, Role};

use crate::audit::{self, Event, Outcome};
use crate::auth::password;
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store;
use crate::store::accounts::{load_account_view, NewAccountRow};

const ADMIN: &[Role] = &[Role::SystemAdmin];

/// The account by id if it lies within the caller's scope; else 404 (audited).
async fn scoped(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<AccountView, AppError> {
    let row = store::accounts::get_with_path(&mut *state.db.acquire().await?, id).await?;
    match row {
        Some((account, path)) if OrgPath::parse(&path).is_some_and(|p| user.sees(&p)) => Ok(account),
        _ => Err(user.out_of_scope(state, action, format!("account:{id}")).await),
    }
}

/// Refuses (403, audited) to act on an account of the three administrators'
/// roles: 三员分立 means no administrator manages another's account.
async fn ensure_manageable(
    state: &AppState,
    user: &CurrentUser,
    target: Role,
    action: AuditAction,
    object: String,
) -> Result<(), AppError> {
    let Err(e) = check_manageable(target) else { return Ok(()) };
    let detail = serde_json::json!({ "reason": "admin_role", "target_role": target.code() });
    audit::record(state, &user.who(), &Event::new(action, object, Outcome::Denied).detail(detail)).await?;
    Err(AppError::domain(StatusCode::FORBIDDEN, &e))
}

/// `GET /api/accounts`
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<AccountView>> {
    let user = user.require(&state, ADMIN, AuditAction::AccountList).await?;
    // The accounts Open311 keys report through are managed as keys, not here.
    let conn = &mut *state.db.acquire().await?;
    Ok(Json(store::accounts::list_under(conn, user.scope.as_str(), store::open311::CLIENT_ROLE).await?))
}

/// `GET /api/accounts/{id}`
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<AccountView> {
    let user = user.require(&state, ADMIN, AuditAction::AccountRead).await?;
    Ok(Json(scoped(&state, &user, id, AuditAction::AccountRead).await?))
}

/// `POST /api/accounts`: the new account must change its password at first login.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<NewAccountRequest>,
) -> Result<(StatusCode, Json<AccountView>), AppError> {
    let user = user.require(&state, ADMIN, AuditAction::AccountCreate).await?;
    let new = NewAccount::parse(
        req.username.as_str(),
        req.display_name.as_str(),
        req.role.as_str(),
        req.org_node_id.as_str(),
        req.department_id.as_str(),
        req.password.as_str(),
    )
    .map_err(|e| AppError::fields(&e))?;
    ensure_manageable(
        &state,
        &user,
        new.role,
        AuditAction::AccountCreate,
        format!("account:{}", new.username.as_str()),
    )
    .await?;

    // The node must exist within the admin's scope and fit the role.
    let node = store::accounts::node(&mut *state.db.acquire().await?, new.org_node_id).await?;
    let exists = node.is_some();
    let Some(node) = node.filter(|n| OrgPath::parse(&n.path).is_some_and(|p| user.sees(&p))) else {
        if exists {
            user.audit_foreign_reference(&state, AuditAction::AccountCreate, format!("org_node:{}", new.org_node_id))
                .await?;
        }
        let raw = new.org_node_id.to_string();
        return Err(AppError::unprocessable(&[FIELD_ORG_NODE.error(FieldErrorKind::UnknownOption { raw })]));
    };
    let level = OrgLevel::from_code(&node.level).ok_or_else(|| AppError::internal("unknown level"))?;
    check_binding(new.role, level).map_err(|e| AppError::unprocessable(&[e]))?;
    if let Some(dept) = new.department_id {
        // A department outside the admin's scope reads as unknown (its
        // existence is not revealed); one at another node than the account's
        // would let a district account act for a city department.
        let dept_node = store::accounts::department_node(&mut *state.db.acquire().await?, dept).await?;
        match dept_node {
            Some((node_id, path)) if OrgPath::parse(&path).is_some_and(|p| user.sees(&p)) => {
                if node_id != new.org_node_id {
                    return Err(AppError::unprocessable(&[FIELD_DEPARTMENT.error(FieldErrorKind::InvalidFormat {
                        expected: "职能部门须属于该账号的所属单位",
                    })]));
                }
            }
            found => {
                if found.is_some() {
                    user.audit_foreign_reference(&state, AuditAction::AccountCreate, format!("department:{dept}"))
                        .await?;
                }
                let raw = dept.to_string();
                return Err(AppError::unprocessable(&[FIELD_DEPARTMENT.error(FieldErrorKind::UnknownOption { raw })]));
            }
        }
    }

    let hash = password::hash(&new.password).await?;
    let now = Utc::now().to_rfc3339();
    let row = NewAccountRow {
        username: new.username.as_str(),
        display_name: &new.display_name,
        role: new.role.code(),
        org_node_id: new.org_node_id,
        department_id: new.department_id,
        password_hash: &hash,
        at: &now,
    };
    let mut tx = state.write_tx().await?;
    // The unique index decides, not a check-then-insert.
    let Some(id) = store::accounts::insert(&mut tx, &row).await? else {
        let raw = new.username.as_str().to_string();
        return Err(AppError::unprocessable(&[FIELD_USERNAME.error(FieldErrorKind::Taken { raw })]));
    };
    let detail = serde_json::json!({ "username": new.username.as_str(), "role": new.role.code(), "org_node_id": new.org_node_id });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::AccountCreate, format!("account:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load_account_view(&state.db, id).await?)))
}

async fn set_disabled(state: AppState, user: CurrentUser, id: i64, disabled: bool) -> ApiResult<AccountView> {
    let action = if disabled { AuditAction::AccountDisable } else { AuditAction::AccountEnable };
    let user = user.require(&state, ADMIN, action).await?;
    let account = scoped(&state, &user, id, action).await?;
    ensure_manageable(&state, &user, role_of(&account)?, action, format!("account:{id}")).await?;
    if disabled && id == user.account_id {
        let e = gongzhi_domain::Field::new("id", "账号")
            .error(FieldErrorKind::InvalidFormat { expected: "不能停用自己的账号" });
        return Err(AppError::unprocessable(&[e]));
    }
    let mut tx = state.write_tx().await?;
    store::accounts::set_disabled(&mut tx, id, disabled, &Utc::now().to_rfc3339()).await?;
    if disabled {
        // Disabling ends every session of the account at once.
        store::accounts::end_sessions(&mut tx, id).await?;
    }
    audit::append(&mut tx, &user.who(), &Event::success(action, format!("account:{id}"))).await?;
    tx.commit().await?;
    Ok(Json(load_account_view(&state.db, id).await?))
}

fn role_of(account: &AccountView) -> Result<Role, AppError> {
    Role::from_code(&account.role).ok_or_else(|| AppError::internal(format!("unknown role {}", account.role)))
}

/// `POST /api/accounts/{id}/disable`
pub async fn disable(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<AccountView> {
    set_disabled(state, user, id, true).await
}

/// `POST /api/accounts/{id}/enable`
pub async fn enable(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<AccountView> {
    set_disabled(state, user, id, false).await
}

/// `POST /api/accounts/{id}/reset-password`: sets a temporary password, ends
/// the account's sessions, lifts a lock; the person must change it at login.
pub async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<ResetPasswordRequest>,
) -> ApiResult<AccountView> {
    let user = user.require(&state, ADMIN, AuditAction::AccountResetPassword).await?;
    let account = scoped(&state, &user, id, AuditAction::AccountResetPassword).await?;
    let role = role_of(&account)?;
    ensure_manageable(&state, &user, role, AuditAction::AccountResetPassword, format!("account:{id}")).await?;
    let username = Username::parse(&account.username).map_err(|e| AppError::internal(e.to_string()))?;
    let new = Password::parse(FIELD_PASSWORD, req.password.as_str(), Some(&username), Some(role))
        .map_err(|e| AppError::fields(&[e]))?;
    let hash = password::hash(&new).await?;
    let mut tx = state.write_tx().await?;
    store::accounts::reset_password(&mut tx, id, &hash, &Utc::now().to_rfc3339()).await?;
    store::accounts::end_sessions(&mut tx, id).await?;
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::AccountResetPassword, format!("account:{id}")))
        .await?;
    tx.commit().await?;
    Ok(Json(load_account_view(&state.db, id).await?))
}
