//! A boundary (边界) as a WGS-84 (multi)polygon read from GeoJSON.

use geo::{
    BoundingRect, Coord, Distance, Euclidean, GeodesicArea, Intersects, LineString, MultiPolygon, Point, Polygon,
    Validation,
};
use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldError, FieldErrorKind};

use super::GeometryError;

/// Field `boundary`, labelled “网格边界” in forms and messages.
pub const FIELD_BOUNDARY: Field = Field::new("boundary", "网格边界");
/// Field `lon`, labelled “经度” in forms and messages.
pub const FIELD_LON: Field = Field::new("lon", "经度");
/// Field `lat`, labelled “纬度” in forms and messages.
pub const FIELD_LAT: Field = Field::new("lat", "纬度");

/// Metres per degree of latitude (mean); a degree of longitude is this times
/// cos(latitude). Good to well under a metre over the few hundred metres a
/// border tolerance or a duplicate radius spans.
const METRES_PER_DEGREE: f64 = 111_195.0;

/// cos(latitude) for a latitude in degrees (clamped to ±90°), by its Taylor
/// series: within 1e-9 of `f64::cos` there. The tablet's map and the border
/// rules need only this one cosine, and `f64::cos` brings libm's general
/// argument reduction (about 7 KB of wasm) onto the grid walk's first load.
pub fn cos_latitude(lat_deg: f64) -> f64 {
    let x = lat_deg.clamp(-90.0, 90.0).to_radians();
    let x2 = x * x;
    // 1 - x²/2! + x⁴/4! - … + x¹⁶/16!, evaluated from the inside out.
    let mut sum = 1.0;
    for n in (1..=8).rev() {
        let k = (2 * n) as f64;
        sum = 1.0 - x2 / (k * (k - 1.0)) * sum;
    }
    sum.max(0.0)
}

/// A WGS-84 position: longitude and latitude in degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// 经度.
    pub lon: f64,
    /// 纬度.
    pub lat: f64,
}

impl Position {
    /// A position from numbers that may not be one.
    pub fn new(lon: f64, lat: f64) -> Result<Self, Vec<FieldError>> {
        let mut problems = Vec::new();
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            problems.push(FIELD_LON.error(FieldErrorKind::InvalidFormat { expected: "应为 -180 到 180 之间的经度" }));
        }
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            problems.push(FIELD_LAT.error(FieldErrorKind::InvalidFormat { expected: "应为 -90 到 90 之间的纬度" }));
        }
        if problems.is_empty() {
            Ok(Self { lon, lat })
        } else {
            Err(problems)
        }
    }

    /// A position from typed text (a form or a CSV cell).
    pub fn parse(lon: &str, lat: &str) -> Result<Self, Vec<FieldError>> {
        let num = |field: Field, raw: &str, max: f64, expected: &'static str| match raw.trim() {
            "" => Err(field.error(FieldErrorKind::Required)),
            t => t
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= max)
                .ok_or_else(|| field.error(FieldErrorKind::InvalidFormat { expected })),
        };
        match (
            num(FIELD_LON, lon, 180.0, "应为 -180 到 180 之间的经度"),
            num(FIELD_LAT, lat, 90.0, "应为 -90 到 90 之间的纬度"),
        ) {
            (Ok(lon), Ok(lat)) => Ok(Self { lon, lat }),
            (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
        }
    }

    /// As a `geo` point (x = longitude, y = latitude).
    pub fn point(self) -> Point<f64> {
        Point::new(self.lon, self.lat)
    }

    /// Great-circle distance in metres (haversine; plenty for metres-scale rules).
    pub fn distance_m(self, other: Position) -> f64 {
        geo::Haversine.distance(self.point(), other.point())
    }

    /// Degrees of longitude and latitude that `metres` spans here: a box
    /// this size around the position holds every point within `metres`.
    pub fn degrees_for(self, metres: f64) -> (f64, f64) {
        let dlat = metres / METRES_PER_DEGREE;
        let dlon = metres / (METRES_PER_DEGREE * cos_latitude(self.lat).max(0.01));
        (dlon, dlat)
    }

    /// A coordinate in metres east and north of `self` (local equirectangular
    /// projection): exact enough within a few kilometres.
    fn local(self, c: Coord<f64>) -> Coord<f64> {
        let k = cos_latitude(self.lat);
        Coord { x: (c.x - self.lon) * METRES_PER_DEGREE * k, y: (c.y - self.lat) * METRES_PER_DEGREE }
    }
}

