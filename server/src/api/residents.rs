//! Residents (居民) with personal information masked by role.
//!
//! Lists always show ID and phone numbers masked. A grid member may ask for
//! one resident's full numbers (`?reveal=true`); every such read, and every
//! read that shows a resident of a special group, is audited.

use axum::extract::{Path, Query, State};
use axum::Json;
use gongzhi_api::ResidentView;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::AccessError;
use gongzhi_domain::org::SpecialGroup;
use gongzhi_domain::pii::{IdNumber, PhoneNumber, FIELD_ID_NUMBER, FIELD_PHONE};
use gongzhi_domain::{OrgPath, Role};
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::ApiResult;
use crate::paging::{paged, PageQuery, Paged};
use crate::state::AppState;

const READERS: &[Role] = &[Role::GridMember, Role::Reviewer];

const SELECT: &str = "SELECT r.id, r.name, r.id_number, r.phone, r.address, r.special_group, r.org_node_id,
        n.name AS org_node_name, n.path FROM residents r JOIN org_nodes n ON n.id = r.org_node_id";

/// A resident as `role` may see them: `reveal` shows the full ID and phone
/// numbers (audited by the caller); names are shown in full only to the
/// community's own workers, as on the walk map (`王**` for reviewers).
fn view(row: &AnyRow, role: Role, reveal: bool) -> ResidentView {
    let id_number: String = row.get("id_number");
    let phone: Option<String> = row.get("phone");
    let group = row.get::<Option<String>, _>("special_group");
    // Stored values were parsed on the way in; mask defensively all the same.
    let id_shown = match IdNumber::parse(FIELD_ID_NUMBER, &id_number) {
        Ok(id) if reveal => id.expose().to_string(),
        Ok(id) => id.masked(),
        Err(_) => "******".into(),
    };
    let phone_shown = phone.map(|p| match PhoneNumber::parse(FIELD_PHONE, &p) {
        Ok(p) if reveal => p.expose().to_string(),
        Ok(p) => p.masked(),
        Err(_) => "******".into(),
    });
    ResidentView {
        id: row.get("id"),
        name: if role.may_reveal_personal_data() {
            row.get("name")
        } else {
            gongzhi_domain::pii::masked_name(row.get("name"))
        },
        id_number: id_shown,
        phone: phone_shown,
        address: row.get("address"),
        special_group_label: group.as_deref().and_then(SpecialGroup::from_code).map(|g| g.label().to_string()),
        special_group: group,
        org_node_id: row.get("org_node_id"),
        org_node_name: row.get("org_node_name"),
        masked: !reveal,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListFilter {
    /// Only residents in a special group.
    special_only: Option<bool>,
}

/// `GET /api/residents`: the caller's scope, masked, a page at a time
/// (`?page=&per_page=`, total in `X-Total-Count`).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<ListFilter>,
    Query(pq): Query<PageQuery>,
) -> Paged<ResidentView> {
    let user = user.require(&state, READERS, AuditAction::ResidentList).await?;
    let page = pq.page(200);
    let special = if f.special_only.unwrap_or(false) { " AND r.special_group IS NOT NULL" } else { "" };
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM residents r JOIN org_nodes n ON n.id = r.org_node_id WHERE n.path LIKE $1 || '%'{special}"
    ))
    .bind(user.scope.as_str())
    .fetch_one(&state.db)
    .await?;
    let rows =
        sqlx::query(&format!("{SELECT} WHERE n.path LIKE $1 || '%'{special} ORDER BY n.path, r.id LIMIT $2 OFFSET $3"))
            .bind(user.scope.as_str())
            .bind(page.limit())
            .bind(page.offset())
            .fetch_all(&state.db)
            .await?;
    let residents: Vec<ResidentView> = rows.iter().map(|r| view(r, user.role, false)).collect();
    let special_ids: Vec<i64> = residents.iter().filter(|r| r.special_group.is_some()).map(|r| r.id).collect();
    if !special_ids.is_empty() {
        let detail = serde_json::json!({ "special_group_residents": special_ids });
        audit::record(&state, &user.who(), &Event::success(AuditAction::ResidentList, "residents").detail(detail))
            .await?;
    }
    paged(residents, total, page)
}

#[derive(Debug, Default, Deserialize)]
pub struct ReadOptions {
    reveal: Option<bool>,
}

/// `GET /api/residents/{id}`
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(opts): Query<ReadOptions>,
) -> ApiResult<ResidentView> {
    let user = user.require(&state, READERS, AuditAction::ResidentRead).await?;
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1")).bind(id).fetch_optional(&state.db).await?;
    let row = match row {
        Some(r) if OrgPath::parse(r.get("path")).is_some_and(|p| user.sees(&p)) => r,
        _ => return Err(user.out_of_scope(&state, AuditAction::ResidentRead, format!("resident:{id}")).await),
    };
    let reveal = opts.reveal.unwrap_or(false);
    if reveal && !user.role.may_reveal_personal_data() {
        let event = Event::new(AuditAction::ResidentReveal, format!("resident:{id}"), audit::Outcome::Denied);
        audit::record(&state, &user.who(), &event).await?;
        return Err(AccessError::Forbidden.into());
    }
    let resident = view(&row, user.role, reveal);
    if reveal || resident.special_group.is_some() {
        let action = if reveal { AuditAction::ResidentReveal } else { AuditAction::ResidentRead };
        let detail = serde_json::json!({ "special_group": resident.special_group });
        audit::record(&state, &user.who(), &Event::success(action, format!("resident:{id}")).detail(detail)).await?;
    }
    Ok(Json(resident))
}
