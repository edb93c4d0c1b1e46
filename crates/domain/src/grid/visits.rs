//! Visits to residents of special groups (特殊群体走访): how often each group
//! is visited (configuration) and which visits are due, overdue first.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, Reckoned, WorkingDayCalendar};
use crate::org::SpecialGroup;

/// How often a group is visited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    /// Every N calendar days.
    Days(u32),
    /// Calendar months: 31 January + 1 month is 28 (or 29) February.
    Months(u32),
}

impl Interval {
    /// The day one interval after `date`.
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Interval::Days(n) => date + chrono::Days::new(u64::from(n)),
            Interval::Months(n) => date.checked_add_months(Months::new(n)).unwrap_or(date),
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> String {
        match self {
            Interval::Days(7) => "每周".into(),
            Interval::Days(n) if n % 7 == 0 => format!("每 {} 周", n / 7),
            Interval::Days(n) => format!("每 {n} 天"),
            Interval::Months(1) => "每月".into(),
            Interval::Months(n) => format!("每 {n} 个月"),
        }
    }
}

/// One group's rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRule {
    /// The special group's code, e.g. `elderly_alone`.
    pub group: String,
    /// How often it is visited.
    pub every: Interval,
    /// The rule in words, shown beside the due list.
    pub why: String,
}

/// The visit-frequency rules in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRules(Vec<VisitRule>);

impl VisitRules {
    /// Rules from a list, one per group.
    pub fn new(rules: Vec<VisitRule>) -> Self {
        Self(rules)
    }

    /// The rule for `group`, if it has one.
    pub fn for_group(&self, group: SpecialGroup) -> Option<&VisitRule> {
        self.0.iter().find(|r| r.group == group.code())
    }

    /// Every rule, in order.
    pub fn iter(&self) -> impl Iterator<Item = &VisitRule> {
        self.0.iter()
    }
}

/// How soon a visit falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VisitState {
    /// Past its due date by this many days.
    Overdue {
        /// Days past the due date.
        days: i64,
    },
    /// Due within [`DUE_SOON_DAYS`] days (0 = today).
    DueSoon {
        /// Days until the due date.
        days: i64,
    },
    /// Not yet due.
    NotDue {
        /// Days until the due date.
        days: i64,
    },
}

/// Visits due within this many days are listed as coming up.
pub const DUE_SOON_DAYS: i64 = 3;

impl VisitState {
    /// The state of a visit due on `due`, seen on `today`.
    pub fn of(due: NaiveDate, today: NaiveDate) -> Self {
        let days = (due - today).num_days();
        if days < 0 {
            VisitState::Overdue { days: -days }
        } else if days <= DUE_SOON_DAYS {
            VisitState::DueSoon { days }
        } else {
            VisitState::NotDue { days }
        }
    }

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            VisitState::Overdue { .. } => "overdue",
            VisitState::DueSoon { .. } => "due_soon",
            VisitState::NotDue { .. } => "not_due",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> String {
        match self {
            VisitState::Overdue { days } => format!("逾期 {days} 天"),
            VisitState::DueSoon { days: 0 } => "今天到期".into(),
            VisitState::DueSoon { days } => format!("{days} 天后到期"),
            VisitState::NotDue { days } => format!("{days} 天后到期"),
        }
    }

    /// Sort key: most overdue first, then soonest due.
    fn urgency(self) -> i64 {
        match self {
            VisitState::Overdue { days } => -days,
            VisitState::DueSoon { days } | VisitState::NotDue { days } => days,
        }
    }
}

/// A resident of a special group and when they were last visited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitSubject<K> {
    /// Whose visits these are (the caller's resident key).
    pub key: K,
    /// The special group that sets the frequency.
    pub group: SpecialGroup,
    /// The last visit that counts (上门未遇 does not).
    pub last_visit: Option<NaiveDate>,
    /// When the resident entered the group; the clock starts here until the
    /// first visit.
    pub since: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// A visit owed: whom, by when, and how urgent.
