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
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::auth::sha256_hex;
use crate::error::{ApiResult, AppError};
use crate::json::{JsonBody, OptionalJsonBody};
use crate::paging::{paged, PageQuery, Paged};
use crate::state::AppState;
use crate::store::seal::{append_register, register_entry};

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
    let row = sqlx::query(
        "SELECT id, code, name, path FROM org_nodes WHERE level = 'community' AND $1 LIKE path || '%' LIMIT 1",
    )
    .bind(user.scope.as_str())
    .fetch_optional(&state.db)
    .await?;
    let row = row.ok_or(gongzhi_domain::auth::AccessError::Forbidden)?;
    Ok(Community {
        id: row.get("id"),
        code: row.get("code"),
        name: row.get("name"),
        path: OrgPath::parse(row.get("path")).ok_or_else(|| AppError::internal("bad path"))?,
    })
}

async fn department_names(db: &AnyPool) -> Result<HashMap<String, String>, sqlx::Error> {
    Ok(sqlx::query_as::<_, (String, String)>("SELECT code, name FROM departments")
        .fetch_all(db)
        .await?
        .into_iter()
        .collect())
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
    let Catalog { version, matters } = catalog_in_force(&state).await?;
    let editions = super::seal_catalog::editions(&state).await?.into_iter().filter(|e| e.in_force).collect();
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
    let names = department_names(&state.db).await?;
    let decision = decide(&request, |code| names.get(code).cloned().unwrap_or_else(|| code.to_string()));
    Ok(Json(SealEvaluation {
        allowed: decision.allowed,
        reasons: problems(&decision.reasons),
        needs_judgement: decision.needs_judgement,
    }))
}

const SELECT: &str = "SELECT r.*, n.name AS community_name, n.code AS community_code, n.path AS community_path,
        c.display_name AS created_by_name, rv.display_name AS reviewed_by_name, ap.display_name AS approved_by_name
     FROM seal_requests r JOIN org_nodes n ON n.id = r.community_id JOIN accounts c ON c.id = r.created_by
     LEFT JOIN accounts rv ON rv.id = r.reviewed_by LEFT JOIN accounts ap ON ap.id = r.approved_by";

fn view(row: &AnyRow) -> SealRequestView {
    let kind: String = row.get("requester_kind");
    let status: String = row.get("status");
    let id_number: String = row.get("resident_id_number");
    SealRequestView {
        id: row.get("id"),
        community_id: row.get("community_id"),
        community_name: row.get("community_name"),
        requester_kind_label: RequesterKind::from_code(&kind).map(RequesterKind::label).unwrap_or_default().to_string(),
        requester_kind: kind,
        requester_name: row.get("requester_name"),
        requester_department: row.get("requester_department"),
        resident_name: row.get("resident_name"),
        resident_id_number: IdNumber::parse(FIELD_ID_NUMBER, &id_number).map(|i| i.masked()).unwrap_or_default(),
        matter_code: row.get("matter_code"),
        matter_name: row.get("matter_name"),
        purpose: row.get("purpose"),
        content: row.get("content"),
        copies: row.get("copies"),
        basis_law: row.get("basis_law"),
        basis_article: row.get("basis_article"),
        basis_text: row.get("basis_text"),
        status_label: SealStatus::from_code(&status).map(SealStatus::label).unwrap_or_default().to_string(),
        status,
        refusal_reasons: serde_json::from_str(row.get("refusal_reasons")).unwrap_or_default(),
        refusal_note: row.get("refusal_note"),
        created_by: row.get("created_by_name"),
        created_at: row.get("created_at"),
        reviewed_by: row.get("reviewed_by_name"),
        approved_by: row.get("approved_by_name"),
        decided_at: row.get("decided_at"),
        register_no: row.get("register_no"),
        catalog_version: row.get("catalog_version"),
        uncatalogued: row.get::<String, _>("matter_code").is_empty(),
        requester_own_duty: row.get::<i64, _>("requester_own_duty") != 0,
        review_note: row.get("review_note"),
        approve_note: row.get("approve_note"),
    }
}

/// A request by id within the caller's community, or 404 (audited).
async fn scoped_row(state: &AppState, user: &CurrentUser, id: i64, action: AuditAction) -> Result<AnyRow, AppError> {
    let community = community_of(state, user).await?;
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1")).bind(id).fetch_optional(&state.db).await?;
    match row {
        Some(r) if OrgPath::parse(r.get("community_path")).is_some_and(|p| community.path.contains(&p)) => Ok(r),
        _ => Err(user.out_of_scope(state, action, format!("seal_request:{id}")).await),
    }
}

