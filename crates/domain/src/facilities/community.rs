//! An existing community's rooms (存量社区用房), its shortfall against the
//! standard, and the remedies under way (增建、扩建、新建、购买、租赁、盘活闲置).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::standard::{bounded, AreaStandard, SitingProblem};
use super::{vocabulary, Area, Estate, RoomUse};
use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::money::Money;

vocabulary! {
    /// On what terms the community holds a room.
    Tenure {
        /// 自有产权
        Owned = ("owned", "自有"),
        /// 租赁
        Rented = ("rented", "租赁"),
        /// 借用(共建单位提供)
        Borrowed = ("borrowed", "借用"),
    }
}

vocabulary! {
    /// How a community below standard gets its rooms (plan §二(一)2).
    RemedyKind {
        /// 增建
        Add = ("add", "增建"),
        /// 扩建
        Expand = ("expand", "扩建"),
        /// 新建
        NewBuild = ("new_build", "新建"),
        /// 购买
        Purchase = ("purchase", "购买"),
        /// 租赁
        Rent = ("rent", "租赁"),
        /// 盘活闲置资源
        IdleSpace = ("idle_space", "盘活闲置"),
    }
}

vocabulary! {
    /// Where a remedy stands; it moves forward only.
    RemedyStatus {
        /// 已立项
        Planned = ("planned", "已立项"),
        /// 实施中
        Underway = ("underway", "实施中"),
        /// 已完成
        Done = ("done", "已完成"),
    }
}

impl RemedyStatus {
    /// The next status, if any.
    pub fn next(self) -> Option<RemedyStatus> {
        match self {
            RemedyStatus::Planned => Some(RemedyStatus::Underway),
            RemedyStatus::Underway => Some(RemedyStatus::Done),
            RemedyStatus::Done => None,
        }
    }
}

/// One room a community uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    /// What for.
    pub room_use: RoomUse,
    /// 名称或地址, e.g. “幸福社区党群服务中心 1 楼”.
    pub name: String,
    /// 建筑面积.
    pub area: Area,
    /// On what terms.
    pub tenure: Tenure,
    /// Its floor (-1 a basement).
    pub floor: i32,
    /// Own entrance.
    pub own_entrance: bool,
    /// Since when (rented rooms: the lease start).
    pub since: NaiveDate,
}

/// One kind of room of a community against the standard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    /// Which rooms.
    pub room_use: RoomUse,
    /// What the standard asks for the community's households.
    pub required: Area,
    /// The rooms it has (every tenure counts while in use).
    pub provided: Area,
    /// What is missing (0 when to standard).
    pub short: Area,
}

/// Both kinds of room of a community of `households` against `standard`.
pub fn shortfalls(standard: &AreaStandard, households: u32, rooms: &[Room]) -> Vec<Shortfall> {
    RoomUse::ALL
        .iter()
        .map(|&room_use| {
            let required = standard.required(room_use, Estate::Existing, households);
            let provided: Area = rooms.iter().filter(|r| r.room_use == room_use).map(|r| r.area).sum();
            Shortfall { room_use, required, provided, short: required.short_of(provided) }
        })
        .collect()
}

/// The siting problems of each room, by its position in `rooms`.
pub fn siting(standard: &AreaStandard, rooms: &[Room]) -> Vec<(usize, SitingProblem)> {
    rooms
        .iter()
        .enumerate()
        .flat_map(|(i, r)| standard.siting(r.floor, r.own_entrance).into_iter().map(move |p| (i, p)))
        .collect()
}

/// Field `room_use`, labelled “用房类别” in forms and messages.
pub const FIELD_ROOM_USE: Field = Field::new("room_use", "用房类别");
/// Field `name`, labelled “用房名称或位置” in forms and messages.
pub const FIELD_ROOM_NAME: Field = Field::new("name", "用房名称或位置");
/// Field `area`, labelled “建筑面积(平方米)” in forms and messages.
pub const FIELD_AREA: Field = Field::new("area", "建筑面积(平方米)");
/// Field `tenure`, labelled “产权方式” in forms and messages.
pub const FIELD_TENURE: Field = Field::new("tenure", "产权方式");
/// Field `floor`, labelled “所在楼层” in forms and messages.
pub const FIELD_ROOM_FLOOR: Field = Field::new("floor", "所在楼层");
/// Field `since`, labelled “启用日期” in forms and messages.
pub const FIELD_SINCE: Field = Field::new("since", "启用日期");

/// A room as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoomInput {
    /// A [`RoomUse`] code.
    pub room_use: String,
    /// 名称或位置.
    pub name: String,
    /// 建筑面积.
    pub area: String,
    /// A [`Tenure`] code.
    pub tenure: String,
    /// 所在楼层.
    pub floor: String,
    /// Own entrance.
    pub own_entrance: bool,
    /// 启用日期, `YYYY-MM-DD`.
    pub since: String,
}

