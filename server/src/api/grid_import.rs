//! Imports for the grid: boundaries from GeoJSON and households with their
//! residents from CSV (UTF-8 or GBK, as Excel in China saves it).
//!
//! The whole file is checked first; any problem answers 422 with a report
//! by row and column, and nothing is written. A clean file is written in one
//! transaction with its audit entry (a household file: staged first in short
//! transactions, then applied in one, `store::household_import`).
//! `?dry_run=true` checks without writing.

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::AccessError;
use gongzhi_domain::ConflictError;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use gongzhi_api::{ImportJob, ImportReport};
use gongzhi_domain::grid::boundary::{GridBoundary, FIELD_BOUNDARY};
use gongzhi_domain::grid::coverage::Coverage;
use gongzhi_domain::grid::import::{
    parse_boundaries, parse_households, ImportFileError, ImportPhase, RowProblem, COL_ID_NUMBER,
    MAX_HOUSEHOLD_FILE_BYTES,
};
use gongzhi_domain::grid::SizeFlag;
use gongzhi_domain::{OrgPath, Role};
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::audit::{self, Event, Outcome};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::state::{AppState, LiveImport};
use crate::store::grid::store_boundary;
use crate::store::household_import::{self, ApplyError, StagedHousehold, StagedResident};
use crate::store::import_jobs;

pub const IMPORTERS: &[Role] = &[Role::SystemAdmin];

/// The body limit of the import routes: a district's household file
/// ([`MAX_HOUSEHOLD_FILE_BYTES`]); boundaries are far smaller.
pub const MAX_IMPORT_BYTES: usize = MAX_HOUSEHOLD_FILE_BYTES;

#[derive(Debug, Default, Deserialize)]
pub struct ImportOptions {
    dry_run: Option<bool>,
}

type Answer = Result<(StatusCode, Json<ImportReport>), AppError>;

fn report() -> ImportReport {
    ImportReport {
        imported: false,
        encoding: None,
        rows: 0,
        created: 0,
        updated: 0,
        problems: vec![],
        warnings: vec![],
    }
}

fn refused(mut r: ImportReport, problems: Vec<RowProblem>) -> Answer {
    r.problems = problems;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(r)))
}

fn file_problem(code: &str, message: impl Into<String>) -> RowProblem {
    RowProblem { row: 0, column: "文件".into(), code: code.into(), message: message.into() }
}

/// A node by code: (id, level, path, parent id).
async fn node(conn: &mut AnyConnection, code: &str) -> Result<Option<(i64, String, String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT id, level, path, parent_id FROM org_nodes WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await
}

