//! The 15-working-day clock (审批时限).
//!
//! Due = 15 working days after acceptance; the acceptance day does not count
//! (day 1 is the next working day); working days follow the State Council
//! schedule with its make-up days. "原则上": one extension, with a reason and
//! an approver. Due-soon and overdue are derived here from the dates, never
//! stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, WorkingDayCalendar};
use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};

/// Working days from acceptance to the answer.
pub const TIME_LIMIT: u32 = 15;
/// At most this many working days left counts as due soon.
pub const DUE_SOON: u32 = 3;
/// The longest extension, in working days.
pub const MAX_EXTENSION: u32 = 15;

/// The clock of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdmissionClock {
    /// 受理日期.
    pub accepted_on: NaiveDate,
    /// Working days added by the extension (0 without one).
    pub extension_days: u32,
    /// The day the decision was taken; the clock stops then.
    pub stopped_on: Option<NaiveDate>,
}

/// The traffic light of a file. On the wire: `{"state": "on_track", "left": 4}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DueState {
    /// More than [`DUE_SOON`] working days left.
    OnTrack {
        /// Working days left.
        left: u32,
    },
    /// [`DUE_SOON`] or fewer working days left (0: due today).
    DueSoon {
        /// Working days left.
        left: u32,
    },
    /// Past the due date by this many working days.
    Overdue {
        /// Working days past the due date.
        late: u32,
    },
    /// Decided on or before the due date.
    DoneOnTime,
    /// Decided after the due date, this many working days late.
    DoneLate {
        /// Working days past the due date.
        late: u32,
    },
}

/// Read through a plain struct: serde's internally tagged enums buffer the
/// whole object and cost the browser bundle about 10 KB; this reads the same
/// JSON (and refuses the same unknown states) in a fraction of it.
impl<'de> Deserialize<'de> for DueState {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            state: String,
            left: Option<u32>,
            late: Option<u32>,
        }
        let w = Wire::deserialize(deserializer)?;
        let need = |v: Option<u32>, name| v.ok_or_else(|| serde::de::Error::missing_field(name));
        Ok(match w.state.as_str() {
            "on_track" => DueState::OnTrack { left: need(w.left, "left")? },
            "due_soon" => DueState::DueSoon { left: need(w.left, "left")? },
            "overdue" => DueState::Overdue { late: need(w.late, "late")? },
            "done_on_time" => DueState::DoneOnTime,
            "done_late" => DueState::DoneLate { late: need(w.late, "late")? },
            other => {
                return Err(serde::de::Error::unknown_variant(
                    other,
                    &["on_track", "due_soon", "overdue", "done_on_time", "done_late"],
                ))
            }
        })
    }
}

impl DueState {
    /// `on_track`, `due_soon`, `overdue` or `done` (the list filter's values).
    pub fn code(self) -> &'static str {
        match self {
            DueState::OnTrack { .. } => "on_track",
            DueState::DueSoon { .. } => "due_soon",
            DueState::Overdue { .. } => "overdue",
            DueState::DoneOnTime | DueState::DoneLate { .. } => "done",
        }
    }

    /// Green, amber, red or grey.
    pub fn light(self) -> &'static str {
        match self {
            DueState::OnTrack { .. } => "green",
            DueState::DueSoon { .. } => "amber",
            DueState::Overdue { .. } | DueState::DoneLate { .. } => "red",
            DueState::DoneOnTime => "grey",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> String {
        match self {
            DueState::OnTrack { left } => format!("剩余 {left} 个工作日"),
            DueState::DueSoon { left: 0 } => "今日到期".into(),
            DueState::DueSoon { left } => format!("即将到期:剩余 {left} 个工作日"),
            DueState::Overdue { late } => format!("已超期 {late} 个工作日"),
            DueState::DoneOnTime => "按期办结".into(),
            DueState::DoneLate { late } => format!("超期 {late} 个工作日办结"),
        }
    }
}

/// The filter values for due state, with labels.
pub const DUE_FILTERS: [(&str, &str); 4] =
    [("on_track", "正常"), ("due_soon", "即将到期"), ("overdue", "已超期"), ("done", "已办结")];

impl AdmissionClock {
    /// A clock started on the acceptance day (受理日), not extended, running.
    pub fn new(accepted_on: NaiveDate) -> Self {
        Self { accepted_on, extension_days: 0, stopped_on: None }
    }

    /// The last day for the answer.
    pub fn due(&self, calendar: &WorkingDayCalendar) -> Result<NaiveDate, CalendarError> {
        calendar.add_working_days(self.accepted_on, TIME_LIMIT + self.extension_days)
    }

