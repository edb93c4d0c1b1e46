//! Demo practical projects (百姓定实事) in 幸福社区: one round in each phase —
//! proposals open (2027), voting under way (a small round), and one counted,
//! its chosen projects delivered (one complete and rated, one with a late
//! milestone). The demo residents' accounts are linked to the register, and
//! one resident in twenty of 幸福社区 is a residents' representative.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use gongzhi_domain::ballot::{self, AnonBallot, Channel, Mark};
use gongzhi_domain::participation::{Proposal, ProposalChannel, Round, RoundInput, Screening};
use sqlx::AnyConnection;

use crate::store::participation as store;

async fn residents_of(tx: &mut AnyConnection, community: &str) -> anyhow::Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.org_node_id FROM residents r JOIN org_nodes n ON n.id = r.org_node_id
         WHERE n.code LIKE $1 || '-%' ORDER BY r.id",
    )
    .bind(community)
    .fetch_all(&mut *tx)
    .await?)
}

fn round(title: &str, places: u32, budget: &str, k: u32, from: NaiveDate, days: (i64, i64)) -> anyhow::Result<Round> {
    RoundInput {
        title: title.into(),
        places: places.to_string(),
        budget: budget.into(),
        max_picks: k.to_string(),
        within_budget: true,
        margin_percent: "120".into(),
        voters: "residents".into(),
        proposals_until: (from + Duration::days(days.0)).to_string(),
        voting_until: (from + Duration::days(days.1)).to_string(),
    }
    .parse()
    .map_err(|e| anyhow::anyhow!("demo round: {e:?}"))
}

fn proposal(title: &str, problem: &str, place: &str, who: &str, channel: ProposalChannel) -> Proposal {
    Proposal {
        title: title.into(),
        problem: problem.into(),
        place: place.into(),
        beneficiaries: who.into(),
        channel,
        resident_id: None,
    }
}

