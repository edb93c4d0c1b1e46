//! The small forms of the review: return for completion, consultation,
//! opinions, solicitation, the leading group's decision, the guides named
//! after approval and the training held. Each is parsed here, once, for the
//! reviewer's screen and for the API.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::pii::PhoneNumber;

/// Field `reason`, labelled “需补正的内容” in forms and messages.
pub const FIELD_RETURN_REASON: Field = Field::new("reason", "需补正的内容");
/// Field `reason`, labelled “撤回理由” in forms and messages.
pub const FIELD_WITHDRAW_REASON: Field = Field::new("reason", "撤回理由");
/// Field `departments`, labelled “商请部门” in forms and messages.
pub const FIELD_DEPARTMENTS: Field = Field::new("departments", "商请部门");
/// Field `department`, labelled “提出意见的部门” in forms and messages.
pub const FIELD_OPINION_DEPARTMENT: Field = Field::new("department", "提出意见的部门");
/// Field `stance`, labelled “意见类型” in forms and messages.
pub const FIELD_STANCE: Field = Field::new("stance", "意见类型");
/// Field `text`, labelled “意见内容” in forms and messages.
pub const FIELD_OPINION_TEXT: Field = Field::new("text", "意见内容");
/// Field `scope`, labelled “征求意见范围” in forms and messages.
pub const FIELD_SOLICIT_SCOPE: Field = Field::new("scope", "征求意见范围");
/// Field `source`, labelled “意见来源” in forms and messages.
pub const FIELD_SOLICITED_SOURCE: Field = Field::new("source", "意见来源");
/// Field `meeting`, labelled “审定会议” in forms and messages.
pub const FIELD_MEETING: Field = Field::new("meeting", "审定会议");
/// Field `decided_on`, labelled “审定日期” in forms and messages.
pub const FIELD_DECIDED_ON: Field = Field::new("decided_on", "审定日期");
/// Field `note`, labelled “审定意见” in forms and messages.
pub const FIELD_DECISION_NOTE: Field = Field::new("note", "审定意见");
/// Field `name`, labelled “指导培训人员姓名” in forms and messages.
pub const FIELD_GUIDE_NAME: Field = Field::new("name", "指导培训人员姓名");
/// Field `phone`, labelled “指导培训人员联系电话” in forms and messages.
pub const FIELD_GUIDE_PHONE: Field = Field::new("phone", "指导培训人员联系电话");
/// Field `community`, labelled “培训社区” in forms and messages.
pub const FIELD_TRAINING_COMMUNITY: Field = Field::new("community", "培训社区");
/// Field `held_on`, labelled “培训日期” in forms and messages.
pub const FIELD_TRAINING_DATE: Field = Field::new("held_on", "培训日期");
/// Field `trainer`, labelled “授课人” in forms and messages.
pub const FIELD_TRAINING_TRAINER: Field = Field::new("trainer", "授课人");
/// Field `attendees`, labelled “参训社区工作者人数” in forms and messages.
pub const FIELD_TRAINING_ATTENDEES: Field = Field::new("attendees", "参训社区工作者人数");
/// Field `topic`, labelled “培训内容” in forms and messages.
pub const FIELD_TRAINING_TOPIC: Field = Field::new("topic", "培训内容");

/// A consulted department's opinion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// 同意
    Agree,
    /// 原则同意,建议修改
    AgreeWithChanges,
    /// 不同意
    Disagree,
}

