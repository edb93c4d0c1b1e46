//! The working-day calendar (工作日历) over HTTP: due dates (strict, or
//! provisional on request), the schedules in force, and the system
//! administrator's upload of a year's schedule — which takes effect at once
//! and recomputes every provisional deadline, recording and auditing those
//! that moved.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, SecondsFormat, Utc};
use gongzhi_api::{ApiError, DeadlineChangeView, DueResponse, ScheduleUploadResponse, SchedulesResponse};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::calendar::{missing_years, missing_years_reminder};
use gongzhi_domain::calendar_upload::{check_upload, upload_year, ScheduleProblem};
use gongzhi_domain::RequestError;
use gongzhi_domain::{DueQuery, Field, FieldErrorKind, Role, WorkingDayCalendar};
use serde::Deserialize;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Who loads schedules.
pub const UPLOADERS: &[Role] = &[Role::SystemAdmin];

/// The `provisional` query parameter: `allow` opts in to a provisional answer.
pub const FIELD_PROVISIONAL: Field = Field::new("provisional", "暂定计算");

/// Raw query text: parsing is the domain crate's job, so the browser and the
/// API give the same message for the same mistake.
#[derive(Deserialize)]
pub struct DueParams {
    from: Option<String>,
    working_days: Option<String>,
    provisional: Option<String>,
}

/// `GET /api/calendar/due?from=YYYY-MM-DD&working_days=N[&provisional=allow]`
///
/// Without `provisional=allow` a year without a published schedule answers
/// 422 `calendar_year_unknown` (the stable contract other tools rely on).
pub async fn due(
    State(state): State<AppState>,
    params: Result<Query<DueParams>, QueryRejection>,
) -> ApiResult<DueResponse> {
    let Query(params) = params.map_err(|_| AppError::from(RequestError::QueryInvalid))?;
    let parsed = DueQuery::parse(params.from.as_deref(), params.working_days.as_deref());
    let allow = match params.provisional.as_deref().map(str::trim) {
        None | Some("") | Some("deny") => Ok(false),
        Some("allow") => Ok(true),
        Some(other) => Err(FIELD_PROVISIONAL.error(FieldErrorKind::UnknownOption { raw: other.to_string() })),
    };
    let (query, allow) = match (parsed, allow) {
        (Ok(q), Ok(a)) => (q, a),
        (q, a) => {
            let mut errors = q.err().unwrap_or_default();
            errors.extend(a.err());
            return Err(AppError::fields(&errors));
        }
    };
    let calendar = state.calendar();
    let calendar = &calendar.calendar;
    if allow {
        Ok(Json(calendar.reckon(|c| query.evaluate(c))?.into()))
    } else {
        Ok(Json(query.evaluate(calendar)?.into()))
    }
}

fn schedules_of(state: &AppState) -> SchedulesResponse {
    let in_force = state.calendar();
    let calendar = &in_force.calendar;
    let missing = missing_years(calendar, state.today());
    SchedulesResponse {
        known_years: calendar.known_years(),
        schedules: calendar.schedules().cloned().collect(),
        statutory: calendar.statutory().cloned().collect(),
        provisional_years: calendar.provisional_years(),
        version: in_force.version.clone(),
        reminder: missing_years_reminder(&missing),
        missing_years: missing,
    }
}

/// `GET /api/calendar/schedules`
pub async fn schedules(State(state): State<AppState>) -> Json<SchedulesResponse> {
    Json(schedules_of(&state))
}

fn refused(problems: &[ScheduleProblem]) -> AppError {
    AppError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: ApiError::from_fields(problems).unwrap_or_else(|| ApiError::from_domain(&RequestError::BadRequest)),
    }
}

/// `?dry_run=true`: check and show what would move, change nothing.
#[derive(Debug, Default, Deserialize)]
pub struct UploadOptions {
    dry_run: Option<bool>,
}

