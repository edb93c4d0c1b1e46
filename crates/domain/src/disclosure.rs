//! Public disclosure of community affairs (居务公开), plan §二(二)4: a
//! directory (公开目录) per community — item, required content, legal basis,
//! frequency, channel, owner — against which the committee publishes; a
//! periodic item not published within [`DUE_WORKING_DAYS`] working days after
//! its period ends is flagged; residents read every publication and may ask
//! a question or raise an objection (提问 / 异议), answered in public.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, WorkingDayCalendar};
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// How often an item is disclosed.
    Frequency {
        /// 每月.
        Monthly = ("monthly", "每月"),
        /// 每季度.
        Quarterly = ("quarterly", "每季度"),
        /// 每年.
        Yearly = ("yearly", "每年"),
        /// 即时: as soon as the matter arises (not flagged by the calendar).
        AtOnce = ("at_once", "即时公开"),
    }
}

vocabulary! {
    /// Where an item is disclosed.
    DisclosureChannel {
        /// 社区居务公开栏.
        Board = ("board", "社区公开栏"),
        /// 网上公开 (this system's public page).
        Online = ("online", "网上公开"),
    }
}

vocabulary! {
    /// What a resident raises on a publication.
    QuestionKind {
        /// 提问.
        Question = ("question", "提问"),
        /// 异议.
        Objection = ("objection", "异议"),
    }
}

/// Working days after a period ends within which its disclosure is due.
pub const DUE_WORKING_DAYS: u32 = 10;

/// One item of a directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryItem {
    /// 公开事项.
    pub item: String,
    /// 应公开内容.
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// 公开频次.
    pub frequency: Frequency,
    /// 公开渠道 (at least one).
    pub channels: Vec<DisclosureChannel>,
    /// 责任人(部门).
    pub owner: String,
}

/// The directory a community starts from, drawn from common practice of
/// 居务公开 (the items the Organic Law of Urban Residents' Committees and the
/// 2017 opinions on community governance expect to be public). A community
/// adopts it, then adds or retires items.
pub fn default_directory() -> Vec<(&'static str, DirectoryItem)> {
    use DisclosureChannel::{Board, Online};
    use Frequency::*;
    const LAW: &str = "《中华人民共和国城市居民委员会组织法》";
    const OPINION: &str = "《中共中央 国务院关于加强和完善城乡社区治理的意见》";
    let item = |item: &str, content: &str, basis: &str, frequency, owner: &str| DirectoryItem {
        item: item.into(),
        content: content.into(),
        basis: basis.into(),
        frequency,
        channels: vec![Board, Online],
        owner: owner.into(),
    };
    vec![
        ("committee", item("居委会组成人员及分工", "成员姓名、职务、分工和联系电话", LAW, Yearly, "居委会主任")),
        (
            "decisions",
            item("居民会议、居民代表会议决定事项", "会议时间、议题、决定事项及落实情况", LAW, AtOnce, "居委会主任"),
        ),
        (
            "funds",
            item(
                "社区工作经费和服务群众专项经费收支",
                "收入来源、支出项目和金额、结余",
                OPINION,
                Quarterly,
                "社区报账员",
            ),
        ),
        (
            "admitted_work",
            item(
                "准入社区的工作事项及经费",
                "事项名称、交办部门、随事拨付的经费及到账情况",
                OPINION,
                Quarterly,
                "居委会主任",
            ),
        ),
        ("projects", item("民生实事项目进展", "项目名称、资金、进度和验收情况", OPINION, Quarterly, "居委会主任")),
        (
            "assistance",
            item(
                "社会救助和优抚对象",
                "按规定范围公开的低保、特困等对象及标准",
                "《社会救助暂行办法》",
                Monthly,
                "社区民政专干",
            ),
        ),
        (
            "consultation",
            item("协商议事结果及落实情况", "议题、协商结果、落实事项和办理情况", OPINION, AtOnce, "居委会主任"),
        ),
        ("facilities", item("社区公益设施使用和收益", "设施名称、使用安排、收益及用途", OPINION, Yearly, "社区报账员")),
    ]
}

/// A period an item is disclosed for: its key as stored (`2026-11`,
/// `2026-Q3`, `2026`), its label and its last day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// `2026-11`, `2026-Q3` or `2026`.
    pub key: String,
    /// `2026年11月`, `2026年第三季度`, `2026年度`.
    pub label: String,
    /// The period's first day.
    pub start: NaiveDate,
    /// The period's last day.
    pub end: NaiveDate,
}

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

