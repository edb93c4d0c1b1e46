//! Public disclosure of community affairs (居务公开): each community's
//! directory (adopted from common practice, then extended), publications
//! against it, the items owed and overdue on the working-day calendar, and
//! residents' questions and objections answered in public. The board is
//! public — anyone may read it without signing in — and never names who
//! asked. Handlers are role → scope → parse → domain → store.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use gongzhi_api::disclosure::*;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::AccessError;
use gongzhi_domain::disclosure::{
    self as rules, AnswerInput, DirectoryItemInput, DisclosureError, Frequency, Period, PublicationInput,
    QuestionInput, QuestionKind,
};
use gongzhi_domain::error::FieldErrorKind;
use gongzhi_domain::funding::fen_label;
use gongzhi_domain::{DomainError, Role};

use super::participation::path_of;
use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::disclosure::{self as store, CommunityRow, ItemRow, NewItem};
use crate::store::participation::account_entry;

/// Who publishes and answers: the community's leader.
pub const MANAGERS: &[Role] = &[Role::CommunityLeader];
/// Who asks and objects: residents of the community, signed in.
pub const ASKERS: &[Role] = &[Role::Resident];
/// Who has a community of their own to open.
pub const MEMBERS: &[Role] = &[Role::Resident, Role::GridMember, Role::CommunityLeader];

fn conflict(e: &dyn DomainError) -> AppError {
    AppError::domain(StatusCode::CONFLICT, e)
}

fn frequency(i: &ItemRow) -> Frequency {
    Frequency::from_code(&i.frequency).unwrap_or(Frequency::AtOnce)
}

fn date(raw: &str) -> chrono::NaiveDate {
    gongzhi_domain::due::civil_date(raw).unwrap_or_default()
}

fn manages(user: Option<&CurrentUser>, c: &CommunityRow) -> bool {
    user.is_some_and(|u| MANAGERS.contains(&u.role) && u.sees(&path_of(&c.path)))
}

/// The register entry's path of a resident's account.
async fn resident_path(state: &AppState, user: &CurrentUser) -> Result<Option<String>, AppError> {
    if user.role != Role::Resident {
        return Ok(None);
    }
    Ok(account_entry(&mut *state.db.acquire().await?, user.account_id).await?.map(|v| v.path))
}

async fn community(state: &AppState, id: i64) -> Result<CommunityRow, AppError> {
    store::community(&mut *state.db.acquire().await?, id).await?.ok_or_else(|| AccessError::NotFound.into())
}

