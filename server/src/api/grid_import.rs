//! Imports for the grid: boundaries from GeoJSON and households with their
//! residents from CSV (UTF-8 or GBK, as Excel in China saves it).
//!
//! The whole file is checked first; any problem answers 422 with a report
//! by row and column, and nothing is written. A clean file is written in one
//! transaction with its audit entry. `?dry_run=true` checks without writing.

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
        r.problems = vec![RowProblem::file(&ImportFileError::TooLarge)];
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

/// `GET /api/households/import/jobs/{id}`: the job's phase and progress, and
/// its report once ended. Only the account that started it reads it.
pub async fn household_job(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ImportJob>, AppError> {
    let user = user.require(&state, IMPORTERS, AuditAction::HouseholdImport).await?;
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
    let started = std::time::Instant::now();
    let mut tx = state.write_tx().await?;
    write_households(&mut tx, user, &households, &grid_id, &known, &mut r, job).await?;
    for (code, n) in grid_sizes(&mut tx, per_grid.keys().map(|c| grid_id[c]).collect()).await? {
        let flag = SizeFlag::of(n as u32);
        if flag != SizeFlag::Standard {
            let code = grids.iter().find(|g| g.0 == code).map(|g| g.1.as_str()).unwrap_or_default();
            r.warnings.push(format!("网格 {code} 现有 {n} 户:{}。", flag.label()));
        }
    }
    let detail = serde_json::json!({ "rows": r.rows, "encoding": encoding, "households_created": r.created, "households_updated": r.updated, "job": job.id });
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::HouseholdImport, "households").detail(detail))
        .await?;
    r.imported = true;
    let json = serde_json::to_string(&r).map_err(AppError::internal)?;
    import_jobs::finish(&mut tx, job.id, ImportPhase::Done, r.rows, &json, &Utc::now().to_rfc3339()).await?;
    tx.commit().await?;
    job.enter(ImportPhase::Done);
    tracing::info!(
        job = job.id,
        rows = r.rows,
        write_ms = started.elapsed().as_millis() as u64,
        "household import written"
    );
    Ok(r)
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

/// Rows a multi-row statement carries: SQLite allows 32,766 parameters,
/// PostgreSQL 65,535; 9 columns × 500 keeps each statement well inside both.
const BATCH: usize = 500;

/// `($1, …, $k), ($k+1, …)`: `rows` groups of `cols` placeholders.
fn values(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(",")))
        .collect::<Vec<_>>()
        .join(",")
}

/// The write phase, inside the caller's transaction: new households and
/// residents by multi-row inserts, existing ones updated one by one (with
/// an audit entry for each resident changed).
async fn write_households(
    tx: &mut AnyConnection,
    user: &CurrentUser,
    households: &[gongzhi_domain::grid::import::HouseholdRecord],
    grid_id: &HashMap<&str, i64>,
    known: &HashMap<String, Vec<KnownResident>>,
    r: &mut ImportReport,
    job: &LiveImport,
) -> Result<(), AppError> {
    let now = Utc::now().to_rfc3339();
    // Households already there, in the grids of this scope.
    let existing: HashMap<(i64, String), i64> = sqlx::query_as::<_, (i64, i64, String)>(
        "SELECT h.id, h.grid_id, h.code FROM households h JOIN org_nodes n ON n.id = h.grid_id WHERE n.path LIKE $1 || '%'",
    )
    .bind(user.scope.as_str())
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|(id, gid, code)| ((gid, code), id))
    .collect();
    let mut ids: HashMap<(i64, String), i64> = HashMap::new();
    let mut new: Vec<&gongzhi_domain::grid::import::HouseholdRecord> = Vec::new();
    for h in households {
        let gid = grid_id[h.grid_code.as_str()];
        match existing.get(&(gid, h.code.clone())) {
            Some(&id) => {
                sqlx::query("UPDATE households SET address = $1, building = $2, lon = $3, lat = $4 WHERE id = $5")
                    .bind(&h.address)
                    .bind(&h.building)
                    .bind(h.position.lon)
                    .bind(h.position.lat)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                r.updated += 1;
                ids.insert((gid, h.code.clone()), id);
            }
            None => new.push(h),
        }
    }
    for chunk in new.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO households (grid_id, code, address, building, lon, lat, created_at) VALUES {} RETURNING id, grid_id, code",
            values(chunk.len(), 7)
        );
        let mut q = sqlx::query_as::<_, (i64, i64, String)>(&sql);
        for h in chunk {
            q = q
                .bind(grid_id[h.grid_code.as_str()])
                .bind(&h.code)
                .bind(&h.address)
                .bind(&h.building)
                .bind(h.position.lon)
                .bind(h.position.lat)
                .bind(&now);
        }
        // The (grid, code) pair is unique: the returned rows are matched by
        // it, not by their order.
        for (id, gid, code) in q.fetch_all(&mut *tx).await? {
            ids.insert((gid, code), id);
        }
        r.created += chunk.len() as u32;
    }
    // Residents: (grid, household, record, address).
    let mut fresh = Vec::new();
    for h in households {
        let gid = grid_id[h.grid_code.as_str()];
        let hid = *ids.get(&(gid, h.code.clone())).ok_or_else(|| AppError::internal("household id missing"))?;
        for p in &h.residents {
            let phone = p.phone.as_ref().map(|x| x.expose().to_string());
            let group = p.special_group.map(|g| g.code());
            let Some(existing) = known.get(p.id_number.expose()) else {
                fresh.push((gid, hid, p, &h.address));
                continue;
            };
            for k in existing {
                // Scope again inside the transaction: only rows still in scope move.
                sqlx::query(
                    "UPDATE residents SET org_node_id = $1, household_id = $2, name = $3, phone = $4, address = $5,
                        special_group = $6, special_since = COALESCE($7, special_since)
                     WHERE id = $8 AND org_node_id IN (SELECT id FROM org_nodes WHERE path LIKE $9 || '%')",
                )
                .bind(gid)
                .bind(hid)
                .bind(&p.name)
                .bind(&phone)
                .bind(&h.address)
                .bind(group)
                .bind(p.since.map(|d| d.to_string()))
                .bind(k.id)
                .bind(user.scope.as_str())
                .execute(&mut *tx)
                .await?;
                let changed = k.changes(gid, &p.name, phone.as_deref(), &h.address, group);
                if !changed.is_empty() {
                    let detail = serde_json::json!({
                        "fields": changed,
                        "special_group": { "from": k.special_group, "to": group },
                        "line": p.line,
                    });
                    let event = Event::success(AuditAction::ResidentImportChange, format!("resident:{}", k.id));
                    audit::append(&mut *tx, &user.who(), &event.detail(detail)).await?;
                }
            }
            job.advance(1);
        }
    }
    for chunk in fresh.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO residents (org_node_id, household_id, name, id_number, phone, address, special_group, special_since, created_at) VALUES {}",
            values(chunk.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for (gid, hid, p, address) in chunk {
            q = q
                .bind(*gid)
                .bind(*hid)
                .bind(&p.name)
                .bind(p.id_number.expose())
                .bind(p.phone.as_ref().map(|x| x.expose().to_string()))
                .bind(address.as_str())
                .bind(p.special_group.map(|g| g.code()))
                .bind(p.since.map(|d| d.to_string()))
                .bind(&now);
        }
        q.execute(&mut *tx).await?;
        job.advance(chunk.len() as u32);
    }
    Ok(())
}

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