impl Period {
    /// The period of `frequency` holding `day` (`None` for 即时).
    pub fn holding(frequency: Frequency, day: NaiveDate) -> Option<Period> {
        let y = day.year();
        match frequency {
            Frequency::Monthly => Some(Period {
                key: format!("{y}-{:02}", day.month()),
                label: format!("{y}年{}月", day.month()),
                start: NaiveDate::from_ymd_opt(y, day.month(), 1)?,
                end: month_end(y, day.month())?,
            }),
            Frequency::Quarterly => {
                let q = (day.month() - 1) / 3;
                Some(Period {
                    key: format!("{y}-Q{}", q + 1),
                    label: format!("{y}年第{}季度", QUARTERS[q as usize]),
                    start: NaiveDate::from_ymd_opt(y, q * 3 + 1, 1)?,
                    end: month_end(y, q * 3 + 3)?,
                })
            }
            Frequency::Yearly => Some(Period {
                key: y.to_string(),
                label: format!("{y}年度"),
                start: NaiveDate::from_ymd_opt(y, 1, 1)?,
                end: NaiveDate::from_ymd_opt(y, 12, 31)?,
            }),
            Frequency::AtOnce => None,
        }
    }

    /// The period of `frequency` whose key is `key`.
    pub fn parse(frequency: Frequency, key: &str) -> Option<Period> {
        let key = key.trim();
        let year: i32 = key.get(..4)?.parse().ok()?;
        let first = match (frequency, key.get(4..)?) {
            (Frequency::Monthly, m) if m.len() == 3 && m.starts_with('-') => {
                NaiveDate::from_ymd_opt(year, m[1..].parse().ok()?, 1)?
            }
            (Frequency::Quarterly, q) if q.len() == 3 && q.starts_with("-Q") => {
                let q: u32 = q[2..].parse().ok()?;
                NaiveDate::from_ymd_opt(year, q.checked_sub(1)?.checked_mul(3)? + 1, 1)?
            }
            (Frequency::Yearly, "") => NaiveDate::from_ymd_opt(year, 1, 1)?,
            _ => return None,
        };
        Period::holding(frequency, first).filter(|p| p.key == key)
    }

    /// The period just before this one.
    pub fn previous(&self, frequency: Frequency) -> Option<Period> {
        Period::holding(frequency, self.start.pred_opt()?)
    }

    /// The day its disclosure is due: [`DUE_WORKING_DAYS`] working days after it ends.
    pub fn due(&self, calendar: &WorkingDayCalendar) -> Result<NaiveDate, CalendarError> {
        calendar.add_working_days(self.end, DUE_WORKING_DAYS)
    }
}

/// The last period of `frequency` that has ended by `today` and falls on or
/// after `since` (the day the item entered the directory), if any.
pub fn last_closed(frequency: Frequency, today: NaiveDate, since: NaiveDate) -> Option<Period> {
    let p = Period::holding(frequency, today)?.previous(frequency)?;
    (p.end >= since).then_some(p)
}

/// What an item owes on `today`: the last closed period not yet published,
/// with its due date and whether it is overdue. `None` when nothing is owed
/// (即时 items, a new item, or the last period published).
pub fn owed(
    frequency: Frequency,
    since: NaiveDate,
    published: &[String],
    today: NaiveDate,
    calendar: &WorkingDayCalendar,
) -> Result<Option<(Period, NaiveDate, bool)>, CalendarError> {
    let Some(p) = last_closed(frequency, today, since) else { return Ok(None) };
    if published.contains(&p.key) {
        return Ok(None);
    }
    let due = p.due(calendar)?;
    Ok(Some((p, due, today > due)))
}

/// Field `item`, labelled “公开事项”.
pub const FIELD_ITEM: Field = Field::new("item", "公开事项");
/// Field `content`, labelled “应公开内容”.
pub const FIELD_CONTENT: Field = Field::new("content", "应公开内容");
/// Field `basis`, labelled “公开依据”.
pub const FIELD_BASIS: Field = Field::new("basis", "公开依据");
/// Field `frequency`, labelled “公开频次”.
pub const FIELD_FREQUENCY: Field = Field::new("frequency", "公开频次");
/// Field `channels`, labelled “公开渠道”.
pub const FIELD_CHANNELS: Field = Field::new("channels", "公开渠道");
/// Field `owner`, labelled “责任人”.
pub const FIELD_OWNER: Field = Field::new("owner", "责任人");

