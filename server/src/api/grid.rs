//! Grids (网格) as a grid member walks them: the list in scope, the map of one
//! grid with its households and the visits due, the grid at a GPS position,
//! and whether a community's grids tile it.

use gongzhi_domain::audit::AuditAction;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::Json;
use gongzhi_api::{
    CoverageView, DueVisitView, EventPin, GridMap, GridSummary, HouseholdPin, LocateHit, NeighbourOutline, OverlapView,
};
use gongzhi_domain::grid::boundary::{GridBoundary, Position, FIELD_BOUNDARY};
use gongzhi_domain::grid::coverage::Coverage;
use gongzhi_domain::grid::event::EventStatus;
use gongzhi_domain::grid::locate::BORDER_TOLERANCE_M;
use gongzhi_domain::grid::visits::{due_visits, DueVisit, HouseholdStatus, VisitState, VisitSubject};
use gongzhi_domain::grid::{config, SizeFlag, MERGED_DUTIES};
use gongzhi_domain::org::SpecialGroup;
use gongzhi_domain::pii::masked_name;
use gongzhi_domain::{Field, FieldErrorKind, OrgPath, Role};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::paging::{paged, search_term, PageQuery, Paged, MAX_PER_PAGE};
use crate::state::AppState;
use crate::store;
use crate::store::grid::{CommunityBy, GridRow, Grids, NodeRow};

/// Who reads grids: the community's workers, and reviewers above them.
pub const READERS: &[Role] = &[Role::GridMember, Role::CommunityLeader, Role::Reviewer];

fn summary(r: &GridRow, overdue: u32) -> GridSummary {
    let flag = SizeFlag::of(r.households as u32);
    GridSummary {
        id: r.id,
        code: r.code.clone(),
        name: r.name.clone(),
        community_code: r.community_code.clone(),
        community_name: r.community_name.clone(),
        households: r.households as u32,
        residents: r.residents as u32,
        special_residents: r.special as u32,
        buildings: r.buildings as u32,
        size_flag: flag.code().into(),
        size_flag_label: flag.label().into(),
        members: r.members.as_deref().map(|m| m.split('、').map(String::from).collect()).unwrap_or_default(),
        area_m2: r.area_m2,
        overdue_visits: overdue,
        open_events: r.open_events as u32,
    }
}

/// A special-group resident of a grid, with the last visit that counts.
struct Subject {
    resident_id: i64,
    name: String,
    group: SpecialGroup,
    household_id: i64,
    address: String,
    grid_id: i64,
    last_visit: Option<chrono::NaiveDate>,
    since: chrono::NaiveDate,
}

/// Special-group residents of the grids `grids`.
async fn subjects(state: &AppState, grids: &[i64]) -> Result<Vec<Subject>, AppError> {
    let rows = store::grid::special_residents(&mut *state.db.acquire().await?, grids).await?;
    let date = |s: Option<String>| s.and_then(|s| s.parse::<chrono::NaiveDate>().ok());
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Subject {
                group: SpecialGroup::from_code(&r.special_group)?,
                resident_id: r.id,
                name: r.name,
                household_id: r.household_id,
                address: r.address,
                grid_id: r.grid_id,
                last_visit: date(r.last_visit),
                since: date(r.since).unwrap_or_else(|| state.today()),
            })
        })
        .collect())
}

/// The visits due among `subjects`, overdue first; `key` indexes `subjects`.
fn due(state: &AppState, subjects: &[Subject]) -> Vec<DueVisit<usize>> {
    let input: Vec<VisitSubject<usize>> = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| VisitSubject { key: i, group: s.group, last_visit: s.last_visit, since: s.since })
        .collect();
    due_visits(&input, &config().visit_rules, &state.calendar().calendar, state.today())
}

/// One due visit as the wire shows it.
fn due_view(s: &Subject, d: &DueVisit<usize>, full_names: bool) -> DueVisitView {
    DueVisitView {
        resident_id: s.resident_id,
        resident_name: if full_names { s.name.clone() } else { masked_name(&s.name) },
        group: s.group.code().into(),
        group_label: s.group.label().into(),
        rule_label: config().visit_rules.for_group(s.group).map(|r| r.every.label()).unwrap_or_default(),
        household_id: s.household_id,
        address: s.address.clone(),
        last_visit: s.last_visit.map(|d| d.to_string()),
        due: d.due.to_string(),
        provisional_years: d.provisional_years.clone(),
        state: d.state.code().into(),
        state_label: if d.provisional_years.is_empty() {
            d.state.label()
        } else {
            format!("{}(暂定)", d.state.label())
        },
    }
}

/// Names in full for the community's own workers; masked above them.
fn sees_names(user: &CurrentUser) -> bool {
    matches!(user.role, Role::GridMember | Role::CommunityLeader)
}

