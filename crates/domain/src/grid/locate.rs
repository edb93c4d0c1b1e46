//! Which grid a GPS position stands in (定位网格).
//!
//! Phones and tablets are off by a few metres, more between tall buildings,
//! so a position just outside a grid but within the tolerance still counts
//! for it; a position on or near a shared border lists both grids, the one it
//! is inside first.

use rstar::{primitives::GeomWithData, primitives::Rectangle, RTree, AABB};

use super::boundary::{GridBoundary, Position};

/// Default border tolerance: a consumer GPS fix in a street is usually
/// within this.
pub const BORDER_TOLERANCE_M: f64 = 15.0;

/// How a position relates to a candidate grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit<K> {
    /// The grid's key, as given to the index.
    pub key: K,
    /// Inside the boundary or on it.
    pub inside: bool,
    /// Metres to the grid's border.
    pub border_distance_m: f64,
}

/// Boundaries of many grids, indexed by their bounding boxes in an R-tree so
/// a lookup touches only the few grids near the position.
pub struct GridIndex<K> {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    grids: Vec<(K, GridBoundary)>,
}

impl<K: Copy> GridIndex<K> {
    /// Indexes `grids` by their bounding boxes.
    pub fn new(grids: Vec<(K, GridBoundary)>) -> Self {
        let boxes = grids
            .iter()
            .enumerate()
            .map(|(i, (_, b))| {
                let [x0, y0, x1, y1] = b.bbox();
                GeomWithData::new(Rectangle::from_corners([x0, y0], [x1, y1]), i)
            })
            .collect();
        Self { tree: RTree::bulk_load(boxes), grids }
    }

    /// How many grids are indexed.
    pub fn len(&self) -> usize {
        self.grids.len()
    }

    /// Whether no grid is indexed.
    pub fn is_empty(&self) -> bool {
        self.grids.is_empty()
    }

    /// Grids the position is in, or within `tolerance_m` of: inside first,
    /// then nearest border first.
    pub fn locate(&self, p: Position, tolerance_m: f64) -> Vec<Hit<K>> {
        let (dlon, dlat) = p.degrees_for(tolerance_m);
        let envelope = AABB::from_corners([p.lon - dlon, p.lat - dlat], [p.lon + dlon, p.lat + dlat]);
        let mut hits: Vec<Hit<K>> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .filter_map(|entry| {
                let (key, boundary) = &self.grids[entry.data];
                let inside = boundary.covers(p);
                let border_distance_m = boundary.border_distance_m(p);
                (inside || border_distance_m <= tolerance_m).then_some(Hit { key: *key, inside, border_distance_m })
            })
            .collect();
        hits.sort_by(|a, b| b.inside.cmp(&a.inside).then(a.border_distance_m.total_cmp(&b.border_distance_m)));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::boundary::FIELD_BOUNDARY;

    fn cell(i: u32, j: u32) -> GridBoundary {
        let (lon, lat, d) = (116.0 + f64::from(i) * 0.002, 39.9 + f64::from(j) * 0.002, 0.002);
        let raw = format!(
            r#"{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{e},{lat}],[{e},{n}],[{lon},{n}],[{lon},{lat}]]]}}"#,
            e = lon + d,
            n = lat + d
        );
        GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).unwrap()
    }

    fn index() -> GridIndex<(u32, u32)> {
        GridIndex::new((0..10).flat_map(|i| (0..10).map(move |j| ((i, j), cell(i, j)))).collect())
    }

    #[test]
    fn inside_a_cell_finds_only_it() {
        let hits = index().locate(Position { lon: 116.003, lat: 39.905 }, BORDER_TOLERANCE_M);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].key, (1, 2));
        assert!(hits[0].inside);
    }

    #[test]
    fn on_a_shared_border_both_grids_answer() {
        // x = 116.002 is the border between columns 0 and 1.
        let hits = index().locate(Position { lon: 116.002, lat: 39.901 }, BORDER_TOLERANCE_M);
        let keys: Vec<_> = hits.iter().map(|h| h.key).collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(keys.contains(&(0, 0)) && keys.contains(&(1, 0)));
        assert!(hits.iter().all(|h| h.inside && h.border_distance_m < 0.01));
    }

    #[test]
    fn just_outside_the_city_within_tolerance_counts_beyond_does_not() {
        let idx = index();
        let k = 39.9f64.to_radians().cos() * 111_195.0;
        let near = Position { lon: 116.0 - 10.0 / k, lat: 39.901 };
        let hits = idx.locate(near, BORDER_TOLERANCE_M);
        assert_eq!(hits.len(), 1);
        assert!(!hits[0].inside);
        assert!((hits[0].border_distance_m - 10.0).abs() < 0.1);
        let far = Position { lon: 116.0 - 30.0 / k, lat: 39.901 };
        assert!(idx.locate(far, BORDER_TOLERANCE_M).is_empty());
    }

    proptest::proptest! {
        /// A position strictly inside a cell is found in that cell, first and
        /// inside; any grid listed is within the tolerance.
        #[test]
        fn a_position_inside_a_cell_finds_that_cell(i in 0u32..10, j in 0u32..10, fx in 0.01f64..0.99, fy in 0.01f64..0.99) {
            let idx = index();
            let p = Position { lon: 116.0 + (f64::from(i) + fx) * 0.002, lat: 39.9 + (f64::from(j) + fy) * 0.002 };
            let hits = idx.locate(p, BORDER_TOLERANCE_M);
            proptest::prop_assert_eq!(hits[0].key, (i, j));
            proptest::prop_assert!(hits[0].inside);
            proptest::prop_assert!(hits[1..].iter().all(|h| !h.inside && h.border_distance_m <= BORDER_TOLERANCE_M));
        }
    }
}
