//! A new residential project (新建住宅项目) and its community rooms' four
//! steps in step with the housing (四同步): 规划 → 建设 → 验收 → 移交. Each step
//! is done when its sign-offs are on the file; a step's sign-offs wait for
//! the steps before it, and **no handover without all three acceptance
//! sign-offs** (自然资源、住建、民政). Flags are derived from the facts, never
//! typed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::standard::{bounded, AreaStandard, SitingProblem};
use super::{vocabulary, Area, Estate, FacilityError, RoomUse};
use crate::calendar::WorkingDayCalendar;
use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::grid::boundary::Position;

vocabulary! {
    /// The four steps (四同步).
    Step {
        /// 规划: the rooms are in the land-sale conditions and the design.
        Planning = ("planning", "规划"),
        /// 建设: built with the housing.
        Construction = ("construction", "建设"),
        /// 验收: accepted by three departments together.
        Acceptance = ("acceptance", "验收"),
        /// 移交: handed over free, registered and in use.
        Handover = ("handover", "移交"),
    }
}

vocabulary! {
    /// Who signs: a functional department's line of work (a department is
    /// configured with one), or the receiving community.
    Authority {
        /// 自然资源部门
        NaturalResources = ("natural_resources", "自然资源部门"),
        /// 住房城乡建设部门
        Housing = ("housing", "住房城乡建设部门"),
        /// 民政部门
        CivilAffairs = ("civil_affairs", "民政部门"),
        /// 接收的社区 (its leader signs)
        Community = ("community", "接收的社区"),
    }
}

vocabulary! {
    /// One sign-off on a project's file.
    SignOffKind {
        /// 规划: the land-sale conditions name the rooms (自然资源).
        LandConditions = ("land_conditions", "土地出让条件已列明配套用房"),
        /// 规划: the design was consulted with 民政 and the street.
        DesignConsulted = ("design_consulted", "设计方案已征求民政部门和街道意见"),
        /// 建设: the rooms are built with the housing (住建), with their areas.
        Built = ("built", "配套用房与住宅同步建成"),
        /// 验收 by 自然资源.
        AcceptNaturalResources = ("accept_natural_resources", "自然资源部门验收"),
        /// 验收 by 住建.
        AcceptHousing = ("accept_housing", "住房城乡建设部门验收"),
        /// 验收 by 民政.
        AcceptCivilAffairs = ("accept_civil_affairs", "民政部门验收"),
        /// 移交: the handover agreement, signed by the receiver.
        HandoverAgreement = ("handover_agreement", "签订无偿移交协议"),
        /// 移交: the property registered to the receiver (自然资源).
        PropertyRegistered = ("property_registered", "办理不动产登记"),
        /// 移交: the rooms are in use.
        InUse = ("in_use", "投入使用"),
    }
}

impl SignOffKind {
    /// The step this sign-off belongs to.
    pub fn step(self) -> Step {
        use SignOffKind::*;
        match self {
            LandConditions | DesignConsulted => Step::Planning,
            Built => Step::Construction,
            AcceptNaturalResources | AcceptHousing | AcceptCivilAffairs => Step::Acceptance,
            HandoverAgreement | PropertyRegistered | InUse => Step::Handover,
        }
    }

    /// Who signs it.
    pub fn authority(self) -> Authority {
        use SignOffKind::*;
        match self {
            LandConditions | AcceptNaturalResources | PropertyRegistered => Authority::NaturalResources,
            Built | AcceptHousing => Authority::Housing,
            DesignConsulted | AcceptCivilAffairs => Authority::CivilAffairs,
            HandoverAgreement | InUse => Authority::Community,
        }
    }
}

impl Step {
    /// The sign-offs that complete this step.
    pub fn sign_offs(self) -> impl Iterator<Item = SignOffKind> {
        SignOffKind::ALL.iter().copied().filter(move |k| k.step() == self)
    }
}

