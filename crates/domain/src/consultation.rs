//! Consultation and deliberation (协商议事), plan §二(二)4: a matter (议题) is
//! raised by residents with co-signers (联名), a grid member or the residents'
//! committee; a meeting (议事会, 恳谈会, 听证会) with invited parties and
//! attendance records minutes and a resolution (协商结果), with the votes of
//! those present where a vote is taken; every resolution becomes follow-up
//! items (落实事项) with an owner and a due date on the working-day calendar,
//! flagged when late, until reported done and published. A dispute (矛盾纠纷)
//! is a matter with parties, whose outcome (调解成功 / 未成功, referred to
//! whom) is recorded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, WorkingDayCalendar};
use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// What a matter is about.
    MatterKind {
        /// 社区公共事务: a question of common interest, deliberated in public.
        Affair = ("affair", "社区公共事务"),
        /// 矛盾纠纷: a dispute between named parties, mediated; never shown to
        /// other residents (the parties are personal data).
        Dispute = ("dispute", "矛盾纠纷"),
    }
}

vocabulary! {
    /// Who raised a matter.
    MatterOrigin {
        /// 居民联名提出: a resident, with co-signers.
        Residents = ("residents", "居民联名提出"),
        /// 网格员提出.
        GridMember = ("grid_member", "网格员提出"),
        /// 居委会提出.
        Committee = ("committee", "居委会提出"),
    }
}

vocabulary! {
    /// Where a matter stands; it moves forward only.
    MatterStatus {
        /// 联名征集中: a residents' matter short of its co-signers.
        Collecting = ("collecting", "联名征集中"),
        /// 待协商: accepted, waiting for its meeting.
        Accepted = ("accepted", "待协商"),
        /// 落实中: a resolution is recorded; its follow-ups are being done.
        Resolved = ("resolved", "落实中"),
        /// 已办结公开: every follow-up is done and published.
        Closed = ("closed", "已办结公开"),
    }
}

vocabulary! {
    /// The form a meeting takes.
    MeetingKind {
        /// 议事会 (协商议事会).
        Council = ("council", "议事会"),
        /// 民情恳谈会.
        Talk = ("talk", "恳谈会"),
        /// 事务听证会.
        Hearing = ("hearing", "听证会"),
        /// 物业联席会议: the community, the property company and the owners'
        /// committee (社区物业党建联建); invites both of the latter.
        Joint = ("joint", "物业联席会议"),
    }
}

vocabulary! {
    /// Where a meeting stands.
    MeetingStatus {
        /// 待召开.
        Planned = ("planned", "待召开"),
        /// 已召开: minutes and resolution recorded.
        Held = ("held", "已召开"),
    }
}

vocabulary! {
    /// Whom a meeting invites, and in what capacity someone attends.
    PartyKind {
        /// 居民代表.
        Representative = ("representative", "居民代表"),
        /// 居民 (on the register).
        Resident = ("resident", "居民"),
        /// 当事人 (of a dispute).
        Party = ("party", "当事人"),
        /// 物业服务企业.
        Property = ("property", "物业服务企业"),
        /// 业主委员会.
        OwnersCommittee = ("owners_committee", "业主委员会"),
        /// 职能部门.
        Department = ("department", "职能部门"),
        /// 其他.
        Other = ("other", "其他"),
    }
}

vocabulary! {
    /// How an attendance came in.
    AttendanceMethod {
        /// 现场平板签到.
        Tablet = ("tablet", "现场平板签到"),
        /// 纸质签到表录入.
        Paper = ("paper", "纸质签到表录入"),
    }
}

vocabulary! {
    /// Where a follow-up item stands.
    FollowUpStatus {
        /// 办理中.
        Open = ("open", "办理中"),
        /// 已办结,待公开.
        Done = ("done", "已办结待公开"),
        /// 已公开.
        Published = ("published", "已公开"),
    }
}

vocabulary! {
    /// How a dispute ended.
    DisputeOutcome {
        /// 调解成功.
        Mediated = ("mediated", "调解成功"),
        /// 调解未成功.
        Failed = ("failed", "调解未成功"),
        /// 已移交 (to the body named in `referred_to`).
        Referred = ("referred", "已移交"),
    }
}

/// Co-signers a residents' matter needs (the raiser included) when the
/// community has set no number of its own.
pub const DEFAULT_COSIGNERS: u32 = 5;
/// The most co-signers a community may require.
pub const MAX_COSIGNERS: u32 = 200;