impl RoomInput {
    /// Checks the form against `today`, reporting every problem at once.
    pub fn parse(&self, today: NaiveDate) -> Result<Room, Vec<FieldError>> {
        let mut p = Problems::new();
        let room_use = p.take(RoomUse::parse(FIELD_ROOM_USE, &self.room_use));
        let name = p.take(FIELD_ROOM_NAME.required_text(&self.name, 100));
        let area = p.take(Area::parse(FIELD_AREA, &self.area).and_then(|a| {
            if a == Area::ZERO {
                Err(FIELD_AREA.error(FieldErrorKind::InvalidFormat { expected: "应大于 0" }))
            } else {
                Ok(a)
            }
        }));
        let tenure = p.take(Tenure::parse(FIELD_TENURE, &self.tenure));
        let floor = p.take(bounded(FIELD_ROOM_FLOOR, &self.floor, -3, 30).and_then(|f| {
            if f == 0 {
                Err(FIELD_ROOM_FLOOR
                    .error(FieldErrorKind::InvalidFormat { expected: "地上楼层从 1 起,地下一层填 -1" }))
            } else {
                Ok(f)
            }
        }));
        let since = p.take(parse_date((FIELD_SINCE.name, FIELD_SINCE.label), Some(&self.since)).and_then(|d| {
            if d > today {
                Err(FIELD_SINCE.error(FieldErrorKind::DateInFuture { raw: d.to_string() }))
            } else {
                Ok(d)
            }
        }));
        p.into_result(|| {
            Some(Room {
                room_use: room_use?,
                name: name?,
                area: area?,
                tenure: tenure?,
                floor: floor?,
                own_entrance: self.own_entrance,
                since: since?,
            })
        })
    }
}

/// Field `kind`, labelled “补齐方式” in forms and messages.
pub const FIELD_REMEDY_KIND: Field = Field::new("kind", "补齐方式");
/// Field `target_area`, labelled “拟补齐面积(平方米)” in forms and messages.
pub const FIELD_TARGET_AREA: Field = Field::new("target_area", "拟补齐面积(平方米)");
/// Field `funding`, labelled “安排资金(元)” in forms and messages.
pub const FIELD_FUNDING: Field = Field::new("funding", "安排资金(元)");
/// Field `due_on`, labelled “计划完成日期” in forms and messages.
pub const FIELD_DUE_ON: Field = Field::new("due_on", "计划完成日期");
/// Field `note`, labelled “说明” in forms and messages.
pub const FIELD_NOTE: Field = Field::new("note", "说明");

/// A remedy as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RemedyInput {
    /// A [`RemedyKind`] code.
    pub kind: String,
    /// A [`RoomUse`] code.
    pub room_use: String,
    /// 拟补齐面积.
    pub target_area: String,
    /// 安排资金(元).
    pub funding: String,
    /// 计划完成日期.
    pub due_on: String,
    /// 说明 (optional).
    pub note: String,
}

/// A remedy, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remedy {
    /// How.
    pub kind: RemedyKind,
    /// For which rooms.
    pub room_use: RoomUse,
    /// 拟补齐面积.
    pub target_area: Area,
    /// 安排资金.
    pub funding: Money,
    /// 计划完成日期.
    pub due_on: NaiveDate,
    /// 说明.
    pub note: String,
}

impl RemedyInput {
    /// Checks the form, reporting every problem at once.
    pub fn parse(&self) -> Result<Remedy, Vec<FieldError>> {
        let mut p = Problems::new();
        let kind = p.take(RemedyKind::parse(FIELD_REMEDY_KIND, &self.kind));
        let room_use = p.take(RoomUse::parse(FIELD_ROOM_USE, &self.room_use));
        let target_area = p.take(Area::parse(FIELD_TARGET_AREA, &self.target_area));
        let funding = p.take(Money::parse(FIELD_FUNDING, &self.funding));
        let due_on = p.take(parse_date((FIELD_DUE_ON.name, FIELD_DUE_ON.label), Some(&self.due_on)));
        let note = self.note.trim().to_string();
        if note.chars().count() > 200 {
            p.push(FIELD_NOTE.error(FieldErrorKind::TooLong { max: 200 }));
        }
        p.into_result(|| {
            Some(Remedy {
                kind: kind?,
                room_use: room_use?,
                target_area: target_area?,
                funding: funding?,
                due_on: due_on?,
                note,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn room(room_use: RoomUse, centi: i64, tenure: Tenure) -> Room {
        Room {
            room_use,
            name: "党群服务中心".into(),
            area: Area::from_centi(centi).unwrap(),
            tenure,
            floor: 1,
            own_entrance: true,
            since: "2020-01-01".parse().unwrap(),
        }
    }

    #[test]
    fn a_rented_room_counts_towards_the_standard() {
        let s = AreaStandard::default_2022();
        let mut rooms = vec![room(RoomUse::Service, 40000, Tenure::Owned)];
        let before = shortfalls(&s, 1820, &rooms);
        assert_eq!(before[0].required.m2(), Decimal::from(546));
        assert_eq!(before[0].short.m2(), Decimal::from(146));
        assert_eq!(before[1].short.m2(), Decimal::from(364));
        rooms.push(room(RoomUse::Service, 15000, Tenure::Rented));
        let after = shortfalls(&s, 1820, &rooms);
        assert_eq!(after[0].short, Area::ZERO);
        assert_eq!(after[0].provided.m2(), Decimal::from(550));
    }

    #[test]
    fn forms_name_their_fields() {
        let today = "2026-12-01".parse().unwrap();
        let fields: Vec<&str> =
            RoomInput { floor: "0".into(), area: "0".into(), since: "2027-01-01".into(), ..Default::default() }
                .parse(today)
                .unwrap_err()
                .iter()
                .map(|e| e.field)
                .collect();
        assert_eq!(fields, ["room_use", "name", "area", "tenure", "floor", "since"]);
        let r = RemedyInput {
            kind: "rent".into(),
            room_use: "elderly_care".into(),
            target_area: "150".into(),
            funding: "36000".into(),
            due_on: "2027-03-31".into(),
            note: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!(r.kind, RemedyKind::Rent);
        assert_eq!(RemedyStatus::Planned.next(), Some(RemedyStatus::Underway));
        assert_eq!(RemedyStatus::Done.next(), None);
        assert_eq!(
            siting(&AreaStandard::default_2022(), &[Room { floor: 5, ..room(RoomUse::Service, 100, Tenure::Owned) }])
                .len(),
            1
        );
    }
}
