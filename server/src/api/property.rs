//! Property management joint building (社区物业党建联建): the community's
//! leader registers the property service companies serving its estates and
//! the estates (the grids each covers, its owners' committee); community
//! staff link residents' complaints — events of the `property` category — to
//! the company concerned; the leader opens each company's yearly satisfaction
//! rating, a review (`/api/reviews/{id}`) rated by the residents of the
//! company's estates. Residents read their community's companies, estates,
//! owners' committees, complaint counts and published ratings; the street's
//! reviewers read those below them. Joint meetings (物业联席会议) are
//! consultation meetings of kind `joint`, listed on the company invited.
//! Handlers are role → scope → parse → domain → store; edits name the version
//! they read; unique keys decide duplicates and links.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Datelike, NaiveDate, Utc};
use gongzhi_api::property::*;
use gongzhi_api::review::ReviewView;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::consultation::{Invitee, MatterKind, MeetingStatus, PartyKind};
use gongzhi_domain::error::FieldErrorKind;
use gongzhi_domain::property::{
    branch_due, committee_state, count_complaints, CommitteeState, CompanyInput, EstateInput, OwnersCommittee,
    PartyOrg, PropertyError, RatingInput, COMPLAINT_CATEGORY, FIELD_EVENT, FIELD_GRIDS,
};
use gongzhi_domain::review::{ReviewResult, ReviewStatus};
use gongzhi_domain::time::{parse_utc, shanghai_date};
use gongzhi_domain::{DomainError, Role};

use super::participation::{path_of, reaches};
use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::property::{self as store, is_unique_violation, CompanyRow, EstateRow};

/// Who reads: residents (their own community's), community staff, and the
/// street's reviewers above.
pub const READERS: &[Role] = &[Role::Resident, Role::GridMember, Role::CommunityLeader, Role::Reviewer];
/// Who registers and edits companies and estates, and opens ratings: the
/// community's leader (as for consultation meetings).
pub const MANAGERS: &[Role] = &[Role::CommunityLeader];
/// Who links complaints: community staff.
pub const LINKERS: &[Role] = &[Role::GridMember, Role::CommunityLeader];

fn conflict(e: &dyn DomainError) -> AppError {
    AppError::domain(StatusCode::CONFLICT, e)
}

fn date(raw: &str) -> NaiveDate {
    gongzhi_domain::due::civil_date(raw).unwrap_or_default()
}

fn manages(user: &CurrentUser, c: &CompanyRow) -> bool {
    MANAGERS.contains(&user.role) && user.sees(&path_of(&c.community_path))
}