impl Stance {
    /// Every value, in display order.
    pub const ALL: [Stance; 3] = [Stance::Agree, Stance::AgreeWithChanges, Stance::Disagree];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            Stance::Agree => "agree",
            Stance::AgreeWithChanges => "agree_with_changes",
            Stance::Disagree => "disagree",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Stance::Agree => "同意",
            Stance::AgreeWithChanges => "原则同意,建议修改",
            Stance::Disagree => "不同意",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A list of codes chosen from options: at least one, each known, no repeats.
pub fn parse_codes(field: Field, raw: &[String], known: &dyn Fn(&str) -> bool) -> Result<Vec<String>, FieldError> {
    let codes: Vec<String> = raw.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
    if codes.is_empty() {
        return Err(field.error(FieldErrorKind::Required));
    }
    for (i, code) in codes.iter().enumerate() {
        if !known(code) {
            return Err(field.error(FieldErrorKind::UnknownOption { raw: code.clone() }));
        }
        if codes[..i].contains(code) {
            return Err(field.error(FieldErrorKind::Duplicate { raw: code.clone() }));
        }
    }
    Ok(codes)
}

/// An opinion as typed. `department` is empty when a consulted department
/// records its own (the server knows which); a reviewer entering an opinion
/// received by letter names it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpinionInput {
    /// 提出意见的部门.
    pub department: String,
    /// 意见类型.
    pub stance: String,
    /// 意见内容.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// A consulted department's opinion (部门意见), checked.
pub struct Opinion {
    /// 提出意见的部门.
    pub department: Option<String>,
    /// 意见类型.
    pub stance: Stance,
    /// 意见内容.
    pub text: String,
}

impl OpinionInput {
    /// Checks the opinion form, reporting every problem at once.
    pub fn parse(&self) -> Result<Opinion, Vec<FieldError>> {
        let mut p = Problems::new();
        let department = self.department.trim();
        let stance = p.take(match self.stance.trim() {
            "" => Err(FIELD_STANCE.error(FieldErrorKind::Required)),
            s => {
                Stance::from_code(s).ok_or_else(|| FIELD_STANCE.error(FieldErrorKind::UnknownOption { raw: s.into() }))
            }
        });
        let text = p.take(FIELD_OPINION_TEXT.required_text(&self.text, 1000));
        p.into_result(|| {
            Some(Opinion {
                department: (!department.is_empty()).then(|| department.to_string()),
                stance: stance?,
                text: text?,
            })
        })
    }
}

/// An opinion gathered in the solicitation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SolicitedInput {
    /// Who gave it, e.g. `幸福社区居委会`, `居民代表座谈会`.
    pub source: String,
    /// 意见内容.
    pub text: String,
}

impl SolicitedInput {
    /// Checks the form: the source and the opinion's text, or every problem.
    pub fn parse(&self) -> Result<(String, String), Vec<FieldError>> {
        let mut p = Problems::new();
        let source = p.take(FIELD_SOLICITED_SOURCE.required_text(&self.source, 100));
        let text = p.take(FIELD_OPINION_TEXT.required_text(&self.text, 1000));
        p.into_result(|| Some((source?, text?)))
    }
}

/// The leading group's decision as the secretary records it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionInput {
    /// e.g. `2026 年第 5 次社区治理工作领导小组会议`
    pub meeting: String,
    /// 审定日期.
    pub decided_on: String,
    /// The group's opinion; required when not admitted (the reason).
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// The leading group's decision (领导小组审定), checked.
pub struct Decision {
    /// 审定会议.
    pub meeting: String,
    /// 审定日期.
    pub decided_on: NaiveDate,
    /// 审定意见.
    pub note: String,
}

impl DecisionInput {
    /// `admit`: approving (the note may be empty) or not (it says why).
    /// The date is a real one: not before acceptance, not after today.
    pub fn parse(&self, admit: bool, accepted_on: NaiveDate, today: NaiveDate) -> Result<Decision, Vec<FieldError>> {
        let mut p = Problems::new();
        let meeting = p.take(FIELD_MEETING.required_text(&self.meeting, 100));
        let decided_on =
            p.take(parse_date((FIELD_DECIDED_ON.name, FIELD_DECIDED_ON.label), Some(&self.decided_on)).and_then(|d| {
                if d > today {
                    Err(FIELD_DECIDED_ON.error(FieldErrorKind::DateInFuture { raw: d.to_string() }))
                } else if d < accepted_on {
                    Err(FIELD_DECIDED_ON.error(FieldErrorKind::DateTooEarly { earliest: accepted_on.to_string() }))
                } else {
                    Ok(d)
                }
            }));
        let note = if admit {
            let note = self.note.trim();
            if note.chars().count() > 1000 {
                p.push(FIELD_DECISION_NOTE.error(FieldErrorKind::TooLong { max: 1000 }));
            }
            Some(note.to_string())
        } else {
            p.take(FIELD_DECISION_NOTE.required_text(&self.note, 1000))
        };
        p.into_result(|| Some(Decision { meeting: meeting?, decided_on: decided_on?, note: note? }))
    }
}

/// A guide the department names after admission (派专人指导培训).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GuideInput {
    /// 指导培训人员姓名.
    pub name: String,
    /// 指导培训人员联系电话.
    pub phone: String,
}

impl GuideInput {
    /// Checks the form: the guide's name and phone, or every problem.
    pub fn parse(&self) -> Result<(String, PhoneNumber), Vec<FieldError>> {
        let mut p = Problems::new();
        let name = p.take(FIELD_GUIDE_NAME.required_text(&self.name, 30));
        let phone = p.take(PhoneNumber::parse(FIELD_GUIDE_PHONE, &self.phone));
        p.into_result(|| Some((name?, phone?)))
    }
}

