//! Public disclosure (居务公开) through the real router: the public board
//! without signing in, the demo's overdue item flagged and then published,
//! a period published once, figures drawn from the system, questions and
//! objections answered in public (once), role and scope.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

/// The demo as of 2026-12-02 (Asia/Shanghai): deadlines and the owed
/// periods are judged on that day, whenever the test runs.
async fn app() -> TestApp {
    TestApp::with_setup(|c| c.today = Some("2026-12-02".parse().unwrap())).await
}

fn item<'a>(board: &'a Value, name: &str) -> &'a Value {
    board["items"].as_array().unwrap().iter().find(|i| i["item"].as_str().unwrap().contains(name)).unwrap()
}

#[tokio::test]
async fn the_board_is_public_and_an_overdue_item_is_flagged_until_published() {
    let app = app().await;
    let xf = app.node_id("DX-CD-XF").await;
    let path = format!("/api/disclosure/communities/{xf}");

    // Anyone reads it, with no names of who asked.
    let (status, list) = app.get("/api/disclosure/communities").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.as_array().unwrap().iter().any(|c| c["id"] == xf));
    let (status, board) = app.get(&path).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    assert_eq!((board["can_manage"].as_bool(), board["can_ask"].as_bool()), (Some(false), Some(false)));
    assert_eq!(board["overdue"], 1, "the demo's quarterly funds: {board}");
    let funds = item(&board, "经费收支").clone();
    assert_eq!((funds["overdue"].as_bool(), funds["owed_key"].as_str()), (Some(true), Some("2026-Q3")));
    let assistance = item(&board, "社会救助");
    assert_eq!((assistance["overdue"].as_bool(), assistance["owed_key"].as_str()), (Some(false), Some("2026-11")));
    assert!(!board.to_string().contains("杨桂兰"), "who asked is never shown");
    assert_eq!(app.get("/api/disclosure/communities/999999").await.0, StatusCode::NOT_FOUND);

    // The leader publishes it: checked like the form, once per period.
    let leader = app.login("leader").await;
    assert_eq!(app.get_as(&leader, &path).await.body["can_manage"], true);
    let fid = funds["id"].as_i64().unwrap();
    let body = |period: &str| {
        json!({ "item_id": fid.to_string(), "period": period, "title": "三季度经费收支",
        "body": "收入 3.2 万元,支出 2.9 万元。", "attachments": "收支明细表" })
    };
    let r = app.post_as(&leader, "/api/disclosure/publications", body("2026-10")).await;
    assert_eq!(r.body["field"], "period", "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("2026-Q3"));
    let r = app.post_as(&leader, "/api/disclosure/publications", body("2026-Q3")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["overdue"], 0);
    assert_eq!(item(&r.body, "经费收支")["owed_key"], Value::Null);
    assert_eq!(r.body["publications"][0]["period_label"], "2026年第三季度");
    assert_eq!(r.body["publications"][0]["attachments"], json!(["收支明细表"]));
    let r = app.post_as(&leader, "/api/disclosure/publications", body("2026-Q3")).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("disclosure_already_published")));

    // Another community's leader cannot publish against it (answered as unknown).
    let hp = app.login("leader.hp").await;
    let r = app.post_as(&hp, "/api/disclosure/publications", body("2026-Q2")).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("item_id")));
    let r = app.get_as(&hp, &format!("/api/disclosure/items/{fid}/figures")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Publications are final at the database.
    let db = app.db().await;
    assert!(sqlx::query("UPDATE disclosure_publications SET body = 'x'").execute(&db).await.is_err());
}

