//! The organisation tree (组织架构) and functional departments (职能部门).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use gongzhi_api::{DepartmentView, NewDepartmentRequest, NewOrgNodeRequest, OrgNodeView};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::org::{parse_code, FIELD_CODE, FIELD_NAME, FIELD_PARENT};
use gongzhi_domain::{FieldErrorKind, OrgLevel, OrgPath, Problems, Role};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store;
use crate::store::org::{NewNode, NodeRow};

fn view(row: NodeRow) -> OrgNodeView {
    OrgNodeView {
        id: row.id,
        parent_id: row.parent_id,
        level_label: OrgLevel::from_code(&row.level).map(OrgLevel::label).unwrap_or_default().to_string(),
        level: row.level,
        code: row.code,
        name: row.name,
        path: row.path,
    }
}

/// `GET /api/org/tree`: the caller's node and everything below it.
pub async fn tree(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<OrgNodeView>> {
    let rows = store::org::tree(&mut *state.db.acquire().await?, user.scope.as_str()).await?;
    Ok(Json(rows.into_iter().map(view).collect()))
}

/// `GET /api/org/nodes/{id}`
pub async fn node(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<OrgNodeView> {
    let row = store::org::node(&mut *state.db.acquire().await?, id).await?;
    match row {
        Some(r) if OrgPath::parse(&r.path).is_some_and(|p| user.sees(&p)) => Ok(Json(view(r))),
        _ => Err(user.out_of_scope(&state, AuditAction::OrgRead, format!("org:{id}")).await),
    }
}

/// `POST /api/org/nodes`: adds a child under a node in the admin's scope.
pub async fn create_node(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<NewOrgNodeRequest>,
) -> Result<(StatusCode, Json<OrgNodeView>), AppError> {
    let user = user.require(&state, &[Role::SystemAdmin], AuditAction::OrgCreate).await?;
    let mut p = Problems::new();
    let parent_id = p.take(FIELD_PARENT.required_id(req.parent_id.as_str()));
    let code = p.take(parse_code(req.code.as_str()));
    let name = p.take(FIELD_NAME.required_text(req.name.as_str(), 50));
    let (parent_id, code, name) =
        p.into_result(|| Some((parent_id?, code?, name?))).map_err(|e| AppError::fields(&e))?;

    let parent = store::org::node(&mut *state.db.acquire().await?, parent_id)
        .await?
        .filter(|r| OrgPath::parse(&r.path).is_some_and(|path| user.sees(&path)));
    let unknown_parent =
        || AppError::unprocessable(&[FIELD_PARENT.error(FieldErrorKind::UnknownOption { raw: parent_id.to_string() })]);
    let parent = parent.ok_or_else(unknown_parent)?;
    let level = OrgLevel::from_code(&parent.level).and_then(OrgLevel::child).ok_or_else(|| {
        AppError::unprocessable(&[
            FIELD_PARENT.error(FieldErrorKind::InvalidFormat { expected: "网格之下不能再设下级" })
        ])
    })?;
    let parent_path = OrgPath::parse(&parent.path).ok_or_else(|| AppError::internal("bad path"))?;

    let new = NewNode { parent_id, level: level.code(), code: &code, name: &name, parent_path: &parent_path };
    let mut tx = state.write_tx().await?;
    let Some(id) = store::org::insert_node(&mut tx, &new).await? else {
        return Err(AppError::unprocessable(&[FIELD_CODE.error(FieldErrorKind::Taken { raw: code })]));
    };
    let detail = serde_json::json!({ "parent_id": parent_id, "code": code, "name": name, "level": level.code() });
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::OrgCreate, format!("org:{id}")).detail(detail))
        .await?;
    tx.commit().await?;
    let row = store::org::node(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or_else(|| AppError::internal("node vanished"))?;
    Ok((StatusCode::CREATED, Json(view(row))))
}

/// `GET /api/departments`: configuration data every signed-in user may read.
pub async fn departments(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Vec<DepartmentView>> {
    let rows = store::org::departments(&mut *state.db.acquire().await?).await?;
    Ok(Json(
        rows.into_iter()
            .map(|d| DepartmentView { id: d.id, code: d.code, name: d.name, org_node_id: d.org_node_id })
            .collect(),
    ))
}

/// `POST /api/departments`: a new functional department at the admin's node.
pub async fn create_department(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(req): JsonBody<NewDepartmentRequest>,
) -> Result<(StatusCode, Json<DepartmentView>), AppError> {
    let user = user.require(&state, &[Role::SystemAdmin], AuditAction::DepartmentCreate).await?;
    let mut p = Problems::new();
    let code = p.take(parse_code(req.code.as_str()));
    let name = p.take(FIELD_NAME.required_text(req.name.as_str(), 50));
    let (code, name) = p.into_result(|| Some((code?, name?))).map_err(|e| AppError::fields(&e))?;
    let mut tx = state.write_tx().await?;
    let Some(id) = store::org::insert_department(&mut tx, &code, &name, user.org_node_id).await? else {
        return Err(AppError::unprocessable(&[FIELD_NAME.error(FieldErrorKind::Taken { raw: name })]));
    };
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::DepartmentCreate, format!("department:{id}")))
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(DepartmentView { id, code, name, org_node_id: user.org_node_id })))
}
