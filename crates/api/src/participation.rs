//! Residents decide the practical projects (百姓定实事政府做) wire types.

use chrono::NaiveDate;
use gongzhi_domain::ballot::{AnonBallot, BallotRules, RatingTally, Tally, TieBreak};
use serde::{Deserialize, Serialize};

/// A round, as residents and staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub places: u32,
    pub budget_fen: i64,
    pub max_picks: u32,
    pub within_budget: bool,
    /// The fewest candidates the list needs (差额).
    pub candidates_needed: u32,
    pub voters: String,
    pub voters_label: String,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub proposals_until: NaiveDate,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub voting_until: NaiveDate,
    /// The tie-break rule in words, published with the round.
    pub tie_rule: String,
    /// The draw's seed, fixed when voting opens.
    pub seed: Option<String>,
    pub proposals: u32,
    pub candidates: u32,
    /// Whether the account manages this round (the community's leader).
    pub can_manage: bool,
    /// For a resident: whether they have voted in it (any channel).
    pub voted: Option<bool>,
    /// The label of the next status, when the manager can move it on.
    pub next_label: Option<String>,
}

/// A proposal with its outcome (public: residents see every outcome and reason).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub id: i64,
    pub title: String,
    pub problem: String,
    pub place: String,
    pub beneficiaries: String,
    pub channel_label: String,
    pub status: String,
    pub status_label: String,
    /// How many residents are behind it (a merge adds the other's).
    pub proposers: u32,
    pub merged_into: Option<i64>,
    pub feasibility: Option<String>,
    pub department_name: Option<String>,
    pub cost_fen: Option<i64>,
    pub reason: Option<String>,
    /// For staff: other open proposals that read alike (id, title).
    pub similar: Vec<(i64, String)>,
}

/// A candidate on the ballot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateView {
    pub id: i64,
    pub title: String,
    pub problem: String,
    pub place: String,
    pub cost_fen: i64,
    pub department_name: String,
}

/// One candidate's line of a published result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    pub id: i64,
    pub title: String,
    pub cost_fen: i64,
    pub votes: u32,
    pub rank: u32,
    pub chosen: bool,
    pub tie_decided: bool,
}

/// Turnout in one grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridTurnout {
    pub grid_name: String,
    pub voted: u32,
    pub eligible: u32,
}

/// A published result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultView {
    pub lines: Vec<ResultLine>,
    pub tally: Tally,
    pub eligible: u32,
    pub by_grid: Vec<GridTurnout>,
    pub seed: String,
}

/// A delivery milestone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub id: i64,
    pub name: String,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub due_on: NaiveDate,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub done_on: Option<NaiveDate>,
    pub late: bool,
}

/// A progress update on the public timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateView {
    pub at: String,
    /// The Beijing date of `at`, for the residents' timeline (their page
    /// then carries no time-zone code).
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub on: NaiveDate,
    pub progress: u32,
    pub note: String,
    pub by: String,
}

/// A chosen project being delivered (政府办), with its ratings (效果票评).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub title: String,
    pub department_name: String,
    pub cost_fen: i64,
    pub progress: u32,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub completed_on: Option<NaiveDate>,
    pub milestones: Vec<MilestoneView>,
    pub updates: Vec<UpdateView>,
    pub ratings: RatingTally,
    /// For a resident: their rating, if given.
    pub my_rating: Option<String>,
    /// Whether the account may report progress.
    pub can_update: bool,
}

/// A round's page: the round, its proposals, candidates, result and deliveries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundDetail {
    pub round: RoundView,
    pub proposals: Vec<ProposalView>,
    pub candidates: Vec<CandidateView>,
    pub result: Option<ResultView>,
    pub deliveries: Vec<DeliveryView>,
}

/// A resident's online ballot: candidate ids, or blank.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CastBallot {
    pub picks: Vec<i64>,
    pub blank: bool,
}

/// One entry of a paper ballot by a clerk (the second must match the first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaperEntry {
    /// The voter's id on the resident register.
    pub resident_id: String,
    pub picks: Vec<i64>,
    pub blank: bool,
    /// Marked unreadable: counted void.
    pub unreadable: bool,
}

/// What a paper entry did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperEntryOutcome {
    /// `first` (waits for the second clerk), `cast` (matched, counted).
    pub outcome: String,
    pub message: String,
}

/// A paper ballot waiting for its second entry or listed as a mismatch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperPending {
    pub resident_id: i64,
    /// Masked (王*英).
    pub resident_name: String,
    pub status: String,
    pub status_label: String,
    pub entered_by: String,
}

/// A resident on the register, as the paper clerk looks them up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterLookup {
    pub resident_id: i64,
    pub name: String,
    pub address: String,
    /// Whether they have voted in this round already (the clerk sees “已投票”).
    pub voted: bool,
    pub eligible: bool,
}

/// Everything a recount needs, for anyone: the anonymised ballots, the
/// candidates with their costs, places and the published rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecountPack {
    pub round_id: i64,
    pub places: u32,
    pub rules: BallotRules,
    pub tie_break: TieBreak,
    pub candidates: Vec<gongzhi_domain::ballot::Candidate>,
    pub ballots: Vec<AnonBallot>,
    pub published: Tally,
}

/// Moves a round or a remedy to a named next status (the same request twice
/// moves it once).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdvanceTo {
    pub to: String,
}

/// Merges a proposal into another.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MergeInto {
    pub into: String,
}

/// A resident's rating of a completed project.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateProject {
    pub rating: String,
}