/// Field `kind`, labelled “议题类型”.
pub const FIELD_KIND: Field = Field::new("kind", "议题类型");
/// Field `title`, labelled “议题名称”.
pub const FIELD_TITLE: Field = Field::new("title", "议题名称");
/// Field `description`, labelled “情况说明”.
pub const FIELD_DESCRIPTION: Field = Field::new("description", "情况说明");
/// Field `parties`, labelled “涉及各方”.
pub const FIELD_PARTIES: Field = Field::new("parties", "涉及各方");
/// Field `cosigners_needed`, labelled “居民联名人数”.
pub const FIELD_COSIGNERS: Field = Field::new("cosigners_needed", "居民联名人数");

/// A matter as typed in the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatterInput {
    /// A [`MatterKind`] code (residents raise affairs only).
    pub kind: String,
    /// 议题名称.
    pub title: String,
    /// 情况说明.
    pub description: String,
    /// 涉及各方, one per line (or separated by “、”, “,”, “;”).
    pub parties: String,
}

/// A matter, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matter {
    /// Affair or dispute.
    pub kind: MatterKind,
    /// 议题名称.
    pub title: String,
    /// 情况说明.
    pub description: String,
    /// 涉及各方, each named once.
    pub parties: Vec<String>,
}

/// Splits a list typed as lines or with Chinese or Latin separators; blanks
/// and repeats dropped, order kept.
pub fn split_list(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(['\n', '、', ',', ',', ';', ';']) {
        let part = part.trim();
        if !part.is_empty() && !out.iter().any(|p| p == part) {
            out.push(part.to_string());
        }
    }
    out
}

impl MatterInput {
    /// Checks the form. A dispute names at least two parties; each party's
    /// name is at most 40 characters, at most 20 parties.
    pub fn parse(&self) -> Result<Matter, Vec<FieldError>> {
        let mut p = Problems::new();
        let kind = p.take(MatterKind::parse(FIELD_KIND, &self.kind));
        let title = p.take(FIELD_TITLE.required_text(&self.title, 60));
        let description = p.take(FIELD_DESCRIPTION.required_text(&self.description, 2000));
        let parties = split_list(&self.parties);
        let parties = p.take(if parties.iter().any(|x| x.chars().count() > 40) {
            Err(FIELD_PARTIES
                .error(FieldErrorKind::InvalidFormat { expected: "每一方的名称不超过 40 个字" }))
        } else if parties.len() > 20 {
            Err(FIELD_PARTIES.error(FieldErrorKind::InvalidFormat { expected: "最多列出 20 方" }))
        } else if kind == Some(MatterKind::Dispute) && parties.len() < 2 {
            Err(FIELD_PARTIES.error(FieldErrorKind::InvalidFormat {
                expected: "矛盾纠纷须列明至少两方当事人,每行一方",
            }))
        } else {
            Ok(parties)
        });
        p.into_result(|| Some(Matter { kind: kind?, title: title?, description: description?, parties: parties? }))
    }
}

/// The co-signers a community requires, as typed by its leader.
pub fn parse_cosigners(raw: &str) -> Result<u32, FieldError> {
    FIELD_COSIGNERS.whole_number(raw, 1, MAX_COSIGNERS.into()).map(|n| n as u32)
}

/// A matter's status once it has `cosigners` of the `needed`: a residents'
/// matter is accepted for deliberation when it reaches the number.
pub fn status_after_cosigning(now: MatterStatus, cosigners: u32, needed: u32) -> MatterStatus {
    if now == MatterStatus::Collecting && cosigners >= needed {
        MatterStatus::Accepted
    } else {
        now
    }
}

/// The status a new matter starts in: a residents' matter collects
/// co-signers (unless the raiser alone is enough); staff's are accepted.
pub fn initial_status(origin: MatterOrigin, needed: u32) -> MatterStatus {
    match origin {
        MatterOrigin::Residents => status_after_cosigning(MatterStatus::Collecting, 1, needed),
        MatterOrigin::GridMember | MatterOrigin::Committee => MatterStatus::Accepted,
    }
}

/// Field `kind`, labelled “会议形式”.
pub const FIELD_MEETING_KIND: Field = Field::new("kind", "会议形式");
/// Field `date`, labelled “会议日期”.
pub const FIELD_DATE: Field = Field::new("date", "会议日期");
/// Field `time`, labelled “开始时间”.
pub const FIELD_TIME: Field = Field::new("time", "开始时间");
/// Field `place`, labelled “会议地点”.
pub const FIELD_PLACE: Field = Field::new("place", "会议地点");
/// Field `invited`, labelled “邀请参加的各方”.
pub const FIELD_INVITED: Field = Field::new("invited", "邀请参加的各方");