    /// The traffic light on `today`.
    pub fn state(&self, calendar: &WorkingDayCalendar, today: NaiveDate) -> Result<DueState, CalendarError> {
        let due = self.due(calendar)?;
        Ok(match self.stopped_on {
            Some(stop) if stop <= due => DueState::DoneOnTime,
            Some(stop) => DueState::DoneLate { late: calendar.working_days_between(due, stop)? },
            None if today > due => DueState::Overdue { late: calendar.working_days_between(due, today)? },
            None => match calendar.working_days_between(today, due)? {
                left if left <= DUE_SOON => DueState::DueSoon { left },
                left => DueState::OnTrack { left },
            },
        })
    }
}

/// Field `accepted_on`, labelled “受理日期” in forms and messages.
pub const FIELD_ACCEPTED_ON: Field = Field::new("accepted_on", "受理日期");
/// Field `days`, labelled “延长工作日数” in forms and messages.
pub const FIELD_EXTENSION_DAYS: Field = Field::new("days", "延长工作日数");
/// Field `reason`, labelled “延期理由” in forms and messages.
pub const FIELD_EXTENSION_REASON: Field = Field::new("reason", "延期理由");
/// Field `approver`, labelled “延期批准人” in forms and messages.
pub const FIELD_EXTENSION_APPROVER: Field = Field::new("approver", "延期批准人");

/// The day a paper application was accepted, as the reviewer types it: a
/// real date, not in the future.
pub fn parse_accepted_on(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let date = parse_date((FIELD_ACCEPTED_ON.name, FIELD_ACCEPTED_ON.label), Some(raw))?;
    if date > today {
        return Err(FIELD_ACCEPTED_ON.error(FieldErrorKind::DateInFuture { raw: raw.trim().to_string() }));
    }
    Ok(date)
}

/// An extension as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtensionInput {
    /// 延长工作日数.
    pub days: String,
    /// 延期理由.
    pub reason: String,
    /// Who approved it (name and post), e.g. `领导小组副组长 王刚`.
    pub approver: String,
}

/// A valid extension.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// 延长工作日数.
    pub days: u32,
    /// 延期理由.
    pub reason: String,
    /// 延期批准人.
    pub approver: String,
}

