//! Money (金额): yuan to the fen, exact. Never a float.
//!
//! Amounts are [`rust_decimal::Decimal`] in memory and on the wire (as a
//! string, so JSON numbers never round them), and whole fen in the database.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldError, FieldErrorKind};

/// A non-negative amount in yuan with at most two decimals (fen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Money(Decimal);

impl Money {
    /// One hundred million yuan: larger amounts for one community are typing
    /// mistakes, and the limit keeps fen inside `i64` with room to sum.
    pub const MAX_YUAN: i64 = 100_000_000;
    /// Nothing (0 元).
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Parses what a person typed: `1200`, `1200.5`, `1,200.50`, `¥1200`.
    pub fn parse(field: Field, raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(field.error(FieldErrorKind::Required));
        }
        let cleaned: String =
            text.trim_start_matches(['¥', '￥']).trim_end_matches('元').chars().filter(|c| *c != ',').collect();
        let plain = !cleaned.is_empty()
            && cleaned.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && cleaned.bytes().filter(|b| *b == b'.').count() <= 1;
        plain
            .then(|| cleaned.parse::<Decimal>().ok())
            .flatten()
            .and_then(|d| Self::try_from(d).ok())
            .ok_or_else(|| field.error(FieldErrorKind::InvalidAmount { raw: text.to_string() }))
    }

    /// From whole fen (分), as stored; `None` beyond the limit.
    pub fn from_fen(fen: i64) -> Option<Self> {
        Self::try_from(Decimal::new(fen, 2)).ok()
    }

    /// The amount in whole fen, as stored.
    pub fn fen(self) -> i64 {
        // Exact: at most two decimals and bounded by MAX_YUAN.
        (self.0 * Decimal::ONE_HUNDRED).trunc().try_into().unwrap_or(i64::MAX)
    }

    /// The amount in yuan (元), two decimals at most.
    pub fn yuan(self) -> Decimal {
        self.0
    }

    /// Whether the amount is 0.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl TryFrom<Decimal> for Money {
    type Error = &'static str;

    fn try_from(d: Decimal) -> Result<Self, Self::Error> {
        let d = d.normalize();
        if d.is_sign_negative() && !d.is_zero() {
            Err("negative amount")
        } else if d.scale() > 2 {
            Err("more than two decimals")
        } else if d > Decimal::from(Self::MAX_YUAN) {
            Err("amount too large")
        } else {
            Ok(Money(d.abs()))
        }
    }
}

impl From<Money> for Decimal {
    fn from(m: Money) -> Decimal {
        m.0
    }
}

/// `1,200.50`: thousands separated, always two decimals.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&yuan_text(self.fen().unsigned_abs()))
    }
}

/// An amount in fen as yuan, `120050` → `1,200.50`: whole-number arithmetic,
/// so that a page that only shows amounts carries no decimal code.
pub fn yuan_text(fen: u64) -> String {
    let (yuan, cents) = (fen / 100, fen % 100);
    let digits = yuan.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{cents:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const F: Field = Field::new("amount", "金额");

    #[test]
    fn parses_what_people_type() {
        for (raw, fen) in [("1200", 120000), ("1200.5", 120050), ("1,200.50", 120050), ("¥0.01", 1), ("0", 0)] {
            assert_eq!(Money::parse(F, raw).unwrap().fen(), fen, "{raw}");
        }
        for raw in ["-1", "1.234", "abc", "1e3", "1.2.3", "100000000.01", "."] {
            let e = Money::parse(F, raw).unwrap_err();
            assert_eq!(e.kind, FieldErrorKind::InvalidAmount { raw: raw.into() }, "{raw}");
        }
        assert_eq!(Money::parse(F, " ").unwrap_err().kind, FieldErrorKind::Required);
    }

    #[test]
    fn displays_with_separators() {
        assert_eq!(Money::from_fen(123456789).unwrap().to_string(), "1,234,567.89");
        assert_eq!(Money::from_fen(5).unwrap().to_string(), "0.05");
        // On the wire: a string, exact.
        assert_eq!(serde_json::to_string(&Money::from_fen(120050).unwrap()).unwrap(), "\"1200.5\"");
        assert!(serde_json::from_str::<Money>("\"1.001\"").is_err());
    }

    proptest! {
        #[test]
        fn fen_round_trips(fen in 0i64..=10_000_000_000) {
            let m = Money::from_fen(fen).unwrap();
            prop_assert_eq!(m.fen(), fen);
            prop_assert_eq!(Money::parse(F, &m.to_string()).unwrap(), m);
        }
    }
}