/// One invited party as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteeInput {
    /// A [`PartyKind`] code.
    pub kind: String,
    /// Its name (a unit, or a person).
    pub name: String,
}

/// A meeting as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingInput {
    /// A [`MeetingKind`] code.
    pub kind: String,
    /// 会议日期 (Asia/Shanghai).
    pub date: String,
    /// 开始时间, `HH:MM` Beijing time.
    pub time: String,
    /// 会议地点.
    pub place: String,
    /// The parties invited.
    pub invited: Vec<InviteeInput>,
}

/// An invited party, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitee {
    /// In what capacity.
    pub kind: PartyKind,
    /// Its name.
    pub name: String,
}

/// A meeting, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    /// Its form.
    pub kind: MeetingKind,
    /// Its day.
    pub date: NaiveDate,
    /// `HH:MM`, Beijing time.
    pub time: String,
    /// 会议地点.
    pub place: String,
    /// The parties invited (at least one).
    pub invited: Vec<Invitee>,
}

/// `HH:MM` on a 24-hour clock, or `None`.
pub fn clock_time(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (h, m) = raw.split_once(':')?;
    let ok = |s: &str, max: u32| {
        s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    (ok(h, 23) && ok(m, 59)).then(|| raw.to_string())
}

impl MeetingInput {
    /// Checks the form. A meeting may be planned for a past day too (a
    /// meeting held before it was entered), but not more than a year ahead
    /// of `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<Meeting, Vec<FieldError>> {
        let mut p = Problems::new();
        let kind = p.take(MeetingKind::parse(FIELD_MEETING_KIND, &self.kind));
        let date = p.take(parse_date((FIELD_DATE.name, FIELD_DATE.label), Some(&self.date)).and_then(|d| {
            if (d - today).num_days() > 366 {
                Err(FIELD_DATE
                    .error(FieldErrorKind::InvalidFormat { expected: "会议日期不能晚于一年以后" }))
            } else {
                Ok(d)
            }
        }));
        let time = p.take(match self.time.trim() {
            "" => Err(FIELD_TIME.error(FieldErrorKind::Required)),
            t => clock_time(t).ok_or_else(|| {
                FIELD_TIME.error(FieldErrorKind::InvalidFormat { expected: "请按“时:分”填写,例如 19:30" })
            }),
        });
        let place = p.take(FIELD_PLACE.required_text(&self.place, 100));
        let mut invited = Vec::new();
        let mut bad = None;
        for i in &self.invited {
            let name = i.name.trim();
            if name.is_empty() && i.kind.trim().is_empty() {
                continue; // an empty row of the form
            }
            match (PartyKind::parse(FIELD_INVITED, &i.kind), name.chars().count()) {
                (Err(e), _) => bad = bad.or(Some(e)),
                (Ok(_), 0) => {
                    bad = bad.or(Some(
                        FIELD_INVITED.error(FieldErrorKind::InvalidFormat { expected: "每一方都要填写名称" }),
                    ))
                }
                (Ok(_), n) if n > 60 => bad = bad.or(Some(FIELD_INVITED.error(FieldErrorKind::TooLong { max: 60 }))),
                (Ok(kind), _) => {
                    if !invited.iter().any(|x: &Invitee| x.kind == kind && x.name == name) {
                        invited.push(Invitee { kind, name: name.to_string() });
                    }
                }
            }
        }
        let invited = p.take(match bad {
            Some(e) => Err(e),
            None if invited.is_empty() => Err(FIELD_INVITED.error(FieldErrorKind::Required)),
            None if invited.len() > 30 => {
                Err(FIELD_INVITED.error(FieldErrorKind::InvalidFormat { expected: "最多邀请 30 方" }))
            }
            None if kind == Some(MeetingKind::Joint)
                && !(invited.iter().any(|i| i.kind == PartyKind::Property)
                    && invited.iter().any(|i| i.kind == PartyKind::OwnersCommittee)) =>
            {
                Err(FIELD_INVITED.error(FieldErrorKind::InvalidFormat {
                    expected: "物业联席会议须邀请物业服务企业和业主委员会",
                }))
            }
            None => Ok(invited),
        });
        p.into_result(|| Some(Meeting { kind: kind?, date: date?, time: time?, place: place?, invited: invited? }))
    }
}

