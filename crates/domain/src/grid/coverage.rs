//! Whether a community's grids tile it (网格全覆盖、不交叉): overlaps between
//! grids and gaps the grids leave, with their areas in square metres.
//!
//! The server measures a community's grids as stored with the file's in
//! their place; [`check_file`] measures a boundary file on its own, as the
//! `gongzhi check-grids` command does before anyone uploads it. Both word
//! their findings with [`overlap_message`], [`Coverage::gap_message`] and
//! [`Coverage::outside_message`].

use geo::{BooleanOps, GeodesicArea, Intersects, MultiPolygon};
use serde::{Deserialize, Serialize};

use super::boundary::GridBoundary;
use super::import::BoundaryFeature;

/// Slivers smaller than this are drawing noise (two people tracing the same
/// street edge), not overlaps or gaps anyone must act on.
pub const AREA_NOISE_M2: f64 = 1.0;

/// The stable code of an overlap between two grids in an import report.
pub const OVERLAP_CODE: &str = "grid_overlap";

/// Two grids that share ground (交叉), and how much.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overlap<K> {
    /// The first grid, in the order given.
    pub a: K,
    /// The second grid.
    pub b: K,
    /// Shared ground in square metres (on the WGS-84 ellipsoid).
    pub area_m2: f64,
}

/// "网格“A”与“B”重叠约 N 平方米,同一社区的网格不得交叉。"
pub fn overlap_message(a: &str, b: &str, area_m2: f64) -> String {
    format!("网格“{a}”与“{b}”重叠约 {area_m2:.0} 平方米,同一社区的网格不得交叉。")
}

/// Every pair of `grids` that shares at least [`AREA_NOISE_M2`] of ground,
/// in the order given.
pub fn overlaps<K: Copy>(grids: &[(K, GridBoundary)]) -> Vec<Overlap<K>> {
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
    overlaps
}

/// How a community's grids cover it (网格全覆盖).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage<K> {
    /// Pairs of grids that share ground.
    pub overlaps: Vec<Overlap<K>>,
    /// Community ground no grid covers.
    pub gap_m2: f64,
    /// Grid ground outside the community's boundary.
    pub outside_m2: f64,
    /// The community's own area.
    pub community_m2: f64,
    /// Share of the community covered by grids, 0–1.
    pub covered_share: f64,
}

