//! The event closed loop (事件闭环): a grid member reports something found in
//! the street; the community registers it and dispatches it to the
//! responsible department; the department takes it, handles it and reports
//! back; the community checks the result on the spot and closes it.
//!
//! Each stage has a time limit (hours, or working days on the calendar); the
//! flag turns yellow when a quarter of the time is left and red once it has
//! passed.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, WorkingDayCalendar};
use crate::error::{DomainError, Field, FieldError, FieldErrorKind, Problems};
use crate::org::Role;
use crate::time::{shanghai_date, shanghai_day_start};

use super::boundary::Position;

/// A report within this distance of an open event of the same category is
/// offered as a possible duplicate (疑似重复).
pub const DUPLICATE_RADIUS_M: f64 = 50.0;

/// A category (事件分类) and the department it goes to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCategory {
    /// Stable code, e.g. `employment`.
    pub code: String,
    /// Chinese name, e.g. `就业与社保`.
    pub label: String,
    /// Code of the responsible department (职能部门).
    pub department: String,
    /// Time the department has to handle it, from taking it.
    pub handle_within: StageLimit,
}

/// A stage's time limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageLimit {
    /// Clock hours, day and night (urgent stages).
    Hours(u32),
    /// To the end of the Nth working day after the stage began.
    WorkingDays(u32),
}

impl StageLimit {
    /// When a stage begun at `start` must be done. A limit in working days
    /// that reaches a year without a published schedule fails naming it
    /// (run it under [`WorkingDayCalendar::reckon`] for a provisional answer).
    pub fn deadline(self, start: DateTime<Utc>, calendar: &WorkingDayCalendar) -> Result<DateTime<Utc>, CalendarError> {
        Ok(match self {
            StageLimit::Hours(h) => start + Duration::hours(i64::from(h)),
            StageLimit::WorkingDays(n) => {
                let last = calendar.add_working_days(shanghai_date(start), n)?;
                shanghai_day_start(last + chrono::Days::new(1))
            }
        })
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> String {
        match self {
            StageLimit::Hours(h) => format!("{h} 小时"),
            StageLimit::WorkingDays(n) => format!("{n} 个工作日"),
        }
    }
}

/// Time limits of the stages other than handling (which is per category).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageLimits {
    /// From the grid member's report to registration (登记).
    pub reported: StageLimit,
    /// From registration to dispatch (派遣).
    pub registered: StageLimit,
    /// From dispatch to the department taking it.
    pub dispatched: StageLimit,
    /// From the department's report back to the community's check (核查).
    pub reported_back: StageLimit,
    /// From the check to closing (结案).
    pub checked: StageLimit,
}

/// Where an event stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// 已上报: waits for the community to register it.
    Reported,
    /// 已登记: waits to be dispatched.
    Registered,
    /// 已派遣: waits for the department to take it.
    Dispatched,
    /// 处置中
    Handling,
    /// 已反馈: the department says it is done; waits for the check.
    ReportedBack,
    /// 已核查: checked on the spot; waits to be closed.
    Checked,
    /// 已结案
    Closed,
}

impl EventStatus {
    /// Every value, in display order.
    pub const ALL: [EventStatus; 7] = [
        EventStatus::Reported,
        EventStatus::Registered,
        EventStatus::Dispatched,
        EventStatus::Handling,
        EventStatus::ReportedBack,
        EventStatus::Checked,
        EventStatus::Closed,
    ];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            EventStatus::Reported => "reported",
            EventStatus::Registered => "registered",
            EventStatus::Dispatched => "dispatched",
            EventStatus::Handling => "handling",
            EventStatus::ReportedBack => "reported_back",
            EventStatus::Checked => "checked",
            EventStatus::Closed => "closed",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Reported => "已上报",
            EventStatus::Registered => "已登记",
            EventStatus::Dispatched => "已派遣",
            EventStatus::Handling => "处置中",
            EventStatus::ReportedBack => "已反馈",
            EventStatus::Checked => "已核查",
            EventStatus::Closed => "已结案",
        }
    }

    /// The time limit of this stage; `None` once closed.
    pub fn limit(self, category: &EventCategory, limits: &StageLimits) -> Option<StageLimit> {
        match self {
            EventStatus::Reported => Some(limits.reported),
            EventStatus::Registered => Some(limits.registered),
            EventStatus::Dispatched => Some(limits.dispatched),
            EventStatus::Handling => Some(category.handle_within),
            EventStatus::ReportedBack => Some(limits.reported_back),
            EventStatus::Checked => Some(limits.checked),
            EventStatus::Closed => None,
        }
    }
}

