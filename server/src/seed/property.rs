//! Demo property management joint building (社区物业党建联建) in 幸福社区:
//! 幸福物业服务有限公司 (in a joint party branch, 联建 agreement signed)
//! serving 幸福里 over the first two grids, whose owners' committee is in
//! its term; 安居物业管理有限公司 serving 安居苑 in grid 5, whose committee's
//! term has ended (flagged); a held 物业联席会议 with its resolution and
//! follow-ups; two complaints linked to 幸福物业 (one open, one closed); and
//! its satisfaction ratings — last year's published, this year's open.
//! `resident` and `resident.li` live in 幸福里; `resident.zhou` lives in
//! 安居苑, outside it. Written through the store and the domain's parsers.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, SecondsFormat, Utc};
use gongzhi_domain::ballot::Rating;
use gongzhi_domain::calendar::WorkingDayCalendar;
use gongzhi_domain::consultation::{
    AttendanceInput, FollowUpInput, InviteeInput, MatterInput, MatterKind, MatterOrigin, MatterStatus, MeetingInput,
    MeetingRecordInput,
};
use gongzhi_domain::property::{CompanyInput, EstateInput, RatingInput};
use gongzhi_domain::review::{self as review_rules, Forms, ReviewBallot};
use sqlx::AnyConnection;

use crate::store::consultation::{self as consultation, NewMatter};
use crate::store::property as store;
use crate::store::review;

fn bad(what: &str) -> impl Fn(Vec<gongzhi_domain::error::FieldError>) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo {what}: {e:?}")
}

fn ballot(i: usize, dims: usize) -> ReviewBallot {
    let pick =
        |k: usize| [Rating::Satisfied, Rating::Fair, Rating::Satisfied, Rating::Unsatisfied, Rating::Satisfied][k % 5];
    ReviewBallot { overall: pick(i), ratings: (0..dims).map(|d| pick(i + 2 * d)).collect() }
}

/// Residents of households in `grids`, not behind a demo account, by id.
async fn residents_in(tx: &mut AnyConnection, grids: &[i64]) -> anyhow::Result<Vec<i64>> {
    let mut out = Vec::new();
    for g in grids {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT r.id FROM residents r JOIN households h ON h.id = r.household_id WHERE h.grid_id = $1
               AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL) ORDER BY r.id",
        )
        .bind(g)
        .fetch_all(&mut *tx)
        .await?;
        out.extend(ids);
    }
    Ok(out)
}

