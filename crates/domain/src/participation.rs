//! Residents decide the practical projects (百姓定实事政府做), plan §二(二)3:
//! a yearly round per community (or street) — residents propose (征集), staff
//! screen and cost (筛选论证), residents or their representatives vote on a
//! list with more candidates than places (差额票决, [`crate::ballot`]), the
//! chosen projects are delivered in public (政府办, 人大督) and rated (效果票评).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ballot::{BallotRules, Margin, TieBreak};
use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::money::Money;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// Where a round stands; it moves forward only.
    RoundStatus {
        /// 征集中: residents propose.
        Proposing = ("proposing", "征集中"),
        /// 筛选论证: staff screen and cost; the candidate list is drawn up.
        Screening = ("screening", "筛选论证"),
        /// 投票中.
        Voting = ("voting", "投票中"),
        /// 已公布结果: counted; the chosen projects are delivered.
        Counted = ("counted", "已公布结果"),
    }
}

impl RoundStatus {
    /// The next status, if any.
    pub fn next(self) -> Option<RoundStatus> {
        match self {
            RoundStatus::Proposing => Some(RoundStatus::Screening),
            RoundStatus::Screening => Some(RoundStatus::Voting),
            RoundStatus::Voting => Some(RoundStatus::Counted),
            RoundStatus::Counted => None,
        }
    }
}

vocabulary! {
    /// Who votes in a round.
    VoterBody {
        /// 全体居民: every resident on the register, one vote each.
        Residents = ("residents", "全体居民"),
        /// 居民代表: the residents' representatives only.
        Representatives = ("representatives", "居民代表"),
    }
}

vocabulary! {
    /// How a proposal came in.
    ProposalChannel {
        /// 居民网上提出 (signed in on a phone).
        Online = ("online", "居民网上提出"),
        /// 纸质意见 (entered by a grid member).
        Paper = ("paper", "纸质意见"),
        /// 电话 (taken by a grid member).
        Phone = ("phone", "电话反映"),
        /// 会议 (raised at a meeting).
        Meeting = ("meeting", "会议提出"),
    }
}

vocabulary! {
    /// Where a proposal stands.
    ProposalStatus {
        /// 待筛选.
        Submitted = ("submitted", "待筛选"),
        /// 已合并 into another proposal (its proposers are kept).
        Merged = ("merged", "已合并"),
        /// 列入候选.
        Candidate = ("candidate", "列入候选项目"),
        /// 未采纳, with the reason shown to residents.
        NotTaken = ("not_taken", "未采纳"),
    }
}

/// Field `title`, labelled “轮次名称” in forms and messages.
pub const FIELD_ROUND_TITLE: Field = Field::new("title", "轮次名称");
/// Field `places`, labelled “实事项目名额” in forms and messages.
pub const FIELD_PLACES: Field = Field::new("places", "实事项目名额");
/// Field `budget`, labelled “预算(元)” in forms and messages.
pub const FIELD_BUDGET: Field = Field::new("budget", "预算(元)");
/// Field `max_picks`, labelled “每票最多可选” in forms and messages.
pub const FIELD_MAX_PICKS: Field = Field::new("max_picks", "每票最多可选");
/// Field `margin_percent`, labelled “候选项目不少于名额的(%)” in forms and messages.
pub const FIELD_MARGIN: Field = Field::new("margin_percent", "候选项目不少于名额的(%)");
/// Field `voters`, labelled “投票人” in forms and messages.
pub const FIELD_VOTERS: Field = Field::new("voters", "投票人");
/// Field `proposals_until`, labelled “征集截止日期” in forms and messages.
pub const FIELD_PROPOSALS_UNTIL: Field = Field::new("proposals_until", "征集截止日期");
/// Field `voting_until`, labelled “投票截止日期” in forms and messages.
pub const FIELD_VOTING_UNTIL: Field = Field::new("voting_until", "投票截止日期");

/// A round as typed by community staff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoundInput {
    /// 轮次名称, e.g. “2027 年幸福社区民生实事”.
    pub title: String,
    /// 实事项目名额 N.
    pub places: String,
    /// 预算(元).
    pub budget: String,
    /// 每票最多可选 K.
    pub max_picks: String,
    /// Whether a ballot's picks must fit the budget together.
    pub within_budget: bool,
    /// 差额: candidates at least places × this / 100 (and always more than places).
    pub margin_percent: String,
    /// A [`VoterBody`] code.
    pub voters: String,
    /// 征集截止日期.
    pub proposals_until: String,
    /// 投票截止日期.
    pub voting_until: String,
}

