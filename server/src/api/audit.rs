//! The audit trail (审计日志) for the audit administrator: list and filter,
//! verify the hash chain, export. Nothing here or anywhere edits or deletes
//! an entry.

use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::Json;
use gongzhi_api::{AuditPage, ChainReport};
use gongzhi_domain::audit::{action_label, outcome_label, AuditAction, AuditArea, AuditEntry};
use gongzhi_domain::time::{shanghai_datetime, UtcRange};
use gongzhi_domain::{Field, Role};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::export;
use crate::state::AppState;
use crate::store::audit::entry;

const AUDITOR: &[Role] = &[Role::AuditAdmin];

/// Filters, as typed (all optional).
#[derive(Debug, Default, Deserialize)]
pub struct AuditFilter {
    /// Login name, exact.
    actor: Option<String>,
    /// An action's code (`seal.stamp`) or an area's (`auth` or `auth.`:
    /// all logins and logouts), as [`AuditAction`] and [`AuditArea`] list them.
    action: Option<String>,
    /// `success`, `failure` or `denied`.
    outcome: Option<String>,
    /// Object, exact (e.g. `account:12`).
    object: Option<String>,
    /// From this Asia/Shanghai date (inclusive).
    from: Option<String>,
    /// To this Asia/Shanghai date (inclusive).
    to: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Which actions a search asks for.
enum ActionFilter {
    Any,
    One(AuditAction),
    Area(AuditArea),
}

impl ActionFilter {
    fn parse(raw: Option<&str>) -> Result<Self, Vec<gongzhi_domain::FieldError>> {
        let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(Self::Any) };
        if let Some(action) = AuditAction::from_code(raw) {
            return Ok(Self::One(action));
        }
        match AuditArea::from_code(raw.strip_suffix('.').unwrap_or(raw)) {
            Some(area) => Ok(Self::Area(area)),
            None => Err(vec![Field::new("action", "操作")
                .error(gongzhi_domain::FieldErrorKind::UnknownOption { raw: raw.to_string() })]),
        }
    }
}

/// The filter's `WHERE` clause and the values of its placeholders
/// (`$1`, `$2`, … in order).
fn filter_clause(f: &AuditFilter) -> Result<(String, Vec<String>), AppError> {
    let range = UtcRange::parse(f.from.as_deref(), f.to.as_deref());
    let outcome =
        match f.outcome.as_deref().filter(|o| !o.is_empty()) {
            Some(o) if !["success", "failure", "denied"].contains(&o) => Err(vec![Field::new("outcome", "结果")
                .error(gongzhi_domain::FieldErrorKind::UnknownOption { raw: o.to_string() })]),
            _ => Ok(()),
        };
    let action = ActionFilter::parse(f.action.as_deref());
    let (since, until, action) = match (range, outcome, action) {
        (Ok(r), Ok(()), Ok(a)) => {
            let (since, until) = r.as_rfc3339();
            (since, until, a)
        }
        (r, o, a) => {
            return Err(AppError::fields(
                &[r.err().unwrap_or_default(), o.err().unwrap_or_default(), a.err().unwrap_or_default()].concat(),
            ))
        }
    };

    let mut sql = String::from(" WHERE 1 = 1");
    let mut values = Vec::new();
    let mut push = |condition: &str, value: String| {
        values.push(value);
        sql.push_str(&format!(" AND {condition} ${}", values.len()));
    };
    if let Some(actor) = f.actor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        push("actor =", actor.to_ascii_lowercase());
    }
    match action {
        ActionFilter::Any => {}
        ActionFilter::One(action) => push("action =", action.code().to_string()),
        // Area codes are plain lower-case words: no LIKE wildcards inside.
        ActionFilter::Area(area) => push("action LIKE", format!("{}.%", area.code())),
    }
    if let Some(outcome) = f.outcome.as_deref().filter(|s| !s.is_empty()) {
        push("outcome =", outcome.to_string());
    }
    if let Some(object) = f.object.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        push("object =", object.to_string());
    }
    if let Some(since) = since {
        push("at >=", since);
    }
    if let Some(until) = until {
        push("at <", until);
    }
    Ok((sql, values))
}