/// `GET /api/grids`: the grids in scope with their counts and flags, by code,
/// a page at a time (`?page=&per_page=`, 100 by default, total in
/// `X-Total-Count`), searched with `?q=` (grid or community name, grid code).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<ListFilter>,
    Query(pq): Query<PageQuery>,
) -> Paged<GridSummary> {
    let user = user.require(&state, READERS, AuditAction::GridList).await?;
    let search = search_term(f.q.as_deref(), SEARCH_MAX)?;
    let page = pq.page(100);
    let which = Grids::Under(user.scope.as_str(), search);
    let mut conn = state.db.acquire().await?;
    let total = store::grid::count_grids(&mut conn, which).await?;
    let rows = store::grid::grids(&mut conn, which, page.limit(), page.offset()).await?;
    drop(conn);
    // Visits due on this page's grids only: a city's scope holds thousands.
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let subjects = subjects(&state, &ids).await?;
    let mut overdue: HashMap<i64, u32> = HashMap::new();
    for d in due(&state, &subjects) {
        if matches!(d.state, VisitState::Overdue { .. }) {
            *overdue.entry(subjects[d.key].grid_id).or_default() += 1;
        }
    }
    paged(rows.iter().map(|r| summary(r, overdue.get(&r.id).copied().unwrap_or(0))).collect(), total, page)
}

/// The longest search on the grid list.
const SEARCH_MAX: usize = 40;

#[derive(Debug, Default, Deserialize)]
pub struct ListFilter {
    /// Part of a grid's or its community's name, or of a grid's code.
    q: Option<String>,
}

/// A grid node in the caller's scope, or 404 (audited).
pub(crate) async fn grid_in_scope(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<GridRow, AppError> {
    let row = store::grid::grid(&mut *state.db.acquire().await?, id).await?;
    match row {
        Some(r) if OrgPath::parse(&r.path).is_some_and(|p| user.sees(&p)) => Ok(r),
        _ => Err(user.out_of_scope(state, action, format!("grid:{id}")).await),
    }
}

fn rings(raw: Option<String>) -> Vec<Vec<[f64; 2]>> {
    raw.and_then(|raw| GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).ok()).map(|b| b.rings()).unwrap_or_default()
}

