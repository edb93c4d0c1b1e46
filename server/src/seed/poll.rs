//! Demo opinion polls (民意调查) in 幸福社区: a running poll on parking, with
//! questionnaires in by every channel — 李建国 (`resident.li`) has not
//! answered yet — and an ended one asking the elderly living alone about
//! the meal service, its count public.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use gongzhi_domain::ballot::Channel;
use gongzhi_domain::poll::{Answer, PollInput, QuestionInput};
use sqlx::AnyConnection;

use crate::store::poll::{self as store, NewResponse};

fn q(kind: &str, text: &str, options: &str) -> QuestionInput {
    QuestionInput { kind: kind.into(), text: text.into(), options: options.into() }
}

/// One questionnaire of `resident` in `poll`, entered by `by` (staff's under a key).
async fn file(
    tx: &mut AnyConnection,
    (poll, resident): (i64, i64),
    (channel, by): (Channel, i64),
    answers: &[Answer],
    at: &str,
) -> anyhow::Result<()> {
    let key = format!("demo-poll-{poll}-{resident}");
    let new = NewResponse {
        poll,
        resident,
        channel: channel.code(),
        key: (channel != Channel::Online).then_some(key.as_str()),
        answers,
        by,
        at,
    };
    store::insert_response(tx, &new).await?;
    Ok(())
}

pub(super) async fn seed(
    tx: &mut AnyConnection,
    today: NaiveDate,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let now = chrono::Utc::now().to_rfc3339();
    let (xf, leader, worker) = (nodes["DX-CD-XF"], accounts["leader"], accounts["gridmember"]);
    let residents: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT r.id, r.special_group FROM residents r JOIN org_nodes n ON n.id = r.org_node_id
         WHERE n.code LIKE 'DX-CD-XF-%'
           AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL) ORDER BY r.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    anyhow::ensure!(residents.len() >= 40, "幸福社区 has its residents");
    let parse = |i: PollInput, on: NaiveDate| i.parse(on).map_err(|e| anyhow::anyhow!("demo poll: {e:?}"));
    let by = |c: Channel| if c == Channel::DoorToDoor { worker } else { leader };

    // Running: parking, every resident of the community asked.
    let parking = parse(
        PollInput {
            title: "幸福社区停车管理民意调查".into(),
            intro: "小区车位紧张,居委会准备和物业一起调整停车管理办法,先听听大家的意见。约需 2 分钟,\
                    问卷不记名,结果将在居务公开栏公布。"
                .into(),
            audience: "community".into(),
            until: (today + Duration::days(10)).to_string(),
            questions: vec![
                q("single", "您家有几辆车?", "没有\n1 辆\n2 辆及以上"),
                q(
                    "multiple",
                    "您支持哪些办法?(可多选)",
                    "重新划线增加车位\n与周边单位错时共享停车\n限制外来车辆进入\n建设立体停车库",
                ),
                q("rating", "您对现在的停车秩序打几分?", ""),
                q("text", "还有什么建议?", ""),
            ],
            ..PollInput::default()
        },
        today,
    )?;
    let id = store::insert_poll(tx, xf, &parking, (leader, &now)).await?;
    let notes = ["晚上消防通道常被占用,请加强巡查", "", "希望优先解决老人家属临时停车", "", ""];
    for (i, (r, _)) in residents.iter().take(24).enumerate() {
        let channel = [Channel::Online, Channel::Online, Channel::Paper, Channel::DoorToDoor][i % 4];
        let answers = vec![
            Answer::Single { pick: [1, 0, 1, 2, 1][i % 5] },
            Answer::Multiple { picks: [vec![0, 1], vec![0], vec![1, 2], vec![0, 3], vec![2]][i % 5].clone() },
            Answer::Rating { score: [2, 3, 2, 4, 1, 3][i % 6] },
            Answer::Text { text: notes[i % 5].into() },
        ];
        file(tx, (id, *r), (channel, by(channel)), &answers, &now).await?;
    }

    // Ended: the meal service, asked of the elderly living alone.
    let meals = parse(
        PollInput {
            title: "独居老人助餐服务需求调查".into(),
            intro: "了解独居老人对社区长者食堂和送餐上门的需求。".into(),
            audience: "special_group".into(),
            group: "elderly_alone".into(),
            until: (today - Duration::days(20)).to_string(),
            questions: vec![
                q("single", "您希望怎样用餐?", "到长者食堂就餐\n送餐上门\n暂不需要"),
                q("rating", "您对现在的助餐服务打几分?", ""),
            ],
            ..PollInput::default()
        },
        today - Duration::days(45),
    )?;
    let id = store::insert_poll(tx, xf, &meals, (leader, &now)).await?;
    let elderly = residents.iter().filter(|(_, g)| g.as_deref() == Some("elderly_alone"));
    for (i, (r, _)) in elderly.take(12).enumerate() {
        let channel = if i % 2 == 0 { Channel::DoorToDoor } else { Channel::Paper };
        let answers = vec![Answer::Single { pick: [0, 1, 1, 0, 2][i % 5] }, Answer::Rating { score: [4, 5, 3][i % 3] }];
        file(tx, (id, *r), (channel, by(channel)), &answers, &now).await?;
    }
    sqlx::query("UPDATE poll_polls SET status = 'closed' WHERE id = $1").bind(id).execute(&mut *tx).await?;
    Ok(())
}
