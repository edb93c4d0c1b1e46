//! Opinion polls (民意调查): the community's leader asks the residents — all,
//! some grids', or a special group's — a few questions until a closing day;
//! each resident answers once, on their phone, on a paper questionnaire
//! entered by staff, or door to door with a grid member (the tablet's
//! outbox sends it with a key, stored once). Staff follow the count while
//! it runs; once ended it is public to the community, and exported as
//! .xlsx. Who answered is kept apart from what was answered; the unique key
//! of `poll_respondents` is the one questionnaire per resident.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{NaiveDate, Utc};
use gongzhi_api::poll::*;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::ballot::Channel;
use gongzhi_domain::error::{Field, FieldErrorKind};
use gongzhi_domain::org::SpecialGroup;
use gongzhi_domain::poll::{
    self as rules, Answer, Audience, PollError, PollInput, PollResult, PollStatus, Question, ResponseInput,
};
use gongzhi_domain::{DomainError, Role};
use serde::Deserialize;

use super::participation::{path_of, reaches};
use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::export::{self, Sheet, XCell};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::participation::account_resident;
use crate::store::poll::{self as store, NewResponse, PollRow, Respondent};
use crate::store::transition::Outcome;

/// Who reads polls.
pub const READERS: &[Role] = &[Role::Resident, Role::GridMember, Role::CommunityLeader, Role::Reviewer];
/// Who asks: the community's leader.
pub const MANAGERS: &[Role] = &[Role::CommunityLeader];
/// Who answers online: residents.
pub const ANSWERERS: &[Role] = &[Role::Resident];
/// Who enters paper and door-to-door questionnaires, and finds the residents asked.
pub const CLERKS: &[Role] = &[Role::GridMember, Role::CommunityLeader];
/// Who follows the count while a poll runs, and exports it.
pub const STAFF: &[Role] = &[Role::GridMember, Role::CommunityLeader, Role::Reviewer];

/// Field `resident_id`, labelled “居民名册编号”.
const FIELD_RESIDENT: Field = Field::new("resident_id", "居民名册编号");
/// Field `channel`, labelled “填写方式”.
const FIELD_CHANNEL: Field = Field::new("channel", "填写方式");
/// Field `q`, labelled “搜索”.
const FIELD_SEARCH: Field = Field::new("q", "搜索");

fn conflict(e: &dyn DomainError) -> AppError {
    AppError::domain(StatusCode::CONFLICT, e)
}

fn questions(p: &PollRow) -> Vec<Question> {
    serde_json::from_str(&p.questions).unwrap_or_default()
}

fn audience(p: &PollRow) -> Audience {
    serde_json::from_str(&p.audience).unwrap_or(Audience::Community)
}

/// Open when not ended by the leader and the closing day has not passed.
fn open_on(p: &PollRow, today: NaiveDate) -> bool {
    let until = gongzhi_domain::due::civil_date(&p.until).unwrap_or_default();
    p.status == PollStatus::Open.code() && today <= until
}

fn shown_status(p: &PollRow, today: NaiveDate) -> PollStatus {
    if open_on(p, today) {
        PollStatus::Open
    } else {
        PollStatus::Closed
    }
}

fn manages(user: &CurrentUser, p: &PollRow) -> bool {
    MANAGERS.contains(&user.role) && user.sees(&path_of(&p.community_path))
}

/// Whether the poll asks this register entry (of its community).
fn asks(p: &PollRow, r: &Respondent) -> bool {
    let group = r.special_group.as_deref().and_then(SpecialGroup::from_code);
    r.path.starts_with(&p.community_path) && audience(p).includes(r.grid_id, group)
}

