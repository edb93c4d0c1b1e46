//! Community seal (社区印章): certificate requests, their review and approval,
//! and the register of every use of the seal (用印登记簿).
//!
//! The seal belongs to the residents' committee, so requests and the register
//! are kept per community: a grid member works with their community's seal,
//! the community leader approves its use.

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::ConflictError;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{SecondsFormat, Utc};
use gongzhi_api::{
    ChainReport, FieldProblem, NewSealRequest, NoteRequest, RegisterPage, SealCatalog, SealEvaluation, SealRequestView,
};
use gongzhi_domain::pii::{IdNumber, FIELD_ID_NUMBER};
use gongzhi_domain::seal::{
    decide, Catalog, CertificateRequestInput, RegisterEntry, RequesterKind, SealAction, SealStatus,
};
use gongzhi_domain::time::shanghai_datetime;
use gongzhi_domain::{DomainError, Field, OrgPath, Role};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::auth::sha256_hex;
use crate::error::{ApiResult, AppError};
use crate::json::{JsonBody, OptionalJsonBody};
use crate::paging::{paged, PageQuery, Paged};
use crate::state::AppState;
use crate::store::seal::{self as store, append_register, RequestRow};

const WORKER: &[Role] = &[Role::GridMember];
const LEADER: &[Role] = &[Role::CommunityLeader];
const SEAL_STAFF: &[Role] = &[Role::GridMember, Role::CommunityLeader];

/// The community whose seal the caller works with.
struct Community {
    id: i64,
    code: String,
    name: String,
    path: OrgPath,
}

/// The community at or above the caller's node.
async fn community_of(state: &AppState, user: &CurrentUser) -> Result<Community, AppError> {
    let mut conn = state.db.acquire().await?;
    let row = store::community_at(&mut conn, user.scope.as_str()).await?;
    let row = row.ok_or(gongzhi_domain::auth::AccessError::Forbidden)?;
    Ok(Community {
        id: row.id,
        code: row.code,
        name: row.name,
        path: OrgPath::parse(&row.path).ok_or_else(|| AppError::internal("bad path"))?,
    })
}

async fn department_names(state: &AppState) -> Result<HashMap<String, String>, sqlx::Error> {
    store::department_names(&mut *state.db.acquire().await?).await
}

fn problems(reasons: &[gongzhi_domain::seal::RefusalReason]) -> Vec<FieldProblem> {
    reasons.iter().map(|r| FieldProblem::from_domain(r)).collect()
}

/// The catalogue in force today (national, province and city editions
/// composed): read for every decision, so a new edition applies at once.
pub(crate) async fn catalog_in_force(state: &AppState) -> Result<Catalog, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(crate::store::seal::catalog_on(&mut conn, state.today()).await?)
}

/// `GET /api/seal/catalog`: the catalogue in force and its editions.
pub async fn catalog(State(state): State<AppState>) -> ApiResult<SealCatalog> {
    let (Catalog { version, matters }, editions) = super::seal_catalog::catalogue_and_editions(&state).await?;
    let editions = editions.into_iter().filter(|e| e.in_force).collect();
    Ok(Json(SealCatalog {
        version,
        matters,
        requester_kinds: RequesterKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())).collect(),
        editions,
    }))
}

/// `POST /api/seal/evaluate`: decides a request without recording anything.
pub async fn evaluate(
    State(state): State<AppState>,
    JsonBody(input): JsonBody<CertificateRequestInput>,
) -> ApiResult<SealEvaluation> {
    let request = input.parse(&catalog_in_force(&state).await?).map_err(|e| AppError::fields(&e))?;
    let names = department_names(&state).await?;
    let decision = decide(&request, |code| names.get(code).cloned().unwrap_or_else(|| code.to_string()));
    Ok(Json(SealEvaluation {
        allowed: decision.allowed,
        reasons: problems(&decision.reasons),
        needs_judgement: decision.needs_judgement,
    }))
}