impl<K: Copy> Coverage<K> {
    /// Measures `grids` against the community's boundary.
    pub fn measure(community: &GridBoundary, grids: &[(K, GridBoundary)]) -> Self {
        let overlaps = overlaps(grids);
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

    /// "社区内约 N 平方米(x.x%)未被任何网格覆盖。" — `None` without a gap.
    pub fn gap_message(&self) -> Option<String> {
        (self.gap_m2 > 0.0).then(|| {
            format!("社区内约 {:.0} 平方米({:.1}%)未被任何网格覆盖。", self.gap_m2, (1.0 - self.covered_share) * 100.0)
        })
    }

    /// "网格有约 N 平方米超出社区边界。" — `None` when nothing sticks out.
    pub fn outside_message(&self) -> Option<String> {
        (self.outside_m2 > 0.0).then(|| format!("网格有约 {:.0} 平方米超出社区边界。", self.outside_m2))
    }
}

/// The grids of one community in a boundary file, checked on their own.
#[derive(Clone, Debug, PartialEq)]
pub struct FileGroup {
    /// The community's code, as the grids' `community` property names it;
    /// `None` for the grids that name no community.
    pub community: Option<String>,
    /// The community's own feature (an index into the file's features), when
    /// the file has it.
    pub community_feature: Option<usize>,
    /// Its grids (indices into the file's features), in file order.
    pub grids: Vec<usize>,
    /// Pairs of its grids that share ground (indices into the features).
    pub overlaps: Vec<Overlap<usize>>,
    /// Gaps and ground outside, when the community's boundary is in the file.
    pub coverage: Option<Coverage<usize>>,
}

/// Checks a boundary file without the database: a feature that another
/// feature names in its `community` property is that community's boundary;
/// every other feature is a grid, grouped by the community it names (grids
/// naming none form one group). Within each group: overlaps between grids,
/// and, where the community's boundary is in the file, the gaps and the
/// ground outside it. Groups come in the order their first grid appears.
pub fn check_file(features: &[BoundaryFeature]) -> Vec<FileGroup> {
    check_file_assuming(features, None)
}

/// [`check_file`] with the grids that name no community taken to belong to
/// `community` (a code). A file that updates existing grids names no
/// community on them (the server knows where they belong); with the
/// community's own boundary in it, say which it is, or that boundary is
/// taken for one more grid overlapping all the others.
pub fn check_file_assuming(features: &[BoundaryFeature], community: Option<&str>) -> Vec<FileGroup> {
    /// The community a feature belongs to: its own property, else the one assumed.
    fn community_of<'a>(f: &'a BoundaryFeature, assumed: Option<&'a str>) -> Option<&'a str> {
        f.community.as_deref().or(assumed).filter(|c| *c != f.code)
    }
    let is_community =
        |f: &BoundaryFeature| features.iter().any(|g| community_of(g, community) == Some(f.code.as_str()));
    let mut groups: Vec<FileGroup> = Vec::new();
    for (i, f) in features.iter().enumerate() {
        if is_community(f) {
            continue;
        }
        let of = community_of(f, community);
        match groups.iter_mut().find(|g| g.community.as_deref() == of) {
            Some(g) => g.grids.push(i),
            None => groups.push(FileGroup {
                community: of.map(String::from),
                community_feature: of.and_then(|c| features.iter().position(|x| x.code == c)),
                grids: vec![i],
                overlaps: Vec::new(),
                coverage: None,
            }),
        }
    }
    for g in &mut groups {
        let grids: Vec<(usize, GridBoundary)> = g.grids.iter().map(|&i| (i, features[i].boundary.clone())).collect();
        match g.community_feature {
            Some(c) => {
                let coverage = Coverage::measure(&features[c].boundary, &grids);
                g.overlaps = coverage.overlaps.clone();
                g.coverage = Some(coverage);
            }
            None => g.overlaps = overlaps(&grids),
        }
    }
    groups
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
    fn findings_are_worded_as_the_import_reports_them() {
        let community = rect(116.0, 39.9, 116.004, 39.902);
        let grids = vec![(1, rect(116.0, 39.9, 116.002, 39.902)), (2, rect(116.0015, 39.9, 116.003, 39.902))];
        let c = Coverage::measure(&community, &grids);
        assert_eq!(
            overlap_message("G-01", "G-02", c.overlaps[0].area_m2),
            format!("网格“G-01”与“G-02”重叠约 {:.0} 平方米,同一社区的网格不得交叉。", c.overlaps[0].area_m2)
        );
        assert_eq!(c.gap_message().unwrap(), format!("社区内约 {:.0} 平方米(25.0%)未被任何网格覆盖。", c.gap_m2));
        assert_eq!(c.outside_message(), None);
    }

    fn feature(code: &str, community: Option<&str>, boundary: GridBoundary) -> BoundaryFeature {
        BoundaryFeature { number: 0, code: code.into(), name: None, community: community.map(String::from), boundary }
    }

    #[test]
    fn a_file_is_checked_per_community_it_names() {
        let features = vec![
            feature("C-1", None, rect(116.0, 39.9, 116.004, 39.902)),
            feature("G-1", Some("C-1"), rect(116.0, 39.9, 116.002, 39.902)),
            feature("G-2", Some("C-1"), rect(116.0015, 39.9, 116.003, 39.902)),
            // Grids naming no community: overlaps only, no boundary to measure gaps against.
            feature("G-3", None, rect(117.0, 39.9, 117.002, 39.902)),
            feature("G-4", None, rect(117.001, 39.9, 117.003, 39.902)),
            // A community not in the file.
            feature("G-5", Some("C-9"), rect(118.0, 39.9, 118.002, 39.902)),
        ];
        let groups = check_file(&features);
        let shape: Vec<_> =
            groups.iter().map(|g| (g.community.as_deref(), g.community_feature, g.grids.clone())).collect();
        assert_eq!(shape, [(Some("C-1"), Some(0), vec![1, 2]), (None, None, vec![3, 4]), (Some("C-9"), None, vec![5])]);
        assert_eq!(groups[0].overlaps.iter().map(|o| (o.a, o.b)).collect::<Vec<_>>(), [(1, 2)]);
        let c = groups[0].coverage.as_ref().unwrap();
        assert!((c.gap_m2 - features[0].boundary.area_m2() / 4.0).abs() < 1.0, "{c:?}");
        assert_eq!(groups[1].overlaps.iter().map(|o| (o.a, o.b)).collect::<Vec<_>>(), [(3, 4)]);
        assert!(groups[1].coverage.is_none());
        assert!(groups[2].overlaps.is_empty() && groups[2].coverage.is_none());
    }

    #[test]
    fn grids_naming_no_community_can_be_assigned_one() {
        // Existing grids re-imported with their community's boundary: no `community` property.
        let features = vec![
            feature("C-1", None, rect(116.0, 39.9, 116.004, 39.902)),
            feature("G-1", None, rect(116.0, 39.9, 116.002, 39.902)),
            feature("G-2", None, rect(116.002, 39.9, 116.004, 39.902)),
        ];
        // Without saying which is the community, it is one more grid, overlapping both.
        let groups = check_file(&features);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].overlaps.iter().map(|o| (o.a, o.b)).collect::<Vec<_>>(), [(0, 1), (0, 2)]);
        let groups = check_file_assuming(&features, Some("C-1"));
        assert_eq!(groups.len(), 1);
        assert_eq!((groups[0].community_feature, groups[0].grids.clone()), (Some(0), vec![1, 2]));
        assert!(groups[0].overlaps.is_empty());
        assert!(groups[0].coverage.as_ref().unwrap().is_clean());
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