/// Whether `kind` may be signed now, given what is signed: not twice, not
/// before the steps before it, handover only after all three acceptances,
/// in use only after the agreement.
pub fn check_sign(kind: SignOffKind, signed: &[SignOffKind]) -> Result<(), FacilityError> {
    if signed.contains(&kind) {
        return Err(FacilityError::AlreadySigned { kind });
    }
    if kind.step() == Step::Handover {
        let missing: Vec<Authority> =
            Step::Acceptance.sign_offs().filter(|k| !signed.contains(k)).map(SignOffKind::authority).collect();
        if !missing.is_empty() {
            return Err(FacilityError::AcceptanceIncomplete { missing });
        }
    }
    if let Some(open) = Step::ALL.iter().copied().filter(|s| *s < kind.step()).find(|s| !is_done(*s, signed)) {
        return Err(FacilityError::StepNotReached { open });
    }
    if kind == SignOffKind::InUse && !signed.contains(&SignOffKind::HandoverAgreement) {
        return Err(FacilityError::InUseBeforeHandover);
    }
    Ok(())
}

/// Whether every sign-off of `step` is on the file.
pub fn is_done(step: Step, signed: &[SignOffKind]) -> bool {
    step.sign_offs().all(|k| signed.contains(&k))
}

/// The first step not done; `None` once the project is delivered (all four
/// done, which needs all three acceptance sign-offs).
pub fn current_step(signed: &[SignOffKind]) -> Option<Step> {
    Step::ALL.iter().copied().find(|s| !is_done(*s, signed))
}

/// Field `community_id`, labelled “所在社区” in forms and messages.
pub const FIELD_COMMUNITY: Field = Field::new("community_id", "所在社区");
/// Field `name`, labelled “项目名称” in forms and messages.
pub const FIELD_NAME: Field = Field::new("name", "项目名称");
/// Field `developer`, labelled “建设单位(开发商)” in forms and messages.
pub const FIELD_DEVELOPER: Field = Field::new("developer", "建设单位(开发商)");
/// Field `households`, labelled “规划户数” in forms and messages.
pub const FIELD_HOUSEHOLDS: Field = Field::new("households", "规划户数");
/// Field `phases`, labelled “分期数” in forms and messages.
pub const FIELD_PHASES: Field = Field::new("phases", "分期数");
/// Field `service_area`, labelled “配建社区综合服务用房面积(平方米)” in forms and messages.
pub const FIELD_SERVICE_AREA: Field = Field::new("service_area", "配建社区综合服务用房面积(平方米)");
/// Field `elderly_area`, labelled “配建养老服务用房面积(平方米)” in forms and messages.
pub const FIELD_ELDERLY_AREA: Field = Field::new("elderly_area", "配建养老服务用房面积(平方米)");
/// Field `floor`, labelled “所在楼层” in forms and messages (地下一层为 -1).
pub const FIELD_FLOOR: Field = Field::new("floor", "所在楼层");
/// Field `planning_due`, labelled “规划计划完成日期” in forms and messages.
pub const FIELD_PLANNING_DUE: Field = Field::new("planning_due", "规划计划完成日期");
/// Field `construction_due`, labelled “建设计划完成日期” in forms and messages.
pub const FIELD_CONSTRUCTION_DUE: Field = Field::new("construction_due", "建设计划完成日期");
/// Field `acceptance_due`, labelled “验收计划完成日期” in forms and messages.
pub const FIELD_ACCEPTANCE_DUE: Field = Field::new("acceptance_due", "验收计划完成日期");
/// Field `handover_due`, labelled “移交计划完成日期” in forms and messages.
pub const FIELD_HANDOVER_DUE: Field = Field::new("handover_due", "移交计划完成日期");
/// Field `position`, labelled “项目位置” in forms and messages.
pub const FIELD_POSITION: Field = Field::new("position", "项目位置");

/// The planned-date field of each step, in step order.
pub const DUE_FIELDS: [Field; 4] =
    [FIELD_PLANNING_DUE, FIELD_CONSTRUCTION_DUE, FIELD_ACCEPTANCE_DUE, FIELD_HANDOVER_DUE];

