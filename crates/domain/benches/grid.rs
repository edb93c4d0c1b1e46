//! `cargo bench -p gongzhi-domain --bench grid`: finding the grid at a GPS
//! position among 5,000 grids (R-tree, then polygon tests), and the visits
//! due in a grid of 500 households.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use gongzhi_domain::bundled;
use gongzhi_domain::grid::boundary::{GridBoundary, Position, FIELD_BOUNDARY};
use gongzhi_domain::grid::locate::{GridIndex, BORDER_TOLERANCE_M};
use gongzhi_domain::grid::visits::{due_visits, VisitSubject};
use gongzhi_domain::org::SpecialGroup;

/// 5,000 grids of about 250 m × 200 m: a city of 50 × 100 cells, each an
/// irregular hexagon-ish polygon so the polygon test is not a box test.
fn city() -> Vec<(u32, GridBoundary)> {
    let (dx, dy) = (0.0026, 0.0018);
    (0..50)
        .flat_map(|i| (0..100).map(move |j| (i, j)))
        .map(|(i, j)| {
            let (x, y) = (116.0 + f64::from(i) * dx, 28.0 + f64::from(j) * dy);
            let raw = format!(
                r#"{{"type":"Polygon","coordinates":[[[{x},{y}],[{a},{y}],[{b},{m}],[{b},{n}],[{x},{n}],[{x},{y}]]]}}"#,
                a = x + dx * 0.6,
                b = x + dx,
                m = y + dy * 0.3,
                n = y + dy
            );
            (i * 100 + j, GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).unwrap())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let index = GridIndex::new(city());
    assert_eq!(index.len(), 5000);
    let points: Vec<Position> = (0..1000u32)
        .map(|k| Position {
            lon: 116.0 + f64::from(k * 7919 % 1000) * 0.00013,
            lat: 28.0 + f64::from(k * 104_729 % 1000) * 0.00018,
        })
        .collect();
    let mut k = 0;
    c.bench_function("locate a position among 5,000 grids", |b| {
        b.iter(|| {
            k = (k + 1) % points.len();
            black_box(index.locate(black_box(points[k]), BORDER_TOLERANCE_M))
        })
    });
    c.bench_function("build the R-tree of 5,000 grids", |b| b.iter(|| GridIndex::new(black_box(city()))));

    let cal = bundled::calendar();
    let rules = gongzhi_domain::grid::config().visit_rules.clone();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    // A 500-household grid with one special-group resident in ten households.
    let subjects: Vec<VisitSubject<u32>> = (0..50u32)
        .map(|i| VisitSubject {
            key: i,
            group: SpecialGroup::ALL[i as usize % SpecialGroup::ALL.len()],
            last_visit: Some(today - chrono::Days::new(u64::from(i % 40))),
            since: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        })
        .collect();
    c.bench_function("visits due in a 500-household grid (50 special-group residents)", |b| {
        b.iter(|| black_box(due_visits(black_box(&subjects), &rules, &cal, today)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
