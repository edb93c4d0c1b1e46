//! Civil dates on the wire as `YYYY-MM-DD` (`#[serde(with = "crate::date")]`),
//! read with [`gongzhi_domain::due::civil_date`] instead of chrono's `FromStr`:
//! chrono's format parser is about 5 KB br in every page that reads a date
//! (measured on the residents' pages, issue 17). Written by chrono's `Display`,
//! the same text.

use chrono::NaiveDate;
use serde::{de::Error, Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let raw = String::deserialize(d)?;
    gongzhi_domain::due::civil_date(&raw).ok_or_else(|| D::Error::custom("日期应为 YYYY-MM-DD"))
}

/// The same for an optional date (`null` for none).
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(raw) => {
                gongzhi_domain::due::civil_date(&raw).map(Some).ok_or_else(|| D::Error::custom("日期应为 YYYY-MM-DD"))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dated {
        #[serde(with = "crate::date")]
        on: chrono::NaiveDate,
        #[serde(with = "crate::date::option")]
        done: Option<chrono::NaiveDate>,
    }

    #[test]
    fn the_same_text_as_chrono_both_ways() {
        let d = Dated { on: chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), done: None };
        let text = serde_json::to_string(&d).unwrap();
        assert_eq!(text, r#"{"on":"2027-01-04","done":null}"#);
        assert_eq!(serde_json::from_str::<Dated>(&text).unwrap(), d);
        let done: Dated = serde_json::from_str(r#"{"on":"2026-12-31","done":"2027-02-28"}"#).unwrap();
        assert_eq!(done.done, chrono::NaiveDate::from_ymd_opt(2027, 2, 28));
        assert!(serde_json::from_str::<Dated>(r#"{"on":"2027-02-29","done":null}"#).is_err());
        assert!(serde_json::from_str::<Dated>(r#"{"on":"2027-1-4","done":null}"#).is_err());
    }
}