/// A project as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    /// Id of the community the estate belongs to.
    pub community_id: String,
    /// 项目名称.
    pub name: String,
    /// 建设单位.
    pub developer: String,
    /// 规划户数.
    pub households: String,
    /// 分期数.
    pub phases: String,
    /// 经度 (with `lat`; both empty when not placed).
    pub lon: String,
    /// 纬度.
    pub lat: String,
    /// Planned 社区综合服务用房 area.
    pub service_area: String,
    /// Planned 养老服务用房 area.
    pub elderly_area: String,
    /// Floor of the rooms (-1 for a basement).
    pub floor: String,
    /// Whether the rooms have their own entrance.
    pub own_entrance: bool,
    /// Planned completion of 规划, 建设, 验收, 移交 (`YYYY-MM-DD` each).
    pub planning_due: String,
    /// See `planning_due`.
    pub construction_due: String,
    /// See `planning_due`.
    pub acceptance_due: String,
    /// See `planning_due`.
    pub handover_due: String,
}

/// A project, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    /// The community it belongs to.
    pub community_id: i64,
    /// 项目名称.
    pub name: String,
    /// 建设单位.
    pub developer: String,
    /// 规划户数.
    pub households: u32,
    /// 分期数.
    pub phases: u32,
    /// Where it is, if placed.
    pub position: Option<Position>,
    /// The rooms as planned.
    pub rooms: PlannedRooms,
    /// Planned completion of each step, in step order (not decreasing).
    pub due: [NaiveDate; 4],
}

/// The rooms a project provides (as planned, then as built).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRooms {
    /// 社区综合服务用房.
    pub service: Area,
    /// 养老服务用房.
    pub elderly: Area,
    /// The floor they are on (-1 a basement).
    pub floor: i32,
    /// Own entrance.
    pub own_entrance: bool,
}

impl ProjectInput {
    /// Checks the form, reporting every problem at once.
    pub fn parse(&self) -> Result<Project, Vec<FieldError>> {
        let mut p = Problems::new();
        let community = p.take(FIELD_COMMUNITY.required_id(&self.community_id));
        let name = p.take(FIELD_NAME.required_text(&self.name, 100));
        let developer = p.take(FIELD_DEVELOPER.required_text(&self.developer, 100));
        let households = p.take(bounded(FIELD_HOUSEHOLDS, &self.households, 1, 100_000));
        let phases = p.take(bounded(FIELD_PHASES, &self.phases, 1, 20));
        let position = match (self.lon.trim().is_empty(), self.lat.trim().is_empty()) {
            (true, true) => Some(None),
            _ => match Position::parse(&self.lon, &self.lat) {
                Ok(pos) => Some(Some(pos)),
                Err(_) => {
                    p.push(FIELD_POSITION.error(FieldErrorKind::InvalidFormat {
                        expected: "请在地图上点选项目位置,或清空位置",
                    }));
                    None
                }
            },
        };
        let service = p.take(Area::parse(FIELD_SERVICE_AREA, &self.service_area));
        let elderly = p.take(Area::parse(FIELD_ELDERLY_AREA, &self.elderly_area));
        let floor = p.take(bounded(FIELD_FLOOR, &self.floor, -3, 30).and_then(|f| {
            if f == 0 {
                Err(FIELD_FLOOR
                    .error(FieldErrorKind::InvalidFormat { expected: "地上楼层从 1 起,地下一层填 -1" }))
            } else {
                Ok(f)
            }
        }));
        let raw = [&self.planning_due, &self.construction_due, &self.acceptance_due, &self.handover_due];
        let mut due: Vec<Option<NaiveDate>> = Vec::new();
        for (field, raw) in DUE_FIELDS.iter().zip(raw) {
            let parsed = p.take(parse_date((field.name, field.label), Some(raw)));
            // Each step is planned no earlier than the one before it.
            if let (Some(d), Some(Some(prev))) = (parsed, due.last()) {
                if d < *prev {
                    p.push(field.error(FieldErrorKind::DateTooEarly { earliest: prev.to_string() }));
                }
            }
            due.push(parsed);
        }
        p.into_result(|| {
            let due: Vec<NaiveDate> = due.into_iter().collect::<Option<_>>()?;
            Some(Project {
                community_id: community?,
                name: name?,
                developer: developer?,
                households: households? as u32,
                phases: phases? as u32,
                position: position?,
                rooms: PlannedRooms {
                    service: service?,
                    elderly: elderly?,
                    floor: floor?,
                    own_entrance: self.own_entrance,
                },
                due: due.try_into().ok()?,
            })
        })
    }
}

