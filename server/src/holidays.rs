//! Loads the working-day calendar: the schedules bundled with the domain
//! crate, then `$GONGZHI_DATA_DIR/holidays/*.json` in name order, each
//! replacing the bundled year it names. An operator adds a newly published
//! year by dropping its holiday-cn file there and restarting the server.

use std::path::Path;

use anyhow::Context;
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::{HolidaySchedule, WorkingDayCalendar};

pub fn load(dir: &Path) -> anyhow::Result<WorkingDayCalendar> {
    let mut calendar = WorkingDayCalendar::from_schedules(bundled_schedules());
    let mut files: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        // A broken file stops the start: a half-loaded calendar gives wrong deadlines.
        let schedule = HolidaySchedule::from_json(&text)
            .with_context(|| format!("invalid holiday schedule {}", path.display()))?;
        tracing::info!(year = schedule.year, published = schedule.is_published(), file = %path.display(), "holiday schedule loaded from data directory");
        calendar.insert(schedule);
    }
    Ok(calendar)
}