/// `GET /api/grids/{id}/map`: boundary, households coloured by visit status,
/// the due list and open events — everything a walk needs, in one answer the
/// tablet keeps for offline use. Reading special-group residents is audited.
pub async fn map(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<GridMap> {
    let user = user.require(&state, READERS, AuditAction::GridMap).await?;
    let row = grid_in_scope(&state, &user, id, AuditAction::GridMap).await?;
    let subjects = subjects(&state, &[id]).await?;
    let due_visits = due(&state, &subjects);
    let overdue = due_visits.iter().filter(|d| matches!(d.state, VisitState::Overdue { .. })).count() as u32;
    let mut states: HashMap<i64, Vec<VisitState>> = HashMap::new();
    for d in &due_visits {
        states.entry(subjects[d.key].household_id).or_default().push(d.state);
    }
    let full_names = sees_names(&user);
    let due: Vec<DueVisitView> = due_visits.iter().map(|d| due_view(&subjects[d.key], d, full_names)).collect();
    let today = state.today();
    let mut conn = state.db.acquire().await?;
    let rows = store::grid::household_pins(&mut conn, id).await?;
    let households = rows
        .into_iter()
        .map(|(hid, code, address, building, lon, lat, residents, last_visit)| HouseholdPin {
            id: hid,
            code,
            address,
            building,
            lon,
            lat,
            status: HouseholdStatus::of(
                states.remove(&hid).unwrap_or_default(),
                last_visit.and_then(|d| d.parse().ok()),
                today,
            )
            .code()
            .into(),
            residents,
        })
        .collect();
    let boundary = store::grid::boundary(&mut conn, id).await?;
    let neighbours = store::grid::neighbours(&mut conn, id)
        .await?
        .into_iter()
        .map(|r| NeighbourOutline { code: r.code, name: r.name, boundary: rings(Some(r.geojson)) })
        .collect();
    let open_events = store::grid::open_events(&mut conn, id)
        .await?
        .into_iter()
        .map(|e| EventPin {
            id: e.id,
            category_label: config().category(&e.category).map(|c| c.label.clone()).unwrap_or_default(),
            category: e.category,
            lon: e.lon,
            lat: e.lat,
            status_label: EventStatus::from_code(&e.status).map(|s| s.label()).unwrap_or_default().into(),
            description: e.description,
        })
        .collect();
    drop(conn);
    if !subjects.is_empty() {
        let detail = serde_json::json!({ "special_group_residents": subjects.len(), "names": sees_names(&user) });
        audit::record(&state, &user.who(), &Event::success(AuditAction::GridMap, format!("grid:{id}")).detail(detail))
            .await?;
    }
    Ok(Json(GridMap {
        grid: summary(&row, overdue),
        boundary: rings(boundary),
        neighbours,
        duties: MERGED_DUTIES.iter().map(|d| d.to_string()).collect(),
        households,
        due,
        open_events,
        today: today.to_string(),
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct LocateQuery {
    lon: Option<String>,
    lat: Option<String>,
}

/// `GET /api/grids/locate?lon=&lat=`: the grids at a position, in scope,
/// the one it is inside first.
pub async fn locate(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<LocateQuery>,
) -> ApiResult<Vec<LocateHit>> {
    let user = user.require(&state, READERS, AuditAction::GridLocate).await?;
    let at = Position::parse(q.lon.as_deref().unwrap_or(""), q.lat.as_deref().unwrap_or(""))
        .map_err(|e| AppError::fields(&e))?;
    let hits = state.grid_index().await?.locate(at, BORDER_TOLERANCE_M);
    let mut out = Vec::new();
    let mut conn = state.db.acquire().await?;
    for hit in hits {
        if let Some(node) = store::grid::node(&mut conn, hit.key).await? {
            if OrgPath::parse(&node.path).is_some_and(|p| user.sees(&p) || p.contains(&user.scope)) {
                out.push(LocateHit {
                    grid_id: hit.key,
                    code: node.code,
                    name: node.name,
                    inside: hit.inside,
                    border_distance_m: hit.border_distance_m,
                });
            }
        }
    }
    Ok(Json(out))
}

#[derive(Debug, Default, Deserialize)]
pub struct CoverageQuery {
    community: Option<String>,
}

/// `GET /api/grids/coverage?community=CODE`: overlaps and gaps of a
/// community's grids (the caller's own community when none is named).
pub async fn coverage(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CoverageQuery>,
) -> ApiResult<CoverageView> {
    let user = user
        .require(
            &state,
            &[Role::GridMember, Role::CommunityLeader, Role::Reviewer, Role::SystemAdmin],
            AuditAction::GridCoverage,
        )
        .await?;
    let field = Field::new("community", "社区");
    let mut conn = state.db.acquire().await?;
    let community = match q.community.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => store::grid::community(&mut conn, CommunityBy::Code(code))
            .await?
            .filter(|c| OrgPath::parse(&c.path).is_some_and(|p| user.sees(&p) || p.contains(&user.scope))),
        // The caller's own community, or the first one in scope.
        None => store::grid::community(&mut conn, CommunityBy::Around(user.scope.as_str())).await?,
    };
    let Some(NodeRow { id: cid, code: ccode, name: cname, path: cpath }) = community else {
        let raw = q.community.unwrap_or_default();
        return Err(AppError::fields(&[field.error(FieldErrorKind::UnknownOption { raw })]));
    };
    // A community's grids are few (the coverage page draws them all).
    let rows = store::grid::grids(&mut conn, Grids::Of(cid), i64::from(MAX_PER_PAGE), 0).await?;
    let grids: Vec<GridSummary> = rows.iter().map(|r| summary(r, 0)).collect();
    let bounds = store::grid::boundaries_under(&mut conn, &cpath).await?;
    drop(conn);
    let parsed: HashMap<i64, GridBoundary> = bounds
        .into_iter()
        .filter_map(|(id, raw)| GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).ok().map(|b| (id, b)))
        .collect();
    let drawn: Vec<(i64, GridBoundary)> =
        grids.iter().filter_map(|g| parsed.get(&g.id).map(|b| (g.id, b.clone()))).collect();
    let undrawn = grids.iter().filter(|g| !parsed.contains_key(&g.id)).map(|g| g.name.clone()).collect();
    let name_of = |id: i64| grids.iter().find(|g| g.id == id).map(|g| g.name.clone()).unwrap_or_default();
    let mut view = CoverageView {
        community_code: ccode,
        community_name: cname,
        community_m2: None,
        gap_m2: None,
        outside_m2: None,
        covered_share: None,
        overlaps: vec![],
        undrawn,
        grids: grids.clone(),
    };
    if let Some(community) = parsed.get(&cid) {
        let c = Coverage::measure(community, &drawn);
        view.community_m2 = Some(c.community_m2);
        view.gap_m2 = Some(c.gap_m2);
        view.outside_m2 = Some(c.outside_m2);
        view.covered_share = Some(c.covered_share);
        view.overlaps =
            c.overlaps.iter().map(|o| OverlapView { a: name_of(o.a), b: name_of(o.b), area_m2: o.area_m2 }).collect();
    }
    Ok(Json(view))
}