pub(super) async fn seed(
    tx: &mut AnyConnection,
    today: NaiveDate,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
    departments: &HashMap<&str, i64>,
    calendar: &WorkingDayCalendar,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let stamp = now.to_rfc3339();
    let (xf, leader, worker) = (nodes["DX-CD-XF"], accounts["leader"], accounts["gridmember"]);
    let (g1, g2, g5) = (nodes["DX-CD-XF-01"], nodes["DX-CD-XF-02"], nodes["DX-CD-XF-05"]);
    let by = (leader, stamp.as_str());

    // The companies and their estates.
    let xingfu = CompanyInput {
        name: "幸福物业服务有限公司".into(),
        credit_code: "91361021MA35F8KQ2M".into(),
        contact: "王建华".into(),
        phone: "0794-8261234".into(),
        party_org: "joint_branch".into(),
        party_members: "2".into(),
        agreement_on: (today - Duration::days(200)).to_string(),
    }
    .parse(today)
    .map_err(bad("company"))?;
    let c1 = store::insert_company(tx, xf, &xingfu, by).await?.expect("first company");
    let xingfuli = EstateInput {
        name: "幸福里".into(),
        grids: vec![g1.to_string(), g2.to_string()],
        households: "800".into(),
        served_since: "2018-07-01".into(),
        owners_committee: true,
        committee_chair: "刘卫东".into(),
        committee_term_ends: (today + Duration::days(540)).to_string(),
    }
    .parse(today)
    .map_err(bad("estate"))?;
    store::insert_estate(tx, (c1, xf), &xingfuli, by).await?.expect("first estate");
    let anju = CompanyInput {
        name: "安居物业管理有限公司".into(),
        credit_code: "91361021MA35H2LW73".into(),
        contact: "陈立新".into(),
        phone: "13907941234".into(),
        party_org: "none".into(),
        party_members: "1".into(),
        agreement_on: String::new(),
    }
    .parse(today)
    .map_err(bad("company"))?;
    let c2 = store::insert_company(tx, xf, &anju, by).await?.expect("second company");
    let anjuyuan = EstateInput {
        name: "安居苑".into(),
        grids: vec![g5.to_string()],
        households: "260".into(),
        served_since: "2021-03-01".into(),
        owners_committee: true,
        committee_chair: "陈国强".into(),
        committee_term_ends: (today - Duration::days(45)).to_string(),
    }
    .parse(today)
    .map_err(bad("estate"))?;
    store::insert_estate(tx, (c2, xf), &anjuyuan, by).await?.expect("second estate");

    // 周秀梅 (`resident.zhou`) lives in 安居苑: outside 幸福里.
    let zhou: i64 = sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN households h ON h.id = r.household_id WHERE h.grid_id = $1
           AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL)
           AND r.id NOT IN (SELECT resident_id FROM poll_respondents)
           AND r.id NOT IN (SELECT resident_id FROM review_voters) AND r.special_group IS NULL
         ORDER BY r.id LIMIT 1",
    )
    .bind(g5)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE residents SET name = '周秀梅' WHERE id = $1").bind(zhou).execute(&mut *tx).await?;
    sqlx::query("UPDATE accounts SET resident_id = $1 WHERE id = $2")
        .bind(zhou)
        .bind(accounts["resident.zhou"])
        .execute(&mut *tx)
        .await?;

    // A joint meeting held twelve days ago, with its resolution and follow-ups.
    let matter = MatterInput {
        kind: "affair".into(),
        title: "幸福里电梯停运与物业服务整改".into(),
        description:
            "近两个月幸福里 3 栋、7 栋电梯多次停运,居民反映物业报修响应慢、维保记录不公开。社区党委召集物业服务企业、\
                      业主委员会和居民代表召开联席会议协商整改。"
                .into(),
        parties: "幸福物业服务有限公司\n幸福里业主委员会\n幸福里居民".into(),
    }
    .parse()
    .map_err(bad("matter"))?;
    let raised = today - Duration::days(20);
    let new = NewMatter {
        community: xf,
        origin: MatterOrigin::Committee,
        status: MatterStatus::Accepted,
        cosigners_needed: gongzhi_domain::consultation::DEFAULT_COSIGNERS,
        by: leader,
        at: &stamp,
        on: raised,
    };
    let mid = consultation::insert_matter(tx, &matter, &new).await?;
    let held = today - Duration::days(12);
    let invitee = |kind: &str, name: &str| InviteeInput { kind: kind.into(), name: name.into() };
    let meeting = MeetingInput {
        kind: "joint".into(),
        date: held.to_string(),
        time: "15:00".into(),
        place: "幸福社区党群服务中心会议室".into(),
        invited: vec![
            invitee("property", "幸福物业服务有限公司"),
            invitee("owners_committee", "幸福里业主委员会"),
            invitee("representative", "3 栋、7 栋居民代表"),
        ],
    }
    .parse(held)
    .map_err(bad("joint meeting"))?;
    let gid = consultation::insert_meeting(tx, mid, &meeting, leader, &stamp).await?.expect("first meeting");
    for (capacity, name) in [("property", "幸福物业 王建华"), ("owners_committee", "业委会 刘卫东")] {
        let a = AttendanceInput {
            capacity: capacity.into(),
            method: "tablet".into(),
            name: name.into(),
            ..Default::default()
        };
        consultation::attend(tx, gid, &a.parse().map_err(bad("attendance"))?, worker, &stamp).await?;
    }
    let record = MeetingRecordInput {
        minutes: "社区党委书记主持;物业通报电梯停运原因(主板老化、维保单位更换);业委会提出公开维保记录和公共收益使用;\
                  居民代表要求报修 24 小时内响应。"
            .into(),
        resolution: "物业在 5 个工作日内完成 3 栋、7 栋电梯主板更换并在楼道公示维保记录;报修 24 小时内响应;\
                     业委会每季度公开公共收益收支,社区党委每月听取一次整改情况。"
            .into(),
        follow_ups: vec![
            FollowUpInput {
                task: "更换 3 栋、7 栋电梯主板并公示维保记录".into(),
                owner: "幸福物业服务有限公司".into(),
                working_days: "5".into(),
            },
            FollowUpInput {
                task: "公开本季度公共收益收支".into(),
                owner: "幸福里业主委员会".into(),
                working_days: "20".into(),
            },
        ],
        ..Default::default()
    }
    .parse(MatterKind::Affair, 2)
    .map_err(bad("joint record"))?;
    sqlx::query(
        "UPDATE consultation_meetings SET status = 'held', minutes = $1, resolution = $2, recorded_by = $3,
            recorded_at = $4 WHERE id = $5",
    )
    .bind(&record.minutes)
    .bind(&record.resolution)
    .bind(leader)
    .bind(&stamp)
    .bind(gid)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE consultation_matters SET status = 'resolved' WHERE id = $1")
        .bind(mid)
        .execute(&mut *tx)
        .await?;
    for f in &record.follow_ups {
        let due = calendar.reckon(|c| f.due(held, c))?;
        consultation::insert_follow_up(tx, (mid, gid), f, (&due.value.to_string(), !due.provisional_years.is_empty()))
            .await?;
    }

    // Two complaints reported by the grid member for residents, linked to 幸福物业.
    let (lon, lat, dlon, dlat) = (116.6000, 28.2400, 0.0026, 0.0018);
    let complaints = [
        (g1, "幸福里 3 栋电梯一周内停运三次,物业报修后两天无人处理", "dispatched", 30, (0.55, 0.25)),
        (g2, "幸福里 8 栋垃圾清运不及时,楼道保洁缺位", "closed", 24 * 6, (1.70, 0.70)),
    ];
    for (i, (grid, description, status, hours, (dx, dy))) in complaints.into_iter().enumerate() {
        let started = (now - Duration::hours(hours)).to_rfc3339_opts(SecondsFormat::Millis, true);
        // Closed this morning (08:00 Beijing), so it counts for this year.
        let closed_at = today.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        let updated =
            if status == "closed" { closed_at.to_rfc3339_opts(SecondsFormat::Millis, true) } else { started.clone() };
        let path: String =
            sqlx::query_scalar("SELECT path FROM org_nodes WHERE id = $1").bind(grid).fetch_one(&mut *tx).await?;
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO events (idempotency_key, request_sha256, community_id, grid_id, path, category, description, lon, lat,
                status, department_id, reported_by, reported_at, received_at, stage_started_at, updated_at)
             VALUES ($1, 'seed', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13) RETURNING id",
        )
        .bind(format!("seed-property-event-{i}"))
        .bind(xf)
        .bind(grid)
        .bind(&path)
        .bind(gongzhi_domain::property::COMPLAINT_CATEGORY)
        .bind(description)
        .bind(lon + dx * dlon)
        .bind(lat + dy * dlat)
        .bind(status)
        .bind(departments["zjj"])
        .bind(worker)
        .bind(&started)
        .bind(&updated)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO event_steps (event_id, action, to_status, note, actor_id, at) VALUES ($1, 'report', 'reported', '', $2, $3)",
        )
        .bind(id)
        .bind(worker)
        .bind(&started)
        .execute(&mut *tx)
        .await?;
        if status == "closed" {
            sqlx::query(
                "INSERT INTO event_steps (event_id, action, to_status, note, actor_id, at)
                 VALUES ($1, 'close', 'closed', '物业已增加清运频次,居民确认', $2, $3)",
            )
            .bind(id)
            .bind(leader)
            .bind(&updated)
            .execute(&mut *tx)
            .await?;
        }
        store::link_complaint(tx, (id, c1), (worker, &stamp)).await?;
    }

    // The satisfaction ratings of 幸福物业 by 幸福里's residents.
    let raters = residents_in(tx, &[g1, g2]).await?;
    anyhow::ensure!(raters.len() > 60, "幸福里 has its residents");
    let last_year = today.year() - 1;
    let on = NaiveDate::from_ymd_opt(last_year, 12, 1).expect("a day");
    let report =
        "全年受理报修 968 件,平均 1.6 天办结;完成电梯维保 24 次、绿化补植 1,200 平方米;公共收益 8.6 万元已公示。";
    let last = RatingInput {
        year: last_year.to_string(),
        report: report.into(),
        dimensions: String::new(),
        until: format!("{last_year}-12-20"),
    }
    .parse(&xingfu.name, on)
    .map_err(bad("rating"))?;
    let rid = review::insert_rating(tx, (xf, c1, last.year), &last.review, by).await?.expect("first rating");
    let dims = last.review.dimensions.len();
    for (i, r) in raters.iter().take(30).enumerate() {
        let paper = i % 3 == 0;
        review::cast(tx, (rid, *r), &ballot(i, dims), paper, (if paper { worker } else { leader }, &stamp)).await?;
    }
    let forms = Forms { issued: 12, returned: 11, void: 1 };
    let ballots: Vec<(bool, ReviewBallot)> = review::ballots(tx, rid)
        .await?
        .into_iter()
        .filter_map(|(p, b)| Some((p != 0, serde_json::from_str(&b).ok()?)))
        .collect();
    let result = review_rules::count(&last.review.dimensions, &ballots, forms);
    sqlx::query("UPDATE review_reviews SET status = 'published', forms = $1, result = $2 WHERE id = $3")
        .bind(serde_json::to_string(&forms)?)
        .bind(serde_json::to_string(&result)?)
        .bind(rid)
        .execute(&mut *tx)
        .await?;
    let this = RatingInput {
        year: today.year().to_string(),
        report: "本年度更换 3 栋、7 栋电梯主板,报修 24 小时内响应率 92%;新增监控探头 36 个。".into(),
        dimensions: String::new(),
        until: (today + Duration::days(20)).to_string(),
    }
    .parse(&xingfu.name, today)
    .map_err(bad("rating"))?;
    let rid = review::insert_rating(tx, (xf, c1, this.year), &this.review, by).await?.expect("second rating");
    for (i, r) in raters.iter().skip(30).take(8).enumerate() {
        review::cast(tx, (rid, *r), &ballot(i + 1, this.review.dimensions.len()), false, (leader, &stamp)).await?;
    }
    Ok(())
}
