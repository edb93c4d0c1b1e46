//! Opinion polls (民意调查), plan §二(二)4: the community asks its residents
//! — all of them, those of some grids, or a special group — questions of the
//! usual kinds (单选, 多选, 打分, 简答). Each resident answers once, whatever
//! the channel: on their phone, on a paper questionnaire entered by staff, or
//! door to door with a grid member's tablet. Who answered is kept apart from
//! what was answered (as for ballots: [`crate::ballot`]); the result counts
//! each question's answers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ballot::Channel;
use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::org::SpecialGroup;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// A question's kind (题型).
    QuestionKind {
        /// 单选: one option.
        Single = ("single", "单选题"),
        /// 多选: one or more options.
        Multiple = ("multiple", "多选题"),
        /// 打分: 1 to 5 points (5 best).
        Rating = ("rating", "打分题(1–5 分)"),
        /// 简答: a short text, may be left empty.
        Text = ("text", "简答题"),
    }
}

vocabulary! {
    /// Whom a poll asks (调查对象).
    AudienceKind {
        /// Every resident of the community.
        Community = ("community", "本社区全体居民"),
        /// The residents of the grids named.
        Grids = ("grids", "指定网格的居民"),
        /// The residents of one special group (e.g. 独居老人).
        SpecialGroup = ("special_group", "特殊群体"),
    }
}

vocabulary! {
    /// Where a poll stands.
    PollStatus {
        /// 调查中: answers are taken.
        Open = ("open", "调查中"),
        /// 已结束: the result is final and public.
        Closed = ("closed", "已结束"),
    }
}

/// The most questions a poll asks.
pub const MAX_QUESTIONS: usize = 20;
/// The most options a choice question offers.
pub const MAX_OPTIONS: usize = 10;
/// The longest short answer, in characters.
pub const MAX_TEXT: usize = 200;
/// The most grids a poll names.
pub const MAX_GRIDS: usize = 50;
/// The highest score of a rating question (the lowest is 1).
pub const TOP_SCORE: u32 = 5;

/// Question `n`'s field (`q1` … `q20`, “第 n 题”): a question of the form,
/// or its answer on a questionnaire.
pub const QUESTION_FIELDS: [Field; MAX_QUESTIONS] = [
    Field::new("q1", "第 1 题"),
    Field::new("q2", "第 2 题"),
    Field::new("q3", "第 3 题"),
    Field::new("q4", "第 4 题"),
    Field::new("q5", "第 5 题"),
    Field::new("q6", "第 6 题"),
    Field::new("q7", "第 7 题"),
    Field::new("q8", "第 8 题"),
    Field::new("q9", "第 9 题"),
    Field::new("q10", "第 10 题"),
    Field::new("q11", "第 11 题"),
    Field::new("q12", "第 12 题"),
    Field::new("q13", "第 13 题"),
    Field::new("q14", "第 14 题"),
    Field::new("q15", "第 15 题"),
    Field::new("q16", "第 16 题"),
    Field::new("q17", "第 17 题"),
    Field::new("q18", "第 18 题"),
    Field::new("q19", "第 19 题"),
    Field::new("q20", "第 20 题"),
];

/// Field `title`, labelled “调查名称”.
pub const FIELD_TITLE: Field = Field::new("title", "调查名称");
/// Field `intro`, labelled “调查说明”.
pub const FIELD_INTRO: Field = Field::new("intro", "调查说明");
/// Field `audience`, labelled “调查对象”.
pub const FIELD_AUDIENCE: Field = Field::new("audience", "调查对象");
/// Field `grids`, labelled “网格”.
pub const FIELD_GRIDS: Field = Field::new("grids", "网格");
/// Field `group`, labelled “特殊群体”.
pub const FIELD_GROUP: Field = Field::new("group", "特殊群体");
/// Field `until`, labelled “截止日期”.
pub const FIELD_UNTIL: Field = Field::new("until", "截止日期");
/// Field `questions`, labelled “问题”.
pub const FIELD_QUESTIONS: Field = Field::new("questions", "问题");

/// A question as typed by the organiser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionInput {
    /// A [`QuestionKind`] code.
    pub kind: String,
    /// The question.
    pub text: String,
    /// Its options, one per line (choice questions only).
    pub options: String,
}

