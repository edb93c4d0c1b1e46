//! The grid (网格): grids, the map of a walk, visits, events and imports.

use gongzhi_domain::grid::event::EventReportInput;
use gongzhi_domain::grid::import::RowProblem;
use gongzhi_domain::grid::visits::VisitInput;
use serde::{Deserialize, Serialize};

/// A grid as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub community_code: String,
    pub community_name: String,
    pub households: u32,
    pub residents: u32,
    pub special_residents: u32,
    pub buildings: u32,
    /// `too_small`, `standard` or `too_large` against 300–500 households.
    pub size_flag: String,
    pub size_flag_label: String,
    pub members: Vec<String>,
    pub area_m2: Option<f64>,
    pub overdue_visits: u32,
    pub open_events: u32,
}

/// A household on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HouseholdPin {
    pub id: i64,
    pub code: String,
    pub address: String,
    pub building: String,
    pub lon: f64,
    pub lat: f64,
    /// `overdue`, `due_soon`, `up_to_date`, `visited` or `ordinary`.
    pub status: String,
    pub residents: u32,
}

/// A visit owed to a resident of a special group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DueVisitView {
    pub resident_id: i64,
    /// Full name for the grid's own workers, masked for others.
    pub resident_name: String,
    pub group: String,
    pub group_label: String,
    pub rule_label: String,
    pub household_id: i64,
    pub address: String,
    pub last_visit: Option<String>,
    pub due: String,
    /// Years without a published schedule the due day rests on (暂定).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional_years: Vec<i32>,
    /// `overdue`, `due_soon` or `not_due`.
    pub state: String,
    pub state_label: String,
}

/// Everything a grid walk needs, in one answer (cached for offline use).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridMap {
    pub grid: GridSummary,
    /// Rings of the boundary as `[lon, lat]` lists; empty if none is drawn yet.
    pub boundary: Vec<Vec<[f64; 2]>>,
    /// Neighbouring grids of the community, drawn faintly for orientation.
    pub neighbours: Vec<NeighbourOutline>,
    pub duties: Vec<String>,
    pub households: Vec<HouseholdPin>,
    pub due: Vec<DueVisitView>,
    pub open_events: Vec<EventPin>,
    pub today: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeighbourOutline {
    pub code: String,
    pub name: String,
    pub boundary: Vec<Vec<[f64; 2]>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPin {
    pub id: i64,
    pub category: String,
    pub category_label: String,
    pub lon: f64,
    pub lat: f64,
    pub status_label: String,
    pub description: String,
}

/// `POST /api/visits`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewVisit {
    pub idempotency_key: String,
    #[serde(flatten)]
    pub visit: VisitInput,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitView {
    pub id: i64,
    pub idempotency_key: String,
    pub household_id: i64,
    pub resident_id: Option<i64>,
    pub outcome: String,
    pub outcome_label: String,
    pub needs: Option<String>,
    pub follow_up: Option<String>,
    pub visited_at: String,
    pub recorded_by: String,
}

/// `GET /api/grids/locate`: the grids at a position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocateHit {
    pub grid_id: i64,
    pub code: String,
    pub name: String,
    pub inside: bool,
    pub border_distance_m: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverlapView {
    pub a: String,
    pub b: String,
    pub area_m2: f64,
}

/// `GET /api/grids/coverage`: does a community's grid tile it?
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageView {
    pub community_code: String,
    pub community_name: String,
    /// `None` when the community's own boundary is not drawn yet.
    pub community_m2: Option<f64>,
    pub gap_m2: Option<f64>,
    pub outside_m2: Option<f64>,
    pub covered_share: Option<f64>,
    pub overlaps: Vec<OverlapView>,
    /// Grids with no boundary yet.
    pub undrawn: Vec<String>,
    pub grids: Vec<GridSummary>,
}

/// What an import did, or why it did nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Whether anything was written (false on any problem, and on a dry run).
    pub imported: bool,
    /// `utf-8` or `gbk`, for CSV.
    pub encoding: Option<String>,
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub problems: Vec<RowProblem>,
    /// Not errors, but worth a look (grids outside 300–500 households, gaps).
    pub warnings: Vec<String>,
}

/// A household import running in the background
/// (`POST /api/households/import` → 202, `GET /api/households/import/jobs/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: i64,
    /// `gongzhi_domain::grid::import::ImportPhase` code: reading, checking,
    /// writing, done, failed, interrupted.
    pub phase: String,
    /// Its Chinese label (读取, 校验, 写入, 完成, 失败, 已中断).
    pub phase_label: String,
    /// Rows of the current phase done, of `rows_total` (0 until the file is read).
    pub rows_done: u32,
    pub rows_total: u32,
    /// The report once the job has ended (done, failed or interrupted).
    pub report: Option<ImportReport>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCategoryView {
    pub code: String,
    pub label: String,
    pub department_id: Option<i64>,
    pub department_name: String,
    pub limit_label: String,
}

/// `POST /api/events`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewEvent {
    pub idempotency_key: String,
    #[serde(flatten)]
    pub report: EventReportInput,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventStepView {
    pub action_label: String,
    pub status_label: String,
    pub note: String,
    pub actor: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventActionOption {
    pub code: String,
    pub label: String,
    pub needs_note: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    pub idempotency_key: String,
    pub category: String,
    pub category_label: String,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub status: String,
    pub status_label: String,
    pub community_name: String,
    pub grid_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub reported_by: String,
    /// Shanghai time, `YYYY-MM-DD HH:MM`.
    pub reported_at: String,
    /// `green`, `yellow`, `red`, or empty once closed.
    pub flag: String,
    pub flag_label: String,
    pub time_left: String,
    pub deadline: Option<String>,
    /// Years without a published schedule the stage deadline rests on (暂定).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional_years: Vec<i32>,
    pub stage_limit: Option<String>,
    pub possible_duplicates: Vec<i64>,
    pub duplicate_of: Option<i64>,
    pub steps: Vec<EventStepView>,
    pub actions: Vec<EventActionOption>,
}

/// `POST /api/events/{id}/actions`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventActionInput {
    pub action: String,
    #[serde(default)]
    pub note: String,
    /// For dispatch: defaults to the category's department.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// For mark_duplicate.
    #[serde(default)]
    pub duplicate_of: Option<i64>,
}

/// An open event near a position (`GET /api/events/nearby`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearbyEvent {
    pub id: i64,
    pub distance_m: f64,
    pub description: String,
    pub status_label: String,
    pub reported_at: String,
}
