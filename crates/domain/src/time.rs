//! Civil time in Asia/Shanghai (UTC+8, no daylight saving since 1991).
//! Instants are stored in UTC; people read dates and clock times in Beijing time.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The Asia/Shanghai civil date of an instant.
pub fn shanghai_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&beijing()).date_naive()
}

// Formatting is written out by hand rather than with chrono's `format`:
// its strftime machinery would add kilobytes to the browser bundle.

/// `HH:MM` in Asia/Shanghai.
pub fn shanghai_hh_mm(at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&beijing());
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `YYYY-MM-DD HH:MM:SS` in Asia/Shanghai, for tables and exports.
pub fn shanghai_datetime(at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&beijing());
    format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// Parses a stored UTC instant (RFC 3339, as the server writes them).
pub fn parse_utc(rfc3339: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(rfc3339).ok().map(|t| t.with_timezone(&Utc))
}

/// The instant an Asia/Shanghai civil date begins.
pub fn shanghai_day_start(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(beijing()).single())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn late_utc_evening_is_next_day_in_beijing() {
        let at = Utc.with_ymd_and_hms(2026, 9, 30, 16, 30, 0).unwrap();
        assert_eq!(shanghai_date(at), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(shanghai_hh_mm(at), "00:30");
        assert_eq!(shanghai_datetime(at), "2026-10-01 00:30:00");
        assert_eq!(
            shanghai_day_start(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()),
            Utc.with_ymd_and_hms(2026, 9, 30, 16, 0, 0).unwrap()
        );
    }
}
