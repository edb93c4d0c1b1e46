//! Opinion polls (民意调查) through the real router: a poll asked by the
//! leader, answered once per resident across channels (online, paper, door
//! to door; two at once: one stored), the tablet's replay stored once, the
//! audience (grids, special groups), role and scope (another community's
//! resident: 404), the count and its export.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

/// The demo as of 2026-12-02 (Asia/Shanghai).
async fn app() -> TestApp {
    TestApp::with_setup(|c| c.today = Some("2026-12-02".parse().unwrap())).await
}

fn poll(title: &str) -> Value {
    json!({
        "title": title, "intro": "两分钟。", "audience": "community", "until": "2026-12-31",
        "questions": [
            { "kind": "single", "text": "您多久去一次社区食堂?", "options": "每天\n每周\n从不" },
            { "kind": "multiple", "text": "希望增加哪些菜?", "options": "面食\n素菜\n汤" },
            { "kind": "rating", "text": "对饭菜打分" },
            { "kind": "text", "text": "建议" }
        ]
    })
}

fn answers(pick: u32, score: u32) -> Value {
    json!({ "answers": [ { "picks": [pick] }, { "picks": [0, 2] }, { "picks": [score] }, { "text": "多放点青菜" } ] })
}

/// Residents of 幸福社区 without accounts, newest first.
async fn residents(app: &TestApp, n: i64) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes g ON g.id = r.org_node_id
         WHERE g.code LIKE 'DX-CD-XF-%' AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL)
         ORDER BY r.id DESC LIMIT $1",
    )
    .bind(n)
    .fetch_all(&app.db().await)
    .await
    .unwrap()
}

fn entry(resident: i64, channel: &str, key: &str, pick: u32) -> Value {
    let mut body = answers(pick, 4);
    body["resident_id"] = resident.to_string().into();
    body["channel"] = channel.into();
    body["idempotency_key"] = key.into();
    body
}