async fn load(db: &AnyPool, id: i64) -> Result<SealRequestView, AppError> {
    Ok(view(&sqlx::query(&format!("{SELECT} WHERE r.id = $1")).bind(id).fetch_one(db).await?))
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
    let names = department_names(&state.db).await?;
    let decision = decide(&request, |code| names.get(code).cloned().unwrap_or_else(|| code.to_string()));
    let fingerprint = sha256_hex(&serde_json::to_string(&body.request).map_err(AppError::internal)?);
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let status = if decision.allowed { SealStatus::Submitted } else { SealStatus::Refused };

    let mut tx = state.write_tx().await?;
    // The unique key decides, not a check-then-insert.
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO seal_requests (community_id, idempotency_key, request_sha256, requester_kind, requester_name,
            requester_department, resident_name, resident_id_number, matter_code, matter_name, purpose, content, copies,
            basis_law, basis_article, basis_text, status, refusal_reasons, created_by, created_at, decided_by, decided_at,
            catalog_version, requester_own_duty)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
            $24)
         ON CONFLICT(idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(community.id)
    .bind(&key)
    .bind(&fingerprint)
    .bind(request.requester_kind.code())
    .bind(&request.requester_name)
    .bind(&request.requester_department)
    .bind(&request.resident_name)
    .bind(request.resident_id_number.expose())
    .bind(&request.matter.code)
    .bind(&request.matter.name)
    .bind(&request.purpose)
    .bind(&request.content)
    .bind(i64::from(request.copies))
    .bind(&request.basis.law)
    .bind(&request.basis.article)
    .bind(&request.basis.text)
    .bind(status.code())
    .bind(serde_json::to_string(&problems(&decision.reasons)).map_err(AppError::internal)?)
    .bind(user.account_id)
    .bind(&now)
    .bind((!decision.allowed).then_some(user.account_id))
    .bind((!decision.allowed).then_some(&now))
    .bind(&catalog.version)
    .bind(i64::from(request.matter.is_uncatalogued() && request.requester_own_duty))
    .fetch_optional(&mut *tx)
    .await?;

    let Some(id) = inserted else {
        drop(tx);
        let (id, existing_fp, existing_community): (i64, String, i64) =
            sqlx::query_as("SELECT id, request_sha256, community_id FROM seal_requests WHERE idempotency_key = $1")
                .bind(&key)
                .fetch_one(&state.db)
                .await?;
        if existing_fp != fingerprint || existing_community != community.id {
            return Err(crate::idempotency::reused());
        }
        return Ok((StatusCode::OK, Json(load(&state.db, id).await?)));
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
    Ok((StatusCode::CREATED, Json(load(&state.db, id).await?)))
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
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM seal_requests r WHERE r.community_id = $1 AND ($2 IS NULL OR r.status = $3)",
    )
    .bind(community.id)
    .bind(&status)
    .bind(&status)
    .fetch_one(&state.db)
    .await?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.community_id = $1 AND ($2 IS NULL OR r.status = $3) ORDER BY r.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind(community.id)
    .bind(&status)
    .bind(&status)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(&state.db)
    .await?;
    paged(rows.iter().map(view).collect(), total, page)
}

/// `GET /api/seal/requests/{id}`
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> ApiResult<SealRequestView> {
    let user = user.require(&state, SEAL_STAFF, AuditAction::SealRead).await?;
    Ok(Json(view(&scoped_row(&state, &user, id, AuditAction::SealRead).await?)))
}

/// Checks that `action` fits request `id`'s status; returns the row as it
/// was and the status after. (The caller's UPDATE re-checks the status, so a
/// concurrent change is refused.)
async fn transition(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: SealAction,
    audit_action: AuditAction,
) -> Result<(AnyRow, SealStatus), AppError> {
    let row = scoped_row(state, user, id, audit_action).await?;
    let from = SealStatus::from_code(row.get("status")).ok_or_else(|| AppError::internal("unknown status"))?;
    let to = from.apply(action).map_err(|e| AppError::domain(StatusCode::CONFLICT, &e))?;
    Ok((row, to))
}

/// The reason given with a review or approval: required for a matter
/// outside the catalogue, which people judge (422 `field_required` on `note`).
fn judgement(row: &AnyRow, body: &NoteRequest) -> Result<Option<String>, AppError> {
    let uncatalogued = row.get::<String, _>("matter_code").is_empty();
    gongzhi_domain::seal::judgement_note(uncatalogued, &body.note).map_err(|e| AppError::fields(&[e]))
}

/// `POST /api/seal/requests/{id}/review` (community worker)
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    OptionalJsonBody(body): OptionalJsonBody<NoteRequest>,
) -> ApiResult<SealRequestView> {
    let user = user.require(&state, WORKER, AuditAction::SealReview).await?;
    let (row, to) = transition(&state, &user, id, SealAction::Review, AuditAction::SealReview).await?;
    let note = judgement(&row, &body)?;
    let mut tx = state.write_tx().await?;
    let now = Utc::now().to_rfc3339();
    let changed = sqlx::query(
        "UPDATE seal_requests SET status = $1, reviewed_by = $2, reviewed_at = $3, review_note = $4
         WHERE id = $5 AND status = 'submitted'",
    )
    .bind(to.code())
    .bind(user.account_id)
    .bind(&now)
    .bind(&note)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    finish(
        &state,
        tx,
        &user,
        id,
        changed.rows_affected(),
        Event::success(AuditAction::SealReview, format!("seal_request:{id}"))
            .detail(serde_json::json!({ "note": note })),
    )
    .await
}