/// Field `name`, labelled “签到人姓名”.
pub const FIELD_ATTENDEE: Field = Field::new("name", "签到人姓名");
/// Field `capacity`, labelled “参会身份”.
pub const FIELD_CAPACITY: Field = Field::new("capacity", "参会身份");
/// Field `method`, labelled “签到方式”.
pub const FIELD_METHOD: Field = Field::new("method", "签到方式");
/// Field `resident_id`, labelled “居民名册编号”.
pub const FIELD_RESIDENT: Field = Field::new("resident_id", "居民名册编号");

/// One attendance as entered (on the tablet at the door, or from the paper list).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttendanceInput {
    /// 签到人姓名 (for a resident, the register's name is used).
    pub name: String,
    /// A [`PartyKind`] code.
    pub capacity: String,
    /// An [`AttendanceMethod`] code.
    pub method: String,
    /// The register id, for residents and representatives.
    pub resident_id: String,
}

/// An attendance, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendance {
    /// The name (replaced by the register's for a resident).
    pub name: String,
    /// In what capacity.
    pub capacity: PartyKind,
    /// How it came in.
    pub method: AttendanceMethod,
    /// The register entry, for residents and representatives.
    pub resident_id: Option<i64>,
}

impl AttendanceInput {
    /// Checks the entry: a resident or representative is named by the
    /// register id (one attendance each); others by name.
    pub fn parse(&self) -> Result<Attendance, Vec<FieldError>> {
        let mut p = Problems::new();
        let capacity = p.take(PartyKind::parse(FIELD_CAPACITY, &self.capacity));
        let method = p.take(AttendanceMethod::parse(FIELD_METHOD, &self.method));
        let on_register = matches!(capacity, Some(PartyKind::Resident | PartyKind::Representative));
        let resident = if on_register {
            p.take(FIELD_RESIDENT.required_id(&self.resident_id)).map(Some)
        } else {
            p.take(FIELD_RESIDENT.optional_id(&self.resident_id))
        };
        let name = if on_register && self.name.trim().is_empty() {
            Some(String::new())
        } else {
            p.take(FIELD_ATTENDEE.required_text(&self.name, 40))
        };
        p.into_result(|| Some(Attendance { name: name?, capacity: capacity?, method: method?, resident_id: resident? }))
    }
}

/// Field `minutes`, labelled “会议纪要”.
pub const FIELD_MINUTES: Field = Field::new("minutes", "会议纪要");
/// Field `resolution`, labelled “协商结果”.
pub const FIELD_RESOLUTION: Field = Field::new("resolution", "协商结果");
/// Field `votes_for`, labelled “赞成票”.
pub const FIELD_FOR: Field = Field::new("votes_for", "赞成票");
/// Field `votes_against`, labelled “反对票”.
pub const FIELD_AGAINST: Field = Field::new("votes_against", "反对票");
/// Field `votes_abstain`, labelled “弃权票”.
pub const FIELD_ABSTAIN: Field = Field::new("votes_abstain", "弃权票");
/// Field `outcome`, labelled “调解结果”.
pub const FIELD_OUTCOME: Field = Field::new("outcome", "调解结果");
/// Field `referred_to`, labelled “移交单位”.
pub const FIELD_REFERRED_TO: Field = Field::new("referred_to", "移交单位");
/// Field `follow_ups`, labelled “落实事项”.
pub const FIELD_FOLLOW_UPS: Field = Field::new("follow_ups", "落实事项");
/// Field `task`, labelled “落实事项内容”.
pub const FIELD_TASK: Field = Field::new("task", "落实事项内容");
/// Field `owner`, labelled “责任人(单位)”.
pub const FIELD_OWNER: Field = Field::new("owner", "责任人(单位)");
/// Field `working_days`, labelled “办理时限(工作日)”.
pub const FIELD_WORKING_DAYS: Field = Field::new("working_days", "办理时限(工作日)");

/// A follow-up item as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpInput {
    /// 落实事项内容.
    pub task: String,
    /// 责任人(单位).
    pub owner: String,
    /// 办理时限, in working days from the meeting.
    pub working_days: String,
}

/// A follow-up item, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// What is to be done.
    pub task: String,
    /// Who answers for it.
    pub owner: String,
    /// Working days from the meeting's day.
    pub working_days: u32,
}

impl FollowUp {
    /// Its due date: `working_days` working days after the meeting.
    pub fn due(&self, meeting: NaiveDate, calendar: &WorkingDayCalendar) -> Result<NaiveDate, CalendarError> {
        calendar.add_working_days(meeting, self.working_days)
    }
}