impl ExtensionInput {
    /// Checks the extension form, reporting every problem at once.
    pub fn parse(&self) -> Result<Extension, Vec<FieldError>> {
        let mut p = Problems::new();
        let raw = self.days.trim();
        let days = p.take(if raw.is_empty() {
            Err(FIELD_EXTENSION_DAYS.error(FieldErrorKind::Required))
        } else {
            raw.parse::<u32>().ok().filter(|d| (1..=MAX_EXTENSION).contains(d)).ok_or_else(|| {
                FIELD_EXTENSION_DAYS.error(FieldErrorKind::OutOfRange {
                    min: 1,
                    max: MAX_EXTENSION.into(),
                    raw: raw.to_string(),
                })
            })
        });
        let reason = p.take(FIELD_EXTENSION_REASON.required_text(&self.reason, 500));
        let approver = p.take(FIELD_EXTENSION_APPROVER.required_text(&self.approver, 50));
        p.into_result(|| Some(Extension { days: days?, reason: reason?, approver: approver? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> WorkingDayCalendar {
        bundled::calendar()
    }

    #[test]
    fn due_states_read_back_what_they_write() {
        for s in [
            DueState::OnTrack { left: 4 },
            DueState::DueSoon { left: 0 },
            DueState::Overdue { late: 2 },
            DueState::DoneOnTime,
            DueState::DoneLate { late: 1 },
        ] {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<DueState>(&json).unwrap(), s, "{json}");
        }
        assert_eq!(serde_json::to_string(&DueState::OnTrack { left: 4 }).unwrap(), r#"{"state":"on_track","left":4}"#);
        assert!(serde_json::from_str::<DueState>(r#"{"state":"late"}"#).is_err());
        assert!(serde_json::from_str::<DueState>(r#"{"state":"overdue"}"#).is_err());
    }

    #[test]
    fn fifteen_working_days_across_national_day() {
        // Accepted Monday 2026-09-28: National Day 10-01..10-07 is skipped,
        // Saturday 10-10 is a make-up working day.
        let c = AdmissionClock::new(d("2026-09-28"));
        assert_eq!(c.due(&cal()).unwrap(), d("2026-10-23"));
    }

    #[test]
    fn the_light_changes_as_days_pass() {
        let c = AdmissionClock::new(d("2026-11-02")); // due 2026-11-23
        let cal = cal();
        assert_eq!(c.due(&cal).unwrap(), d("2026-11-23"));
        assert_eq!(c.state(&cal, d("2026-11-02")).unwrap(), DueState::OnTrack { left: 15 });
        assert_eq!(c.state(&cal, d("2026-11-18")).unwrap(), DueState::DueSoon { left: 3 });
        assert_eq!(c.state(&cal, d("2026-11-23")).unwrap(), DueState::DueSoon { left: 0 });
        assert_eq!(c.state(&cal, d("2026-11-23")).unwrap().label(), "今日到期");
        assert_eq!(c.state(&cal, d("2026-11-25")).unwrap(), DueState::Overdue { late: 2 });
        let stopped = AdmissionClock { stopped_on: Some(d("2026-11-24")), ..c };
        assert_eq!(stopped.state(&cal, d("2026-12-01")).unwrap(), DueState::DoneLate { late: 1 });
        let extended = AdmissionClock { extension_days: 5, ..c };
        assert_eq!(extended.due(&cal).unwrap(), d("2026-11-30"));
        assert_eq!(extended.state(&cal, d("2026-11-25")).unwrap(), DueState::DueSoon { left: 3 });
    }

    #[test]
    fn an_unpublished_year_is_an_error_not_a_guess() {
        let c = AdmissionClock::new(d("2026-12-28"));
        assert_eq!(c.due(&cal()), Err(CalendarError::YearUnknown { year: 2027 }));
    }

    #[test]
    fn a_paper_acceptance_date_is_not_in_the_future() {
        let today = d("2026-11-24");
        assert_eq!(parse_accepted_on("2026-11-24", today), Ok(today));
        let e = parse_accepted_on("2026-11-25", today).unwrap_err();
        assert_eq!(crate::DomainError::message(&e), "受理日期“2026-11-25”晚于今天,请填写实际日期。");
        assert_eq!(parse_accepted_on("", today).unwrap_err().kind, FieldErrorKind::Required);
    }

    #[test]
    fn an_extension_needs_days_reason_and_approver() {
        let errs = ExtensionInput { days: "16".into(), ..Default::default() }.parse().unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.field, crate::DomainError::code(e))).collect();
        assert_eq!(
            codes,
            vec![("days", "field_out_of_range"), ("reason", "field_required"), ("approver", "field_required")]
        );
    }

    fn date_2024_2026() -> impl Strategy<Value = NaiveDate> {
        // Leave room for 30 working days before the end of 2026.
        (0i64..(365 * 3 - 50)).prop_map(|n| d("2024-01-01") + chrono::Duration::days(n))
    }

    proptest! {
        /// A deadline never falls on a non-working day, and always after acceptance.
        #[test]
        fn due_is_a_working_day_after_acceptance(accepted in date_2024_2026(), ext in 0u32..=MAX_EXTENSION) {
            let cal = cal();
            let due = AdmissionClock { accepted_on: accepted, extension_days: ext, stopped_on: None }.due(&cal).unwrap();
            prop_assert!(due > accepted);
            prop_assert!(cal.is_working_day(due).unwrap());
            prop_assert_eq!(cal.working_days_between(accepted, due).unwrap(), TIME_LIMIT + ext);
        }

        /// Restarting the clock (acceptance after a return) never shortens it,
        /// and neither does an extension.
        #[test]
        fn restarting_never_shortens(first in date_2024_2026(), gap in 0i64..40, ext in 0u32..=MAX_EXTENSION) {
            let cal = cal();
            let restarted = first + chrono::Duration::days(gap);
            prop_assume!(restarted < d("2026-11-01"));
            let before = AdmissionClock::new(first).due(&cal).unwrap();
            let after = AdmissionClock::new(restarted).due(&cal).unwrap();
            prop_assert!(after >= before);
            let extended = AdmissionClock { extension_days: ext, ..AdmissionClock::new(first) }.due(&cal).unwrap();
            prop_assert!(extended >= before);
        }

        /// The light never says "on track" once the due date has passed, nor
        /// "overdue" before it.
        #[test]
        fn the_light_agrees_with_the_dates(accepted in date_2024_2026(), offset in 0i64..40) {
            let cal = cal();
            let clock = AdmissionClock::new(accepted);
            let due = clock.due(&cal).unwrap();
            let today = accepted + chrono::Duration::days(offset);
            prop_assume!(today.year() <= 2026);
            let state = clock.state(&cal, today).unwrap();
            prop_assert_eq!(matches!(state, DueState::Overdue { .. }), today > due);
        }
    }

    use chrono::Datelike;
}