/// Field `kind`, labelled “签字事项” in forms and messages.
pub const FIELD_KIND: Field = Field::new("kind", "签字事项");
/// Field `signed_on`, labelled “签字日期” in forms and messages.
pub const FIELD_SIGNED_ON: Field = Field::new("signed_on", "签字日期");
/// Field `evidence`, labelled “依据文件或说明” in forms and messages.
pub const FIELD_EVIDENCE: Field = Field::new("evidence", "依据文件或说明");
/// Field `built_service_area`, labelled “建成社区综合服务用房面积(平方米)” in forms and messages.
pub const FIELD_BUILT_SERVICE: Field = Field::new("built_service_area", "建成社区综合服务用房面积(平方米)");
/// Field `built_elderly_area`, labelled “建成养老服务用房面积(平方米)” in forms and messages.
pub const FIELD_BUILT_ELDERLY: Field = Field::new("built_elderly_area", "建成养老服务用房面积(平方米)");
/// Field `housing_share_pct`, labelled “建成时住宅已交付比例(%)” in forms and messages.
pub const FIELD_HOUSING_SHARE: Field = Field::new("housing_share_pct", "建成时住宅已交付比例(%)");

/// A sign-off as typed. The built areas and the housing share are asked
/// for the construction sign-off only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignOffInput {
    /// A [`SignOffKind`] code.
    pub kind: String,
    /// 签字日期.
    pub signed_on: String,
    /// 依据文件或说明 (document number, minutes).
    pub evidence: String,
    /// Built 社区综合服务用房 area.
    pub built_service_area: String,
    /// Built 养老服务用房 area.
    pub built_elderly_area: String,
    /// Share of the housing delivered when the rooms were done.
    pub housing_share_pct: String,
}

/// What the construction sign-off records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuiltRooms {
    /// Built 社区综合服务用房.
    pub service: Area,
    /// Built 养老服务用房.
    pub elderly: Area,
    /// Share (%) of the housing delivered when the rooms were done.
    pub housing_share_pct: i32,
}

/// A sign-off, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignOff {
    /// Which.
    pub kind: SignOffKind,
    /// When signed (not after today).
    pub signed_on: NaiveDate,
    /// 依据.
    pub evidence: String,
    /// For [`SignOffKind::Built`].
    pub built: Option<BuiltRooms>,
}

impl SignOffInput {
    /// Checks the form against `today`, reporting every problem at once.
    pub fn parse(&self, today: NaiveDate) -> Result<SignOff, Vec<FieldError>> {
        let mut p = Problems::new();
        let kind = p.take(SignOffKind::parse(FIELD_KIND, &self.kind));
        let signed_on =
            p.take(parse_date((FIELD_SIGNED_ON.name, FIELD_SIGNED_ON.label), Some(&self.signed_on)).and_then(|d| {
                if d > today {
                    Err(FIELD_SIGNED_ON.error(FieldErrorKind::DateInFuture { raw: d.to_string() }))
                } else {
                    Ok(d)
                }
            }));
        let evidence = p.take(FIELD_EVIDENCE.required_text(&self.evidence, 200));
        let built = if kind == Some(SignOffKind::Built) {
            let service = p.take(Area::parse(FIELD_BUILT_SERVICE, &self.built_service_area));
            let elderly = p.take(Area::parse(FIELD_BUILT_ELDERLY, &self.built_elderly_area));
            let share = p.take(bounded(FIELD_HOUSING_SHARE, &self.housing_share_pct, 0, 100));
            Some((service, elderly, share))
        } else {
            None
        };
        p.into_result(|| {
            let built = match built {
                Some((s, e, h)) => Some(BuiltRooms { service: s?, elderly: e?, housing_share_pct: h? }),
                None => None,
            };
            Some(SignOff { kind: kind?, signed_on: signed_on?, evidence: evidence?, built })
        })
    }
}

