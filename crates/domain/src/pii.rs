//! Personal information (个人信息): resident ID numbers and phone numbers,
//! parsed so only valid ones exist, and masked for roles that need not see
//! them whole (个人信息保护法: minimise what is shown).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldError, FieldErrorKind};

/// Field `id_number`, labelled “公民身份号码” in forms and messages.
pub const FIELD_ID_NUMBER: Field = Field::new("id_number", "公民身份号码");
/// Field `phone`, labelled “联系电话” in forms and messages.
pub const FIELD_PHONE: Field = Field::new("phone", "联系电话");

/// A resident ID number (居民身份证号码, GB 11643-1999): 17 digits and a
/// check character (digit or `X`), with a real date of birth.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdNumber(String);

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

impl IdNumber {
    /// Parses an 18-digit number with its GB 11643 check digit (the last may be `X`).
    pub fn parse(field: Field, raw: &str) -> Result<Self, FieldError> {
        let id = raw.trim().to_ascii_uppercase();
        if id.is_empty() {
            return Err(field.error(FieldErrorKind::Required));
        }
        let shape_ok = id.len() == 18
            && id[..17].bytes().all(|b| b.is_ascii_digit())
            && id[17..].bytes().all(|b| b.is_ascii_digit() || b == b'X');
        let birth_ok = shape_ok && NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").is_ok();
        if !birth_ok {
            return Err(field.error(FieldErrorKind::InvalidFormat {
                expected: "应为 18 位,前 17 位为数字,末位为数字或 X",
            }));
        }
        if Self::check_char(&id[..17]) != id.chars().last().unwrap_or_default() {
            return Err(field.error(FieldErrorKind::IdNumberChecksum));
        }
        Ok(Self(id))
    }

    /// The GB 11643 check character for the first 17 digits.
    pub fn check_char(first17: &str) -> char {
        let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
        CHECK[(sum % 11) as usize]
    }

    /// `110***********1234`: region prefix and last four kept.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..3], "*".repeat(11), &self.0[14..])
    }

    /// The full number, for storage and for the one audited read.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A mainland mobile number (11 digits from `1`), or a landline with area
/// code (`0xxx-xxxxxxx`). Spaces, hyphens and a `+86` prefix are dropped.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl std::fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

impl PhoneNumber {
    /// Parses a mainland mobile number (11 digits, `+86` allowed) or a fixed line with its area code (10–12 digits from 0).
    pub fn parse(field: Field, raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(field.error(FieldErrorKind::Required));
        }
        let digits: String =
            trimmed.strip_prefix("+86").unwrap_or(trimmed).chars().filter(|c| !" -".contains(*c)).collect();
        let all_digits = digits.bytes().all(|b| b.is_ascii_digit());
        let mobile = digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9');
        let landline = (10..=12).contains(&digits.len()) && digits.starts_with('0');
        if all_digits && (mobile || landline) {
            Ok(Self(digits))
        } else {
            Err(field.error(FieldErrorKind::InvalidFormat {
                expected: "应为 11 位手机号码或带区号的固定电话"
            }))
        }
    }

    /// `138****5678`: first three and last four kept.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        format!("{}{}{}", &self.0[..3], "*".repeat(n - 7), &self.0[n - 4..])
    }

    /// The full number, for storage and for the one audited read.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A name with all but its first character hidden (`王**`), for people who
/// need to know a visit is owed but not to whom.
pub fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // A well-known valid sample number from GB 11643 documentation.
    const VALID: &str = "11010519491231002X";

    #[test]
    fn parses_and_masks_id_numbers() {
        let id = IdNumber::parse(FIELD_ID_NUMBER, " 11010519491231002x ").unwrap();
        assert_eq!(id.expose(), VALID);
        assert_eq!(id.masked(), "110***********002X");
        assert_eq!(format!("{id:?}"), "IdNumber(110***********002X)");
    }

    #[test]
    fn rejects_bad_id_numbers() {
        let code = |raw| crate::DomainError::code(&IdNumber::parse(FIELD_ID_NUMBER, raw).unwrap_err());
        assert_eq!(code("110105194912310021"), "id_number_checksum");
        assert_eq!(code("11010519491331002X"), "field_invalid_format"); // month 13
        assert_eq!(code("1101051949123100"), "field_invalid_format");
        assert_eq!(code(""), "field_required");
    }

    #[test]
    fn phones() {
        let p = PhoneNumber::parse(FIELD_PHONE, "+86 138-1234-5678").unwrap();
        assert_eq!(p.expose(), "13812345678");
        assert_eq!(p.masked(), "138****5678");
        let land = PhoneNumber::parse(FIELD_PHONE, "0794-8221234").unwrap();
        assert_eq!(land.masked(), "079****1234");
        for bad in ["12812345678", "1381234567", "abc", "138123456789"] {
            assert!(PhoneNumber::parse(FIELD_PHONE, bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Any 17 digits with a valid birth date and the computed check
        /// character parse; changing the check character breaks it.
        #[test]
        fn computed_check_digit_always_validates(region in 110000u32..660000, days in 0i64..30000, seq in 0u32..1000) {
            let birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap() + chrono::Duration::days(days);
            let first17 = format!("{region:06}{}{seq:03}", birth.format("%Y%m%d"));
            let check = IdNumber::check_char(&first17);
            let id = IdNumber::parse(FIELD_ID_NUMBER, &format!("{first17}{check}")).unwrap();
            prop_assert_eq!(id.masked().len(), 18);
            let wrong = CHECK.iter().find(|&&c| c != check).unwrap();
            let broken = format!("{first17}{wrong}");
            prop_assert!(IdNumber::parse(FIELD_ID_NUMBER, &broken).is_err());
        }
    }
}
