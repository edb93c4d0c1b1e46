//! One resident, one voice (一人一票), counted by rules published before the
//! vote: the ballot module shared by the practical-projects vote (百姓定实事,
//! 票决), self-government's polls and democratic review, and residents'
//! ratings.
//!
//! - A ballot is judged against the round's [`BallotRules`]: at least one and
//!   at most K picks, optionally within a budget; a blank ballot counts as
//!   blank. Online, a ballot that breaks a rule is refused before it is cast;
//!   a paper ballot that does is counted as void.
//! - The count ([`count`]) ranks candidates by votes; ties are broken by the
//!   round's published [`TieBreak`] (lower cost first, then a public draw:
//!   SHA-256 of the seed and the candidate's id), so anyone holding the
//!   anonymised ballots ([`AnonBallot`], no resident in it) and the rule
//!   reproduces the published result.
//! - The list must hold more candidates than places (差额, [`Margin`]).
//! - Who may vote once is the storage's business: a unique key on (round,
//!   resident), never a check before the insert.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::DomainError;
use crate::money::Money;

/// A candidate's id, as stored.
pub type CandidateId = i64;

/// How a ballot reached the count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 网上投票 (a resident's phone).
    Online,
    /// 纸质选票 (entered twice by two staff at the polling point).
    Paper,
    /// 入户 (a grid member on the tablet, door to door).
    DoorToDoor,
}

impl Channel {
    /// Every value, in display order.
    pub const ALL: [Channel; 3] = [Channel::Online, Channel::Paper, Channel::DoorToDoor];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Paper => "paper",
            Channel::DoorToDoor => "door_to_door",
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Online => "网上投票",
            Channel::Paper => "纸质选票",
            Channel::DoorToDoor => "入户投票",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A candidate as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Its id.
    pub id: CandidateId,
    /// Its estimated cost.
    pub cost: Money,
}

/// What may be on a ballot, published with the round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotRules {
    /// At least this many picks (1 or more) on a ballot that is not blank.
    pub min_picks: u32,
    /// At most this many picks (K).
    pub max_picks: u32,
    /// When set, the picks' costs together stay within it.
    pub budget: Option<Money>,
}

/// What a voter marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mark", content = "picks", rename_all = "snake_case")]
pub enum Mark {
    /// Nothing marked (弃权票): counted as blank.
    Blank,
    /// These candidates.
    Picks(Vec<CandidateId>),
}

/// A ballot judged against the rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Counts for these candidates (sorted, each once).
    Valid {
        /// The picks.
        picks: Vec<CandidateId>,
    },
    /// Counted as blank.
    Blank,
    /// Counted as void (废票), with why.
    Void {
        /// Why.
        reason: BallotError,
    },
}

impl BallotRules {
    /// Judges `mark` against these rules and the candidate list.
    pub fn judge(&self, mark: &Mark, candidates: &[Candidate]) -> Verdict {
        let picks = match mark {
            Mark::Blank => return Verdict::Blank,
            Mark::Picks(p) if p.is_empty() => return Verdict::Blank,
            Mark::Picks(p) => p,
        };
        let mut sorted = picks.clone();
        sorted.sort_unstable();
        sorted.dedup();
        let void = |reason| Verdict::Void { reason };
        if sorted.len() != picks.len() {
            return void(BallotError::DuplicatePick);
        }
        let Some(costs) =
            sorted.iter().map(|id| candidates.iter().find(|c| c.id == *id).map(|c| c.cost)).collect::<Option<Vec<_>>>()
        else {
            return void(BallotError::UnknownCandidate);
        };
        let n = sorted.len() as u32;
        if n > self.max_picks {
            return void(BallotError::TooManyPicks { max: self.max_picks });
        }
        if n < self.min_picks {
            return void(BallotError::TooFewPicks { min: self.min_picks });
        }
        if let Some(budget) = self.budget {
            let total: i64 = costs.iter().map(|c| c.fen()).sum();
            if total > budget.fen() {
                return void(BallotError::OverBudget { total_fen: total, budget_fen: budget.fen() });
            }
        }
        Verdict::Valid { picks: sorted }
    }
}