/// A poll in the account's reach, or 404 (recorded).
async fn scoped(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<PollRow, AppError> {
    let row = store::poll(&mut *state.db.acquire().await?, id).await?;
    match row.filter(|p| reaches(user, &p.community_path)) {
        Some(p) => Ok(p),
        None => Err(user.out_of_scope(state, action, format!("poll:{id}")).await),
    }
}

/// The account's own register entry (residents only).
async fn own_entry(state: &AppState, user: &CurrentUser) -> Result<Option<Respondent>, AppError> {
    if user.role != Role::Resident {
        return Ok(None);
    }
    let mut conn = state.db.acquire().await?;
    let Some(id) = account_resident(&mut conn, user.account_id).await? else { return Ok(None) };
    Ok(store::respondent(&mut conn, id).await?)
}

async fn audience_label(state: &AppState, p: &PollRow) -> Result<String, AppError> {
    Ok(match audience(p) {
        Audience::Community => rules::AudienceKind::Community.label().to_string(),
        Audience::Grids { ids } => {
            let names = store::grid_names(&mut *state.db.acquire().await?, &ids).await?;
            format!("{}:{}", rules::AudienceKind::Grids.label(), names.join("、"))
        }
        Audience::SpecialGroup { group } => format!("{}:{}", rules::AudienceKind::SpecialGroup.label(), group.label()),
    })
}

/// The count of every questionnaire in so far.
async fn result(state: &AppState, p: &PollRow) -> Result<PollResult, AppError> {
    let rows = store::answers(&mut *state.db.acquire().await?, p.id).await?;
    let responses: Vec<(Channel, Vec<Answer>)> =
        rows.into_iter().filter_map(|(c, a)| Some((Channel::from_code(&c)?, serde_json::from_str(&a).ok()?))).collect();
    Ok(rules::count(&questions(p), &responses))
}

/// What a view carries: the count too (one poll's page), or not (the list).
#[derive(Clone, Copy, PartialEq)]
enum Detail {
    WithCount,
    Summary,
}

async fn view(state: &AppState, user: &CurrentUser, p: &PollRow, detail: Detail) -> Result<PollView, AppError> {
    let today = state.today();
    let s = shown_status(p, today);
    let staff = STAFF.contains(&user.role);
    // A resident is offered the questionnaire only when the poll asks them.
    let answered = match own_entry(state, user).await? {
        Some(me) if asks(p, &me) => Some(store::has_answered(&mut *state.db.acquire().await?, p.id, me.id).await?),
        _ => None,
    };
    // Nobody sees the count while the poll runs (PollError::StillOpen says why).
    let result = if detail == Detail::WithCount && s == PollStatus::Closed {
        let mut r = result(state, p).await?;
        if !staff {
            // Short answers are free text: residents read the counts only.
            r.questions.iter_mut().for_each(|q| q.texts.clear());
        }
        Some(r)
    } else {
        None
    };
    Ok(PollView {
        id: p.id,
        community_name: p.community_name.clone(),
        title: p.title.clone(),
        intro: p.intro.clone(),
        audience_label: audience_label(state, p).await?,
        until: gongzhi_domain::due::civil_date(&p.until).unwrap_or_default(),
        status: s.code().into(),
        status_label: s.label().into(),
        questions: questions(p),
        responses: p.responses as u32,
        result,
        can_manage: manages(user, p) && s == PollStatus::Open,
        can_enter: CLERKS.contains(&user.role) && reaches(user, &p.community_path) && s == PollStatus::Open,
        answered,
    })
}

async fn reload(state: &AppState, user: &CurrentUser, id: i64) -> Result<PollView, AppError> {
    let p =
        store::poll(&mut *state.db.acquire().await?, id).await?.ok_or_else(|| AppError::internal("poll vanished"))?;
    view(state, user, &p, Detail::WithCount).await
}

/// `GET /api/polls`: the polls of the account's community, newest first.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<PollView>> {
    let user = user.require(&state, READERS, AuditAction::PollList).await?;
    let rows = store::polls(&mut *state.db.acquire().await?, user.scope.as_str()).await?;
    let mut out = Vec::new();
    for p in rows.iter().filter(|p| reaches(&user, &p.community_path)) {
        out.push(view(&state, &user, p, Detail::Summary).await?);
    }
    Ok(Json(out))
}

