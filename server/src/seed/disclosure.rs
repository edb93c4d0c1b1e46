//! Demo disclosure (居务公开) in 幸福社区: the common directory adopted a
//! year ago, every item published for its last period except the quarterly
//! funds (overdue) and November's assistance list (owed, not yet due); a
//! publication with an objection answered and a question waiting.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use gongzhi_domain::disclosure::{self as rules, Frequency, Period, PublicationInput, QuestionKind};
use sqlx::AnyConnection;

use crate::store::disclosure::{self as store, NewItem};

pub(super) async fn seed(
    tx: &mut AnyConnection,
    today: NaiveDate,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let now = chrono::Utc::now().to_rfc3339();
    let (xf, leader, yang) = (nodes["DX-CD-XF"], accounts["leader"], accounts["resident"]);
    let since = today - Duration::days(400);
    for (code, item) in rules::default_directory() {
        store::insert_item(tx, &item, &NewItem { community: xf, code, since, by: leader, at: &now }).await?;
    }
    let items = store::items(tx, xf).await?;
    for i in &items {
        let f = Frequency::from_code(&i.frequency).unwrap_or(Frequency::AtOnce);
        if matches!(i.code.as_str(), "funds" | "assistance") {
            continue;
        }
        let period = Period::holding(f, today).and_then(|p| p.previous(f));
        let (title, body) = match i.code.as_str() {
            "committee" => ("居委会成员及分工", "主任 赵敏:全面工作,电话 0794-8200001\n副主任 孙丽:民政、养老\n委员 王芳:网格、综治\n委员 陈刚:环境、物业"),
            "projects" => ("民生实事项目进展", "幸福里 3 栋加装电梯:已完成,投入使用\n建设口袋公园:完成进度 55%,园路与座椅施工中"),
            "admitted_work" => ("准入社区工作事项及经费到账", "本季度准入事项 3 项,随事拨付经费均已到账,明细见附件。"),
            "consultation" => ("小区停车位划线协商结果", "议事会表决通过:3 栋北侧划设 24 个车位(含 2 个无障碍车位),暂不收费;施划车位已完成。"),
            "decisions" => ("居民代表会议决定事项", "通过《幸福社区居民公约》修订稿;决定开展楼道杂物集中清理。"),
            _ => ("社区公益设施使用和收益", "党群服务中心活动室全年开放,无经营收益。"),
        };
        let input = PublicationInput {
            item_id: i.id.to_string(),
            period: period.as_ref().map(|p| p.key.clone()).unwrap_or_default(),
            title: format!("{}{title}", period.as_ref().map(|p| p.label.clone()).unwrap_or_default()),
            body: body.into(),
            attachments: if i.code == "admitted_work" {
                "准入事项经费到账明细表".into()
            } else {
                String::new()
            },
        };
        let p = input.parse(f, today).map_err(|e| anyhow::anyhow!("demo publication: {e:?}"))?;
        let published = (period.map_or(today - Duration::days(5), |p| p.end + Duration::days(3))).to_string();
        let id = store::insert_publication(tx, i.id, &p, (&published, leader, &now)).await?.expect("new");
        if i.code == "projects" {
            let q = store::insert_question(
                tx,
                id,
                (QuestionKind::Objection, "口袋公园原定上月完工,为什么还没有完成?"),
                (yang, &now, &published),
            )
            .await?;
            store::answer(
                tx,
                q,
                "受雨季影响,园路铺装推迟。施工单位已增加人手,预计本月底完工,届时公示验收结果。",
                (leader, &published),
            )
            .await?;
            store::insert_question(
                tx,
                id,
                (QuestionKind::Question, "电梯的维护保养费用由谁承担?"),
                (yang, &now, &published),
            )
            .await?;
        }
    }
    Ok(())
}
