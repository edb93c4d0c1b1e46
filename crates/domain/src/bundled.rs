//! The holiday schedules shipped with Gongzhi, embedded at compile time.
//!
//! Source: the holiday-cn data set (MIT), copied unchanged into
//! `crates/domain/holiday-cn/` — see `PROVENANCE.txt` and `LICENSE` there.
//! Operators add later years without rebuilding: the server also reads
//! `$GONGZHI_DATA_DIR/holidays/*.json` at start (see the README).

use crate::calendar::HolidaySchedule;

const FILES: [&str; 4] = [
    include_str!("../holiday-cn/2024.json"),
    include_str!("../holiday-cn/2025.json"),
    include_str!("../holiday-cn/2026.json"),
    include_str!("../holiday-cn/2027.json"),
];

/// The bundled schedules, including unpublished placeholders (which leave
/// their year unknown).
pub fn bundled_schedules() -> Vec<HolidaySchedule> {
    FILES.iter().map(|json| HolidaySchedule::from_json(json).expect("bundled holiday data is valid")).collect()
}

/// A calendar on the bundled schedules.
pub fn calendar() -> crate::WorkingDayCalendar {
    crate::WorkingDayCalendar::from_schedules(bundled_schedules())
}