/// A grid's or a community's boundary: a valid WGS-84 (multi)polygon.
#[derive(Clone, Debug, PartialEq)]
pub struct GridBoundary(MultiPolygon<f64>);

impl GridBoundary {
    /// Reads GeoJSON text: a Geometry, a Feature or a one-feature collection.
    pub fn parse_geojson(field: Field, raw: &str) -> Result<Self, GeometryError> {
        let gj: geojson::GeoJson = raw
            .parse()
            .map_err(|e: geojson::Error| GeometryError::NotGeoJson { field, detail: short(&e.to_string()) })?;
        let geometry = match gj {
            geojson::GeoJson::Geometry(g) => g,
            geojson::GeoJson::Feature(f) => {
                f.geometry.ok_or(GeometryError::NotAPolygon { field, found: "空要素".into() })?
            }
            geojson::GeoJson::FeatureCollection(mut fc) if fc.features.len() == 1 => fc
                .features
                .pop()
                .and_then(|f| f.geometry)
                .ok_or(GeometryError::NotAPolygon { field, found: "空要素".into() })?,
            geojson::GeoJson::FeatureCollection(_) => {
                return Err(GeometryError::NotAPolygon { field, found: "多个要素".into() })
            }
        };
        Self::from_geometry(field, &geometry)
    }

    /// From a parsed GeoJSON geometry.
    pub fn from_geometry(field: Field, geometry: &geojson::Geometry) -> Result<Self, GeometryError> {
        let multi = match &geometry.value {
            geojson::GeometryValue::Polygon { .. } => {
                let p: Polygon<f64> = geometry
                    .value
                    .clone()
                    .try_into()
                    .map_err(|e: geojson::Error| GeometryError::Invalid { field, detail: short(&e.to_string()) })?;
                MultiPolygon(vec![p])
            }
            geojson::GeometryValue::MultiPolygon { .. } => geometry
                .value
                .clone()
                .try_into()
                .map_err(|e: geojson::Error| GeometryError::Invalid { field, detail: short(&e.to_string()) })?,
            other => return Err(GeometryError::NotAPolygon { field, found: other.type_name().to_string() }),
        };
        Self::new(field, multi)
    }

    /// Checks a (multi)polygon: WGS-84 range, at least 3 distinct points per
    /// ring, no self-intersection.
    pub fn new(field: Field, multi: MultiPolygon<f64>) -> Result<Self, GeometryError> {
        use geo::CoordsIter;
        if multi.0.is_empty() {
            return Err(GeometryError::Invalid { field, detail: "没有任何面".into() });
        }
        if multi.coords_iter().any(|c| !(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0))
        {
            return Err(GeometryError::OutOfRange { field });
        }
        if let Err(e) = multi.check_validation() {
            return Err(GeometryError::Invalid { field, detail: short(&e.to_string()) });
        }
        Ok(Self(multi))
    }

    /// The (multi)polygon.
    pub fn geometry(&self) -> &MultiPolygon<f64> {
        &self.0
    }

    /// Area on the WGS-84 ellipsoid, square metres.
    pub fn area_m2(&self) -> f64 {
        self.0.geodesic_area_unsigned()
    }

    /// Whether the position is inside or on the border.
    pub fn covers(&self, p: Position) -> bool {
        self.0.intersects(&p.point())
    }