/// A question, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Its kind.
    pub kind: QuestionKind,
    /// The question.
    pub text: String,
    /// Its options (choice questions; empty otherwise).
    pub options: Vec<String>,
}

/// A poll as typed by the organiser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PollInput {
    /// 调查名称.
    pub title: String,
    /// 调查说明 (why, how long it takes, what becomes of the answers).
    pub intro: String,
    /// An [`AudienceKind`] code.
    pub audience: String,
    /// The grids' ids (audience `grids`).
    pub grids: Vec<String>,
    /// A [`SpecialGroup`] code (audience `special_group`).
    pub group: String,
    /// 截止日期.
    pub until: String,
    /// The questions, in order.
    pub questions: Vec<QuestionInput>,
}

/// Whom a poll asks, checked. Grids are named by id; that they are grids of
/// the poll's community is the server's to check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    /// Every resident of the community.
    Community,
    /// The residents of these grids.
    Grids {
        /// Their ids, sorted, each once.
        ids: Vec<i64>,
    },
    /// The residents of this group.
    SpecialGroup {
        /// The group.
        group: SpecialGroup,
    },
}

impl Audience {
    /// Its kind.
    pub fn kind(&self) -> AudienceKind {
        match self {
            Audience::Community => AudienceKind::Community,
            Audience::Grids { .. } => AudienceKind::Grids,
            Audience::SpecialGroup { .. } => AudienceKind::SpecialGroup,
        }
    }

    /// Whether a resident of the community, living in grid `grid` and of
    /// special group `group`, is asked.
    pub fn includes(&self, grid: i64, group: Option<SpecialGroup>) -> bool {
        match self {
            Audience::Community => true,
            Audience::Grids { ids } => ids.contains(&grid),
            Audience::SpecialGroup { group: g } => group == Some(*g),
        }
    }
}

/// A poll, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poll {
    /// 调查名称.
    pub title: String,
    /// 调查说明.
    pub intro: String,
    /// Whom it asks.
    pub audience: Audience,
    /// 截止日期.
    pub until: NaiveDate,
    /// The questions, 1 to [`MAX_QUESTIONS`].
    pub questions: Vec<Question>,
}

fn question(field: Field, q: &QuestionInput) -> Result<Question, FieldError> {
    let kind = match q.kind.trim() {
        "" => return Err(field.error(FieldErrorKind::InvalidFormat { expected: "请选择题型" })),
        k => QuestionKind::from_code(k).ok_or_else(|| field.error(FieldErrorKind::UnknownOption { raw: k.into() }))?,
    };
    let text = field.required_text(&q.text, 100)?;
    // One option per line (an option may hold “、” or “,”: “1 辆,或以上”).
    let options: Vec<String> = q.options.lines().map(str::trim).filter(|o| !o.is_empty()).map(str::to_string).collect();
    let options = match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let fits = (2..=MAX_OPTIONS).contains(&options.len()) && options.iter().all(|o| o.chars().count() <= 40);
            if !fits {
                return Err(field.error(FieldErrorKind::InvalidFormat {
                    expected: "选择题要有 2 到 10 个选项,每行一个,每个不超过 40 个字",
                }));
            }
            if let Some(again) = options.iter().enumerate().find(|(i, o)| options[..*i].contains(o)) {
                return Err(field.error(FieldErrorKind::Duplicate { raw: again.1.clone() }));
            }
            options
        }
        QuestionKind::Rating | QuestionKind::Text => Vec::new(),
    };
    Ok(Question { kind, text, options })
}

