//! The security policy (安全策略), for the security administrator.

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use gongzhi_api::{PolicyRequest, PolicyView};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::SecurityPolicy;
use gongzhi_domain::Role;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;

/// `GET /api/security/policy`
pub async fn get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<PolicyView> {
    user.require(&state, &[Role::SecurityAdmin], AuditAction::SecurityPolicyRead).await?;
    Ok(Json(state.policy()))
}

/// `PUT /api/security/policy`
pub async fn put(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<PolicyRequest>,
) -> ApiResult<PolicyView> {
    let user = user.require(&state, &[Role::SecurityAdmin], AuditAction::SecurityPolicyUpdate).await?;
    let policy = SecurityPolicy::parse([
        req.max_failures.as_str(),
        req.lock_minutes.as_str(),
        req.idle_minutes.as_str(),
        req.absolute_hours.as_str(),
    ])
    .map_err(|e| AppError::fields(&e))?;
    let before = state.policy();
    let mut tx = state.write_tx().await?;
    crate::store::security::save_policy(&mut tx, &policy, &Utc::now().to_rfc3339()).await?;
    let detail = serde_json::json!({ "before": before, "after": policy });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::SecurityPolicyUpdate, "security_policy").detail(detail),
    )
    .await?;
    tx.commit().await?;
    state.set_policy(policy);
    Ok(Json(policy))
}
