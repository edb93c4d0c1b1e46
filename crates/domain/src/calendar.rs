//! Working-day calendar (工作日历).
//!
//! Working days follow the State Council's yearly holiday schedule
//! (国务院办公厅关于节假日安排的通知): statutory holidays are not working days;
//! weekend make-up working days (调休上班) are; otherwise Monday–Friday work.
//!
//! Counting follows the Civil Code (民法典) Art. 201: a period counted in days
//! starts on the day *after* the starting event, so "15 working days from
//! acceptance" means day 1 is the first working day after the acceptance day.
//!
//! A year whose schedule has not been published is **unknown**: any
//! computation that needs to know whether a day of that year is a working day
//! fails with [`CalendarError::YearUnknown`] naming the year. The calendar never
//! silently guesses "weekends only" — a deadline computed that way could be
//! days early or late once the real schedule appears.
//!
//! **Provisional answers (暂定).** What the law fixes in advance — the
//! statutory holidays of 《全国年节及纪念日放假办法》 on their solar and lunar
//! dates, plus weekends — can be given to the calendar as *statutory*
//! schedules ([`WorkingDayCalendar::set_statutory`]; computed by
//! `statutory::statutory_schedule` with the `statutory` feature). They are
//! never used by the plain methods: only [`WorkingDayCalendar::reckon`] uses
//! them, for exactly the unpublished years a computation touches, and names
//! those years in its answer ([`Reckoned::provisional_years`]). A strict
//! computation that succeeds touched no unpublished year, so a provisional
//! answer is flagged whenever, and only when, an unpublished year was needed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// One year's holiday schedule in the format of the holiday-cn data set
/// (`{"year":2026,"papers":[…],"days":[{"name","date","isOffDay"}]}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidaySchedule {
    /// The calendar year the schedule is for.
    pub year: i32,
    /// Addresses of the official notices the schedule was taken from.
    #[serde(default)]
    pub papers: Vec<String>,
    /// Only the days that differ from the plain Monday–Friday rule.
    #[serde(default)]
    pub days: Vec<ScheduleDay>,
}

/// A day whose status the schedule sets: a holiday (`is_off_day`) or a
/// weekend make-up working day (`!is_off_day`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleDay {
    /// The holiday it belongs to, e.g. `国庆节`.
    pub name: String,
    /// The day.
    pub date: NaiveDate,
    #[serde(rename = "isOffDay")]
    /// `true` for a day off (放假), `false` for a make-up working day (上班).
    pub is_off_day: bool,
}

impl HolidaySchedule {
    /// Parses a holiday-cn year file.
    pub fn from_json(json: &str) -> Result<Self, CalendarError> {
        let schedule: HolidaySchedule =
            serde_json::from_str(json).map_err(|e| CalendarError::ScheduleInvalid { detail: e.to_string() })?;
        schedule.check()?;
        Ok(schedule)
    }

    /// A schedule is published when it lists at least one day. The upstream
    /// data set ships an empty placeholder for the next year before the State
    /// Council announces it; such a year stays unknown.
    pub fn is_published(&self) -> bool {
        !self.days.is_empty()
    }

    fn check(&self) -> Result<(), CalendarError> {
        let mut seen = BTreeSet::new();
        for day in &self.days {
            // A schedule may mention a day of the neighbouring year (a make-up
            // day just across New Year), never further away.
            if (day.date.year() - self.year).abs() > 1 {
                return Err(CalendarError::ScheduleInvalid {
                    detail: format!("{} 年的安排中出现了 {} 这一天", self.year, day.date),
                });
            }
            if !seen.insert(day.date) {
                return Err(CalendarError::ScheduleInvalid {
                    detail: format!("{} 在 {} 年的安排中重复出现", day.date, self.year),
                });
            }
        }
        Ok(())
    }
}

/// What kind of day a date is on the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A statutory holiday (法定节假日), including the weekdays taken off.
    Holiday {
        /// The holiday's name, e.g. `国庆节`.
        name: String,
    },
    /// A weekend day worked in exchange for a holiday (调休上班).
    MakeUpWorkday {
        /// The holiday it makes up for.
        name: String,
    },
}

