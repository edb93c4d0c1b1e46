//! A year's holiday schedule as the system administrator uploads it
//! (holiday-cn format), checked whole before it may take effect.
//!
//! The checks: the text is a holiday-cn year file; every date lies in its
//! year; no date appears twice; every day has a name; at least the statutory
//! holidays of 《全国年节及纪念日放假办法》 for that year are days off; and the
//! year is published (a placeholder without days changes nothing). Every
//! problem is reported, each naming the field or the date, so the page and
//! the API can list them all in Chinese.
//!
//! The statutory holidays are passed in (the server computes them with the
//! `statutory` feature; the browser receives them from the server), so this
//! check runs the same in both places without the lunar-calendar crate.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::calendar::{HolidaySchedule, ScheduleDay};
use crate::error::DomainError;

/// The largest schedule file accepted, in bytes (a real year is about 4 KB).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024;

/// The longest holiday name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 20;

/// One problem with an uploaded schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleProblem {
    /// Larger than [`MAX_UPLOAD_BYTES`].
    TooLarge {
        /// The upload's size.
        bytes: usize,
    },
    /// Not JSON in holiday-cn form.
    NotHolidayCn {
        /// The parser's complaint.
        detail: String,
    },
    /// No statutory schedule can be computed for the year (before the 2024
    /// revision took effect, or beyond the supported range).
    YearNotSupported {
        /// The year the file names.
        year: i32,
    },
    /// `days` is empty: the placeholder of an unpublished year.
    NoDays {
        /// The year the file names.
        year: i32,
    },
    /// `days[index].date` lies outside the year.
    DateOutsideYear {
        /// Position in `days`, from 0.
        index: usize,
        /// The date given.
        date: NaiveDate,
        /// The file's year.
        year: i32,
    },
    /// `days[index].date` appears earlier in the list too.
    DuplicateDate {
        /// Position in `days` of the repeat, from 0.
        index: usize,
        /// The repeated date.
        date: NaiveDate,
    },
    /// `days[index].name` is empty or too long.
    NameInvalid {
        /// Position in `days`, from 0.
        index: usize,
        /// The day whose name is wrong.
        date: NaiveDate,
    },
    /// A statutory holiday is missing or not a day off.
    StatutoryNotOff {
        /// The statutory holiday, e.g. `春节`.
        name: String,
        /// Its date that must be a day off.
        date: NaiveDate,
    },
}

impl DomainError for ScheduleProblem {
    fn code(&self) -> &'static str {
        match self {
            ScheduleProblem::TooLarge { .. } => "schedule_too_large",
            ScheduleProblem::NotHolidayCn { .. } => "schedule_not_holiday_cn",
            ScheduleProblem::YearNotSupported { .. } => "schedule_year_not_supported",
            ScheduleProblem::NoDays { .. } => "schedule_no_days",
            ScheduleProblem::DateOutsideYear { .. } => "schedule_date_outside_year",
            ScheduleProblem::DuplicateDate { .. } => "schedule_duplicate_date",
            ScheduleProblem::NameInvalid { .. } => "schedule_name_invalid",
            ScheduleProblem::StatutoryNotOff { .. } => "schedule_statutory_not_off",
        }
    }

    fn field(&self) -> Option<&'static str> {
        Some(match self {
            ScheduleProblem::TooLarge { .. } | ScheduleProblem::NotHolidayCn { .. } => "file",
            ScheduleProblem::YearNotSupported { .. } => "year",
            ScheduleProblem::NoDays { .. } | ScheduleProblem::StatutoryNotOff { .. } => "days",
            ScheduleProblem::DateOutsideYear { .. } | ScheduleProblem::DuplicateDate { .. } => "date",
            ScheduleProblem::NameInvalid { .. } => "name",
        })
    }

    fn message(&self) -> String {
        match self {
            ScheduleProblem::TooLarge { bytes } => {
                format!("文件过大({} KB):节假日安排文件不超过 {} KB。", bytes.div_ceil(1024), MAX_UPLOAD_BYTES / 1024)
            }
            ScheduleProblem::NotHolidayCn { detail } => {
                format!("文件不是 holiday-cn 格式的节假日安排(需含 year 和 days):{detail}")
            }
            ScheduleProblem::YearNotSupported { year } => format!(
                "年份(year){year} 不能导入:只能导入 2025 年(《全国年节及纪念日放假办法》2024 年修订施行)及以后的安排。"
            ),
            ScheduleProblem::NoDays { year } => {
                format!("{year} 年的安排没有列出任何日期(days 为空):这是尚未公布年份的占位文件,不能导入。")
            }
            ScheduleProblem::DateOutsideYear { index, date, year } => {
                format!("第 {} 项日期(date){date} 不在 {year} 年内。", index + 1)
            }
            ScheduleProblem::DuplicateDate { index, date } => {
                format!("第 {} 项日期(date){date} 重复出现。", index + 1)
            }
            ScheduleProblem::NameInvalid { index, date } => {
                format!("第 {} 项({date})的节日名称(name)为空或超过 {MAX_NAME_CHARS} 个字。", index + 1)
            }
            ScheduleProblem::StatutoryNotOff { name, date } => format!(
                "法定节假日{name}({date})未列为放假日(isOffDay 应为 true):\
                 《全国年节及纪念日放假办法》规定该日全体公民放假。"
            ),
        }
    }
}