/// `GET /api/polls/{id}`.
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<PollView> {
    let user = user.require(&state, READERS, AuditAction::PollRead).await?;
    let p = scoped(&state, &user, id, AuditAction::PollRead).await?;
    Ok(Json(view(&state, &user, &p, Detail::WithCount).await?))
}

/// `POST /api/polls` (leader): a poll of the leader's community; grids named
/// must be the community's.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<PollInput>,
) -> Result<(StatusCode, Json<PollView>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::PollCreate).await?;
    let poll = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    let mut conn = state.db.acquire().await?;
    let community = crate::store::seal::community_at(&mut conn, user.scope.as_str())
        .await?
        .ok_or(gongzhi_domain::auth::AccessError::Forbidden)?;
    if let Audience::Grids { ids } = &poll.audience {
        let found = store::grids_in(&mut conn, &community.path, ids).await?;
        if let Some(foreign) = ids.iter().find(|id| !found.contains(id)) {
            let raw = foreign.to_string();
            return Err(AppError::unprocessable(&[rules::FIELD_GRIDS.error(FieldErrorKind::UnknownOption { raw })]));
        }
    }
    drop(conn);
    let mut tx = state.write_tx().await?;
    let id = store::insert_poll(&mut tx, community.id, &poll, (user.account_id, &Utc::now().to_rfc3339())).await?;
    let detail = serde_json::json!({
        "title": poll.title, "audience": poll.audience.kind().code(), "questions": poll.questions.len()
    });
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::PollCreate, format!("poll:{id}")).detail(detail))
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &user, id).await?)))
}

/// A questionnaire to store, with whom it is for.
struct Filing<'a> {
    resident: i64,
    channel: Channel,
    key: Option<&'a str>,
    answers: &'a [Answer],
    action: AuditAction,
}

/// Stores one questionnaire in an open poll: `Ok(true)` when new,
/// `Ok(false)` when this key's entry (same sender, same body) was stored
/// before; 409 when the resident answered already.
async fn file(state: &AppState, user: &CurrentUser, p: &PollRow, f: Filing<'_>) -> Result<bool, AppError> {
    let mut tx = state.write_tx().await?;
    // Re-read under the write lock: the leader may have ended it meanwhile.
    let now = store::poll(&mut tx, p.id).await?;
    if !now.is_some_and(|n| open_on(&n, state.today())) {
        return Err(conflict(&PollError::Closed));
    }
    let at = Utc::now().to_rfc3339();
    let new = NewResponse {
        poll: p.id,
        resident: f.resident,
        channel: f.channel.code(),
        key: f.key,
        answers: f.answers,
        by: user.account_id,
        at: &at,
    };
    if store::insert_response(&mut tx, &new).await?.is_none() {
        // Under the entry's key: the same clerk sending the same resident's
        // entry again is answered as stored (the answers are not compared:
        // nothing derived from them is kept beside the resident); a key
        // naming another resident is refused as reused.
        let earlier = match f.key {
            Some(key) => store::entry_by_key(&mut tx, p.id, key).await?,
            None => None,
        };
        return match earlier {
            Some((resident, channel, by))
                if resident == f.resident && channel == f.channel.code() && by == user.account_id =>
            {
                Ok(false)
            }
            Some((resident, ..)) if resident != f.resident => Err(crate::idempotency::reused()),
            _ => Err(conflict(&PollError::AlreadyAnswered)),
        };
    }
    // The audit entry says who answered (and how), never what.
    let mut detail = serde_json::json!({ "channel": f.channel.code() });
    if f.channel != Channel::Online {
        detail["resident"] = f.resident.into();
    }
    audit::append(&mut tx, &user.who(), &Event::success(f.action, format!("poll:{}", p.id)).detail(detail)).await?;
    tx.commit().await?;
    Ok(true)
}

