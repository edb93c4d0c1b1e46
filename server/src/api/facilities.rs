//! Community facilities (社区设施布点, 四同步): the dashboard, new residential
//! projects and their sign-offs, existing communities' rooms and remedies,
//! and the area standards. Handlers are role → scope → parse → domain →
//! store; the rules (order of the steps, who signs, flags, shortfalls) are
//! the domain's (`gongzhi_domain::facilities`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{NaiveDate, Utc};
use gongzhi_api::facilities::*;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::error::{Field, FieldErrorKind};
use gongzhi_domain::facilities::community::{self, RemedyInput, RemedyKind, RemedyStatus, RoomInput};
use gongzhi_domain::facilities::project::{
    self as rules, Authority, ProjectFacts, ProjectFlag, ProjectInput, SignOffInput, SignOffKind, Step, FIELD_COMMUNITY,
};
use gongzhi_domain::facilities::standard::{in_force, AreaStandard, StandardInput, FIELD_EFFECTIVE};
use gongzhi_domain::facilities::{Estate, FacilityError, RoomUse};
use gongzhi_domain::grid::boundary::GridBoundary;
use gongzhi_domain::{DomainError, OrgPath, Role, WorkingDayCalendar};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::export::{Sheet, XCell};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::facilities::{self as store, CommunityRow, ProjectRow, RemedyRow, RoomRow, SignOffRow, StandardRow};
use crate::store::transition::Outcome;

/// Who reads the dashboard and the files: reviewers (组织/民政), the
/// departments that sign, and community leaders.
pub const READERS: &[Role] = &[Role::Reviewer, Role::DepartmentApplicant, Role::CommunityLeader];
/// Who registers a new residential project.
pub const REGISTRARS: &[Role] = &[Role::Reviewer];
/// Who records a community's rooms and remedies.
pub const KEEPERS: &[Role] = &[Role::Reviewer, Role::CommunityLeader];
/// Who reads the standards: the readers and the system administrator.
pub const STANDARD_READERS: &[Role] =
    &[Role::Reviewer, Role::DepartmentApplicant, Role::CommunityLeader, Role::SystemAdmin];
/// Who adds a version of the standard (configuration, like the calendar).
pub const STANDARD_KEEPERS: &[Role] = &[Role::SystemAdmin];

fn refused(e: FacilityError) -> AppError {
    let status = match e {
        FacilityError::NotTheSigner { .. } => StatusCode::FORBIDDEN,
        FacilityError::NoStandard => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::CONFLICT,
    };
    AppError::domain(status, &e)
}

fn path_of(raw: &str) -> OrgPath {
    OrgPath::parse(raw).unwrap_or_else(|| OrgPath::root(0))
}

/// Every standard row that can apply in a scope, ready to pick from.
struct Standards(Vec<StandardRow>);

impl Standards {
    async fn load(state: &AppState, scope: &str) -> Result<Self, AppError> {
        Ok(Self(store::standards(&mut *state.db.acquire().await?, scope).await?))
    }

    /// The version in force on `on` for a record at `path`: the nearest
    /// jurisdiction above it that has one.
    fn for_path(&self, path: &str, on: NaiveDate) -> Option<AreaStandard> {
        let mut by_depth: Vec<(usize, Vec<AreaStandard>)> = Vec::new();
        for row in self.0.iter().filter(|r| path.starts_with(&r.jurisdiction_path)) {
            let depth = row.jurisdiction_path.matches('/').count();
            match by_depth.iter_mut().find(|(d, _)| *d == depth) {
                Some((_, v)) => v.push(row.standard()),
                None => by_depth.push((depth, vec![row.standard()])),
            }
        }
        by_depth.sort_by_key(|b| std::cmp::Reverse(b.0));
        let sets: Vec<Vec<AreaStandard>> = by_depth.into_iter().map(|(_, v)| v).collect();
        in_force(&sets, on).cloned()
    }
}

/// The account as a signer: the authority it signs for and its unit's name.
struct Signer {
    authority: Option<Authority>,
    unit: String,
}