pub struct DueVisit<K> {
    /// The resident's key.
    pub key: K,
    /// The special group.
    pub group: SpecialGroup,
    /// The due day, moved onto a working day.
    pub due: NaiveDate,
    /// Overdue, due soon or not due.
    pub state: VisitState,
    /// Years without a published schedule the due day was moved on (暂定):
    /// on their statutory holidays, or — for a year with none — not moved
    /// off a rest day at all. Empty when final.
    pub provisional_years: Vec<i32>,
}

/// The day a visit falls due. Visits fall due on working days: a due day
/// that is a rest day moves back to the working day before it, so a weekly
/// visit to someone living alone happens before a holiday (节前走访), not a
/// week after it. It never moves back to or before the last visit. A day in
/// a year without a published schedule fails naming it (see
/// [`WorkingDayCalendar::reckon`]).
pub fn due_date(rule: Interval, last: NaiveDate, calendar: &WorkingDayCalendar) -> Result<NaiveDate, CalendarError> {
    let raw = rule.after(last);
    let mut d = raw;
    while d > last && !calendar.is_working_day(d)? {
        d = d.pred_opt().unwrap_or(d);
    }
    Ok(if d > last { d } else { raw })
}

/// [`due_date`], provisional where it reaches a year without a published
/// schedule; for a year with neither schedule, the day the rule gives,
/// unmoved, flagged with that year.
pub fn reckoned_due_date(rule: Interval, last: NaiveDate, calendar: &WorkingDayCalendar) -> Reckoned<NaiveDate> {
    match calendar.reckon(|c| due_date(rule, last, c)) {
        Ok(r) => r,
        Err(CalendarError::YearUnknown { year }) => Reckoned { value: rule.after(last), provisional_years: vec![year] },
        Err(_) => Reckoned { value: rule.after(last), provisional_years: vec![] },
    }
}

/// The visits of `subjects` under `rules`, overdue first, then soonest due.
/// Residents whose group has no rule are left out.
pub fn due_visits<K: Clone + Ord>(
    subjects: &[VisitSubject<K>],
    rules: &VisitRules,
    calendar: &WorkingDayCalendar,
    today: NaiveDate,
) -> Vec<DueVisit<K>> {
    let mut out: Vec<DueVisit<K>> = subjects
        .iter()
        .filter_map(|s| {
            let rule = rules.for_group(s.group)?;
            let due = reckoned_due_date(rule.every, s.last_visit.unwrap_or(s.since), calendar);
            Some(DueVisit {
                key: s.key.clone(),
                group: s.group,
                due: due.value,
                state: VisitState::of(due.value, today),
                provisional_years: due.provisional_years,
            })
        })
        .collect();
    out.sort_by(|a, b| a.state.urgency().cmp(&b.state.urgency()).then_with(|| a.key.cmp(&b.key)));
    out
}

/// A household's colour on the map: the most urgent visit among its residents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdStatus {
    /// A visit is overdue.
    Overdue,
    /// A visit falls due within a few days.
    DueSoon,
    /// Every special-group resident is visited and not yet due again.
    UpToDate,
    /// No resident in a special group, and visited within [`RECENT_VISIT_DAYS`].
    Visited,
    /// No resident in a special group, not visited lately.
    Ordinary,
}

/// An ordinary household visited within this many days shows as visited.
pub const RECENT_VISIT_DAYS: i64 = 30;

impl HouseholdStatus {
    /// The colour from the states of the household's residents' visits.
    pub fn from_states(states: impl IntoIterator<Item = VisitState>) -> Self {
        states
            .into_iter()
            .map(|s| match s {
                VisitState::Overdue { .. } => HouseholdStatus::Overdue,
                VisitState::DueSoon { .. } => HouseholdStatus::DueSoon,
                VisitState::NotDue { .. } => HouseholdStatus::UpToDate,
            })
            .min()
            .unwrap_or(HouseholdStatus::Ordinary)
    }

