//! A due date across a holiday: 15 working days from Monday 28 September 2026
//! cross the National Day holiday (国庆节, 1–7 October) and count the make-up
//! working Saturday (调休上班, 10 October), on the schedules bundled with the
//! crate. A count reaching 2027, whose schedule is not published, is refused
//! by the strict method and answered provisionally (暂定) by `reckon`.
//!
//! `cargo run -p gongzhi-domain --example due_across_holiday`

use chrono::NaiveDate;
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::statutory::statutory_schedules;
use gongzhi_domain::{DomainError, WorkingDayCalendar};

fn report() -> String {
    let mut calendar = WorkingDayCalendar::from_schedules(bundled_schedules());
    // What the server adds for provisional answers (feature `statutory`).
    calendar.set_statutory(statutory_schedules(2025..=2032));
    let mut out = String::new();

    let from = NaiveDate::from_ymd_opt(2026, 9, 28).expect("a date");
    let due = calendar.due_date(from, 15).expect("2026 is published");
    out += &format!("{from} + 15 个工作日 = {}\n", due.due);
    for day in &due.skipped_holidays {
        out += &format!("  不计:{} {}\n", day.date, day.name);
    }
    for day in &due.make_up_working_days {
        out += &format!("  调休上班,计入:{} {}\n", day.date, day.name);
    }

    let from = NaiveDate::from_ymd_opt(2026, 12, 21).expect("a date");
    let strict = calendar.due_date(from, 15).expect_err("2027 is not published");
    out += &format!("{from} + 15 个工作日:{}\n", strict.message());
    let provisional = calendar.reckon(|c| c.due_date(from, 15)).expect("statutory holidays of 2027 are known");
    out += &format!("暂定:{}({})\n", provisional.value.due, provisional.note().unwrap_or_default());
    out
}

fn main() {
    print!("{}", report());
}

#[test]
fn the_example_counts_across_national_day() {
    let out = report();
    assert!(out.starts_with("2026-09-28 + 15 个工作日 = 2026-10-23\n"), "{out}");
    assert!(out.contains("不计:2026-10-01 国庆节") && out.contains("调休上班,计入:2026-10-10 国庆节"), "{out}");
    assert!(out.contains("暂定:2027-01-12(按法定节假日暂定,待国务院公布 2027 年安排后自动更正)"), "{out}");
}