/// Whether a follow-up due on `due` is late on `today`: still being done
/// after its day (one reported done waits only for publication).
pub fn follow_up_late(status: FollowUpStatus, due: NaiveDate, today: NaiveDate) -> bool {
    status == FollowUpStatus::Open && today > due
}

/// The votes of those present, where a vote is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    /// 赞成.
    pub for_: u32,
    /// 反对.
    pub against: u32,
    /// 弃权.
    pub abstain: u32,
}

impl Votes {
    /// Whether the resolution carried: more for than half of the votes cast
    /// (abstentions count as cast).
    pub fn carried(&self) -> bool {
        self.for_ * 2 > self.for_ + self.against + self.abstain
    }
}

/// A meeting's record as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingRecordInput {
    /// 会议纪要.
    pub minutes: String,
    /// 协商结果.
    pub resolution: String,
    /// Whether a vote was taken.
    pub voted: bool,
    /// 赞成票.
    pub votes_for: String,
    /// 反对票.
    pub votes_against: String,
    /// 弃权票.
    pub votes_abstain: String,
    /// For a dispute: a [`DisputeOutcome`] code.
    pub outcome: String,
    /// For a referred dispute: to whom.
    pub referred_to: String,
    /// The follow-up items (empty rows ignored).
    pub follow_ups: Vec<FollowUpInput>,
}

/// A meeting's record, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingRecord {
    /// 会议纪要.
    pub minutes: String,
    /// 协商结果.
    pub resolution: String,
    /// The votes, where taken.
    pub votes: Option<Votes>,
    /// A dispute's outcome, and to whom it was referred.
    pub outcome: Option<(DisputeOutcome, Option<String>)>,
    /// 落实事项.
    pub follow_ups: Vec<FollowUp>,
}

impl MeetingRecordInput {
    /// Checks the record of a meeting on a matter of `kind` with `present`
    /// attendances: votes only from those present; a dispute's outcome; at
    /// least one follow-up, except for a dispute that was not settled here.
    pub fn parse(&self, kind: MatterKind, present: u32) -> Result<MeetingRecord, Vec<FieldError>> {
        let mut p = Problems::new();
        let minutes = p.take(FIELD_MINUTES.required_text(&self.minutes, 5000));
        let resolution = p.take(FIELD_RESOLUTION.required_text(&self.resolution, 1000));
        let votes = if self.voted {
            let n = |f: Field, raw: &str| f.whole_number(raw, 0, present.into()).map(|n| n as u32);
            let for_ = p.take(n(FIELD_FOR, &self.votes_for));
            let against = p.take(n(FIELD_AGAINST, &self.votes_against));
            let abstain = p.take(n(FIELD_ABSTAIN, &self.votes_abstain));
            match (for_, against, abstain) {
                (Some(for_), Some(against), Some(abstain)) => {
                    let cast = for_ + against + abstain;
                    if cast == 0 || cast > present {
                        p.push(FIELD_FOR.error(FieldErrorKind::OutOfRange {
                            min: 1,
                            max: present.into(),
                            raw: format!("三项合计 {cast}(签到 {present} 人)"),
                        }));
                        None
                    } else {
                        Some(Some(Votes { for_, against, abstain }))
                    }
                }
                _ => None,
            }
        } else {
            Some(None)
        };
        let outcome = match kind {
            MatterKind::Affair => Some(None),
            MatterKind::Dispute => match p.take(DisputeOutcome::parse(FIELD_OUTCOME, &self.outcome)) {
                Some(DisputeOutcome::Referred) => p
                    .take(FIELD_REFERRED_TO.required_text(&self.referred_to, 60))
                    .map(|to| Some((DisputeOutcome::Referred, Some(to)))),
                Some(o) => Some(Some((o, None))),
                None => None,
            },
        };
        let (mut follow_ups, mut typed) = (Vec::new(), 0);
        for f in &self.follow_ups {
            if f.task.trim().is_empty() && f.owner.trim().is_empty() && f.working_days.trim().is_empty() {
                continue;
            }
            typed += 1;
            let task = p.take(FIELD_TASK.required_text(&f.task, 300));
            let owner = p.take(FIELD_OWNER.required_text(&f.owner, 60));
            let days = p.take(FIELD_WORKING_DAYS.whole_number(&f.working_days, 1, 250).map(|n| n as u32));
            if let (Some(task), Some(owner), Some(working_days)) = (task, owner, days) {
                follow_ups.push(FollowUp { task, owner, working_days });
            }
        }
        // Judged on the chosen outcome, even while its referral is missing.
        let unsettled = kind == MatterKind::Dispute
            && matches!(
                DisputeOutcome::from_code(self.outcome.trim()),
                Some(DisputeOutcome::Failed | DisputeOutcome::Referred)
            );
        if typed == 0 && !unsettled {
            p.push(FIELD_FOLLOW_UPS.error(FieldErrorKind::InvalidFormat {
                expected: "协商结果至少要落实为一项事项,写明责任人和时限",
            }));
        }
        if follow_ups.len() > 20 {
            p.push(FIELD_FOLLOW_UPS.error(FieldErrorKind::InvalidFormat { expected: "一次最多 20 项" }));
        }
        p.into_result(|| {
            Some(MeetingRecord {
                minutes: minutes?,
                resolution: resolution?,
                votes: votes?,
                outcome: outcome?,
                follow_ups,
            })
        })
    }
}

