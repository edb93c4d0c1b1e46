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

use super::{communities_under, current_view, finish_step_plain, flow_error, own_file, FileRow, READERS};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store;
use crate::store::admission::{CommunityRow, ListedRow, NewTraining};

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
    store::admission::add_guide(&mut tx, id, &name, phone.expose(), user.account_id, &Utc::now().to_rfc3339()).await?;
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
        body.parse(state.today(), &|code| covered.iter().any(|c| c.code == code)).map_err(|e| AppError::fields(&e))?;
    let community = covered
        .iter()
        .find(|c| c.code == training.community)
        .cloned()
        .ok_or_else(|| AppError::internal("community"))?;
    let now = Utc::now().to_rfc3339();
    let new = NewTraining {
        community_id: community.id,
        held_on: training.held_on,
        trainer: &training.trainer,
        attendees: training.attendees,
        topic: &training.topic,
        by: user.account_id,
        at: &now,
    };
    let mut tx = state.write_tx().await?;
    store::admission::add_training(&mut tx, id, &new).await?;
    let note = format!("{} {} 培训 {} 人:{}", community.name, training.held_on, training.attendees, training.topic);
    finish_step_plain(tx, &user, id, "training", AuditAction::AdmissionTraining, &note).await?;
    answer(&state, &user, id).await
}

/// The communities a file covers: all under its department's node, or those
/// listed for it.
fn covered(row: &FileRow, under: &[CommunityRow], listed: &[ListedRow]) -> Vec<CommunityRow> {
    under
        .iter()
        .filter(|c| row.scope_all || listed.iter().any(|l| l.application_id == row.id && l.community_id == c.id))
        .cloned()
        .collect()
}

async fn covered_communities(state: &AppState, row: &FileRow) -> Result<Vec<CommunityRow>, AppError> {
    let under = communities_under(&state.db, &row.org_path).await?;
    let listed = store::admission::listed_communities(&mut *state.db.acquire().await?, Some(row.id)).await?;
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
    let root = store::admission::root_path(&mut *state.db.acquire().await?).await?;
    let communities: Vec<CommunityOption> = match root.as_deref().and_then(OrgPath::parse) {
        Some(root) => communities_under(&state.db, &root)
            .await?
            .into_iter()
            .map(|c| CommunityOption { code: c.code, name: c.name, street: c.street })
            .collect(),
        None => vec![],
    };
    let chosen = f.community.filter(|c| communities.iter().any(|o| &o.code == c));
    let mut conn = state.db.acquire().await?;
    let rows = store::admission::admitted(&mut conn).await?;
    // Everything the list needs, read once rather than per item.
    let listed = store::admission::listed_communities(&mut conn, None).await?;
    let held = store::admission::held(&mut conn).await?;
    let mut under: HashMap<String, Vec<CommunityRow>> = HashMap::new();
    let mut items = Vec::new();
    for row in &rows {
        if !under.contains_key(row.org_path.as_str()) {
            let communities = store::admission::communities_under(&mut conn, row.org_path.as_str()).await?;
            under.insert(row.org_path.as_str().to_string(), communities);
        }
        let covered = covered(row, &under[row.org_path.as_str()], &listed);
        if chosen.as_ref().is_some_and(|c| !covered.iter().any(|x| &x.code == c)) {
            continue;
        }
        let trainings: Vec<(&str, NaiveDate)> = held
            .iter()
            .filter(|h| h.application_id == row.id)
            .filter_map(|h| Some((h.code.as_str(), h.held_on.parse().ok()?)))
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
    let base = match user.department_id {
        Some(d) => store::admission::department_path(&mut *state.db.acquire().await?, d).await?,
        None => None,
    };
    let base = base.and_then(|p| OrgPath::parse(&p)).unwrap_or_else(|| user.scope.clone());
    let communities = communities_under(&state.db, &base)
        .await?
        .into_iter()
        .map(|c| CommunityOption { code: c.code, name: c.name, street: c.street })
        .collect();
    let departments = store::admission::departments(&mut *state.db.acquire().await?)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    Ok(Json(AdmissionMeta { today: state.today(), negative_list: NegativeList::bundled(), communities, departments }))
}