impl std::fmt::Display for ScheduleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// The year an upload names, if it can be read at all (to pick the
/// statutory schedule to check it against).
pub fn upload_year(text: &str) -> Option<i32> {
    #[derive(Deserialize)]
    struct Year {
        year: i32,
    }
    serde_json::from_str::<Year>(text).ok().map(|y| y.year)
}

/// Checks an uploaded schedule against the statutory holidays of its year
/// (`None`: none known for that year). Returns the schedule, or every problem.
pub fn check_upload(text: &str, statutory: Option<&HolidaySchedule>) -> Result<HolidaySchedule, Vec<ScheduleProblem>> {
    if text.len() > MAX_UPLOAD_BYTES {
        return Err(vec![ScheduleProblem::TooLarge { bytes: text.len() }]);
    }
    let schedule: HolidaySchedule = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| vec![ScheduleProblem::NotHolidayCn { detail: e.to_string() }])?;
    let year = schedule.year;
    let mut problems = Vec::new();
    let Some(statutory) = statutory.filter(|s| s.year == year) else {
        return Err(vec![ScheduleProblem::YearNotSupported { year }]);
    };
    if schedule.days.is_empty() {
        return Err(vec![ScheduleProblem::NoDays { year }]);
    }
    let mut seen = BTreeSet::new();
    for (index, day) in schedule.days.iter().enumerate() {
        if day.date.year() != year {
            problems.push(ScheduleProblem::DateOutsideYear { index, date: day.date, year });
        }
        if !seen.insert(day.date) {
            problems.push(ScheduleProblem::DuplicateDate { index, date: day.date });
        }
        let name = day.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            problems.push(ScheduleProblem::NameInvalid { index, date: day.date });
        }
    }
    for ScheduleDay { name, date, .. } in &statutory.days {
        if !schedule.days.iter().any(|d| d.date == *date && d.is_off_day) {
            problems.push(ScheduleProblem::StatutoryNotOff { name: name.clone(), date: *date });
        }
    }
    if problems.is_empty() {
        Ok(schedule)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn statutory() -> HolidaySchedule {
        HolidaySchedule {
            year: 2026,
            papers: vec![],
            days: vec![
                ScheduleDay { name: "元旦".into(), date: d("2026-01-01"), is_off_day: true },
                ScheduleDay { name: "国庆节".into(), date: d("2026-10-01"), is_off_day: true },
            ],
        }
    }

    #[test]
    fn the_bundled_2026_file_passes() {
        let text = include_str!("../holiday-cn/2026.json");
        let s = check_upload(text, Some(&statutory())).unwrap();
        assert_eq!(s.year, 2026);
    }

    #[test]
    fn every_problem_is_named() {
        let text = r#"{"year":2026,"days":[
            {"name":"元旦","date":"2026-01-01","isOffDay":false},
            {"name":"","date":"2027-01-02","isOffDay":true},
            {"name":"x","date":"2027-01-02","isOffDay":true}]}"#;
        let problems = check_upload(text, Some(&statutory())).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|p| p.code()).collect();
        assert_eq!(
            codes,
            [
                "schedule_date_outside_year",
                "schedule_name_invalid",
                "schedule_date_outside_year",
                "schedule_duplicate_date",
                "schedule_statutory_not_off",
                "schedule_statutory_not_off"
            ]
        );
        assert!(problems[3].message().contains("第 3 项日期(date)2027-01-02 重复"));
        assert!(problems[4].message().contains("元旦(2026-01-01)"));
    }

    #[test]
    fn placeholders_junk_and_big_files_are_refused() {
        let p = check_upload(r#"{"year":2026,"days":[]}"#, Some(&statutory())).unwrap_err();
        assert_eq!(p[0].code(), "schedule_no_days");
        assert_eq!(check_upload("{", Some(&statutory())).unwrap_err()[0].code(), "schedule_not_holiday_cn");
        assert_eq!(
            check_upload(r#"{"year":2020,"days":[]}"#, None).unwrap_err()[0].code(),
            "schedule_year_not_supported"
        );
        let big = " ".repeat(MAX_UPLOAD_BYTES + 1);
        assert_eq!(check_upload(&big, None).unwrap_err()[0].code(), "schedule_too_large");
        assert_eq!(upload_year(r#"{"year":2027,"days":[]}"#), Some(2027));
    }
}
