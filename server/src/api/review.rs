//! Democratic review (民主评议): the community's leader opens a review of
//! the committee, one of its staff or a property company, with the report
//! (述职) and the dimensions rated; each residents' representative rates once
//! — online, or on a paper form entered by staff; the leader counts the
//! paper forms (issued, returned, void) and publishes the result. Who rated
//! is kept apart from what was rated; the primary key of `review_voters`
//! is the one ballot per rater, whatever the channel. A property company's
//! satisfaction rating (物业服务满意度测评, opened under `/api/property/…`)
//! is a review like the others whose raters are the residents of the
//! households in the company's estates' grids; anyone else gets 404 on its
//! ballot route.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use gongzhi_api::review::*;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::error::FieldErrorKind;
use gongzhi_domain::review::{
    self as rules, Forms, FormsInput, Raters, ReviewBallot, ReviewBallotInput, ReviewError, ReviewInput, ReviewStatus,
    SubjectKind,
};
use gongzhi_domain::{DomainError, Role};

use super::participation::{path_of, reaches};
use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::participation::{account_resident, resident as register_entry};
use crate::store::review::{self as store, ReviewRow};
use crate::store::transition::Outcome;

/// Who reads reviews.
pub const READERS: &[Role] = &[Role::Resident, Role::GridMember, Role::CommunityLeader, Role::Reviewer];
/// Who organises: the community's leader.
pub const MANAGERS: &[Role] = &[Role::CommunityLeader];
/// Who rates online: residents (representatives of the community).
pub const RATERS: &[Role] = &[Role::Resident];
/// Who enters paper forms.
pub const CLERKS: &[Role] = &[Role::GridMember, Role::CommunityLeader];

fn conflict(e: &dyn DomainError) -> AppError {
    AppError::domain(StatusCode::CONFLICT, e)
}

fn status(r: &ReviewRow) -> ReviewStatus {
    ReviewStatus::from_code(&r.status).unwrap_or(ReviewStatus::Open)
}

fn dimensions(r: &ReviewRow) -> Vec<String> {
    serde_json::from_str(&r.dimensions).unwrap_or_default()
}

fn forms(r: &ReviewRow) -> Option<Forms> {
    r.forms.as_deref().and_then(|f| serde_json::from_str(f).ok())
}

fn manages(user: &CurrentUser, r: &ReviewRow) -> bool {
    MANAGERS.contains(&user.role) && user.sees(&path_of(&r.community_path))
}

/// A review in the account's reach, or 404 (recorded).
async fn scoped(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<ReviewRow, AppError> {
    let row = store::review(&mut *state.db.acquire().await?, id).await?;
    match row.filter(|r| reaches(user, &r.community_path)) {
        Some(r) => Ok(r),
        None => Err(user.out_of_scope(state, action, format!("review:{id}")).await),
    }
}

fn raters(r: &ReviewRow) -> Raters {
    if r.property_company_id.is_some() {
        Raters::EstateResidents
    } else {
        Raters::Representatives
    }
}

/// One of the review's raters on the register: their id. A representative
/// of the community, or — for a company's satisfaction rating — a resident
/// of a household in a grid of the company's estates.
async fn rater(state: &AppState, r: &ReviewRow, resident: i64) -> Result<Option<i64>, AppError> {
    let mut conn = state.db.acquire().await?;
    let v = register_entry(&mut conn, resident).await?.filter(|v| v.path.starts_with(&r.community_path));
    Ok(match (v, r.property_company_id) {
        (Some(v), Some(company)) => {
            crate::store::property::estate_resident(&mut conn, company, v.id).await?.then_some(v.id)
        }
        (Some(v), None) => (v.representative != 0).then_some(v.id),
        (None, _) => None,
    })
}

async fn own_resident(state: &AppState, user: &CurrentUser) -> Result<Option<i64>, AppError> {
    if user.role != Role::Resident {
        return Ok(None);
    }
    Ok(account_resident(&mut *state.db.acquire().await?, user.account_id).await?)
}

async fn view(state: &AppState, user: &CurrentUser, r: &ReviewRow) -> Result<ReviewView, AppError> {
    let s = status(r);
    let kind = SubjectKind::from_code(&r.subject_kind).unwrap_or(SubjectKind::Committee);
    // A resident is offered the ballot only as one of its raters.
    let rated = match own_resident(state, user).await? {
        Some(me) if rater(state, r, me).await?.is_some() => {
            Some(store::has_rated(&mut *state.db.acquire().await?, r.id, me).await?)
        }
        _ => None,
    };
    Ok(ReviewView {
        id: r.id,
        community_name: r.community_name.clone(),
        title: r.title.clone(),
        subject_kind: kind.code().into(),
        subject_kind_label: kind.label().into(),
        subject_name: r.subject_name.clone(),
        report: r.report.clone(),
        dimensions: dimensions(r),
        until: gongzhi_domain::due::civil_date(&r.until).unwrap_or_default(),
        status: s.code().into(),
        status_label: s.label().into(),
        ballots: r.ballots as u32,
        forms: forms(r),
        result: r.result.as_deref().and_then(|x| serde_json::from_str(x).ok()),
        can_manage: manages(user, r),
        can_enter_paper: CLERKS.contains(&user.role) && reaches(user, &r.community_path) && s == ReviewStatus::Open,
        rated: rated.map(|done| done || s != ReviewStatus::Open),
        raters: raters(r).code().into(),
        raters_label: raters(r).label().into(),
        property_company_id: r.property_company_id,
        rating_year: r.rating_year.map(|y| y as i32),
    })
}

pub(crate) async fn reload(state: &AppState, user: &CurrentUser, id: i64) -> Result<ReviewView, AppError> {
    let r = store::review(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or_else(|| AppError::internal("review vanished"))?;
    view(state, user, &r).await
}

/// `GET /api/reviews`: the reviews of the account's community, newest first.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<ReviewView>> {
    let user = user.require(&state, READERS, AuditAction::ReviewList).await?;
    let rows = store::reviews(&mut *state.db.acquire().await?, user.scope.as_str()).await?;
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| reaches(&user, &r.community_path)) {
        out.push(view(&state, &user, r).await?);
    }
    Ok(Json(out))
}