impl PollInput {
    /// Checks the form; the closing day is today or later.
    pub fn parse(&self, today: NaiveDate) -> Result<Poll, Vec<FieldError>> {
        let mut p = Problems::new();
        let title = p.take(FIELD_TITLE.required_text(&self.title, 60));
        let intro = self.intro.trim();
        let intro = p.take(if intro.chars().count() > 1000 {
            Err(FIELD_INTRO.error(FieldErrorKind::TooLong { max: 1000 }))
        } else {
            Ok(intro.to_string())
        });
        let audience = p.take(AudienceKind::parse(FIELD_AUDIENCE, &self.audience)).and_then(|kind| match kind {
            AudienceKind::Community => Some(Audience::Community),
            AudienceKind::Grids => {
                let ids: Result<Vec<i64>, _> = self.grids.iter().map(|g| FIELD_GRIDS.required_id(g)).collect();
                let ids = p.take(ids.and_then(|mut ids| {
                    ids.sort_unstable();
                    ids.dedup();
                    if ids.is_empty() {
                        Err(FIELD_GRIDS.error(FieldErrorKind::Required))
                    } else if ids.len() > MAX_GRIDS {
                        Err(FIELD_GRIDS.error(FieldErrorKind::InvalidFormat { expected: "最多选 50 个网格" }))
                    } else {
                        Ok(ids)
                    }
                }))?;
                Some(Audience::Grids { ids })
            }
            AudienceKind::SpecialGroup => {
                let group = match self.group.trim() {
                    "" => Err(FIELD_GROUP.error(FieldErrorKind::Required)),
                    g => SpecialGroup::from_code(g)
                        .ok_or_else(|| FIELD_GROUP.error(FieldErrorKind::UnknownOption { raw: g.into() })),
                };
                Some(Audience::SpecialGroup { group: p.take(group)? })
            }
        });
        let until = p.take(parse_date((FIELD_UNTIL.name, FIELD_UNTIL.label), Some(&self.until)).and_then(|d| {
            if d < today {
                Err(FIELD_UNTIL.error(FieldErrorKind::DateTooEarly { earliest: today.to_string() }))
            } else {
                Ok(d)
            }
        }));
        let questions = if self.questions.is_empty() {
            p.push(FIELD_QUESTIONS.error(FieldErrorKind::Required));
            None
        } else if self.questions.len() > MAX_QUESTIONS {
            p.push(FIELD_QUESTIONS.error(FieldErrorKind::InvalidFormat { expected: "一次调查最多 20 个问题" }));
            None
        } else {
            self.questions
                .iter()
                .zip(QUESTION_FIELDS)
                .map(|(q, field)| p.take(question(field, q)))
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<Option<Vec<_>>>()
        };
        p.into_result(|| {
            Some(Poll { title: title?, intro: intro?, audience: audience?, until: until?, questions: questions? })
        })
    }
}

/// One question's answer as sent: the options picked (their positions, from
/// 0), the score (a rating question: `picks = [score]`), or the text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerInput {
    /// The options picked, or the score.
    pub picks: Vec<u32>,
    /// A short answer.
    pub text: String,
}

/// A questionnaire as sent: one answer per question, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseInput {
    /// The answers.
    pub answers: Vec<AnswerInput>,
}

/// One question's answer, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    /// The option picked.
    Single {
        /// Its position.
        pick: u32,
    },
    /// The options picked, sorted, each once.
    Multiple {
        /// Their positions.
        picks: Vec<u32>,
    },
    /// The score, 1 to [`TOP_SCORE`].
    Rating {
        /// The score.
        score: u32,
    },
    /// The text (empty: not answered).
    Text {
        /// The text.
        text: String,
    },
}

fn answer(field: Field, q: &Question, a: &AnswerInput) -> Result<Answer, FieldError> {
    let n = q.options.len() as u32;
    let unknown = |raw: u32| field.error(FieldErrorKind::UnknownOption { raw: (raw + 1).to_string() });
    match q.kind {
        QuestionKind::Single => match a.picks.as_slice() {
            [] => Err(field.error(FieldErrorKind::Required)),
            [pick] if *pick < n => Ok(Answer::Single { pick: *pick }),
            [pick] => Err(unknown(*pick)),
            _ => Err(field.error(FieldErrorKind::InvalidFormat { expected: "单选题只能选一项" })),
        },
        QuestionKind::Multiple => {
            if a.picks.is_empty() {
                return Err(field.error(FieldErrorKind::Required));
            }
            if let Some(bad) = a.picks.iter().find(|p| **p >= n) {
                return Err(unknown(*bad));
            }
            let mut picks = a.picks.clone();
            picks.sort_unstable();
            picks.dedup();
            if picks.len() != a.picks.len() {
                return Err(field.error(FieldErrorKind::InvalidFormat { expected: "同一个选项只能选一次" }));
            }
            Ok(Answer::Multiple { picks })
        }
        QuestionKind::Rating => match a.picks.as_slice() {
            [] => Err(field.error(FieldErrorKind::Required)),
            [score] if (1..=TOP_SCORE).contains(score) => Ok(Answer::Rating { score: *score }),
            _ => Err(field.error(FieldErrorKind::InvalidFormat { expected: "请打 1 到 5 分" })),
        },
        QuestionKind::Text => {
            let text = a.text.trim();
            if text.chars().count() > MAX_TEXT {
                Err(field.error(FieldErrorKind::TooLong { max: MAX_TEXT }))
            } else {
                Ok(Answer::Text { text: text.to_string() })
            }
        }
    }
}