#[tokio::test]
async fn a_poll_from_questions_to_export() {
    let app = app().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let li = app.login("resident.li").await;
    let reviewer = app.login("reviewer").await;

    assert_eq!(app.post_as(&worker, "/api/polls", poll("x")).await.status, StatusCode::FORBIDDEN);
    let r =
        app.post_as(&leader, "/api/polls", json!({ "audience": "grids", "questions": [{ "kind": "single" }] })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "grids", "until", "q1"], "{}", r.body);
    let r = app.post_as(&leader, "/api/polls", poll("社区食堂满意度调查")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["audience_label"], "本社区全体居民");
    assert_eq!(r.body["questions"][0]["options"], json!(["每天", "每周", "从不"]));

    // A resident answers once; every choice answered; the count stays hidden from residents while it runs.
    let path = format!("/api/polls/{id}/responses");
    let seen = app.get_as(&li, &format!("/api/polls/{id}")).await;
    assert_eq!((seen.body["answered"].as_bool(), seen.body["result"].is_null()), (Some(false), true));
    let r = app.post_as(&li, &path, json!({ "answers": [ { "picks": [5] } ] })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["errors"][0]["message"], "第 1 题“6”不是可选的值,请从列表中选择。", "{}", r.body);
    assert_eq!(r.body["errors"][1]["field"], "q2");
    let r = app.post_as(&li, &path, answers(0, 5)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.body["answered"].as_bool(), r.body["responses"].as_u64()), (Some(true), Some(1)));
    let again = app.post_as(&li, &path, answers(1, 3)).await;
    assert_eq!((again.status, again.body["code"].as_str()), (StatusCode::CONFLICT, Some("poll_already_answered")));
    assert_eq!(app.post_as(&worker, &path, answers(0, 5)).await.status, StatusCode::FORBIDDEN);

    // Staff enter paper and door-to-door questionnaires for residents of their area.
    let ppl = residents(&app, 3).await;
    let entries = format!("/api/polls/{id}/entries");
    let hp: i64 = sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes g ON g.id = r.org_node_id WHERE g.code LIKE 'DX-CD-HP-%' LIMIT 1",
    )
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let r = app.post_as(&leader, &entries, entry(hp, "paper", "key-hp-0001", 0)).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("resident_id")));
    let r = app.post_as(&leader, &entries, json!({ "idempotency_key": "key-bad-0001", "channel": "online" })).await;
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["resident_id", "channel", "q1", "q2", "q3"], "{}", r.body);
    let r = app.post_as(&leader, &entries, entry(ppl[0], "paper", "key-paper-0001", 1)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The tablet's outbox sends the same entry again: stored once, answered 200.
    let door = entry(ppl[1], "door_to_door", "key-door-0001", 2);
    let first = app.post_as(&leader, &entries, door.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let replay = app.post_as(&leader, &entries, door.clone()).await;
    assert_eq!((replay.status, replay.body["responses"].as_u64()), (StatusCode::OK, Some(3)), "{}", replay.body);
    // Under the same key: another channel is a second questionnaire (409); another resident,
    // a reused key (422); a second questionnaire under a new key, 409. Nothing more is stored.
    let r = app.post_as(&leader, &entries, entry(ppl[1], "paper", "key-door-0001", 0)).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("poll_already_answered")));
    let r = app.post_as(&leader, &entries, entry(ppl[2], "door_to_door", "key-door-0001", 0)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app.post_as(&leader, &entries, entry(ppl[0], "door_to_door", "key-door-0002", 0)).await;
    assert_eq!(r.body["code"], "poll_already_answered");
    assert_eq!(app.get_as(&leader, &format!("/api/polls/{id}")).await.body["responses"], 3);

    // Finding whom to ask: names for the grid member, masked for no one else here; answered flagged.
    let found = app.get_as(&leader, &format!("/api/polls/{id}/asked?q=")).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert_eq!(found.body.as_array().unwrap().len(), 20);
    let long = "楼".repeat(51);
    let r = app.get_as(&leader, &format!("/api/polls/{id}/asked?q={long}")).await;
    assert_eq!(r.body["field"], "q");

    // While it runs nobody sees the count, staff included: a count that moves with each
    // questionnaire would tell a watcher one person's answers. No export either.
    let seen = app.get_as(&reviewer, &format!("/api/polls/{id}")).await;
    assert_eq!((seen.body["responses"].as_u64(), seen.body["result"].is_null()), (Some(3), true), "{}", seen.body);
    let r = app.get_as(&reviewer, &format!("/api/polls/{id}/export")).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("poll_still_open")));

    // Who answered is apart from what: no resident in the answers' table.
    let columns: Vec<String> = match app.backend() {
        gongzhi_server::db::Backend::Sqlite => {
            sqlx::query_scalar("SELECT name FROM pragma_table_info('poll_answers')").fetch_all(&app.db().await).await
        }
        gongzhi_server::db::Backend::Postgres => {
            sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'poll_answers'",
            )
            .fetch_all(&app.db().await)
            .await
        }
    }
    .unwrap();
    assert!(!columns.iter().any(|c| c.contains("resident") || c.ends_with("_at")), "{columns:?}");
    // …and nothing derived from the answers beside the resident.
    let beside: Vec<String> = match app.backend() {
        gongzhi_server::db::Backend::Sqlite => {
            sqlx::query_scalar("SELECT name FROM pragma_table_info('poll_respondents')")
                .fetch_all(&app.db().await)
                .await
        }
        gongzhi_server::db::Backend::Postgres => {
            sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'poll_respondents'",
            )
            .fetch_all(&app.db().await)
            .await
        }
    }
    .unwrap();
    assert!(!beside.iter().any(|c| c.contains("sha") || c.contains("answer")), "{beside:?}");

    // The leader ends it: the count is public (without the short answers), no more answers.
    let r = app.post_as(&leader, &format!("/api/polls/{id}/close"), json!({})).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("closed")), "{}", r.body);
    let seen = app.get_as(&li, &format!("/api/polls/{id}")).await;
    assert_eq!(seen.body["result"]["responses"], 3);
    assert_eq!(seen.body["result"]["questions"][3]["texts"], json!([]));
    // Staff read the short answers too, and the reviewer exports the count.
    let seen = app.get_as(&reviewer, &format!("/api/polls/{id}")).await;
    let result = &seen.body["result"];
    assert_eq!(result["questions"][0]["counts"], json!([["每天", 1], ["每周", 1], ["从不", 1]]));
    assert_eq!(result["questions"][2]["average_tenths"], 43);
    assert_eq!(result["by_channel"], json!([["online", 1], ["paper", 1], ["door_to_door", 1]]));
    assert_eq!(result["questions"][3]["texts"].as_array().unwrap().len(), 3);
    let xlsx = app.raw(Method::GET, &format!("/api/polls/{id}/export"), &reviewer).await;
    assert!(xlsx.starts_with(b"PK"), "an xlsx is a zip");
    // A resident who did not answer is not told they did.
    let yang = app.login("resident").await;
    assert_eq!(app.get_as(&yang, &format!("/api/polls/{id}")).await.body["answered"], false);
    let r = app.post_as(&leader, &entries, entry(ppl[2], "paper", "key-paper-0009", 0)).await;
    assert_eq!(r.body["code"], "poll_closed");
    assert_eq!(app.post_as(&leader, &format!("/api/polls/{id}/close"), json!({})).await.body["code"], "poll_closed");
}