/// `POST /api/grids/import` (GeoJSON FeatureCollection).
pub async fn boundaries(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(opts): Query<ImportOptions>,
    body: Bytes,
) -> Answer {
    let user = user.require(&state, IMPORTERS, AuditAction::GridImport).await?;
    let mut r = report();
    let Ok(text) = std::str::from_utf8(&body) else {
        return refused(r, vec![file_problem("import_encoding", "GeoJSON 文件应为 UTF-8 编码。")]);
    };
    let features = match parse_boundaries(text) {
        Ok(f) => f,
        Err(p) => return refused(r, p),
    };
    r.rows = features.len() as u32;
    // Everything is checked on a read connection: the write lock is taken
    // only for the writes, after the (possibly slow) overlap computations.
    let mut read = state.db.acquire().await?;
    let mut problems = Vec::new();
    // (feature, existing node id or None, community id)
    let mut plan: Vec<(usize, Option<i64>, Option<i64>)> = Vec::new();
    let in_scope = |path: &str| OrgPath::parse(path).is_some_and(|p| user.sees(&p));
    for (i, f) in features.iter().enumerate() {
        let problem = |message: String| RowProblem {
            row: f.number,
            column: "编码(code)".into(),
            code: "import_unknown_node".into(),
            message,
        };
        match node(&mut read, &f.code).await? {
            Some((id, level, path, parent)) if in_scope(&path) && (level == "grid" || level == "community") => {
                plan.push((i, Some(id), if level == "grid" { parent } else { None }));
            }
            Some(_) => problems.push(problem(format!("编码“{}”不是您管辖范围内的社区或网格。", f.code))),
            None => match f.community.as_deref() {
                Some(c) => match node(&mut read, c).await? {
                    Some((cid, level, path, _)) if level == "community" && in_scope(&path) => {
                        plan.push((i, None, Some(cid)))
                    }
                    _ => problems.push(RowProblem {
                        row: f.number,
                        column: "所属社区(community)".into(),
                        code: "import_unknown_node".into(),
                        message: format!("所属社区“{c}”不存在或不在您的管辖范围内。"),
                    }),
                },
                None => problems
                    .push(problem(format!("编码“{}”不存在;新网格须在 community 属性中写明所属社区编码。", f.code))),
            },
        }
    }
    if !problems.is_empty() {
        return refused(r, problems);
    }
    // Grids of each community touched must not overlap, with the file's
    // boundaries in place of the stored ones.
    let communities: HashSet<i64> = plan.iter().filter_map(|p| p.2).collect();
    for cid in communities {
        let stored: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT n.id, n.name, b.geojson FROM org_nodes n JOIN org_boundaries b ON b.org_node_id = n.id WHERE n.parent_id = $1",
        )
        .bind(cid)
        .fetch_all(&mut *read)
        .await?;
        // Keys: Ok(node id) for stored grids, Err(feature index) for the file's.
        let mut grids: Vec<(Result<i64, usize>, GridBoundary)> = stored
            .iter()
            .filter(|(id, _, _)| !plan.iter().any(|p| p.1 == Some(*id)))
            .filter_map(|(id, _, raw)| GridBoundary::parse_geojson(FIELD_BOUNDARY, raw).ok().map(|b| (Ok(*id), b)))
            .collect();
        for p in plan.iter().filter(|p| p.2 == Some(cid)) {
            grids.push((Err(p.0), features[p.0].boundary.clone()));
        }
        // The community's boundary from the file if it brings one, else as stored.
        let community = match plan.iter().find(|p| p.1 == Some(cid)) {
            Some(p) => Some(features[p.0].boundary.clone()),
            None => sqlx::query_scalar::<_, String>("SELECT geojson FROM org_boundaries WHERE org_node_id = $1")
                .bind(cid)
                .fetch_optional(&mut *read)
                .await?
                .and_then(|raw| GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).ok()),
        };
        let Some(community) = community else { continue };
        let c = Coverage::measure(&community, &grids);
        let label = |k: &Result<i64, usize>| match k {
            Ok(id) => stored.iter().find(|s| s.0 == *id).map(|s| s.1.clone()).unwrap_or_default(),
            Err(i) => features[*i].code.clone(),
        };
        for o in &c.overlaps {
            let row = match (o.a, o.b) {
                (Err(i), _) | (_, Err(i)) => features[i].number,
                _ => 0,
            };
            problems.push(RowProblem {
                row,
                column: "边界(geometry)".into(),
                code: "grid_overlap".into(),
                message: format!(
                    "网格“{}”与“{}”重叠约 {:.0} 平方米,同一社区的网格不得交叉。",
                    label(&o.a),
                    label(&o.b),
                    o.area_m2
                ),
            });
        }
        if c.gap_m2 > 0.0 {
            r.warnings.push(format!(
                "社区内约 {:.0} 平方米({:.1}%)未被任何网格覆盖。",
                c.gap_m2,
                (1.0 - c.covered_share) * 100.0
            ));
        }
        if c.outside_m2 > 0.0 {
            r.warnings.push(format!("网格有约 {:.0} 平方米超出社区边界。", c.outside_m2));
        }
    }
    if !problems.is_empty() {
        return refused(r, problems);
    }
    if opts.dry_run.unwrap_or(false) {
        return Ok((StatusCode::OK, Json(r)));
    }
    drop(read);
    let mut tx = state.write_tx().await?;
    // The plan was made outside the lock: if another import changed these
    // nodes meanwhile, stop rather than write over it.
    for (i, existing, _) in &plan {
        let now = node(&mut tx, &features[*i].code).await?.map(|n| n.0);
        if now != *existing {
            return Err(ConflictError::ImportChangedMeanwhile.into());
        }
    }
    for (i, existing, community) in &plan {
        let f = &features[*i];
        let id = match existing {
            Some(id) => {
                if let Some(name) = &f.name {
                    sqlx::query("UPDATE org_nodes SET name = $1 WHERE id = $2")
                        .bind(name)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                r.updated += 1;
                *id
            }
            None => {
                let cid = community.unwrap_or_default();
                let parent_path: String = sqlx::query_scalar("SELECT path FROM org_nodes WHERE id = $1")
                    .bind(cid)
                    .fetch_one(&mut *tx)
                    .await?;
                let id = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO org_nodes (parent_id, level, code, name, path) VALUES ($1, 'grid', $2, $3, '') RETURNING id",
                )
                .bind(cid)
                .bind(&f.code)
                .bind(f.name.as_deref().unwrap_or(&f.code))
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("UPDATE org_nodes SET path = $1 WHERE id = $2")
                    .bind(format!("{parent_path}{id}/"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                r.created += 1;
                id
            }
        };
        store_boundary(&mut tx, id, &f.boundary).await?;
    }
    let detail = serde_json::json!({ "features": r.rows, "created": r.created, "updated": r.updated });
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::GridImport, "org_boundaries").detail(detail))
        .await?;
    tx.commit().await?;
    state.grid_index_changed();
    r.imported = true;
    Ok((StatusCode::OK, Json(r)))
}