fn view(row: RequestRow) -> SealRequestView {
    let status = row.status;
    SealRequestView {
        id: row.id,
        community_id: row.community_id,
        community_name: row.community_name,
        requester_kind_label: RequesterKind::from_code(&row.requester_kind)
            .map(RequesterKind::label)
            .unwrap_or_default()
            .to_string(),
        requester_kind: row.requester_kind,
        requester_name: row.requester_name,
        requester_department: row.requester_department,
        resident_name: row.resident_name,
        resident_id_number: IdNumber::parse(FIELD_ID_NUMBER, &row.resident_id_number)
            .map(|i| i.masked())
            .unwrap_or_default(),
        uncatalogued: row.matter_code.is_empty(),
        matter_code: row.matter_code,
        matter_name: row.matter_name,
        purpose: row.purpose,
        content: row.content,
        copies: row.copies,
        basis_law: row.basis_law,
        basis_article: row.basis_article,
        basis_text: row.basis_text,
        status_label: SealStatus::from_code(&status).map(SealStatus::label).unwrap_or_default().to_string(),
        status,
        refusal_reasons: serde_json::from_str(&row.refusal_reasons).unwrap_or_default(),
        refusal_note: row.refusal_note,
        created_by: row.created_by_name,
        created_at: row.created_at,
        reviewed_by: row.reviewed_by_name,
        approved_by: row.approved_by_name,
        decided_at: row.decided_at,
        register_no: row.register_no,
        catalog_version: row.catalog_version,
        requester_own_duty: row.requester_own_duty != 0,
        review_note: row.review_note,
        approve_note: row.approve_note,
    }
}

/// A request by id within the caller's community, or 404 (audited).
async fn scoped_row(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: AuditAction,
) -> Result<RequestRow, AppError> {
    let community = community_of(state, user).await?;
    let row = store::request(&mut *state.db.acquire().await?, id).await?;
    match row {
        Some(r) if OrgPath::parse(&r.community_path).is_some_and(|p| community.path.contains(&p)) => Ok(r),
        _ => Err(user.out_of_scope(state, action, format!("seal_request:{id}")).await),
    }
}

async fn load(state: &AppState, id: i64) -> Result<SealRequestView, AppError> {
    let row = store::request(&mut *state.db.acquire().await?, id).await?;
    Ok(view(row.ok_or_else(|| AppError::internal("seal request vanished"))?))
}

/// `POST /api/seal/requests`: records a request with its decision. A refused
/// request is recorded too, so that a refusal letter can cite its reasons.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewSealRequest>,
) -> Result<(StatusCode, Json<SealRequestView>), AppError> {
    let user = user.require(&state, WORKER, AuditAction::SealRequest).await?;
    let key = crate::idempotency::parse_key(&body.idempotency_key)?;
    let catalog = catalog_in_force(&state).await?;
    let request = body.request.parse(&catalog).map_err(|e| AppError::fields(&e))?;
    let community = community_of(&state, &user).await?;
    let names = department_names(&state).await?;
    let decision = decide(&request, |code| names.get(code).cloned().unwrap_or_else(|| code.to_string()));
    let fingerprint = sha256_hex(&serde_json::to_string(&body.request).map_err(AppError::internal)?);
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let status = if decision.allowed { SealStatus::Submitted } else { SealStatus::Refused };

    let reasons = serde_json::to_string(&problems(&decision.reasons)).map_err(AppError::internal)?;
    let mut tx = state.write_tx().await?;
    let new = store::NewRequest {
        community_id: community.id,
        idempotency_key: &key,
        request_sha256: &fingerprint,
        request: &request,
        status,
        refusal_reasons: &reasons,
        created_by: user.account_id,
        created_at: &now,
        decided: (!decision.allowed).then_some((user.account_id, now.as_str())),
        catalog_version: &catalog.version,
    };
    let Some(id) = store::insert_request(&mut tx, &new).await? else {
        drop(tx);
        let (id, existing_fp, existing_community) =
            store::request_by_key(&mut *state.db.acquire().await?, &key).await?;
        if existing_fp != fingerprint || existing_community != community.id {
            return Err(crate::idempotency::reused());
        }
        return Ok((StatusCode::OK, Json(load(&state, id).await?)));
    };
    let detail = serde_json::json!({ "matter": request.matter.code, "allowed": decision.allowed,
        "catalog_version": catalog.version, "reasons": decision.reasons.iter().map(|r| r.code()).collect::<Vec<_>>() });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::SealRequest, format!("seal_request:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load(&state, id).await?)))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListFilter {
    status: Option<String>,
}

/// `GET /api/seal/requests`: the caller's community, newest first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<ListFilter>,
    Query(pq): Query<PageQuery>,
) -> Paged<SealRequestView> {
    let user = user.require(&state, SEAL_STAFF, AuditAction::SealList).await?;
    let page = pq.page(200);
    let community = community_of(&state, &user).await?;
    let status = f.status.filter(|s| SealStatus::from_code(s).is_some());
    let (rows, total) = store::community_requests(
        &mut *state.db.acquire().await?,
        community.id,
        status.as_deref(),
        page.limit(),
        page.offset(),
    )
    .await?;
    paged(rows.into_iter().map(view).collect(), total, page)
}