impl ResponseInput {
    /// Checks a questionnaire against the poll's `questions`: every choice
    /// and rating question answered, within its options; short answers may
    /// be empty. Every problem at once, each naming its question.
    pub fn parse(&self, questions: &[Question]) -> Result<Vec<Answer>, Vec<FieldError>> {
        let mut p = Problems::new();
        if self.answers.len() > questions.len() {
            p.push(FIELD_QUESTIONS.error(FieldErrorKind::InvalidFormat { expected: "答案比问题多" }));
            return p.into_result(|| None);
        }
        let empty = AnswerInput::default();
        let answers: Vec<Option<Answer>> = questions
            .iter()
            .zip(QUESTION_FIELDS)
            .enumerate()
            .map(|(i, (q, field))| p.take(answer(field, q, self.answers.get(i).unwrap_or(&empty))))
            .collect();
        p.into_result(|| answers.into_iter().collect())
    }
}

/// One question's count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    /// The question.
    pub text: String,
    /// Its kind's code.
    pub kind: QuestionKind,
    /// Choice questions: each option and how many picked it, in order;
    /// rating questions: "1 分" … "5 分" and how many gave it.
    pub counts: Vec<(String, u32)>,
    /// How many answered it (a short answer left empty is not counted).
    pub answered: u32,
    /// A rating question's average score in tenths (42 = 4.2 分).
    pub average_tenths: Option<u32>,
    /// Short answers, in no particular order (staff only).
    pub texts: Vec<String>,
}

/// A poll's count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollResult {
    /// Questionnaires counted.
    pub responses: u32,
    /// How many came by each channel, in [`Channel::ALL`]'s order.
    pub by_channel: Vec<(Channel, u32)>,
    /// Each question's count, in order.
    pub questions: Vec<QuestionResult>,
}

/// Counts `responses` (each with its channel) to `questions`. A response
/// that does not fit the questions (it cannot be stored:
/// [`ResponseInput::parse`]) is left out.
pub fn count(questions: &[Question], responses: &[(Channel, Vec<Answer>)]) -> PollResult {
    let fit: Vec<&(Channel, Vec<Answer>)> = responses.iter().filter(|r| r.1.len() == questions.len()).collect();
    let results = questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let labels: Vec<String> = match q.kind {
                QuestionKind::Rating => (1..=TOP_SCORE).map(|s| format!("{s} 分")).collect(),
                _ => q.options.clone(),
            };
            let mut counts: Vec<(String, u32)> = labels.into_iter().map(|l| (l, 0)).collect();
            let (mut answered, mut points, mut texts) = (0u32, 0u32, Vec::new());
            let mut bump = |at: u32| {
                if let Some(c) = counts.get_mut(at as usize) {
                    c.1 += 1;
                }
            };
            for r in &fit {
                match &r.1[i] {
                    Answer::Single { pick } => {
                        bump(*pick);
                        answered += 1;
                    }
                    Answer::Multiple { picks } => {
                        picks.iter().for_each(|p| bump(*p));
                        answered += 1;
                    }
                    Answer::Rating { score } => {
                        bump(score - 1);
                        points += score;
                        answered += 1;
                    }
                    Answer::Text { text } if !text.is_empty() => {
                        texts.push(text.clone());
                        answered += 1;
                    }
                    Answer::Text { .. } => {}
                }
            }
            texts.sort();
            QuestionResult {
                text: q.text.clone(),
                kind: q.kind,
                counts,
                answered,
                average_tenths: (q.kind == QuestionKind::Rating && answered > 0)
                    .then(|| (points * 10 + answered / 2) / answered),
                texts,
            }
        })
        .collect();
    PollResult {
        responses: fit.len() as u32,
        by_channel: Channel::ALL.iter().map(|c| (*c, fit.iter().filter(|r| r.0 == *c).count() as u32)).collect(),
        questions: results,
    }
}