impl DayKind {
    /// Whether the day counts as a working day (工作日).
    pub fn is_working_day(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday { .. })
    }
}

/// Errors of the working-day calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarError {
    /// The computation needs a year whose holiday schedule is not loaded or
    /// not yet published.
    YearUnknown {
        /// The year without a published schedule.
        year: i32,
    },
    /// The date would leave the range the calendar can represent.
    DateOutOfRange,
    /// A schedule file could not be read.
    ScheduleInvalid {
        /// What is wrong, in Chinese.
        detail: String,
    },
}

impl DomainError for CalendarError {
    fn code(&self) -> &'static str {
        match self {
            CalendarError::YearUnknown { .. } => "calendar_year_unknown",
            CalendarError::DateOutOfRange => "calendar_date_out_of_range",
            CalendarError::ScheduleInvalid { .. } => "calendar_schedule_invalid",
        }
    }

    fn message(&self) -> String {
        match self {
            CalendarError::YearUnknown { year } => format!(
                "{year} 年的国务院节假日安排尚未发布或尚未导入,无法按工作日计算。\
                 请系统管理员导入 {year} 年节假日安排后再试。"
            ),
            CalendarError::DateOutOfRange => "日期超出了系统可计算的范围。".to_string(),
            CalendarError::ScheduleInvalid { detail } => {
                format!("节假日安排文件格式不正确:{detail}")
            }
        }
    }
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for CalendarError {}

/// The result of counting working days, with what was skipped on the way —
/// so a person can check the count instead of trusting it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    /// The starting day (起算日), not counted.
    pub from: NaiveDate,
    /// How many working days were counted.
    pub working_days: u32,
    /// The due date (截止日期): the last working day counted.
    pub due: NaiveDate,
    /// Calendar days from `from` (exclusive) to `due` (inclusive).
    pub calendar_days: u32,
    /// Ordinary Saturdays and Sundays passed over.
    pub skipped_weekend_days: u32,
    /// Holidays passed over, in date order.
    pub skipped_holidays: Vec<ScheduleDay>,
    /// Weekend make-up working days that were counted, in date order.
    pub make_up_working_days: Vec<ScheduleDay>,
}

/// A value computed on the calendar, with the unpublished years whose
/// statutory holidays stood in for the State Council's schedule. Empty
/// `provisional_years`: the value is final.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reckoned<T> {
    /// The value computed.
    pub value: T,
    /// The unpublished years computed on their statutory holidays, in order.
    pub provisional_years: Vec<i32>,
}

impl<T> Reckoned<T> {
    /// Whether the value rests on a year without a published schedule.
    pub fn is_provisional(&self) -> bool {
        !self.provisional_years.is_empty()
    }

    /// Applies `f` to the value, keeping the provisional years.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Reckoned<U> {
        Reckoned { value: f(self.value), provisional_years: self.provisional_years }
    }

    /// "按法定节假日暂定,待国务院公布 2027 年安排后自动更正" — `None` when final.
    pub fn note(&self) -> Option<String> {
        provisional_note(&self.provisional_years)
    }
}

/// The note shown beside a provisional date, naming the years concerned.
pub fn provisional_note(years: &[i32]) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let years = years.iter().map(i32::to_string).collect::<Vec<_>>().join("、");
    Some(format!("按法定节假日暂定,待国务院公布 {years} 年安排后自动更正"))
}

/// The years whose schedule should be loaded by now and is not: this year,
/// and from 1 November next year. The administrator's home page and the
/// reviewers' queue remind of them.
pub fn missing_years(calendar: &WorkingDayCalendar, today: NaiveDate) -> Vec<i32> {
    let mut years = vec![today.year()];
    if today.month() >= 11 {
        years.push(today.year() + 1);
    }
    years.retain(|y| !calendar.knows_year(*y));
    years
}

/// The reminder shown while [`missing_years`] is not empty.
pub fn missing_years_reminder(years: &[i32]) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let years = years.iter().map(|y| format!("{y} 年")).collect::<Vec<_>>().join("、");
    Some(format!(
        "{years}节假日安排尚未导入:涉及该年的截止日期暂按法定节假日计算(暂定)。\
         国务院办公厅公布安排后,请系统管理员在“节假日安排”页导入,暂定日期将自动更正。"
    ))
}

