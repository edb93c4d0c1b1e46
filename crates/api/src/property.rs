//! Property management joint building (社区物业党建联建) wire types.

use chrono::NaiveDate;
use gongzhi_domain::property::{CompanyInput, ComplaintCounts, EstateInput};
use serde::{Deserialize, Serialize};

/// A grid an estate covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRef {
    pub id: i64,
    pub name: String,
}

/// An estate (小区) with its owners' committee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateView {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub grids: Vec<GridRef>,
    pub households: u32,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub served_since: NaiveDate,
    /// 已成立业主委员会.
    pub owners_committee: bool,
    pub committee_chair: Option<String>,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub committee_term_ends: Option<NaiveDate>,
    /// `none`, `serving`, `expiring` (within 90 days) or `expired`.
    pub committee_state: String,
    pub committee_state_label: String,
    /// The committee's term has ended (flagged 待换届).
    pub committee_term_ended: bool,
    /// Sent back with an edit: the edit is refused (409 `property_changed`)
    /// when the estate changed meanwhile.
    pub version: i64,
}

/// A yearly satisfaction rating of the company (a review, `/api/reviews/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub review_id: i64,
    pub year: i32,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub ballots: u32,
    /// The published overall satisfaction rate, in percent.
    pub satisfaction_pct: Option<u32>,
}

/// A joint meeting (物业联席会议) the company was invited to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointMeetingRef {
    pub meeting_id: i64,
    pub matter_id: i64,
    pub matter_title: String,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub date: NaiveDate,
    pub status: String,
    pub status_label: String,
    pub resolution: Option<String>,
}

/// A property service company (物业服务企业) as its community reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyView {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub name: String,
    pub credit_code: String,
    pub contact: String,
    /// A public business contact.
    pub phone: String,
    pub party_org: String,
    pub party_org_label: String,
    pub party_members: u32,
    /// No party organisation although it has 3 members or more (应单独建立党支部).
    pub branch_due: bool,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub agreement_on: Option<NaiveDate>,
    pub version: i64,
    pub estates: Vec<EstateView>,
    /// Linked complaints: open now, closed this year.
    pub complaints: ComplaintCounts,
    /// Ratings, newest first (open ones too: the estates' residents rate from here).
    pub ratings: Vec<RatingSummary>,
    pub joint_meetings: Vec<JointMeetingRef>,
    /// The community's leader: edits, adds estates, opens ratings.
    pub can_manage: bool,
    /// Community staff: link complaints.
    pub can_link: bool,
}

/// An edit of a company: the form and the version it was read at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanyUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub company: CompanyInput,
}

/// An edit of an estate: the form and the version it was read at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EstateUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub estate: EstateInput,
}

/// `POST /api/property/companies/{id}/complaints`: the complaint event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplaintLink {
    pub event_id: String,
}
