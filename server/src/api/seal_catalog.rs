//! The seal catalogue kept by the city (证明事项目录维护): the city's system
//! administrator loads a province's edition, adds or changes the city's own
//! entries, and sees the matters recorded outside the catalogue. Each edition
//! is checked whole by the domain, stored (never changed), audited, and in
//! force from its effective date for every request at once — decisions read
//! the composed catalogue from the database, so no restart is needed.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use gongzhi_api::{ApiError, CatalogEditionView, CatalogEditionsPage, CatalogLoadResponse, UncataloguedMatterView};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::seal::{compose, Catalog, CatalogLayer, CatalogLevel, CertificateMatter, LayerProblem};
use gongzhi_domain::seal_layers::{
    city_code, edition_in_force, CityKeeperOnly, CityMatterInput, CITY_MATTER_KINDS, FIELD_CITY_DEPARTMENT,
};
use gongzhi_domain::{DomainError, FieldError, FieldErrorKind, RequestError, Role};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store::seal::{insert_layer, layer_rows, LayerRow};

/// Who keeps the catalogue: the city's system administrator.
pub const KEEPERS: &[Role] = &[Role::SystemAdmin];

/// A keeper bound to the city itself (a district's administrator keeps no
/// city catalogue).
async fn city_keeper(state: &AppState, user: CurrentUser, action: AuditAction) -> Result<CurrentUser, AppError> {
    let user = user.require(state, KEEPERS, action).await?;
    if user.scope.ids().len() != 1 {
        return Err(AppError::domain(StatusCode::FORBIDDEN, &CityKeeperOnly));
    }
    Ok(user)
}

fn view(layer: &CatalogLayer, row: Option<&LayerRow>, in_force: bool, today: chrono::NaiveDate) -> CatalogEditionView {
    CatalogEditionView {
        id: row.map(|r| r.id),
        level: layer.level.code().into(),
        level_label: layer.level.label().into(),
        version: layer.version.clone(),
        region: layer.region.clone(),
        effective_from: layer.effective_from.to_string(),
        source: layer.source.clone(),
        matters: layer.matters.len(),
        in_force,
        pending: layer.effective_from > today,
        loaded_by: row.map(|r| r.loaded_by.clone()),
        loaded_at: row.map(|r| r.loaded_at.clone()),
    }
}

/// The catalogue in force today and every edition (newest first, the
/// national one last; `in_force` marks those composed today), from one read
/// of the stored editions.
pub(crate) async fn catalogue_and_editions(state: &AppState) -> Result<(Catalog, Vec<CatalogEditionView>), AppError> {
    let today = state.today();
    let mut conn = state.db.acquire().await?;
    let rows = layer_rows(&mut conn).await?;
    drop(conn);
    let layers = rows.iter().map(LayerRow::layer).collect::<Result<Vec<_>, _>>()?;
    let national = CatalogLayer::national(true);
    let catalog = compose(&national, &layers, today);
    let in_force: Vec<usize> = [CatalogLevel::Province, CatalogLevel::City]
        .iter()
        .filter_map(|l| edition_in_force(&layers, *l, today))
        .collect();
    let mut out: Vec<_> = layers
        .iter()
        .zip(&rows)
        .enumerate()
        .map(|(i, (l, r))| view(l, Some(r), in_force.contains(&i), today))
        .collect();
    out.reverse();
    out.push(view(&national, None, true, today));
    Ok((catalog, out))
}

/// `GET /api/seal/catalog/editions`
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<CatalogEditionsPage> {
    city_keeper(&state, user, AuditAction::SealCatalogRead).await?;
    let (catalog, editions) = catalogue_and_editions(&state).await?;
    Ok(Json(CatalogEditionsPage {
        version_in_force: catalog.version,
        editions,
        city_kinds: CITY_MATTER_KINDS.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect(),
    }))
}

fn refused(problems: &[LayerProblem]) -> AppError {
    AppError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: ApiError::from_fields(problems).unwrap_or_else(|| ApiError::from_domain(&RequestError::BadRequest)),
    }
}