#[tokio::test]
async fn the_audience_and_the_community_decide_who_answers() {
    let app = app().await;
    let leader = app.login("leader").await;
    let li = app.login("resident.li").await;
    // A poll of a grid li does not live in: li is not asked (409), and not offered it.
    let li_grid: i64 = sqlx::query_scalar(
        "SELECT r.org_node_id FROM residents r JOIN accounts a ON a.resident_id = r.id WHERE a.username = 'resident.li'",
    )
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let other_grid: i64 = sqlx::query_scalar(
        "SELECT id FROM org_nodes WHERE level = 'grid' AND code LIKE 'DX-CD-XF-%' AND id <> $1 ORDER BY id LIMIT 1",
    )
    .bind(li_grid)
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let mut body = poll("第二网格的调查");
    body["audience"] = "grids".into();
    body["grids"] = json!([other_grid.to_string()]);
    let r = app.post_as(&leader, "/api/polls", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert!(r.body["audience_label"].as_str().unwrap().starts_with("指定网格的居民:"));
    assert_eq!(app.get_as(&li, &format!("/api/polls/{id}")).await.body["answered"], Value::Null);
    let r = app.post_as(&li, &format!("/api/polls/{id}/responses"), answers(0, 3)).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("poll_not_asked")));
    // A grid of another community cannot be asked.
    let hp_grid = app.node_id("DX-CD-HP-01").await;
    body["grids"] = json!([hp_grid.to_string()]);
    let r = app.post_as(&leader, "/api/polls", body).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("grids")));

    // A resident of another community cannot see or answer 幸福社区's poll: 404.
    let running: i64 = sqlx::query_scalar("SELECT id FROM poll_polls WHERE status = 'open' ORDER BY id LIMIT 1")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    let db = app.db().await;
    let hp_resident: i64 = sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes g ON g.id = r.org_node_id WHERE g.code = 'DX-CD-HP-01' LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    sqlx::query("UPDATE accounts SET resident_id = $1, org_node_id = $2 WHERE username = 'resident.li'")
        .bind(hp_resident)
        .bind(hp_grid)
        .execute(&db)
        .await
        .unwrap();
    let moved = app.login("resident.li").await;
    let r = app.get_as(&moved, &format!("/api/polls/{running}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = app.post_as(&moved, &format!("/api/polls/{running}/responses"), answers(0, 3)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(app.get_as(&moved, "/api/polls").await.body.as_array().unwrap().iter().all(|p| p["id"] != running));
}

#[tokio::test]
async fn two_questionnaires_for_one_resident_at_once_store_one() {
    let app = app().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let r = app.post_as(&leader, "/api/polls", poll("并发")).await;
    let id = r.body["id"].as_i64().unwrap();
    // A resident of the grid member's grid, entered at once on paper and door to door.
    let resident: i64 = sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN accounts a ON a.org_node_id = r.org_node_id
         WHERE a.username = 'gridmember' AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL)
         LIMIT 1",
    )
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let entries = format!("/api/polls/{id}/entries");
    let (a, b) = tokio::join!(
        app.post_as(&leader, &entries, entry(resident, "paper", "key-race-0001", 0)),
        app.post_as(&worker, &entries, entry(resident, "door_to_door", "key-race-0002", 1)),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT], "{} {}", a.body, b.body);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM poll_answers WHERE poll_id = $1")
        .bind(id)
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    // Another clerk sending the grid member's entry under its key finds it answered, not stored.
    let r = app.post_as(&leader, &entries, entry(resident, "door_to_door", "key-race-0002", 1)).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("poll_already_answered")));
    // A key is the poll's own: the same key in another poll is another entry.
    let other = app.post_as(&leader, "/api/polls", poll("另一次调查")).await.body["id"].as_i64().unwrap();
    let r = app
        .post_as(&leader, &format!("/api/polls/{other}/entries"), entry(resident, "paper", "key-race-0001", 0))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The grid member cannot enter for a resident outside their grid.
    let outside: i64 = sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes g ON g.id = r.org_node_id
         WHERE g.code LIKE 'DX-CD-XF-%' AND g.id <> (SELECT org_node_id FROM accounts WHERE username = 'gridmember')
         LIMIT 1",
    )
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let r = app.post_as(&worker, &entries, entry(outside, "door_to_door", "key-race-0003", 1)).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("resident_id")));
    // The demo's ended poll shows its count to its residents.
    let polls = app.get_as(&worker, "/api/polls").await;
    let ended = polls.body.as_array().unwrap().iter().find(|p| p["status"] == "closed").unwrap().clone();
    assert!(ended["result"].is_null(), "the list carries no count: {ended}");
    let ended = app.get_as(&worker, &format!("/api/polls/{}", ended["id"])).await.body;
    assert!(ended["result"]["responses"].as_u64().unwrap() > 0, "{ended}");
    assert_eq!(ended["audience_label"], "特殊群体:独居老人");
}
