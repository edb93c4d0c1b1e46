//! Public disclosure of community affairs (居务公开) wire types: the
//! directory with what each item owes, publications, and residents'
//! questions and objections with their public answers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A community that discloses (for the public picker).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityRef {
    pub id: i64,
    pub name: String,
    /// Its street's name, to tell same-named communities apart.
    pub street_name: String,
}

/// One directory item and what it owes today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryItemView {
    pub id: i64,
    pub item: String,
    pub content: String,
    pub basis: String,
    pub frequency: String,
    pub frequency_label: String,
    /// The channels in words, e.g. “社区公开栏、网上公开”.
    pub channels_label: String,
    pub owner: String,
    /// The period owed (its key and label), when one is owed.
    pub owed_key: Option<String>,
    pub owed_label: Option<String>,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub due_on: Option<NaiveDate>,
    /// Owed and past its due day.
    pub overdue: bool,
    /// The due day rests on a year's statutory holidays (schedule not yet published).
    pub due_provisional: bool,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub last_published_on: Option<NaiveDate>,
}

/// A resident's question or objection and the committee's public answer.
/// Who asked is not shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub text: String,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub asked_on: NaiveDate,
    pub answer: Option<String>,
    #[serde(default, with = "gongzhi_domain::time::optional_ymd")]
    pub answered_on: Option<NaiveDate>,
}

/// One publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationView {
    pub id: i64,
    pub item_id: i64,
    pub item: String,
    pub period_label: Option<String>,
    pub title: String,
    pub body: String,
    pub attachments: Vec<String>,
    #[serde(with = "gongzhi_domain::time::ymd")]
    pub published_on: NaiveDate,
    pub questions: Vec<QuestionView>,
}

/// A community's disclosure board: its directory, publications (newest
/// first) and the count of overdue items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureBoard {
    pub community_id: i64,
    pub community_name: String,
    /// Whether the community has adopted a directory yet.
    pub has_directory: bool,
    pub items: Vec<DirectoryItemView>,
    pub publications: Vec<PublicationView>,
    pub overdue: u32,
    /// The community's leader: adopts the directory, adds items, publishes, answers.
    pub can_manage: bool,
    /// A signed-in resident of the community: asks and objects.
    pub can_ask: bool,
}

/// The system's own figures for an item, as text to start a publication
/// from (the leader edits it before publishing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureFigures {
    pub title: String,
    pub body: String,
}