/// A round, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    /// 轮次名称.
    pub title: String,
    /// N.
    pub places: u32,
    /// 预算.
    pub budget: Money,
    /// What may be on a ballot.
    pub rules: BallotRules,
    /// 差额.
    pub margin: Margin,
    /// Who votes.
    pub voters: VoterBody,
    /// 征集截止日期.
    pub proposals_until: NaiveDate,
    /// 投票截止日期.
    pub voting_until: NaiveDate,
}

fn whole(field: Field, raw: &str, min: i64, max: i64) -> Result<u32, FieldError> {
    // The callers' ranges are non-negative and fit u32.
    field.whole_number(raw, min, max).map(|n| n as u32)
}

fn date(field: Field, raw: &str) -> Result<NaiveDate, FieldError> {
    parse_date((field.name, field.label), Some(raw))
}

impl RoundInput {
    /// Checks the form, reporting every problem at once.
    pub fn parse(&self) -> Result<Round, Vec<FieldError>> {
        let mut p = Problems::new();
        let title = p.take(FIELD_ROUND_TITLE.required_text(&self.title, 60));
        let places = p.take(whole(FIELD_PLACES, &self.places, 1, 50));
        let budget = p.take(Money::parse(FIELD_BUDGET, &self.budget));
        let max_picks = p.take(whole(FIELD_MAX_PICKS, &self.max_picks, 1, 50).and_then(|k| match places {
            Some(n) if k > n => {
                Err(FIELD_MAX_PICKS.error(FieldErrorKind::OutOfRange { min: 1, max: n.into(), raw: k.to_string() }))
            }
            _ => Ok(k),
        }));
        let margin = p.take(whole(FIELD_MARGIN, &self.margin_percent, 101, 300));
        let voters = p.take(VoterBody::parse(FIELD_VOTERS, &self.voters));
        let proposals_until = p.take(date(FIELD_PROPOSALS_UNTIL, &self.proposals_until));
        let voting_until = p.take(date(FIELD_VOTING_UNTIL, &self.voting_until).and_then(|d| {
            match proposals_until {
                Some(from) if d <= from => Err(FIELD_VOTING_UNTIL
                    .error(FieldErrorKind::DateTooEarly { earliest: from.succ_opt().unwrap_or(from).to_string() })),
                _ => Ok(d),
            }
        }));
        p.into_result(|| {
            let budget = budget?;
            Some(Round {
                title: title?,
                places: places?,
                budget,
                rules: BallotRules {
                    min_picks: 1,
                    max_picks: max_picks?,
                    budget: self.within_budget.then_some(budget),
                },
                margin: Margin::Percent(margin?),
                voters: voters?,
                proposals_until: proposals_until?,
                voting_until: voting_until?,
            })
        })
    }
}

/// The tie-break every round publishes before voting opens: the cheaper
/// first, then the public draw with the round's seed.
pub fn tie_break(seed: &str) -> TieBreak {
    TieBreak::LowerCostThenDraw { seed: seed.to_string() }
}

/// Field `title`, labelled “项目名称” in forms and messages.
pub const FIELD_TITLE: Field = Field::new("title", "项目名称");
/// Field `problem`, labelled “要解决的问题” in forms and messages.
pub const FIELD_PROBLEM: Field = Field::new("problem", "要解决的问题");
/// Field `place`, labelled “地点” in forms and messages.
pub const FIELD_PLACE: Field = Field::new("place", "地点");
/// Field `beneficiaries`, labelled “受益人群” in forms and messages.
pub const FIELD_BENEFICIARIES: Field = Field::new("beneficiaries", "受益人群");
/// Field `channel`, labelled “提出方式” in forms and messages.
pub const FIELD_CHANNEL: Field = Field::new("channel", "提出方式");
/// Field `resident_id`, labelled “提议居民” in forms and messages.
pub const FIELD_RESIDENT: Field = Field::new("resident_id", "提议居民");

