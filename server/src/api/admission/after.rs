//! After admission: the guides a department names and the training held per
//! community; the public catalogue of admitted items (准入事项清单); and what
//! the forms need to know.

use gongzhi_domain::audit::AuditAction;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, Utc};
use gongzhi_api::{AdmissionFile, AdmissionMeta, CatalogItem, CatalogPage, CommunityOption};
use gongzhi_domain::admission::flow::APPLICANT;
use gongzhi_domain::admission::steps::{GuideInput, TrainingInput};
use gongzhi_domain::admission::{AdmissionFlowError, NegativeList};
use gongzhi_domain::OrgPath;
use serde::Deserialize;
use sqlx::Row;

use super::{communities_under, current_view, finish_step_plain, flow_error, own_file, FileRow, READERS};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;

/// The caller's department's own admitted file.
async fn own_admitted(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<FileRow, AppError> {
    let row = own_file(state, user, id, action).await?;
    if !row.status.is_admitted() {
        return Err(flow_error(&AdmissionFlowError::NotAdmittedYet { from: row.status }));
    }
    Ok(row)
}

async fn answer(state: &AppState, user: &CurrentUser, id: i64) -> Result<(StatusCode, Json<AdmissionFile>), AppError> {
    Ok((StatusCode::CREATED, Json(current_view(state, user, id).await?)))
}

/// `POST /api/admission/applications/{id}/guides` (the applying department):
/// names a member of staff who guides and trains community workers.
pub async fn add_guide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<GuideInput>,
) -> Result<(StatusCode, Json<AdmissionFile>), AppError> {
    let user = user.require(&state, APPLICANT, AuditAction::AdmissionGuide).await?;
    own_admitted(&state, &user, id, AuditAction::AdmissionGuide).await?;
    let (name, phone) = body.parse().map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    sqlx::query(
        "INSERT INTO admission_guides (application_id, name, phone, named_by, named_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&name)
    .bind(phone.expose())
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    let note = format!("指定指导培训人员 {name}");
    finish_step_plain(tx, &user, id, "guide", AuditAction::AdmissionGuide, &note).await?;
    answer(&state, &user, id).await
}

/// `POST /api/admission/applications/{id}/trainings` (the applying
/// department): training held in one community the item covers.
pub async fn add_training(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<TrainingInput>,
) -> Result<(StatusCode, Json<AdmissionFile>), AppError> {
    let user = user.require(&state, APPLICANT, AuditAction::AdmissionTraining).await?;
    let row = own_admitted(&state, &user, id, AuditAction::AdmissionTraining).await?;
    let covered = covered_communities(&state, &row).await?;
    let training =
        body.parse(state.today(), &|code| covered.iter().any(|c| c.1 == code)).map_err(|e| AppError::fields(&e))?;
    let (community_id, _, community_name, _) =
        covered.iter().find(|c| c.1 == training.community).cloned().ok_or_else(|| AppError::internal("community"))?;
    let mut tx = state.write_tx().await?;
    sqlx::query(
        "INSERT INTO admission_trainings (application_id, community_id, held_on, trainer, attendees, topic,
            recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(community_id)
    .bind(training.held_on.to_string())
    .bind(&training.trainer)
    .bind(i64::from(training.attendees))
    .bind(&training.topic)
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    let note = format!("{community_name} {} 培训 {} 人:{}", training.held_on, training.attendees, training.topic);
    finish_step_plain(tx, &user, id, "training", AuditAction::AdmissionTraining, &note).await?;
    answer(&state, &user, id).await
}

/// A community: (id, code, name, street).
type Community = (i64, String, String, String);

/// The communities a file covers: all under its department's node, or those
/// listed for it (`listed`: (application id, community id) pairs).
fn covered(row: &FileRow, under: &[Community], listed: &[(i64, i64)]) -> Vec<Community> {
    under
        .iter()
        .filter(|c| row.scope_all || listed.iter().any(|(a, community)| *a == row.id && *community == c.0))
        .cloned()
        .collect()
}

async fn covered_communities(state: &AppState, row: &FileRow) -> Result<Vec<Community>, AppError> {
    let under = communities_under(&state.db, &row.org_path).await?;
    let listed: Vec<(i64, i64)> =
        sqlx::query_as("SELECT application_id, community_id FROM admission_communities WHERE application_id = $1")
            .bind(row.id)
            .fetch_all(&state.db)
            .await?;
    Ok(covered(row, &under, &listed))
}

#[derive(Debug, Default, Deserialize)]
pub struct CatalogFilter {
    /// Community code.
    community: Option<String>,
}

/// `GET /api/admission/catalog` (public): the items communities carry, with
/// whether the department trained the community's workers.
pub async fn catalog(State(state): State<AppState>, Query(f): Query<CatalogFilter>) -> ApiResult<CatalogPage> {
    let root: Option<String> =
        sqlx::query_scalar("SELECT path FROM org_nodes WHERE parent_id IS NULL ORDER BY id LIMIT 1")
            .fetch_optional(&state.db)
            .await?;
    let communities: Vec<CommunityOption> = match root.as_deref().and_then(OrgPath::parse) {
        Some(root) => communities_under(&state.db, &root)
            .await?
            .into_iter()
            .map(|(_, code, name, street)| CommunityOption { code, name, street })
            .collect(),
        None => vec![],
    };
    let chosen = f.community.filter(|c| communities.iter().any(|o| &o.code == c));
    let rows = sqlx::query(&format!(
        "{} WHERE a.status IN ('approved', 'registered') ORDER BY a.decided_on DESC",
        super::SELECT
    ))
    .fetch_all(&state.db)
    .await?;
    // Everything the list needs, read once rather than per item.
    let listed: Vec<(i64, i64)> =
        sqlx::query_as("SELECT application_id, community_id FROM admission_communities").fetch_all(&state.db).await?;
    let held: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT t.application_id, n.code, t.held_on FROM admission_trainings t JOIN org_nodes n ON n.id = t.community_id",
    )
    .fetch_all(&state.db)
    .await?;
    let mut under: HashMap<String, Vec<Community>> = HashMap::new();
    let mut items = Vec::new();
    for r in &rows {
        let row = FileRow::from_row(r)?;
        if !under.contains_key(row.org_path.as_str()) {
            let communities = communities_under(&state.db, &row.org_path).await?;
            under.insert(row.org_path.as_str().to_string(), communities);
        }
        let covered = covered(&row, &under[row.org_path.as_str()], &listed);
        if chosen.as_ref().is_some_and(|c| !covered.iter().any(|x| &x.1 == c)) {
            continue;
        }
        let trainings: Vec<(&str, NaiveDate)> = held
            .iter()
            .filter(|(a, _, _)| *a == row.id)
            .filter_map(|(_, code, on)| Some((code.as_str(), on.parse().ok()?)))
            .collect();
        let mut trained: Vec<&str> = trainings.iter().map(|t| t.0).collect();
        trained.sort();
        trained.dedup();
        let last_training: Option<NaiveDate> =
            chosen.as_ref().and_then(|c| trainings.iter().filter(|t| t.0 == c).map(|t| t.1).max());
        let application = row.form.clone();
        let lines = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        items.push(CatalogItem {
            id: row.id,
            file_no: row.file_no.clone(),
            item_name: row.item_name.clone(),
            department_name: row.department_name.clone(),
            path_label: row.path.label().into(),
            basis: application.basis.clone(),
            start_date: application.start_date.parse().unwrap_or_default(),
            duration_months: application.duration_months.trim().parse().unwrap_or_default(),
            funding_label: row.funding_label(),
            trainer: application.trainer_name.clone(),
            trained: chosen.as_ref().map(|_| last_training.is_some()),
            last_training,
            trained_communities: trained.len() as u32,
            community_count: covered.len() as u32,
            ledgers: lines(&application.ledgers),
            plaques: lines(&application.plaques),
            bodies: lines(&application.bodies),
        });
    }
    Ok(Json(CatalogPage { communities, community: chosen, items }))
}

/// `GET /api/admission/meta`: today, the negative list, the communities an
/// applicant may name and every department.
pub async fn meta(State(state): State<AppState>, user: CurrentUser) -> ApiResult<AdmissionMeta> {
    let user = user.require(&state, READERS, AuditAction::AdmissionMeta).await?;
    // An applicant names communities under their department's node.
    let base: Option<String> = match user.department_id {
        Some(d) => {
            sqlx::query_scalar(
                "SELECT n.path FROM departments d JOIN org_nodes n ON n.id = d.org_node_id WHERE d.id = $1",
            )
            .bind(d)
            .fetch_optional(&state.db)
            .await?
        }
        None => None,
    };
    let base = base.and_then(|p| OrgPath::parse(&p)).unwrap_or_else(|| user.scope.clone());
    let communities = communities_under(&state.db, &base)
        .await?
        .into_iter()
        .map(|(_, code, name, street)| CommunityOption { code, name, street })
        .collect();
    let departments = sqlx::query("SELECT code, name FROM departments ORDER BY id")
        .fetch_all(&state.db)
        .await?
        .iter()
        .map(|r| (r.get("code"), r.get("name")))
        .collect();
    Ok(Json(AdmissionMeta { today: state.today(), negative_list: NegativeList::bundled(), communities, departments }))
}