    /// The colour of a household: its special-group residents' visits, or
    /// for an ordinary household whether it was visited lately.
    pub fn of(states: impl IntoIterator<Item = VisitState>, last_visit: Option<NaiveDate>, today: NaiveDate) -> Self {
        match Self::from_states(states) {
            HouseholdStatus::Ordinary if last_visit.is_some_and(|d| (today - d).num_days() <= RECENT_VISIT_DAYS) => {
                HouseholdStatus::Visited
            }
            s => s,
        }
    }

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            HouseholdStatus::Overdue => "overdue",
            HouseholdStatus::DueSoon => "due_soon",
            HouseholdStatus::UpToDate => "up_to_date",
            HouseholdStatus::Visited => "visited",
            HouseholdStatus::Ordinary => "ordinary",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            HouseholdStatus::Overdue => "走访逾期",
            HouseholdStatus::DueSoon => "近期应访",
            HouseholdStatus::UpToDate => "已按时走访",
            HouseholdStatus::Visited => "近期已走访",
            HouseholdStatus::Ordinary => "一般住户",
        }
    }
}

/// What came of a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcome {
    /// 见到本人
    Met,
    /// 见到家属
    MetFamily,
    /// 上门未遇: recorded, but the visit is still owed.
    NotHome,
}

impl VisitOutcome {
    /// Every value, in display order.
    pub const ALL: [VisitOutcome; 3] = [VisitOutcome::Met, VisitOutcome::MetFamily, VisitOutcome::NotHome];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            VisitOutcome::Met => "met",
            VisitOutcome::MetFamily => "met_family",
            VisitOutcome::NotHome => "not_home",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            VisitOutcome::Met => "见到本人",
            VisitOutcome::MetFamily => "见到家属",
            VisitOutcome::NotHome => "上门未遇",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Whether the visit counts for the frequency rule.
    pub fn counts(self) -> bool {
        !matches!(self, VisitOutcome::NotHome)
    }
}

/// Field `household_id`, labelled “走访户” in forms and messages.
pub const FIELD_HOUSEHOLD: crate::Field = crate::Field::new("household_id", "走访户");
/// Field `outcome`, labelled “走访结果” in forms and messages.
pub const FIELD_OUTCOME: crate::Field = crate::Field::new("outcome", "走访结果");
/// Field `needs`, labelled “发现的需求” in forms and messages.
pub const FIELD_NEEDS: crate::Field = crate::Field::new("needs", "发现的需求");
/// Field `follow_up`, labelled “后续跟进” in forms and messages.
pub const FIELD_FOLLOW_UP: crate::Field = crate::Field::new("follow_up", "后续跟进");
/// Field `visited_at`, labelled “走访时间” in forms and messages.
pub const FIELD_VISITED_AT: crate::Field = crate::Field::new("visited_at", "走访时间");

/// A visit as the tablet sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitInput {
    /// 走访户.
    pub household_id: i64,
    /// The special-group resident the visit was for, if any.
    pub resident_id: Option<i64>,
    /// 走访结果.
    pub outcome: String,
    /// 发现的需求.
    pub needs: String,
    /// 后续跟进.
    pub follow_up: String,
    /// When it happened, RFC 3339 from the device's clock.
    pub visited_at: String,
}

/// A valid visit record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// 走访户.
    pub household_id: i64,
    /// The resident visited, if the visit was for one.
    pub resident_id: Option<i64>,
    /// 走访结果.
    pub outcome: VisitOutcome,
    /// 发现的需求.
    pub needs: Option<String>,
    /// 后续跟进.
    pub follow_up: Option<String>,
    /// 走访时间.
    pub visited_at: chrono::DateTime<chrono::Utc>,
}