/// The working-day calendar built from any number of yearly schedules.
///
/// Cloning is cheap (the schedules are shared); [`reckon`](Self::reckon)
/// clones it to admit provisional years.
#[derive(Clone, Debug, Default)]
pub struct WorkingDayCalendar {
    schedules: Arc<BTreeMap<i32, HolidaySchedule>>,
    /// Every scheduled day of every published year, merged for lookup.
    days: Arc<BTreeMap<NaiveDate, ScheduleDay>>,
    /// Statutory-holiday schedules, one per year, in year order (a few
    /// dozen at most: a `Vec` keeps the browser bundle small).
    statutory: Arc<Vec<HolidaySchedule>>,
    /// Unpublished years this view computes on their statutory schedule, in order.
    admitted: Vec<i32>,
}

impl WorkingDayCalendar {
    /// An empty calendar: every year is unknown.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a calendar from schedules; a later schedule for the same year
    /// replaces an earlier one.
    pub fn from_schedules(schedules: impl IntoIterator<Item = HolidaySchedule>) -> Self {
        let mut calendar = Self::new();
        for schedule in schedules {
            calendar.insert(schedule);
        }
        calendar
    }

    /// Adds or replaces the schedule of `schedule.year`.
    pub fn insert(&mut self, schedule: HolidaySchedule) {
        let mut schedules = (*self.schedules).clone();
        schedules.insert(schedule.year, schedule);
        self.days = Arc::new(
            schedules
                .values()
                .filter(|s| s.is_published())
                .flat_map(|s| s.days.iter().map(|d| (d.date, d.clone())))
                .collect(),
        );
        self.schedules = Arc::new(schedules);
        self.admitted.clear();
    }

    /// Gives the statutory-holiday schedules (one per year) that
    /// [`reckon`](Self::reckon) may use for years without a published one.
    pub fn set_statutory(&mut self, statutory: impl IntoIterator<Item = HolidaySchedule>) {
        // Kept in year order, a later one replacing an earlier of its year
        // (inserted one by one: no sort routine in the browser bundle).
        let mut list: Vec<HolidaySchedule> = Vec::new();
        for s in statutory {
            match list.binary_search_by_key(&s.year, |x| x.year) {
                Ok(i) => list[i] = s,
                Err(i) => list.insert(i, s),
            }
        }
        self.statutory = Arc::new(list);
        self.admitted.clear();
    }

    /// The statutory-holiday schedules given, by year.
    pub fn statutory(&self) -> impl Iterator<Item = &HolidaySchedule> {
        self.statutory.iter()
    }

    /// The statutory-holiday schedule of `year`, if given.
    pub fn statutory_of(&self, year: i32) -> Option<&HolidaySchedule> {
        self.statutory.iter().find(|s| s.year == year)
    }

    /// Years a provisional answer can be given for: with a statutory
    /// schedule and without a published one.
    pub fn provisional_years(&self) -> Vec<i32> {
        self.statutory.iter().map(|s| s.year).filter(|y| !self.knows_year(*y)).collect()
    }