/// `?dry_run=true`: check and show, save nothing.
#[derive(Debug, Default, Deserialize)]
pub struct LoadOptions {
    dry_run: Option<bool>,
}

/// Stores `layer` (checked), audits it, and answers with the version in
/// force after it; a version its level already has answers 409.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    layer: CatalogLayer,
    action: AuditAction,
    detail: serde_json::Value,
    dry_run: bool,
) -> Result<(StatusCode, Json<CatalogLoadResponse>), AppError> {
    let today = state.today();
    let national = CatalogLayer::national(true);
    let mut tx = state.write_tx().await?;
    let rows = layer_rows(&mut tx).await?;
    let mut layers = rows.iter().map(LayerRow::layer).collect::<Result<Vec<_>, _>>()?;
    if layers.iter().any(|l| l.level == layer.level && l.version == layer.version) {
        return Err(AppError::domain(StatusCode::CONFLICT, &LayerVersionTaken(layer.version.clone())));
    }
    layers.push(layer.clone());
    let in_force = edition_in_force(&layers, layer.level, today) == Some(layers.len() - 1);
    let version_in_force = compose(&national, &layers, today).version;
    let mut edition = view(&layer, None, in_force, today);
    if dry_run {
        return Ok((StatusCode::OK, Json(CatalogLoadResponse { edition, version_in_force, dry_run })));
    }
    let now = Utc::now().to_rfc3339();
    let id = insert_layer(&mut tx, &layer, user.account_id, &now)
        .await?
        .ok_or_else(|| AppError::domain(StatusCode::CONFLICT, &LayerVersionTaken(layer.version.clone())))?;
    let mut detail = detail;
    detail["level"] = layer.level.code().into();
    detail["version"] = layer.version.clone().into();
    detail["effective_from"] = layer.effective_from.to_string().into();
    detail["version_in_force"] = version_in_force.clone().into();
    audit::append(&mut tx, &user.who(), &Event::success(action, format!("seal_catalog:{id}")).detail(detail)).await?;
    tx.commit().await?;
    edition.id = Some(id);
    edition.loaded_by = Some(user.display_name.clone());
    edition.loaded_at = Some(now);
    Ok((StatusCode::CREATED, Json(CatalogLoadResponse { edition, version_in_force, dry_run })))
}

/// A level already has an edition of this version.
struct LayerVersionTaken(String);

impl DomainError for LayerVersionTaken {
    fn code(&self) -> &'static str {
        "seal_layer_version_taken"
    }

    fn field(&self) -> Option<&'static str> {
        Some("version")
    }

    fn message(&self) -> String {
        format!("版本号(version){} 已经加载过;新的目录文件请使用新的版本号。", self.0)
    }
}

/// `POST /api/seal/catalog/editions`: the body is a province or city layer
/// file (JSON). Checked whole (every problem, 422); stored and audited; in
/// force from its `effective_from`.
pub async fn load(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(opts): Query<LoadOptions>,
    body: Bytes,
) -> Result<(StatusCode, Json<CatalogLoadResponse>), AppError> {
    let user = city_keeper(&state, user, AuditAction::SealCatalogLoad).await?;
    let Ok(text) = std::str::from_utf8(&body) else {
        return Err(refused(&[LayerProblem::NotALayer { detail: "文件应为 UTF-8 编码".into() }]));
    };
    let layer = CatalogLayer::parse(text, &CatalogLayer::national(false)).map_err(|p| refused(&p))?;
    // A department the file names that does not exist is a problem of the file (422).
    let unknown = unknown_departments(&state, &layer.matters).await?;
    if !unknown.is_empty() {
        return Err(AppError { status: StatusCode::UNPROCESSABLE_ENTITY, ..AppError::fields(&unknown) });
    }
    let detail = serde_json::json!({ "sha256": crate::auth::sha256_hex(text), "matters": layer.matters.len() });
    save(&state, &user, layer, AuditAction::SealCatalogLoad, detail, opts.dry_run.unwrap_or(false)).await
}

