//! Community facilities (社区设施布点), plan §二(一)2: every community needs
//! working and service rooms to standard; a new residential project plans,
//! builds, accepts and hands over its rooms together with the housing
//! (规划、建设、验收、移交"四同步"); existing communities below standard add,
//! expand, build, buy, rent or put idle space to use.
//!
//! - [`standard`]: the area and siting rules, versioned by effective date
//!   (a city changes its rule by data);
//! - [`project`]: a new residential project's four steps, their sign-offs and
//!   the flags derived from them;
//! - [`community`]: an existing community's rooms, its shortfall and remedies.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind};

pub mod community;
pub mod project;
pub mod standard;

use crate::vocabulary::vocabulary;

vocabulary! {
    /// What a room is for: the two kinds the standards count.
    RoomUse {
        /// 社区综合服务用房 (working and service rooms).
        Service = ("service", "社区综合服务用房"),
        /// 养老服务用房 (elderly-care rooms).
        ElderlyCare = ("elderly_care", "养老服务用房"),
    }
}

vocabulary! {
    /// Whether rooms belong to a new residential project or an existing
    /// community: some rules differ (elderly-care rooms).
    Estate {
        /// 新建住宅项目
        New = ("new", "新建住宅项目"),
        /// 已建成住宅区(存量社区)
        Existing = ("existing", "已建成社区"),
    }
}

/// A floor area in square metres (面积, ㎡), exact to the hundredth; stored as
/// whole hundredths (`centi`), like money in fen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Area(Decimal);

impl Area {
    /// Nothing (0 ㎡).
    pub const ZERO: Area = Area(Decimal::ZERO);
    /// One million square metres: more for one community is a typing mistake.
    pub const MAX_M2: i64 = 1_000_000;

    /// Parses what a person typed: `120`, `120.5`, `1,200.50`, `120㎡`, `120 平方米`.
    pub fn parse(field: Field, raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(field.error(FieldErrorKind::Required));
        }
        let number = ["平方米", "㎡", "m²", "m2"].iter().find_map(|unit| text.strip_suffix(unit)).unwrap_or(text);
        let cleaned: String = number.chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
        let plain = !cleaned.is_empty()
            && cleaned.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && cleaned.bytes().filter(|b| *b == b'.').count() <= 1;
        plain.then(|| cleaned.parse::<Decimal>().ok()).flatten().and_then(|d| Self::try_from(d).ok()).ok_or_else(|| {
            field.error(FieldErrorKind::InvalidFormat {
                expected: "请填写不小于 0 的面积(平方米),最多两位小数,例如 120.5",
            })
        })
    }

    /// From whole hundredths of a square metre, as stored; `None` beyond the limit.
    pub fn from_centi(centi: i64) -> Option<Self> {
        Self::try_from(Decimal::new(centi, 2)).ok()
    }

    /// The area in whole hundredths of a square metre, as stored.
    pub fn centi(self) -> i64 {
        (self.0 * Decimal::ONE_HUNDRED).trunc().try_into().unwrap_or(i64::MAX)
    }

    /// The area in square metres.
    pub fn m2(self) -> Decimal {
        self.0
    }

    /// `self - other`, or nothing when `other` covers it.
    pub fn short_of(self, other: Area) -> Area {
        if other.0 >= self.0 {
            Area::ZERO
        } else {
            Area(self.0 - other.0)
        }
    }

    /// An exact figure rounded **up** to the hundredth: a requirement is never
    /// rounded in the developer's favour.
    pub fn ceil(m2: Decimal) -> Area {
        let d = m2.max(Decimal::ZERO).round_dp_with_strategy(2, RoundingStrategy::ToPositiveInfinity);
        Area(d.min(Decimal::from(Self::MAX_M2)).normalize())
    }
}

impl std::ops::Add for Area {
    type Output = Area;
    fn add(self, rhs: Area) -> Area {
        Area((self.0 + rhs.0).normalize())
    }
}

impl std::iter::Sum for Area {
    fn sum<I: Iterator<Item = Area>>(iter: I) -> Area {
        iter.fold(Area::ZERO, |a, b| a + b)
    }
}

impl TryFrom<Decimal> for Area {
    type Error = &'static str;

    fn try_from(d: Decimal) -> Result<Self, Self::Error> {
        let d = d.normalize();
        if d.is_sign_negative() && !d.is_zero() {
            Err("面积不能为负数")
        } else if d.scale() > 2 {
            Err("面积最多两位小数")
        } else if d > Decimal::from(Self::MAX_M2) {
            Err("面积过大")
        } else {
            Ok(Area(d.abs()))
        }
    }
}

impl From<Area> for Decimal {
    fn from(a: Area) -> Decimal {
        a.0
    }
}

