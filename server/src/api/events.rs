//! Events (事件) in the closed loop: reported from the street (often offline,
//! with the tablet's UUID as idempotency key), registered and dispatched by
//! the community, taken, handled and reported back by the department,
//! checked and closed by the community.
//!
//! Who sees an event: the community's workers whose scope holds its grid (and
//! whoever reported it); the department it is dispatched to.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, SecondsFormat, Utc};
use gongzhi_api::{
    EventActionInput, EventActionOption, EventCategoryView, EventStepView, EventView, NearbyEvent, NewEvent,
};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::grid::boundary::Position;
use gongzhi_domain::grid::config;
use gongzhi_domain::grid::event::{
    allowed_actions, check, possible_duplicates, EventAction, EventActor, EventError, EventStatus, StageClock,
    StageLimit, FIELD_CATEGORY, FIELD_DEPARTMENT,
};
use gongzhi_domain::grid::locate::BORDER_TOLERANCE_M;
use gongzhi_domain::time::{parse_utc, shanghai_datetime};
use gongzhi_domain::{Field, FieldErrorKind, OrgLevel, OrgPath, Role};
use serde::Deserialize;

use crate::audit::{self, Event, Outcome};
use crate::auth::session::CurrentUser;
use crate::auth::sha256_hex;
use crate::error::{ApiResult, AppError};
use crate::idempotency;
use crate::json::JsonBody;
use crate::paging::{paged, PageQuery, Paged};
use crate::state::AppState;
use crate::store;
use crate::store::events::{EventRow, Holder, NewReport, Step, Which};
use crate::store::transition::Outcome as Move;

pub const REPORTERS: &[Role] = &[Role::GridMember, Role::CommunityLeader];
pub const READERS: &[Role] = &[Role::GridMember, Role::CommunityLeader, Role::DepartmentApplicant];

fn actor(user: &CurrentUser) -> EventActor {
    EventActor { role: user.role, department_id: user.department_id }
}

/// Whether the caller may see the event.
fn visible(user: &CurrentUser, r: &EventRow) -> bool {
    match user.role {
        Role::DepartmentApplicant => actor(user).works_on(r.department_id),
        Role::GridMember | Role::CommunityLeader => OrgPath::parse(&r.path).is_some_and(|p| {
            // A reporter follows their own report in a neighbouring grid, but
            // never one outside their community.
            user.sees(&p) || (r.reported_by == user.account_id && reporter_community(user).contains(&p))
        }),
        _ => false,
    }
}

fn status_of(r: &EventRow) -> EventStatus {
    EventStatus::from_code(&r.status).unwrap_or(EventStatus::Reported)
}

fn view(state: &AppState, user: &CurrentUser, r: EventRow, steps: Vec<EventStepView>, now: DateTime<Utc>) -> EventView {
    let cat = config().category(&r.category);
    let status = status_of(&r);
    let started = parse_utc(&r.stage_started_at).unwrap_or(now);
    let limit = cat.and_then(|c| status.limit(c, &config().stage_limits));
    // Provisional on the statutory holidays when the limit reaches a year
    // without a published schedule; no clock at all for a year without either.
    let calendar = state.calendar();
    let reckoned = limit.and_then(|l| calendar.calendar.reckon(|c| StageClock::new(l, started, now, c)).ok());
    let provisional_years = reckoned.as_ref().map(|r| r.provisional_years.clone()).unwrap_or_default();
    let clock = reckoned.map(|r| r.value);
    let actions = allowed_actions(status, actor(user), r.department_id)
        .into_iter()
        .map(|a| EventActionOption { code: a.code().into(), label: a.label().into(), needs_note: a.needs_note() })
        .collect();
    EventView {
        id: r.id,
        idempotency_key: r.idempotency_key,
        category_label: cat.map(|c| c.label.clone()).unwrap_or_else(|| r.category.clone()),
        category: r.category,
        description: r.description,
        lon: r.lon,
        lat: r.lat,
        status: status.code().into(),
        status_label: status.label().into(),
        community_name: r.community_name,
        grid_name: r.grid_name,
        department_id: r.department_id,
        department_name: r.department_name,
        reported_by: r.reporter,
        reported_at: parse_utc(&r.reported_at).map(shanghai_datetime).unwrap_or_default(),
        flag: clock.map(|c| c.flag.code().to_string()).unwrap_or_default(),
        flag_label: clock.map(|c| c.flag.label().to_string()).unwrap_or_default(),
        time_left: clock
            .map(|c| if provisional_years.is_empty() { c.label() } else { format!("{}(暂定)", c.label()) })
            .unwrap_or_default(),
        deadline: clock.map(|c| shanghai_datetime(c.deadline)),
        provisional_years,
        stage_limit: limit.map(|l| l.label()),
        possible_duplicates: serde_json::from_str(&r.possible_duplicates).unwrap_or_default(),
        duplicate_of: r.duplicate_of,
        steps,
        actions,
    }
}