async fn signer(state: &AppState, user: &CurrentUser) -> Result<Signer, AppError> {
    if user.role == Role::CommunityLeader {
        let node = crate::store::org::node(&mut *state.db.acquire().await?, user.org_node_id).await?;
        return Ok(Signer { authority: Some(Authority::Community), unit: node.map(|n| n.name).unwrap_or_default() });
    }
    let Some(dept) = user.department_id.filter(|_| matches!(user.role, Role::DepartmentApplicant | Role::Reviewer))
    else {
        return Ok(Signer { authority: None, unit: String::new() });
    };
    let unit = store::department(&mut *state.db.acquire().await?, dept).await?;
    Ok(match unit {
        Some(u) => Signer { authority: u.authority.as_deref().and_then(Authority::from_code), unit: u.name },
        None => Signer { authority: None, unit: String::new() },
    })
}

fn kinds(rows: &[&SignOffRow]) -> Vec<SignOffKind> {
    rows.iter().filter_map(|r| SignOffKind::from_code(&r.kind)).collect()
}

fn flag_views(flags: &[ProjectFlag]) -> Vec<FlagView> {
    flags.iter().map(|f| FlagView { code: f.code().into(), message: f.message() }).collect()
}

fn summarise(
    p: &ProjectRow,
    signed: &[SignOffKind],
    standard: Option<&AreaStandard>,
    today: NaiveDate,
    calendar: &WorkingDayCalendar,
) -> ProjectSummary {
    let facts =
        ProjectFacts { households: p.households as u32, planned: p.planned(), due: p.due(), signed, built: p.built() };
    let flags = standard.map(|s| rules::flags(&facts, s, today, calendar)).unwrap_or_default();
    let step = rules::current_step(signed);
    let waiting_for = step
        .map(|s| {
            let mut who: Vec<String> = Vec::new();
            for k in s.sign_offs().filter(|k| !signed.contains(k)) {
                let label = k.authority().label().to_string();
                if !who.contains(&label) {
                    who.push(label);
                }
            }
            who
        })
        .unwrap_or_default();
    ProjectSummary {
        id: p.id,
        name: p.name.clone(),
        developer: p.developer.clone(),
        community_id: p.community_id,
        community_name: p.community_name.clone(),
        households: p.households as u32,
        step: step.map(|s| s.code().to_string()),
        step_label: step.map_or("已交付使用".to_string(), |s| s.label().to_string()),
        late: flags.iter().any(|f| matches!(f, ProjectFlag::StepLate { .. })),
        flags: flag_views(&flags),
        waiting_for,
    }
}

fn community_view(
    c: &CommunityRow,
    rooms: &[&RoomRow],
    remedies: &[&RemedyRow],
    standard: Option<&AreaStandard>,
) -> CommunityFacilities {
    let domain_rooms: Vec<community::Room> = rooms.iter().filter_map(|r| r.room()).collect();
    let shortfalls: Vec<ShortfallView> = standard
        .map(|s| community::shortfalls(s, c.households as u32, &domain_rooms))
        .unwrap_or_default()
        .into_iter()
        .map(|s| ShortfallView {
            room_use: s.room_use.code().into(),
            room_use_label: s.room_use.label().into(),
            required: s.required,
            provided: s.provided,
            short: s.short,
        })
        .collect();
    CommunityFacilities {
        community_id: c.id,
        community_name: c.name.clone(),
        street_name: c.street_name.clone(),
        district_name: c.district_name.clone(),
        households: c.households as u32,
        standard_version: standard.map(|s| s.version.clone()),
        below_standard: shortfalls.iter().any(|s| s.short > gongzhi_domain::facilities::Area::ZERO),
        shortfalls,
        rooms: rooms.len() as u32,
        open_remedies: remedies.iter().filter(|r| r.status != RemedyStatus::Done.code()).count() as u32,
    }
}