/// A directory item as typed by the leader.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectoryItemInput {
    /// 公开事项.
    pub item: String,
    /// 应公开内容.
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// A [`Frequency`] code.
    pub frequency: String,
    /// [`DisclosureChannel`] codes.
    pub channels: Vec<String>,
    /// 责任人.
    pub owner: String,
}

impl DirectoryItemInput {
    /// Checks the form.
    pub fn parse(&self) -> Result<DirectoryItem, Vec<FieldError>> {
        let mut p = Problems::new();
        let item = p.take(FIELD_ITEM.required_text(&self.item, 60));
        let content = p.take(FIELD_CONTENT.required_text(&self.content, 300));
        let basis = p.take(FIELD_BASIS.required_text(&self.basis, 200));
        let frequency = p.take(Frequency::parse(FIELD_FREQUENCY, &self.frequency));
        let mut channels = Vec::new();
        for raw in &self.channels {
            match p.take(DisclosureChannel::parse(FIELD_CHANNELS, raw)) {
                Some(c) if !channels.contains(&c) => channels.push(c),
                _ => {}
            }
        }
        if channels.is_empty() && !p.has_field(FIELD_CHANNELS.name) {
            p.push(FIELD_CHANNELS.error(FieldErrorKind::Required));
        }
        let owner = p.take(FIELD_OWNER.required_text(&self.owner, 40));
        p.into_result(|| {
            Some(DirectoryItem {
                item: item?,
                content: content?,
                basis: basis?,
                frequency: frequency?,
                channels: channels.clone(),
                owner: owner?,
            })
        })
    }
}

/// Field `item_id`, labelled “公开事项”: the directory item a publication discloses.
pub const FIELD_ITEM_ID: Field = Field::new("item_id", "公开事项");
/// Field `period`, labelled “公开期间”.
pub const FIELD_PERIOD: Field = Field::new("period", "公开期间");
/// Field `title`, labelled “公开标题”.
pub const FIELD_TITLE: Field = Field::new("title", "公开标题");
/// Field `body`, labelled “公开内容”.
pub const FIELD_BODY: Field = Field::new("body", "公开内容");
/// Field `attachments`, labelled “附件”.
pub const FIELD_ATTACHMENTS: Field = Field::new("attachments", "附件");

/// A publication as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublicationInput {
    /// The directory item it discloses.
    pub item_id: String,
    /// The period's key (`2026-11`, `2026-Q3`, `2026`); empty for 即时 items.
    pub period: String,
    /// 公开标题.
    pub title: String,
    /// 公开内容.
    pub body: String,
    /// 附件: the documents posted with it (one per line: name and number).
    pub attachments: String,
}

/// A publication, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    /// The period, for periodic items.
    pub period: Option<Period>,
    /// 公开标题.
    pub title: String,
    /// 公开内容.
    pub body: String,
    /// 附件.
    pub attachments: Vec<String>,
}

impl PublicationInput {
    /// Checks the form for an item of `frequency`: a periodic item names a
    /// period of its kind that has ended by `today`.
    pub fn parse(&self, frequency: Frequency, today: NaiveDate) -> Result<Publication, Vec<FieldError>> {
        let mut p = Problems::new();
        let period = match frequency {
            Frequency::AtOnce => Some(None),
            f => p.take(match self.period.trim() {
                "" => Err(FIELD_PERIOD.error(FieldErrorKind::Required)),
                key => match Period::parse(f, key) {
                    None => Err(FIELD_PERIOD.error(FieldErrorKind::InvalidFormat {
                        expected: match f {
                            Frequency::Monthly => "按月公开的事项请写“年-月”,例如 2026-11",
                            Frequency::Quarterly => "按季度公开的事项请写“年-Q季度”,例如 2026-Q3",
                            _ => "按年公开的事项请写年份,例如 2026",
                        },
                    })),
                    Some(per) if per.end >= today => Err(FIELD_PERIOD
                        .error(FieldErrorKind::InvalidFormat { expected: "只能公开已经结束的期间" })),
                    Some(per) => Ok(Some(per)),
                },
            }),
        };
        let title = p.take(FIELD_TITLE.required_text(&self.title, 80));
        let body = p.take(FIELD_BODY.required_text(&self.body, 5000));
        let attachments = crate::consultation::split_list(&self.attachments);
        if attachments.len() > 20 || attachments.iter().any(|a| a.chars().count() > 100) {
            p.push(
                FIELD_ATTACHMENTS
                    .error(FieldErrorKind::InvalidFormat { expected: "最多 20 个,每个不超过 100 字" }),
            );
        }
        p.into_result(|| Some(Publication { period: period?, title: title?, body: body?, attachments }))
    }
}