async fn steps(state: &AppState, id: i64) -> Result<Vec<EventStepView>, AppError> {
    let rows = store::events::steps(&mut *state.db.acquire().await?, id).await?;
    Ok(rows
        .into_iter()
        .map(|s| EventStepView {
            action_label: EventAction::from_code(&s.action).map(|a| a.label()).unwrap_or("上报").into(),
            status_label: EventStatus::from_code(&s.to_status).map(|s| s.label()).unwrap_or_default().into(),
            note: s.note,
            actor: s.display_name,
            at: parse_utc(&s.at).map(shanghai_datetime).unwrap_or_default(),
        })
        .collect())
}

async fn one(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<EventRow, AppError> {
    let row = store::events::get(&mut *state.db.acquire().await?, id).await?;
    match row {
        Some(r) if visible(user, &r) => Ok(r),
        _ => Err(user.out_of_scope(state, action, format!("event:{id}")).await),
    }
}

async fn full_view(state: &AppState, user: &CurrentUser, id: i64) -> Result<EventView, AppError> {
    let row = store::events::get(&mut *state.db.acquire().await?, id).await?;
    let row = row.ok_or_else(|| AppError::internal(format!("event {id} vanished")))?;
    Ok(view(state, user, row, steps(state, id).await?, Utc::now()))
}

/// The stage deadline of every open event with a limit in working days, as
/// the last civil day of the stage, on `calendar` (for recomputing when a
/// year's schedule is loaded): (id, label, deadline).
pub(crate) async fn stage_deadlines(
    conn: &mut sqlx::AnyConnection,
    calendar: &gongzhi_domain::WorkingDayCalendar,
) -> Result<
    Vec<(i64, String, Result<gongzhi_domain::Reckoned<chrono::NaiveDate>, gongzhi_domain::CalendarError>)>,
    AppError,
> {
    let rows = store::events::open_stages(conn).await?;
    let mut out = Vec::new();
    for store::events::StageRow { id, category, status, stage_started_at } in rows {
        let (Some(cat), Some(status), Some(started)) =
            (config().category(&category), EventStatus::from_code(&status), parse_utc(&stage_started_at))
        else {
            continue;
        };
        let Some(limit @ StageLimit::WorkingDays(_)) = status.limit(cat, &config().stage_limits) else { continue };
        // The deadline is the start of the day after the stage's last day.
        let last_day = calendar.reckon(|c| {
            let end = limit.deadline(started, c)?;
            Ok(gongzhi_domain::time::shanghai_date(end - chrono::Duration::seconds(1)))
        });
        out.push((id, format!("事件 #{id} {}({})", cat.label, status.label()), last_day));
    }
    Ok(out)
}

/// `GET /api/events/categories`: the categories and where each goes.
pub async fn categories(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Vec<EventCategoryView>> {
    let departments = store::events::departments(&mut *state.db.acquire().await?).await?;
    Ok(Json(
        config()
            .event_categories
            .iter()
            .map(|c| {
                let dept = departments.iter().find(|d| d.code == c.department);
                EventCategoryView {
                    code: c.code.clone(),
                    label: c.label.clone(),
                    department_id: dept.map(|d| d.id),
                    department_name: dept.map(|d| d.name.clone()).unwrap_or_else(|| c.department.clone()),
                    limit_label: c.handle_within.label(),
                }
            })
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListFilter {
    /// `open` (default), `closed` or `all`.
    state: Option<String>,
}

/// `GET /api/events`: the caller's events, the most urgent first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<ListFilter>,
    Query(pq): Query<PageQuery>,
) -> Paged<EventView> {
    let user = user.require(&state, READERS, AuditAction::EventList).await?;
    let page = pq.page(200);
    let which = match f.state.as_deref().unwrap_or("open") {
        "closed" => Which::Closed,
        "all" => Which::All,
        _ => Which::Open,
    };
    let holder = match user.role {
        Role::DepartmentApplicant => Holder::Department(user.department_id.unwrap_or(-1)),
        _ => Holder::Scope { path: user.scope.as_str(), reporter: user.account_id },
    };
    // Urgency is derived (the stage clock), so the order is made here over
    // the scope's matching events, then one page is answered.
    let rows = store::events::list(&mut *state.db.acquire().await?, holder, which).await?;
    let now = Utc::now();
    let mut out: Vec<EventView> =
        rows.into_iter().filter(|r| visible(&user, r)).map(|r| view(&state, &user, r, vec![], now)).collect();
    // Red first, then yellow, then by deadline; closed last.
    let rank = |v: &EventView| match v.flag.as_str() {
        "red" => 0,
        "yellow" => 1,
        "green" => 2,
        _ => 3,
    };
    out.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.deadline.cmp(&b.deadline)));
    let total = out.len() as i64;
    paged(page.slice(out), total, page)
}

/// `GET /api/events/{id}`
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<EventView> {
    let user = user.require(&state, READERS, AuditAction::EventRead).await?;
    one(&state, &user, id, AuditAction::EventRead).await?;
    Ok(Json(full_view(&state, &user, id).await?))
}

/// Open events of a category in the community around a position.
pub(crate) async fn open_nearby(
    state: &AppState,
    community_id: i64,
    category: &str,
    at: Position,
    except: Option<i64>,
) -> Result<Vec<(i64, f64)>, AppError> {
    let rows = store::events::open_of_category(&mut *state.db.acquire().await?, community_id, category, except).await?;
    Ok(possible_duplicates(
        at,
        category,
        rows.into_iter().map(|r| (r.id, r.category, Position { lon: r.lon, lat: r.lat })),
    ))
}

/// Where a report at `at` belongs: (community id, grid id, path). The grid
/// it stands in, if any; else the reporter's own community.
/// The community a reporter works in: their node, or the community above
/// their grid. Reports (and a reporter's own rights on them) stay inside it.
fn reporter_community(user: &CurrentUser) -> OrgPath {
    user.scope.truncated(OrgLevel::Community.depth())
}

/// Where a report belongs: the grid the point falls in, which must lie in
/// the reporter's community (a point in another community's grid is refused
/// and the refusal audited: the reporter has no rights there); a point in no
/// grid goes to the reporter's own community.
async fn place(state: &AppState, user: &CurrentUser, at: Position) -> Result<(i64, Option<i64>, String), AppError> {
    let hits = state.grid_index().await?.locate(at, BORDER_TOLERANCE_M);
    let community = reporter_community(user);
    let mut elsewhere = false;
    let mut conn = state.db.acquire().await?;
    for hit in hits {
        match store::events::grid_place(&mut conn, hit.key).await? {
            Some((community_id, path)) if OrgPath::parse(&path).is_some_and(|p| community.contains(&p)) => {
                return Ok((community_id, Some(hit.key), path));
            }
            Some(_) => elsewhere = true,
            None => {}
        }
    }
    if elsewhere {
        drop(conn);
        let detail = serde_json::json!({ "reason": "scope", "lon": at.lon, "lat": at.lat });
        let event = Event::new(AuditAction::EventReport, "events", Outcome::Denied).detail(detail);
        audit::record(state, &user.who(), &event).await?;
        return Err(AppError::unprocessable(&[FIELD_POSITION.error(FieldErrorKind::OutsideScope)]));
    }
    // The reporter's community: their node if it is one, else its parent.
    let node = store::events::node(&mut conn, user.org_node_id).await?;
    if node.level == "grid" {
        let parent = node.parent_id.unwrap_or(node.id);
        let ppath = store::events::node_path(&mut conn, parent).await?;
        return Ok((parent, None, ppath));
    }
    Ok((node.id, None, node.path))
}

/// The report's position as the person sees it: the point on the map.
const FIELD_POSITION: Field = Field::new("position", "事件位置");

#[derive(Debug, Default, Deserialize)]
pub struct NearbyQuery {
    lon: Option<String>,
    lat: Option<String>,
    category: Option<String>,
}

/// `GET /api/events/nearby?lon=&lat=&category=`: open events of the same
/// category within 50 m, offered before a report is sent.
pub async fn nearby(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<NearbyQuery>,
) -> ApiResult<Vec<NearbyEvent>> {
    let user = user.require(&state, REPORTERS, AuditAction::EventNearby).await?;
    let at = Position::parse(q.lon.as_deref().unwrap_or(""), q.lat.as_deref().unwrap_or(""));
    let category = q.category.unwrap_or_default();
    let mut errors = at.as_ref().err().cloned().unwrap_or_default();
    if config().category(&category).is_none() {
        errors.push(FIELD_CATEGORY.error(FieldErrorKind::UnknownOption { raw: category.clone() }));
    }
    let Ok(at) = at.map_err(|_| ()).and_then(|a| if errors.is_empty() { Ok(a) } else { Err(()) }) else {
        return Err(AppError::fields(&errors));
    };
    let (community, _, _) = place(&state, &user, at).await?;
    let mut out = Vec::new();
    for (id, distance_m) in open_nearby(&state, community, &category, at, None).await? {
        let r = store::events::get(&mut *state.db.acquire().await?, id).await?;
        let r = r.ok_or_else(|| AppError::internal(format!("event {id} vanished")))?;
        if visible(&user, &r) {
            out.push(NearbyEvent {
                id,
                distance_m,
                status_label: status_of(&r).label().into(),
                reported_at: parse_utc(&r.reported_at).map(shanghai_datetime).unwrap_or_default(),
                description: r.description,
            });
        }
    }
    Ok(Json(out))
}

/// `POST /api/events`: 201 with the new event (and the possible duplicates
/// found); 200 with the stored one on a retry; 422 for a reused key.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewEvent>,
) -> Result<(StatusCode, Json<EventView>), AppError> {
    let user = user.require(&state, REPORTERS, AuditAction::EventReport).await?;
    let key = idempotency::parse_key(&body.idempotency_key)?;
    let now = Utc::now();
    let report = body.report.parse(config(), now).map_err(|e| AppError::fields(&e))?;
    let fingerprint = sha256_hex(&serde_json::to_string(&body.report).map_err(AppError::internal)?);
    let (community, grid, path) = place(&state, &user, report.position).await?;
    let duplicates: Vec<i64> = open_nearby(&state, community, &report.category.code, report.position, None)
        .await?
        .into_iter()
        .map(|d| d.0)
        .collect();
    let stamp = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let reported_at = report.reported_at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut tx = state.write_tx().await?;
    let new = NewReport {
        idempotency_key: &key,
        request_sha256: &fingerprint,
        community_id: community,
        grid_id: grid,
        path: &path,
        category: &report.category.code,
        description: &report.description,
        lon: report.position.lon,
        lat: report.position.lat,
        possible_duplicates: &duplicates,
        reported_by: user.account_id,
        reported_at: &reported_at,
        received_at: &stamp,
    };
    let Some(id) = store::events::insert_report(&mut tx, &new).await? else {
        let id = idempotency::earlier(&mut tx, &idempotency::EVENTS, user.account_id, &key, &fingerprint).await?;
        drop(tx);
        return Ok((StatusCode::OK, Json(full_view(&state, &user, id).await?)));
    };
    let detail =
        serde_json::json!({ "category": report.category.code, "grid": grid, "possible_duplicates": duplicates });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::EventReport, format!("event:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(full_view(&state, &user, id).await?)))
}

fn event_error(e: &EventError) -> AppError {
    let status = match e {
        EventError::RoleNotAllowed { .. } => StatusCode::FORBIDDEN,
        EventError::WrongStatus { .. } => StatusCode::CONFLICT,
        EventError::Field(_) => StatusCode::BAD_REQUEST,
    };
    AppError::domain(status, e)
}

/// `POST /api/events/{id}/actions`: one step of the loop, checked against
/// the status and role, stored with its step and audit entry in one
/// transaction; a concurrent change answers 409.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<EventActionInput>,
) -> ApiResult<EventView> {
    let user = user.require(&state, READERS, AuditAction::EventAct).await?;
    let row = one(&state, &user, id, AuditAction::EventAct).await?;
    let field = Field::new("action", "操作");
    let action = EventAction::from_code(body.action.trim())
        .ok_or_else(|| AppError::fields(&[field.error(FieldErrorKind::UnknownOption { raw: body.action.clone() })]))?;
    let status = status_of(&row);
    check(action, status, actor(&user), row.department_id, &body.note).map_err(|e| event_error(&e))?;
    let mut department = row.department_id;
    let mut duplicate_of: Option<i64> = None;
    match action {
        EventAction::Dispatch => {
            let mut conn = state.db.acquire().await?;
            let wanted = match body.department_id {
                Some(d) => Some(d),
                None => {
                    let code = config().category(&row.category).map(|c| c.department.as_str());
                    store::events::department_by_code(&mut conn, code).await?
                }
            };
            let exists = match wanted {
                Some(d) => store::events::department(&mut conn, d).await?,
                None => None,
            };
            let Some(d) = exists else {
                let raw = wanted.map(|d| d.to_string()).unwrap_or_default();
                let kind =
                    if raw.is_empty() { FieldErrorKind::Required } else { FieldErrorKind::UnknownOption { raw } };
                return Err(AppError::fields(&[FIELD_DEPARTMENT.error(kind)]));
            };
            department = Some(d);
        }
        EventAction::Return => department = None,
        EventAction::MarkDuplicate => {
            let f = Field::new("duplicate_of", "重复于事件");
            let original = match body.duplicate_of {
                Some(o) if o != id => store::events::get(&mut *state.db.acquire().await?, o).await?,
                _ => None,
            };
            match original {
                Some(o) if visible(&user, &o) && status_of(&o) != EventStatus::Closed => duplicate_of = Some(o.id),
                _ => {
                    let raw = body.duplicate_of.map(|d| d.to_string()).unwrap_or_default();
                    let kind =
                        if raw.is_empty() { FieldErrorKind::Required } else { FieldErrorKind::UnknownOption { raw } };
                    return Err(AppError::fields(&[f.error(kind)]));
                }
            }
        }
        _ => {}
    }
    let to = action.transition().1;
    let stamp = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let detail = serde_json::json!({ "from": status.code(), "to": to.code(), "department": department, "duplicate_of": duplicate_of });
    let step = Step {
        id,
        action,
        from: status,
        to,
        department,
        duplicate_of,
        note: body.note.trim(),
        actor: user.account_id,
        at: &stamp,
        audit: audit_action(action),
        detail,
    };
    let mut tx = state.write_tx().await?;
    match store::events::record_step(&mut tx, &user.who(), step).await? {
        Move::Moved { .. } => {}
        // Moved by another request meanwhile: nothing written.
        Move::Changed { now } => return Err(event_error(&EventError::WrongStatus { action, status: now })),
        Move::NotFound => return Err(AppError::internal(format!("event {id} vanished"))),
    }
    tx.commit().await?;
    Ok(Json(full_view(&state, &user, id).await?))
}

/// The audit trail's name for an action (labelled in `audit::action_label`).
fn audit_action(action: EventAction) -> AuditAction {
    match action {
        EventAction::Register => AuditAction::EventRegister,
        EventAction::MarkDuplicate => AuditAction::EventMarkDuplicate,
        EventAction::Dispatch => AuditAction::EventDispatch,
        EventAction::Accept => AuditAction::EventAccept,
        EventAction::Return => AuditAction::EventReturn,
        EventAction::ReportBack => AuditAction::EventReportBack,
        EventAction::CheckPass => AuditAction::EventCheckPass,
        EventAction::CheckFail => AuditAction::EventCheckFail,
        EventAction::Close => AuditAction::EventClose,
    }
}