/// `GET /api/reviews/{id}`.
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<ReviewView> {
    let user = user.require(&state, READERS, AuditAction::ReviewRead).await?;
    let r = scoped(&state, &user, id, AuditAction::ReviewRead).await?;
    Ok(Json(view(&state, &user, &r).await?))
}

/// `POST /api/reviews` (leader): opens a review in the leader's community.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<ReviewInput>,
) -> Result<(StatusCode, Json<ReviewView>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::ReviewCreate).await?;
    let review = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    let community = crate::store::seal::community_at(&mut *state.db.acquire().await?, user.scope.as_str())
        .await?
        .ok_or(gongzhi_domain::auth::AccessError::Forbidden)?;
    let mut tx = state.write_tx().await?;
    let id = store::insert_review(&mut tx, community.id, &review, (user.account_id, &Utc::now().to_rfc3339())).await?;
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ReviewCreate, format!("review:{id}"))
            .detail(serde_json::json!({ "title": review.title, "subject": review.subject_kind.code() })),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &user, id).await?)))
}

/// One ballot into an open review for `resident`; 409 when they rated already.
async fn cast(
    state: &AppState,
    user: &CurrentUser,
    r: &ReviewRow,
    resident: i64,
    (ballot, paper): (&ReviewBallot, bool),
    action: AuditAction,
) -> Result<(), AppError> {
    let mut tx = state.write_tx().await?;
    // Re-read under the write lock: a publish may have closed it meanwhile.
    let now = store::review(&mut tx, r.id).await?.map(|x| status(&x));
    if now != Some(ReviewStatus::Open) {
        return Err(conflict(&ReviewError::Closed));
    }
    if !store::cast(&mut tx, (r.id, resident), ballot, paper, (user.account_id, &Utc::now().to_rfc3339())).await? {
        return Err(conflict(&ReviewError::AlreadyRated));
    }
    // The audit entry says who rated (and how), never what.
    let channel = if paper { "paper" } else { "online" };
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(action, format!("review:{}", r.id)).detail(serde_json::json!({ "channel": channel })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `POST /api/reviews/{id}/ballots` (a representative of the community, or a
/// resident of the rated company's estates): once. For a satisfaction rating
/// a resident outside the estates gets 404, as for a review out of reach.
pub async fn rate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ReviewBallotInput>,
) -> ApiResult<ReviewView> {
    let user = user.require(&state, RATERS, AuditAction::ReviewRate).await?;
    let r = scoped(&state, &user, id, AuditAction::ReviewRate).await?;
    let ballot = body.parse(dimensions(&r).len()).map_err(|e| AppError::fields(&e))?;
    let me = match own_resident(&state, &user).await? {
        Some(me) => rater(&state, &r, me).await?,
        None => None,
    };
    let me = match (me, raters(&r)) {
        (Some(me), _) => me,
        (None, Raters::Representatives) => return Err(conflict(&ReviewError::NotARepresentative)),
        (None, Raters::EstateResidents) => {
            return Err(user.out_of_scope(&state, AuditAction::ReviewRate, format!("review:{id}")).await)
        }
    };
    cast(&state, &user, &r, me, (&ballot, false), AuditAction::ReviewRate).await?;
    Ok(Json(reload(&state, &user, id).await?))
}

/// `POST /api/reviews/{id}/paper` (community staff): a valid paper form for
/// the representative with this register id (void forms are only counted).
pub async fn paper(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PaperReview>,
) -> Result<(StatusCode, Json<ReviewView>), AppError> {
    let user = user.require(&state, CLERKS, AuditAction::ReviewPaper).await?;
    let r = scoped(&state, &user, id, AuditAction::ReviewPaper).await?;
    let field = raters(&r).register_field();
    // Every problem at once: the register id and the ratings.
    let (resident, ballot) = match (field.required_id(&body.resident_id), body.ballot.parse(dimensions(&r).len())) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let mut errors: Vec<_> = a.err().into_iter().collect();
            errors.extend(b.err().unwrap_or_default());
            return Err(AppError::fields(&errors));
        }
    };
    let Some(resident) = rater(&state, &r, resident).await? else {
        let raw = resident.to_string();
        return Err(AppError::unprocessable(&[field.error(FieldErrorKind::UnknownOption { raw })]));
    };
    cast(&state, &user, &r, resident, (&ballot, true), AuditAction::ReviewPaper).await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &user, id).await?)))
}

