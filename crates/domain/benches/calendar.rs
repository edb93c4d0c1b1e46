//! `cargo bench -p gongzhi-domain`: adding working days on the shipped schedules.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::WorkingDayCalendar;

fn bench(c: &mut Criterion) {
    let cal = WorkingDayCalendar::from_schedules(bundled_schedules());
    let from = NaiveDate::from_ymd_opt(2026, 9, 28).unwrap();
    c.bench_function("add_working_days(15) across National Day 2026", |b| {
        b.iter(|| cal.add_working_days(black_box(from), black_box(15)).unwrap())
    });
    let start = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    c.bench_function("add_working_days(500) over 2024-2026", |b| {
        b.iter(|| cal.add_working_days(black_box(start), black_box(500)).unwrap())
    });
    c.bench_function("due_date(15) with explanation", |b| {
        b.iter(|| cal.due_date(black_box(from), black_box(15)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