/// A proposal as typed: by a resident (channel `online`, the resident from
/// the account) or by a grid member on a resident's behalf.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProposalInput {
    /// 项目名称.
    pub title: String,
    /// 要解决的问题.
    pub problem: String,
    /// 地点 (words: “3 栋与 5 栋之间”).
    pub place: String,
    /// 受益人群.
    pub beneficiaries: String,
    /// A [`ProposalChannel`] code (`online` for a resident's own).
    pub channel: String,
    /// The resident on whose behalf (register id), for the other channels.
    pub resident_id: String,
}

/// A proposal, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// 项目名称.
    pub title: String,
    /// 要解决的问题.
    pub problem: String,
    /// 地点.
    pub place: String,
    /// 受益人群.
    pub beneficiaries: String,
    /// How it came in.
    pub channel: ProposalChannel,
    /// On whose behalf (`None` for a resident's own: the account says).
    pub resident_id: Option<i64>,
}

impl ProposalInput {
    /// Checks the form, reporting every problem at once.
    pub fn parse(&self) -> Result<Proposal, Vec<FieldError>> {
        let mut p = Problems::new();
        let title = p.take(FIELD_TITLE.required_text(&self.title, 40));
        let problem = p.take(FIELD_PROBLEM.required_text(&self.problem, 500));
        let place = p.take(FIELD_PLACE.required_text(&self.place, 100));
        let beneficiaries = p.take(FIELD_BENEFICIARIES.required_text(&self.beneficiaries, 100));
        let channel = p.take(ProposalChannel::parse(FIELD_CHANNEL, &self.channel));
        let resident = match channel {
            Some(ProposalChannel::Online) => Some(None),
            Some(_) => p.take(FIELD_RESIDENT.required_id(&self.resident_id)).map(Some),
            None => None,
        };
        p.into_result(|| {
            Some(Proposal {
                title: title?,
                problem: problem?,
                place: place?,
                beneficiaries: beneficiaries?,
                channel: channel?,
                resident_id: resident?,
            })
        })
    }
}

/// How alike two proposals read, 0 to 1: the share of two-character pieces
/// they have in common (Jaccard over character bigrams, ignoring spaces and
/// punctuation). Good enough to offer “类似的提议” for merging; staff decide.
pub fn similarity(a: &str, b: &str) -> f64 {
    fn bigrams(s: &str) -> std::collections::BTreeSet<(char, char)> {
        let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    }
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / x.union(&y).count() as f64
}

/// Proposals at least this alike are offered for merging.
pub const SIMILAR: f64 = 0.3;

/// Field `decision`, labelled “筛选结果” in forms and messages.
pub const FIELD_DECISION: Field = Field::new("decision", "筛选结果");
/// Field `feasibility`, labelled “可行性论证” in forms and messages.
pub const FIELD_FEASIBILITY: Field = Field::new("feasibility", "可行性论证");
/// Field `department_id`, labelled “责任部门” in forms and messages.
pub const FIELD_DEPARTMENT: Field = Field::new("department_id", "责任部门");
/// Field `cost`, labelled “估算费用(元)” in forms and messages.
pub const FIELD_COST: Field = Field::new("cost", "估算费用(元)");
/// Field `reason`, labelled “未采纳理由” in forms and messages.
pub const FIELD_REASON: Field = Field::new("reason", "未采纳理由");

/// Screening as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreeningInput {
    /// `candidate` or `not_taken`.
    pub decision: String,
    /// 可行性论证.
    pub feasibility: String,
    /// 责任部门 (id), for a candidate.
    pub department_id: String,
    /// 估算费用(元), for a candidate.
    pub cost: String,
    /// 未采纳理由, shown to residents.
    pub reason: String,
}

/// Screening, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screening {
    /// Taken onto the list.
    Candidate {
        /// 可行性论证.
        feasibility: String,
        /// 责任部门.
        department_id: i64,
        /// 估算费用.
        cost: Money,
    },
    /// Not taken forward, with the public reason.
    NotTaken {
        /// 可行性论证.
        feasibility: String,
        /// 未采纳理由.
        reason: String,
    },
}

