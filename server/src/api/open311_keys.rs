//! Open311 API keys (外部系统接口密钥), managed by the system administrator:
//! one per external tool, named, scoped to an organisation node within the
//! administrator's own scope, rate-limited, stored as the SHA-256 of a
//! random token shown once at issue, and revocable. Every issue, revoke and
//! use is audited.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{SecondsFormat, Utc};
use gongzhi_api::{IssuedOpen311Key, NewOpen311Key, Open311KeyView};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::open311::{parse_key_name, parse_rate, FIELD_KEY_NODE, FIELD_KEY_RATE};
use gongzhi_domain::time::{parse_utc, shanghai_datetime};
use gongzhi_domain::{FieldErrorKind, OrgPath, Problems, Role};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::auth::{random_token, sha256_hex};
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::open311::{self as store, KeyRow, NewKey};

pub const ADMINS: &[Role] = &[Role::SystemAdmin];

fn minutes(raw: &str) -> String {
    parse_utc(raw).map(shanghai_datetime).map(|t| t.chars().take(16).collect()).unwrap_or_default()
}

fn view(k: &KeyRow) -> Open311KeyView {
    Open311KeyView {
        id: k.id,
        name: k.name.clone(),
        org_node_id: k.org_node_id,
        org_node_name: k.org_node_name.clone(),
        rate_per_minute: k.rate_per_minute,
        issued_at: minutes(&k.issued_at),
        issued_by: k.issued_by.clone(),
        revoked_at: k.revoked_at.as_deref().map(minutes),
        last_used_at: k.last_used_at.as_deref().map(minutes),
    }
}

/// `GET /api/open311-keys`: the keys scoped within the administrator's scope.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<Open311KeyView>> {
    let user = user.require(&state, ADMINS, AuditAction::Open311KeyList).await?;
    let rows = store::list_keys(&state.db, user.scope.as_str()).await?;
    Ok(Json(rows.iter().map(view).collect()))
}

/// `POST /api/open311-keys`: 201 with the key and its token (shown this once).
pub async fn issue(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewOpen311Key>,
) -> Result<(StatusCode, Json<IssuedOpen311Key>), AppError> {
    let user = user.require(&state, ADMINS, AuditAction::Open311KeyIssue).await?;
    let mut p = Problems::new();
    let name = p.take(parse_key_name(&body.name));
    let node = p.take(FIELD_KEY_NODE.required_id(body.org_node_id.as_str()));
    let rate = match body.rate_per_minute.as_str().trim() {
        "" => p.take(parse_rate(None)),
        raw => match raw.parse::<i64>() {
            Ok(n) => p.take(parse_rate(Some(n))),
            Err(_) => p.take(Err(FIELD_KEY_RATE.error(FieldErrorKind::NotAnInteger { raw: raw.to_string() }))),
        },
    };
    // The node must exist and lie within the administrator's own scope.
    let node = match node {
        Some(id) => match store::node_path(&state.db, id).await? {
            Some(path) if OrgPath::parse(&path).is_some_and(|p| user.sees(&p)) => Some(id),
            Some(_) => p.take(Err(FIELD_KEY_NODE.error(FieldErrorKind::OutsideScope))),
            None => p.take(Err(FIELD_KEY_NODE.error(FieldErrorKind::UnknownOption { raw: id.to_string() }))),
        },
        None => None,
    };
    let (name, node, rate) = p.into_result(|| Some((name?, node?, rate?))).map_err(|e| AppError::fields(&e))?;
    let token = random_token();
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let mut tx = state.write_tx().await?;
    let new = NewKey {
        name: &name,
        token_sha256: &sha256_hex(&token),
        org_node_id: node,
        rate_per_minute: rate,
        issued_by: user.account_id,
        at: &at,
    };
    let id = store::insert_key(&mut tx, &new).await?;
    // The token itself is never written anywhere but the answer.
    let detail = serde_json::json!({ "name": name, "org_node": node, "rate_per_minute": rate });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::Open311KeyIssue, format!("open311_key:{id}")).detail(detail),
    )
    .await?;
    let key = store::key(&mut tx, id).await?.ok_or_else(|| AppError::internal("issued key vanished"))?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(IssuedOpen311Key { key: view(&key), token })))
}

/// `POST /api/open311-keys/{id}/revoke`: the key stops working at once; a
/// second revoke answers the key as it is.
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Open311KeyView> {
    let user = user.require(&state, ADMINS, AuditAction::Open311KeyRevoke).await?;
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let mut tx = state.write_tx().await?;
    let key = match store::key(&mut tx, id).await? {
        Some(k) if OrgPath::parse(&k.path).is_some_and(|p| user.sees(&p)) => k,
        _ => {
            drop(tx);
            return Err(user.out_of_scope(&state, AuditAction::Open311KeyRevoke, format!("open311_key:{id}")).await);
        }
    };
    if store::revoke_key(&mut tx, id, user.account_id, &at).await? {
        let detail = serde_json::json!({ "name": key.name });
        audit::append(
            &mut tx,
            &user.who(),
            &Event::success(AuditAction::Open311KeyRevoke, format!("open311_key:{id}")).detail(detail),
        )
        .await?;
    }
    let key = store::key(&mut tx, id).await?.ok_or_else(|| AppError::internal("revoked key vanished"))?;
    tx.commit().await?;
    Ok(Json(view(&key)))
}