    /// Runs `f` on the calendar; where it needs a year without a published
    /// schedule but with a statutory one, runs it again with that year on
    /// its statutory holidays (weekends off, no make-up days), until it needs
    /// no other year. The answer names every such year, and none other:
    /// `f` must compute on the calendar it is given only.
    pub fn reckon<T>(
        &self,
        f: impl Fn(&WorkingDayCalendar) -> Result<T, CalendarError>,
    ) -> Result<Reckoned<T>, CalendarError> {
        let mut view: Option<WorkingDayCalendar> = None;
        loop {
            let cal = view.as_ref().unwrap_or(self);
            match f(cal) {
                Ok(value) => return Ok(Reckoned { value, provisional_years: cal.admitted.clone() }),
                Err(CalendarError::YearUnknown { year })
                    if self.statutory_of(year).is_some() && !cal.admitted.contains(&year) =>
                {
                    let mut next = cal.clone();
                    let at = next.admitted.partition_point(|y| *y < year);
                    next.admitted.insert(at, year);
                    view = Some(next);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Whether `date` is a working day on the year's published or (when
    /// admitted) statutory schedule; `None` when the year is unknown here.
    fn lookup(&self, date: NaiveDate) -> Option<Option<&ScheduleDay>> {
        let year = date.year();
        if self.knows_year(year) {
            Some(self.days.get(&date))
        } else if self.admitted.contains(&year) {
            let s = self.statutory_of(year)?;
            Some(self.days.get(&date).or_else(|| s.days.iter().find(|d| d.date == date)))
        } else {
            None
        }
    }

    /// Every schedule loaded, published or not, by year.
    pub fn schedules(&self) -> impl Iterator<Item = &HolidaySchedule> {
        self.schedules.values()
    }

    /// Years whose published schedule is loaded: the years the calendar knows.
    pub fn known_years(&self) -> Vec<i32> {
        self.schedules.values().filter(|s| s.is_published()).map(|s| s.year).collect()
    }

    /// Whether working days in `year` can be computed.
    pub fn knows_year(&self, year: i32) -> bool {
        self.schedules.get(&year).is_some_and(HolidaySchedule::is_published)
    }

    /// What kind of day `date` is.
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        let Some(day) = self.lookup(date) else {
            return Err(CalendarError::YearUnknown { year: date.year() });
        };
        Ok(match day {
            Some(d) if d.is_off_day => DayKind::Holiday { name: d.name.clone() },
            Some(d) => DayKind::MakeUpWorkday { name: d.name.clone() },
            None if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) => DayKind::Weekend,
            None => DayKind::Workday,
        })
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        // Hot path of every deadline: avoid cloning holiday names.
        let Some(day) = self.lookup(date) else {
            return Err(CalendarError::YearUnknown { year: date.year() });
        };
        Ok(match day {
            Some(d) => !d.is_off_day,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        })
    }

    /// The date `n` working days after `from`. `from` itself is not counted
    /// (day 1 is the next working day), and `n = 0` gives `from` back.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// The date `n` working days before `from` (`from` itself not counted).
    pub fn subtract_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date.pred_opt().ok_or(CalendarError::DateOutOfRange)?;
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// Like [`add_working_days`](Self::add_working_days), with an account of
    /// the weekends, holidays and make-up days met on the way.
    pub fn due_date(&self, from: NaiveDate, n: u32) -> Result<DueDate, CalendarError> {
        let mut out = DueDate {
            from,
            working_days: n,
            due: from,
            calendar_days: 0,
            skipped_weekend_days: 0,
            skipped_holidays: Vec::new(),
            make_up_working_days: Vec::new(),
        };
        let mut left = n;
        while left > 0 {
            out.due = out.due.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
            out.calendar_days += 1;
            match self.day_kind(out.due)? {
                DayKind::Workday => left -= 1,
                DayKind::MakeUpWorkday { name } => {
                    left -= 1;
                    out.make_up_working_days.push(ScheduleDay { name, date: out.due, is_off_day: false });
                }
                DayKind::Weekend => out.skipped_weekend_days += 1,
                DayKind::Holiday { name } => {
                    out.skipped_holidays.push(ScheduleDay { name, date: out.due, is_off_day: true })
                }
            }
        }
        Ok(out)
    }

    /// The number of working days in `(from, to]`: how many working days
    /// `to` lies after `from` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let mut count = 0;
        let mut date = from;
        while date < to {
            date = date.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
            if self.is_working_day(date)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn calendar_2026() -> WorkingDayCalendar {
        WorkingDayCalendar::from_schedules([HolidaySchedule {
            year: 2026,
            papers: vec![],
            days: vec![
                ScheduleDay { name: "国庆节".into(), date: d("2026-10-01"), is_off_day: true },
                ScheduleDay { name: "国庆节".into(), date: d("2026-10-10"), is_off_day: false },
            ],
        }])
    }

    #[test]
    fn start_day_is_not_counted() {
        let cal = calendar_2026();
        // Monday 2026-06-01 + 1 working day = Tuesday.
        assert_eq!(cal.add_working_days(d("2026-06-01"), 1).unwrap(), d("2026-06-02"));
        // Friday + 1 = next Monday.
        assert_eq!(cal.add_working_days(d("2026-06-05"), 1).unwrap(), d("2026-06-08"));
        assert_eq!(cal.add_working_days(d("2026-06-05"), 0).unwrap(), d("2026-06-05"));
    }

    #[test]
    fn holidays_skip_and_make_up_days_count() {
        let cal = calendar_2026();
        // Wed 09-30 + 1 skips Thu 10-01 (holiday) → Fri 10-02.
        assert_eq!(cal.add_working_days(d("2026-09-30"), 1).unwrap(), d("2026-10-02"));
        // Fri 10-09 + 1 → Sat 10-10, a make-up working day.
        assert_eq!(cal.add_working_days(d("2026-10-09"), 1).unwrap(), d("2026-10-10"));
        assert_eq!(cal.day_kind(d("2026-10-10")).unwrap(), DayKind::MakeUpWorkday { name: "国庆节".into() });
    }

    #[test]
    fn unknown_year_is_an_error_naming_the_year() {
        let cal = calendar_2026();
        let err = cal.add_working_days(d("2026-12-31"), 1).unwrap_err();
        assert_eq!(err, CalendarError::YearUnknown { year: 2027 });
        assert_eq!(err.code(), "calendar_year_unknown");
        assert!(err.message().contains("2027"));
    }

    #[test]
    fn placeholder_schedule_leaves_year_unknown() {
        let json = r#"{"year":2027,"papers":[],"days":[]}"#;
        let mut cal = calendar_2026();
        cal.insert(HolidaySchedule::from_json(json).unwrap());
        assert!(!cal.knows_year(2027));
        assert_eq!(cal.known_years(), vec![2026]);
        assert_eq!(cal.schedules().count(), 2);
    }

    #[test]
    fn malformed_schedules_are_rejected() {
        assert_eq!(HolidaySchedule::from_json("{").unwrap_err().code(), "calendar_schedule_invalid");
        let dup = r#"{"year":2026,"days":[
            {"name":"a","date":"2026-10-01","isOffDay":true},
            {"name":"a","date":"2026-10-01","isOffDay":true}]}"#;
        assert!(HolidaySchedule::from_json(dup).is_err());
        let far = r#"{"year":2026,"days":[{"name":"a","date":"2030-10-01","isOffDay":true}]}"#;
        assert!(HolidaySchedule::from_json(far).is_err());
    }

    #[test]
    fn due_date_accounts_for_skipped_days() {
        let cal = calendar_2026();
        let due = cal.due_date(d("2026-09-30"), 7).unwrap();
        // 10-01 holiday; 10-02 Fri (day 1); 10-03/04 weekend; 10-05..09 (days 2–6); 10-10 make-up (day 7).
        assert_eq!(due.due, d("2026-10-10"));
        assert_eq!(due.calendar_days, 10);
        assert_eq!(due.skipped_weekend_days, 2);
        assert_eq!(due.skipped_holidays.len(), 1);
        assert_eq!(due.make_up_working_days.len(), 1);
        assert_eq!(due.due, cal.add_working_days(d("2026-09-30"), 7).unwrap());
    }

    #[test]
    fn next_year_is_missing_from_november() {
        let cal = calendar_2026();
        assert_eq!(missing_years(&cal, d("2026-10-31")), Vec::<i32>::new());
        assert_eq!(missing_years(&cal, d("2026-11-01")), vec![2027]);
        assert_eq!(missing_years(&cal, d("2027-01-05")), vec![2027]);
        assert!(missing_years_reminder(&[2027]).unwrap().starts_with("2027 年节假日安排尚未导入"));
        assert_eq!(missing_years_reminder(&[]), None);
    }

    #[test]
    fn working_days_between_counts_exclusive_start() {
        let cal = calendar_2026();
        assert_eq!(cal.working_days_between(d("2026-06-05"), d("2026-06-08")).unwrap(), 1);
        assert_eq!(cal.working_days_between(d("2026-06-08"), d("2026-06-05")).unwrap(), 0);
    }
}
