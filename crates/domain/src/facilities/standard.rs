//! Area and siting standards (配置标准) for community rooms, as configuration:
//! a jurisdiction (an org node) keeps versions, each with the date it takes
//! effect; the version in force on a date is the latest that started by then,
//! taken from the nearest jurisdiction that has one. Every figure shown names
//! the version it used.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Area, Estate, RoomUse};
use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};

/// One version of the rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaStandard {
    /// The version's name, e.g. “完整社区建设指南(2022)”.
    pub version: String,
    /// The first day it applies.
    pub effective_from: NaiveDate,
    /// 社区综合服务用房: square metres per 100 households.
    pub service_per_100: Area,
    /// 养老服务用房 in existing estates: square metres per 100 households.
    pub elderly_existing_per_100: Area,
    /// 养老服务用房 in new estates: square metres per 100 households.
    pub elderly_new_per_100: Area,
    /// 养老服务用房 in a new estate: at least this much in one site.
    pub elderly_new_min_site: Area,
    /// Rooms sit on floors 1 to this (a basement never counts).
    pub max_floor: i32,
    /// A new project's rooms are built before this share (%) of its housing
    /// is delivered (与首期住宅同步建设).
    pub built_by_share_pct: i32,
}

/// 100 households: the unit the standards are written in.
const PER: Decimal = Decimal::ONE_HUNDRED;

impl AreaStandard {
    /// The area `households` need for `room` under this rule, rounded up to
    /// the hundredth of a square metre. No households need nothing.
    pub fn required(&self, room: RoomUse, estate: Estate, households: u32) -> Area {
        if households == 0 {
            return Area::ZERO;
        }
        let per_100 = match (room, estate) {
            (RoomUse::Service, _) => self.service_per_100,
            (RoomUse::ElderlyCare, Estate::Existing) => self.elderly_existing_per_100,
            (RoomUse::ElderlyCare, Estate::New) => self.elderly_new_per_100,
        };
        let by_households = Area::ceil(per_100.m2() * Decimal::from(households) / PER);
        match (room, estate) {
            (RoomUse::ElderlyCare, Estate::New) => by_households.max(self.elderly_new_min_site),
            _ => by_households,
        }
    }

    /// What is wrong with where a room is (empty when it is sited to rule).
    pub fn siting(&self, floor: i32, own_entrance: bool) -> Vec<SitingProblem> {
        let mut out = Vec::new();
        if floor < 1 {
            out.push(SitingProblem::Basement);
        } else if floor > self.max_floor {
            out.push(SitingProblem::TooHigh { floor, max: self.max_floor });
        }
        if !own_entrance {
            out.push(SitingProblem::NoOwnEntrance);
        }
        out
    }

    /// The rule of the 2022 完整社区 guidance and common provincial practice:
    /// the default a new installation starts with.
    pub fn default_2022() -> AreaStandard {
        let m2 = |n: i64| Area::from_centi(n * 100).expect("small");
        AreaStandard {
            version: "完整社区建设指南(2022)及省养老服务设施配建规定".into(),
            effective_from: NaiveDate::from_ymd_opt(2022, 10, 1).expect("a date"),
            service_per_100: m2(30),
            elderly_existing_per_100: m2(20),
            elderly_new_per_100: m2(30),
            elderly_new_min_site: m2(350),
            max_floor: 3,
            built_by_share_pct: 50,
        }
    }
}

/// Of several versions, the one in force on `on`: the latest whose
/// effective date is not after it. Versions from the nearest jurisdiction
/// come first in `by_jurisdiction`; the first jurisdiction with a version in
/// force wins.
pub fn in_force(by_jurisdiction: &[Vec<AreaStandard>], on: NaiveDate) -> Option<&AreaStandard> {
    by_jurisdiction
        .iter()
        .find_map(|versions| versions.iter().filter(|v| v.effective_from <= on).max_by_key(|v| v.effective_from))
}

/// A room placed against the siting rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SitingProblem {
    /// In a basement or semi-basement.
    Basement,
    /// Above the highest floor allowed.
    TooHigh {
        /// Its floor.
        floor: i32,
        /// The highest allowed.
        max: i32,
    },
    /// Reached only through other premises.
    NoOwnEntrance,
}

impl SitingProblem {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            SitingProblem::Basement => "basement",
            SitingProblem::TooHigh { .. } => "too_high",
            SitingProblem::NoOwnEntrance => "no_own_entrance",
        }
    }

    /// What is wrong, in Chinese.
    pub fn message(self) -> String {
        match self {
            SitingProblem::Basement => "设在地下室,不符合选址要求".into(),
            SitingProblem::TooHigh { floor, max } => format!("设在 {floor} 层,应在 1 至 {max} 层"),
            SitingProblem::NoOwnEntrance => "没有独立出入口".into(),
        }
    }
}