/// Field `kind`, labelled “类型”.
pub const FIELD_QUESTION_KIND: Field = Field::new("kind", "类型");
/// Field `text`, labelled “内容”.
pub const FIELD_TEXT: Field = Field::new("text", "内容");
/// Field `answer`, labelled “答复”.
pub const FIELD_ANSWER: Field = Field::new("answer", "答复");

/// A resident's question or objection as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionInput {
    /// A [`QuestionKind`] code.
    pub kind: String,
    /// 内容.
    pub text: String,
}

impl QuestionInput {
    /// Checks the form.
    pub fn parse(&self) -> Result<(QuestionKind, String), Vec<FieldError>> {
        let mut p = Problems::new();
        let kind = p.take(QuestionKind::parse(FIELD_QUESTION_KIND, &self.kind));
        let text = p.take(FIELD_TEXT.required_text(&self.text, 500));
        p.into_result(|| Some((kind?, text?)))
    }
}

/// The committee's public answer as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerInput {
    /// 答复.
    pub answer: String,
}

impl AnswerInput {
    /// Checks the form.
    pub fn parse(&self) -> Result<String, Vec<FieldError>> {
        FIELD_ANSWER.required_text(&self.answer, 1000).map_err(|e| vec![e])
    }
}

/// Refusals of disclosure moves, each with a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DisclosureError {
    /// The period of this item is published already.
    AlreadyPublished {
        /// The period's label.
        period: String,
    },
    /// The question is answered already.
    AlreadyAnswered,
    /// The community has its directory already.
    DirectoryExists,
    /// The resident has asked [`QUESTIONS_PER_DAY`] questions today.
    TooManyQuestions,
}

/// How many questions or objections one resident may leave in a day: enough
/// for anyone with something to ask, and a bound on a board flooded from one
/// account (the committee answers each in public).
pub const QUESTIONS_PER_DAY: u32 = 5;

/// Whether a resident who asked `asked_today` questions today may ask another.
pub fn may_ask(asked_today: u32) -> Result<(), DisclosureError> {
    if asked_today < QUESTIONS_PER_DAY {
        Ok(())
    } else {
        Err(DisclosureError::TooManyQuestions)
    }
}