impl ScreeningInput {
    /// Checks the form, reporting every problem at once.
    pub fn parse(&self) -> Result<Screening, Vec<FieldError>> {
        let mut p = Problems::new();
        let feasibility = p.take(FIELD_FEASIBILITY.required_text(&self.feasibility, 500));
        match self.decision.trim() {
            "candidate" => {
                let department = p.take(FIELD_DEPARTMENT.required_id(&self.department_id));
                let cost = p.take(Money::parse(FIELD_COST, &self.cost).and_then(|c| {
                    if c.is_zero() {
                        Err(FIELD_COST.error(FieldErrorKind::InvalidFormat { expected: "应大于 0" }))
                    } else {
                        Ok(c)
                    }
                }));
                p.into_result(|| {
                    Some(Screening::Candidate { feasibility: feasibility?, department_id: department?, cost: cost? })
                })
            }
            "not_taken" => {
                let reason = p.take(FIELD_REASON.required_text(&self.reason, 300));
                p.into_result(|| Some(Screening::NotTaken { feasibility: feasibility?, reason: reason? }))
            }
            "" => {
                p.push(FIELD_DECISION.error(FieldErrorKind::Required));
                p.into_result(|| None)
            }
            other => {
                p.push(FIELD_DECISION.error(FieldErrorKind::UnknownOption { raw: other.to_string() }));
                p.into_result(|| None)
            }
        }
    }
}

/// Field `progress`, labelled “完成进度(%)” in forms and messages.
pub const FIELD_PROGRESS: Field = Field::new("progress", "完成进度(%)");
/// Field `note`, labelled “进展情况” in forms and messages.
pub const FIELD_NOTE: Field = Field::new("note", "进展情况");
/// Field `milestone`, labelled “节点名称” in forms and messages.
pub const FIELD_MILESTONE: Field = Field::new("milestone", "节点名称");
/// Field `due_on`, labelled “计划完成日期” in forms and messages.
pub const FIELD_DUE_ON: Field = Field::new("due_on", "计划完成日期");

/// A delivery update as typed: progress and what happened (公开进度).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgressInput {
    /// 0 to 100.
    pub progress: String,
    /// 进展情况.
    pub note: String,
}

impl ProgressInput {
    /// Checks the form; progress never goes back below `before`.
    pub fn parse(&self, before: u32) -> Result<(u32, String), Vec<FieldError>> {
        let mut p = Problems::new();
        let progress = p.take(whole(FIELD_PROGRESS, &self.progress, before.into(), 100));
        let note = p.take(FIELD_NOTE.required_text(&self.note, 300));
        p.into_result(|| Some((progress?, note?)))
    }
}

/// A milestone as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MilestoneInput {
    /// 节点名称.
    pub milestone: String,
    /// 计划完成日期.
    pub due_on: String,
}

impl MilestoneInput {
    /// Checks the form.
    pub fn parse(&self) -> Result<(String, NaiveDate), Vec<FieldError>> {
        let mut p = Problems::new();
        let name = p.take(FIELD_MILESTONE.required_text(&self.milestone, 60));
        let due = p.take(date(FIELD_DUE_ON, &self.due_on));
        p.into_result(|| Some((name?, due?)))
    }
}

/// Why a round refuses a request (HTTP 409).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParticipationError {
    /// The round is not in the status the request needs.
    WrongPhase {
        /// What the request needs.
        needs: RoundStatus,
        /// What the round is.
        now: RoundStatus,
    },
    /// A proposal was screened or merged already.
    ProposalClosed,
    /// The resident is not on the register of the round's community.
    NotAVoter,
    /// Only completed projects are rated.
    NotCompleted,
    /// This resident rated the project already.
    AlreadyRated,
    /// The same clerk cannot make both paper entries.
    SameClerk,
}

