//! Cleanup registers and campaigns (清理), and the purchase-of-services list.

use chrono::NaiveDate;
use gongzhi_domain::cleanup::Counts;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanupEntryView {
    pub id: i64,
    pub community_code: String,
    pub community_name: String,
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub source: String,
    pub basis: String,
    /// `active`, `merged` or `removed`.
    pub status: String,
    pub status_label: String,
    pub merged_into: Option<i64>,
    /// The campaign that removed or merged it, and why.
    pub closed_in: Option<i64>,
    pub reason: Option<String>,
}

/// Counts of one community before and after a campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityCounts {
    pub community_code: String,
    pub community_name: String,
    pub before: Counts,
    pub after: Counts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: i64,
    pub name: String,
    pub started_on: NaiveDate,
    pub status: String,
    pub reviewed: u32,
    pub communities: Vec<CommunityCounts>,
    pub city_before: Counts,
    pub city_after: Counts,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCampaign {
    #[serde(default)]
    pub name: String,
}

/// `POST /api/cleanup/campaigns/{id}/reviews` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReview {
    #[serde(default)]
    pub entry_id: i64,
    #[serde(flatten)]
    pub review: gongzhi_domain::cleanup::ReviewInput,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseView {
    pub id: i64,
    pub department_name: String,
    pub service: String,
    pub organisation: String,
    pub amount_fen: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub deliverables: Vec<String>,
    pub source_file_no: Option<String>,
    pub status: String,
    pub status_label: String,
    pub accepted_on: Option<NaiveDate>,
    pub acceptance_note: Option<String>,
    /// Whether the caller's department may record the acceptance.
    pub own: bool,
}