/// What someone does to an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventAction {
    /// 受理登记
    Register,
    /// 作为重复事件归并: closes it, pointing at the original.
    MarkDuplicate,
    /// 派遣 to a department.
    Dispatch,
    /// 签收: the department takes it.
    Accept,
    /// 退回: not this department's; back to the community to dispatch again.
    Return,
    /// 处置反馈
    ReportBack,
    /// 核查通过
    CheckPass,
    /// 核查不通过: back to the department.
    CheckFail,
    /// 结案
    Close,
}

impl EventAction {
    /// Every value, in display order.
    pub const ALL: [EventAction; 9] = [
        EventAction::Register,
        EventAction::MarkDuplicate,
        EventAction::Dispatch,
        EventAction::Accept,
        EventAction::Return,
        EventAction::ReportBack,
        EventAction::CheckPass,
        EventAction::CheckFail,
        EventAction::Close,
    ];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            EventAction::Register => "register",
            EventAction::MarkDuplicate => "mark_duplicate",
            EventAction::Dispatch => "dispatch",
            EventAction::Accept => "accept",
            EventAction::Return => "return",
            EventAction::ReportBack => "report_back",
            EventAction::CheckPass => "check_pass",
            EventAction::CheckFail => "check_fail",
            EventAction::Close => "close",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            EventAction::Register => "受理登记",
            EventAction::MarkDuplicate => "归并为重复事件",
            EventAction::Dispatch => "派遣",
            EventAction::Accept => "签收",
            EventAction::Return => "退回(非本部门职责)",
            EventAction::ReportBack => "处置反馈",
            EventAction::CheckPass => "核查通过",
            EventAction::CheckFail => "核查不通过,退回重办",
            EventAction::Close => "结案",
        }
    }

    /// The step it applies to and where it leads.
    pub fn transition(self) -> (EventStatus, EventStatus) {
        use EventStatus::*;
        match self {
            EventAction::Register => (Reported, Registered),
            EventAction::MarkDuplicate => (Reported, Closed),
            EventAction::Dispatch => (Registered, Dispatched),
            EventAction::Accept => (Dispatched, Handling),
            EventAction::Return => (Dispatched, Registered),
            EventAction::ReportBack => (Handling, ReportedBack),
            EventAction::CheckPass => (ReportedBack, Checked),
            EventAction::CheckFail => (ReportedBack, Handling),
            EventAction::Close => (Checked, Closed),
        }
    }

    /// Community workers run the community's side; the department's
    /// applicant (经办人) its own; only the community's head closes.
    pub fn roles(self) -> &'static [Role] {
        match self {
            EventAction::Register | EventAction::MarkDuplicate | EventAction::Dispatch => {
                &[Role::GridMember, Role::CommunityLeader]
            }
            EventAction::Accept | EventAction::Return | EventAction::ReportBack => &[Role::DepartmentApplicant],
            EventAction::CheckPass | EventAction::CheckFail => &[Role::GridMember, Role::CommunityLeader],
            EventAction::Close => &[Role::CommunityLeader],
        }
    }

    /// Whether the action needs a note (what was done, why it is returned).
    pub fn needs_note(self) -> bool {
        matches!(self, EventAction::Return | EventAction::ReportBack | EventAction::CheckFail)
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Why an action cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventError {
    /// Not the step this action belongs to.
    WrongStatus {
        /// The action attempted.
        action: EventAction,
        /// The event's status.
        status: EventStatus,
    },
    /// The caller's role does not take this action.
    RoleNotAllowed {
        /// The action attempted.
        action: EventAction,
    },
    /// A field of the step's form is wrong.
    Field(FieldError),
}

impl DomainError for EventError {
    fn code(&self) -> &'static str {
        match self {
            EventError::WrongStatus { .. } => "event_wrong_status",
            EventError::RoleNotAllowed { .. } => "event_role_not_allowed",
            EventError::Field(f) => f.code(),
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            EventError::Field(f) => Some(f.field),
            _ => None,
        }
    }

    fn message(&self) -> String {
        match self {
            EventError::WrongStatus { action, status } => {
                format!("事件当前为“{}”,不能{}。请刷新后查看最新状态。", status.label(), action.label())
            }
            EventError::RoleNotAllowed { action } => format!("您的角色不能对事件执行“{}”。", action.label()),
            EventError::Field(f) => f.message(),
        }
    }
}

