//! The all-element grid (全要素网格, 多网合一): one grid per few hundred
//! households that carries the duties which used to sit in separate sectoral
//! grids, walked by its grid members (网格员).
//!
//! - [`boundary`]: a grid's (or community's) polygon from GeoJSON (WGS-84),
//!   validated, with its area and distance to a position in metres.
//! - [`locate`]: which grid a GPS position stands in, through an R-tree
//!   ([`locate::GridIndex`]), with a tolerance at borders.
//! - [`coverage`]: overlaps between a community's grids and the gaps they
//!   leave, with their areas.
//! - [`visits`]: special groups' visit-frequency rules (走访频次) and the
//!   visits due, overdue first.
//! - [`event`]: the event closed loop (事件闭环) with its time limits and flags,
//!   and possible duplicates nearby.
//! - [`import`]: households and residents from CSV, grids from GeoJSON,
//!   checked row by row before anything is stored.

pub mod boundary;
pub mod coverage;
pub mod event;
pub mod import;
pub mod locate;
pub mod visits;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind};

pub use boundary::{GridBoundary, Position};

/// The duties merged into one grid (多网合一). Every grid carries all of them;
/// they are listed so a grid's page can say what the grid member answers for.
pub const MERGED_DUTIES: [&str; 6] = ["党建", "社会保障", "综合治理", "应急管理", "社会救助", "城市管理"];

/// Urban grids hold roughly this many households (城市网格 300–500 户).
pub const HOUSEHOLDS_MIN: u32 = 300;
/// The most households of a standard urban grid.
pub const HOUSEHOLDS_MAX: u32 = 500;

/// A grid's size against the urban standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeFlag {
    /// Fewer households than the standard: consider merging.
    TooSmall,
    /// Within 300–500 households.
    Standard,
    /// More households than one grid member can walk: consider splitting.
    TooLarge,
}

impl SizeFlag {
    /// The flag for a grid of `households`.
    pub fn of(households: u32) -> Self {
        if households < HOUSEHOLDS_MIN {
            SizeFlag::TooSmall
        } else if households > HOUSEHOLDS_MAX {
            SizeFlag::TooLarge
        } else {
            SizeFlag::Standard
        }
    }

    /// Stable code for the API.
    pub fn code(self) -> &'static str {
        match self {
            SizeFlag::TooSmall => "too_small",
            SizeFlag::Standard => "standard",
            SizeFlag::TooLarge => "too_large",
        }
    }

    /// Chinese label with the standard's figures.
    pub fn label(self) -> &'static str {
        match self {
            SizeFlag::TooSmall => "户数偏少(低于 300 户)",
            SizeFlag::Standard => "符合标准(300–500 户)",
            SizeFlag::TooLarge => "户数偏多(超过 500 户)",
        }
    }
}

/// A geometry that cannot be a grid's boundary, or a position that is not one.
#[derive(Clone, Debug, PartialEq)]
pub enum GeometryError {
    /// Not GeoJSON at all, or not a geometry / feature.
    NotGeoJson {
        /// The field that holds the geometry.
        field: Field,
        /// The parser's complaint, shortened.
        detail: String,
    },
    /// GeoJSON of another type than Polygon / MultiPolygon.
    NotAPolygon {
        /// The field that holds the geometry.
        field: Field,
        /// The type found instead.
        found: String,
    },
    /// A coordinate outside WGS-84 longitude/latitude.
    OutOfRange {
        /// The field that holds the geometry.
        field: Field,
    },
    /// Self-intersecting, unclosed or degenerate rings.
    Invalid {
        /// The field that holds the geometry.
        field: Field,
        /// What the validity check found, shortened.
        detail: String,
    },
}

impl DomainError for GeometryError {
    fn code(&self) -> &'static str {
        match self {
            GeometryError::NotGeoJson { .. } => "geometry_not_geojson",
            GeometryError::NotAPolygon { .. } => "geometry_not_polygon",
            GeometryError::OutOfRange { .. } => "geometry_out_of_range",
            GeometryError::Invalid { .. } => "geometry_invalid",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            GeometryError::NotGeoJson { field, .. }
            | GeometryError::NotAPolygon { field, .. }
            | GeometryError::OutOfRange { field }
            | GeometryError::Invalid { field, .. } => Some(field.name),
        }
    }

    fn message(&self) -> String {
        match self {
            GeometryError::NotGeoJson { field, detail } => {
                format!("{}不是有效的 GeoJSON:{detail}。", field.label)
            }
            GeometryError::NotAPolygon { field, found } => {
                format!("{}应为面(Polygon 或 MultiPolygon),当前为 {found}。", field.label)
            }
            GeometryError::OutOfRange { field } => {
                format!("{}的坐标超出经纬度范围,请使用 WGS-84 经纬度(经度 -180~180,纬度 -90~90)。", field.label)
            }
            GeometryError::Invalid { field, detail } => {
                format!("{}的边界无效(自相交、未闭合或点数不足):{detail}。", field.label)
            }
        }
    }
}

impl GeometryError {
    /// As a field error, for forms and import reports.
    pub fn into_field_error(self) -> FieldError {
        let field = match &self {
            GeometryError::NotGeoJson { field, .. }
            | GeometryError::NotAPolygon { field, .. }
            | GeometryError::OutOfRange { field }
            | GeometryError::Invalid { field, .. } => *field,
        };
        let expected = match self {
            GeometryError::NotGeoJson { .. } => "应为 GeoJSON 几何或要素",
            GeometryError::NotAPolygon { .. } => "应为面(Polygon 或 MultiPolygon)",
            GeometryError::OutOfRange { .. } => "应为 WGS-84 经纬度",
            GeometryError::Invalid { .. } => "边界不得自相交,且须闭合、至少 3 个不同的点",
        };
        field.error(FieldErrorKind::InvalidFormat { expected })
    }
}

/// The grid's configuration (`grid-config.json`): visit-frequency rules,
/// event categories with their departments, and stage time limits.
#[derive(Clone, Debug, Deserialize)]
pub struct GridConfig {
    /// Visit frequencies per special group (走访频次).
    pub visit_rules: visits::VisitRules,
    /// Event categories (事件类别) and the departments they are dispatched to.
    pub event_categories: Vec<event::EventCategory>,
    /// Time limits of the event loop's stages.
    pub stage_limits: event::StageLimits,
}

impl GridConfig {
    /// Reads a configuration file.
    pub fn from_json(raw: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(raw)
    }

    /// The event category with `code`.
    pub fn category(&self, code: &str) -> Option<&event::EventCategory> {
        self.event_categories.iter().find(|c| c.code == code)
    }
}

/// The configuration shipped with the system.
pub fn config() -> &'static GridConfig {
    static CONFIG: std::sync::OnceLock<GridConfig> = std::sync::OnceLock::new();
    CONFIG.get_or_init(|| {
        GridConfig::from_json(include_str!("../../grid-config.json")).expect("bundled grid-config.json is valid")
    })
}