/// How many candidates a list of `places` needs (差额): always more than
/// the places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", content = "value", rename_all = "snake_case")]
pub enum Margin {
    /// At least places + n (n ≥ 1).
    AtLeastMore(u32),
    /// At least places × percent / 100, rounded up (and at least places + 1).
    Percent(u32),
}

impl Margin {
    /// The fewest candidates a list of `places` may hold.
    pub fn needed(self, places: u32) -> u32 {
        let by_rule = match self {
            Margin::AtLeastMore(n) => places + n.max(1),
            Margin::Percent(p) => (places * p).div_ceil(100),
        };
        by_rule.max(places + 1)
    }

    /// Whether `candidates` are enough for `places`.
    pub fn check(self, places: u32, candidates: u32) -> Result<(), BallotError> {
        let need = self.needed(places);
        if candidates < need {
            Err(BallotError::TooFewCandidates { need, have: candidates })
        } else {
            Ok(())
        }
    }
}

/// How equal votes are ordered, published before voting opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum TieBreak {
    /// The cheaper first; then the public draw.
    LowerCostThenDraw {
        /// The draw's seed, recorded with the round.
        seed: String,
    },
    /// The public draw only.
    Draw {
        /// The draw's seed.
        seed: String,
    },
}

impl TieBreak {
    fn seed(&self) -> &str {
        match self {
            TieBreak::LowerCostThenDraw { seed } | TieBreak::Draw { seed } => seed,
        }
    }
}

/// The public draw's key for a candidate: the lower key comes first. Anyone
/// can compute it: SHA-256 over the seed, a zero byte and the decimal id.
pub fn draw_key(seed: &str, id: CandidateId) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(seed.as_bytes());
    h.update([0u8]);
    h.update(id.to_string().as_bytes());
    h.finalize().into()
}

/// One ballot as published for a recount: how it came and what it counts
/// as — no resident, no time, no order of entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonBallot {
    /// Its channel.
    pub channel: Channel,
    /// What it counts as.
    pub verdict: Verdict,
}

/// One candidate's line of the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateCount {
    /// The candidate.
    pub id: CandidateId,
    /// Valid ballots that picked it.
    pub votes: u32,
    /// Its place in the ranking, from 1.
    pub rank: u32,
    /// Whether it won a place.
    pub chosen: bool,
    /// Whether the tie-break rule decided its place against a candidate with
    /// equal votes.
    pub tie_decided: bool,
}

/// The result of a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Every candidate, in rank order.
    pub candidates: Vec<CandidateCount>,
    /// Ballots cast (valid + blank + void).
    pub cast: u32,
    /// Valid ballots.
    pub valid: u32,
    /// Blank ballots.
    pub blank: u32,
    /// Void ballots.
    pub void: u32,
    /// Ballots cast per channel, in [`Channel::ALL`] order.
    pub by_channel: Vec<(Channel, u32)>,
}

/// Counts `ballots` for `candidates` with `places` to fill, ordering equal
/// votes by `tie`. The same ballots in any order give the same tally.
pub fn count(ballots: &[AnonBallot], candidates: &[Candidate], places: u32, tie: &TieBreak) -> Tally {
    let mut votes: Vec<(Candidate, u32)> = candidates.iter().map(|c| (*c, 0)).collect();
    let (mut valid, mut blank, mut void) = (0, 0, 0);
    let mut by_channel: Vec<(Channel, u32)> = Channel::ALL.iter().map(|c| (*c, 0)).collect();
    for b in ballots {
        if let Some(slot) = by_channel.iter_mut().find(|(c, _)| *c == b.channel) {
            slot.1 += 1;
        }
        match &b.verdict {
            Verdict::Valid { picks } => {
                valid += 1;
                for id in picks {
                    if let Some(v) = votes.iter_mut().find(|(c, _)| c.id == *id) {
                        v.1 += 1;
                    }
                }
            }
            Verdict::Blank => blank += 1,
            Verdict::Void { .. } => void += 1,
        }
    }
    let cost_first = matches!(tie, TieBreak::LowerCostThenDraw { .. });
    let key = |c: &Candidate| draw_key(tie.seed(), c.id);
    votes.sort_by(|(a, va), (b, vb)| {
        vb.cmp(va)
            .then_with(|| if cost_first { a.cost.cmp(&b.cost) } else { std::cmp::Ordering::Equal })
            .then_with(|| key(a).cmp(&key(b)))
    });
    let counts: Vec<u32> = votes.iter().map(|(_, v)| *v).collect();
    let candidates = votes
        .iter()
        .enumerate()
        .map(|(i, (c, v))| CandidateCount {
            id: c.id,
            votes: *v,
            rank: i as u32 + 1,
            // A candidate without a single vote wins nothing.
            chosen: (i as u32) < places && *v > 0,
            tie_decided: counts.iter().filter(|n| *n == v).count() > 1,
        })
        .collect();
    Tally { candidates, cast: valid + blank + void, valid, blank, void, by_channel }
}