/// Field `note`, labelled “处理意见” in forms and messages.
pub const FIELD_NOTE: Field = Field::new("note", "处理意见");
/// Field `department_id`, labelled “派遣部门” in forms and messages.
pub const FIELD_DEPARTMENT: Field = Field::new("department_id", "派遣部门");

/// Who acts on an event: their role and, on the department side, their
/// functional department (职能部门).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventActor {
    /// The actor's role.
    pub role: Role,
    /// The actor's own functional department, for department roles.
    pub department_id: Option<i64>,
}

impl EventActor {
    /// Whether the actor works on an event dispatched to `holder` (the
    /// department it is with, if any). Community staff work on every event of
    /// their area (their scope is checked on the record); a department only
    /// on the events dispatched to it, never on another department's.
    pub fn works_on(&self, holder: Option<i64>) -> bool {
        match self.role {
            Role::DepartmentApplicant => self.department_id.is_some() && self.department_id == holder,
            _ => true,
        }
    }
}

/// Checks an action against the event's status, the caller's role and
/// department (`holder` is the department the event is dispatched to), and
/// the note it needs.
pub fn check(
    action: EventAction,
    status: EventStatus,
    actor: EventActor,
    holder: Option<i64>,
    note: &str,
) -> Result<(), EventError> {
    if !action.roles().contains(&actor.role) || !actor.works_on(holder) {
        return Err(EventError::RoleNotAllowed { action });
    }
    if action.transition().0 != status {
        return Err(EventError::WrongStatus { action, status });
    }
    if action.needs_note() {
        FIELD_NOTE.required_text(note, 500).map_err(EventError::Field)?;
    } else if note.trim().chars().count() > 500 {
        return Err(EventError::Field(FIELD_NOTE.error(FieldErrorKind::TooLong { max: 500 })));
    }
    Ok(())
}

/// The actions `actor` may take on an event in `status` held by `holder`.
pub fn allowed_actions(status: EventStatus, actor: EventActor, holder: Option<i64>) -> Vec<EventAction> {
    EventAction::ALL
        .into_iter()
        .filter(|a| a.transition().0 == status && a.roles().contains(&actor.role) && actor.works_on(holder))
        .collect()
}

/// A stage's flag (红黄牌).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageFlag {
    /// More than a quarter of the time is left.
    Green,
    /// A quarter of the time or less is left.
    Yellow,
    /// The limit has passed.
    Red,
}

impl StageFlag {
    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            StageFlag::Green => "green",
            StageFlag::Yellow => "yellow",
            StageFlag::Red => "red",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            StageFlag::Green => "正常",
            StageFlag::Yellow => "黄牌预警",
            StageFlag::Red => "红牌超时",
        }
    }
}

/// The clock of the current stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageClock {
    /// When the stage must be done.
    pub deadline: DateTime<Utc>,
    /// Green, yellow or red.
    pub flag: StageFlag,
    /// Seconds left (negative once overdue).
    pub seconds_left: i64,
}

impl StageClock {
    /// The clock of a stage with `limit` begun at `start`, read at `now`.
    pub fn new(
        limit: StageLimit,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
        calendar: &WorkingDayCalendar,
    ) -> Result<Self, CalendarError> {
        let deadline = limit.deadline(start, calendar)?;
        let total = (deadline - start).num_seconds().max(1);
        let left = (deadline - now).num_seconds();
        let flag = if left < 0 {
            StageFlag::Red
        } else if left * 4 <= total {
            StageFlag::Yellow
        } else {
            StageFlag::Green
        };
        Ok(Self { deadline, flag, seconds_left: left })
    }