/// Something wrong with a project, derived from its facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum ProjectFlag {
    /// The rooms (as built, else as planned) fall short of the standard.
    AreaShort {
        /// Which rooms.
        room: RoomUse,
        /// What the standard asks.
        required: Area,
        /// What the project provides.
        provided: Area,
    },
    /// The rooms break a siting rule.
    Siting {
        /// Which rule.
        problem: SitingProblem,
    },
    /// The rooms were finished after more of the housing than the rule allows.
    BuiltLate {
        /// Share of housing delivered then (%).
        share_pct: i32,
        /// The rule's limit (%).
        limit_pct: i32,
    },
    /// An open step is past its planned date.
    StepLate {
        /// The step.
        step: Step,
        /// Its planned date.
        planned: NaiveDate,
        /// Working days past it (`None` when the calendar does not know a year in between).
        working_days: Option<u32>,
    },
    /// Accepted but not handed over.
    AcceptedNotHandedOver,
    /// Handed over but not in use.
    HandedOverNotInUse,
}

impl ProjectFlag {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ProjectFlag::AreaShort { .. } => "area_short",
            ProjectFlag::Siting { .. } => "siting",
            ProjectFlag::BuiltLate { .. } => "built_late",
            ProjectFlag::StepLate { .. } => "step_late",
            ProjectFlag::AcceptedNotHandedOver => "accepted_not_handed_over",
            ProjectFlag::HandedOverNotInUse => "handed_over_not_in_use",
        }
    }

    /// What it says, in Chinese.
    pub fn message(&self) -> String {
        match self {
            ProjectFlag::AreaShort { room, required, provided } => {
                format!(
                    "{}面积不足:标准要求 {required},项目仅 {provided},缺 {}",
                    room.label(),
                    required.short_of(*provided)
                )
            }
            ProjectFlag::Siting { problem } => format!("选址不符合要求:{}", problem.message()),
            ProjectFlag::BuiltLate { share_pct, limit_pct } => {
                format!("配套用房建成时住宅已交付 {share_pct}%,应在交付 {limit_pct}% 之前建成")
            }
            ProjectFlag::StepLate { step, planned, working_days } => match working_days {
                Some(n) => format!("{}环节逾期:计划 {planned} 完成,已超过 {n} 个工作日", step.label()),
                None => format!("{}环节逾期:计划 {planned} 完成", step.label()),
            },
            ProjectFlag::AcceptedNotHandedOver => "已验收,尚未移交".into(),
            ProjectFlag::HandedOverNotInUse => "已移交,尚未投入使用".into(),
        }
    }
}

/// What the flags are derived from.
#[derive(Clone, Debug)]
pub struct ProjectFacts<'a> {
    /// 规划户数.
    pub households: u32,
    /// The rooms as planned.
    pub planned: PlannedRooms,
    /// Planned completion of each step, in step order.
    pub due: [NaiveDate; 4],
    /// The sign-offs on the file.
    pub signed: &'a [SignOffKind],
    /// What the construction sign-off recorded, if it is signed.
    pub built: Option<BuiltRooms>,
}