/// `GET /api/seal/requests/{id}`
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<SealRequestView> {
    let user = user.require(&state, SEAL_STAFF, AuditAction::SealRead).await?;
    Ok(Json(view(scoped_row(&state, &user, id, AuditAction::SealRead).await?)))
}

/// Checks that `action` fits request `id`'s status: the row as it was, its
/// status then and the status after. (`store::move_status` re-checks the
/// status in the write, so a concurrent change is refused.)
async fn transition(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: SealAction,
    audit_action: AuditAction,
) -> Result<(RequestRow, SealStatus, SealStatus), AppError> {
    let row = scoped_row(state, user, id, audit_action).await?;
    let from = SealStatus::from_code(&row.status).ok_or_else(|| AppError::internal("unknown status"))?;
    let to = from.apply(action).map_err(|e| AppError::domain(StatusCode::CONFLICT, &e))?;
    Ok((row, from, to))
}

/// Moves the request and writes the audit entry in one transaction, or
/// answers 409 (`seal_changed`) and changes nothing if it moved meanwhile.
async fn commit_move(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    statuses: (SealStatus, SealStatus),
    step: store::Move<'_>,
    detail: serde_json::Value,
) -> ApiResult<SealRequestView> {
    let mut tx = state.write_tx().await?;
    if !store::move_status(&mut tx, &user.who(), id, statuses, step, detail).await?.is_moved() {
        return Err(ConflictError::SealChanged.into());
    }
    tx.commit().await?;
    Ok(Json(load(state, id).await?))
}

/// The reason given with a review or approval: required for a matter
/// outside the catalogue, which people judge (400 `field_required` on `note`).
fn judgement(row: &RequestRow, body: &NoteRequest) -> Result<Option<String>, AppError> {
    gongzhi_domain::seal::judgement_note(row.matter_code.is_empty(), &body.note).map_err(|e| AppError::fields(&[e]))
}

/// `POST /api/seal/requests/{id}/review` (community worker)
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    OptionalJsonBody(body): OptionalJsonBody<NoteRequest>,
) -> ApiResult<SealRequestView> {
    let user = user.require(&state, WORKER, AuditAction::SealReview).await?;
    let (row, from, to) = transition(&state, &user, id, SealAction::Review, AuditAction::SealReview).await?;
    let note = judgement(&row, &body)?;
    let at = Utc::now().to_rfc3339();
    let detail = serde_json::json!({ "note": note });
    let step = store::Move::Review { by: user.account_id, at: &at, note: note.as_deref() };
    commit_move(&state, &user, id, (from, to), step, detail).await
}