#[tokio::test]
async fn residents_ask_in_public_and_the_leader_answers_once() {
    let app = app().await;
    let xf = app.node_id("DX-CD-XF").await;
    let yang = app.login("resident").await;
    let leader = app.login("leader").await;

    let mine = app.get_as(&yang, "/api/disclosure/mine").await;
    assert_eq!(mine.body["id"], xf, "{}", mine.body);
    let board = app.get_as(&yang, &format!("/api/disclosure/communities/{xf}")).await.body;
    assert_eq!(board["can_ask"], true);
    let publication = board["publications"].as_array().unwrap()[0]["id"].as_i64().unwrap();
    let ask = format!("/api/disclosure/publications/{publication}/questions");
    let r = app.post_as(&yang, &ask, json!({ "kind": "objection", "text": "" })).await;
    assert_eq!(r.body["field"], "text");
    let r = app.post_as(&yang, &ask, json!({ "kind": "question", "text": "活动室周末开放吗?" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let q = r.body["publications"][0]["questions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((q["kind_label"].as_str(), q["answer"].as_str()), (Some("提问"), None));
    assert_eq!(
        app.post_as(&leader, &ask, json!({ "kind": "question", "text": "x" })).await.status,
        StatusCode::FORBIDDEN
    );

    // The leader answers once; another leader cannot.
    let answer = format!("/api/disclosure/questions/{}/answer", q["id"]);
    let hp = app.login("leader.hp").await;
    assert_eq!(app.post_as(&hp, &answer, json!({ "answer": "x" })).await.status, StatusCode::NOT_FOUND);
    let r = app.post_as(&leader, &answer, json!({ "answer": "周六上午开放。" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (_, public) = app.get(&format!("/api/disclosure/communities/{xf}")).await;
    let q2 = public["publications"][0]["questions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(q2["answer"], "周六上午开放。");
    assert_eq!(
        app.post_as(&leader, &answer, json!({ "answer": "再答" })).await.body["code"],
        "disclosure_already_answered"
    );

    // A resident of another community may read but not ask.
    let hp_node = app.node_id("DX-CD-HP").await;
    let other = app.get_as(&yang, &format!("/api/disclosure/communities/{hp_node}")).await.body;
    assert_eq!(other["can_ask"], false);
}

#[tokio::test]
async fn a_directory_is_adopted_once_and_figures_come_from_the_system() {
    let app = app().await;
    let hp = app.login("leader.hp").await;
    let hp_node = app.node_id("DX-CD-HP").await;
    let (_, board) = app.get(&format!("/api/disclosure/communities/{hp_node}")).await;
    assert_eq!(board["has_directory"], false);

    let r = app.post_as(&hp, "/api/disclosure/directory/defaults", json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body["items"].as_array().unwrap().len() >= 8);
    assert_eq!(r.body["overdue"], 0, "a new directory owes nothing for the past");
    let r2 = app.post_as(&hp, "/api/disclosure/directory/defaults", json!({})).await;
    assert_eq!(r2.body["code"], "disclosure_directory_exists");

    // An item of its own: every field named when missing.
    let r = app.post_as(&hp, "/api/disclosure/items", json!({})).await;
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 6, "{}", r.body);
    let new = json!({ "item": "物业服务收费", "content": "收费标准和收支", "basis": "《物业管理条例》",
        "frequency": "yearly", "channels": ["board"], "owner": "物业服务企业" });
    let r = app.post_as(&hp, "/api/disclosure/items", new).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(item(&r.body, "物业服务收费")["channels_label"], "社区公开栏");

    // Figures: the practical projects of 幸福社区, drawn from the system.
    let leader = app.login("leader").await;
    let xf = app.node_id("DX-CD-XF").await;
    let b = app.get_as(&leader, &format!("/api/disclosure/communities/{xf}")).await.body;
    let projects = item(&b, "民生实事")["id"].as_i64().unwrap();
    let f = app.get_as(&leader, &format!("/api/disclosure/items/{projects}/figures")).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    assert!(f.body["body"].as_str().unwrap().contains("加装电梯"), "{}", f.body);
    let funds = item(&b, "准入社区")["id"].as_i64().unwrap();
    let f = app.get_as(&leader, &format!("/api/disclosure/items/{funds}/figures")).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    assert!(f.body["body"].as_str().unwrap().contains("应拨"), "{}", f.body);
    let committee = item(&b, "组成人员")["id"].as_i64().unwrap();
    assert_eq!(
        app.get_as(&leader, &format!("/api/disclosure/items/{committee}/figures")).await.status,
        StatusCode::NOT_FOUND
    );
}

/// A resident leaves at most `QUESTIONS_PER_DAY` questions a day, however
/// many are sent at once; the next is refused with 429 and a message that
/// says when to ask again, and nothing of it is saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_resident_asks_a_few_questions_a_day_even_all_at_once() {
    use gongzhi_domain::disclosure::QUESTIONS_PER_DAY;
    let app = std::sync::Arc::new(app().await);
    let xf = app.node_id("DX-CD-XF").await;
    let yang = app.login("resident").await;
    let board = app.get_as(&yang, &format!("/api/disclosure/communities/{xf}")).await.body;
    let publication = board["publications"].as_array().unwrap()[0]["id"].as_i64().unwrap();
    let ask = format!("/api/disclosure/publications/{publication}/questions");
    let db = app.db().await;
    let count = || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM disclosure_questions").fetch_one(&db).await.unwrap();
        n
    };
    let before = count().await;

    let sent = QUESTIONS_PER_DAY as usize + 3;
    let mut all = Vec::new();
    for i in 0..sent {
        let (app, yang, ask) = (app.clone(), yang.clone(), ask.clone());
        all.push(tokio::spawn(async move {
            app.post_as(&yang, &ask, json!({ "kind": "question", "text": format!("第 {i} 个问题") })).await
        }));
    }
    let mut created = 0;
    for r in all {
        let r = r.await.unwrap();
        match r.status {
            StatusCode::CREATED => created += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(r.body["code"], "disclosure_too_many_questions", "{}", r.body);
                assert!(r.body["message"].as_str().unwrap().contains("明天"), "{}", r.body);
            }
            other => panic!("{other}: {}", r.body),
        }
    }
    assert_eq!(created, QUESTIONS_PER_DAY as usize);
    assert_eq!(count().await - before, QUESTIONS_PER_DAY as i64);
    // Another resident of the community may still ask today.
    let li = app.login("resident.li").await;
    let r = app.post_as(&li, &ask, json!({ "kind": "question", "text": "公开栏在哪里?" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}
