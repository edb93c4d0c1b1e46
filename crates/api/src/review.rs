//! Democratic review (民主评议) wire types.

use chrono::NaiveDate;
use gongzhi_domain::review::{Forms, ReviewBallotInput, ReviewResult};
use serde::{Deserialize, Serialize};

/// A review, as representatives, staff and (once published) every resident see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: i64,
    pub community_name: String,
    pub title: String,
    pub subject_kind: String,
    pub subject_kind_label: String,
    pub subject_name: String,
    pub report: String,
    pub dimensions: Vec<String>,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub until: NaiveDate,
    pub status: String,
    pub status_label: String,
    /// Ballots in so far (online and paper).
    pub ballots: u32,
    /// The paper forms' count, once entered.
    pub forms: Option<Forms>,
    /// The published result.
    pub result: Option<ReviewResult>,
    /// The community's leader: counts the forms and publishes.
    pub can_manage: bool,
    /// Community staff: enter paper forms.
    pub can_enter_paper: bool,
    /// For a resident: `Some(true)` when they have rated, `Some(false)` when
    /// they may still (one of its raters, review open).
    pub rated: Option<bool>,
    /// Who rates: `representatives` (the community's), or `estate_residents`
    /// (the residents of a property company's estates: a satisfaction rating).
    #[serde(default)]
    pub raters: String,
    #[serde(default)]
    pub raters_label: String,
    /// The company rated by its estates' residents, with the year.
    #[serde(default)]
    pub property_company_id: Option<i64>,
    #[serde(default)]
    pub rating_year: Option<i32>,
}

/// A paper form entered by staff: the representative's register id and the
/// ratings marked on it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaperReview {
    pub resident_id: String,
    #[serde(flatten)]
    pub ballot: ReviewBallotInput,
}
