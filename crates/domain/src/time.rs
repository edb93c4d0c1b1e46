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

/// A filter "from this date to that date" (Asia/Shanghai civil dates, both
/// inclusive, either open), as the half-open UTC interval `[start, end)` that
/// stored instants are compared with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UtcRange {
    /// The first instant in range, if bounded below.
    pub start: Option<DateTime<Utc>>,
    /// The first instant after the range, if bounded above.
    pub end: Option<DateTime<Utc>>,
}

impl UtcRange {
    /// Parses the `from` and `to` filter fields; empty means open.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, Vec<crate::FieldError>> {
        use crate::due::parse_date;
        let mut p = crate::Problems::new();
        let mut date = |field, raw: Option<&str>| {
            p.take(raw.filter(|s| !s.trim().is_empty()).map(|s| parse_date(field, Some(s))).transpose()).flatten()
        };
        let start = date(("from", "起始日期"), from).map(shanghai_day_start);
        let end = date(("to", "截止日期"), to).and_then(|d| d.succ_opt()).map(shanghai_day_start);
        p.into_result(|| Some(Self { start, end }))
    }

    /// `start` and `end` as RFC 3339 UTC text (for comparison with stored text).
    pub fn as_rfc3339(&self) -> (Option<String>, Option<String>) {
        let text = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        (self.start.map(text), self.end.map(text))
    }
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

    #[test]
    fn date_ranges_cover_whole_beijing_days() {
        let r = UtcRange::parse(Some("2026-10-01"), Some("2026-10-01")).unwrap();
        assert_eq!(r.start, Some(Utc.with_ymd_and_hms(2026, 9, 30, 16, 0, 0).unwrap()));
        assert_eq!(r.end, Some(Utc.with_ymd_and_hms(2026, 10, 1, 16, 0, 0).unwrap()));
        assert_eq!(UtcRange::parse(None, Some(" ")).unwrap(), UtcRange::default());
        let errs = UtcRange::parse(Some("2026-13-01"), Some("x")).unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["from", "to"]);
    }
}

/// Serde for a civil date as `YYYY-MM-DD` (`#[serde(with = "gongzhi_domain::time::ymd")]`),
/// read by [`crate::due::civil_date`] rather than chrono's `FromStr`: its
/// generic format parser would otherwise be pulled into every browser page
/// that reads a date (about 5 KB br, measured on the residents' pages). Written
/// by chrono's `Display`: the same text as chrono's own serde.
pub mod ymd {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(date)
    }

    /// Reads `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let raw = String::deserialize(d)?;
        crate::due::civil_date(&raw).ok_or_else(|| D::Error::custom(format!("not a YYYY-MM-DD date: {raw}")))
    }
}

/// The same for an optional date (`null` for none).
pub mod optional_ymd {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    /// Writes `YYYY-MM-DD`, or nothing.
    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    /// Reads `YYYY-MM-DD`, or nothing.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(raw) => crate::due::civil_date(&raw)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("not a YYYY-MM-DD date: {raw}"))),
        }
    }
}

#[cfg(test)]
mod ymd_tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dated {
        #[serde(with = "super::ymd")]
        on: chrono::NaiveDate,
        #[serde(default, with = "super::optional_ymd")]
        done: Option<chrono::NaiveDate>,
    }

    #[test]
    fn the_same_text_as_chrono_both_ways() {
        let d = Dated { on: chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), done: None };
        let text = serde_json::to_string(&d).unwrap();
        assert_eq!(text, r#"{"on":"2027-01-04","done":null}"#);
        assert_eq!(serde_json::to_string(&d.on).unwrap(), r#""2027-01-04""#, "chrono's own serde agrees");
        assert_eq!(serde_json::from_str::<Dated>(&text).unwrap(), d);
        let done: Dated = serde_json::from_str(r#"{"on":"2026-12-31","done":"2027-02-28"}"#).unwrap();
        assert_eq!(done.done, chrono::NaiveDate::from_ymd_opt(2027, 2, 28));
        assert_eq!(serde_json::from_str::<Dated>(r#"{"on":"2026-12-31"}"#).unwrap().done, None);
        assert!(serde_json::from_str::<Dated>(r#"{"on":"2027-02-29","done":null}"#).is_err());
        assert!(serde_json::from_str::<Dated>(r#"{"on":"2027-1-4","done":null}"#).is_err());
    }
}