/// A channel's name in a poll (the ballot's labels say 投票).
pub fn channel_label(c: Channel) -> &'static str {
    match c {
        Channel::Online => "居民网上填写",
        Channel::Paper => "纸质问卷录入",
        Channel::DoorToDoor => "网格员入户填写",
    }
}

/// Refusals of poll moves, each with a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollError {
    /// The poll has ended: no more answers.
    Closed,
    /// This resident has answered already (by any channel).
    AlreadyAnswered,
    /// The resident is not among those the poll asks.
    NotAsked,
    /// The count is shown once the poll has ended: a count that moves as
    /// each questionnaire comes in would tell whoever watches it what one
    /// person answered.
    StillOpen,
}

impl crate::error::DomainError for PollError {
    fn code(&self) -> &'static str {
        match self {
            PollError::Closed => "poll_closed",
            PollError::AlreadyAnswered => "poll_already_answered",
            PollError::NotAsked => "poll_not_asked",
            PollError::StillOpen => "poll_still_open",
        }
    }

    fn message(&self) -> String {
        match self {
            PollError::Closed => "这次调查已经结束,不能再填写。".into(),
            PollError::AlreadyAnswered => "这位居民已经填写过这份问卷了(网上、纸质或入户),每人只填一次。".into(),
            PollError::NotAsked => "这次调查不面向这位居民(不在调查对象范围内)。".into(),
            PollError::StillOpen => "调查结束后才能查看和导出结果:调查进行中公布结果,会让人推算出个人的答案。".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::due::civil_date(s).unwrap()
    }

    fn q(kind: &str, text: &str, options: &str) -> QuestionInput {
        QuestionInput { kind: kind.into(), text: text.into(), options: options.into() }
    }

    fn poll() -> PollInput {
        PollInput {
            title: "社区停车管理意见调查".into(),
            intro: "约 2 分钟。".into(),
            audience: "community".into(),
            grids: vec![],
            group: String::new(),
            until: "2026-12-20".into(),
            questions: vec![
                q("single", "您家有几辆车?", "没有\n1 辆\n2 辆及以上"),
                q("multiple", "您希望怎样改进?", "划线车位\n错时停车\n立体车库"),
                q("rating", "对现在的停车秩序打分", ""),
                q("text", "其他建议", ""),
            ],
        }
    }

    fn questions() -> Vec<Question> {
        poll().parse(d("2026-12-02")).unwrap().questions
    }

    #[test]
    fn a_poll_names_its_audience_and_questions() {
        let p = poll().parse(d("2026-12-02")).unwrap();
        assert_eq!(p.audience, Audience::Community);
        assert_eq!(p.questions[0].options.len(), 3);
        assert!(p.questions[2].options.is_empty());
        let e = PollInput {
            audience: "grids".into(),
            until: "2026-11-30".into(),
            questions: vec![q("single", "只有一个选项?", "是"), q("multiple", "重复", "甲\n甲"), q("", "x", "")],
            ..poll()
        }
        .parse(d("2026-12-02"))
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["grids", "until", "q1", "q2", "q3"]);
        assert_eq!(e[2].message(), "第 1 题格式不正确:选择题要有 2 到 10 个选项,每行一个,每个不超过 40 个字。");
        let e = PollInput { questions: vec![], audience: "special_group".into(), ..poll() }
            .parse(d("2026-12-02"))
            .unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), ["group", "questions"]);
        let comma = PollInput { questions: vec![q("single", "几辆?", "1 辆,或以上\n没有")], ..poll() };
        assert_eq!(comma.parse(d("2026-12-02")).unwrap().questions[0].options, ["1 辆,或以上", "没有"]);
        let twice = PollInput { questions: vec![q("single", "几辆?", "没有\n没有")], ..poll() };
        assert_eq!(twice.parse(d("2026-12-02")).unwrap_err()[0].kind, FieldErrorKind::Duplicate { raw: "没有".into() });
        let g = PollInput { audience: "grids".into(), grids: vec!["7".into(), "3".into(), "7".into()], ..poll() };
        assert_eq!(g.parse(d("2026-12-02")).unwrap().audience, Audience::Grids { ids: vec![3, 7] });
    }

    #[test]
    fn the_audience_decides_who_is_asked() {
        let elderly = Audience::SpecialGroup { group: SpecialGroup::ElderlyAlone };
        assert!(elderly.includes(1, Some(SpecialGroup::ElderlyAlone)));
        assert!(!elderly.includes(1, None));
        assert!(Audience::Grids { ids: vec![3] }.includes(3, None));
        assert!(!Audience::Grids { ids: vec![3] }.includes(4, None));
        assert!(Audience::Community.includes(9, None));
    }

    #[test]
    fn every_question_is_answered_within_its_options() {
        let qs = questions();
        let a = |picks: Vec<u32>| AnswerInput { picks, text: String::new() };
        let ok = ResponseInput { answers: vec![a(vec![1]), a(vec![2, 0]), a(vec![4]), AnswerInput::default()] };
        let answers = ok.parse(&qs).unwrap();
        assert_eq!(answers[1], Answer::Multiple { picks: vec![0, 2] });
        assert_eq!(answers[3], Answer::Text { text: String::new() });
        let bad = ResponseInput { answers: vec![a(vec![3]), a(vec![0, 0]), a(vec![6])] };
        let e = bad.parse(&qs).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), ["q1", "q2", "q3"]);
        assert_eq!(e[0].message(), "第 1 题“4”不是可选的值,请从列表中选择。");
        assert_eq!(ResponseInput::default().parse(&qs).unwrap_err()[0].message(), "请填写第 1 题。");
        let long = AnswerInput { picks: vec![], text: "长".repeat(201) };
        let e = ResponseInput { answers: vec![a(vec![0]), a(vec![0]), a(vec![3]), long] }.parse(&qs).unwrap_err();
        assert_eq!(e[0].field, "q4");
        assert_eq!(PollError::AlreadyAnswered.code(), "poll_already_answered");
    }

    #[test]
    fn the_count_reads_each_kind() {
        let qs = questions();
        let r = |c: Channel, pick: u32, score: u32, text: &str| {
            (
                c,
                vec![
                    Answer::Single { pick },
                    Answer::Multiple { picks: if pick == 0 { vec![0] } else { vec![0, pick] } },
                    Answer::Rating { score },
                    Answer::Text { text: text.into() },
                ],
            )
        };
        let res = count(
            &qs,
            &[r(Channel::Online, 1, 5, "好"), r(Channel::DoorToDoor, 2, 4, ""), r(Channel::Online, 0, 4, "")],
        );
        assert_eq!(res.responses, 3);
        assert_eq!(res.by_channel[0], (Channel::Online, 2));
        assert_eq!(res.by_channel[2], (Channel::DoorToDoor, 1));
        assert_eq!(res.questions[0].counts.iter().map(|c| c.1).collect::<Vec<_>>(), [1, 1, 1]);
        assert_eq!(res.questions[1].counts.iter().map(|c| c.1).collect::<Vec<_>>(), [3, 1, 1]);
        assert_eq!(res.questions[2].average_tenths, Some(43));
        assert_eq!(res.questions[2].counts[3], ("4 分".to_string(), 2));
        assert_eq!((res.questions[3].answered, res.questions[3].texts.clone()), (1, vec!["好".to_string()]));
    }

    proptest! {
        /// Every fitting response counts once, whatever the order, and the
        /// channels add up to the responses.
        #[test]
        fn each_response_counts_once(marks in proptest::collection::vec((0usize..3, 0u32..3, 1u32..=5), 0..60)) {
            let qs = questions();
            let responses: Vec<(Channel, Vec<Answer>)> = marks
                .iter()
                .map(|(c, pick, score)| (Channel::ALL[*c], vec![
                    Answer::Single { pick: *pick },
                    Answer::Multiple { picks: vec![*pick] },
                    Answer::Rating { score: *score },
                    Answer::Text { text: String::new() },
                ]))
                .collect();
            let res = count(&qs, &responses);
            prop_assert_eq!(res.responses, responses.len() as u32);
            prop_assert_eq!(res.by_channel.iter().map(|c| c.1).sum::<u32>(), res.responses);
            prop_assert_eq!(res.questions[0].counts.iter().map(|c| c.1).sum::<u32>(), res.responses);
            prop_assert_eq!(res.questions[2].counts.iter().map(|c| c.1).sum::<u32>(), res.responses);
            if let Some(avg) = res.questions[2].average_tenths {
                prop_assert!((10..=50).contains(&avg));
            }
            let mut reversed = responses.clone();
            reversed.reverse();
            prop_assert_eq!(count(&qs, &reversed), res);
        }
    }
}