/// Field `note`, labelled “办理情况”.
pub const FIELD_DONE_NOTE: Field = Field::new("note", "办理情况");

/// A follow-up's report of being done.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpDoneInput {
    /// 办理情况, published with the item.
    pub note: String,
}

impl FollowUpDoneInput {
    /// Checks the report.
    pub fn parse(&self) -> Result<String, Vec<FieldError>> {
        FIELD_DONE_NOTE.required_text(&self.note, 500).map_err(|e| vec![e])
    }
}

/// Refusals of consultation moves, each with a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsultationError {
    /// The matter is not in the status the move needs.
    WrongStatus {
        /// The statuses the move needs.
        needs: MatterStatus,
        /// Where it stands.
        now: MatterStatus,
    },
    /// The meeting's record is already made.
    MeetingHeld,
    /// A matter has one planned meeting at a time.
    MeetingPlanned,
    /// The resident has co-signed this matter already.
    AlreadyCosigned,
    /// The account is no resident on this community's register.
    NotOnRegister,
    /// This person is already signed in to the meeting.
    AlreadyAttending,
    /// The follow-up is not in the status the move needs.
    FollowUpWrongStatus {
        /// What the move needs.
        needs: FollowUpStatus,
        /// Where it stands.
        now: FollowUpStatus,
    },
}