/// `POST /api/reviews/{id}/forms` (leader): the paper forms issued, returned
/// and void; the valid ones returned must be the paper ballots entered.
pub async fn count_forms(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<FormsInput>,
) -> ApiResult<ReviewView> {
    let user = user.require(&state, MANAGERS, AuditAction::ReviewForms).await?;
    let r = scoped(&state, &user, id, AuditAction::ReviewForms).await?;
    if !manages(&user, &r) {
        return Err(user.out_of_scope(&state, AuditAction::ReviewForms, format!("review:{id}")).await);
    }
    let mut tx = state.write_tx().await?;
    let entered = store::paper_count(&mut tx, id).await? as u32;
    let f = body.parse(entered).map_err(|e| AppError::fields(&e))?;
    if !store::set_forms(&mut tx, id, &serde_json::to_string(&f).map_err(AppError::internal)?).await? {
        return Err(conflict(&ReviewError::Closed));
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::ReviewForms, format!("review:{id}"))
            .detail(serde_json::json!({ "issued": f.issued, "returned": f.returned, "void": f.void })),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(reload(&state, &user, id).await?))
}

/// `POST /api/reviews/{id}/publish` (leader): counts every ballot and
/// publishes the result, once; the paper forms must be counted first and
/// still match the paper ballots.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<ReviewView> {
    let user = user.require(&state, MANAGERS, AuditAction::ReviewPublish).await?;
    let r = scoped(&state, &user, id, AuditAction::ReviewPublish).await?;
    if !manages(&user, &r) {
        return Err(user.out_of_scope(&state, AuditAction::ReviewPublish, format!("review:{id}")).await);
    }
    let mut tx = state.write_tx().await?;
    let fresh = store::review(&mut tx, id).await?.ok_or_else(|| AppError::internal("review vanished"))?;
    if status(&fresh) != ReviewStatus::Open {
        return Err(conflict(&ReviewError::Closed));
    }
    let entered = store::paper_count(&mut tx, id).await? as u32;
    let Some(f) = forms(&fresh).filter(|f| f.returned - f.void == entered) else {
        return Err(conflict(&ReviewError::FormsNotCounted));
    };
    let ballots: Vec<(bool, ReviewBallot)> = store::ballots(&mut tx, id)
        .await?
        .into_iter()
        .filter_map(|(paper, b)| Some((paper != 0, serde_json::from_str(&b).ok()?)))
        .collect();
    let result = rules::count(&dimensions(&fresh), &ballots, f);
    let detail = serde_json::json!({ "ballots": ballots.len(), "satisfaction_pct": result.overall.satisfaction_pct });
    let json = serde_json::to_string(&result).map_err(AppError::internal)?;
    match store::publish(&mut tx, &user.who(), id, &json, detail).await? {
        Outcome::Moved { .. } => {}
        _ => return Err(conflict(&ReviewError::Closed)),
    }
    tx.commit().await?;
    Ok(Json(reload(&state, &user, id).await?))
}