/// `GET /api/audit`: newest first, 50 a page by default (at most 200).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<AuditFilter>,
) -> ApiResult<AuditPage> {
    user.require(&state, AUDITOR, AuditAction::AuditList).await?;
    let per_page = f.per_page.unwrap_or(50).clamp(1, 200);
    let page = f.page.unwrap_or(1).max(1);
    let (clause, values) = filter_clause(&f)?;
    let count_sql = format!("SELECT COUNT(*) FROM audit_log{clause}");
    let total: i64 = values.iter().fold(sqlx::query_scalar(&count_sql), |q, v| q.bind(v)).fetch_one(&state.db).await?;
    let n = values.len();
    let sql = format!("SELECT * FROM audit_log{clause} ORDER BY seq DESC LIMIT ${} OFFSET ${}", n + 1, n + 2);
    let rows = values
        .iter()
        .fold(sqlx::query(&sql), |q, v| q.bind(v))
        .bind(i64::from(per_page))
        .bind(i64::from((page - 1) * per_page))
        .fetch_all(&state.db)
        .await?;
    Ok(Json(AuditPage { total, entries: rows.iter().map(entry).collect() }))
}

/// `GET /api/audit/verify`
pub async fn verify(State(state): State<AppState>, user: CurrentUser) -> ApiResult<ChainReport> {
    let user = user.require(&state, AUDITOR, AuditAction::AuditVerify).await?;
    let report = crate::chains::verify_audit(&state.db, &state.keys, None).await?.report;
    let detail = serde_json::json!({ "intact": report.intact, "first_broken_seq": report.first_broken_seq });
    audit::record(&state, &user.who(), &Event::success(AuditAction::AuditVerify, "audit_log").detail(detail)).await?;
    Ok(Json(report))
}

/// `GET /api/audit/export`: the filtered entries as CSV (Excel-ready).
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<AuditFilter>,
) -> Result<impl IntoResponse, AppError> {
    let user = user.require(&state, AUDITOR, AuditAction::AuditExport).await?;
    let (clause, values) = filter_clause(&f)?;
    let sql = format!("SELECT * FROM audit_log{clause} ORDER BY seq");
    let rows = values.iter().fold(sqlx::query(&sql), |q, v| q.bind(v)).fetch_all(&state.db).await?;
    let entries: Vec<AuditEntry> = rows.iter().map(entry).collect();
    let detail = serde_json::json!({ "rows": entries.len() });
    audit::record(&state, &user.who(), &Event::success(AuditAction::AuditExport, "audit_log").detail(detail)).await?;
    let header =
        ["序号", "时间(北京时间)", "账号", "角色", "操作", "操作代码", "对象", "结果", "客户端地址", "详情", "哈希"];
    let body = export::csv(
        &header,
        entries.into_iter().map(|e| {
            let at = chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|t| shanghai_datetime(t.to_utc()))
                .unwrap_or(e.at.clone());
            let role = e.role.as_deref().and_then(Role::from_code).map(Role::label).unwrap_or("").to_string();
            vec![
                e.seq.to_string(),
                at,
                e.actor.unwrap_or_default(),
                role,
                action_label(&e.action).to_string(),
                e.action,
                e.object,
                outcome_label(&e.outcome).to_string(),
                e.client_addr,
                e.detail,
                e.hash,
            ]
        }),
    );
    Ok(crate::export::download("text/csv; charset=utf-8", "audit-log.csv", body.into_bytes()))
}

/// `GET /api/audit/checkpoint`: a signed checkpoint (every chain's length and
/// head) as a file to keep outside the server; the export itself is audited
/// and included.
pub async fn checkpoint(State(state): State<AppState>, user: CurrentUser) -> Result<impl IntoResponse, AppError> {
    let user = user.require(&state, AUDITOR, AuditAction::AuditCheckpoint).await?;
    let mut tx = state.write_tx().await?;
    audit::append(&mut tx, &user.who(), &Event::success(AuditAction::AuditCheckpoint, "audit_log")).await?;
    let cp = crate::chains::checkpoint(&mut tx, &state.keys, &user.username).await?;
    tx.commit().await?;
    let name = format!("gongzhi-checkpoint-{}.json", cp.created_at.replace([':', '-'], ""));
    let body = serde_json::to_vec_pretty(&cp).map_err(AppError::internal)?;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/json".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    ))
}