async fn board(state: &AppState, user: Option<&CurrentUser>, c: CommunityRow) -> Result<DisclosureBoard, AppError> {
    let today = state.today();
    let calendar = state.calendar();
    let mut conn = state.db.acquire().await?;
    let items = store::items(&mut conn, c.id).await?;
    let publications = store::publications(&mut conn, c.id).await?;
    let questions = store::questions(&mut conn, c.id).await?;
    drop(conn);
    let can_ask = match user {
        Some(u) => resident_path(state, u).await?.is_some_and(|p| p.starts_with(&c.path)),
        None => false,
    };
    let mut overdue = 0;
    let mut views = Vec::new();
    for i in &items {
        let f = frequency(i);
        let mine: Vec<&store::PublicationRow> = publications.iter().filter(|p| p.item_id == i.id).collect();
        let keys: Vec<String> = mine.iter().map(|p| p.period.clone()).collect();
        let owed = calendar.calendar.reckon(|cal| rules::owed(f, date(&i.since), &keys, today, cal));
        let (owed, provisional) = match owed {
            Ok(r) => (r.value.clone(), r.is_provisional()),
            // A year with neither a schedule nor statutory days: no flag, no date.
            Err(_) => (None, false),
        };
        overdue += u32::from(owed.as_ref().is_some_and(|o| o.2));
        views.push(DirectoryItemView {
            id: i.id,
            item: i.item.clone(),
            content: i.content.clone(),
            basis: i.basis.clone(),
            frequency: f.code().into(),
            frequency_label: f.label().into(),
            channels_label: store::channels_label(&i.channels),
            owner: i.owner.clone(),
            owed_key: owed.as_ref().map(|o| o.0.key.clone()),
            owed_label: owed.as_ref().map(|o| o.0.label.clone()),
            due_on: owed.as_ref().map(|o| o.1),
            overdue: owed.as_ref().is_some_and(|o| o.2),
            due_provisional: provisional && owed.is_some(),
            last_published_on: mine.iter().map(|p| date(&p.published_on)).max(),
        });
    }
    let publications = publications
        .iter()
        .map(|p| {
            let f = items.iter().find(|i| i.id == p.item_id).map_or(Frequency::AtOnce, frequency);
            PublicationView {
                id: p.id,
                item_id: p.item_id,
                item: p.item.clone(),
                period_label: Period::parse(f, &p.period).map(|x| x.label),
                title: p.title.clone(),
                body: p.body.clone(),
                attachments: serde_json::from_str(&p.attachments).unwrap_or_default(),
                published_on: date(&p.published_on),
                questions: questions
                    .iter()
                    .filter(|q| q.publication_id == p.id)
                    .map(|q| {
                        let k = QuestionKind::from_code(&q.kind).unwrap_or(QuestionKind::Question);
                        QuestionView {
                            id: q.id,
                            kind: k.code().into(),
                            kind_label: k.label().into(),
                            text: q.text.clone(),
                            asked_on: date(&q.asked_on),
                            answer: q.answer.clone(),
                            answered_on: q.answered_on.as_deref().map(date),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(DisclosureBoard {
        community_id: c.id,
        community_name: c.name.clone(),
        has_directory: !items.is_empty(),
        items: views,
        publications,
        overdue,
        can_manage: manages(user, &c),
        can_ask,
    })
}

/// `GET /api/disclosure/communities` (public): every community, to pick one.
pub async fn communities(State(state): State<AppState>) -> ApiResult<Vec<CommunityRef>> {
    let rows = crate::store::funding::places(&mut *state.db.acquire().await?).await?;
    Ok(Json(rows.into_iter().map(|p| CommunityRef { id: p.id, name: p.name, street_name: p.street_name }).collect()))
}

/// `GET /api/disclosure/communities/{id}` (public): the board. With a
/// session it also says whether the caller manages it or may ask.
pub async fn get(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Path(id): Path<i64>,
) -> ApiResult<DisclosureBoard> {
    let c = community(&state, id).await?;
    Ok(Json(board(&state, user.as_ref(), c).await?))
}

/// `GET /api/disclosure/mine`: the caller's own community.
pub async fn mine(State(state): State<AppState>, user: CurrentUser) -> ApiResult<CommunityRef> {
    let user = user.require(&state, MEMBERS, AuditAction::DisclosureBoard).await?;
    let path = match resident_path(&state, &user).await? {
        Some(p) => p,
        None => user.scope.as_str().to_string(),
    };
    let mut conn = state.db.acquire().await?;
    let c = crate::store::seal::community_at(&mut conn, &path).await?.ok_or(AccessError::NotFound)?;
    let street = crate::store::funding::places(&mut conn).await?.into_iter().find(|p| p.id == c.id);
    Ok(Json(CommunityRef { id: c.id, name: c.name, street_name: street.map(|p| p.street_name).unwrap_or_default() }))
}

/// The community the leader manages (their own).
async fn led(state: &AppState, user: &CurrentUser) -> Result<CommunityRow, AppError> {
    let mut conn = state.db.acquire().await?;
    let c = crate::store::seal::community_at(&mut conn, user.scope.as_str()).await?.ok_or(AccessError::Forbidden)?;
    Ok(CommunityRow { id: c.id, code: c.code, name: c.name, path: c.path })
}

/// `POST /api/disclosure/directory/defaults` (leader): adopts the common
/// directory (`gongzhi_domain::disclosure::default_directory`); periods
/// from today on are owed.
pub async fn adopt(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<(StatusCode, Json<DisclosureBoard>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::DisclosureAdopt).await?;
    let c = led(&state, &user).await?;
    let at = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    let mut added = 0;
    for (code, item) in rules::default_directory() {
        let n = NewItem { community: c.id, code, since: state.today(), by: user.account_id, at: &at };
        added += u32::from(store::insert_item(&mut tx, &item, &n).await?);
    }
    if added == 0 {
        return Err(conflict(&DisclosureError::DirectoryExists));
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::DisclosureAdopt, format!("org_node:{}", c.id))
            .detail(serde_json::json!({ "items": added })),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(board(&state, Some(&user), c).await?)))
}

/// `POST /api/disclosure/items` (leader): adds an item to the directory.
pub async fn add_item(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<DirectoryItemInput>,
) -> Result<(StatusCode, Json<DisclosureBoard>), AppError> {
    let user = user.require(&state, MANAGERS, AuditAction::DisclosureItemAdd).await?;
    let item = body.parse().map_err(|e| AppError::fields(&e))?;
    let c = led(&state, &user).await?;
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    let code = format!("custom-{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let at = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    let n = NewItem { community: c.id, code: &code, since: state.today(), by: user.account_id, at: &at };
    if !store::insert_item(&mut tx, &item, &n).await? {
        return Err(AppError::internal("item code taken"));
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::DisclosureItemAdd, format!("org_node:{}", c.id))
            .detail(serde_json::json!({ "item": item.item, "frequency": item.frequency.code() })),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(board(&state, Some(&user), c).await?)))
}

/// An item of the leader's own community, or 404 (recorded).
async fn own_item(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<(ItemRow, CommunityRow), AppError> {
    let i = store::item(&mut *state.db.acquire().await?, id).await?;
    let c = match &i {
        Some(i) => store::community(&mut *state.db.acquire().await?, i.community_id).await?,
        None => None,
    };
    match (i, c.filter(|c| manages(Some(user), c))) {
        (Some(i), Some(c)) => Ok((i, c)),
        _ => Err(user.out_of_scope(state, action, format!("disclosure_item:{id}")).await),
    }
}

/// `POST /api/disclosure/publications` (leader): publishes against an item
/// of the leader's directory, once per period (409 `disclosure_already_published`).
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<PublicationInput>,
) -> Result<(StatusCode, Json<DisclosureBoard>), AppError> {
    use gongzhi_domain::disclosure::FIELD_ITEM_ID as FIELD_ITEM;
    let user = user.require(&state, MANAGERS, AuditAction::DisclosurePublish).await?;
    let item_id = FIELD_ITEM.required_id(&body.item_id).map_err(|e| AppError::fields(&[e]))?;
    let i = store::item(&mut *state.db.acquire().await?, item_id).await?;
    let c = match &i {
        Some(i) => store::community(&mut *state.db.acquire().await?, i.community_id).await?,
        None => None,
    };
    // An item outside the leader's directory is answered as unknown.
    let (Some(i), Some(c)) = (i, c.filter(|c| manages(Some(&user), c))) else {
        user.audit_foreign_reference(&state, AuditAction::DisclosurePublish, format!("disclosure_item:{item_id}"))
            .await?;
        let raw = item_id.to_string();
        return Err(AppError::unprocessable(&[FIELD_ITEM.error(FieldErrorKind::UnknownOption { raw })]));
    };
    let today = state.today();
    let p = body.parse(frequency(&i), today).map_err(|e| AppError::fields(&e))?;
    let at = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    let Some(pid) = store::insert_publication(&mut tx, i.id, &p, (&today.to_string(), user.account_id, &at)).await?
    else {
        let period = p.period.map(|x| x.label).unwrap_or_default();
        return Err(conflict(&DisclosureError::AlreadyPublished { period }));
    };
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::DisclosurePublish, format!("disclosure_publication:{pid}")).detail(
            serde_json::json!({ "item": i.id, "period": p.period.as_ref().map(|x| x.key.clone()), "title": p.title }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(board(&state, Some(&user), c).await?)))
}

/// `GET /api/disclosure/items/{id}/figures` (leader): the system's own
/// figures for a financial item, as text to start a publication from — the
/// funding the community received per admitted item (准入事项经费) and the
/// practical projects' delivery (民生实事); 404 for items without figures.
pub async fn figures(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<DisclosureFigures> {
    let user = user.require(&state, MANAGERS, AuditAction::DisclosureFigures).await?;
    let (i, c) = own_item(&state, &user, id, AuditAction::DisclosureFigures).await?;
    let period = Period::holding(frequency(&i), state.today()).and_then(|p| p.previous(frequency(&i)));
    let heading = period.as_ref().map_or(String::new(), |p| p.label.clone());
    let mut body = Vec::new();
    match i.code.as_str() {
        "admitted_work" | "funds" => {
            let lines = super::funding::ledger(&state, &user, &Default::default()).await?;
            for l in lines.iter().filter(|l| l.community_code == c.code) {
                body.push(format!(
                    "{}({},{}):应拨 {} 元,已到账 {} 元,{}",
                    l.item_name,
                    l.department_name,
                    l.period_label,
                    fen_label(l.required_fen),
                    fen_label(l.paid_fen),
                    l.state_label
                ));
            }
            if body.is_empty() {
                body.push("本期没有随准入事项拨付的经费。".into());
            }
        }
        "projects" => {
            let mut conn = state.db.acquire().await?;
            let rounds = crate::store::participation::rounds(&mut conn, &c.path).await?;
            for r in rounds.iter().filter(|r| r.community_id == c.id) {
                for d in crate::store::participation::deliveries(&mut conn, r.id).await? {
                    body.push(format!(
                        "{}({}):估算 {} 元,完成进度 {}%{}",
                        d.title,
                        r.title,
                        fen_label(d.cost_fen.unwrap_or(0)),
                        d.progress,
                        if d.completed_on.is_some() { ",已完成" } else { "" }
                    ));
                }
            }
            if body.is_empty() {
                body.push("本期没有在办的民生实事项目。".into());
            }
        }
        _ => return Err(AccessError::NotFound.into()),
    }
    // In a write transaction of its own: the entry and the chain head move together.
    audit::record(
        &state,
        &user.who(),
        &Event::success(AuditAction::DisclosureFigures, format!("disclosure_item:{id}")),
    )
    .await?;
    Ok(Json(DisclosureFigures {
        title: format!("{}{}", heading, i.item),
        body: format!("以下数据来自共治系统,截至 {}:\n{}", state.today(), body.join("\n")),
    }))
}

/// `POST /api/disclosure/publications/{id}/questions` (resident of the
/// community): a question or an objection, shown in public without the name.
pub async fn ask(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<QuestionInput>,
) -> Result<(StatusCode, Json<DisclosureBoard>), AppError> {
    let user = user.require(&state, ASKERS, AuditAction::DisclosureAsk).await?;
    let cid = store::publication_community(&mut *state.db.acquire().await?, id).await?;
    let c = match cid {
        Some(cid) => store::community(&mut *state.db.acquire().await?, cid).await?,
        None => None,
    };
    let path = resident_path(&state, &user).await?;
    let Some(c) = c.filter(|c| path.as_ref().is_some_and(|p| p.starts_with(&c.path))) else {
        return Err(user
            .out_of_scope(&state, AuditAction::DisclosureAsk, format!("disclosure_publication:{id}"))
            .await);
    };
    let (kind, text) = body.parse().map_err(|e| AppError::fields(&e))?;
    let (at, on) = (Utc::now().to_rfc3339(), state.today().to_string());
    let mut tx = state.write_tx().await?;
    // Counted inside the write transaction: two at once cannot both be the fifth.
    rules::may_ask(store::questions_asked(&mut tx, user.account_id, &on).await?)
        .map_err(|e| AppError::domain(StatusCode::TOO_MANY_REQUESTS, &e))?;
    let qid = store::insert_question(&mut tx, id, (kind, &text), (user.account_id, &at, &on)).await?;
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::DisclosureAsk, format!("disclosure_question:{qid}"))
            .detail(serde_json::json!({ "publication": id, "kind": kind.code() })),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(board(&state, Some(&user), c).await?)))
}

/// `POST /api/disclosure/questions/{id}/answer` (leader): the public answer, once.
pub async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<AnswerInput>,
) -> ApiResult<DisclosureBoard> {
    let user = user.require(&state, MANAGERS, AuditAction::DisclosureAnswer).await?;
    let cid = store::question_community(&mut *state.db.acquire().await?, id).await?;
    let c = match cid {
        Some(cid) => store::community(&mut *state.db.acquire().await?, cid).await?,
        None => None,
    };
    let Some(c) = c.filter(|c| manages(Some(&user), c)) else {
        return Err(user
            .out_of_scope(&state, AuditAction::DisclosureAnswer, format!("disclosure_question:{id}"))
            .await);
    };
    let text = body.parse().map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    if !store::answer(&mut tx, id, &text, (user.account_id, &state.today().to_string())).await? {
        return Err(conflict(&DisclosureError::AlreadyAnswered));
    }
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::DisclosureAnswer, format!("disclosure_question:{id}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(board(&state, Some(&user), c).await?))
}