/// Text of a CSV file: UTF-8 (with or without BOM) if it is valid UTF-8,
/// otherwise GBK (GB 18030), as Excel in China writes "CSV".
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            (text.into_owned(), "gbk")
        }
    }
}

/// A resident already registered, as the import finds them by ID number.
struct KnownResident {
    id: i64,
    org_node_id: i64,
    path: OrgPath,
    name: String,
    phone: Option<String>,
    address: String,
    special_group: Option<String>,
}

impl KnownResident {
    /// The fields the file would change, by column name (for the audit trail).
    fn changes(
        &self,
        grid: i64,
        name: &str,
        phone: Option<&str>,
        address: &str,
        group: Option<&str>,
    ) -> Vec<&'static str> {
        let mut changed = vec![];
        if self.org_node_id != grid {
            changed.push("grid");
        }
        if self.name != name {
            changed.push("name");
        }
        if self.phone.as_deref() != phone {
            changed.push("phone");
        }
        if self.address != address {
            changed.push("address");
        }
        if self.special_group.as_deref() != group {
            changed.push("special_group");
        }
        changed
    }
}

/// Every resident already registered under an ID number in the file.
async fn known_residents(
    state: &AppState,
    households: &[gongzhi_domain::grid::import::HouseholdRecord],
    job: Option<&LiveImport>,
) -> Result<HashMap<String, Vec<KnownResident>>, AppError> {
    let ids: Vec<&str> = households.iter().flat_map(|h| &h.residents).map(|p| p.id_number.expose()).collect();
    let mut known: HashMap<String, Vec<KnownResident>> = HashMap::new();
    // SQLite allows 32,766 parameters, PostgreSQL 65,535; 500 a query keeps each statement small.
    for chunk in ids.chunks(500) {
        let marks = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
        let sql = format!(
            "SELECT r.id, r.id_number, r.org_node_id, n.path, r.name, r.phone, r.address, r.special_group
             FROM residents r JOIN org_nodes n ON n.id = r.org_node_id WHERE r.id_number IN ({marks})"
        );
        let mut q =
            sqlx::query_as::<_, (i64, String, i64, String, String, Option<String>, String, Option<String>)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for (id, id_number, org_node_id, path, name, phone, address, special_group) in q.fetch_all(&state.db).await? {
            let path = OrgPath::parse(&path).ok_or_else(|| AppError::internal("malformed org path"))?;
            known.entry(id_number).or_default().push(KnownResident {
                id,
                org_node_id,
                path,
                name,
                phone,
                address,
                special_group,
            });
        }
        if let Some(job) = job {
            job.advance(chunk.len() as u32);
        }
    }
    Ok(known)
}