impl crate::error::DomainError for DisclosureError {
    fn code(&self) -> &'static str {
        match self {
            DisclosureError::AlreadyPublished { .. } => "disclosure_already_published",
            DisclosureError::AlreadyAnswered => "disclosure_already_answered",
            DisclosureError::DirectoryExists => "disclosure_directory_exists",
            DisclosureError::TooManyQuestions => "disclosure_too_many_questions",
        }
    }

    fn message(&self) -> String {
        match self {
            DisclosureError::AlreadyPublished { period } => {
                format!("这一事项{period}的内容已经公开。公开后不能修改,如需更正请发布“即时公开”的更正说明。")
            }
            DisclosureError::AlreadyAnswered => "这条留言已经答复过了。".into(),
            DisclosureError::DirectoryExists => "本社区已有公开目录,可以在目录中增加事项。".into(),
            DisclosureError::TooManyQuestions => {
                format!("您今天已经留言 {QUESTIONS_PER_DAY} 条,请明天再留言;急事请联系社区居委会或您的网格员。")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resident_asks_up_to_the_daily_number() {
        assert!(may_ask(0).is_ok());
        assert!(may_ask(QUESTIONS_PER_DAY - 1).is_ok());
        let e = may_ask(QUESTIONS_PER_DAY).unwrap_err();
        assert_eq!(crate::error::DomainError::code(&e), "disclosure_too_many_questions");
        assert!(crate::error::DomainError::message(&e).contains("明天"));
    }
    use crate::calendar::{HolidaySchedule, ScheduleDay};
    use crate::error::DomainError;

    fn d(s: &str) -> NaiveDate {
        crate::due::civil_date(s).unwrap()
    }

    fn calendar() -> WorkingDayCalendar {
        let day = |date: &str, name: &str, off| ScheduleDay { name: name.into(), date: d(date), is_off_day: off };
        WorkingDayCalendar::from_schedules([HolidaySchedule {
            year: 2026,
            papers: vec![],
            days: (1..=7)
                .map(|n| day(&format!("2026-10-0{n}"), "国庆节", true))
                .chain([day("2026-10-10", "国庆节", false)])
                .collect(),
        }])
    }

    #[test]
    fn periods_have_keys_labels_and_ends() {
        let q = Period::holding(Frequency::Quarterly, d("2026-08-15")).unwrap();
        assert_eq!((q.key.as_str(), q.label.as_str(), q.end), ("2026-Q3", "2026年第三季度", d("2026-09-30")));
        assert_eq!(Period::parse(Frequency::Quarterly, "2026-Q3"), Some(q.clone()));
        assert_eq!(Period::parse(Frequency::Quarterly, "2026-Q5"), None);
        assert_eq!(Period::parse(Frequency::Monthly, "2026-Q3"), None);
        let m = Period::parse(Frequency::Monthly, "2026-02").unwrap();
        assert_eq!((m.end, m.label.as_str()), (d("2026-02-28"), "2026年2月"));
        assert_eq!(
            Period::holding(Frequency::Monthly, d("2026-01-10")).unwrap().previous(Frequency::Monthly).unwrap().key,
            "2025-12"
        );
        assert_eq!(Period::parse(Frequency::Yearly, "2026").unwrap().end, d("2026-12-31"));
        assert_eq!(Period::holding(Frequency::AtOnce, d("2026-01-10")), None);
    }

    #[test]
    fn a_disclosure_falls_due_ten_working_days_after_its_period_across_holidays() {
        let cal = calendar();
        // Q3 ends Wed 09-30; National Day is off 10-01..07 and Sat 10-10 is
        // worked: 10-08, 09, 10, 12, 13, 14, 15, 16, 19, 20 → due Tue 10-20.
        let (p, due, late) = owed(Frequency::Quarterly, d("2026-01-01"), &[], d("2026-10-20"), &cal).unwrap().unwrap();
        assert_eq!((p.key.as_str(), due, late), ("2026-Q3", d("2026-10-20"), false));
        let (_, _, late) = owed(Frequency::Quarterly, d("2026-01-01"), &[], d("2026-10-21"), &cal).unwrap().unwrap();
        assert!(late);
        // Published: nothing owed. An item newer than the period: nothing owed.
        assert_eq!(owed(Frequency::Quarterly, d("2026-01-01"), &["2026-Q3".into()], d("2026-10-21"), &cal), Ok(None));
        assert_eq!(owed(Frequency::Quarterly, d("2026-10-05"), &[], d("2026-10-21"), &cal), Ok(None));
        assert_eq!(owed(Frequency::AtOnce, d("2026-01-01"), &[], d("2026-10-21"), &cal), Ok(None));
    }

    #[test]
    fn a_publication_names_an_ended_period_of_its_kind() {
        let base = PublicationInput {
            item_id: "1".into(),
            title: "三季度经费收支".into(),
            body: "收入 3 万元".into(),
            ..Default::default()
        };
        let today = d("2026-11-05");
        let e = base.parse(Frequency::Quarterly, today).unwrap_err();
        assert_eq!(e[0].field, "period");
        let e = PublicationInput { period: "2026-11".into(), ..base.clone() }
            .parse(Frequency::Quarterly, today)
            .unwrap_err();
        assert!(e[0].message().contains("2026-Q3"), "{}", e[0].message());
        let e = PublicationInput { period: "2026-Q4".into(), ..base.clone() }
            .parse(Frequency::Quarterly, today)
            .unwrap_err();
        assert!(e[0].message().contains("已经结束"));
        let ok =
            PublicationInput {
                period: "2026-Q3".into(), attachments: "收支明细表\n票据清单".into(), ..base.clone()
            };
        let p = ok.parse(Frequency::Quarterly, today).unwrap();
        assert_eq!((p.period.unwrap().label, p.attachments.len()), ("2026年第三季度".to_string(), 2));
        assert_eq!(base.parse(Frequency::AtOnce, today).unwrap().period, None);
    }

    #[test]
    fn the_default_directory_is_well_formed() {
        let dir = default_directory();
        assert!(dir.len() >= 8);
        for (code, item) in &dir {
            let back = DirectoryItemInput {
                item: item.item.clone(),
                content: item.content.clone(),
                basis: item.basis.clone(),
                frequency: item.frequency.code().into(),
                channels: item.channels.iter().map(|c| c.code().to_string()).collect(),
                owner: item.owner.clone(),
            };
            assert_eq!(back.parse().as_ref(), Ok(item), "{code}");
        }
        let e = DirectoryItemInput::default().parse().unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["item", "content", "basis", "frequency", "channels", "owner"]);
        assert!(DisclosureError::AlreadyPublished { period: "2026年第三季度".into() }.message().contains("不能修改"));
        assert_eq!(QuestionInput { kind: "objection".into(), text: " ".into() }.parse().unwrap_err()[0].field, "text");
    }
}