/// Training held in one community.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainingInput {
    /// Community org code.
    pub community: String,
    /// 培训日期.
    pub held_on: String,
    /// 授课人.
    pub trainer: String,
    /// 参训社区工作者人数.
    pub attendees: String,
    /// 培训内容.
    pub topic: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// A training session recorded for a community (培训记录), checked.
pub struct Training {
    /// 培训社区.
    pub community: String,
    /// 培训日期.
    pub held_on: NaiveDate,
    /// 授课人.
    pub trainer: String,
    /// 参训社区工作者人数.
    pub attendees: u32,
    /// 培训内容.
    pub topic: String,
}

impl TrainingInput {
    /// `covered`: whether the item runs in that community.
    pub fn parse(&self, today: NaiveDate, covered: &dyn Fn(&str) -> bool) -> Result<Training, Vec<FieldError>> {
        let mut p = Problems::new();
        let community = p.take(match self.community.trim() {
            "" => Err(FIELD_TRAINING_COMMUNITY.error(FieldErrorKind::Required)),
            c if !covered(c) => Err(FIELD_TRAINING_COMMUNITY.error(FieldErrorKind::UnknownOption { raw: c.into() })),
            c => Ok(c.to_string()),
        });
        let held_on = p.take(
            parse_date((FIELD_TRAINING_DATE.name, FIELD_TRAINING_DATE.label), Some(&self.held_on)).and_then(|d| {
                if d > today {
                    Err(FIELD_TRAINING_DATE.error(FieldErrorKind::DateInFuture { raw: d.to_string() }))
                } else {
                    Ok(d)
                }
            }),
        );
        let trainer = p.take(FIELD_TRAINING_TRAINER.required_text(&self.trainer, 30));
        let raw = self.attendees.trim();
        let attendees = p.take(if raw.is_empty() {
            Err(FIELD_TRAINING_ATTENDEES.error(FieldErrorKind::Required))
        } else {
            raw.parse::<u32>().ok().filter(|n| (1..=500).contains(n)).ok_or_else(|| {
                FIELD_TRAINING_ATTENDEES.error(FieldErrorKind::OutOfRange { min: 1, max: 500, raw: raw.to_string() })
            })
        });
        let topic = p.take(FIELD_TRAINING_TOPIC.required_text(&self.topic, 200));
        p.into_result(|| {
            Some(Training {
                community: community?,
                held_on: held_on?,
                trainer: trainer?,
                attendees: attendees?,
                topic: topic?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_refusal_must_say_why() {
        let input = DecisionInput {
            meeting: "2026 年第 5 次领导小组会议".into(),
            decided_on: "2026-11-20".into(),
            note: "".into(),
        };
        assert!(input.parse(true, d("2026-11-02"), d("2026-11-24")).is_ok());
        let errs = input.parse(false, d("2026-11-02"), d("2026-11-24")).unwrap_err();
        assert_eq!(errs[0].message(), "请填写审定意见。");
    }

    #[test]
    fn the_decision_date_is_real() {
        let mut input =
            DecisionInput { meeting: "会议".into(), decided_on: "2026-11-25".into(), note: "同意".into() };
        let e = input.parse(true, d("2026-11-02"), d("2026-11-24")).unwrap_err();
        assert_eq!(e[0].code(), "field_date_in_future");
        input.decided_on = "2026-11-01".into();
        let e = input.parse(true, d("2026-11-02"), d("2026-11-24")).unwrap_err();
        assert_eq!(e[0].message(), "审定日期不能早于 2026-11-02。");
    }

    #[test]
    fn codes_are_known_and_unique() {
        let known = |c: &str| ["mzj", "rsj"].contains(&c);
        assert_eq!(parse_codes(FIELD_DEPARTMENTS, &[], &known).unwrap_err().code(), "field_required");
        assert_eq!(
            parse_codes(FIELD_DEPARTMENTS, &["mzj".into(), "x".into()], &known).unwrap_err().code(),
            "field_unknown_option"
        );
        assert_eq!(
            parse_codes(FIELD_DEPARTMENTS, &["mzj".into(), "mzj".into()], &known).unwrap_err().code(),
            "field_duplicate"
        );
    }

    #[test]
    fn training_is_in_a_covered_community_and_not_in_the_future() {
        let input = TrainingInput {
            community: "DX-CD-HP".into(),
            held_on: "2026-11-25".into(),
            trainer: "刘强".into(),
            attendees: "0".into(),
            topic: "".into(),
        };
        let errs = input.parse(d("2026-11-24"), &|c| c == "DX-CD-XF").unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.field, e.code())).collect();
        assert_eq!(
            codes,
            vec![
                ("community", "field_unknown_option"),
                ("held_on", "field_date_in_future"),
                ("attendees", "field_out_of_range"),
                ("topic", "field_required")
            ]
        );
    }
}