    /// "剩余 1 天 3 小时" / "超时 5 小时".
    pub fn label(&self) -> String {
        let s = self.seconds_left.abs();
        let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
        let span = if d > 0 {
            format!("{d} 天 {h} 小时")
        } else if h > 0 {
            format!("{h} 小时 {m} 分")
        } else {
            format!("{m} 分钟")
        };
        if self.seconds_left < 0 {
            format!("超时 {span}")
        } else {
            format!("剩余 {span}")
        }
    }
}

/// Open events of the same category within [`DUPLICATE_RADIUS_M`], nearest
/// first, with their distance in metres.
pub fn possible_duplicates<K: Copy>(
    at: Position,
    category: &str,
    open: impl IntoIterator<Item = (K, String, Position)>,
) -> Vec<(K, f64)> {
    let mut near: Vec<(K, f64)> = open
        .into_iter()
        .filter(|(_, c, _)| c == category)
        .map(|(k, _, p)| (k, at.distance_m(p)))
        .filter(|(_, d)| *d <= DUPLICATE_RADIUS_M)
        .collect();
    near.sort_by(|a, b| a.1.total_cmp(&b.1));
    near
}

/// Field `category`, labelled “事件分类” in forms and messages.
pub const FIELD_CATEGORY: Field = Field::new("category", "事件分类");
/// Field `description`, labelled “事件描述” in forms and messages.
pub const FIELD_DESCRIPTION: Field = Field::new("description", "事件描述");
/// The report's place, as the form shows it (one choice, two numbers on the
/// wire): a missing place is reported on `lon` under this label, never as
/// “经度”, which nobody sees.
pub const FIELD_POSITION: Field = Field::new("lon", "事件位置");

/// Field `reported_at`, labelled “发现时间” in forms and messages.
pub const FIELD_REPORTED_AT: Field = Field::new("reported_at", "发现时间");

/// A report as sent by the tablet (possibly long after it was written, when
/// the network came back).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventReportInput {
    /// 事件分类.
    pub category: String,
    /// 事件描述.
    pub description: String,
    /// Longitude, from GPS or a tap on the map.
    pub lon: Option<f64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// When the grid member wrote it, RFC 3339; the device's clock.
    pub reported_at: String,
}

/// A valid report.
#[derive(Clone, Debug, PartialEq)]
pub struct EventReport {
    /// 事件分类.
    pub category: EventCategory,
    /// 事件描述.
    pub description: String,
    /// Where the event is (WGS-84).
    pub position: Position,
    /// 发现时间.
    pub reported_at: DateTime<Utc>,
}

impl EventReportInput {
    /// Checks the report against the categories of `config`; its time may lie at most 10 minutes after `now` and [`RECORDED_MAX_AGE_DAYS`] before it.
    pub fn parse(&self, config: &super::GridConfig, now: DateTime<Utc>) -> Result<EventReport, Vec<FieldError>> {
        let mut p = Problems::new();
        let category = match self.category.trim() {
            "" => {
                p.push(FIELD_CATEGORY.error(FieldErrorKind::Required));
                None
            }
            c => p.take(
                config
                    .category(c)
                    .cloned()
                    .ok_or_else(|| FIELD_CATEGORY.error(FieldErrorKind::UnknownOption { raw: c.to_string() })),
            ),
        };
        let description = match self.description.trim().chars().count() {
            0 => p.take(Err(FIELD_DESCRIPTION.error(FieldErrorKind::Required))),
            1..4 => p.take(Err(FIELD_DESCRIPTION.error(FieldErrorKind::TooShort { min: 4 }))),
            _ => p.take(FIELD_DESCRIPTION.required_text(&self.description, 500)),
        };
        let position = match (self.lon, self.lat) {
            (Some(lon), Some(lat)) => match Position::new(lon, lat) {
                Ok(pos) => Some(pos),
                Err(errs) => {
                    errs.into_iter().for_each(|e| p.push(e));
                    None
                }
            },
            _ => {
                p.push(FIELD_POSITION.error(FieldErrorKind::NotChosen {
                    how: "点“使用当前位置”,或点“在地图上点选”后在地图上点一下",
                }));
                None
            }
        };
        let reported_at = p.take(parse_recorded_at(FIELD_REPORTED_AT, &self.reported_at, now));
        p.into_result(|| {
            Some(EventReport {
                category: category?,
                description: description?,
                position: position?,
                reported_at: reported_at?,
            })
        })
    }
}

