//! # gongzhi-api — what travels over HTTP
//!
//! Request and response bodies of the Gongzhi JSON API under `/api`, shared by
//! the browser app and the axum server so that both sides agree by
//! construction. No HTTP types live here — only serde shapes; the status code
//! for an error is chosen by the server.

use chrono::NaiveDate;
use gongzhi_domain::calendar::ScheduleDay;
use gongzhi_domain::{DomainError, DueDate, HolidaySchedule};
use serde::{Deserialize, Serialize};

/// One problem with one input field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

impl FieldProblem {
    pub fn from_domain(e: &dyn DomainError) -> Self {
        Self { code: e.code().to_string(), field: e.field().map(str::to_string), message: e.message() }
    }
}

/// The body of every error answer: a stable `code`, a Chinese `message`
/// naming the field, and — when several fields are wrong — all of them in
/// `errors` (the first one is repeated at the top level).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The year concerned, for `calendar_year_unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

impl ApiError {
    /// An error with a code and message and nothing else.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), field: None, year: None, errors: Vec::new() }
    }

    /// One domain error.
    pub fn from_domain(e: &dyn DomainError) -> Self {
        let mut out = Self::new(e.code(), e.message());
        out.field = e.field().map(str::to_string);
        out
    }

    /// Several field errors at once; the first leads. `None` when empty.
    pub fn from_fields<E: DomainError>(errors: &[E]) -> Option<Self> {
        let first = errors.first()?;
        let mut out = Self::from_domain(first);
        out.errors = errors.iter().map(|e| FieldProblem::from_domain(e)).collect();
        Some(out)
    }

    /// The messages of each field, in order (the app shows them under inputs).
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|p| p.field.as_deref() == Some(field))
            .map(|p| p.message.as_str())
            .or_else(|| (self.field.as_deref() == Some(field)).then_some(self.message.as_str()))
    }
}

/// `GET /api/calendar/due` answer. The first three fields are the stable
/// public contract; the rest explain the count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueResponse {
    pub from: NaiveDate,
    pub working_days: u32,
    pub due: NaiveDate,
    pub calendar_days: u32,
    pub skipped_weekend_days: u32,
    pub skipped_holidays: Vec<ScheduleDay>,
    pub make_up_working_days: Vec<ScheduleDay>,
    /// Computed on the statutory holidays of a year without a published
    /// schedule (only with `provisional=allow`).
    #[serde(default)]
    pub provisional: bool,
    /// The years concerned when `provisional`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional_years: Vec<i32>,
    /// "按法定节假日暂定,待国务院公布 2027 年安排后自动更正" when `provisional`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<gongzhi_domain::Reckoned<DueDate>> for DueResponse {
    fn from(r: gongzhi_domain::Reckoned<DueDate>) -> Self {
        let note = r.note();
        Self { provisional: r.is_provisional(), provisional_years: r.provisional_years, note, ..r.value.into() }
    }
}

impl From<DueDate> for DueResponse {
    fn from(d: DueDate) -> Self {
        Self {
            provisional: false,
            provisional_years: Vec::new(),
            note: None,
            from: d.from,
            working_days: d.working_days,
            due: d.due,
            calendar_days: d.calendar_days,
            skipped_weekend_days: d.skipped_weekend_days,
            skipped_holidays: d.skipped_holidays,
            make_up_working_days: d.make_up_working_days,
        }
    }
}

/// `GET /api/calendar/schedules`: every schedule the server loaded, so the
/// browser computes on exactly the server's calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulesResponse {
    /// Years with a published schedule.
    pub known_years: Vec<i32>,
    pub schedules: Vec<HolidaySchedule>,
    /// The statutory holidays per year (《全国年节及纪念日放假办法》), computed
    /// by the server: provisional answers for years without a published
    /// schedule, and the upload check.
    #[serde(default)]
    pub statutory: Vec<HolidaySchedule>,
    /// Years answered provisionally (a statutory schedule, none published).
    #[serde(default)]
    pub provisional_years: Vec<i32>,
    /// A digest of the calendar; every API answer carries it in the
    /// `X-Gongzhi-Calendar` header, so the browser refetches when it changes.
    #[serde(default)]
    pub version: String,
    /// Years that should be loaded by now and are not (this year; from
    /// 1 November also next year), with the reminder to show.
    #[serde(default)]
    pub missing_years: Vec<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<String>,
}

/// The header that carries [`SchedulesResponse::version`] on every API answer.
pub const CALENDAR_VERSION_HEADER: &str = "x-gongzhi-calendar";

/// `POST /api/calendar/schedules` answer: the year loaded, and what moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleUploadResponse {
    pub year: i32,
    /// Days listed in the file (holidays and make-up working days).
    pub days: u32,
    pub version: String,
    /// Deadlines that were provisional on this year and were recomputed.
    pub recomputed: u32,
    /// Those whose date moved, each audited and shown on its file (on a dry
    /// run: those that would move).
    pub changes: Vec<DeadlineChangeView>,
    /// `false` for `?dry_run=true`: checked, nothing changed.
    pub imported: bool,
}

/// A provisional deadline that moved when a year's schedule was loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineChangeView {
    /// `admission` (a file) or `event` (an open event's stage limit).
    pub subject: String,
    pub subject_id: i64,
    /// E.g. the file number `ZR-2026-0012`, or `事件 #4 就业与社保(处置中)`.
    pub label: String,
    pub old_due: NaiveDate,
    pub new_due: NaiveDate,
    /// The year whose schedule was loaded.
    pub schedule_year: i32,
    /// Whether the new date is still provisional (on another year).
    pub still_provisional: bool,
    /// UTC, RFC 3339.
    pub changed_at: String,
}

/// `GET /api/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResponse {
    /// `ok` when the database answers.
    pub status: String,
    pub version: String,
    pub database: String,
    /// Whether the browser bundle is being served.
    pub app_bundle: bool,
}

pub mod admin;
pub mod admission;
pub mod cleanup;
pub mod consultation;
pub mod disclosure;
pub mod facilities;
pub mod funding;
pub mod grid;
pub mod open311;
pub mod pages;
pub mod participation;
pub mod poll;
pub mod property;
pub mod review;
pub mod seal;
pub mod totp;
pub use admin::*;
pub use admission::*;
pub use cleanup::*;
pub use funding::*;
pub use grid::*;
pub use open311::*;
pub use pages::bundle_of;
pub use seal::*;
pub use totp::*;

#[cfg(test)]
mod tests {
    use super::*;
    use gongzhi_domain::DueQuery;

    #[test]
    fn field_errors_lead_with_the_first_and_list_all() {
        let errs = DueQuery::parse(Some("x"), Some("-1")).unwrap_err();
        let body = ApiError::from_fields(&errs).unwrap();
        assert_eq!(body.code, "field_invalid_date");
        assert_eq!(body.field.as_deref(), Some("from"));
        assert_eq!(body.errors.len(), 2);
        assert_eq!(body.message_for("working_days"), Some(errs[1].message().as_str()));
        let json = serde_json::to_value(&body).unwrap();
        assert!(json.get("year").is_none());
    }
}
