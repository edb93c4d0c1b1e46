//! Whether a community's grids tile it (网格全覆盖、不交叉): overlaps between
//! grids and gaps the grids leave, with their areas in square metres.

use geo::{BooleanOps, GeodesicArea, Intersects, MultiPolygon};
use serde::{Deserialize, Serialize};

use super::boundary::GridBoundary;

/// Slivers smaller than this are drawing noise (two people tracing the same
/// street edge), not overlaps or gaps anyone must act on.
pub const AREA_NOISE_M2: f64 = 1.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overlap<K> {
    pub a: K,
    pub b: K,
    pub area_m2: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage<K> {
    /// Pairs of grids that share ground.
    pub overlaps: Vec<Overlap<K>>,
    /// Community ground no grid covers.
    pub gap_m2: f64,
    /// Grid ground outside the community's boundary.
    pub outside_m2: f64,
    pub community_m2: f64,
    /// Share of the community covered by grids, 0–1.
    pub covered_share: f64,
}

impl<K: Copy> Coverage<K> {
    /// Measures `grids` against the community's boundary.
    pub fn measure(community: &GridBoundary, grids: &[(K, GridBoundary)]) -> Self {
        let mut overlaps = Vec::new();
        for (i, (ka, a)) in grids.iter().enumerate() {
            for (kb, b) in &grids[i + 1..] {
                if !a.geometry().intersects(b.geometry()) {
                    continue;
                }
                let area_m2 = a.geometry().intersection(b.geometry()).geodesic_area_unsigned();
                if area_m2 >= AREA_NOISE_M2 {
                    overlaps.push(Overlap { a: *ka, b: *kb, area_m2 });
                }
            }
        }
        let union = grids.iter().fold(MultiPolygon::<f64>(vec![]), |acc, (_, g)| acc.union(g.geometry()));
        let community_m2 = community.area_m2();
        let gap_m2 = noise_free(community.geometry().difference(&union).geodesic_area_unsigned());
        let outside_m2 = noise_free(union.difference(community.geometry()).geodesic_area_unsigned());
        let covered_share =
            if community_m2 > 0.0 { ((community_m2 - gap_m2) / community_m2).clamp(0.0, 1.0) } else { 0.0 };
        Self { overlaps, gap_m2, outside_m2, community_m2, covered_share }
    }

    /// Whether the grids tile the community with nothing to fix.
    pub fn is_clean(&self) -> bool {
        self.overlaps.is_empty() && self.gap_m2 == 0.0 && self.outside_m2 == 0.0
    }
}

fn noise_free(area: f64) -> f64 {
    if area < AREA_NOISE_M2 {
        0.0
    } else {
        area
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::boundary::FIELD_BOUNDARY;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> GridBoundary {
        let raw = format!(
            r#"{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}"#
        );
        GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).unwrap()
    }

    #[test]
    fn a_clean_tiling_has_no_overlap_or_gap() {
        let community = rect(116.0, 39.9, 116.004, 39.902);
        let grids = vec![(1, rect(116.0, 39.9, 116.002, 39.902)), (2, rect(116.002, 39.9, 116.004, 39.902))];
        let c = Coverage::measure(&community, &grids);
        assert!(c.is_clean(), "{c:?}");
        assert!((c.covered_share - 1.0).abs() < 1e-9);
    }

    #[test]
    fn overlap_and_gap_areas_are_measured() {
        let community = rect(116.0, 39.9, 116.004, 39.902);
        // Grid 2 reaches 0.0005° into grid 1; grid 3 is missing, leaving the
        // east quarter bare.
        let grids = vec![(1, rect(116.0, 39.9, 116.002, 39.902)), (2, rect(116.0015, 39.9, 116.003, 39.902))];
        let c = Coverage::measure(&community, &grids);
        let full = community.area_m2();
        assert_eq!(c.overlaps.len(), 1);
        assert_eq!((c.overlaps[0].a, c.overlaps[0].b), (1, 2));
        // 0.0005° of 0.004° wide → an eighth of the community; the gap is a quarter.
        assert!((c.overlaps[0].area_m2 - full / 8.0).abs() < 1.0, "{c:?}");
        assert!((c.gap_m2 - full / 4.0).abs() < 1.0, "{c:?}");
        assert_eq!(c.outside_m2, 0.0);
        assert!((c.covered_share - 0.75).abs() < 1e-3);
    }

    #[test]
    fn grid_ground_outside_the_community_is_reported() {
        let community = rect(116.0, 39.9, 116.002, 39.902);
        let grids = vec![(1, rect(116.0, 39.9, 116.003, 39.902))];
        let c = Coverage::measure(&community, &grids);
        assert!((c.outside_m2 - community.area_m2() / 2.0).abs() < 1.0, "{c:?}");
        assert_eq!(c.gap_m2, 0.0);
    }
}