impl crate::error::DomainError for ParticipationError {
    fn code(&self) -> &'static str {
        match self {
            ParticipationError::WrongPhase { .. } => "participation_wrong_phase",
            ParticipationError::ProposalClosed => "participation_proposal_closed",
            ParticipationError::NotAVoter => "participation_not_a_voter",
            ParticipationError::NotCompleted => "participation_not_completed",
            ParticipationError::AlreadyRated => "participation_already_rated",
            ParticipationError::SameClerk => "participation_same_clerk",
        }
    }

    fn message(&self) -> String {
        match self {
            ParticipationError::WrongPhase { needs, now } => {
                format!("本轮现在是“{}”阶段,这一操作要在“{}”阶段进行。", now.label(), needs.label())
            }
            ParticipationError::ProposalClosed => "该提议已筛选或已合并,不能再改。".into(),
            ParticipationError::NotAVoter => "这位居民不在本社区居民名册中(或不是居民代表),不能投票。".into(),
            ParticipationError::NotCompleted => "项目完成后才能评价。".into(),
            ParticipationError::AlreadyRated => "您已评价过这个项目,每人只能评价一次。".into(),
            ParticipationError::SameClerk => "纸质选票须由两位不同的工作人员分别录入。".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;

    fn round() -> RoundInput {
        RoundInput {
            title: "2027 年幸福社区民生实事".into(),
            places: "3".into(),
            budget: "800000".into(),
            max_picks: "3".into(),
            within_budget: true,
            margin_percent: "120".into(),
            voters: "residents".into(),
            proposals_until: "2027-01-31".into(),
            voting_until: "2027-03-15".into(),
        }
    }

    #[test]
    fn a_round_states_its_rules() {
        let r = round().parse().unwrap();
        assert_eq!(r.rules.max_picks, 3);
        assert_eq!(r.rules.budget, Some(Money::parse(FIELD_BUDGET, "800000").unwrap()));
        assert_eq!(r.margin.needed(r.places), 4);
        let bad = RoundInput {
            max_picks: "4".into(),
            margin_percent: "100".into(),
            voting_until: "2027-01-31".into(),
            ..round()
        };
        let fields: Vec<&str> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["max_picks", "margin_percent", "voting_until"]);
    }

    #[test]
    fn proposals_on_behalf_name_the_resident() {
        let mine = ProposalInput {
            title: "加装电梯".into(),
            problem: "老人上下楼难".into(),
            place: "幸福里 3 栋".into(),
            beneficiaries: "3 栋住户".into(),
            channel: "online".into(),
            resident_id: String::new(),
        };
        assert_eq!(mine.parse().unwrap().resident_id, None);
        let on_behalf = ProposalInput { channel: "phone".into(), ..mine.clone() };
        assert_eq!(on_behalf.parse().unwrap_err()[0].field, "resident_id");
        assert_eq!(ProposalInput { resident_id: "12".into(), ..on_behalf }.parse().unwrap().resident_id, Some(12));
    }

    #[test]
    fn similar_proposals_are_found() {
        assert!(similarity("3 栋加装电梯", "为3栋加装电梯") >= SIMILAR);
        assert!(similarity("小区增设充电桩", "增设电动车充电桩") >= SIMILAR);
        assert!(similarity("加装电梯", "修缮篮球场") < SIMILAR);
        assert_eq!(similarity("", "x"), 0.0);
    }

    #[test]
    fn screening_asks_for_cost_or_a_reason() {
        let fields = |s: ScreeningInput| -> Vec<&str> { s.parse().unwrap_err().iter().map(|e| e.field).collect() };
        assert_eq!(
            fields(ScreeningInput { decision: "candidate".into(), ..Default::default() }),
            ["feasibility", "department_id", "cost"]
        );
        assert_eq!(
            fields(ScreeningInput { decision: "not_taken".into(), feasibility: "x".into(), ..Default::default() }),
            ["reason"]
        );
        assert_eq!(fields(ScreeningInput::default()), ["feasibility", "decision"]);
        let ok = ScreeningInput {
            decision: "candidate".into(),
            feasibility: "可行".into(),
            department_id: "3".into(),
            cost: "120000".into(),
            reason: String::new(),
        };
        assert!(matches!(ok.parse().unwrap(), Screening::Candidate { department_id: 3, .. }));
    }

    #[test]
    fn progress_never_goes_back() {
        let p = ProgressInput { progress: "40".into(), note: "完成招标".into() };
        assert_eq!(p.parse(20).unwrap().0, 40);
        assert_eq!(p.parse(50).unwrap_err()[0].code(), "field_out_of_range");
        assert_eq!(RoundStatus::Voting.next(), Some(RoundStatus::Counted));
        let e = ParticipationError::WrongPhase { needs: RoundStatus::Voting, now: RoundStatus::Screening };
        assert_eq!(e.message(), "本轮现在是“筛选论证”阶段,这一操作要在“投票中”阶段进行。");
    }
}