impl std::fmt::Display for Area {
    /// `120.5 ㎡`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ㎡", self.0.normalize())
    }
}

/// Why a facilities request was refused: rules about the order of the four
/// steps and who signs what (HTTP 409 or 403).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FacilityError {
    /// Handover asked before all three acceptance sign-offs.
    AcceptanceIncomplete {
        /// Whose acceptance sign-off is missing.
        missing: Vec<project::Authority>,
    },
    /// A sign-off of a later step while an earlier step is open.
    StepNotReached {
        /// The step still open.
        open: project::Step,
    },
    /// This sign-off is already on the file.
    AlreadySigned {
        /// Which one.
        kind: project::SignOffKind,
    },
    /// The account's department is not the one that signs this.
    NotTheSigner {
        /// Who signs it.
        authority: project::Authority,
    },
    /// The rooms are used before they are handed over.
    InUseBeforeHandover,
    /// No area standard is in force for the date (configuration missing).
    NoStandard,
    /// A remedy's status can move only forward.
    RemedyFinished,
}

impl DomainError for FacilityError {
    fn code(&self) -> &'static str {
        match self {
            FacilityError::AcceptanceIncomplete { .. } => "facility_acceptance_incomplete",
            FacilityError::StepNotReached { .. } => "facility_step_not_reached",
            FacilityError::AlreadySigned { .. } => "facility_already_signed",
            FacilityError::NotTheSigner { .. } => "facility_not_the_signer",
            FacilityError::InUseBeforeHandover => "facility_in_use_before_handover",
            FacilityError::NoStandard => "facility_no_standard",
            FacilityError::RemedyFinished => "facility_remedy_finished",
        }
    }

    fn message(&self) -> String {
        match self {
            FacilityError::AcceptanceIncomplete { missing } => {
                let names: Vec<&str> = missing.iter().map(|a| a.label()).collect();
                format!(
                    "验收尚缺{}的签字。自然资源、住房城乡建设、民政三个部门全部签字验收后,才能移交。",
                    names.join("、")
                )
            }
            FacilityError::StepNotReached { open } => {
                format!("“{}”环节尚未完成,不能越过它办理后面的环节。", open.label())
            }
            FacilityError::AlreadySigned { kind } => format!("“{}”已有签字,不能重复签字。", kind.label()),
            FacilityError::NotTheSigner { authority } => {
                format!("该项须由{}签字,您所在单位不能代签。", authority.label())
            }
            FacilityError::InUseBeforeHandover => "用房尚未签订移交协议,不能登记投入使用。".into(),
            FacilityError::NoStandard => "该地区没有在这一天生效的配置标准,请先由系统管理员录入标准。".into(),
            FacilityError::RemedyFinished => "该补齐措施已完成,状态不能再改。".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Field = Field::new("area", "面积(平方米)");

    #[test]
    fn areas_parse_as_people_type_them() {
        for (raw, want) in [
            ("120", "120"),
            ("120.5", "120.5"),
            ("1,200.50", "1200.5"),
            ("120㎡", "120"),
            ("12", "12"),
            ("80 平方米", "80"),
            ("35m2", "35"),
        ] {
            assert_eq!(Area::parse(F, raw).unwrap().m2().to_string(), want, "{raw}");
        }
        for raw in ["-1", "1.234", "abc", "1e3", "2000000"] {
            assert_eq!(
                Area::parse(F, raw).unwrap_err().kind.clone(),
                FieldErrorKind::InvalidFormat {
                    expected: "请填写不小于 0 的面积(平方米),最多两位小数,例如 120.5"
                },
                "{raw}"
            );
        }
        assert_eq!(Area::parse(F, " ").unwrap_err().kind, FieldErrorKind::Required);
    }

    #[test]
    fn areas_round_up_and_store_as_hundredths() {
        assert_eq!(Area::ceil(Decimal::new(54601, 3)).m2(), Decimal::new(5461, 2));
        assert_eq!(Area::ceil(Decimal::new(5460, 2)).m2(), Decimal::new(546, 1));
        let a = Area::parse(F, "546.01").unwrap();
        assert_eq!(a.centi(), 54601);
        assert_eq!(Area::from_centi(54601), Some(a));
        assert_eq!(Area::parse(F, "100").unwrap().short_of(a), Area::ZERO);
        assert_eq!(a.short_of(Area::parse(F, "500").unwrap()).m2(), Decimal::new(4601, 2));
    }

    #[test]
    fn refusals_have_codes_and_chinese_text() {
        let e = FacilityError::AcceptanceIncomplete { missing: vec![project::Authority::CivilAffairs] };
        assert_eq!(e.code(), "facility_acceptance_incomplete");
        assert!(e.message().contains("民政部门"), "{}", e.message());
        assert!(e.message().ends_with('。'));
    }
}