/// `POST /api/households/import` (CSV: one row per resident).
///
/// A dry run (`?dry_run=true`, the page's 检查文件) checks and answers at
/// once: 200, or 422 with every problem. An import runs as a background job
/// (a district's file takes a while): 202 with the job, read with
/// [`household_job`]. One household import at a time (409 otherwise).
pub async fn households(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(opts): Query<ImportOptions>,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = user.require(&state, IMPORTERS, AuditAction::HouseholdImport).await?;
    if body.len() > MAX_HOUSEHOLD_FILE_BYTES {
        let mut r = report();
        r.problems = vec![gongzhi_domain::grid::import::too_large()];
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(r)).into_response());
    }
    if opts.dry_run.unwrap_or(false) {
        let r = run_households(&state, &user, body, None).await?;
        let status = if r.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        return Ok((status, Json(r)).into_response());
    }
    // Claim the one slot, and record the job, before answering.
    let mut slot = state.household_import.lock().await;
    if slot.is_some() {
        return Err(ConflictError::ImportRunning.into());
    }
    let now = Utc::now().to_rfc3339();
    let mut tx = state.write_tx().await?;
    let id = import_jobs::start(&mut tx, "households", user.account_id, &now).await?;
    tx.commit().await?;
    let live = Arc::new(LiveImport::new(id, user.account_id));
    *slot = Some(live.clone());
    drop(slot);
    let job = live_view(&live);
    tokio::spawn(async move {
        // Its own task, so that even a panic ends in a recorded failure and
        // frees the slot.
        let work = {
            let (state, live) = (state.clone(), live.clone());
            tokio::spawn(async move { run_households(&state, &user, body, Some(&live)).await })
        };
        let outcome = work.await.unwrap_or_else(|e| Err(AppError::internal(e)));
        // A clean import recorded its outcome inside its own transaction;
        // anything else is recorded here (nothing was written).
        let failed = match outcome {
            Ok(r) if r.imported => None,
            Ok(r) => Some(r),
            Err(e) => {
                let mut r = report();
                r.problems = vec![file_problem(e.body.code.as_str(), e.body.message.clone())];
                Some(r)
            }
        };
        if let Some(r) = failed {
            let json = serde_json::to_string(&r).unwrap_or_default();
            let recorded = async {
                let mut tx = state.write_tx().await?;
                import_jobs::finish(&mut tx, id, ImportPhase::Failed, r.rows, &json, &Utc::now().to_rfc3339()).await?;
                tx.commit().await
            };
            if let Err(e) = recorded.await {
                tracing::error!(%e, job = id, "could not record the failed import");
            }
        }
        *state.household_import.lock().await = None;
    });
    Ok((StatusCode::ACCEPTED, Json(job)).into_response())
}