impl VisitInput {
    /// Checks the visit form; its time is checked as an event report's (not from the future, not older than 30 days).
    pub fn parse(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Visit, Vec<crate::FieldError>> {
        use crate::error::{FieldErrorKind, Problems};
        let mut p = Problems::new();
        let household = p.take(if self.household_id > 0 {
            Ok(self.household_id)
        } else {
            Err(FIELD_HOUSEHOLD.error(FieldErrorKind::Required))
        });
        let outcome = p.take(match self.outcome.trim() {
            "" => Err(FIELD_OUTCOME.error(FieldErrorKind::NotChosen { how: "" })),
            c => VisitOutcome::from_code(c)
                .ok_or_else(|| FIELD_OUTCOME.error(FieldErrorKind::UnknownOption { raw: c.into() })),
        });
        let optional = |field: crate::Field, raw: &str| match raw.trim() {
            "" => Ok(None),
            t if t.chars().count() > 500 => Err(field.error(FieldErrorKind::TooLong { max: 500 })),
            t => Ok(Some(t.to_string())),
        };
        let needs = p.take(optional(FIELD_NEEDS, &self.needs));
        let follow_up = p.take(optional(FIELD_FOLLOW_UP, &self.follow_up));
        let visited_at = p.take(super::event::parse_recorded_at(FIELD_VISITED_AT, &self.visited_at, now));
        p.into_result(|| {
            Some(Visit {
                household_id: household?,
                resident_id: self.resident_id.filter(|&r| r > 0),
                outcome: outcome?,
                needs: needs?,
                follow_up: follow_up?,
                visited_at: visited_at?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_month_from_the_31st_is_the_end_of_the_next_month() {
        let cal = bundled::calendar();
        // 2026-01-31 + 1 month → 2026-02-28, a Saturday but a make-up working
        // day (调休) after the Spring Festival: it stays.
        assert_eq!(due_date(Interval::Months(1), d("2026-01-31"), &cal), Ok(d("2026-02-28")));
        // 2026-04-30 + 1 month → Saturday 2026-05-30 → Friday 29th.
        assert_eq!(due_date(Interval::Months(1), d("2026-04-30"), &cal), Ok(d("2026-05-29")));
        // 2024 is a leap year: 2024-01-31 → 2024-02-29, a Thursday, a working day.
        assert_eq!(due_date(Interval::Months(1), d("2024-01-31"), &cal), Ok(d("2024-02-29")));
        // Across the year end, into an unpublished year: never a guess.
        assert_eq!(
            due_date(Interval::Months(1), d("2026-12-15"), &cal),
            Err(CalendarError::YearUnknown { year: 2027 })
        );
    }

    #[test]
    fn a_due_day_in_an_unpublished_year_is_provisional() {
        let mut cal = bundled::calendar();
        // Without a rule for 2027: the raw day, flagged.
        let r = reckoned_due_date(Interval::Days(7), d("2026-12-25"), &cal);
        assert_eq!((r.value, r.provisional_years.as_slice()), (d("2027-01-01"), &[2027][..]));
        // On the statutory holidays: 2027-01-01 元旦 → back to Thursday 2026-12-31.
        cal.set_statutory(crate::statutory::statutory_schedules([2027]));
        let r = reckoned_due_date(Interval::Days(7), d("2026-12-25"), &cal);
        assert_eq!((r.value, r.provisional_years.as_slice()), (d("2026-12-31"), &[2027][..]));
        // A published day is final.
        let r = reckoned_due_date(Interval::Days(7), d("2026-11-02"), &cal);
        assert!(!r.is_provisional());
    }

    #[test]
    fn a_due_day_in_a_holiday_moves_to_the_working_day_before_it() {
        let cal = bundled::calendar();
        // Weekly from 2026-09-25 (Fri) → 2026-10-02, in the National Day holiday
        // (10-01..10-07); the last working day before it is 09-30.
        assert_eq!(due_date(Interval::Days(7), d("2026-09-25"), &cal), Ok(d("2026-09-30")));
        // Monthly from 2026-09-01 → 10-01, also the holiday → 09-30.
        assert_eq!(due_date(Interval::Months(1), d("2026-09-01"), &cal), Ok(d("2026-09-30")));
    }

    #[test]
    fn the_due_list_is_overdue_first_then_soonest() {
        let cal = bundled::calendar();
        let rules: VisitRules = crate::grid::config().visit_rules.clone();
        let today = d("2026-11-24");
        let s = |key: u32, group, last: &str| VisitSubject {
            key,
            group,
            last_visit: Some(d(last)),
            since: d("2025-01-01"),
        };
        let subjects = vec![
            s(1, SpecialGroup::LowIncome, "2026-11-20"),
            s(2, SpecialGroup::ElderlyAlone, "2026-11-01"),
            s(3, SpecialGroup::ElderlyAlone, "2026-11-10"),
            s(4, SpecialGroup::ElderlyAlone, "2026-11-18"),
        ];
        let due = due_visits(&subjects, &rules, &cal, today);
        let order: Vec<u32> = due.iter().map(|v| v.key).collect();
        assert_eq!(order, [2, 3, 4, 1]);
        assert_eq!(due[0].state, VisitState::Overdue { days: 18 });
        assert_eq!(due[2].state, VisitState::DueSoon { days: 1 });
        assert_eq!(HouseholdStatus::from_states(due.iter().map(|v| v.state)), HouseholdStatus::Overdue);
        assert_eq!(HouseholdStatus::from_states([]), HouseholdStatus::Ordinary);
        // An ordinary household visited 30 days ago shows as visited; 31, not.
        assert_eq!(HouseholdStatus::of([], Some(d("2026-10-25")), today), HouseholdStatus::Visited);
        assert_eq!(HouseholdStatus::of([], Some(d("2026-10-24")), today), HouseholdStatus::Ordinary);
        // A special-group resident's state wins over a recent visit.
        assert_eq!(HouseholdStatus::of([due[0].state], Some(today), today), HouseholdStatus::Overdue);
    }

    proptest! {
        /// A due day is after the last visit, no later than the raw interval,
        /// and a working day whenever it moved.
        #[test]
        fn due_days_are_after_the_visit_and_on_working_days(offset in 0i64..1400, months in 1u32..4, days in 1u32..30) {
            let mut cal = bundled::calendar();
            cal.set_statutory(crate::statutory::statutory_schedules(2025..=2029));
            let last = d("2024-01-01") + chrono::Duration::days(offset);
            for rule in [Interval::Months(months), Interval::Days(days)] {
                let due = reckoned_due_date(rule, last, &cal);
                prop_assert!(due.value > last);
                prop_assert!(due.value <= rule.after(last));
                if due.value != rule.after(last) {
                    prop_assert!(cal.reckon(|c| c.is_working_day(due.value)).unwrap().value);
                }
                // Flagged exactly when the day lies beyond the published years.
                prop_assert_eq!(due.is_provisional(), !cal.knows_year(rule.after(last).year()) || !cal.knows_year(due.value.year()));
            }
        }
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn a_visit_names_each_bad_field_and_not_home_does_not_count() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00+08:00").unwrap().to_utc();
        let bad = VisitInput { outcome: "chatted".into(), visited_at: "yesterday".into(), ..Default::default() };
        let fields: Vec<_> = bad.parse(now).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["household_id", "outcome", "visited_at"]);
        let old = VisitInput {
            household_id: 1,
            outcome: "met".into(),
            visited_at: "2026-09-01T10:00:00+08:00".into(),
            ..Default::default()
        };
        assert_eq!(
            old.parse(now).unwrap_err()[0].kind,
            crate::FieldErrorKind::DateTooEarly { earliest: "2026-10-25".into() }
        );
        let ok = VisitInput {
            household_id: 1,
            outcome: "not_home".into(),
            visited_at: "2026-11-24T09:00:00+08:00".into(),
            ..Default::default()
        };
        assert!(!ok.parse(now).unwrap().outcome.counts());
    }
}
