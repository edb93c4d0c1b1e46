//! Demo community facilities: the 2022 standard for the city; rooms for each
//! community (幸福社区 and 创新社区 below standard, 和平社区 and 东门社区 to
//! standard, 长青社区 with an elderly-care room on the fourth floor); remedies
//! under way and done; and eight new residential projects across the four steps — one
//! delivered, one handed over but not in use, one accepted by 自然资源 and 住建
//! but not 民政 (no handover possible), one accepted but not handed over, one
//! late in construction, two in planning (one short of area, one in a
//! basement), one in construction on time.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use gongzhi_domain::facilities::community::{Remedy, RemedyKind, Room, Tenure};
use gongzhi_domain::facilities::project::{BuiltRooms, PlannedRooms, Project, SignOff, SignOffKind};
use gongzhi_domain::facilities::standard::AreaStandard;
use gongzhi_domain::facilities::{Area, RoomUse};
use gongzhi_domain::grid::boundary::Position;
use gongzhi_domain::money::Money;
use sqlx::AnyConnection;

use crate::store::facilities as store;

fn m2(n: i64) -> Area {
    Area::from_centi(n * 100).expect("demo area")
}

pub(super) async fn seed(
    tx: &mut AnyConnection,
    today: NaiveDate,
    city: i64,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let now = Utc::now().to_rfc3339();
    for (code, authority) in
        [("zrzyj", "natural_resources"), ("zjj", "housing"), ("dx-zjj", "housing"), ("mzj", "civil_affairs")]
    {
        store::set_authority(tx, code, authority).await?;
    }
    store::insert_standard(tx, city, &AreaStandard::default_2022(), None, &now).await?;

    let day = |n: i64| today + Duration::days(n);
    let by = accounts["reviewer"];
    // (community, use, name, m², tenure, floor)
    let rooms: [(&str, RoomUse, &str, i64, Tenure, i32); 10] = [
        ("DX-CD-XF", RoomUse::Service, "幸福社区党群服务中心", 400, Tenure::Owned, 1),
        ("DX-CD-XF", RoomUse::ElderlyCare, "幸福里日间照料中心", 220, Tenure::Borrowed, 1),
        ("DX-CD-HP", RoomUse::Service, "和平社区党群服务中心", 420, Tenure::Owned, 1),
        ("DX-CD-HP", RoomUse::ElderlyCare, "和平长者食堂与活动室", 260, Tenure::Owned, 2),
        ("DX-CX-CQ", RoomUse::Service, "长青社区服务站", 300, Tenure::Owned, 1),
        ("DX-CX-CQ", RoomUse::ElderlyCare, "长青老年活动室", 120, Tenure::Owned, 4),
        ("ZX-HC-DM", RoomUse::Service, "东门社区服务中心", 240, Tenure::Owned, 1),
        ("ZX-HC-DM", RoomUse::ElderlyCare, "东门养老服务站", 160, Tenure::Rented, 1),
        ("GX-KC-CX", RoomUse::Service, "创新社区临时服务点", 200, Tenure::Rented, 2),
        ("GX-KC-CX", RoomUse::Service, "科创园共建活动室", 60, Tenure::Borrowed, 3),
    ];
    for (code, room_use, name, area, tenure, floor) in rooms {
        let room =
            Room { room_use, name: name.into(), area: m2(area), tenure, floor, own_entrance: true, since: day(-900) };
        store::insert_room(tx, nodes[code], &room, by, &now).await?;
    }
    let remedies = [
        (
            "DX-CD-XF",
            RemedyKind::Rent,
            RoomUse::Service,
            150,
            36_000,
            60,
            "租用幸福里 5 栋底商,补齐综合服务用房",
            "planned",
        ),
        (
            "DX-CD-XF",
            RemedyKind::IdleSpace,
            RoomUse::ElderlyCare,
            150,
            80_000,
            120,
            "盘活原社区卫生站闲置用房",
            "underway",
        ),
        (
            "DX-CX-CQ",
            RemedyKind::Expand,
            RoomUse::ElderlyCare,
            80,
            120_000,
            -10,
            "老年活动室迁至一层并扩建",
            "underway",
        ),
        ("DX-CD-XF", RemedyKind::Add, RoomUse::Service, 60, 150_000, -200, "党群服务中心加建二层阅览室", "done"),
        ("GX-KC-CX", RemedyKind::NewBuild, RoomUse::Service, 260, 2_600_000, 400, "结合科创人才公寓配建", "planned"),
    ];
    for (code, kind, room_use, area, yuan, due, note, status) in remedies {
        let remedy = Remedy {
            kind,
            room_use,
            target_area: m2(area),
            funding: Money::from_fen(yuan * 100).expect("demo amount"),
            due_on: day(due),
            note: note.into(),
        };
        let id = store::insert_remedy(tx, nodes[code], &remedy, by, &now).await?;
        if status != "planned" {
            sqlx::query("UPDATE facility_remedies SET status = $1 WHERE id = $2")
                .bind(status)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }

    use SignOffKind::*;
    let all: &[SignOffKind] = &[
        LandConditions,
        DesignConsulted,
        Built,
        AcceptNaturalResources,
        AcceptHousing,
        AcceptCivilAffairs,
        HandoverAgreement,
        PropertyRegistered,
        InUse,
    ];
    let upto = |n: usize| &all[..n];
    // Planned dates are days from today, in step order.
    struct Demo {
        code: &'static str,
        name: &'static str,
        developer: &'static str,
        households: u32,
        at: Option<(f64, f64)>,
        rooms: (i64, i64, i32),
        due: [i64; 4],
        signed: &'static [SignOffKind],
    }
    let demos = [
        Demo {
            code: "DX-CD-XF",
            name: "滨江花园一期",
            developer: "示范滨江置业有限公司",
            households: 1200,
            at: Some((116.6012, 28.2428)),
            rooms: (360, 360, 1),
            due: [-700, -400, -250, -180],
            signed: upto(9),
        },
        Demo {
            code: "DX-CD-XF",
            name: "幸福里北区",
            developer: "示范城投置业有限公司",
            households: 800,
            at: Some((116.6050, 28.2431)),
            rooms: (240, 350, 1),
            due: [-600, -300, -150, 30],
            signed: upto(8),
        },
        Demo {
            code: "DX-CD-XF",
            name: "锦绣华庭",
            developer: "锦绣房地产开发有限公司",
            households: 960,
            at: Some((116.6068, 28.2409)),
            rooms: (290, 350, 2),
            due: [-400, -150, 20, 60],
            signed: &[LandConditions, DesignConsulted, Built, AcceptNaturalResources, AcceptHousing],
        },
        Demo {
            code: "DX-CD-HP",
            name: "和平新苑",
            developer: "和平安居建设有限公司",
            households: 1500,
            at: Some((116.6122, 28.2407)),
            rooms: (450, 450, 1),
            due: [-500, -200, -30, 40],
            signed: upto(6),
        },
        Demo {
            code: "DX-CD-HP",
            name: "翠湖湾",
            developer: "翠湖置业有限公司",
            households: 700,
            at: Some((116.6140, 28.2412)),
            rooms: (210, 350, 1),
            due: [-300, -45, 60, 120],
            signed: upto(2),
        },
        Demo {
            code: "DX-CX-CQ",
            name: "长青雅居",
            developer: "长青实业有限公司",
            households: 600,
            at: None,
            rooms: (150, 350, 1),
            due: [30, 300, 420, 480],
            signed: upto(1),
        },
        Demo {
            code: "ZX-HC-DM",
            name: "东门学府",
            developer: "资溪县城建开发有限公司",
            households: 450,
            at: None,
            rooms: (140, 350, -1),
            due: [60, 360, 450, 500],
            signed: upto(0),
        },
        Demo {
            code: "GX-KC-CX",
            name: "科创人才公寓",
            developer: "高新区产业投资有限公司",
            households: 1100,
            at: None,
            rooms: (330, 350, 1),
            due: [-200, 90, 180, 240],
            signed: upto(2),
        },
    ];
    for d in demos {
        let (service, elderly, floor) = d.rooms;
        let project = Project {
            community_id: nodes[d.code],
            name: d.name.into(),
            developer: d.developer.into(),
            households: d.households,
            phases: 2,
            position: d.at.map(|(lon, lat)| Position { lon, lat }),
            rooms: PlannedRooms { service: m2(service), elderly: m2(elderly), floor, own_entrance: true },
            due: d.due.map(day),
        };
        let id = store::insert_project(tx, &project, by, &now).await?;
        let receiver = if d.code == "DX-CD-XF" { ("leader", "幸福社区") } else { ("leader.hp", "和平社区") };
        for (i, kind) in d.signed.iter().enumerate() {
            let step = kind.step() as usize;
            let signed_on = day(d.due[step] - 5 + i as i64 % 3).min(today);
            let built = (*kind == Built).then(|| BuiltRooms {
                service: m2(service),
                elderly: m2(elderly),
                housing_share_pct: 40,
            });
            let sign_off = SignOff { kind: *kind, signed_on, evidence: demo_evidence(*kind, d.name), built };
            let (account, unit) = match kind.authority() {
                gongzhi_domain::facilities::project::Authority::NaturalResources => {
                    (accounts["applicant.zrzyj"], "市自然资源局")
                }
                gongzhi_domain::facilities::project::Authority::Housing => {
                    (accounts["applicant.zjj"], "市住房和城乡建设局")
                }
                gongzhi_domain::facilities::project::Authority::CivilAffairs => (accounts["reviewer"], "市民政局"),
                gongzhi_domain::facilities::project::Authority::Community => (accounts[receiver.0], receiver.1),
            };
            store::insert_sign_off(tx, id, &sign_off, account, unit, &now).await?;
        }
    }
    Ok(())
}

fn demo_evidence(kind: SignOffKind, project: &str) -> String {
    match kind {
        SignOffKind::LandConditions => format!("{project}国有建设用地使用权出让合同附件已列明社区用房配建要求"),
        SignOffKind::DesignConsulted => "设计方案已征求市民政局、街道办事处意见(书面回复)".into(),
        SignOffKind::Built => "配套用房与首期住宅同步竣工".into(),
        SignOffKind::AcceptNaturalResources => "规划核实合格".into(),
        SignOffKind::AcceptHousing => "竣工验收备案".into(),
        SignOffKind::AcceptCivilAffairs => "社区用房使用功能验收合格".into(),
        SignOffKind::HandoverAgreement => "无偿移交协议已签订".into(),
        SignOffKind::PropertyRegistered => "不动产权证书已办理至社区居民委员会名下".into(),
        SignOffKind::InUse => "已作为党群服务中心投入使用".into(),
    }
}