/// `POST /api/calendar/schedules`: the body is a holiday-cn year file. Checked
/// whole by the domain (every problem listed, 422); then kept as
/// `$GONGZHI_DATA_DIR/holidays/<year>.json`, put in force for every request
/// and browser at once, and every admission deadline that was provisional on
/// that year (admission files, open events' stage limits) recomputed — the
/// ones that moved recorded on their file and audited, with the upload, in
/// one transaction. `?dry_run=true` checks and lists what would move, and
/// changes nothing.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(opts): Query<UploadOptions>,
    body: Bytes,
) -> ApiResult<ScheduleUploadResponse> {
    let dry_run = opts.dry_run.unwrap_or(false);
    let user = user.require(&state, UPLOADERS, AuditAction::CalendarUpload).await?;
    if body.len() > gongzhi_domain::calendar_upload::MAX_UPLOAD_BYTES {
        return Err(refused(&[ScheduleProblem::TooLarge { bytes: body.len() }]));
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return Err(refused(&[ScheduleProblem::NotHolidayCn { detail: "文件应为 UTF-8 编码".into() }]));
    };
    let _one_at_a_time = state.calendar_upload.lock().await;
    let old = state.calendar();
    let statutory = upload_year(text).and_then(|y| old.calendar.statutory_of(y));
    let schedule = check_upload(text, statutory).map_err(|p| refused(&p))?;
    let year = schedule.year;
    let mut next: WorkingDayCalendar = old.calendar.clone();
    next.insert(schedule.clone());

    let mut tx = state.write_tx().await?;
    // Every deadline that was provisional on this year, before and after:
    // admission files and the stages of open events.
    let mut candidates = Vec::new();
    for row in crate::api::admission::clocked_rows(&mut tx).await? {
        if let (Some(Ok(before)), Some(after)) = (row.due(&old.calendar), row.due(&next)) {
            candidates.push(("admission", row.id, row.file_no.clone(), before, after));
        }
    }
    let before = crate::api::events::stage_deadlines(&mut tx, &old.calendar).await?;
    let after = crate::api::events::stage_deadlines(&mut tx, &next).await?;
    for ((id, label, before), (_, _, after)) in before.into_iter().zip(after) {
        if let Ok(before) = before {
            candidates.push(("event", id, label, before, after));
        }
    }
    let changed_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut recomputed = 0;
    let mut changes = Vec::new();
    for (subject, id, label, before, after) in candidates {
        if !before.provisional_years.contains(&year) {
            continue;
        }
        recomputed += 1;
        let after = after?;
        if after.value == before.value {
            continue;
        }
        let change = DeadlineChangeView {
            subject: subject.into(),
            subject_id: id,
            label: label.clone(),
            old_due: before.value,
            new_due: after.value,
            schedule_year: year,
            still_provisional: after.is_provisional(),
            changed_at: changed_at.clone(),
        };
        if dry_run {
            changes.push(change);
            continue;
        }
        record_change(&mut tx, &change).await?;
        audit::append(
            &mut tx,
            &user.who(),
            &Event::success(AuditAction::CalendarDeadlineMoved, format!("{subject}:{id}")).detail(serde_json::json!({
                "label": label,
                "old_due": before.value,
                "new_due": after.value,
                "schedule_year": year,
                "still_provisional_years": after.provisional_years,
            })),
        )
        .await?;
        changes.push(change);
    }
    if dry_run {
        // Nothing written: the transaction is dropped (rolled back).
        return Ok(Json(ScheduleUploadResponse {
            year,
            days: schedule.days.len() as u32,
            version: old.version.clone(),
            recomputed,
            changes,
            imported: false,
        }));
    }
    let path = crate::holidays::save(&state.holidays_dir, &schedule)?;
    let digest = sha256_hex(&body);
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::CalendarUpload, format!("holidays:{year}")).detail(serde_json::json!({
            "year": year,
            "days": schedule.days.len(),
            "papers": schedule.papers,
            "sha256": digest,
            "file": path.display().to_string(),
            "replaced_published": old.calendar.knows_year(year),
            "recomputed": recomputed,
            "moved": changes.len(),
        })),
    )
    .await?;
    tx.commit().await?;
    let in_force = state.set_calendar(next);
    tracing::info!(year, version = %in_force.version, moved = changes.len(), "holiday schedule loaded");
    Ok(Json(ScheduleUploadResponse {
        year,
        days: schedule.days.len() as u32,
        version: in_force.version.clone(),
        recomputed,
        changes,
        imported: true,
    }))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

async fn record_change(tx: &mut AnyConnection, c: &DeadlineChangeView) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO deadline_changes (subject, subject_id, label, old_due, new_due, schedule_year, still_provisional, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&c.subject)
    .bind(c.subject_id)
    .bind(&c.label)
    .bind(c.old_due.to_string())
    .bind(c.new_due.to_string())
    .bind(c.schedule_year)
    .bind(i64::from(c.still_provisional))
    .bind(&c.changed_at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The recorded moves of one subject's provisional deadlines, oldest first.
pub async fn deadline_changes(db: &AnyPool, subject: &str, id: i64) -> Result<Vec<DeadlineChangeView>, AppError> {
    let date = |s: String| s.parse::<NaiveDate>().map_err(|_| AppError::internal("deadline_changes: bad date"));
    let rows = sqlx::query("SELECT * FROM deadline_changes WHERE subject = $1 AND subject_id = $2 ORDER BY id")
        .bind(subject)
        .bind(id)
        .fetch_all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(DeadlineChangeView {
                subject: r.get("subject"),
                subject_id: r.get("subject_id"),
                label: r.get("label"),
                old_due: date(r.get("old_due"))?,
                new_due: date(r.get("new_due"))?,
                schedule_year: r.get("schedule_year"),
                still_provisional: crate::db::flag(&r, "still_provisional"),
                changed_at: r.get("changed_at"),
            })
        })
        .collect()
}