fn group<T>(rows: &[T], key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<&T>> {
    let mut out: HashMap<i64, Vec<&T>> = HashMap::new();
    for r in rows {
        out.entry(key(r)).or_default().push(r);
    }
    out
}

/// Everything the dashboard and its export are made of, for one account.
struct Picture {
    today: NaiveDate,
    communities: Vec<CommunityFacilities>,
    projects: Vec<(ProjectRow, Vec<SignOffKind>, ProjectSummary)>,
}

async fn picture(state: &AppState, user: &CurrentUser) -> Result<Picture, AppError> {
    let scope = user.scope.as_str();
    let today = state.today();
    let calendar = state.calendar();
    let standards = Standards::load(state, scope).await?;
    let mut conn = state.db.acquire().await?;
    let communities = store::communities(&mut conn, scope).await?;
    let rooms = store::rooms(&mut conn, scope).await?;
    let remedies = store::remedies(&mut conn, scope).await?;
    let projects = store::projects(&mut conn, scope).await?;
    let sign_offs = store::sign_offs(&mut conn, scope).await?;
    drop(conn);
    let (rooms_by, remedies_by, signed_by) =
        (group(&rooms, |r| r.community_id), group(&remedies, |r| r.community_id), group(&sign_offs, |s| s.project_id));
    let communities = communities
        .iter()
        .filter(|c| user.sees(&path_of(&c.path)))
        .map(|c| {
            let standard = standards.for_path(&c.path, today);
            community_view(
                c,
                rooms_by.get(&c.id).map_or(&[][..], |v| v),
                remedies_by.get(&c.id).map_or(&[][..], |v| v),
                standard.as_ref(),
            )
        })
        .collect();
    let projects = projects
        .into_iter()
        .filter(|p| user.sees(&path_of(&p.community_path)))
        .map(|p| {
            let signed = kinds(signed_by.get(&p.id).map_or(&[][..], |v| v));
            let standard = standards.for_path(&p.community_path, today);
            let summary = summarise(&p, &signed, standard.as_ref(), today, &calendar.calendar);
            (p, signed, summary)
        })
        .collect();
    Ok(Picture { today, communities, projects })
}

/// `GET /api/facilities`: the communities in scope against the standard,
/// the projects by step, the map, and the sign-offs waiting for the
/// account's department.
pub async fn dashboard(State(state): State<AppState>, user: CurrentUser) -> ApiResult<FacilitiesDashboard> {
    let user = user.require(&state, READERS, AuditAction::FacilityDashboard).await?;
    let signer = signer(&state, &user).await?;
    let pic = picture(&state, &user).await?;
    let by_step = Step::ALL
        .iter()
        .map(|s| {
            let at: Vec<_> = pic.projects.iter().filter(|(_, _, p)| p.step.as_deref() == Some(s.code())).collect();
            StepCount {
                step: s.code().into(),
                label: s.label().into(),
                projects: at.len() as u32,
                late: at.iter().filter(|(_, _, p)| p.late).count() as u32,
            }
        })
        .collect();
    let waiting = match signer.authority {
        Some(authority) => pic
            .projects
            .iter()
            .flat_map(|(row, signed, summary)| {
                let step = rules::current_step(signed);
                SignOffKind::ALL
                    .iter()
                    .copied()
                    .filter(move |k| Some(k.step()) == step && k.authority() == authority)
                    .filter(|k| rules::check_sign(*k, signed).is_ok())
                    .map(move |k| WaitingSignOff {
                        project_id: row.id,
                        project_name: row.name.clone(),
                        community_name: row.community_name.clone(),
                        kind: k.code().into(),
                        kind_label: k.label().into(),
                        step_label: k.step().label().into(),
                        planned: row.due()[Step::ALL.iter().position(|s| *s == k.step()).unwrap_or(0)],
                        late: summary.late,
                    })
            })
            .collect(),
        None => vec![],
    };
    let map = map(&state, &user, &pic).await?;
    Ok(Json(FacilitiesDashboard {
        today: pic.today,
        communities: pic.communities,
        projects: pic.projects.into_iter().map(|(_, _, s)| s).collect(),
        by_step,
        map,
        waiting,
        signs_as: signer.authority.map(|a| a.label().to_string()),
        can_register: REGISTRARS.contains(&user.role),
    }))
}

/// The map: each community's outline (its own, else its grids'), projected
/// flat into a box 800 wide, and the placed projects.
async fn map(state: &AppState, user: &CurrentUser, pic: &Picture) -> Result<FacilitiesMap, AppError> {
    const FIELD: Field = Field::new("geojson", "边界");
    const WIDTH: f64 = 800.0;
    const PAD: f64 = 16.0;
    let rows = store::outlines(&mut *state.db.acquire().await?, user.scope.as_str()).await?;
    let shown: HashMap<i64, &CommunityFacilities> = pic.communities.iter().map(|c| (c.community_id, c)).collect();
    let mut rings: Vec<(i64, Vec<Vec<[f64; 2]>>)> = Vec::new();
    // A community's own outline where it has one, else its grids'.
    let own: std::collections::HashSet<i64> =
        rows.iter().filter(|r| r.level == "community").map(|r| r.community_id).collect();
    let drawn = rows.iter().filter(|r| r.level == "community" || !own.contains(&r.community_id));
    for row in drawn.filter(|r| shown.contains_key(&r.community_id)) {
        if let Ok(b) = GridBoundary::parse_geojson(FIELD, &row.geojson) {
            match rings.iter_mut().find(|(id, _)| *id == row.community_id) {
                Some((_, v)) => v.extend(b.rings()),
                None => rings.push((row.community_id, b.rings())),
            }
        }
    }
    let points: Vec<(&ProjectRow, &ProjectSummary, [f64; 2])> =
        pic.projects.iter().filter_map(|(row, _, s)| Some((row, s, [row.lon?, row.lat?]))).collect();
    let all = rings.iter().flat_map(|(_, r)| r.iter().flatten()).chain(points.iter().map(|(_, _, p)| p));
    let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
    for c in all {
        for i in 0..2 {
            min[i] = min[i].min(c[i]);
            max[i] = max[i].max(c[i]);
        }
    }
    if min[0] > max[0] {
        return Ok(FacilitiesMap::default());
    }
    let k = gongzhi_domain::grid::boundary::cos_latitude((min[1] + max[1]) / 2.0);
    let span_x = ((max[0] - min[0]) * k).max(1e-6);
    let span_y = (max[1] - min[1]).max(1e-6);
    let scale = (WIDTH - 2.0 * PAD) / span_x.max(span_y * 0.5);
    let height = (span_y * scale + 2.0 * PAD).clamp(200.0, 900.0);
    let xy = |c: &[f64; 2]| (PAD + (c[0] - min[0]) * k * scale, PAD + (max[1] - c[1]) * scale);
    let r1 = |v: f64| (v * 10.0).round() / 10.0;
    let areas = rings
        .iter()
        .map(|(id, rings)| {
            let mut path = String::new();
            let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
            for ring in rings {
                for (i, c) in ring.iter().enumerate() {
                    let (x, y) = xy(c);
                    lo = [lo[0].min(x), lo[1].min(y)];
                    hi = [hi[0].max(x), hi[1].max(y)];
                    path.push_str(&format!("{}{},{} ", if i == 0 { "M" } else { "L" }, r1(x), r1(y)));
                }
                path.push_str("Z ");
            }
            let c = shown[id];
            MapArea {
                community_id: *id,
                name: c.community_name.clone(),
                below_standard: c.below_standard,
                path: path.trim_end().to_string(),
                label_x: r1((lo[0] + hi[0]) / 2.0),
                label_y: r1((lo[1] + hi[1]) / 2.0),
            }
        })
        .collect();
    let points = points
        .iter()
        .map(|(row, s, p)| {
            let (x, y) = xy(p);
            MapPoint { project_id: row.id, name: row.name.clone(), x: r1(x), y: r1(y), late: s.late }
        })
        .collect();
    Ok(FacilitiesMap { width: WIDTH, height: r1(height), areas, points })
}

/// `GET /api/facilities/export.xlsx`: the communities against the standard
/// and the projects by step, as two sheets with areas as numbers.
pub async fn export(State(state): State<AppState>, user: CurrentUser) -> Result<impl IntoResponse, AppError> {
    let user = user.require(&state, READERS, AuditAction::FacilityExport).await?;
    let pic = picture(&state, &user).await?;
    let community_header = [
        "社区",
        "街道",
        "县(区)",
        "户数",
        "所用标准",
        "综合服务用房应有(㎡)",
        "综合服务用房现有(㎡)",
        "综合服务用房缺口(㎡)",
        "养老服务用房应有(㎡)",
        "养老服务用房现有(㎡)",
        "养老服务用房缺口(㎡)",
    ];
    let communities: Vec<Vec<XCell>> = pic
        .communities
        .iter()
        .map(|c| {
            let mut row = vec![
                XCell::Text(c.community_name.clone()),
                XCell::Text(c.street_name.clone()),
                XCell::Text(c.district_name.clone()),
                XCell::Count(c.households.into()),
                XCell::Text(c.standard_version.clone().unwrap_or_else(|| "未录入标准".into())),
            ];
            for s in &c.shortfalls {
                row.extend([
                    XCell::Area(s.required.centi()),
                    XCell::Area(s.provided.centi()),
                    XCell::Area(s.short.centi()),
                ]);
            }
            row
        })
        .collect();
    let project_header = ["项目", "社区", "建设单位", "规划户数", "当前环节", "待签字", "提示"];
    let projects: Vec<Vec<XCell>> = pic
        .projects
        .iter()
        .map(|(_, _, p)| {
            vec![
                XCell::Text(p.name.clone()),
                XCell::Text(p.community_name.clone()),
                XCell::Text(p.developer.clone()),
                XCell::Count(p.households.into()),
                XCell::Text(p.step_label.clone()),
                XCell::Text(p.waiting_for.join("、")),
                XCell::Text(p.flags.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(";")),
            ]
        })
        .collect();
    let bytes = crate::export::workbook(&[
        Sheet { name: "社区用房达标情况", header: &community_header, rows: &communities },
        Sheet { name: "新建住宅项目四同步", header: &project_header, rows: &projects },
    ])
    .map_err(AppError::internal)?;
    audit::record(&state, &user.who(), &Event::success(AuditAction::FacilityExport, "facilities")).await?;
    Ok(crate::export::xlsx_download("facilities.xlsx", bytes))
}

/// A project in the account's scope, or 404 (recorded).
async fn scoped_project(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<ProjectRow, AppError> {
    let row = store::project(&mut *state.db.acquire().await?, id).await?;
    match row.filter(|p| user.sees(&path_of(&p.community_path))) {
        Some(p) => Ok(p),
        None => Err(user.out_of_scope(state, action, format!("facility_project:{id}")).await),
    }
}

async fn project_file(state: &AppState, user: &CurrentUser, p: ProjectRow) -> Result<ProjectFile, AppError> {
    let today = state.today();
    let calendar = state.calendar();
    let standard = Standards::load(state, &p.community_path).await?.for_path(&p.community_path, today);
    let rows = store::project_sign_offs(&mut *state.db.acquire().await?, p.id).await?;
    let signed: Vec<SignOffKind> = kinds(&rows.iter().collect::<Vec<_>>());
    let signer = signer(state, user).await?;
    let summary = summarise(&p, &signed, standard.as_ref(), today, &calendar.calendar);
    let due = p.due();
    let steps = Step::ALL
        .iter()
        .zip(due)
        .map(|(step, planned)| {
            let sign_offs: Vec<SignOffView> = step
                .sign_offs()
                .map(|kind| {
                    let on_file = rows.iter().find(|r| r.kind == kind.code());
                    let mine = signer.authority == Some(kind.authority());
                    let check = rules::check_sign(kind, &signed);
                    SignOffView {
                        kind: kind.code().into(),
                        label: kind.label().into(),
                        authority_label: kind.authority().label().into(),
                        signed: on_file.map(|r| SignedView {
                            by: r.signer.clone(),
                            unit: r.unit_name.clone(),
                            signed_on: r.signed_on.parse().unwrap_or_default(),
                            evidence: r.evidence.clone(),
                        }),
                        can_sign: mine && on_file.is_none() && check.is_ok(),
                        blocked: match check {
                            Err(e) if mine && on_file.is_none() => Some(e.message()),
                            _ => None,
                        },
                    }
                })
                .collect();
            let done_on = rules::is_done(*step, &signed)
                .then(|| {
                    rows.iter()
                        .filter(|r| SignOffKind::from_code(&r.kind).is_some_and(|k| k.step() == *step))
                        .filter_map(|r| r.signed_on.parse().ok())
                        .max()
                })
                .flatten();
            StepView { step: step.code().into(), label: step.label().into(), planned, done_on, sign_offs }
        })
        .collect();
    let required =
        |room| standard.as_ref().map(|s| s.required(room, Estate::New, p.households as u32)).unwrap_or_default();
    let built = p.built();
    Ok(ProjectFile {
        street_name: p.street_name.clone(),
        phases: p.phases as u32,
        lon: p.lon,
        lat: p.lat,
        planned_service: p.planned().service,
        planned_elderly: p.planned().elderly,
        built_service: built.map(|b| b.service),
        built_elderly: built.map(|b| b.elderly),
        housing_share_pct: built.map(|b| b.housing_share_pct),
        floor: p.floor as i32,
        own_entrance: p.own_entrance != 0,
        required_service: required(RoomUse::Service),
        required_elderly: required(RoomUse::ElderlyCare),
        standard_version: standard.map(|s| s.version).unwrap_or_else(|| "未录入标准".into()),
        steps,
        registered_by: p.registered_by.clone(),
        registered_at: p.created_at.clone(),
        summary,
    })
}

/// `POST /api/facilities/projects` (reviewer): registers a new residential
/// project in a community of the account's scope.
pub async fn create_project(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<ProjectInput>,
) -> Result<(StatusCode, Json<ProjectFile>), AppError> {
    let user = user.require(&state, REGISTRARS, AuditAction::FacilityProjectCreate).await?;
    let project = body.parse().map_err(|e| AppError::fields(&e))?;
    let community = store::community(&mut *state.db.acquire().await?, project.community_id).await?;
    let Some(community) = community.filter(|c| user.sees(&path_of(&c.path))) else {
        let raw = project.community_id.to_string();
        return Err(AppError::unprocessable(&[FIELD_COMMUNITY.error(FieldErrorKind::UnknownOption { raw })]));
    };
    if Standards::load(&state, &community.path).await?.for_path(&community.path, state.today()).is_none() {
        return Err(refused(FacilityError::NoStandard));
    }
    let mut tx = state.write_tx().await?;
    let id = store::insert_project(&mut tx, &project, user.account_id, &Utc::now().to_rfc3339()).await?;
    let detail =
        serde_json::json!({ "name": project.name, "community": community.name, "households": project.households });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::FacilityProjectCreate, format!("facility_project:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    let row = store::project(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or_else(|| AppError::internal("project vanished"))?;
    Ok((StatusCode::CREATED, Json(project_file(&state, &user, row).await?)))
}

/// `GET /api/facilities/projects/{id}`: a project's file.
pub async fn get_project(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<ProjectFile> {
    let user = user.require(&state, READERS, AuditAction::FacilityProjectRead).await?;
    let p = scoped_project(&state, &user, id, AuditAction::FacilityProjectRead).await?;
    Ok(Json(project_file(&state, &user, p).await?))
}

/// `POST /api/facilities/projects/{id}/sign-offs`: one sign-off, by the
/// department (or receiving community) it belongs to, in the order of the
/// four steps; never twice (the unique key decides between two at once).
pub async fn sign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<SignOffInput>,
) -> ApiResult<ProjectFile> {
    let user = user.require(&state, READERS, AuditAction::FacilitySignOff).await?;
    let p = scoped_project(&state, &user, id, AuditAction::FacilitySignOff).await?;
    let sign_off = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    let signer = signer(&state, &user).await?;
    if signer.authority != Some(sign_off.kind.authority()) {
        let denied = Event::new(AuditAction::FacilitySignOff, format!("facility_project:{id}"), audit::Outcome::Denied)
            .detail(serde_json::json!({ "reason": "signer", "kind": sign_off.kind.code() }));
        audit::record(&state, &user.who(), &denied).await?;
        return Err(refused(FacilityError::NotTheSigner { authority: sign_off.kind.authority() }));
    }
    let mut tx = state.write_tx().await?;
    // Read inside the write transaction: the order rule sees every sign-off
    // committed before this one.
    let on_file = store::project_sign_offs(&mut tx, id).await?;
    let signed = kinds(&on_file.iter().collect::<Vec<_>>());
    rules::check_sign(sign_off.kind, &signed).map_err(refused)?;
    let at = Utc::now().to_rfc3339();
    if !store::insert_sign_off(&mut tx, id, &sign_off, user.account_id, &signer.unit, &at).await? {
        return Err(refused(FacilityError::AlreadySigned { kind: sign_off.kind }));
    }
    let detail =
        serde_json::json!({ "kind": sign_off.kind.code(), "signed_on": sign_off.signed_on, "unit": signer.unit });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::FacilitySignOff, format!("facility_project:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    let p = store::project(&mut *state.db.acquire().await?, p.id)
        .await?
        .ok_or_else(|| AppError::internal("project vanished"))?;
    Ok(Json(project_file(&state, &user, p).await?))
}

/// A community in the account's scope, or 404 (recorded).
async fn scoped_community(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<CommunityRow, AppError> {
    let row = store::community(&mut *state.db.acquire().await?, id).await?;
    match row.filter(|c| user.sees(&path_of(&c.path))) {
        Some(c) => Ok(c),
        None => Err(user.out_of_scope(state, action, format!("org:{id}")).await),
    }
}

async fn community_rooms(state: &AppState, user: &CurrentUser, c: &CommunityRow) -> Result<CommunityRooms, AppError> {
    let today = state.today();
    let standard = Standards::load(state, &c.path).await?.for_path(&c.path, today);
    let mut conn = state.db.acquire().await?;
    let rooms: Vec<RoomRow> =
        store::rooms(&mut conn, &c.path).await?.into_iter().filter(|r| r.community_id == c.id).collect();
    let remedies: Vec<RemedyRow> =
        store::remedies(&mut conn, &c.path).await?.into_iter().filter(|r| r.community_id == c.id).collect();
    drop(conn);
    let view =
        community_view(c, &rooms.iter().collect::<Vec<_>>(), &remedies.iter().collect::<Vec<_>>(), standard.as_ref());
    let room_views = rooms
        .iter()
        .filter_map(|r| Some((r, r.room()?)))
        .map(|(row, room)| RoomView {
            id: row.id,
            room_use: room.room_use.code().into(),
            room_use_label: room.room_use.label().into(),
            name: room.name.clone(),
            area: room.area,
            tenure_label: room.tenure.label().into(),
            floor: room.floor,
            own_entrance: room.own_entrance,
            since: room.since,
            problems: standard
                .as_ref()
                .map(|s| s.siting(room.floor, room.own_entrance).into_iter().map(|p| p.message()).collect())
                .unwrap_or_default(),
        })
        .collect();
    let remedy_views = remedies
        .iter()
        .map(|r| {
            let status = RemedyStatus::from_code(&r.status).unwrap_or(RemedyStatus::Planned);
            let due_on: NaiveDate = r.due_on.parse().unwrap_or_default();
            RemedyView {
                id: r.id,
                kind_label: RemedyKind::from_code(&r.kind).map(RemedyKind::label).unwrap_or_default().into(),
                room_use_label: RoomUse::from_code(&r.room_use).map(RoomUse::label).unwrap_or_default().into(),
                target_area: gongzhi_domain::facilities::Area::from_centi(r.target_centi).unwrap_or_default(),
                funding_fen: r.funding_fen,
                due_on,
                status: status.code().into(),
                status_label: status.label().into(),
                next_status: status.next().map(|n| n.code().to_string()),
                next_label: status.next().map(|n| n.label().to_string()),
                note: r.note.clone(),
                late: status != RemedyStatus::Done && today > due_on,
            }
        })
        .collect();
    Ok(CommunityRooms {
        community: view,
        rooms: room_views,
        remedies: remedy_views,
        can_edit: KEEPERS.contains(&user.role),
    })
}

/// `GET /api/facilities/communities/{id}`: a community's rooms, shortfall and
/// remedies.
pub async fn get_community(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<CommunityRooms> {
    let user = user.require(&state, READERS, AuditAction::FacilityRooms).await?;
    let c = scoped_community(&state, &user, id, AuditAction::FacilityRooms).await?;
    Ok(Json(community_rooms(&state, &user, &c).await?))
}

/// `POST /api/facilities/communities/{id}/rooms`: a room the community uses
/// (owned, rented or borrowed).
pub async fn add_room(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RoomInput>,
) -> ApiResult<CommunityRooms> {
    let user = user.require(&state, KEEPERS, AuditAction::FacilityRoomAdd).await?;
    let c = scoped_community(&state, &user, id, AuditAction::FacilityRoomAdd).await?;
    let room = body.parse(state.today()).map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    let room_id = store::insert_room(&mut tx, c.id, &room, user.account_id, &Utc::now().to_rfc3339()).await?;
    let detail = serde_json::json!({ "community": c.name, "room_use": room.room_use.code(), "area_centi": room.area.centi(), "tenure": room.tenure.code() });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::FacilityRoomAdd, format!("community_room:{room_id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(community_rooms(&state, &user, &c).await?))
}

/// `POST /api/facilities/communities/{id}/remedies`: how a community below
/// standard gets its rooms.
pub async fn add_remedy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RemedyInput>,
) -> ApiResult<CommunityRooms> {
    let user = user.require(&state, KEEPERS, AuditAction::FacilityRemedyAdd).await?;
    let c = scoped_community(&state, &user, id, AuditAction::FacilityRemedyAdd).await?;
    let remedy = body.parse().map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    let remedy_id = store::insert_remedy(&mut tx, c.id, &remedy, user.account_id, &Utc::now().to_rfc3339()).await?;
    let detail = serde_json::json!({ "community": c.name, "kind": remedy.kind.code(), "target_centi": remedy.target_area.centi(), "fen": remedy.funding.fen() });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::FacilityRemedyAdd, format!("facility_remedy:{remedy_id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(community_rooms(&state, &user, &c).await?))
}

/// `POST /api/facilities/remedies/{id}/advance`: a remedy to the status
/// `to`, which must be the next of its present one; the same request twice
/// (a double tap, or two staff at once) moves it once: the second answers 409.
pub async fn advance_remedy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RemedyAdvance>,
) -> ApiResult<CommunityRooms> {
    const FIELD_TO: Field = Field::new("to", "推进到的状态");
    let user = user.require(&state, KEEPERS, AuditAction::FacilityRemedyAdvance).await?;
    let remedy = store::remedy(&mut *state.db.acquire().await?, id).await?;
    let Some(remedy) = remedy else {
        return Err(user
            .out_of_scope(&state, AuditAction::FacilityRemedyAdvance, format!("facility_remedy:{id}"))
            .await);
    };
    let c = scoped_community(&state, &user, remedy.community_id, AuditAction::FacilityRemedyAdvance).await?;
    let to = RemedyStatus::parse(FIELD_TO, &body.to).map_err(|e| AppError::fields(&[e]))?;
    let from = RemedyStatus::from_code(&remedy.status).ok_or_else(|| AppError::internal("unknown remedy status"))?;
    match from.next() {
        None => return Err(refused(FacilityError::RemedyFinished)),
        Some(next) if next != to => return Err(gongzhi_domain::ConflictError::FacilityRemedyChanged.into()),
        Some(_) => {}
    }
    let mut tx = state.write_tx().await?;
    match store::advance_remedy(&mut tx, &user.who(), id, from, to).await? {
        Outcome::Moved { .. } => tx.commit().await?,
        _ => return Err(gongzhi_domain::ConflictError::FacilityRemedyChanged.into()),
    }
    Ok(Json(community_rooms(&state, &user, &c).await?))
}

async fn standards_view(state: &AppState, user: &CurrentUser) -> Result<StandardsView, AppError> {
    let today = state.today();
    let rows = Standards::load(state, user.scope.as_str()).await?.0;
    let versions = rows
        .iter()
        .map(|r| {
            let current = rows
                .iter()
                .filter(|o| o.org_node_id == r.org_node_id && o.effective_from.as_str() <= today.to_string().as_str())
                .max_by(|a, b| a.effective_from.cmp(&b.effective_from));
            StandardView {
                id: r.id,
                jurisdiction_name: r.jurisdiction_name.clone(),
                standard: r.standard(),
                in_force: current.is_some_and(|c| c.id == r.id),
            }
        })
        .collect();
    Ok(StandardsView { versions, can_add: STANDARD_KEEPERS.contains(&user.role) })
}

/// `GET /api/facilities/standards`: the versions that apply in the scope.
pub async fn standards(State(state): State<AppState>, user: CurrentUser) -> ApiResult<StandardsView> {
    let user = user.require(&state, STANDARD_READERS, AuditAction::FacilityStandards).await?;
    Ok(Json(standards_view(&state, &user).await?))
}

/// `POST /api/facilities/standards` (system administrator): a new version
/// for the administrator's own jurisdiction; one per effective date.
pub async fn add_standard(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<StandardInput>,
) -> ApiResult<StandardsView> {
    let user = user.require(&state, STANDARD_KEEPERS, AuditAction::FacilityStandardAdd).await?;
    let standard = body.parse().map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    let at = Utc::now().to_rfc3339();
    let Some(id) = store::insert_standard(&mut tx, user.org_node_id, &standard, Some(user.account_id), &at).await?
    else {
        let raw = standard.effective_from.to_string();
        return Err(AppError::unprocessable(&[FIELD_EFFECTIVE.error(FieldErrorKind::Taken { raw })]));
    };
    let detail = serde_json::json!({ "version": standard.version, "effective_from": standard.effective_from });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::FacilityStandardAdd, format!("facility_standard:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(standards_view(&state, &user).await?))
}