fn live_view(live: &LiveImport) -> ImportJob {
    let phase = live.phase();
    ImportJob {
        id: live.id,
        phase: phase.code().into(),
        phase_label: phase.label().into(),
        rows_done: live.rows_done.load(Ordering::Relaxed),
        rows_total: live.rows_total.load(Ordering::Relaxed),
        report: None,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct JobWait {
    /// Hold the answer up to this long (at most 1 s) while the job runs, so
    /// the page polls without a timer of its own; answered at once when the
    /// job ends.
    wait_ms: Option<u64>,
}

/// `GET /api/households/import/jobs/{id}`: the job's phase and progress, and
/// its report once ended. Only the account that started it reads it.
pub async fn household_job(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(wait): Query<JobWait>,
) -> Result<Json<ImportJob>, AppError> {
    let user = user.require(&state, IMPORTERS, AuditAction::HouseholdImport).await?;
    let until = std::time::Instant::now() + std::time::Duration::from_millis(wait.wait_ms.unwrap_or(0).min(1000));
    while std::time::Instant::now() < until {
        let running = state.household_import.lock().await.as_ref().is_some_and(|l| l.id == id && !l.phase().is_final());
        if !running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let live = state.household_import.lock().await.clone();
    if let Some(live) = live.filter(|l| l.id == id && !l.phase().is_final()) {
        if live.account_id != user.account_id {
            return Err(AccessError::NotFound.into());
        }
        return Ok(Json(live_view(&live)));
    }
    let row = import_jobs::get(&state.db, id).await?.filter(|j| j.created_by == user.account_id);
    let Some(row) = row else { return Err(AccessError::NotFound.into()) };
    let phase = match row.status.as_str() {
        "running" => ImportPhase::Reading,
        s => ImportPhase::from_code(s).ok_or_else(|| AppError::internal("unknown import job status"))?,
    };
    let report = match phase {
        ImportPhase::Interrupted => {
            let mut r = report();
            r.rows = row.rows as u32;
            r.problems = vec![RowProblem::file(&ImportFileError::Interrupted)];
            Some(r)
        }
        _ => match &row.report {
            Some(json) => Some(serde_json::from_str(json).map_err(AppError::internal)?),
            None => None,
        },
    };
    let rows = row.rows as u32;
    Ok(Json(ImportJob {
        id: row.id,
        phase: phase.code().into(),
        phase_label: phase.label().into(),
        rows_done: if phase == ImportPhase::Done { rows } else { 0 },
        rows_total: rows,
        report,
    }))
}

/// Reads, checks and (unless `job` is `None`: a dry run) writes a household
/// file. The report has problems when the file is refused; `imported` when
/// written. A job's outcome is recorded in the write transaction itself.
async fn run_households(
    state: &AppState,
    user: &CurrentUser,
    body: Bytes,
    job: Option<&Arc<LiveImport>>,
) -> Result<ImportReport, AppError> {
    let mut r = report();
    // Decoding and CSV parsing of a district's file take seconds of CPU: off
    // the async workers.
    let progress = job.cloned();
    let read =
        tokio::task::spawn_blocking(move || read_csv(&body, progress.as_deref())).await.map_err(AppError::internal)?;
    let (rows, encoding) = match read {
        Ok(read) => read,
        Err((encoding, problem)) => {
            r.encoding = Some(encoding.into());
            r.problems = vec![problem];
            return Ok(r);
        }
    };
    r.encoding = Some(encoding.into());
    r.rows = rows.len().saturating_sub(1) as u32;
    if let Some(job) = job {
        job.rows_total.store(r.rows, Ordering::Relaxed);
        job.enter(ImportPhase::Checking);
    }
    let grids: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, code, path FROM org_nodes WHERE level = 'grid' AND path LIKE $1 || '%'")
            .bind(user.scope.as_str())
            .fetch_all(&state.db)
            .await?;
    let codes: HashSet<String> = grids.iter().map(|g| g.1.clone()).collect();
    let parsed =
        tokio::task::spawn_blocking(move || parse_households(&rows, &codes)).await.map_err(AppError::internal)?;
    let households = match parsed {
        Ok(h) => h,
        Err(p) => {
            r.problems = p;
            return Ok(r);
        }
    };
    let grid_id: HashMap<&str, i64> = grids.iter().map(|g| (g.1.as_str(), g.0)).collect();
    // Households standing outside their grid's boundary are worth a look.
    let index = state.grid_index().await?;
    let mut per_grid: HashMap<&str, u32> = HashMap::new();
    for h in &households {
        *per_grid.entry(&h.grid_code).or_default() += 1;
        if r.warnings.len() >= 50 {
            continue;
        }
        let hits = index.locate(h.position, gongzhi_domain::grid::locate::BORDER_TOLERANCE_M);
        if !hits.is_empty() && !hits.iter().any(|hit| Some(&hit.key) == grid_id.get(h.grid_code.as_str())) {
            r.warnings
                .push(format!("户 {}({})的位置不在网格 {} 的边界内,请核对经纬度。", h.code, h.address, h.grid_code));
        }
    }
    // A resident is one person wherever they live, matched by ID number; one
    // registered outside the importer's scope is not theirs to move or edit.
    let known = known_residents(state, &households, job.map(|j| j.as_ref())).await?;
    let foreign: Vec<RowProblem> = households
        .iter()
        .flat_map(|h| &h.residents)
        .filter(|p| known.get(p.id_number.expose()).is_some_and(|rs| rs.iter().any(|k| !user.sees(&k.path))))
        .map(|p| RowProblem {
            row: p.line,
            column: COL_ID_NUMBER.label.into(),
            code: "import_resident_out_of_scope".into(),
            message: "该居民登记在您管辖范围以外的辖区,本次导入不能变更其信息;如已迁入本辖区,请由原辖区先办理迁出。"
                .into(),
        })
        .collect();
    if !foreign.is_empty() {
        let detail =
            serde_json::json!({ "reason": "scope", "rows": foreign.iter().map(|p| p.row).collect::<Vec<_>>() });
        let event = Event::new(AuditAction::HouseholdImport, "households", Outcome::Denied).detail(detail);
        audit::record(state, &user.who(), &event).await?;
        r.problems = foreign;
        return Ok(r);
    }
    let Some(job) = job else { return Ok(r) };
    job.enter(ImportPhase::Writing);
    let plan = Plan::of(&households, &grid_id, &known);
    let touched: Vec<i64> = per_grid.keys().map(|c| grid_id[c]).collect();
    let outcome = write_households(state, user, job, &plan, &grids, touched, encoding, &mut r).await;
    // Whatever the outcome, the staged rows go (and at the next start if
    // this is cut off).
    if let Err(e) = household_import::discard(&state.db, job.id, plan.households.len(), plan.residents.len()).await {
        tracing::warn!(%e, job = job.id, "staged import rows not deleted (they go at the next start)");
    }
    outcome?;
    job.enter(ImportPhase::Done);
    Ok(r)
}

/// What a checked file writes: its households and residents as staged, and
/// the audit entry of each registered resident it changes (field by field).
struct Plan<'a> {
    households: Vec<StagedHousehold<'a>>,
    residents: Vec<StagedResident<'a>>,
    changes: Vec<(i64, serde_json::Value)>,
}

impl<'a> Plan<'a> {
    fn of(
        households: &'a [gongzhi_domain::grid::import::HouseholdRecord],
        grid_id: &HashMap<&str, i64>,
        known: &HashMap<String, Vec<KnownResident>>,
    ) -> Self {
        let mut plan = Plan { households: Vec::new(), residents: Vec::new(), changes: Vec::new() };
        for h in households {
            let gid = grid_id[h.grid_code.as_str()];
            plan.households.push(StagedHousehold {
                grid_id: gid,
                code: &h.code,
                address: &h.address,
                building: &h.building,
                lon: h.position.lon,
                lat: h.position.lat,
            });
            for p in &h.residents {
                let phone = p.phone.as_ref().map(|x| x.expose());
                let group = p.special_group.map(|g| g.code());
                let staged = |resident_id| StagedResident {
                    resident_id,
                    grid_id: gid,
                    household_code: &h.code,
                    name: &p.name,
                    id_number: p.id_number.expose(),
                    phone,
                    address: &h.address,
                    special_group: group,
                    special_since: p.since.map(|d| d.to_string()),
                };
                let Some(existing) = known.get(p.id_number.expose()) else {
                    plan.residents.push(staged(None));
                    continue;
                };
                for k in existing {
                    plan.residents.push(staged(Some(k.id)));
                    let changed = k.changes(gid, &p.name, phone, &h.address, group);
                    if !changed.is_empty() {
                        let detail = serde_json::json!({
                            "fields": changed,
                            "special_group": { "from": k.special_group, "to": group },
                            "line": p.line,
                        });
                        plan.changes.push((k.id, detail));
                    }
                }
            }
        }
        plan
    }
}

/// The write phase: the plan staged in short transactions, then applied in
/// one short write transaction with the size warnings, the audit entries and
/// the job's outcome ("done" commits with the data).
#[allow(clippy::too_many_arguments)]
async fn write_households(
    state: &AppState,
    user: &CurrentUser,
    job: &LiveImport,
    plan: &Plan<'_>,
    grids: &[(i64, String, String)],
    touched: Vec<i64>,
    encoding: &str,
    r: &mut ImportReport,
) -> Result<(), AppError> {
    let staged =
        household_import::stage(&state.db, job.id, &plan.households, &plan.residents, |n| job.advance(n)).await?;
    let now = Utc::now().to_rfc3339();
    let apply_started = std::time::Instant::now();
    // The final transaction: on SQLite it holds the write lock throughout;
    // on PostgreSQL the set-based writes need no ordering with other writers
    // (MVCC), so the advisory lock is taken only for the audit entries and
    // the job's outcome.
    let mut tx = crate::db::staging_tx(&state.db).await?;
    let began = std::time::Instant::now();
    let applied = match household_import::apply(
        &mut tx,
        job.id,
        plan.households.len(),
        plan.residents.len(),
        plan.residents.iter().filter(|p| p.resident_id.is_some()).count(),
        user.scope.as_str(),
        &now,
    )
    .await
    {
        Ok(a) => a,
        Err(ApplyError::Db(e)) => return Err(e.into()),
        Err(ApplyError::NotRunning) => {
            return Err(AppError::domain(StatusCode::CONFLICT, &ImportFileError::Interrupted))
        }
    };
    crate::db::take_write_lock(&mut tx).await?;
    // SQLite's write lock was held from BEGIN on.
    let lock_taken = match crate::db::Backend::of(&state.db) {
        crate::db::Backend::Sqlite => began,
        crate::db::Backend::Postgres => std::time::Instant::now(),
    };
    r.created = applied.households_created as u32;
    r.updated = applied.households_updated as u32;
    for (resident, detail) in &plan.changes {
        let event = Event::success(AuditAction::ResidentImportChange, format!("resident:{resident}"));
        audit::append(&mut tx, &user.who(), &event.detail(detail.clone())).await?;
    }
    for (code, n) in grid_sizes(&mut tx, touched).await? {
        let flag = SizeFlag::of(n as u32);
        if flag != SizeFlag::Standard {
            let code = grids.iter().find(|g| g.0 == code).map(|g| g.1.as_str()).unwrap_or_default();
            r.warnings.push(format!("网格 {code} 现有 {n} 户:{}。", flag.label()));
        }
    }
    let detail = serde_json::json!({
        "rows": r.rows, "encoding": encoding, "households_created": r.created, "households_updated": r.updated,
        "residents_created": applied.residents_created, "residents_updated": applied.residents_updated, "job": job.id,
        "write": {
            "staging_transactions": staged.transactions,
            "staging_longest_ms": staged.longest_tx.as_millis() as u64,
            "staging_ms": staged.total.as_millis() as u64,
            "apply_ms": began.elapsed().as_millis() as u64,
            "apply_steps_ms": applied.steps_ms,
            "apply_locked_ms": lock_taken.elapsed().as_millis() as u64,
        },
    });
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::HouseholdImport, "households").detail(detail))
        .await?;
    r.imported = true;
    let json = serde_json::to_string(&r).map_err(AppError::internal)?;
    if !import_jobs::finish(&mut tx, job.id, ImportPhase::Done, r.rows, &json, &now).await? {
        r.imported = false;
        return Err(AppError::domain(StatusCode::CONFLICT, &ImportFileError::Interrupted));
    }
    tx.commit().await?;
    tracing::info!(
        job = job.id,
        rows = r.rows,
        staging_ms = staged.total.as_millis() as u64,
        staging_transactions = staged.transactions,
        staging_longest_ms = staged.longest_tx.as_millis() as u64,
        apply_ms = began.elapsed().as_millis() as u64,
        apply_locked_ms = lock_taken.elapsed().as_millis() as u64,
        apply_wait_ms = (began - apply_started).as_millis() as u64,
        "household import written"
    );
    Ok(())
}

