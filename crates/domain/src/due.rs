//! "What date is N working days after this one?" — the request, parsed.
//!
//! The browser's working-day calculator and `GET /api/calendar/due` both feed
//! the raw text a person typed (or a program sent) through [`DueQuery::parse`],
//! so the same mistake gets the same Chinese message on both sides.

use chrono::NaiveDate;

use crate::calendar::{CalendarError, DueDate, WorkingDayCalendar};
use crate::error::{FieldError, FieldErrorKind};

/// A count of working days, 1 to [`WorkingDays::MAX`]. Larger counts are
/// almost always typing mistakes (1,000 working days is about four years).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WorkingDays(u32);

impl WorkingDays {
    /// The smallest count accepted.
    pub const MIN: u32 = 1;
    /// The largest count accepted.
    pub const MAX: u32 = 1000;

    /// `None` outside `MIN..=MAX`.
    pub fn new(n: u32) -> Option<Self> {
        (Self::MIN..=Self::MAX).contains(&n).then_some(Self(n))
    }

    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// A valid request for a due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueQuery {
    /// The starting day (起算日期), not counted.
    pub from: NaiveDate,
    /// How many working days to count (工作日天数).
    pub working_days: WorkingDays,
}

/// API field names and Chinese labels of the query.
pub const FIELD_FROM: (&str, &str) = ("from", "起算日期");
/// API field name and Chinese label of the count of working days.
pub const FIELD_WORKING_DAYS: (&str, &str) = ("working_days", "工作日天数");

impl DueQuery {
    /// Parses raw input. Returns every problem at once, in field order.
    pub fn parse(from: Option<&str>, working_days: Option<&str>) -> Result<Self, Vec<FieldError>> {
        let from = parse_date(FIELD_FROM, from);
        let working_days = parse_working_days(working_days);
        match (from, working_days) {
            (Ok(from), Ok(working_days)) => Ok(Self { from, working_days }),
            (from, working_days) => Err([from.err(), working_days.err()].into_iter().flatten().collect()),
        }
    }

    /// Computes the due date on `calendar`.
    pub fn evaluate(&self, calendar: &WorkingDayCalendar) -> Result<DueDate, CalendarError> {
        calendar.due_date(self.from, self.working_days.get())
    }
}

fn field_error((field, label): (&'static str, &'static str), kind: FieldErrorKind) -> FieldError {
    FieldError::new(field, label, kind)
}

/// Parses a civil date written `YYYY-MM-DD` (surrounding blanks ignored).
pub fn parse_date(field: (&'static str, &'static str), raw: Option<&str>) -> Result<NaiveDate, FieldError> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Err(field_error(field, FieldErrorKind::Required));
    }
    civil_date(raw).ok_or_else(|| field_error(field, FieldErrorKind::InvalidDate { raw: raw.to_string() }))
}

/// `2026-11-24` as a date, or `None`: exactly ten characters, digits and two
/// dashes, a real day. Written out rather than chrono's `FromStr`, whose
/// format parser would be carried by every page that reads a date.
pub fn civil_date(raw: &str) -> Option<NaiveDate> {
    let well_formed = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    // Digits are checked above; the calendar check (no 2026-02-30) is chrono's.
    let num = |r: std::ops::Range<usize>| raw[r].parse::<u32>().ok();
    well_formed.then(|| NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)).flatten()
}

fn parse_working_days(raw: Option<&str>) -> Result<WorkingDays, FieldError> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Err(field_error(FIELD_WORKING_DAYS, FieldErrorKind::Required));
    }
    let n: i64 = raw.parse().map_err(|_| {
        // Distinguish "not a number" from "a number far too large to hold".
        let kind = if raw.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit()) {
            out_of_range(raw)
        } else {
            FieldErrorKind::NotAnInteger { raw: raw.to_string() }
        };
        field_error(FIELD_WORKING_DAYS, kind)
    })?;
    u32::try_from(n).ok().and_then(WorkingDays::new).ok_or_else(|| field_error(FIELD_WORKING_DAYS, out_of_range(raw)))
}

fn out_of_range(raw: &str) -> FieldErrorKind {
    FieldErrorKind::OutOfRange { min: WorkingDays::MIN.into(), max: WorkingDays::MAX.into(), raw: raw.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;

    fn codes(r: Result<DueQuery, Vec<FieldError>>) -> Vec<(&'static str, &'static str)> {
        r.unwrap_err().iter().map(|e| (e.field, e.code())).collect()
    }

    #[test]
    fn parses_valid_input() {
        let q = DueQuery::parse(Some(" 2026-09-30 "), Some("15")).unwrap();
        assert_eq!(q.from, NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        assert_eq!(q.working_days.get(), 15);
    }

    #[test]
    fn reports_every_field_at_once() {
        assert_eq!(
            codes(DueQuery::parse(None, None)),
            vec![("from", "field_required"), ("working_days", "field_required")]
        );
    }

    #[test]
    fn rejects_malformed_dates() {
        for raw in ["2026-9-30", "2026-02-30", "30/09/2026", "2026-09-30x", "二〇二六年"] {
            assert_eq!(codes(DueQuery::parse(Some(raw), Some("1"))), vec![("from", "field_invalid_date")], "{raw}");
        }
    }

    #[test]
    fn rejects_bad_counts() {
        for (raw, code) in [
            ("abc", "field_not_integer"),
            ("1.5", "field_not_integer"),
            ("-3", "field_out_of_range"),
            ("0", "field_out_of_range"),
            ("1001", "field_out_of_range"),
            ("99999999999999999999999", "field_out_of_range"),
        ] {
            assert_eq!(codes(DueQuery::parse(Some("2026-01-05"), Some(raw))), vec![("working_days", code)], "{raw}");
        }
    }

    #[test]
    fn messages_name_the_field() {
        let errs = DueQuery::parse(Some("2026-02-30"), Some("-3")).unwrap_err();
        assert_eq!(errs[0].message(), "起算日期“2026-02-30”不是有效日期,请按“年-月-日”格式填写,例如 2026-09-30。");
        assert_eq!(errs[1].message(), "工作日天数必须在 1 到 1000 之间,当前为 -3。");
    }
}
