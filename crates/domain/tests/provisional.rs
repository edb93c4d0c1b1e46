//! Provisional (暂定) answers on the statutory holidays: the rule checked
//! against the real published schedules, and the flag's properties.

use chrono::{Datelike, NaiveDate};
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::calendar_upload::check_upload;
use gongzhi_domain::statutory::{statutory_schedule, statutory_schedules};
use gongzhi_domain::{CalendarError, DayKind, HolidaySchedule, WorkingDayCalendar};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The shipped schedules (2024–2026 published, 2027 a placeholder) with the
/// statutory rule for 2025–2031.
fn calendar() -> WorkingDayCalendar {
    let mut cal = WorkingDayCalendar::from_schedules(bundled_schedules());
    cal.set_statutory(statutory_schedules(2025..=2031));
    cal
}

#[test]
fn statutory_holidays_of_2025_and_2026_are_days_off_in_the_published_schedules() {
    let published = WorkingDayCalendar::from_schedules(bundled_schedules());
    for year in [2025, 2026] {
        let rule = statutory_schedule(year).unwrap();
        assert_eq!(rule.days.len(), 13, "{year}: 13 statutory days");
        for day in &rule.days {
            match published.day_kind(day.date).unwrap() {
                DayKind::Holiday { .. } => {}
                other => {
                    panic!("{year}: statutory {} on {} is {other:?} in the published schedule", day.name, day.date)
                }
            }
        }
        // The published file passes the upload check against the rule.
        let text = serde_json::to_string(bundled_schedules().iter().find(|s| s.year == year).unwrap()).unwrap();
        check_upload(&text, Some(&rule)).unwrap();
    }
}

#[test]
fn the_strict_methods_never_use_the_rule() {
    let cal = calendar();
    assert_eq!(cal.add_working_days(d("2026-12-20"), 15), Err(CalendarError::YearUnknown { year: 2027 }));
    assert!(!cal.knows_year(2027));
    assert_eq!(cal.provisional_years(), (2027..=2031).collect::<Vec<_>>());
}

#[test]
fn a_deadline_into_2027_is_provisional_naming_the_year() {
    let cal = calendar();
    let r = cal.reckon(|c| c.due_date(d("2026-12-21"), 15)).unwrap();
    assert_eq!(r.provisional_years, [2027]);
    // 12-22..12-31: 8 working days; 2027-01-01 元旦 (Fri) off; 01-04..01-08 5 more (13); 01-11, 01-12.
    assert_eq!(r.value.due, d("2027-01-12"));
    assert_eq!(r.value.skipped_holidays.len(), 1);
    assert_eq!(r.note().unwrap(), "按法定节假日暂定,待国务院公布 2027 年安排后自动更正");
    // Across 2027 into 2028: both years named.
    let r = cal.reckon(|c| c.add_working_days(d("2026-12-21"), 300)).unwrap();
    assert_eq!(r.provisional_years, [2027, 2028]);
    // A year without a rule stays unknown.
    let old = cal.reckon(|c| c.add_working_days(d("2023-12-01"), 5));
    assert_eq!(old, Err(CalendarError::YearUnknown { year: 2023 }));
}

#[test]
fn publishing_the_year_makes_the_answer_final() {
    let mut cal = calendar();
    let before = cal.reckon(|c| c.add_working_days(d("2026-12-21"), 15)).unwrap();
    cal.insert(
        HolidaySchedule::from_json(
            r#"{"year":2027,"days":[
        {"name":"元旦","date":"2027-01-01","isOffDay":true},
        {"name":"元旦","date":"2027-01-04","isOffDay":true}]}"#,
        )
        .unwrap(),
    );
    let after = cal.reckon(|c| c.add_working_days(d("2026-12-21"), 15)).unwrap();
    assert!(before.is_provisional() && !after.is_provisional());
    assert_eq!((before.value, after.value), (d("2027-01-12"), d("2027-01-13")));
}

fn any_start() -> impl Strategy<Value = NaiveDate> {
    (0i64..(365 * 4)).prop_map(|off| d("2024-01-01") + chrono::Days::new(off as u64))
}

proptest! {
    /// Flagged whenever an unpublished year is touched, never otherwise; and a
    /// final answer is the strict answer.
    #[test]
    fn provisional_exactly_when_an_unpublished_year_is_touched(from in any_start(), n in 1u32..400) {
        let cal = calendar();
        let r = cal.reckon(|c| c.add_working_days(from, n)).unwrap();
        // The days examined are (from, due]: every year among them without a published schedule.
        let first = from.succ_opt().unwrap().year();
        let touched: Vec<i32> = (first..=r.value.year()).filter(|y| !cal.knows_year(*y)).collect();
        prop_assert_eq!(&r.provisional_years, &touched);
        match cal.add_working_days(from, n) {
            Ok(strict) => { prop_assert!(!r.is_provisional()); prop_assert_eq!(strict, r.value); }
            Err(CalendarError::YearUnknown { year }) => prop_assert!(r.provisional_years.contains(&year)),
            Err(e) => prop_assert!(false, "unexpected {e:?}"),
        }
        // The provisional due date is still a working day N working days on.
        prop_assert!(cal.reckon(|c| c.is_working_day(r.value)).unwrap().value);
        prop_assert_eq!(cal.reckon(|c| c.working_days_between(from, r.value)).unwrap().value, n);
    }

    /// On a provisional year, statutory days are off, weekends are off, and
    /// every other day is a working day (no make-up day is assumed).
    #[test]
    fn provisional_days_are_statutory_or_weekend(off in 0u64..365) {
        let cal = calendar();
        let date = d("2027-01-01") + chrono::Days::new(off);
        let kind = cal.reckon(|c| c.day_kind(date)).unwrap();
        prop_assert_eq!(&kind.provisional_years, &vec![2027]);
        let statutory = statutory_schedule(2027).unwrap().days.iter().any(|x| x.date == date);
        let weekend = date.weekday().num_days_from_monday() >= 5;
        match kind.value {
            DayKind::Holiday { .. } => prop_assert!(statutory),
            DayKind::Weekend => prop_assert!(weekend && !statutory),
            DayKind::Workday => prop_assert!(!weekend && !statutory),
            DayKind::MakeUpWorkday { .. } => prop_assert!(false, "no make-up day is assumed"),
        }
    }
}