/// `POST /api/polls/{id}/responses` (a resident the poll asks): once.
pub async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ResponseInput>,
) -> Result<(StatusCode, Json<PollView>), AppError> {
    let user = user.require(&state, ANSWERERS, AuditAction::PollAnswer).await?;
    let p = scoped(&state, &user, id, AuditAction::PollAnswer).await?;
    let me = own_entry(&state, &user).await?.filter(|me| asks(&p, me)).ok_or_else(|| conflict(&PollError::NotAsked))?;
    let answers = body.parse(&questions(&p)).map_err(|e| AppError::fields(&e))?;
    let filing = Filing {
        resident: me.id,
        channel: Channel::Online,
        key: None,
        answers: &answers,
        action: AuditAction::PollAnswer,
    };
    file(&state, &user, &p, filing).await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &user, id).await?)))
}

/// `POST /api/polls/{id}/entries` (community staff): a paper questionnaire,
/// or one filled in door to door, for a resident in the clerk's area whom
/// the poll asks. 201 when stored; 200 when the tablet sends the same entry
/// again under its key.
pub async fn enter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PollEntry>,
) -> Result<(StatusCode, Json<PollView>), AppError> {
    let user = user.require(&state, CLERKS, AuditAction::PollEntry).await?;
    let p = scoped(&state, &user, id, AuditAction::PollEntry).await?;
    let key = crate::idempotency::parse_key(&body.idempotency_key)?;
    // Every problem at once: whose, how, and the answers.
    let channel = match body.channel.trim() {
        "" => Err(FIELD_CHANNEL.error(FieldErrorKind::Required)),
        c => Channel::from_code(c)
            .filter(|c| *c != Channel::Online)
            .ok_or_else(|| FIELD_CHANNEL.error(FieldErrorKind::UnknownOption { raw: c.to_string() })),
    };
    let (resident, channel, answers) =
        match (FIELD_RESIDENT.required_id(&body.resident_id), channel, body.response.parse(&questions(&p))) {
            (Ok(r), Ok(c), Ok(a)) => (r, c, a),
            (r, c, a) => {
                let mut errors: Vec<_> = r.err().into_iter().chain(c.err()).collect();
                errors.extend(a.err().unwrap_or_default());
                return Err(AppError::fields(&errors));
            }
        };
    // A resident outside the clerk's area is as unknown as one who does not exist.
    let entry = store::respondent(&mut *state.db.acquire().await?, resident).await?;
    let exists = entry.is_some();
    let Some(entry) = entry.filter(|e| user.sees(&path_of(&e.path)) && e.path.starts_with(&p.community_path)) else {
        if exists {
            user.audit_foreign_reference(&state, AuditAction::PollEntry, format!("resident:{resident}")).await?;
        }
        let raw = resident.to_string();
        return Err(AppError::unprocessable(&[FIELD_RESIDENT.error(FieldErrorKind::UnknownOption { raw })]));
    };
    if !asks(&p, &entry) {
        return Err(conflict(&PollError::NotAsked));
    }
    let filing = Filing { resident, channel, key: Some(&key), answers: &answers, action: AuditAction::PollEntry };
    let created = file(&state, &user, &p, filing).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(reload(&state, &user, id).await?)))
}

/// `?q=`: building, room or (for those who see names) name.
#[derive(Debug, Default, Deserialize)]
pub struct AskedQuery {
    #[serde(default)]
    q: String,
}

/// `GET /api/polls/{id}/asked?q=` (community staff): up to 20 residents in
/// the clerk's area whom the poll asks, those still to answer first, with
/// whether each has answered.
pub async fn asked(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<AskedQuery>,
) -> ApiResult<Vec<AskedResident>> {
    let user = user.require(&state, CLERKS, AuditAction::PollEntry).await?;
    let p = scoped(&state, &user, id, AuditAction::PollEntry).await?;
    let words = query.q.trim();
    if words.chars().count() > 50 {
        return Err(AppError::fields(&[FIELD_SEARCH.error(FieldErrorKind::TooLong { max: 50 })]));
    }
    let names = user.role.may_reveal_personal_data();
    // The narrower of the clerk's area and the poll's community.
    let under = if p.community_path.starts_with(user.scope.as_str()) {
        p.community_path.clone()
    } else {
        user.scope.as_str().to_string()
    };
    let mut conn = state.db.acquire().await?;
    let mut found = store::find(&mut conn, (id, &audience(&p)), &under, (words, names), 20).await?;
    found.retain(|f| asks(&p, &f.resident));
    Ok(Json(
        found
            .into_iter()
            .map(|f| AskedResident {
                resident_id: f.resident.id,
                name: if names { f.resident.name.clone() } else { gongzhi_domain::pii::masked_name(&f.resident.name) },
                address: f.resident.address,
                answered: f.answered != 0,
            })
            .collect(),
    ))
}