/// A company in the account's reach, or 404 (recorded).
async fn scoped(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<CompanyRow, AppError> {
    let row = store::company(&mut *state.db.acquire().await?, id).await?;
    match row.filter(|c| reaches(user, &c.community_path)) {
        Some(c) => Ok(c),
        None => Err(user.out_of_scope(state, action, format!("property_company:{id}")).await),
    }
}

/// A company the leader manages, or 404 (recorded).
async fn managed(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<CompanyRow, AppError> {
    let c = scoped(state, user, id, action).await?;
    if manages(user, &c) {
        Ok(c)
    } else {
        Err(user.out_of_scope(state, action, format!("property_company:{id}")).await)
    }
}

fn estate_view(e: &EstateRow, grids: &[(i64, i64, String)], today: NaiveDate) -> EstateView {
    let term_ends = e.committee_term_ends.as_deref().map(date);
    let committee = match (e.owners_committee != 0, &e.committee_chair, term_ends) {
        (true, Some(chair), Some(term_ends)) => Some(OwnersCommittee { chair: chair.clone(), term_ends }),
        _ => None,
    };
    let state = committee_state(committee.as_ref(), today);
    EstateView {
        id: e.id,
        company_id: e.company_id,
        name: e.name.clone(),
        grids: grids.iter().filter(|g| g.0 == e.id).map(|g| GridRef { id: g.1, name: g.2.clone() }).collect(),
        households: e.households as u32,
        served_since: date(&e.served_since),
        owners_committee: committee.is_some(),
        committee_chair: committee.as_ref().map(|c| c.chair.clone()),
        committee_term_ends: term_ends.filter(|_| committee.is_some()),
        committee_state: state.code().into(),
        committee_state_label: state.label().into(),
        committee_term_ended: state == CommitteeState::Expired,
        version: e.version,
    }
}

/// Whether a joint meeting's invitations name the company.
fn invites(invited: &str, company: &str) -> bool {
    serde_json::from_str::<Vec<Invitee>>(invited)
        .unwrap_or_default()
        .iter()
        .any(|i| i.kind == PartyKind::Property && i.name.trim() == company.trim())
}

async fn view(state: &AppState, user: &CurrentUser, c: &CompanyRow) -> Result<CompanyView, AppError> {
    let today = state.today();
    let mut conn = state.db.acquire().await?;
    let estates = store::estates_of(&mut conn, c.id).await?;
    let grids = store::estate_grids(&mut conn, c.id).await?;
    let closings = store::complaints(&mut conn, c.id)
        .await?
        .into_iter()
        .map(|(status, at)| (status == "closed").then(|| parse_utc(&at).map(shanghai_date).unwrap_or(today)));
    let complaints = count_complaints(closings, today.year());
    let resident = user.role == Role::Resident;
    // Open ones too: the estates' residents rate them from here (the review
    // is readable by the community's residents, as every 民主评议).
    let ratings = crate::store::review::ratings_of(&mut conn, c.id)
        .await?
        .into_iter()
        .map(|r| {
            let s = ReviewStatus::from_code(&r.status).unwrap_or(ReviewStatus::Open);
            let result: Option<ReviewResult> = r.result.as_deref().and_then(|x| serde_json::from_str(x).ok());
            RatingSummary {
                review_id: r.id,
                year: r.rating_year.unwrap_or_default() as i32,
                title: r.title,
                status: s.code().into(),
                status_label: s.label().into(),
                ballots: r.ballots as u32,
                satisfaction_pct: result.and_then(|x| x.overall.satisfaction_pct),
            }
        })
        .collect();
    // A dispute's meetings are not other residents' business.
    let joint_meetings = store::joint_meetings(&mut conn, c.community_id)
        .await?
        .into_iter()
        .filter(|g| invites(&g.invited, &c.name) && (!resident || g.matter_kind == MatterKind::Affair.code()))
        .map(|g| {
            let s = MeetingStatus::from_code(&g.status).unwrap_or(MeetingStatus::Planned);
            JointMeetingRef {
                meeting_id: g.id,
                matter_id: g.matter_id,
                matter_title: g.matter_title,
                date: date(&g.date),
                status: s.code().into(),
                status_label: s.label().into(),
                resolution: g.resolution,
            }
        })
        .collect();
    let org = PartyOrg::from_code(&c.party_org).unwrap_or(PartyOrg::None);
    Ok(CompanyView {
        id: c.id,
        community_id: c.community_id,
        community_name: c.community_name.clone(),
        name: c.name.clone(),
        credit_code: c.credit_code.clone(),
        contact: c.contact.clone(),
        phone: c.phone.clone(),
        party_org: org.code().into(),
        party_org_label: org.label().into(),
        party_members: c.party_members as u32,
        branch_due: branch_due(org, c.party_members as u32),
        agreement_on: c.agreement_on.as_deref().map(date),
        version: c.version,
        estates: estates.iter().map(|e| estate_view(e, &grids, today)).collect(),
        complaints,
        ratings,
        joint_meetings,
        can_manage: manages(user, c),
        can_link: LINKERS.contains(&user.role) && reaches(user, &c.community_path),
    })
}

async fn reload(state: &AppState, user: &CurrentUser, id: i64) -> Result<CompanyView, AppError> {
    let c = store::company(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or_else(|| AppError::internal("property company vanished"))?;
    view(state, user, &c).await
}

/// `GET /api/property/companies`: the companies of the account's community
/// (or of the communities below a reviewer), by community and name.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<CompanyView>> {
    let user = user.require(&state, READERS, AuditAction::PropertyList).await?;
    let rows = store::companies(&mut *state.db.acquire().await?, user.scope.as_str()).await?;
    let mut out = Vec::new();
    for c in rows.iter().filter(|c| reaches(&user, &c.community_path)) {
        out.push(view(&state, &user, c).await?);
    }
    Ok(Json(out))
}

/// `GET /api/property/companies/{id}`.
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<CompanyView> {
    let user = user.require(&state, READERS, AuditAction::PropertyRead).await?;
    let c = scoped(&state, &user, id, AuditAction::PropertyRead).await?;
    Ok(Json(view(&state, &user, &c).await?))
}

/// `POST /api/property/companies` (leader): a company serving the leader's
/// community; a second with the same credit code is 409.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<CompanyInput>,
) -> Result<(StatusCode, Json<CompanyView>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::PropertyCompanyCreate).await?;
    let company = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    let community = crate::store::seal::community_at(&mut *state.db.acquire().await?, user.scope.as_str())
        .await?
        .ok_or(gongzhi_domain::auth::AccessError::Forbidden)?;
    let mut tx = state.write_tx().await?;
    let at = Utc::now().to_rfc3339();
    let Some(id) = store::insert_company(&mut tx, community.id, &company, (user.account_id, &at)).await? else {
        return Err(conflict(&PropertyError::CompanyExists));
    };
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::PropertyCompanyCreate, format!("property_company:{id}"))
            .detail(serde_json::json!({ "name": company.name, "credit_code": company.credit_code.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &user, id).await?)))
}