/// Field `version`, labelled “标准名称” in forms and messages.
pub const FIELD_VERSION: Field = Field::new("version", "标准名称");
/// Field `effective_from`, labelled “生效日期” in forms and messages.
pub const FIELD_EFFECTIVE: Field = Field::new("effective_from", "生效日期");
/// Field `service_per_100`, labelled “社区综合服务用房(每百户平方米)” in forms and messages.
pub const FIELD_SERVICE_PER_100: Field = Field::new("service_per_100", "社区综合服务用房(每百户平方米)");
/// Field `elderly_existing_per_100`, labelled “已建成社区养老服务用房(每百户平方米)” in forms and messages.
pub const FIELD_ELDERLY_EXISTING: Field =
    Field::new("elderly_existing_per_100", "已建成社区养老服务用房(每百户平方米)");
/// Field `elderly_new_per_100`, labelled “新建住宅项目养老服务用房(每百户平方米)” in forms and messages.
pub const FIELD_ELDERLY_NEW: Field = Field::new("elderly_new_per_100", "新建住宅项目养老服务用房(每百户平方米)");
/// Field `elderly_new_min_site`, labelled “新建项目养老服务用房单处最小面积(平方米)” in forms and messages.
pub const FIELD_ELDERLY_MIN: Field = Field::new("elderly_new_min_site", "新建项目养老服务用房单处最小面积(平方米)");
/// Field `max_floor`, labelled “最高楼层” in forms and messages.
pub const FIELD_MAX_FLOOR: Field = Field::new("max_floor", "最高楼层");
/// Field `built_by_share_pct`, labelled “须在住宅交付比例之前建成(%)” in forms and messages.
pub const FIELD_BUILT_SHARE: Field = Field::new("built_by_share_pct", "须在住宅交付比例之前建成(%)");

/// A version as typed by the administrator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StandardInput {
    /// 标准名称.
    pub version: String,
    /// 生效日期, `YYYY-MM-DD`.
    pub effective_from: String,
    /// 每百户社区综合服务用房.
    pub service_per_100: String,
    /// 每百户养老服务用房(已建成社区).
    pub elderly_existing_per_100: String,
    /// 每百户养老服务用房(新建项目).
    pub elderly_new_per_100: String,
    /// 新建项目养老服务用房单处最小面积.
    pub elderly_new_min_site: String,
    /// 最高楼层.
    pub max_floor: String,
    /// 建成时限(住宅交付比例,%).
    pub built_by_share_pct: String,
}

/// A whole number in `min..=max` typed into `field`.
pub(crate) fn bounded(field: Field, raw: &str, min: i64, max: i64) -> Result<i32, FieldError> {
    // The callers' ranges fit i32.
    field.whole_number(raw, min, max).map(|n| n as i32)
}

