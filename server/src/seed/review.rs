//! Demo democratic review (民主评议) in 幸福社区: last year's review of the
//! residents' committee, published (online and paper ballots, forms
//! counted), and this year's review of the property company, open — 李建国
//! (`resident.li`) is a residents' representative who has not rated yet.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use gongzhi_domain::ballot::Rating;
use gongzhi_domain::review::{self as rules, Forms, ReviewBallot, ReviewInput};
use sqlx::AnyConnection;

use crate::store::review as store;

fn ballot(i: usize, dims: usize) -> ReviewBallot {
    let pick =
        |k: usize| [Rating::Satisfied, Rating::Satisfied, Rating::Fair, Rating::Satisfied, Rating::Unsatisfied][k % 5];
    ReviewBallot { overall: pick(i), ratings: (0..dims).map(|d| pick(i + d)).collect() }
}

pub(super) async fn seed(
    tx: &mut AnyConnection,
    today: NaiveDate,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let now = chrono::Utc::now().to_rfc3339();
    let (xf, leader, worker) = (nodes["DX-CD-XF"], accounts["leader"], accounts["gridmember"]);
    // 李建国 is a residents' representative.
    sqlx::query("UPDATE residents SET representative = 1 WHERE id = (SELECT resident_id FROM accounts WHERE id = $1)")
        .bind(accounts["resident.li"])
        .execute(&mut *tx)
        .await?;
    let reps: Vec<i64> = sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes n ON n.id = r.org_node_id
         WHERE n.code LIKE 'DX-CD-XF-%' AND r.representative = 1
           AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL) ORDER BY r.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    anyhow::ensure!(reps.len() >= 15, "幸福社区 has its representatives");
    let parse = |i: ReviewInput, on: NaiveDate| i.parse(on).map_err(|e| anyhow::anyhow!("demo review: {e:?}"));

    // Last year's, published.
    let last = parse(
        ReviewInput {
            title: "2025 年度幸福社区居委会民主评议".into(),
            subject_kind: "committee".into(),
            subject_name: "幸福社区居民委员会".into(),
            report: "2025 年,居委会完成老旧小区改造入户动员 1,820 户,新建口袋公园 1 处,调解邻里纠纷 36 件,\
                     办理居民诉求 412 件。不足:楼道堆物治理反复,停车秩序仍需改善。"
                .into(),
            dimensions: String::new(),
            until: (today - Duration::days(300)).to_string(),
        },
        today - Duration::days(320),
    )?;
    let id = store::insert_review(tx, xf, &last, (leader, &now)).await?;
    let dims = last.dimensions.len();
    for (i, r) in reps.iter().take(12).enumerate() {
        let paper = i % 3 == 0;
        store::cast(tx, (id, *r), &ballot(i, dims), paper, (if paper { worker } else { leader }, &now)).await?;
    }
    let forms = Forms { issued: 6, returned: 5, void: 1 };
    let ballots: Vec<(bool, ReviewBallot)> = store::ballots(tx, id)
        .await?
        .into_iter()
        .filter_map(|(p, b)| Some((p != 0, serde_json::from_str(&b).ok()?)))
        .collect();
    let result = rules::count(&last.dimensions, &ballots, forms);
    sqlx::query("UPDATE review_reviews SET status = 'published', forms = $1, result = $2 WHERE id = $3")
        .bind(serde_json::to_string(&forms)?)
        .bind(serde_json::to_string(&result)?)
        .bind(id)
        .execute(&mut *tx)
        .await?;

    // This year's, of the property company, open.
    let open = parse(
        ReviewInput {
            title: "2026 年度幸福物业服务评议".into(),
            subject_kind: "property".into(),
            subject_name: "幸福物业服务有限公司".into(),
            report: "本年度完成电梯维保 24 次、绿化补植 1,200 平方米,受理报修 968 件,平均 1.6 天办结。\
                     收费标准未调整,公共收益 8.6 万元已在公开栏公示。"
                .into(),
            dimensions: "服务态度\n维修及时\n环境卫生\n收费透明".into(),
            until: (today + Duration::days(14)).to_string(),
        },
        today,
    )?;
    let id = store::insert_review(tx, xf, &open, (leader, &now)).await?;
    for (i, r) in reps.iter().skip(12).take(3).enumerate() {
        store::cast(tx, (id, *r), &ballot(i + 1, open.dimensions.len()), false, (leader, &now)).await?;
    }
    Ok(())
}