/// Every flag of a project on `today`, under `standard`.
pub fn flags(
    facts: &ProjectFacts<'_>,
    standard: &AreaStandard,
    today: NaiveDate,
    calendar: &WorkingDayCalendar,
) -> Vec<ProjectFlag> {
    let mut out = Vec::new();
    let (service, elderly) = match facts.built {
        Some(b) => (b.service, b.elderly),
        None => (facts.planned.service, facts.planned.elderly),
    };
    for (room, provided) in [(RoomUse::Service, service), (RoomUse::ElderlyCare, elderly)] {
        let required = standard.required(room, Estate::New, facts.households);
        if provided < required {
            out.push(ProjectFlag::AreaShort { room, required, provided });
        }
    }
    out.extend(
        standard
            .siting(facts.planned.floor, facts.planned.own_entrance)
            .into_iter()
            .map(|problem| ProjectFlag::Siting { problem }),
    );
    if let Some(b) = facts.built.filter(|b| b.housing_share_pct > standard.built_by_share_pct) {
        out.push(ProjectFlag::BuiltLate { share_pct: b.housing_share_pct, limit_pct: standard.built_by_share_pct });
    }
    if let Some(step) = current_step(facts.signed) {
        let planned = facts.due[Step::ALL.iter().position(|s| *s == step).unwrap_or(0)];
        if today > planned {
            out.push(ProjectFlag::StepLate {
                step,
                planned,
                working_days: calendar.working_days_between(planned, today).ok(),
            });
        }
    }
    let signed = |k| facts.signed.contains(&k);
    if is_done(Step::Acceptance, facts.signed) && !signed(SignOffKind::HandoverAgreement) {
        out.push(ProjectFlag::AcceptedNotHandedOver);
    }
    if signed(SignOffKind::HandoverAgreement) && !signed(SignOffKind::InUse) {
        out.push(ProjectFlag::HandedOverNotInUse);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;
    use proptest::prelude::*;
    use SignOffKind::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input() -> ProjectInput {
        ProjectInput {
            community_id: "5".into(),
            name: "滨江花园二期".into(),
            developer: "示范置业有限公司".into(),
            households: "1200".into(),
            phases: "2".into(),
            lon: "".into(),
            lat: "".into(),
            service_area: "360".into(),
            elderly_area: "360".into(),
            floor: "1".into(),
            own_entrance: true,
            planning_due: "2026-03-31".into(),
            construction_due: "2026-09-30".into(),
            acceptance_due: "2026-11-30".into(),
            handover_due: "2026-12-31".into(),
        }
    }

    #[test]
    fn the_steps_go_in_order_and_handover_needs_all_three_acceptances() {
        let mut signed = vec![];
        assert_eq!(check_sign(Built, &signed), Err(FacilityError::StepNotReached { open: Step::Planning }));
        signed.extend([LandConditions, DesignConsulted]);
        assert_eq!(check_sign(LandConditions, &signed), Err(FacilityError::AlreadySigned { kind: LandConditions }));
        assert_eq!(check_sign(AcceptHousing, &signed), Err(FacilityError::StepNotReached { open: Step::Construction }));
        signed.push(Built);
        signed.extend([AcceptNaturalResources, AcceptHousing]);
        // 民政 has not signed: no handover, whichever handover sign-off is tried.
        for kind in [HandoverAgreement, PropertyRegistered, InUse] {
            let e = check_sign(kind, &signed).unwrap_err();
            assert_eq!(e, FacilityError::AcceptanceIncomplete { missing: vec![Authority::CivilAffairs] });
            assert!(e.message().contains("民政部门"));
        }
        assert_eq!(current_step(&signed), Some(Step::Acceptance));
        signed.push(AcceptCivilAffairs);
        assert_eq!(check_sign(InUse, &signed), Err(FacilityError::InUseBeforeHandover));
        assert_eq!(check_sign(PropertyRegistered, &signed), Ok(()));
        signed.extend([HandoverAgreement, PropertyRegistered]);
        assert_eq!(check_sign(InUse, &signed), Ok(()));
        signed.push(InUse);
        assert_eq!(current_step(&signed), None);
    }

    proptest! {
        /// Whatever order sign-offs are tried in, one accepted by
        /// [`check_sign`] never lands before its earlier steps, and the
        /// project is never delivered, nor any handover sign-off on file,
        /// without the three acceptance sign-offs.
        #[test]
        fn no_handover_without_three_acceptances(order in proptest::collection::vec(0usize..9, 0..40)) {
            let mut signed: Vec<SignOffKind> = vec![];
            for i in order {
                let kind = SignOffKind::ALL[i];
                if check_sign(kind, &signed).is_ok() {
                    signed.push(kind);
                }
                let accepted = is_done(Step::Acceptance, &signed);
                prop_assert!(accepted || !signed.iter().any(|k| k.step() == Step::Handover));
                prop_assert!(current_step(&signed).is_some() || accepted);
                for k in &signed {
                    prop_assert!(Step::ALL.iter().filter(|s| **s < k.step()).all(|s| is_done(*s, &signed)));
                }
            }
        }
    }

    #[test]
    fn a_project_form_names_each_wrong_field() {
        let p = input().parse().unwrap();
        assert_eq!(p.households, 1200);
        assert_eq!(p.position, None);
        let bad = ProjectInput {
            households: "0".into(),
            floor: "0".into(),
            lon: "116.1".into(),
            acceptance_due: "2026-08-01".into(),
            ..input()
        };
        let fields: Vec<&str> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["households", "position", "floor", "acceptance_due"]);
    }

    #[test]
    fn the_construction_sign_off_records_the_built_rooms() {
        let today = d("2026-12-01");
        let s = SignOffInput {
            kind: "built".into(),
            signed_on: "2026-09-30".into(),
            evidence: "竣工验收备案".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = s.parse(today).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["built_service_area", "built_elderly_area", "housing_share_pct"]);
        let ok = SignOffInput {
            built_service_area: "360".into(),
            built_elderly_area: "350".into(),
            housing_share_pct: "40".into(),
            ..s
        }
        .parse(today)
        .unwrap();
        assert_eq!(ok.built.unwrap().housing_share_pct, 40);
        let future = SignOffInput {
            kind: "land_conditions".into(),
            signed_on: "2026-12-02".into(),
            evidence: "x".into(),
            ..Default::default()
        };
        assert_eq!(future.parse(today).unwrap_err()[0].code(), "field_date_in_future");
    }

    #[test]
    fn flags_are_derived() {
        let standard = AreaStandard::default_2022();
        let calendar = WorkingDayCalendar::new();
        let p = input().parse().unwrap();
        let signed =
            [LandConditions, DesignConsulted, Built, AcceptNaturalResources, AcceptHousing, AcceptCivilAffairs];
        let built = BuiltRooms {
            service: Area::from_centi(30000).unwrap(),
            elderly: Area::from_centi(36000).unwrap(),
            housing_share_pct: 70,
        };
        let facts = ProjectFacts {
            households: p.households,
            planned: PlannedRooms { floor: 4, ..p.rooms },
            due: p.due,
            signed: &signed,
            built: Some(built),
        };
        let got = flags(&facts, &standard, d("2026-12-01"), &calendar);
        let codes: Vec<&str> = got.iter().map(ProjectFlag::code).collect();
        assert_eq!(codes, ["area_short", "siting", "built_late", "accepted_not_handed_over"]);
        assert_eq!(got[0].message(), "社区综合服务用房面积不足:标准要求 360 ㎡,项目仅 300 ㎡,缺 60 ㎡");
        // Past the handover's planned date: the open step is late.
        let late = flags(&facts, &standard, d("2027-01-05"), &calendar);
        assert!(late.iter().any(|f| matches!(f, ProjectFlag::StepLate { step: Step::Handover, .. })), "{late:?}");
        let handed = [&signed[..], &[HandoverAgreement]].concat();
        let facts = ProjectFacts { signed: &handed, ..facts };
        assert!(flags(&facts, &standard, d("2026-12-01"), &calendar).contains(&ProjectFlag::HandedOverNotInUse));
    }
}