/// The departments entries name that do not exist.
async fn unknown_departments(state: &AppState, matters: &[CertificateMatter]) -> Result<Vec<FieldError>, AppError> {
    let known = crate::store::seal::department_names(&mut *state.db.acquire().await?).await?;
    Ok(matters
        .iter()
        .filter_map(|m| m.responsible_department.as_ref())
        .filter(|d| !known.contains_key(*d))
        .map(|d| FIELD_CITY_DEPARTMENT.error(FieldErrorKind::UnknownOption { raw: d.clone() }))
        .collect())
}

/// `POST /api/seal/catalog/city-matters`: one entry of the city's own layer,
/// added or (same name) changed. Makes the city's next edition: the one in
/// force today with this entry, in force from today.
pub async fn city_matter(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(opts): Query<LoadOptions>,
    JsonBody(input): JsonBody<CityMatterInput>,
) -> Result<(StatusCode, Json<CatalogLoadResponse>), AppError> {
    let user = city_keeper(&state, user, AuditAction::SealCatalogCityMatter).await?;
    let today = state.today();
    let mut matter = input.parse(today).map_err(|e| AppError::fields(&e))?;
    let unknown = unknown_departments(&state, std::slice::from_ref(&matter)).await?;
    if !unknown.is_empty() {
        return Err(AppError::fields(&unknown));
    }
    let mut conn = state.db.acquire().await?;
    let rows = layer_rows(&mut conn).await?;
    drop(conn);
    let cities: Vec<CatalogLayer> = rows
        .iter()
        .map(LayerRow::layer)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|l| l.level == CatalogLevel::City)
        .collect();
    // The form edits the city's catalogue as it stands today; an edition
    // loaded to take effect later replaces it whole when its day comes.
    let newest = edition_in_force(&cities, CatalogLevel::City, today).map(|i| &cities[i]);
    let national = CatalogLayer::national(false);
    if matter.code.is_empty() {
        // The same name as an entry already there changes that entry.
        let existing = newest.and_then(|l| l.matters.iter().find(|m| m.name == matter.name)).map(|m| m.code.clone());
        matter.code = existing.unwrap_or_else(|| {
            city_code(&matter, |c| {
                national.matters.iter().any(|m| m.code == c)
                    || cities.iter().any(|l| l.matters.iter().any(|m| m.code == c))
            })
        });
    }
    let mut matters = newest.map(|l| l.matters.clone()).unwrap_or_default();
    let changed = matters.iter().position(|m| m.code == matter.code);
    match changed {
        Some(i) => matters[i] = matter.clone(),
        None => matters.push(matter.clone()),
    }
    let layer = CatalogLayer {
        level: CatalogLevel::City,
        region: newest.map(|l| l.region.clone()).unwrap_or_else(|| "本市".into()),
        version: (cities.len() + 1..)
            .map(|n| format!("city-{n}"))
            .find(|v| !cities.iter().any(|l| &l.version == v))
            .expect("an unused version"),
        effective_from: today,
        source: newest.and_then(|l| l.source.clone()),
        matters,
    };
    layer.check(&national).map_err(|p| refused(&p))?;
    let detail = serde_json::json!({ "matter": matter.code, "name": matter.name, "changed": changed.is_some() });
    save(&state, &user, layer, AuditAction::SealCatalogCityMatter, detail, opts.dry_run.unwrap_or(false)).await
}

/// `GET /api/seal/uncatalogued`: names recorded outside the catalogue that
/// the catalogue in force still lacks, most asked first.
pub async fn uncatalogued(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<UncataloguedMatterView>> {
    city_keeper(&state, user, AuditAction::SealCatalogRead).await?;
    let catalog = super::seal::catalog_in_force(&state).await?;
    let mut conn = state.db.acquire().await?;
    let rows = crate::store::seal::uncatalogued(&mut conn).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| !catalog.matters.iter().any(|m| m.name == r.name))
            .map(|r| UncataloguedMatterView {
                name: r.name,
                requests: r.requests,
                communities: r.communities,
                last_at: r.last_at,
            })
            .collect(),
    ))
}
