//! Pins the shipped schedules against the State Council notices, so that a
//! data update that loses or moves a make-up working day (调休) fails here.

use chrono::NaiveDate;
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::{CalendarError, DayKind, WorkingDayCalendar};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn calendar() -> WorkingDayCalendar {
    WorkingDayCalendar::from_schedules(bundled_schedules())
}

fn make_up_days(year: i32) -> Vec<String> {
    let cal = calendar();
    let mut out = vec![];
    let mut date = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    while date.format("%Y").to_string() == year.to_string() {
        if let DayKind::MakeUpWorkday { .. } = cal.day_kind(date).unwrap() {
            out.push(date.to_string());
        }
        date = date.succ_opt().unwrap();
    }
    out
}

#[test]
fn make_up_days_2024() {
    assert_eq!(
        make_up_days(2024),
        [
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12"
        ]
    );
}

#[test]
fn make_up_days_2025() {
    assert_eq!(make_up_days(2025), ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]);
}

#[test]
fn make_up_days_2026() {
    assert_eq!(
        make_up_days(2026),
        ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    );
}

#[test]
fn year_2027_is_unknown_until_published() {
    let cal = calendar();
    assert_eq!(cal.known_years(), vec![2024, 2025, 2026]);
    assert_eq!(cal.is_working_day(d("2027-01-04")), Err(CalendarError::YearUnknown { year: 2027 }));
    // The start day is not inspected, so starting in an unknown year is fine
    // as long as every counted day lies in a known one…
    assert_eq!(cal.add_working_days(d("2023-12-31"), 1), Ok(d("2024-01-02")));
    // …but a day in an unknown year is never guessed.
    assert_eq!(cal.add_working_days(d("2023-06-01"), 1), Err(CalendarError::YearUnknown { year: 2023 }));
    assert_eq!(cal.add_working_days(d("2026-12-20"), 15), Err(CalendarError::YearUnknown { year: 2027 }));
}

#[test]
fn national_day_2026() {
    let cal = calendar();
    // Wed 2026-09-30 + 1: 10-01..10-07 are off, 10-08 is the first working day.
    assert_eq!(cal.add_working_days(d("2026-09-30"), 1).unwrap(), d("2026-10-08"));
    // 15 working days from Mon 2026-09-28 (acceptance day not counted):
    // 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, make-up), 10-12..16, 10-19..23 → 10-23.
    assert_eq!(cal.add_working_days(d("2026-09-28"), 15).unwrap(), d("2026-10-23"));
}

#[test]
fn spring_festival_2026_and_make_up_saturdays() {
    let cal = calendar();
    // Fri 2026-02-13 + 1 → Sat 02-14 is a make-up working day.
    assert_eq!(cal.add_working_days(d("2026-02-13"), 1).unwrap(), d("2026-02-14"));
    // Sat 02-14 + 1 → 02-15..02-23 off → Tue 02-24.
    assert_eq!(cal.add_working_days(d("2026-02-14"), 1).unwrap(), d("2026-02-24"));
}

#[test]
fn counting_across_new_year_2024_to_2025() {
    let cal = calendar();
    // Tue 2024-12-31 + 1 → 2025-01-01 holiday → Thu 01-02.
    assert_eq!(cal.add_working_days(d("2024-12-31"), 1).unwrap(), d("2025-01-02"));
}