/// `POST /api/seal/requests/{id}/approve` (community leader)
pub async fn approve(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    OptionalJsonBody(body): OptionalJsonBody<NoteRequest>,
) -> ApiResult<SealRequestView> {
    let user = user.require(&state, LEADER, AuditAction::SealApprove).await?;
    let (row, from, to) = transition(&state, &user, id, SealAction::Approve, AuditAction::SealApprove).await?;
    let note = judgement(&row, &body)?;
    let at = Utc::now().to_rfc3339();
    let detail = serde_json::json!({ "note": note });
    let step = store::Move::Approve { by: user.account_id, at: &at, note: note.as_deref() };
    commit_move(&state, &user, id, (from, to), step, detail).await
}

/// `POST /api/seal/requests/{id}/refuse` (worker or leader), with a reason.
pub async fn refuse(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NoteRequest>,
) -> ApiResult<SealRequestView> {
    let user = user.require(&state, SEAL_STAFF, AuditAction::SealRefuse).await?;
    let note =
        Field::new("note", "不予出具的理由").required_text(&body.note, 500).map_err(|e| AppError::fields(&[e]))?;
    let (_, from, to) = transition(&state, &user, id, SealAction::Refuse, AuditAction::SealRefuse).await?;
    let at = Utc::now().to_rfc3339();
    let detail = serde_json::json!({ "note": note });
    let step = store::Move::Refuse { by: user.account_id, at: &at, note: &note };
    commit_move(&state, &user, id, (from, to), step, detail).await
}

/// `POST /api/seal/requests/{id}/stamp` (community worker): the seal is used;
/// the status, the register entry and the audit entry commit together.
pub async fn stamp(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<SealRequestView> {
    let user = user.require(&state, WORKER, AuditAction::SealStamp).await?;
    let (row, from, to) = transition(&state, &user, id, SealAction::Stamp, AuditAction::SealStamp).await?;
    gongzhi_domain::seal::check_stampable(&row.content)
        .map_err(|e| AppError::domain(StatusCode::UNPROCESSABLE_ENTITY, &e))?;
    let entry = RegisterEntry {
        community_id: row.community_id,
        seq: 0,
        register_no: String::new(),
        request_id: Some(id),
        kind: "use".into(),
        corrects_seq: None,
        at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        matter: row.matter_name.clone(),
        copies: row.copies,
        approver: row.approved_by_name.clone().unwrap_or_default(),
        handler: user.display_name.clone(),
        applicant: format!("{} / 居民 {}", row.requester_name, row.resident_name),
        content_sha256: sha256_hex(&row.content),
        note: String::new(),
        prev_hash: String::new(),
        hash: String::new(),
    };
    let mut tx = state.write_tx().await?;
    // The register entry first, as the move records its number; if the
    // request moved meanwhile, nothing is committed, the entry included.
    let entry = append_register(&mut tx, &row.community_code, entry).await?;
    let detail = serde_json::json!({ "register_no": entry.register_no, "seq": entry.seq });
    let step = store::Move::Stamp { by: user.account_id, at: &entry.at, register_no: &entry.register_no };
    if !store::move_status(&mut tx, &user.who(), id, (from, to), step, detail).await?.is_moved() {
        return Err(ConflictError::SealChanged.into());
    }
    tx.commit().await?;
    Ok(Json(load(&state, id).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct RegisterFilter {
    /// Part of the matter's name.
    matter: Option<String>,
    /// Asia/Shanghai dates, inclusive.
    from: Option<String>,
    to: Option<String>,
}

async fn register_entries(
    state: &AppState,
    community_id: i64,
    f: &RegisterFilter,
) -> Result<Vec<RegisterEntry>, AppError> {
    let (since, until) = gongzhi_domain::time::UtcRange::parse(f.from.as_deref(), f.to.as_deref())
        .map_err(|e| AppError::fields(&e))?
        .as_rfc3339();
    let matter = f
        .matter
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| format!("%{}%", m.replace(['%', '_', '\\'], "")));
    let mut conn = state.db.acquire().await?;
    Ok(store::register_entries(&mut conn, community_id, since.as_deref(), until.as_deref(), matter.as_deref()).await?)
}

/// `GET /api/seal/register`
pub async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<RegisterFilter>,
) -> ApiResult<RegisterPage> {
    let user = user.require(&state, SEAL_STAFF, AuditAction::SealRegister).await?;
    let community = community_of(&state, &user).await?;
    Ok(Json(RegisterPage { entries: register_entries(&state, community.id, &f).await? }))
}

/// `GET /api/seal/register/verify`
pub async fn verify_register(State(state): State<AppState>, user: CurrentUser) -> ApiResult<ChainReport> {
    let user = user.require(&state, SEAL_STAFF, AuditAction::SealRegisterVerify).await?;
    let community = community_of(&state, &user).await?;
    Ok(Json(crate::chains::verify_register(&state.db, &state.keys, community.id, None).await?.report))
}

/// `GET /api/seal/register/export`: the filtered register as .xlsx. Cells are
/// written as text, never as formulas.
pub async fn export_register(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<RegisterFilter>,
) -> Result<impl IntoResponse, AppError> {
    let user = user.require(&state, SEAL_STAFF, AuditAction::SealRegisterExport).await?;
    let community = community_of(&state, &user).await?;
    let entries = register_entries(&state, community.id, &f).await?;
    let header = [
        "登记编号",
        "用印时间(北京时间)",
        "证明事项",
        "份数",
        "申请人",
        "批准人",
        "经办人",
        "类型",
        "更正的登记",
        "备注",
        "内容摘要(SHA-256)",
    ];
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let at = chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|t| shanghai_datetime(t.to_utc()))
                .unwrap_or(e.at.clone());
            vec![
                e.register_no.clone(),
                at,
                e.matter.clone(),
                e.copies.to_string(),
                e.applicant.clone(),
                e.approver.clone(),
                e.handler.clone(),
                if e.kind == "correction" { "更正".into() } else { "用印".into() },
                e.corrects_seq.map(|s| format!("第 {s} 条")).unwrap_or_default(),
                e.note.clone(),
                e.content_sha256.clone(),
            ]
        })
        .collect();
    let bytes =
        crate::export::xlsx(&format!("{}用印登记簿", community.name), &header, &rows).map_err(AppError::internal)?;
    let detail = serde_json::json!({ "rows": rows.len() });
    audit::record(
        &state,
        &user.who(),
        &Event::success(AuditAction::SealRegisterExport, format!("org:{}", community.id)).detail(detail),
    )
    .await?;
    Ok(crate::export::xlsx_download("seal-register.xlsx", bytes))
}