/// `POST /api/seal/requests/{id}/approve` (community leader)
pub async fn approve(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    OptionalJsonBody(body): OptionalJsonBody<NoteRequest>,
) -> ApiResult<SealRequestView> {
    let user = user.require(&state, LEADER, AuditAction::SealApprove).await?;
    let (row, to) = transition(&state, &user, id, SealAction::Approve, AuditAction::SealApprove).await?;
    let note = judgement(&row, &body)?;
    let mut tx = state.write_tx().await?;
    let changed = sqlx::query(
        "UPDATE seal_requests SET status = $1, approved_by = $2, approved_at = $3, approve_note = $4
         WHERE id = $5 AND status = 'reviewed'",
    )
    .bind(to.code())
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .bind(&note)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    finish(
        &state,
        tx,
        &user,
        id,
        changed.rows_affected(),
        Event::success(AuditAction::SealApprove, format!("seal_request:{id}"))
            .detail(serde_json::json!({ "note": note })),
    )
    .await
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
    let (row, to) = transition(&state, &user, id, SealAction::Refuse, AuditAction::SealRefuse).await?;
    let from: String = row.get("status");
    let mut tx = state.write_tx().await?;
    let changed = sqlx::query(
        "UPDATE seal_requests SET status = $1, refusal_note = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND status = $6",
    )
    .bind(to.code())
    .bind(&note)
    .bind(user.account_id)
    .bind(Utc::now().to_rfc3339())
    .bind(id)
    .bind(&from)
    .execute(&mut *tx)
    .await?;
    let event = Event::success(AuditAction::SealRefuse, format!("seal_request:{id}"))
        .detail(serde_json::json!({ "note": note }));
    finish(&state, tx, &user, id, changed.rows_affected(), event).await
}

/// Commits a transition if the row was still in the expected state (a
/// concurrent change answers 409 and changes nothing).
async fn finish(
    state: &AppState,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    user: &CurrentUser,
    id: i64,
    changed: u64,
    event: Event,
) -> ApiResult<SealRequestView> {
    if changed == 0 {
        return Err(ConflictError::SealChanged.into());
    }
    audit::append(&mut tx, &user.who(), &event).await?;
    tx.commit().await?;
    Ok(Json(load(&state.db, id).await?))
}

/// `POST /api/seal/requests/{id}/stamp` (community worker): the seal is used;
/// the register entry, the status and the audit entry commit together.
pub async fn stamp(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<SealRequestView> {
    let user = user.require(&state, WORKER, AuditAction::SealStamp).await?;
    let (row, _) = transition(&state, &user, id, SealAction::Stamp, AuditAction::SealStamp).await?;
    let community_id: i64 = row.get("community_id");
    let community_code: String = row.get("community_code");
    let content: String = row.get("content");
    gongzhi_domain::seal::check_stampable(&content)
        .map_err(|e| AppError::domain(StatusCode::UNPROCESSABLE_ENTITY, &e))?;
    let entry = RegisterEntry {
        community_id,
        seq: 0,
        register_no: String::new(),
        request_id: Some(id),
        kind: "use".into(),
        corrects_seq: None,
        at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        matter: row.get("matter_name"),
        copies: row.get("copies"),
        approver: row.get::<Option<String>, _>("approved_by_name").unwrap_or_default(),
        handler: user.display_name.clone(),
        applicant: format!(
            "{} / 居民 {}",
            row.get::<String, _>("requester_name"),
            row.get::<String, _>("resident_name")
        ),
        content_sha256: sha256_hex(&content),
        note: String::new(),
        prev_hash: String::new(),
        hash: String::new(),
    };
    let mut tx = state.write_tx().await?;
    let changed = sqlx::query("UPDATE seal_requests SET status = 'stamped', decided_by = $1, decided_at = $2 WHERE id = $3 AND status = 'approved'")
        .bind(user.account_id)
        .bind(&entry.at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if changed.rows_affected() == 0 {
        return Err(ConflictError::SealChanged.into());
    }
    let entry = append_register(&mut tx, &community_code, entry).await?;
    sqlx::query("UPDATE seal_requests SET register_no = $1 WHERE id = $2")
        .bind(&entry.register_no)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let event = Event::success(AuditAction::SealStamp, format!("seal_request:{id}"))
        .detail(serde_json::json!({ "register_no": entry.register_no, "seq": entry.seq }));
    finish(&state, tx, &user, id, 1, event).await
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
    let rows = sqlx::query(
        "SELECT * FROM seal_register WHERE community_id = $1
           AND ($2 IS NULL OR at >= $3) AND ($4 IS NULL OR at < $5) AND ($6 IS NULL OR matter LIKE $7)
         ORDER BY seq",
    )
    .bind(community_id)
    .bind(&since)
    .bind(&since)
    .bind(&until)
    .bind(&until)
    .bind(&matter)
    .bind(&matter)
    .fetch_all(&state.db)
    .await?;
    Ok(rows.iter().map(register_entry).collect())
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
    let original = sqlx::query("SELECT * FROM seal_register WHERE community_id = $1 AND seq = $2")
        .bind(community.id)
        .bind(seq)
        .fetch_optional(&state.db)
        .await?;
    let Some(original) = original.map(|r| register_entry(&r)) else {
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
