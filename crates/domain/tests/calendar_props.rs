//! Property tests of working-day arithmetic on the shipped schedules.

use chrono::{Datelike, NaiveDate, Weekday};
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::{HolidaySchedule, WorkingDayCalendar};
use proptest::prelude::*;

fn calendar() -> WorkingDayCalendar {
    WorkingDayCalendar::from_schedules(bundled_schedules())
}

/// A start date in 2024–2025, so that up to 200 working days stay inside the
/// known years 2024–2026.
fn start() -> impl Strategy<Value = NaiveDate> {
    (0i64..731).prop_map(|off| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(off as u64))
}

proptest! {
    #[test]
    fn due_is_a_working_day_after_the_start(from in start(), n in 1u32..200) {
        let cal = calendar();
        let due = cal.add_working_days(from, n).unwrap();
        prop_assert!(due > from);
        prop_assert!(cal.is_working_day(due).unwrap());
        prop_assert_eq!(cal.working_days_between(from, due).unwrap(), n);
        // No working day is skipped: the day before the due date is `n - 1` working days in.
        prop_assert_eq!(cal.working_days_between(from, due.pred_opt().unwrap()).unwrap(), n - 1);
    }

    #[test]
    fn adding_is_additive(from in start(), a in 0u32..100, b in 0u32..100) {
        let cal = calendar();
        let step = cal.add_working_days(cal.add_working_days(from, a).unwrap(), b).unwrap();
        prop_assert_eq!(step, cal.add_working_days(from, a + b).unwrap());
    }

    #[test]
    fn more_days_never_end_earlier(from in start(), a in 0u32..150, extra in 1u32..50) {
        let cal = calendar();
        prop_assert!(cal.add_working_days(from, a + extra).unwrap() > cal.add_working_days(from, a).unwrap());
    }

    #[test]
    fn a_later_start_never_ends_earlier(from in start(), later in 1u64..30, n in 1u32..150) {
        let cal = calendar();
        let later_from = from + chrono::Days::new(later);
        prop_assert!(cal.add_working_days(later_from, n).unwrap() >= cal.add_working_days(from, n).unwrap());
    }

    #[test]
    fn explained_due_date_agrees_and_adds_up(from in start(), n in 1u32..200) {
        let cal = calendar();
        let due = cal.due_date(from, n).unwrap();
        prop_assert_eq!(due.due, cal.add_working_days(from, n).unwrap());
        let counted = n as usize;
        let skipped = due.skipped_weekend_days as usize + due.skipped_holidays.len();
        prop_assert_eq!(counted + skipped, due.calendar_days as usize);
        prop_assert_eq!((due.due - from).num_days(), i64::from(due.calendar_days));
    }

    /// With a published schedule that changes nothing, the calendar is plain
    /// Monday–Friday arithmetic.
    #[test]
    fn without_holidays_it_is_weekday_arithmetic(off in 0u64..250, n in 1u32..60) {
        let quiet = HolidaySchedule::from_json(
            r#"{"year":2030,"papers":["test"],"days":[{"name":"x","date":"2030-12-31","isOffDay":false}]}"#,
        ).unwrap();
        let cal = WorkingDayCalendar::from_schedules([quiet]);
        let from = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap() + chrono::Days::new(off);
        let mut expect = from;
        let mut left = n;
        while left > 0 {
            expect = expect.succ_opt().unwrap();
            if !matches!(expect.weekday(), Weekday::Sat | Weekday::Sun) || expect == NaiveDate::from_ymd_opt(2030, 12, 31).unwrap() {
                left -= 1;
            }
        }
        prop_assert_eq!(cal.add_working_days(from, n).unwrap(), expect);
    }
}