/// `POST /api/seal/register/{seq}/corrections` (community leader): a new
/// entry that corrects entry `seq`; the original stays as it was.
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(seq): Path<i64>,
    JsonBody(body): JsonBody<NoteRequest>,
) -> Result<(StatusCode, Json<RegisterEntry>), AppError> {
    let user = user.require(&state, LEADER, AuditAction::SealCorrect).await?;
    let note = Field::new("note", "更正说明").required_text(&body.note, 500).map_err(|e| AppError::fields(&[e]))?;
    let community = community_of(&state, &user).await?;
    let original = store::register_entry_at(&mut *state.db.acquire().await?, community.id, seq).await?;
    let Some(original) = original else {
        return Err(user
            .out_of_scope(&state, AuditAction::SealCorrect, format!("seal_register:{}:{seq}", community.id))
            .await);
    };
    let entry = RegisterEntry {
        kind: "correction".into(),
        corrects_seq: Some(original.seq),
        at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        approver: user.display_name.clone(),
        handler: user.display_name.clone(),
        note,
        ..original
    };
    let mut tx = state.write_tx().await?;
    let entry = append_register(&mut tx, &community.code, entry).await?;
    let event = Event::success(AuditAction::SealCorrect, format!("seal_register:{}:{seq}", community.id))
        .detail(serde_json::json!({ "register_no": entry.register_no }));
    audit::append(&mut tx, &user.who(), &event).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(entry)))
}