pub(super) async fn seed(
    tx: &mut AnyConnection,
    today: NaiveDate,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
    departments: &HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let now = Utc::now().to_rfc3339();
    let xf = nodes["DX-CD-XF"];
    let people = residents_of(tx, "DX-CD-XF").await?;
    anyhow::ensure!(people.len() > 100, "幸福社区 has its register");
    // The demo residents' accounts are people on the register.
    for (i, (account, name)) in [("resident", "杨桂兰"), ("resident.li", "李建国")].iter().enumerate() {
        let (resident, _) = people[i];
        sqlx::query("UPDATE residents SET name = $1 WHERE id = $2").bind(name).bind(resident).execute(&mut *tx).await?;
        sqlx::query("UPDATE accounts SET resident_id = $1 WHERE id = $2")
            .bind(resident)
            .bind(accounts[account])
            .execute(&mut *tx)
            .await?;
    }
    for (i, (resident, _)) in people.iter().enumerate() {
        if i % 20 == 3 {
            sqlx::query("UPDATE residents SET representative = 1 WHERE id = $1")
                .bind(resident)
                .execute(&mut *tx)
                .await?;
        }
    }
    let (leader, worker) = (accounts["leader"], accounts["gridmember"]);
    let set_status = |table: &'static str| format!("UPDATE {table} SET status = $1 WHERE id = $2");

    // 1. Counted last spring, delivered: 加装电梯 complete and rated; 口袋公园 under way.
    let r1 = round("2026 年幸福社区民生实事", 2, "900000", 2, today - Duration::days(300), (30, 60))?;
    let id1 = store::insert_round(tx, xf, &r1, leader, &now).await?;
    let list1 = [
        ("幸福里 3 栋加装电梯", "老年人多,上下楼困难", "幸福里 3 栋", "3 栋 36 户", 420_000, "zjj"),
        ("建设口袋公园", "小区缺少休憩场地", "幸福里 5 栋与 6 栋之间空地", "全体居民", 260_000, "zjj"),
        ("增设电动自行车充电桩", "飞线充电有火灾隐患", "各楼栋车棚", "电动车车主", 150_000, "yjglj"),
    ];
    let mut ids1 = vec![];
    for (i, (t, p, place, who, yuan, dept)) in list1.iter().enumerate() {
        let pid = store::insert_proposal(
            tx,
            id1,
            &proposal(t, p, place, who, ProposalChannel::Paper),
            people[10 + i].0,
            worker,
            &now,
        )
        .await?;
        let s = Screening::Candidate {
            feasibility: "经现场踏勘,技术可行".into(),
            department_id: departments[dept],
            cost: gongzhi_domain::money::Money::from_fen(yuan * 100).expect("amount"),
        };
        store::screen(tx, pid, &s).await?;
        ids1.push(pid);
    }
    let pid = store::insert_proposal(
        tx,
        id1,
        &proposal("小区大门改造为人脸识别", "外来人员随意进出", "幸福里北门", "全体居民", ProposalChannel::Meeting),
        people[20].0,
        worker,
        &now,
    )
    .await?;
    store::screen(
        tx,
        pid,
        &Screening::NotTaken {
            feasibility: "涉及人脸信息采集".into(),
            reason: "人脸识别须经业主大会同意并符合个人信息保护要求,本年度不纳入实事项目,转物业协商。".into(),
        },
    )
    .await?;
    let candidates1: Vec<ballot::Candidate> = ids1
        .iter()
        .zip(list1.iter())
        .map(|(id, c)| ballot::Candidate {
            id: *id,
            cost: gongzhi_domain::money::Money::from_fen(c.4 * 100).expect("amount"),
        })
        .collect();
    let seed1 = format!("{}-demo-seed", today - Duration::days(240));
    let mut anon = vec![];
    for (i, (resident, grid)) in people.iter().take(120).enumerate() {
        let mark = match i % 10 {
            0 => Mark::Blank,
            1..=5 => Mark::Picks(vec![ids1[0], ids1[1]]),
            6 | 7 => Mark::Picks(vec![ids1[0], ids1[2]]),
            _ => Mark::Picks(vec![ids1[1]]),
        };
        let channel = if i % 3 == 0 { Channel::Paper } else { Channel::Online };
        let verdict = r1.rules.judge(&mark, &candidates1);
        store::cast(tx, id1, *resident, *grid, channel, &verdict, worker, &now).await?;
        anon.push(AnonBallot { channel, verdict });
    }
    let tally = ballot::count(&anon, &candidates1, r1.places, &gongzhi_domain::participation::tie_break(&seed1));
    let chosen: Vec<i64> = tally.candidates.iter().filter(|c| c.chosen).map(|c| c.id).collect();
    sqlx::query("UPDATE participation_rounds SET status = 'counted', seed = $1, result = $2 WHERE id = $3")
        .bind(&seed1)
        .bind(serde_json::to_string(&tally)?)
        .bind(id1)
        .execute(&mut *tx)
        .await?;
    store::insert_deliveries(tx, id1, &chosen).await?;
    let deliveries = store::deliveries(tx, id1).await?;
    for d in &deliveries {
        let lift = d.title.contains("电梯");
        let day = |n: i64| (today - Duration::days(n)).to_string();
        // The timeline shows when each update was made: 10:00 Beijing time that day.
        let at = |n: i64| format!("{}T02:00:00+00:00", day(n));
        store::insert_milestone(tx, d.id, "完成设计与招标", &day(180), Some(&day(185))).await?;
        if lift {
            store::insert_milestone(tx, d.id, "电梯安装完成", &day(60), Some(&day(65))).await?;
            store::record_progress(
                tx,
                d.id,
                40,
                "完成招标,施工单位进场",
                accounts["applicant.zjj"],
                &at(150),
                &day(150),
            )
            .await?;
            store::record_progress(
                tx,
                d.id,
                100,
                "电梯通过特种设备检验,投入使用",
                accounts["applicant.zjj"],
                &at(40),
                &day(40),
            )
            .await?;
            for (i, (resident, _)) in people.iter().skip(30).take(24).enumerate() {
                let rating = ["satisfied", "satisfied", "fair", "satisfied", "unsatisfied", "satisfied"][i % 6];
                store::rate(tx, d.id, *resident, rating, &now).await?;
            }
        } else {
            // A milestone past its date and not done: flagged on the page.
            store::insert_milestone(tx, d.id, "园路与座椅施工完成", &day(20), None).await?;
            store::record_progress(tx, d.id, 55, "完成场地平整和绿化种植", leader, &at(30), &day(30)).await?;
        }
    }

    // 2. Voting now: 4 candidates for 3 places (120 % → at least 4), some ballots in.
    let r2 = round("2026 年下半年幸福社区微实事", 3, "300000", 2, today - Duration::days(60), (20, 20 + 30 + 20))?;
    let id2 = store::insert_round(tx, xf, &r2, leader, &now).await?;
    let list2 = [
        ("楼道声控灯更换", "多个楼道灯坏,夜间出行不便", "幸福里 1–8 栋", "全体居民", 30_000, "zjj"),
        ("老年食堂增加送餐", "高龄独居老人就餐难", "幸福里日间照料中心", "80 岁以上老人", 80_000, "mzj"),
        ("篮球场地面翻新", "地面开裂易摔伤", "社区篮球场", "青少年", 120_000, "zjj"),
        ("增设快递柜", "快递堆放门口易丢失", "幸福里北区", "全体居民", 50_000, "scjgj"),
    ];
    let mut candidates2 = vec![];
    for (i, (t, p, place, who, yuan, dept)) in list2.iter().enumerate() {
        let pid = store::insert_proposal(
            tx,
            id2,
            &proposal(t, p, place, who, ProposalChannel::Phone),
            people[40 + i].0,
            worker,
            &now,
        )
        .await?;
        let cost = gongzhi_domain::money::Money::from_fen(yuan * 100).expect("amount");
        store::screen(
            tx,
            pid,
            &Screening::Candidate { feasibility: "可行".into(), department_id: departments[dept], cost },
        )
        .await?;
        candidates2.push(ballot::Candidate { id: pid, cost });
    }
    sqlx::query(&set_status("participation_rounds")).bind("voting").bind(id2).execute(&mut *tx).await?;
    sqlx::query("UPDATE participation_rounds SET seed = $1 WHERE id = $2")
        .bind(format!("{today}-demo-seed"))
        .bind(id2)
        .execute(&mut *tx)
        .await?;
    for (i, (resident, grid)) in people.iter().skip(200).take(30).enumerate() {
        let mark = Mark::Picks(vec![candidates2[i % 4].id, candidates2[(i + 1) % 4].id]);
        let verdict = r2.rules.judge(&mark, &candidates2);
        store::cast(
            tx,
            id2,
            *resident,
            *grid,
            if i % 2 == 0 { Channel::Online } else { Channel::Paper },
            &verdict,
            worker,
            &now,
        )
        .await?;
    }

    // 3. Proposals open for next year: the resident's own and two on behalf, two alike.
    let r3 = round("2027 年幸福社区民生实事", 3, "1000000", 3, today - Duration::days(5), (40, 100))?;
    let id3 = store::insert_round(tx, xf, &r3, leader, &now).await?;
    let own = proposal("6 栋加装电梯", "6 栋老人多,爬楼困难", "幸福里 6 栋", "6 栋住户", ProposalChannel::Online);
    store::insert_proposal(tx, id3, &own, people[0].0, accounts["resident"], &now).await?;
    let alike = proposal("为6栋加装电梯", "腿脚不便的老人下不了楼", "幸福里 6 栋", "6 栋老人", ProposalChannel::Paper);
    store::insert_proposal(tx, id3, &alike, people[60].0, worker, &now).await?;
    let park =
        proposal("增设儿童游乐设施", "小区没有儿童活动场地", "幸福里中心绿地", "儿童及家长", ProposalChannel::Meeting);
    store::insert_proposal(tx, id3, &park, people[61].0, worker, &now).await?;
    Ok(())
}