/// `PUT /api/property/companies/{id}` (leader): the whole form again with
/// the version read; 409 `property_changed` when another edit came first.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CompanyUpdate>,
) -> ApiResult<CompanyView> {
    let user = user.require(&state, MANAGERS, AuditAction::PropertyCompanyUpdate).await?;
    managed(&state, &user, id, AuditAction::PropertyCompanyUpdate).await?;
    let company = body.company.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    let at = Utc::now().to_rfc3339();
    match store::update_company(&mut tx, (id, body.version), &company, (user.account_id, &at)).await {
        Ok(true) => {}
        Ok(false) => return Err(conflict(&PropertyError::Changed)),
        Err(e) if is_unique_violation(&e) => return Err(conflict(&PropertyError::CompanyExists)),
        Err(e) => return Err(e.into()),
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::PropertyCompanyUpdate, format!("property_company:{id}"))
            .detail(serde_json::json!({ "version": body.version + 1 })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(reload(&state, &user, id).await?))
}

/// The grids named must be grids of the community at `path` (else 422
/// `grids`), none covered by another company's estate (else 409: the raters
/// of a company are read from its grids).
async fn check_grids(state: &AppState, company: i64, path: &str, ids: &[i64]) -> Result<(), AppError> {
    let mut conn = state.db.acquire().await?;
    if !store::grids_served_elsewhere(&mut conn, company, ids).await?.is_empty() {
        return Err(conflict(&PropertyError::GridServedElsewhere));
    }
    let found = crate::store::poll::grids_in(&mut conn, path, ids).await?;
    match ids.iter().find(|id| !found.contains(id)) {
        Some(foreign) => {
            let raw = foreign.to_string();
            Err(AppError::unprocessable(&[FIELD_GRIDS.error(FieldErrorKind::UnknownOption { raw })]))
        }
        None => Ok(()),
    }
}

/// `POST /api/property/companies/{id}/estates` (leader): an estate the
/// company serves, covering grids of its community; answers the company.
/// Refused while the company's rating is open (409 `property_rating_open`).
pub async fn add_estate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<EstateInput>,
) -> Result<(StatusCode, Json<CompanyView>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::PropertyEstateCreate).await?;
    let c = managed(&state, &user, id, AuditAction::PropertyEstateCreate).await?;
    let estate = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    check_grids(&state, c.id, &c.community_path, &estate.grids).await?;
    let mut tx = state.write_tx().await?;
    // Read in the writer's turn: a rating opened a moment ago is seen.
    if store::rating_open(&mut tx, c.id).await? {
        return Err(conflict(&PropertyError::RatingOpen));
    }
    let at = Utc::now().to_rfc3339();
    let Some(eid) = store::insert_estate(&mut tx, (c.id, c.community_id), &estate, (user.account_id, &at)).await?
    else {
        return Err(conflict(&PropertyError::EstateExists));
    };
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::PropertyEstateCreate, format!("property_estate:{eid}"))
            .detail(serde_json::json!({ "company": c.id, "name": estate.name, "grids": estate.grids })),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &user, id).await?)))
}

