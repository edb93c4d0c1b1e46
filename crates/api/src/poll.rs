//! Opinion poll (民意调查) wire types.

use chrono::NaiveDate;
use gongzhi_domain::poll::{PollResult, Question, ResponseInput};
use serde::{Deserialize, Serialize};

/// A poll, as those it asks, staff and (once ended) every resident of the
/// community see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollView {
    pub id: i64,
    pub community_name: String,
    pub title: String,
    pub intro: String,
    /// Whom it asks, in words (e.g. “特殊群体:独居老人”).
    pub audience_label: String,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub until: NaiveDate,
    pub status: String,
    pub status_label: String,
    pub questions: Vec<Question>,
    /// Questionnaires in so far, by every channel.
    pub responses: u32,
    /// The count: staff see it while the poll runs, everyone once it has
    /// ended. Short answers only for staff.
    pub result: Option<PollResult>,
    /// The community's leader: ends the poll.
    pub can_manage: bool,
    /// Community staff: enter paper and door-to-door questionnaires.
    pub can_enter: bool,
    /// For a resident: `Some(true)` when they have answered, `Some(false)`
    /// when they may still (asked, poll open); `None` when not asked.
    pub answered: Option<bool>,
}

/// A questionnaire entered by staff: whose (register id), how it came
/// (`paper` or `door_to_door`), the tablet's key (the outbox's
/// exactly-once), and the answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PollEntry {
    pub resident_id: String,
    pub channel: String,
    pub idempotency_key: String,
    #[serde(flatten)]
    pub response: ResponseInput,
}

/// A resident a poll asks, as staff find them for an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedResident {
    pub resident_id: i64,
    /// Masked unless the account sees residents' names.
    pub name: String,
    pub address: String,
    pub answered: bool,
}