/// `POST /api/polls/{id}/close` (leader): ends the poll; its count becomes
/// public to the community.
pub async fn close(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<PollView> {
    let user = user.require(&state, MANAGERS, AuditAction::PollClose).await?;
    let p = scoped(&state, &user, id, AuditAction::PollClose).await?;
    if !manages(&user, &p) {
        return Err(user.out_of_scope(&state, AuditAction::PollClose, format!("poll:{id}")).await);
    }
    let mut tx = state.write_tx().await?;
    match store::close(&mut tx, &user.who(), id, serde_json::json!({ "responses": p.responses })).await? {
        Outcome::Moved { .. } => {}
        _ => return Err(conflict(&PollError::Closed)),
    }
    tx.commit().await?;
    Ok(Json(reload(&state, &user, id).await?))
}

/// `GET /api/polls/{id}/export` (staff): the count as .xlsx — a sheet of
/// every option's count and share, one of the short answers.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = user.require(&state, STAFF, AuditAction::PollExport).await?;
    let p = scoped(&state, &user, id, AuditAction::PollExport).await?;
    if shown_status(&p, state.today()) == PollStatus::Open {
        return Err(conflict(&PollError::StillOpen));
    }
    let r = result(&state, &p).await?;
    let mut counts = Vec::new();
    let mut texts = Vec::new();
    for (i, q) in r.questions.iter().enumerate() {
        let title = format!("{}. {}", i + 1, q.text);
        for (option, n) in &q.counts {
            let share = (*n * 1000).checked_div(q.answered).map_or(0, |permille| (permille + 5) / 10);
            counts.push(vec![
                XCell::Text(title.clone()),
                XCell::Text(q.kind.label().into()),
                XCell::Text(option.clone()),
                XCell::Count((*n).into()),
                XCell::Text(format!("{share}%")),
            ]);
        }
        if let Some(avg) = q.average_tenths {
            let avg = format!("{}.{} 分", avg / 10, avg % 10);
            counts.push(vec![
                XCell::Text(title.clone()),
                XCell::Text(q.kind.label().into()),
                XCell::Text("平均分".into()),
                XCell::Text(avg),
                XCell::Text(String::new()),
            ]);
        }
        texts.extend(q.texts.iter().map(|t| vec![XCell::Text(title.clone()), XCell::Text(t.clone())]));
    }
    let channels: Vec<Vec<XCell>> = r
        .by_channel
        .iter()
        .map(|(c, n)| vec![XCell::Text(rules::channel_label(*c).into()), XCell::Count((*n).into())])
        .chain([vec![XCell::Text("合计".into()), XCell::Count(r.responses.into())]])
        .collect();
    let bytes = export::workbook(&[
        Sheet {
            name: "各题统计", header: &["问题", "题型", "选项", "人数", "占答题人数"], rows: &counts
        },
        Sheet { name: "简答", header: &["问题", "回答"], rows: &texts },
        Sheet { name: "填写方式", header: &["填写方式", "份数"], rows: &channels },
    ])
    .map_err(AppError::internal)?;
    let detail = serde_json::json!({ "responses": r.responses });
    audit::record(&state, &user.who(), &Event::success(AuditAction::PollExport, format!("poll:{id}")).detail(detail))
        .await?;
    Ok(export::xlsx_download("民意调查结果.xlsx", bytes))
}