impl crate::error::DomainError for ConsultationError {
    fn code(&self) -> &'static str {
        match self {
            ConsultationError::WrongStatus { .. } => "consultation_wrong_status",
            ConsultationError::MeetingHeld => "consultation_meeting_held",
            ConsultationError::MeetingPlanned => "consultation_meeting_planned",
            ConsultationError::AlreadyCosigned => "consultation_already_cosigned",
            ConsultationError::NotOnRegister => "consultation_not_on_register",
            ConsultationError::AlreadyAttending => "consultation_already_attending",
            ConsultationError::FollowUpWrongStatus { .. } => "consultation_follow_up_status",
        }
    }

    fn message(&self) -> String {
        match self {
            ConsultationError::WrongStatus { needs, now } => {
                format!("该议题现在是“{}”,这一操作要在“{}”时进行。", now.label(), needs.label())
            }
            ConsultationError::MeetingHeld => "这次会议已记录结果,不能再改。".into(),
            ConsultationError::MeetingPlanned => "该议题已有一次待召开的会议,请先记录那次会议的结果。".into(),
            ConsultationError::AlreadyCosigned => "您已联名支持过这个议题,每人只能联名一次。".into(),
            ConsultationError::NotOnRegister => "这位居民不在本社区居民名册中。".into(),
            ConsultationError::AlreadyAttending => "此人已签到,不用重复签到。".into(),
            ConsultationError::FollowUpWrongStatus { needs, now } => {
                format!("该落实事项现在是“{}”,这一操作要在“{}”时进行。", now.label(), needs.label())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{HolidaySchedule, ScheduleDay};
    use crate::error::DomainError;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::due::civil_date(s).unwrap()
    }

    fn names(e: &[FieldError]) -> Vec<&str> {
        e.iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_dispute_names_two_parties() {
        let m = MatterInput {
            kind: "dispute".into(),
            title: "楼上漏水纠纷".into(),
            description: "3 栋 502 漏水至 402。".into(),
            parties: "402 户主".into(),
        };
        let e = m.parse().unwrap_err();
        assert_eq!(names(&e), ["parties"]);
        assert!(e[0].message().contains("至少两方"));
        let ok = MatterInput { parties: "402 户主\n502 户主、402 户主".into(), ..m }.parse().unwrap();
        assert_eq!(ok.parties, ["402 户主", "502 户主"]);
        let affair = MatterInput { kind: "affair".into(), parties: String::new(), ..MatterInput::default() };
        assert_eq!(names(&affair.parse().unwrap_err()), ["title", "description"]);
    }

    #[test]
    fn residents_matters_wait_for_their_cosigners() {
        assert_eq!(initial_status(MatterOrigin::Residents, 5), MatterStatus::Collecting);
        assert_eq!(initial_status(MatterOrigin::Residents, 1), MatterStatus::Accepted);
        assert_eq!(initial_status(MatterOrigin::GridMember, 5), MatterStatus::Accepted);
        assert_eq!(status_after_cosigning(MatterStatus::Collecting, 4, 5), MatterStatus::Collecting);
        assert_eq!(status_after_cosigning(MatterStatus::Collecting, 5, 5), MatterStatus::Accepted);
        // Co-signing never moves a matter back or past deliberation.
        assert_eq!(status_after_cosigning(MatterStatus::Resolved, 9, 5), MatterStatus::Resolved);
        assert!(parse_cosigners("0").is_err());
        assert_eq!(parse_cosigners("10"), Ok(10));
        assert!(parse_cosigners("201").unwrap_err().message().contains("居民联名人数"));
    }

    proptest! {
        /// The threshold is reached exactly once: below it the matter
        /// collects, at or above it is accepted, and it never goes back.
        #[test]
        fn the_threshold_decides(needed in 1u32..50, signers in 1u32..100) {
            let mut status = initial_status(MatterOrigin::Residents, needed);
            for n in 2..=signers {
                let next = status_after_cosigning(status, n, needed);
                prop_assert!(next >= status);
                status = next;
            }
            prop_assert_eq!(status == MatterStatus::Accepted, signers >= needed);
        }
    }

    fn meeting() -> MeetingInput {
        MeetingInput {
            kind: "council".into(),
            date: "2026-12-10".into(),
            time: "19:30".into(),
            place: "社区议事厅".into(),
            invited: vec![
                InviteeInput { kind: "property".into(), name: "幸福物业".into() },
                InviteeInput::default(),
                InviteeInput { kind: "property".into(), name: "幸福物业".into() },
            ],
        }
    }

    #[test]
    fn a_meeting_is_checked() {
        let m = meeting().parse(d("2026-12-01")).unwrap();
        assert_eq!(m.invited.len(), 1, "blank rows and repeats dropped");
        let bad = MeetingInput { time: "7:30 pm".into(), invited: vec![], date: "2028-01-01".into(), ..meeting() };
        assert_eq!(names(&bad.parse(d("2026-12-01")).unwrap_err()), ["date", "time", "invited"]);
        assert_eq!(clock_time("09:05").as_deref(), Some("09:05"));
        assert_eq!(clock_time("24:00"), None);
        let nameless =
            MeetingInput { invited: vec![InviteeInput { kind: "department".into(), name: " ".into() }], ..meeting() };
        assert!(nameless.parse(d("2026-12-01")).unwrap_err()[0].message().contains("名称"));
    }

    #[test]
    fn a_joint_meeting_invites_the_company_and_the_owners_committee() {
        let joint = MeetingInput { kind: "joint".into(), ..meeting() };
        let e = joint.parse(d("2026-12-01")).unwrap_err();
        assert_eq!(names(&e), ["invited"]);
        assert!(e[0].message().contains("物业服务企业和业主委员会"), "{}", e[0].message());
        let mut both = joint.clone();
        both.invited.push(InviteeInput { kind: "owners_committee".into(), name: "幸福里业主委员会".into() });
        let m = both.parse(d("2026-12-01")).unwrap();
        assert_eq!((m.kind, m.kind.label()), (MeetingKind::Joint, "物业联席会议"));
        assert_eq!(PartyKind::OwnersCommittee.label(), "业主委员会");
    }

    #[test]
    fn residents_attend_by_their_register_entry() {
        let a = AttendanceInput { capacity: "resident".into(), method: "tablet".into(), ..Default::default() };
        assert_eq!(names(&a.parse().unwrap_err()), ["resident_id"]);
        let ok = AttendanceInput { resident_id: "12".into(), ..a.clone() }.parse().unwrap();
        assert_eq!(ok.resident_id, Some(12));
        let guest = AttendanceInput { capacity: "property".into(), method: "paper".into(), ..Default::default() };
        assert_eq!(names(&guest.parse().unwrap_err()), ["name"]);
    }

    fn record() -> MeetingRecordInput {
        MeetingRecordInput {
            minutes: "与会各方就停车位划线进行了协商。".into(),
            resolution: "同意在 3 栋北侧划设 20 个车位。".into(),
            voted: true,
            votes_for: "7".into(),
            votes_against: "1".into(),
            votes_abstain: "1".into(),
            follow_ups: vec![FollowUpInput {
                task: "划线".into(),
                owner: "幸福物业".into(),
                working_days: "10".into(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn votes_come_only_from_those_present() {
        let r = record().parse(MatterKind::Affair, 9).unwrap();
        assert!(r.votes.unwrap().carried());
        let e = record().parse(MatterKind::Affair, 8).unwrap_err();
        assert_eq!(names(&e), ["votes_for"]);
        assert!(e[0].message().contains("签到 8 人"), "{}", e[0].message());
        let none = MeetingRecordInput {
            votes_for: "0".into(),
            votes_against: "0".into(),
            votes_abstain: "0".into(),
            ..record()
        };
        assert!(none.parse(MatterKind::Affair, 9).is_err());
        assert!(!Votes { for_: 2, against: 1, abstain: 1 }.carried(), "half is not a majority");
    }

    #[test]
    fn every_resolution_becomes_follow_ups() {
        let none = MeetingRecordInput { follow_ups: vec![FollowUpInput::default()], ..record() };
        assert_eq!(names(&none.parse(MatterKind::Affair, 9).unwrap_err()), ["follow_ups"]);
        let half = MeetingRecordInput {
            follow_ups: vec![FollowUpInput { task: "划线".into(), ..Default::default() }],
            ..record()
        };
        assert_eq!(names(&half.parse(MatterKind::Affair, 9).unwrap_err()), ["owner", "working_days"]);
        // A dispute referred elsewhere needs no follow-up here, but names whom.
        let referred = MeetingRecordInput { outcome: "referred".into(), follow_ups: vec![], ..record() };
        assert_eq!(names(&referred.parse(MatterKind::Dispute, 9).unwrap_err()), ["referred_to"]);
        let ok = MeetingRecordInput { referred_to: "街道人民调解委员会".into(), ..referred };
        let r = ok.parse(MatterKind::Dispute, 9).unwrap();
        assert_eq!(r.outcome, Some((DisputeOutcome::Referred, Some("街道人民调解委员会".into()))));
        let mediated = MeetingRecordInput { outcome: "mediated".into(), follow_ups: vec![], ..record() };
        assert_eq!(names(&mediated.parse(MatterKind::Dispute, 9).unwrap_err()), ["follow_ups"]);
    }

    #[test]
    fn follow_ups_fall_due_on_working_days() {
        // 2026-12-31 (Thu) + 3 working days, across New Year's Day 2027
        // (Jan 1–3 off in the demo schedule): Jan 4, 5, 6.
        let day = |date: &str, name: &str| ScheduleDay { name: name.into(), date: d(date), is_off_day: true };
        let cal = WorkingDayCalendar::from_schedules([
            HolidaySchedule { year: 2026, papers: vec![], days: vec![day("2026-10-01", "国庆节")] },
            HolidaySchedule { year: 2027, papers: vec![], days: vec![day("2027-01-01", "元旦")] },
        ]);
        let f = FollowUp { task: "划线".into(), owner: "物业".into(), working_days: 3 };
        let due = f.due(d("2026-12-31"), &cal).unwrap();
        assert_eq!(due, d("2027-01-06"));
        assert!(!follow_up_late(FollowUpStatus::Open, due, due));
        assert!(follow_up_late(FollowUpStatus::Open, due, d("2027-01-07")));
        assert!(!follow_up_late(FollowUpStatus::Done, due, d("2027-01-07")));
        assert!(FollowUp { working_days: 3, ..f }.due(d("2028-06-01"), &cal).is_err(), "unknown year");
    }

    #[test]
    fn refusals_have_codes_and_chinese_text() {
        let e = ConsultationError::WrongStatus { needs: MatterStatus::Accepted, now: MatterStatus::Collecting };
        assert_eq!(e.code(), "consultation_wrong_status");
        assert!(e.message().contains("联名征集中"));
        assert!(ConsultationError::AlreadyCosigned.message().contains("只能联名一次"));
    }
}