/// A resident's rating of a delivered project or a reviewed body (效果票评,
/// 民主评议).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 基本满意
    Fair,
    /// 不满意
    Unsatisfied,
}

impl Rating {
    /// Every value, best first.
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::Fair, Rating::Unsatisfied];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::Fair => "fair",
            Rating::Unsatisfied => "unsatisfied",
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::Fair => "基本满意",
            Rating::Unsatisfied => "不满意",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Ratings counted: how many of each, and the satisfaction rate (满意 and
/// 基本满意 over all, in whole per cent, rounded down; `None` with none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTally {
    /// 满意.
    pub satisfied: u32,
    /// 基本满意.
    pub fair: u32,
    /// 不满意.
    pub unsatisfied: u32,
    /// (满意 + 基本满意) × 100 / all.
    pub satisfaction_pct: Option<u32>,
}

/// Counts ratings.
pub fn rate(ratings: impl IntoIterator<Item = Rating>) -> RatingTally {
    let (mut s, mut f, mut u) = (0u32, 0u32, 0u32);
    for r in ratings {
        match r {
            Rating::Satisfied => s += 1,
            Rating::Fair => f += 1,
            Rating::Unsatisfied => u += 1,
        }
    }
    let all = s + f + u;
    RatingTally { satisfied: s, fair: f, unsatisfied: u, satisfaction_pct: (all > 0).then(|| (s + f) * 100 / all) }
}

/// Why a ballot or a list is refused (online) or void (on paper).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum BallotError {
    /// More picks than allowed.
    TooManyPicks {
        /// K.
        max: u32,
    },
    /// Fewer picks than required.
    TooFewPicks {
        /// The minimum.
        min: u32,
    },
    /// A pick that is not on the list.
    UnknownCandidate,
    /// The same candidate twice.
    DuplicatePick,
    /// The picks cost more than the budget.
    OverBudget {
        /// Their cost, in fen.
        total_fen: i64,
        /// The budget, in fen.
        budget_fen: i64,
    },
    /// Not more candidates than places (差额).
    TooFewCandidates {
        /// The fewest allowed.
        need: u32,
        /// On the list.
        have: u32,
    },
    /// This resident has voted in this round already (any channel).
    AlreadyVoted,
    /// The second paper entry differs from the first.
    EntriesDiffer,
    /// A paper ballot no one can read (marked so by both clerks): void.
    Unreadable,
}

