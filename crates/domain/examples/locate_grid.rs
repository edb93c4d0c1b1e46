//! Locating a grid (定位网格): which of a community's grids a tablet's GPS
//! position stands in. Two grids share a border; a position on it answers
//! both, a position a few metres outside still counts within the border
//! tolerance, one far outside answers none.
//!
//! `cargo run -p gongzhi-domain --example locate_grid`

use gongzhi_domain::grid::boundary::FIELD_BOUNDARY;
use gongzhi_domain::grid::locate::{GridIndex, BORDER_TOLERANCE_M};
use gongzhi_domain::grid::{GridBoundary, Position};

fn square(lon: f64, lat: f64, d: f64) -> GridBoundary {
    let raw = format!(
        r#"{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{e},{lat}],[{e},{n}],[{lon},{n}],[{lon},{lat}]]]}}"#,
        e = lon + d,
        n = lat + d
    );
    GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).expect("a valid square")
}

fn report() -> String {
    let index =
        GridIndex::new(vec![("第一网格", square(116.0, 39.9, 0.002)), ("第二网格", square(116.002, 39.9, 0.002))]);
    let metres_per_degree_lon = 111_195.0 * 39.9f64.to_radians().cos();
    let places = [
        ("第一网格中部", Position { lon: 116.001, lat: 39.901 }),
        ("两网格交界处", Position { lon: 116.002, lat: 39.901 }),
        ("第一网格西边界外 10 米", Position { lon: 116.0 - 10.0 / metres_per_degree_lon, lat: 39.901 }),
        ("西边界外 100 米", Position { lon: 116.0 - 100.0 / metres_per_degree_lon, lat: 39.901 }),
    ];
    let mut out = String::new();
    for (name, p) in places {
        let hits = index.locate(p, BORDER_TOLERANCE_M);
        let found: Vec<String> = hits
            .iter()
            .map(|h| {
                format!("{}({},距边界 {:.0} 米)", h.key, if h.inside { "在内" } else { "在外" }, h.border_distance_m)
            })
            .collect();
        out += &format!("{name}:{}\n", if found.is_empty() { "不在任何网格".to_string() } else { found.join("、") });
    }
    out
}

fn main() {
    print!("{}", report());
}

#[test]
fn the_example_finds_inside_border_and_tolerance() {
    let out = report();
    assert!(out.contains("第一网格中部:第一网格(在内,距边界 85 米)\n"), "{out}");
    // On the shared border both answer, at 0 m (in either order: a tie).
    let border = out.lines().find(|l| l.starts_with("两网格交界处:")).expect("a line for the border");
    assert!(border.contains("第一网格(在内,距边界 0 米)") && border.contains("第二网格(在内,距边界 0 米)"), "{out}");
    assert!(out.contains("第一网格西边界外 10 米:第一网格(在外,距边界 10 米)\n"), "{out}");
    assert!(out.contains("西边界外 100 米:不在任何网格\n"), "{out}");
}