/// A file's rows as text with its encoding, or the encoding and the first
/// problem reading it.
type ReadCsv = Result<(Vec<Vec<String>>, &'static str), (&'static str, RowProblem)>;

/// The file's rows as text, or the first problem reading it (with the
/// encoding found).
fn read_csv(bytes: &[u8], job: Option<&LiveImport>) -> ReadCsv {
    let (text, encoding) = decode(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        match rec {
            Ok(rec) => rows.push(rec.iter().map(String::from).collect()),
            Err(e) => {
                let msg =
                    format!("第 {} 行无法按 CSV 读取:{}", i + 1, e.to_string().chars().take(60).collect::<String>());
                return Err((encoding, file_problem("import_csv", msg)));
            }
        }
        if let Some(job) = job.filter(|_| i % 4096 == 0) {
            job.rows_done.store(i as u32, Ordering::Relaxed);
        }
    }
    Ok((rows, encoding))
}

/// Grids a size query names at once.
const BATCH: usize = 500;

/// Households per grid, for the grids given.
async fn grid_sizes(tx: &mut AnyConnection, grids: Vec<i64>) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in grids.chunks(BATCH) {
        let marks = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
        let sql = format!(
            "SELECT grid_id, CAST(COUNT(*) AS BIGINT) FROM households WHERE grid_id IN ({marks}) GROUP BY grid_id"
        );
        let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
        for g in chunk {
            q = q.bind(*g);
        }
        out.extend(q.fetch_all(&mut *tx).await?);
    }
    Ok(out)
}