/// Records written offline may arrive days later, but not from the future
/// (beyond a few minutes of clock drift) nor from long ago.
pub const RECORDED_MAX_AGE_DAYS: i64 = 30;
const CLOCK_DRIFT_MINUTES: i64 = 10;

/// A device time stamp for a record made in the street.
pub fn parse_recorded_at(field: Field, raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(field.error(FieldErrorKind::Required));
    }
    let at = DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        field.error(FieldErrorKind::InvalidFormat {
            expected: "应为带时区的时间,例如 2026-11-24T09:30:00+08:00"
        })
    })?;
    if at > now + Duration::minutes(CLOCK_DRIFT_MINUTES) {
        return Err(field.error(FieldErrorKind::DateInFuture { raw: raw.to_string() }));
    }
    let earliest = now - Duration::days(RECORDED_MAX_AGE_DAYS);
    if at < earliest {
        return Err(field.error(FieldErrorKind::DateTooEarly { earliest: shanghai_date(earliest).to_string() }));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled;
    use crate::grid::config;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// The department holding the events in these tests.
    const HOLDER: Option<i64> = Some(7);

    fn actor(role: Role) -> EventActor {
        EventActor { role, department_id: (role == Role::DepartmentApplicant).then_some(7) }
    }

    #[test]
    fn the_whole_loop_runs_in_order_with_the_right_roles() {
        use EventAction::*;
        let path = [
            (Register, Role::GridMember),
            (Dispatch, Role::CommunityLeader),
            (Accept, Role::DepartmentApplicant),
            (ReportBack, Role::DepartmentApplicant),
            (CheckPass, Role::GridMember),
            (Close, Role::CommunityLeader),
        ];
        let mut status = EventStatus::Reported;
        for (action, role) in path {
            check(action, status, actor(role), HOLDER, "已清理完毕").unwrap();
            status = action.transition().1;
        }
        assert_eq!(status, EventStatus::Closed);
        assert!(allowed_actions(EventStatus::Closed, actor(Role::CommunityLeader), HOLDER).is_empty());
    }

    #[test]
    fn wrong_step_role_or_missing_note_is_refused() {
        assert_eq!(
            check(EventAction::Close, EventStatus::Handling, actor(Role::CommunityLeader), HOLDER, "")
                .unwrap_err()
                .code(),
            "event_wrong_status"
        );
        assert_eq!(
            check(EventAction::Accept, EventStatus::Dispatched, actor(Role::GridMember), HOLDER, "")
                .unwrap_err()
                .code(),
            "event_role_not_allowed"
        );
        let e = check(EventAction::ReportBack, EventStatus::Handling, actor(Role::DepartmentApplicant), HOLDER, " ")
            .unwrap_err();
        assert_eq!((e.code(), e.field()), ("field_required", Some("note")));
    }

    #[test]
    fn a_department_works_only_on_the_events_dispatched_to_it() {
        let other = EventActor { role: Role::DepartmentApplicant, department_id: Some(8) };
        let unbound = EventActor { role: Role::DepartmentApplicant, department_id: None };
        for who in [other, unbound] {
            assert_eq!(
                check(EventAction::Accept, EventStatus::Dispatched, who, HOLDER, "").unwrap_err().code(),
                "event_role_not_allowed"
            );
            assert!(allowed_actions(EventStatus::Dispatched, who, HOLDER).is_empty());
            assert!(!who.works_on(None), "an undispatched event belongs to no department");
        }
        assert_eq!(allowed_actions(EventStatus::Dispatched, actor(Role::DepartmentApplicant), HOLDER).len(), 2);
        // Community staff are not bound to the holder.
        assert!(actor(Role::CommunityLeader).works_on(None) && actor(Role::GridMember).works_on(Some(8)));
    }

    #[test]
    fn working_day_limits_skip_the_holiday_and_flags_follow_the_clock() {
        let cal = bundled::calendar();
        // Dispatched Wednesday 2026-09-30 10:00 Shanghai; one working day →
        // the end of Thursday 2026-10-08 (the holiday runs 10-01..10-07).
        let start = at("2026-09-30T10:00:00+08:00");
        let limit = StageLimit::WorkingDays(1);
        assert_eq!(limit.deadline(start, &cal).unwrap(), at("2026-10-09T00:00:00+08:00"));
        let green = StageClock::new(limit, start, at("2026-10-01T10:00:00+08:00"), &cal).unwrap();
        assert_eq!(green.flag, StageFlag::Green);
        let yellow = StageClock::new(limit, start, at("2026-10-08T12:00:00+08:00"), &cal).unwrap();
        assert_eq!(yellow.flag, StageFlag::Yellow);
        assert_eq!(yellow.label(), "剩余 12 小时 0 分");
        let red = StageClock::new(limit, start, at("2026-10-09T05:00:00+08:00"), &cal).unwrap();
        assert_eq!((red.flag, red.label()), (StageFlag::Red, "超时 5 小时 0 分".to_string()));
        assert_eq!(StageLimit::Hours(4).deadline(start, &cal).unwrap(), at("2026-09-30T14:00:00+08:00"));
    }

    #[test]
    fn a_limit_into_an_unpublished_year_is_provisional_never_a_guess() {
        let mut cal = bundled::calendar();
        let start = at("2026-12-30T10:00:00+08:00");
        let limit = StageLimit::WorkingDays(3);
        assert_eq!(limit.deadline(start, &cal), Err(CalendarError::YearUnknown { year: 2027 }));
        cal.set_statutory(crate::statutory::statutory_schedules([2027]));
        let clock = cal.reckon(|c| StageClock::new(limit, start, start, c)).unwrap();
        // 12-31 (day 1), 2027-01-01 元旦 off, 01-02/03 weekend, 01-04, 01-05 (day 3).
        assert_eq!(clock.value.deadline, at("2027-01-06T00:00:00+08:00"));
        assert_eq!(clock.provisional_years, [2027]);
        let hours = cal.reckon(|c| StageClock::new(StageLimit::Hours(4), start, start, c)).unwrap();
        assert!(!hours.is_provisional());
    }

    #[test]
    fn reports_near_an_open_one_of_the_same_category_are_possible_duplicates() {
        let here = Position { lon: 116.0, lat: 39.9 };
        let north = |m: f64| Position { lon: 116.0, lat: 39.9 + m / 111_195.0 };
        let open = vec![
            (1, "environment".to_string(), north(30.0)),
            (2, "environment".to_string(), north(70.0)),
            (3, "safety".to_string(), north(5.0)),
            (4, "environment".to_string(), north(10.0)),
        ];
        let near = possible_duplicates(here, "environment", open);
        assert_eq!(near.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [4, 1]);
        assert!((near[1].1 - 30.0).abs() < 0.5);
    }

    #[test]
    fn a_report_names_each_bad_field() {
        let now = at("2026-11-24T10:00:00+08:00");
        let bad = EventReportInput {
            category: "weather".into(),
            description: "脏".into(),
            lon: None,
            lat: None,
            reported_at: "2026-12-01T00:00:00+08:00".into(),
        };
        let errs = bad.parse(config(), now).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field, e.code())).collect();
        assert_eq!(
            fields,
            [
                ("category", "field_unknown_option"),
                ("description", "field_too_short"),
                ("lon", "field_required"),
                ("reported_at", "field_date_in_future")
            ]
        );
        // The place is named as the form shows it, with what to do.
        assert_eq!(errs[2].message(), "请选择事件位置:点“使用当前位置”,或点“在地图上点选”后在地图上点一下。");
        let good = EventReportInput {
            category: "environment".into(),
            description: "3 栋门口垃圾堆放".into(),
            lon: Some(116.0),
            lat: Some(39.9),
            reported_at: "2026-11-24T09:00:00+08:00".into(),
        };
        let r = good.parse(config(), now).unwrap();
        assert_eq!(r.category.department, "zjj");
    }
}