/// `PUT /api/property/estates/{id}` (leader): the estate's form again with
/// the version read (its owners' committee included); answers its company.
/// Its grids stay while the company's rating is open (409 `property_rating_open`).
pub async fn update_estate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<EstateUpdate>,
) -> ApiResult<CompanyView> {
    let user = user.require(&state, MANAGERS, AuditAction::PropertyEstateUpdate).await?;
    let row = store::estate(&mut *state.db.acquire().await?, id).await?;
    let Some(e) = row.filter(|e| user.sees(&path_of(&e.community_path))) else {
        return Err(user
            .out_of_scope(&state, AuditAction::PropertyEstateUpdate, format!("property_estate:{id}"))
            .await);
    };
    let estate = body.estate.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    check_grids(&state, e.company_id, &e.community_path, &estate.grids).await?;
    let mut tx = state.write_tx().await?;
    // Who rates an open rating is its estates' grids: they stay until it is published.
    let mut asked = estate.grids.clone();
    asked.sort_unstable();
    if asked != store::grids_of_estate(&mut tx, id).await? && store::rating_open(&mut tx, e.company_id).await? {
        return Err(conflict(&PropertyError::RatingOpen));
    }
    let at = Utc::now().to_rfc3339();
    match store::update_estate(&mut tx, (id, body.version), &estate, (user.account_id, &at)).await {
        Ok(true) => {}
        Ok(false) => return Err(conflict(&PropertyError::Changed)),
        Err(err) if is_unique_violation(&err) => return Err(conflict(&PropertyError::EstateExists)),
        Err(err) => return Err(err.into()),
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::PropertyEstateUpdate, format!("property_estate:{id}"))
            .detail(serde_json::json!({ "version": body.version + 1, "owners_committee": estate.committee.is_some() })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(reload(&state, &user, e.company_id).await?))
}

/// `POST /api/property/companies/{id}/complaints` (community staff): links a
/// complaint event of the company's community (one the caller sees; else
/// 404) of the `property` category (else 422) to the company, once: 201 when
/// linked now, 200 when it already was, 409 when linked to another company.
pub async fn link_complaint(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ComplaintLink>,
) -> Result<(StatusCode, Json<CompanyView>), AppError> {
    let user = user.require(&state, LINKERS, AuditAction::PropertyComplaintLink).await?;
    let c = scoped(&state, &user, id, AuditAction::PropertyComplaintLink).await?;
    let event = FIELD_EVENT.required_id(&body.event_id).map_err(|e| AppError::fields(&[e]))?;
    let row = crate::store::events::get(&mut *state.db.acquire().await?, event).await?;
    let Some(ev) = row.filter(|e| user.sees(&path_of(&e.path)) && e.path.starts_with(&c.community_path)) else {
        return Err(user.out_of_scope(&state, AuditAction::PropertyComplaintLink, format!("event:{event}")).await);
    };
    if ev.category != COMPLAINT_CATEGORY {
        return Err(AppError::domain(StatusCode::UNPROCESSABLE_ENTITY, &PropertyError::NotAComplaint));
    }
    let mut tx = state.write_tx().await?;
    let (new, linked) =
        store::link_complaint(&mut tx, (event, c.id), (user.account_id, &Utc::now().to_rfc3339())).await?;
    if linked != c.id {
        return Err(conflict(&PropertyError::LinkedElsewhere));
    }
    if new {
        audit::append(
            &mut tx,
            &user.who(),
            &Event::success(AuditAction::PropertyComplaintLink, format!("property_company:{id}"))
                .detail(serde_json::json!({ "event": event })),
        )
        .await?;
    }
    tx.commit().await?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(reload(&state, &user, id).await?)))
}

/// `POST /api/property/companies/{id}/ratings` (leader): opens the company's
/// satisfaction rating of a year (this or the last; once per year) — a review
/// rated by the residents of its estates, online or on paper through
/// `/api/reviews/{id}/…`, counted and published like any review.
pub async fn open_rating(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RatingInput>,
) -> Result<(StatusCode, Json<ReviewView>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::PropertyRatingCreate).await?;
    let c = managed(&state, &user, id, AuditAction::PropertyRatingCreate).await?;
    let rating = body.parse(&c.name, state.today()).map_err(|e| AppError::fields(&e))?;
    if store::estates_of(&mut *state.db.acquire().await?, c.id).await?.is_empty() {
        return Err(conflict(&PropertyError::NoEstates));
    }
    let mut tx = state.write_tx().await?;
    let at = Utc::now().to_rfc3339();
    let key = (c.community_id, c.id, rating.year);
    let Some(rid) = crate::store::review::insert_rating(&mut tx, key, &rating.review, (user.account_id, &at)).await?
    else {
        return Err(conflict(&PropertyError::RatingExists));
    };
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::PropertyRatingCreate, format!("review:{rid}"))
            .detail(serde_json::json!({ "company": c.id, "year": rating.year })),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(super::review::reload(&state, &user, rid).await?)))
}
