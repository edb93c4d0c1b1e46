//! Loads and keeps the working-day calendar: the schedules bundled with the
//! domain crate, then `$GONGZHI_DATA_DIR/holidays/*.json` in name order, each
//! replacing the bundled year it names; plus the statutory holidays of every
//! year from 2025 to six years after today, for provisional (暂定) answers in
//! years without a published schedule. The system administrator uploads a
//! newly published year from the 节假日安排 page (`POST /api/calendar/schedules`):
//! the file is written here and the calendar swapped at once, no restart.

use std::path::Path;

use anyhow::Context;
use chrono::Datelike;
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::statutory::{statutory_schedules, FIRST_YEAR};
use gongzhi_domain::{HolidaySchedule, WorkingDayCalendar};
use sha2::{Digest, Sha256};

/// Years after today's with statutory schedules (a 1,000-working-day count
/// spans about four years).
pub const STATUTORY_AHEAD: i32 = 6;

pub fn load(dir: &Path, today: chrono::NaiveDate) -> anyhow::Result<WorkingDayCalendar> {
    let mut calendar = WorkingDayCalendar::from_schedules(bundled_schedules());
    calendar.set_statutory(statutory_schedules(FIRST_YEAR..=today.year() + STATUTORY_AHEAD));
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

/// Writes `schedule` as `dir/<year>.json` (through a temporary file, synced,
/// and a rename, the directory synced too: neither a crash nor a power loss
/// leaves half a file for the next start, and the file is on disk before the
/// upload's transaction commits).
pub fn save(dir: &Path, schedule: &HolidaySchedule) -> anyhow::Result<std::path::PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{}.json", schedule.year));
    let tmp = dir.join(format!(".{}.json.tmp", schedule.year));
    let mut file = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(&serde_json::to_vec_pretty(schedule)?)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot rename to {}", path.display()))?;
    std::fs::File::open(dir).and_then(|d| d.sync_all()).with_context(|| format!("cannot sync {}", dir.display()))?;
    Ok(path)
}

/// A digest of every schedule the calendar holds (published, placeholder and
/// statutory): equal versions, equal calendars.
pub fn version(calendar: &WorkingDayCalendar) -> String {
    let mut hash = Sha256::new();
    for s in calendar.schedules().chain(calendar.statutory()) {
        hash.update(serde_json::to_vec(s).unwrap_or_default());
    }
    hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}