impl StandardInput {
    /// Checks the form, reporting every problem at once. A rate of 0 is
    /// refused: a rule that asks for nothing is a typing mistake.
    pub fn parse(&self) -> Result<AreaStandard, Vec<FieldError>> {
        let mut p = Problems::new();
        let version = p.take(FIELD_VERSION.required_text(&self.version, 100));
        let effective_from =
            p.take(parse_date((FIELD_EFFECTIVE.name, FIELD_EFFECTIVE.label), Some(&self.effective_from)));
        let mut rate = |field: Field, raw: &str| {
            p.take(Area::parse(field, raw).and_then(|a| {
                if a == Area::ZERO {
                    Err(field.error(FieldErrorKind::InvalidFormat { expected: "应大于 0" }))
                } else {
                    Ok(a)
                }
            }))
        };
        let service = rate(FIELD_SERVICE_PER_100, &self.service_per_100);
        let existing = rate(FIELD_ELDERLY_EXISTING, &self.elderly_existing_per_100);
        let new = rate(FIELD_ELDERLY_NEW, &self.elderly_new_per_100);
        let min_site = p.take(Area::parse(FIELD_ELDERLY_MIN, &self.elderly_new_min_site));
        let max_floor = p.take(bounded(FIELD_MAX_FLOOR, &self.max_floor, 1, 10));
        let share = p.take(bounded(FIELD_BUILT_SHARE, &self.built_by_share_pct, 1, 100));
        p.into_result(|| {
            Some(AreaStandard {
                version: version?,
                effective_from: effective_from?,
                service_per_100: service?,
                elderly_existing_per_100: existing?,
                elderly_new_per_100: new?,
                elderly_new_min_site: min_site?,
                max_floor: max_floor?,
                built_by_share_pct: share?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn thirty_square_metres_per_hundred_households_rounded_up() {
        let s = AreaStandard::default_2022();
        assert_eq!(s.required(RoomUse::Service, Estate::Existing, 1820).m2(), Decimal::new(546, 0));
        // 30 × 1 / 100 = 0.3 exactly; 30 × 7 / 100 = 2.1.
        assert_eq!(s.required(RoomUse::Service, Estate::New, 1).m2(), Decimal::new(3, 1));
        assert_eq!(s.required(RoomUse::Service, Estate::New, 0), Area::ZERO);
        // 20 × 1260 / 100 = 252 for existing estates; new estates get at least one 350 ㎡ site.
        assert_eq!(s.required(RoomUse::ElderlyCare, Estate::Existing, 1260).m2(), Decimal::new(252, 0));
        assert_eq!(s.required(RoomUse::ElderlyCare, Estate::New, 1000).m2(), Decimal::new(350, 0));
        assert_eq!(s.required(RoomUse::ElderlyCare, Estate::New, 1200).m2(), Decimal::new(360, 0));
        // A rate with a fraction rounds up at the hundredth: 33.33 × 7 / 100 = 2.3331 → 2.34.
        let odd = AreaStandard { service_per_100: Area::from_centi(3333).unwrap(), ..s };
        assert_eq!(odd.required(RoomUse::Service, Estate::Existing, 7).m2(), Decimal::new(234, 2));
    }

    #[test]
    fn the_version_in_force_is_the_latest_started_of_the_nearest_jurisdiction() {
        let v2022 = AreaStandard::default_2022();
        let v2027 = AreaStandard { version: "2027 修订".into(), effective_from: d("2027-01-01"), ..v2022.clone() };
        let city = vec![v2022.clone(), v2027.clone()];
        let on = |s: &str| in_force(std::slice::from_ref(&city), d(s)).map(|v| v.version.clone());
        assert_eq!(on("2026-12-31").as_deref(), Some(v2022.version.as_str()));
        assert_eq!(on("2027-01-01").as_deref(), Some("2027 修订"));
        assert_eq!(on("2022-09-30"), None);
        // A district's own version wins over the city's once it is in force.
        let district =
            vec![AreaStandard { version: "区标准".into(), effective_from: d("2026-06-01"), ..v2022.clone() }];
        let both = [district, city];
        assert_eq!(in_force(&both, d("2026-06-01")).unwrap().version, "区标准");
        assert_eq!(in_force(&both, d("2026-05-31")).unwrap().version, v2022.version);
    }

    #[test]
    fn siting_rules() {
        let s = AreaStandard::default_2022();
        assert!(s.siting(1, true).is_empty() && s.siting(3, true).is_empty());
        assert_eq!(s.siting(4, true), vec![SitingProblem::TooHigh { floor: 4, max: 3 }]);
        assert_eq!(s.siting(-1, false), vec![SitingProblem::Basement, SitingProblem::NoOwnEntrance]);
        assert_eq!(s.siting(0, true), vec![SitingProblem::Basement]);
    }

    #[test]
    fn the_form_reports_every_field() {
        let errors = StandardInput { max_floor: "0".into(), service_per_100: "0".into(), ..Default::default() }
            .parse()
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "version",
                "effective_from",
                "service_per_100",
                "elderly_existing_per_100",
                "elderly_new_per_100",
                "elderly_new_min_site",
                "max_floor",
                "built_by_share_pct"
            ]
        );
        let ok = StandardInput {
            version: "市标准".into(),
            effective_from: "2027-01-01".into(),
            service_per_100: "30".into(),
            elderly_existing_per_100: "20".into(),
            elderly_new_per_100: "30".into(),
            elderly_new_min_site: "350".into(),
            max_floor: "3".into(),
            built_by_share_pct: "50".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.effective_from, d("2027-01-01"));
    }

    proptest! {
        /// The requirement never falls short of the exact figure, exceeds it
        /// by less than a hundredth, and grows with the households.
        #[test]
        fn requirement_is_the_exact_figure_rounded_up(households in 1u32..200_000, centi in 1i64..10_000) {
            let s = AreaStandard { service_per_100: Area::from_centi(centi).unwrap(), ..AreaStandard::default_2022() };
            let exact = Decimal::new(centi, 2) * Decimal::from(households) / Decimal::ONE_HUNDRED;
            let got = s.required(RoomUse::Service, Estate::Existing, households).m2();
            prop_assert!(got >= exact);
            prop_assert!(got - exact < Decimal::new(1, 2));
            prop_assert!(s.required(RoomUse::Service, Estate::Existing, households + 1).m2() >= got);
        }
    }
}