impl DomainError for BallotError {
    fn code(&self) -> &'static str {
        match self {
            BallotError::TooManyPicks { .. } => "ballot_too_many_picks",
            BallotError::TooFewPicks { .. } => "ballot_too_few_picks",
            BallotError::UnknownCandidate => "ballot_unknown_candidate",
            BallotError::DuplicatePick => "ballot_duplicate_pick",
            BallotError::OverBudget { .. } => "ballot_over_budget",
            BallotError::TooFewCandidates { .. } => "ballot_too_few_candidates",
            BallotError::AlreadyVoted => "ballot_already_voted",
            BallotError::EntriesDiffer => "ballot_entries_differ",
            BallotError::Unreadable => "ballot_unreadable",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            BallotError::TooManyPicks { .. }
            | BallotError::TooFewPicks { .. }
            | BallotError::UnknownCandidate
            | BallotError::DuplicatePick
            | BallotError::OverBudget { .. } => Some("picks"),
            _ => None,
        }
    }

    fn message(&self) -> String {
        let yuan = |fen: i64| crate::funding::fen_label(fen);
        match self {
            BallotError::TooManyPicks { max } => format!("最多可选 {max} 项,请去掉多选的项目。"),
            BallotError::TooFewPicks { min } => format!("至少要选 {min} 项;如不想选择任何项目,可投弃权票。"),
            BallotError::UnknownCandidate => "所选项目不在本轮候选名单中,请刷新后重新选择。".into(),
            BallotError::DuplicatePick => "同一项目只能选一次。".into(),
            BallotError::OverBudget { total_fen, budget_fen } => {
                format!("所选项目合计 {} 元,超过本轮预算 {} 元,请少选或换选。", yuan(*total_fen), yuan(*budget_fen))
            }
            BallotError::TooFewCandidates { need, have } => {
                format!("候选项目须多于名额(差额票决):至少需要 {need} 个,现有 {have} 个。")
            }
            BallotError::AlreadyVoted => "这位居民在本轮已投票(每人一票,网上和纸质选票合计)。".into(),
            BallotError::EntriesDiffer => "第二次录入与第一次不一致,请两位工作人员核对原始选票。".into(),
            BallotError::Unreadable => "选票无法辨认,按废票计。".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cand(id: i64, yuan: i64) -> Candidate {
        Candidate { id, cost: Money::from_fen(yuan * 100).unwrap() }
    }

    fn ballot(channel: Channel, picks: &[i64], rules: &BallotRules, list: &[Candidate]) -> AnonBallot {
        let mark = if picks.is_empty() { Mark::Blank } else { Mark::Picks(picks.to_vec()) };
        AnonBallot { channel, verdict: rules.judge(&mark, list) }
    }

    const RULES: BallotRules = BallotRules { min_picks: 1, max_picks: 2, budget: None };

    #[test]
    fn ballots_are_judged_by_the_rules() {
        let list = [cand(1, 300_000), cand(2, 500_000), cand(3, 200_000)];
        assert_eq!(RULES.judge(&Mark::Picks(vec![2, 1]), &list), Verdict::Valid { picks: vec![1, 2] });
        assert_eq!(RULES.judge(&Mark::Blank, &list), Verdict::Blank);
        assert_eq!(RULES.judge(&Mark::Picks(vec![]), &list), Verdict::Blank);
        let void = |m: Vec<i64>| match RULES.judge(&Mark::Picks(m), &list) {
            Verdict::Void { reason } => reason.code(),
            v => panic!("{v:?}"),
        };
        assert_eq!(void(vec![1, 2, 3]), "ballot_too_many_picks");
        assert_eq!(void(vec![1, 1]), "ballot_duplicate_pick");
        assert_eq!(void(vec![9]), "ballot_unknown_candidate");
        let budget = BallotRules { budget: Some(Money::from_fen(60_000_000).unwrap()), ..RULES };
        let Verdict::Void { reason } = budget.judge(&Mark::Picks(vec![1, 2]), &list) else { panic!() };
        assert_eq!(reason.message(), "所选项目合计 800,000.00 元,超过本轮预算 600,000.00 元,请少选或换选。");
        assert_eq!(budget.judge(&Mark::Picks(vec![1, 3]), &list), Verdict::Valid { picks: vec![1, 3] });
    }

    #[test]
    fn the_list_holds_more_candidates_than_places() {
        assert_eq!(Margin::AtLeastMore(1).needed(3), 4);
        assert_eq!(Margin::Percent(120).needed(5), 6);
        assert_eq!(Margin::Percent(120).needed(6), 8); // 7.2 rounded up
        assert_eq!(Margin::Percent(100).needed(3), 4); // never equal
        assert_eq!(Margin::AtLeastMore(0).needed(3), 4);
        let e = Margin::Percent(150).check(4, 5).unwrap_err();
        assert_eq!(e, BallotError::TooFewCandidates { need: 6, have: 5 });
        assert_eq!(e.message(), "候选项目须多于名额(差额票决):至少需要 6 个,现有 5 个。");
    }

    #[test]
    fn ties_go_to_the_cheaper_then_to_the_published_draw() {
        let list = [cand(1, 300_000), cand(2, 200_000), cand(3, 200_000), cand(4, 100_000)];
        let rules = BallotRules { max_picks: 1, ..RULES };
        let ballots: Vec<AnonBallot> =
            [1, 2, 3, 1, 2, 3].iter().map(|id| ballot(Channel::Online, &[*id], &rules, &list)).collect();
        let tie = TieBreak::LowerCostThenDraw { seed: "2026-12-01 公开抽签".into() };
        let t = count(&ballots, &list, 2, &tie);
        // 2 and 3 cost the same and tie on votes: the draw orders them.
        let (first, second) = if draw_key("2026-12-01 公开抽签", 2) < draw_key("2026-12-01 公开抽签", 3) {
            (2, 3)
        } else {
            (3, 2)
        };
        let order: Vec<i64> = t.candidates.iter().map(|c| c.id).collect();
        assert_eq!(order, [first, second, 1, 4]);
        assert!(t.candidates[0].chosen && t.candidates[1].chosen && !t.candidates[2].chosen);
        assert!(t.candidates[2].tie_decided);
        // Candidate 4 has no vote: not chosen even with a place free.
        assert!(!count(&ballots, &list, 4, &tie).candidates[3].chosen);
        assert_eq!((t.cast, t.valid, t.blank, t.void), (6, 6, 0, 0));
    }

    #[test]
    fn ratings_count_satisfaction() {
        let t = rate([Rating::Satisfied, Rating::Fair, Rating::Unsatisfied, Rating::Satisfied]);
        assert_eq!((t.satisfied, t.fair, t.unsatisfied, t.satisfaction_pct), (2, 1, 1, Some(75)));
        assert_eq!(rate([]).satisfaction_pct, None);
    }

    proptest! {
        /// The published tally equals a recount of the exported ballots in
        /// any order (the export is what travels: serialised and back), and
        /// every ballot is counted exactly once.
        #[test]
        fn a_recount_of_the_export_gives_the_published_result(
            marks in proptest::collection::vec((0usize..3, proptest::collection::vec(1i64..7, 0..4)), 0..60),
            places in 1u32..4,
            seed in "[a-z0-9]{1,12}",
            shuffle in any::<u64>(),
        ) {
            let list: Vec<Candidate> = (1..=5).map(|id| cand(id, 100_000 * (id % 3 + 1))).collect();
            let rules = BallotRules { min_picks: 1, max_picks: 3, budget: Some(Money::from_fen(60_000_000).unwrap()) };
            let ballots: Vec<AnonBallot> =
                marks.iter().map(|(ch, picks)| ballot(Channel::ALL[*ch], picks, &rules, &list)).collect();
            let tie = TieBreak::LowerCostThenDraw { seed };
            let published = count(&ballots, &list, places, &tie);
            let export = serde_json::to_string(&ballots).unwrap();
            let mut back: Vec<AnonBallot> = serde_json::from_str(&export).unwrap();
            // Any order of the exported ballots.
            let n = back.len().max(1);
            back.rotate_left((shuffle as usize) % n);
            back.reverse();
            prop_assert_eq!(&count(&back, &list, places, &tie), &published);
            prop_assert_eq!(published.cast as usize, ballots.len());
            prop_assert_eq!(published.valid + published.blank + published.void, published.cast);
            prop_assert_eq!(published.by_channel.iter().map(|(_, n)| n).sum::<u32>(), published.cast);
            let picked: u32 = published.candidates.iter().map(|c| c.votes).sum();
            let expected: usize = ballots.iter().map(|b| match &b.verdict { Verdict::Valid { picks } => picks.len(), _ => 0 }).sum();
            prop_assert_eq!(picked as usize, expected);
            prop_assert!(published.candidates.iter().filter(|c| c.chosen).count() as u32 <= places);
            // Ranked by votes, never a lower-voted candidate above a higher one.
            prop_assert!(published.candidates.windows(2).all(|w| w[0].votes >= w[1].votes));
        }
    }
}
