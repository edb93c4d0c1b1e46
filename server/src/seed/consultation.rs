//! Demo consultation (协商议事) in 幸福社区: a residents' matter still
//! collecting co-signers (杨桂兰 has not signed), a matter deliberated at a
//! council meeting with a vote, one follow-up published and one late, and a
//! neighbours' dispute with a talk planned. Written through the store and the
//! domain's parsers, as the API writes them.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use gongzhi_domain::calendar::WorkingDayCalendar;
use gongzhi_domain::consultation::{
    self as rules, AttendanceInput, FollowUpInput, InviteeInput, MatterInput, MatterOrigin, MatterStatus, MeetingInput,
    MeetingRecordInput,
};
use sqlx::AnyConnection;

use crate::store::consultation::{self as store, NewMatter};

fn bad(what: &str) -> impl Fn(Vec<gongzhi_domain::error::FieldError>) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo {what}: {e:?}")
}

fn invitee(kind: &str, name: &str) -> InviteeInput {
    InviteeInput { kind: kind.into(), name: name.into() }
}

pub(super) async fn seed(
    tx: &mut AnyConnection,
    today: NaiveDate,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
    calendar: &WorkingDayCalendar,
) -> anyhow::Result<()> {
    let now = Utc::now().to_rfc3339();
    let xf = nodes["DX-CD-XF"];
    let (leader, worker) = (accounts["leader"], accounts["gridmember"]);
    let people: Vec<(i64, String)> = sqlx::query_as(
        "SELECT r.id, r.name FROM residents r JOIN org_nodes n ON n.id = r.org_node_id
         WHERE n.code LIKE 'DX-CD-XF-%' ORDER BY r.id LIMIT 40",
    )
    .fetch_all(&mut *tx)
    .await?;
    anyhow::ensure!(people.len() == 40, "幸福社区 has its register");
    let needed = rules::DEFAULT_COSIGNERS;

    // 1. Raised by 李建国 (people[1]) ten days ago, three of five behind it.
    let m1 = MatterInput {
        kind: "affair".into(),
        title: "5 栋楼道堆放杂物,影响消防通道".into(),
        description:
            "5 栋一至六楼楼道长期堆放纸箱、旧家具,电动车也推进楼道充电。希望社区组织楼栋居民商量一个清理和管理的办法。"
                .into(),
        parties: "5 栋居民\n幸福物业".into(),
    }
    .parse()
    .map_err(bad("matter"))?;
    let new = |origin: MatterOrigin, status, on: NaiveDate| NewMatter {
        community: xf,
        origin,
        status,
        cosigners_needed: needed,
        by: if origin == MatterOrigin::Residents { accounts["resident.li"] } else { leader },
        at: "",
        on,
    };
    let on1 = today - Duration::days(10);
    let id1 = store::insert_matter(
        tx,
        &m1,
        &NewMatter { at: &now, ..new(MatterOrigin::Residents, MatterStatus::Collecting, on1) },
    )
    .await?;
    for (resident, _) in people.iter().skip(1).take(3) {
        store::cosign(tx, id1, *resident, &now).await?;
    }

    // 2. The committee's matter, deliberated 20 days ago: a vote, two follow-ups.
    let m2 = MatterInput {
        kind: "affair".into(),
        title: "小区停车位划线与停车秩序".into(),
        description: "小区内车辆乱停,消防车通道常被占用。居委会提出在 3 栋北侧空地划设车位,并商定停车管理办法。".into(),
        parties: "全体居民\n幸福物业\n业主委员会".into(),
    }
    .parse()
    .map_err(bad("matter"))?;
    let on2 = today - Duration::days(40);
    let id2 = store::insert_matter(
        tx,
        &m2,
        &NewMatter { at: &now, ..new(MatterOrigin::Committee, MatterStatus::Accepted, on2) },
    )
    .await?;
    let held = today - Duration::days(20);
    let meeting = MeetingInput {
        kind: "council".into(),
        date: held.to_string(),
        time: "19:30".into(),
        place: "幸福社区党群服务中心议事厅".into(),
        invited: vec![
            invitee("representative", "各楼栋居民代表"),
            invitee("property", "幸福物业服务有限公司"),
            invitee("owners_committee", "幸福里业主委员会"),
            invitee("department", "区住房和城乡建设局"),
        ],
    }
    .parse(held)
    .map_err(bad("meeting"))?;
    let g2 = store::insert_meeting(tx, id2, &meeting, leader, &now).await?.expect("first meeting");
    for (i, (resident, _)) in people.iter().skip(3).step_by(2).take(9).enumerate() {
        let a = AttendanceInput {
            capacity: "representative".into(),
            method: if i % 3 == 0 { "paper" } else { "tablet" }.into(),
            resident_id: resident.to_string(),
            ..Default::default()
        };
        let mut a = a.parse().map_err(bad("attendance"))?;
        a.name = people.iter().find(|p| p.0 == *resident).map(|p| p.1.clone()).unwrap_or_default();
        store::attend(tx, g2, &a, worker, &now).await?;
    }
    for (capacity, name) in [("property", "幸福物业 王经理"), ("owners_committee", "业委会 刘主任")] {
        let a = AttendanceInput {
            capacity: capacity.into(),
            method: "tablet".into(),
            name: name.into(),
            ..Default::default()
        };
        store::attend(tx, g2, &a.parse().map_err(bad("attendance"))?, worker, &now).await?;
    }
    let record = MeetingRecordInput {
        minutes: "居委会主任介绍停车现状;物业提出划线方案;居民代表就收费标准、老人和残疾人车位发表意见;业委会同意使用公共收益支付划线费用。".into(),
        resolution: "在 3 栋北侧空地划设 24 个车位(含 2 个无障碍车位),暂不收费;消防通道设禁停标识,由物业每日巡查。".into(),
        voted: true,
        votes_for: "9".into(),
        votes_against: "1".into(),
        votes_abstain: "1".into(),
        follow_ups: vec![
            FollowUpInput { task: "施划车位标线和无障碍车位".into(), owner: "幸福物业服务有限公司".into(), working_days: "5".into() },
            FollowUpInput { task: "消防通道设置禁停标识并建立每日巡查记录".into(), owner: "幸福物业服务有限公司".into(), working_days: "10".into() },
        ],
        ..Default::default()
    }
    .parse(gongzhi_domain::consultation::MatterKind::Affair, 11)
    .map_err(bad("record"))?;
    // The demo's history is written as stored, without audit entries (the
    // audit log starts with the bootstrap entry alone).
    let v = record.votes.expect("the demo votes");
    sqlx::query(
        "UPDATE consultation_meetings SET status = 'held', minutes = $1, resolution = $2, votes_for = $3,
            votes_against = $4, votes_abstain = $5, recorded_by = $6, recorded_at = $7 WHERE id = $8",
    )
    .bind(&record.minutes)
    .bind(&record.resolution)
    .bind(i64::from(v.for_))
    .bind(i64::from(v.against))
    .bind(i64::from(v.abstain))
    .bind(leader)
    .bind(&now)
    .bind(g2)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE consultation_matters SET status = 'resolved' WHERE id = $1")
        .bind(id2)
        .execute(&mut *tx)
        .await?;
    for (i, f) in record.follow_ups.iter().enumerate() {
        let due = calendar.reckon(|c| f.due(held, c))?;
        let fid =
            store::insert_follow_up(tx, (id2, g2), f, (&due.value.to_string(), !due.provisional_years.is_empty()))
                .await?;
        let due = due.value;
        if i == 0 {
            // Done and published a week ago; the second is past its day.
            let done = (due.min(today) - Duration::days(1)).to_string();
            let note = "已施划 24 个车位,其中无障碍车位 2 个,居民代表现场验收。";
            sqlx::query(
                "UPDATE consultation_follow_ups SET status = 'published', note = $1, done_on = $2, done_by = $3,
                    published_on = $2, published_by = $3 WHERE id = $4",
            )
            .bind(note)
            .bind(&done)
            .bind(leader)
            .bind(fid)
            .execute(&mut *tx)
            .await?;
        }
    }

    // 3. A neighbours' dispute the grid member brought; a talk in three days.
    let m3 = MatterInput {
        kind: "dispute".into(),
        title: "3 栋 502 卫生间漏水至 402".into(),
        description: "402 住户反映楼上卫生间漏水导致天花板发霉,双方对维修费用分担有争议,多次协商未果。".into(),
        parties: "402 住户 周女士\n502 住户 吴先生".into(),
    }
    .parse()
    .map_err(bad("matter"))?;
    let on3 = today - Duration::days(3);
    let n3 = NewMatter { at: &now, by: worker, ..new(MatterOrigin::GridMember, MatterStatus::Accepted, on3) };
    let id3 = store::insert_matter(tx, &m3, &n3).await?;
    let talk = MeetingInput {
        kind: "talk".into(),
        date: (today + Duration::days(3)).to_string(),
        time: "15:00".into(),
        place: "幸福社区人民调解室".into(),
        invited: vec![
            invitee("party", "402 住户 周女士"),
            invitee("party", "502 住户 吴先生"),
            invitee("property", "幸福物业服务有限公司"),
        ],
    }
    .parse(today)
    .map_err(bad("meeting"))?;
    store::insert_meeting(tx, id3, &talk, leader, &now).await?;
    Ok(())
}