    /// Distance in metres from the position to the nearest border line
    /// (whether the position is inside or outside).
    pub fn border_distance_m(&self, p: Position) -> f64 {
        let origin = Point::new(0.0, 0.0);
        self.0
            .iter()
            .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
            .map(|ring| {
                let local: LineString<f64> = ring.coords().map(|c| p.local(*c)).collect();
                Euclidean.distance(&origin, &local)
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Bounding box `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn bbox(&self) -> [f64; 4] {
        match self.0.bounding_rect() {
            Some(r) => [r.min().x, r.min().y, r.max().x, r.max().y],
            None => [0.0; 4],
        }
    }

    /// Back to GeoJSON geometry, for storage and the map.
    pub fn to_geojson(&self) -> geojson::Geometry {
        let value = if self.0 .0.len() == 1 {
            geojson::GeometryValue::from(&self.0 .0[0])
        } else {
            geojson::GeometryValue::from(&self.0)
        };
        geojson::Geometry::new(value)
    }

    /// The outer rings as `[lon, lat]` lists, for drawing.
    pub fn rings(&self) -> Vec<Vec<[f64; 2]>> {
        self.0
            .iter()
            .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
            .map(|ring| ring.coords().map(|c| [c.x, c.y]).collect())
            .collect()
    }
}

fn short(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn cos_latitude_matches_the_library_cosine() {
        for tenth in -900..=900 {
            let lat = tenth as f64 / 10.0;
            let want = lat.to_radians().cos().max(0.0);
            assert!((super::cos_latitude(lat) - want).abs() < 1e-9, "{lat}: {} vs {want}", super::cos_latitude(lat));
        }
        assert_eq!(super::cos_latitude(120.0), super::cos_latitude(90.0));
    }

    use super::*;

    /// A square of about 111 m × 85 m near 39.9° N.
    pub(crate) fn square(lon: f64, lat: f64, d: f64) -> String {
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{e},{lat}],[{e},{n}],[{lon},{n}],[{lon},{lat}]]]}}"#,
            e = lon + d,
            n = lat + d
        )
    }

    #[test]
    fn reads_polygon_feature_and_rejects_others() {
        let b = GridBoundary::parse_geojson(FIELD_BOUNDARY, &square(116.0, 39.9, 0.001)).unwrap();
        assert!((b.area_m2() - 111.0 * 85.3).abs() < 150.0, "area {}", b.area_m2());
        let feature = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{}}}"#, square(116.0, 39.9, 0.001));
        assert!(GridBoundary::parse_geojson(FIELD_BOUNDARY, &feature).is_ok());
        let point = r#"{"type":"Point","coordinates":[116.0,39.9]}"#;
        assert!(matches!(GridBoundary::parse_geojson(FIELD_BOUNDARY, point), Err(GeometryError::NotAPolygon { .. })));
        assert!(matches!(GridBoundary::parse_geojson(FIELD_BOUNDARY, "{"), Err(GeometryError::NotGeoJson { .. })));
        let far = r#"{"type":"Polygon","coordinates":[[[0,0],[200,0],[200,1],[0,0]]]}"#;
        assert!(matches!(GridBoundary::parse_geojson(FIELD_BOUNDARY, far), Err(GeometryError::OutOfRange { .. })));
        // A bow tie crosses itself.
        let bow = r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#;
        assert!(matches!(GridBoundary::parse_geojson(FIELD_BOUNDARY, bow), Err(GeometryError::Invalid { .. })));
    }

    #[test]
    fn border_points_are_covered_and_distances_are_metres() {
        let b = GridBoundary::parse_geojson(FIELD_BOUNDARY, &square(116.0, 39.9, 0.001)).unwrap();
        // On the west edge, at a corner, inside, and 10 m outside.
        assert!(b.covers(Position { lon: 116.0, lat: 39.9005 }));
        assert!(b.covers(Position { lon: 116.0, lat: 39.9 }));
        assert!(b.covers(Position { lon: 116.0005, lat: 39.9005 }));
        let outside = Position { lon: 116.0 - 10.0 / (111_195.0 * 39.9f64.to_radians().cos()), lat: 39.9005 };
        assert!(!b.covers(outside));
        assert!((b.border_distance_m(outside) - 10.0).abs() < 0.1, "{}", b.border_distance_m(outside));
        let a = Position { lon: 116.0, lat: 39.9 };
        let north = Position { lon: 116.0, lat: 39.9 + 50.0 / 111_195.0 };
        assert!((a.distance_m(north) - 50.0).abs() < 0.5);
    }

    #[test]
    fn positions_are_parsed_with_field_names() {
        assert!(Position::parse("116.4", "39.9").is_ok());
        let errs = Position::parse("", "91").unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field).collect::<Vec<_>>(), ["lon", "lat"]);
    }
}
