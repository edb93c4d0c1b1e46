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

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::ApiResult;
use crate::paging::{paged, search_term, PageQuery, Paged};
use crate::state::AppState;
use crate::store::residents::{self as store, ResidentFilter, ResidentRow};

const READERS: &[Role] = &[Role::GridMember, Role::Reviewer];

/// A resident as `role` may see them: `reveal` shows the full ID and phone
/// numbers (audited by the caller); names are shown in full only to the
/// community's own workers, as on the walk map (`王**` for reviewers).
fn view(row: &ResidentRow, role: Role, reveal: bool) -> ResidentView {
    let (id_number, phone, group) = (&row.id_number, row.phone.clone(), row.special_group.clone());
    // Stored values were parsed on the way in; mask defensively all the same.
    let id_shown = match IdNumber::parse(FIELD_ID_NUMBER, id_number) {
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
        id: row.id,
        name: if role.may_reveal_personal_data() {
            row.name.clone()
        } else {
            gongzhi_domain::pii::masked_name(&row.name)
        },
        id_number: id_shown,
        phone: phone_shown,
        address: row.address.clone(),
        special_group_label: group.as_deref().and_then(SpecialGroup::from_code).map(|g| g.label().to_string()),
        special_group: group,
        org_node_id: row.org_node_id,
        org_node_name: row.org_node_name.clone(),
        masked: !reveal,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListFilter {
    /// Only residents in a special group.
    special_only: Option<bool>,
    /// Words in the address (building, room), or in the name for a reader
    /// who sees names: a reader who sees masked names cannot find out
    /// whether a name lives in the scope by searching for it.
    q: Option<String>,
}

/// How long a search may be, in characters.
const SEARCH_MAX: usize = 50;

/// `GET /api/residents`: the caller's scope, masked, a page at a time
/// (`?page=&per_page=`, total in `X-Total-Count`), searched with `?q=`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<ListFilter>,
    Query(pq): Query<PageQuery>,
) -> Paged<ResidentView> {
    let user = user.require(&state, READERS, AuditAction::ResidentList).await?;
    let page = pq.page(200);
    let search = search_term(f.q.as_deref(), SEARCH_MAX)?;
    let filter = ResidentFilter {
        under: user.scope.as_str(),
        special_only: f.special_only.unwrap_or(false),
        search,
        search_names: user.role.may_reveal_personal_data(),
    };
    let total = store::count(&state.db, &filter).await?;
    let rows = store::page(&state.db, &filter, page.limit(), page.offset()).await?;
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
    let row = match store::by_id(&state.db, id).await? {
        Some(r) if OrgPath::parse(&r.path).is_some_and(|p| user.sees(&p)) => r,
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
