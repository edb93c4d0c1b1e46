//! Community facilities (社区设施布点, 四同步) wire types.

use chrono::NaiveDate;
use gongzhi_domain::facilities::standard::AreaStandard;
use gongzhi_domain::facilities::Area;
use serde::{Deserialize, Serialize};

/// One version of the area standard, with the jurisdiction that keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardView {
    pub id: i64,
    pub jurisdiction_name: String,
    pub standard: AreaStandard,
    /// Whether it is the version in force today for its jurisdiction.
    pub in_force: bool,
}

/// The standards page: every version in the account's reach, and whether the
/// account may add one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardsView {
    pub versions: Vec<StandardView>,
    pub can_add: bool,
}

/// A flag or problem, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagView {
    pub code: String,
    pub message: String,
}

/// One kind of room of a community against the standard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortfallView {
    pub room_use: String,
    pub room_use_label: String,
    pub required: Area,
    pub provided: Area,
    pub short: Area,
}

/// A community on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityFacilities {
    pub community_id: i64,
    pub community_name: String,
    pub street_name: String,
    pub district_name: String,
    pub households: u32,
    /// The standard's version the figures use (`None`: no standard in force).
    pub standard_version: Option<String>,
    pub shortfalls: Vec<ShortfallView>,
    pub below_standard: bool,
    pub rooms: u32,
    pub open_remedies: u32,
}

/// A project on the dashboard and in lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: i64,
    pub name: String,
    pub developer: String,
    pub community_id: i64,
    pub community_name: String,
    pub households: u32,
    /// The open step's code; `None` once delivered.
    pub step: Option<String>,
    /// “规划” … or “已交付使用”.
    pub step_label: String,
    pub flags: Vec<FlagView>,
    /// Who has still to sign the open step (authority labels).
    pub waiting_for: Vec<String>,
    pub late: bool,
}

/// A sign-off waiting for the account's department.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingSignOff {
    pub project_id: i64,
    pub project_name: String,
    pub community_name: String,
    pub kind: String,
    pub kind_label: String,
    pub step_label: String,
    /// The open step's planned date.
    pub planned: NaiveDate,
    pub late: bool,
}

/// A drawn community (its grids' outlines) on the dashboard's map, already
/// projected into the map's box.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapArea {
    pub community_id: i64,
    pub name: String,
    pub below_standard: bool,
    /// SVG path data, one `M…Z` per ring.
    pub path: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// A project's position on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub project_id: i64,
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub late: bool,
}

/// The map: `0 0 width height`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FacilitiesMap {
    pub width: f64,
    pub height: f64,
    pub areas: Vec<MapArea>,
    pub points: Vec<MapPoint>,
}

/// Projects counted by their open step (and late ones among them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCount {
    pub step: String,
    pub label: String,
    pub projects: u32,
    pub late: u32,
}

/// The city or district dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacilitiesDashboard {
    pub today: NaiveDate,
    pub communities: Vec<CommunityFacilities>,
    pub projects: Vec<ProjectSummary>,
    pub by_step: Vec<StepCount>,
    pub map: FacilitiesMap,
    /// Sign-offs waiting for the account's department (empty for others).
    pub waiting: Vec<WaitingSignOff>,
    /// The authority the account signs for, if any (“民政部门” …).
    pub signs_as: Option<String>,
    pub can_register: bool,
}

/// One sign-off slot on a project's file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffView {
    pub kind: String,
    pub label: String,
    pub authority_label: String,
    pub signed: Option<SignedView>,
    /// Whether this account may sign it now.
    pub can_sign: bool,
    /// Why it cannot be signed yet, when the account is its signer.
    pub blocked: Option<String>,
}

/// A sign-off on file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedView {
    pub by: String,
    pub unit: String,
    pub signed_on: NaiveDate,
    pub evidence: String,
}

/// One of the four steps on a project's file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub step: String,
    pub label: String,
    pub planned: NaiveDate,
    /// The day its last sign-off was made, once done.
    pub done_on: Option<NaiveDate>,
    pub sign_offs: Vec<SignOffView>,
}

/// A project's file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectFile {
    pub summary: ProjectSummary,
    pub street_name: String,
    pub phases: u32,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub planned_service: Area,
    pub planned_elderly: Area,
    pub built_service: Option<Area>,
    pub built_elderly: Option<Area>,
    pub housing_share_pct: Option<i32>,
    pub floor: i32,
    pub own_entrance: bool,
    pub required_service: Area,
    pub required_elderly: Area,
    pub standard_version: String,
    pub steps: Vec<StepView>,
    pub registered_by: String,
    pub registered_at: String,
}

/// A room of a community.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomView {
    pub id: i64,
    pub room_use: String,
    pub room_use_label: String,
    pub name: String,
    pub area: Area,
    pub tenure_label: String,
    pub floor: i32,
    pub own_entrance: bool,
    pub since: NaiveDate,
    /// Siting problems (empty when sited to rule).
    pub problems: Vec<String>,
}

/// A remedy of a community below standard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemedyView {
    pub id: i64,
    pub kind_label: String,
    pub room_use_label: String,
    pub target_area: Area,
    pub funding_fen: i64,
    pub due_on: NaiveDate,
    pub status: String,
    pub status_label: String,
    /// The next status's code, when it can still move (what
    /// `POST /api/facilities/remedies/{id}/advance` takes as `to`).
    pub next_status: Option<String>,
    /// The label of the next status.
    pub next_label: Option<String>,
    pub note: String,
    pub late: bool,
}

/// A community's rooms page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityRooms {
    pub community: CommunityFacilities,
    pub rooms: Vec<RoomView>,
    pub remedies: Vec<RemedyView>,
    pub can_edit: bool,
}

/// The body of `POST /api/facilities/remedies/{id}/advance`: the status the
/// remedy moves to, which must be the next of the one it has — so the same
/// request sent twice moves it once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RemedyAdvance {
    pub to: String,
}

/// A community a project may be registered in (the form's list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityChoice {
    pub id: i64,
    pub name: String,
}
