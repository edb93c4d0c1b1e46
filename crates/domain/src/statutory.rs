//! The statutory holidays a year is sure to have before the State Council
//! publishes its schedule (feature `statutory`).
//!
//! 《全国年节及纪念日放假办法》(revised 2024, in force 1 January 2025),
//! Art. 2 — holidays for all citizens: 元旦 1 January; 春节 除夕 to 正月初三
//! (4 days); 清明节 the day of the solar term 清明; 劳动节 1–2 May; 端午节
//! 五月初五; 中秋节 八月十五; 国庆节 1–3 October. Thirteen days in all.
//!
//! What the law leaves to the yearly notice is **not** assumed: the make-up
//! working days (调休) and which working day replaces a holiday that falls on
//! a weekend (Art. 6's 补假). A date computed on this is therefore provisional
//! (暂定) and must be flagged as such — see
//! [`WorkingDayCalendar::reckon`](crate::WorkingDayCalendar::reckon).
//!
//! Lunar dates and the solar term come from `tyme4rs` (MIT), not from local
//! astronomy. The crate is heavy for the browser (it pulls in `regex`), so it
//! sits behind this feature: the server enables it and sends the browser the
//! schedules it computed.

use chrono::NaiveDate;
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

use crate::calendar::{HolidaySchedule, ScheduleDay};

/// The first year under the 2024 revision.
pub const FIRST_YEAR: i32 = 2025;
/// The last year computed (well within tyme4rs's range).
pub const LAST_YEAR: i32 = 2099;

/// Where the rule comes from, recorded as the schedule's `papers`.
pub const SOURCE: &str = "《全国年节及纪念日放假办法》(2024 年修订,2025 年 1 月 1 日起施行)第二条";

fn naive(day: &SolarDay) -> NaiveDate {
    let month = day.get_solar_month();
    NaiveDate::from_ymd_opt(month.get_year() as i32, day.get_month() as u32, day.get_day() as u32)
        .expect("tyme4rs gives real dates")
}

fn lunar(year: i32, month: isize, day: usize) -> NaiveDate {
    naive(&LunarDay::from_ymd(year as isize, month, day).get_solar_day())
}

/// The statutory holidays of `year` as a holiday-cn schedule (days off only,
/// in date order); `None` outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn statutory_schedule(year: i32) -> Option<HolidaySchedule> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return None;
    }
    let solar = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).expect("fixed dates exist");
    let new_year = lunar(year, 1, 1);
    let mut days: Vec<(&str, NaiveDate)> = vec![
        ("元旦", solar(1, 1)),
        ("春节", new_year.pred_opt()?),
        ("春节", new_year),
        ("春节", new_year.succ_opt()?),
        ("春节", new_year.succ_opt()?.succ_opt()?),
        ("清明节", naive(&SolarTerm::from_name(year as isize, "清明").get_solar_day())),
        ("劳动节", solar(5, 1)),
        ("劳动节", solar(5, 2)),
        ("端午节", lunar(year, 5, 5)),
        ("中秋节", lunar(year, 8, 15)),
        ("国庆节", solar(10, 1)),
        ("国庆节", solar(10, 2)),
        ("国庆节", solar(10, 3)),
    ];
    days.sort_by_key(|(_, d)| *d);
    Some(HolidaySchedule {
        year,
        papers: vec![SOURCE.to_string()],
        days: days.into_iter().map(|(name, date)| ScheduleDay { name: name.into(), date, is_off_day: true }).collect(),
    })
}

/// The statutory schedules of `years` (those in range).
pub fn statutory_schedules(years: impl IntoIterator<Item = i32>) -> Vec<HolidaySchedule> {
    years.into_iter().filter_map(statutory_schedule).collect()
}

/// Years after today's that a calendar in force carries statutory schedules
/// for: a count of 1,000 working days spans about four years.
pub const YEARS_AHEAD: i32 = 6;

/// The statutory schedules a calendar in force carries on `today`: from
/// [`FIRST_YEAR`] to six years after today's ([`YEARS_AHEAD`]). The
/// `gongzhi` command line builds its calendar with these; the server's
/// `holidays::load` computes the same range.
pub fn schedules_in_force(today: NaiveDate) -> Vec<HolidaySchedule> {
    use chrono::Datelike;
    statutory_schedules(FIRST_YEAR..=today.year() + YEARS_AHEAD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_calendar_in_force_reaches_six_years_ahead() {
        let years: Vec<i32> = schedules_in_force(d("2026-11-24")).iter().map(|s| s.year).collect();
        assert_eq!(years, (2025..=2032).collect::<Vec<_>>());
    }

    #[test]
    fn thirteen_days_on_their_dates() {
        let s = statutory_schedule(2027).unwrap();
        assert_eq!(s.days.len(), 13);
        let on = |name: &str| s.days.iter().filter(|x| x.name == name).map(|x| x.date).collect::<Vec<_>>();
        // 2027: 春节 is 6 February (除夕 5 February), 清明 5 April, 端午 9 June, 中秋 15 September.
        assert_eq!(on("春节"), [d("2027-02-05"), d("2027-02-06"), d("2027-02-07"), d("2027-02-08")]);
        assert_eq!(on("清明节"), [d("2027-04-05")]);
        assert_eq!(on("端午节"), [d("2027-06-09")]);
        assert_eq!(on("中秋节"), [d("2027-09-15")]);
        assert_eq!(on("国庆节").len(), 3);
        assert!(statutory_schedule(2024).is_none());
    }
}
