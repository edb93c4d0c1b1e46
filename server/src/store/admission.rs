//! Admission files (准入申请) as stored: the file, its form and communities,
//! its timeline.

use chrono::{Datelike, NaiveDate, SecondsFormat, Utc};
use gongzhi_domain::admission::application::{CommunityScope, FundingPlan};
use gongzhi_domain::admission::negative_list::NegativeList;
use gongzhi_domain::admission::{AdmissionApplication, AdmissionApplicationInput, AdmissionStatus};
use sqlx::AnyConnection;

use crate::error::AppError;
use crate::idempotency;

/// One line on a file's timeline.
pub async fn add_event(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    at: &str,
    actor: &str,
    step: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO admission_events (application_id, at, actor, action, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(at)
        .bind(actor)
        .bind(step)
        .bind(note)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes the form's columns (insert done by the caller) and its communities.
pub async fn store_form(
    tx: &mut AnyConnection,
    id: i64,
    form: &AdmissionApplicationInput,
    application: &AdmissionApplication,
    community_ids: &[i64],
) -> Result<(), AppError> {
    let (fen, period) = match &application.funding {
        FundingPlan::PerCommunity { amount, period } => (Some(amount.fen()), Some(period.code())),
        FundingPlan::NoCost { .. } => (None, None),
    };
    let matches = NegativeList::bundled().matches(&application.searchable_text());
    sqlx::query(
        "UPDATE admission_applications SET form = $1, item_name = $2, scope_all = $3, start_date = $4, funding_fen = $5,
            funding_period = $6, negative_matches = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(serde_json::to_string(form).map_err(AppError::internal)?)
    .bind(&application.item_name)
    .bind(i64::from(matches!(application.scope, CommunityScope::All)))
    .bind(application.start_date.to_string())
    .bind(fen)
    .bind(period)
    .bind(serde_json::to_string(&matches).map_err(AppError::internal)?)
    .bind(Utc::now().to_rfc3339())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM admission_communities WHERE application_id = $1").bind(id).execute(&mut *tx).await?;
    for community in community_ids {
        sqlx::query("INSERT INTO admission_communities (application_id, community_id) VALUES ($1, $2)")
            .bind(id)
            .bind(community)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// What a new file starts with, besides the form.
pub struct NewFile {
    pub key: String,
    pub fingerprint: String,
    pub department_id: i64,
    pub org_node_id: i64,
    pub status: AdmissionStatus,
    pub paper: bool,
    /// Today, or for a paper file its acceptance date at the latest.
    pub submitted_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// For a paper file that is exempt: registered on acceptance.
    pub decided_on: Option<NaiveDate>,
}

/// Inserts a file, or finds the one an earlier try with the same key made.
/// `Ok(Err(id))` is that earlier file.
pub async fn insert_file(
    tx: &mut AnyConnection,
    account_id: i64,
    new: &NewFile,
    application: &AdmissionApplication,
) -> Result<Result<(i64, String), i64>, AppError> {
    let year = new.accepted_on.unwrap_or_else(|| gongzhi_domain::time::shanghai_date(Utc::now())).year();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admission_applications WHERE file_no LIKE $1")
        .bind(format!("ZR-{year}-%"))
        .fetch_one(&mut *tx)
        .await?;
    let file_no = format!("ZR-{year}-{:04}", n + 1);
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    // The unique key decides, not a check-then-insert.
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO admission_applications (file_no, idempotency_key, request_sha256, department_id, org_node_id, path,
            status, form, item_name, scope_all, start_date, paper, submitted_at, submitted_on, accepted_on, decided_on,
            decided_by, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', '', 1, '', $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT(idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(&file_no)
    .bind(&new.key)
    .bind(&new.fingerprint)
    .bind(new.department_id)
    .bind(new.org_node_id)
    .bind(application.path.code())
    .bind(new.status.code())
    .bind(i64::from(new.paper))
    .bind(&now)
    .bind(new.submitted_on.to_string())
    .bind(new.accepted_on.map(|d| d.to_string()))
    .bind(new.decided_on.map(|d| d.to_string()))
    .bind(new.decided_on.map(|_| account_id))
    .bind(account_id)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = inserted else {
        let id =
            idempotency::earlier(tx, &idempotency::ADMISSION_FILES, account_id, &new.key, &new.fingerprint).await?;
        return Ok(Err(id));
    };
    Ok(Ok((id, file_no)))
}
