//! Work-item admission (社区工作事项准入) wire types.

use chrono::NaiveDate;
use gongzhi_domain::admission::clock::DueState;
use gongzhi_domain::admission::negative_list::{NegativeList, NegativeMatch};
use gongzhi_domain::admission::{AdmissionAction, AdmissionApplicationInput, Extension};
use serde::{Deserialize, Serialize};

/// `GET /api/admission/meta`: what the forms need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdmissionMeta {
    /// The server's today (Asia/Shanghai): dates are checked against it in
    /// the browser exactly as on the server.
    pub today: NaiveDate,
    pub negative_list: NegativeList,
    /// Communities an application may name.
    pub communities: Vec<CommunityOption>,
    /// (code, name) of every department, for consultation and paper intake.
    pub departments: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityOption {
    pub code: String,
    pub name: String,
    /// The street (乡镇/街道) it belongs to.
    pub street: String,
}

/// `POST /api/admission/applications`: the form and a client-made key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAdmission {
    #[serde(flatten)]
    pub form: AdmissionApplicationInput,
    /// Retrying with the same key creates nothing new.
    #[serde(default)]
    pub idempotency_key: String,
}

/// `POST /api/admission/paper`: a paper application the reviewer registers,
/// with the day it was really accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperAdmission {
    #[serde(flatten)]
    pub form: AdmissionApplicationInput,
    /// Applying department (code).
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub accepted_on: String,
    #[serde(default)]
    pub idempotency_key: String,
}

/// `POST .../consult`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultRequest {
    #[serde(default)]
    pub departments: Vec<String>,
}

/// `POST .../solicit`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolicitRequest {
    #[serde(default)]
    pub scope: String,
}

/// `POST .../return` and `.../withdraw`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonRequest {
    #[serde(default)]
    pub reason: String,
}

/// One line of the reviewers' queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdmissionSummary {
    pub id: i64,
    /// e.g. `ZR-2026-0007`
    pub file_no: String,
    pub item_name: String,
    pub department_code: String,
    pub department_name: String,
    pub path: String,
    pub path_label: String,
    pub status: String,
    pub status_label: String,
    pub submitted_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub due_state: Option<DueState>,
    /// The traffic light's words, e.g. `剩余 3 个工作日`, or why there is no
    /// due date (not yet accepted; schedule of a year not yet published).
    pub due_label: String,
    /// `green`, `amber`, `red`, `grey`, or `none`.
    pub light: String,
    /// Years without a published schedule on whose statutory holidays the due
    /// date was computed (暂定); empty when final.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional_years: Vec<i32>,
    /// "按法定节假日暂定,待国务院公布 2027 年安排后自动更正" when provisional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional_note: Option<String>,
    /// How many negative-list entries the text matched.
    pub flags: u32,
    pub extended: bool,
    pub paper: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationView {
    pub department_code: String,
    pub department_name: String,
    pub stance: Option<String>,
    pub stance_label: Option<String>,
    pub text: Option<String>,
    /// Who recorded it; `(代录)` when a reviewer entered a letter.
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolicitedView {
    pub source: String,
    pub text: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub meeting: String,
    pub decided_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// UTC, RFC 3339.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub action_label: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideView {
    pub name: String,
    /// Masked for readers outside the department and the reviewers.
    pub phone: String,
    pub named_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingView {
    pub community_code: String,
    pub community_name: String,
    pub held_on: NaiveDate,
    pub trainer: String,
    pub attendees: u32,
    pub topic: String,
}

/// `GET /api/admission/applications/{id}`: the whole file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdmissionFile {
    pub summary: AdmissionSummary,
    /// The form as last submitted.
    pub form: AdmissionApplicationInput,
    /// Names of the listed communities (empty when all).
    pub community_names: Vec<String>,
    /// How many communities it covers.
    pub community_count: u32,
    /// The funding per community in words, e.g. `每季度 1,200.50 元`.
    pub funding_label: String,
    pub negative_matches: Vec<NegativeMatch>,
    pub return_reason: Option<String>,
    pub consultations: Vec<ConsultationView>,
    pub solicit_scope: Option<String>,
    pub solicited: Vec<SolicitedView>,
    pub extension: Option<Extension>,
    pub decision: Option<DecisionView>,
    pub delivered_at: Option<String>,
    pub timeline: Vec<TimelineEntry>,
    pub guides: Vec<GuideView>,
    pub trainings: Vec<TrainingView>,
    /// What the caller may do now.
    pub allowed: Vec<AdmissionAction>,
    /// Whether the caller's department records opinions/guides/training here.
    pub own_department: bool,
    /// Whether the caller's department was consulted and has not answered.
    pub opinion_due_from_caller: bool,
    /// Provisional due dates that moved when a year's schedule was loaded,
    /// oldest first.
    #[serde(default)]
    pub deadline_changes: Vec<crate::DeadlineChangeView>,
}

/// `GET /api/admission/catalog`: the public list of items communities carry
/// (准入事项清单), for one community or all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub communities: Vec<CommunityOption>,
    /// The community shown, when one is chosen.
    pub community: Option<String>,
    pub items: Vec<CatalogItem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub id: i64,
    pub file_no: String,
    pub item_name: String,
    pub department_name: String,
    pub path_label: String,
    pub basis: String,
    pub start_date: NaiveDate,
    pub duration_months: u32,
    pub funding_label: String,
    pub trainer: String,
    /// For the chosen community: whether training was held, and when last.
    pub trained: Option<bool>,
    pub last_training: Option<NaiveDate>,
    /// Over all covered communities: how many had training.
    pub trained_communities: u32,
    pub community_count: u32,
    pub ledgers: Vec<String>,
    pub plaques: Vec<String>,
    pub bodies: Vec<String>,
}
