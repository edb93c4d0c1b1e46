//! Consultation and deliberation (协商议事) wire types: matters, meetings,
//! attendance, resolutions and their follow-up items.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A matter in a list (and at the head of its page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterSummary {
    pub id: i64,
    pub community_name: String,
    pub kind: String,
    pub kind_label: String,
    pub origin_label: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    /// Residents behind it (the raiser included), for residents' matters.
    pub cosigners: u32,
    /// How many it needs (the community's setting when it was raised).
    pub cosigners_needed: u32,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub raised_on: NaiveDate,
    /// The planned meeting's day, if one is planned.
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub meeting_on: Option<NaiveDate>,
    /// Follow-up items, and how many of them are late.
    pub follow_ups: u32,
    pub late: u32,
    /// For a resident: whether they co-signed it.
    pub cosigned: Option<bool>,
}

/// An invited party, or an attendance's capacity, with its label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyView {
    pub kind: String,
    pub kind_label: String,
    pub name: String,
}

/// One attendance (staff only: residents see the count).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeView {
    pub name: String,
    pub capacity_label: String,
    pub method_label: String,
}

/// The votes of those present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VotesView {
    pub votes_for: u32,
    pub votes_against: u32,
    pub votes_abstain: u32,
    pub carried: bool,
}

/// A meeting on a matter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: i64,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub date: NaiveDate,
    pub time: String,
    pub place: String,
    pub invited: Vec<PartyView>,
    pub present: u32,
    pub attendance: Vec<AttendeeView>,
    pub minutes: Option<String>,
    pub resolution: Option<String>,
    pub votes: Option<VotesView>,
    /// A dispute's outcome in words, and to whom it was referred.
    pub outcome_label: Option<String>,
    pub referred_to: Option<String>,
}

/// A follow-up item of a resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpView {
    pub id: i64,
    pub task: String,
    pub owner: String,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub due_on: NaiveDate,
    /// The due date was reckoned on the statutory holidays of a year whose
    /// schedule is not yet published: it may move once it is.
    pub due_provisional: bool,
    pub status: String,
    pub status_label: String,
    /// Still being done after its due day.
    pub late: bool,
    pub note: Option<String>,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub done_on: Option<NaiveDate>,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub published_on: Option<NaiveDate>,
}

/// A matter's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterDetail {
    pub matter: MatterSummary,
    pub description: String,
    pub parties: Vec<String>,
    pub meetings: Vec<MeetingView>,
    pub follow_ups: Vec<FollowUpView>,
    /// The community's leader: plans meetings, records them, publishes.
    pub can_manage: bool,
    /// Community staff at the door: signs attendances in.
    pub can_sign_in: bool,
    /// A resident of the community who has not co-signed, while it collects
    /// or waits for deliberation.
    pub can_cosign: bool,
}

/// The community's consultation settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationSettings {
    pub community_name: String,
    pub cosigners_needed: u32,
}

/// The leader's change of the settings, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsInput {
    pub cosigners_needed: String,
}
