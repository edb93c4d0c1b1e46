//! Residents decide the practical projects (百姓定实事) through the real
//! router: the yearly cycle, one resident one vote across channels (online
//! and paper at once: one counted), the paper double entry, the recount, the
//! delivery and ratings, role and scope.

mod common;

use axum::http::StatusCode;
use common::{Session, TestApp};
use gongzhi_domain::ballot;
use serde_json::{json, Value};

fn round_body(title: &str) -> Value {
    json!({ "title": title, "places": "2", "budget": "400000", "max_picks": "2", "within_budget": true,
        "margin_percent": "120", "voters": "residents", "proposals_until": "2027-01-31", "voting_until": "2027-03-31" })
}

async fn resident_of(app: &TestApp, account: &str) -> i64 {
    sqlx::query_scalar("SELECT resident_id FROM accounts WHERE username = $1")
        .bind(account)
        .fetch_one(&app.db().await)
        .await
        .unwrap()
}

/// Residents of 幸福社区 on the register who have no account, in id order.
async fn register(app: &TestApp, n: i64) -> Vec<i64> {
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

async fn advance(app: &TestApp, leader: &Session, id: i64, to: &str) -> common::Response {
    app.post_as(leader, &format!("/api/participation/rounds/{id}/advance"), json!({ "to": to })).await
}

fn proposal(title: &str, channel: &str, resident: Option<i64>) -> Value {
    json!({ "title": title, "problem": "老人上下楼难", "place": "幸福里 2 栋", "beneficiaries": "2 栋住户",
        "channel": channel, "resident_id": resident.map(|r| r.to_string()).unwrap_or_default() })
}

#[tokio::test]
async fn the_yearly_cycle_from_proposal_to_rating() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let yang = app.login("resident").await;
    let li = app.login("resident.li").await;
    let zjj = app.login("applicant.zjj").await;
    let others = register(&app, 3).await;

    // Only the leader opens a round; a wrong field is named.
    assert_eq!(app.post_as(&worker, "/api/participation/rounds", round_body("x")).await.status, StatusCode::FORBIDDEN);
    let r = app.post_as(&leader, "/api/participation/rounds", json!({ "places": "2", "max_picks": "3" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["message"], "请填写轮次名称。");
    let r = app.post_as(&leader, "/api/participation/rounds", round_body("2027 年幸福社区微实事")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["round"]["id"].as_i64().unwrap();
    assert_eq!(r.body["round"]["candidates_needed"], 3);

    // 征集: the resident's own, and two on residents' behalf (one alike).
    let path = format!("/api/participation/rounds/{id}/proposals");
    let r = app.post_as(&yang, &path, proposal("2 栋加装电梯", "online", None)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app.post_as(&worker, &path, proposal("为2栋加装电梯", "phone", None)).await;
    assert_eq!(r.body["field"], "resident_id");
    assert_eq!(
        app.post_as(&worker, &path, proposal("为2栋加装电梯", "phone", Some(others[0]))).await.status,
        StatusCode::CREATED
    );
    for (i, t) in ["修缮篮球场", "增设快递柜", "楼道声控灯更换"].iter().enumerate() {
        let r = app.post_as(&worker, &path, proposal(t, "paper", Some(others[1 + i % 2]))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let detail = app.get_as(&leader, &format!("/api/participation/rounds/{id}")).await.body;
    let find =
        |d: &Value, t: &str| d["proposals"].as_array().unwrap().iter().find(|p| p["title"] == t).unwrap().clone();
    let lift = find(&detail, "2 栋加装电梯");
    let alike = find(&detail, "为2栋加装电梯");
    assert_eq!(lift["similar"][0][1], "为2栋加装电梯", "{lift}");
    // Staff merge the two, keeping both proposers.
    assert_eq!(advance(&app, &leader, id, "voting").await.body["code"], "participation_wrong_phase");
    assert_eq!(advance(&app, &leader, id, "screening").await.status, StatusCode::OK);
    // Proposals close with screening.
    assert_eq!(
        app.post_as(&yang, &path, proposal("又一个", "online", None)).await.body["code"],
        "participation_wrong_phase"
    );
    let merge = format!("/api/participation/proposals/{}/merge", alike["id"]);
    let r = app.post_as(&leader, &merge, json!({ "into": lift["id"].to_string() })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(find(&r.body, "2 栋加装电梯")["proposers"], 2);

    // 筛选论证: cost and department, or a public reason.
    let zjj_id: i64 =
        sqlx::query_scalar("SELECT id FROM departments WHERE code = 'zjj'").fetch_one(&app.db().await).await.unwrap();
    let screen = |pid: &Value, body: Value| {
        let app = &app;
        let leader = &leader;
        let uri = format!("/api/participation/proposals/{pid}/screen");
        async move { app.post_as(leader, &uri, body).await }
    };
    let candidate = |yuan: &str| json!({ "decision": "candidate", "feasibility": "可行", "department_id": zjj_id.to_string(), "cost": yuan });
    assert_eq!(screen(&lift["id"], candidate("300000")).await.status, StatusCode::OK);
    let court = find(&detail, "修缮篮球场");
    assert_eq!(screen(&court["id"], candidate("120000")).await.status, StatusCode::OK);
    let r = screen(
        &find(&detail, "增设快递柜")["id"],
        json!({ "decision": "not_taken", "feasibility": "快递柜由企业投放" }),
    )
    .await;
    assert_eq!(r.body["field"], "reason");
    let r = screen(&find(&detail, "增设快递柜")["id"], json!({ "decision": "not_taken", "feasibility": "由企业投放", "reason": "快递柜由快递企业免费投放,已协调安装,无需财政资金。" })).await;
    assert_eq!(r.status, StatusCode::OK);
    // Residents see every outcome and its reason.
    let seen = app.get_as(&li, &format!("/api/participation/rounds/{id}")).await.body;
    assert_eq!(find(&seen, "增设快递柜")["reason"], "快递柜由快递企业免费投放,已协调安装,无需财政资金。");
    assert!(find(&seen, "增设快递柜")["similar"].as_array().unwrap().is_empty());
    // 差额: 2 candidates for 2 places cannot open the vote.
    let r = advance(&app, &leader, id, "voting").await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("ballot_too_few_candidates")));
    assert_eq!(screen(&find(&detail, "楼道声控灯更换")["id"], candidate("30000")).await.status, StatusCode::OK);
    let r = advance(&app, &leader, id, "voting").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["round"]["seed"].as_str().unwrap().len() > 10);
    let ids: Vec<i64> = r.body["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 3);

    // 票决 online: the rules refuse a bad ballot before it is cast.
    let ballots = format!("/api/participation/rounds/{id}/ballots");
    let r = app.post_as(&yang, &ballots, json!({ "picks": ids })).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("ballot_too_many_picks")));
    assert_eq!(r.body["message"], "最多可选 2 项,请去掉多选的项目。");
    let r = app.post_as(&yang, &ballots, json!({ "picks": [ids[0], ids[1]] })).await;
    assert_eq!(r.body["code"], "ballot_over_budget", "300000 + 120000 is over 400000: {}", r.body);
    let r = app.post_as(&yang, &ballots, json!({ "picks": [ids[0], ids[2]] })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["round"]["voted"], true);
    let r = app.post_as(&yang, &ballots, json!({ "picks": [ids[1]] })).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("ballot_already_voted")));
    assert_eq!(app.post_as(&li, &ballots, json!({ "blank": true })).await.status, StatusCode::OK);
    // Staff do not vote online.
    assert_eq!(app.post_as(&worker, &ballots, json!({ "picks": [ids[1]] })).await.status, StatusCode::FORBIDDEN);

    // Paper: the clerk sees 已投票 for a resident who voted online, and cannot enter them.
    let yang_id = resident_of(&app, "resident").await;
    let lookup = app.get_as(&worker, &format!("/api/participation/rounds/{id}/voters/{yang_id}")).await;
    assert_eq!(lookup.body["voted"], true, "{}", lookup.body);
    let paper = format!("/api/participation/rounds/{id}/paper");
    let r = app.post_as(&worker, &paper, json!({ "resident_id": yang_id.to_string(), "picks": [ids[1]] })).await;
    assert_eq!(r.body["code"], "ballot_already_voted");
    assert_eq!(r.body["message"], "这位居民在本轮已投票(每人一票,网上和纸质选票合计)。");
    // Double entry: the first waits; the same clerk cannot confirm it; a
    // different entry is a listed mismatch; the next matching entry casts.
    let entry = |picks: Vec<i64>| json!({ "resident_id": others[0].to_string(), "picks": picks });
    assert_eq!(app.post_as(&worker, &paper, entry(vec![ids[1]])).await.body["outcome"], "first");
    assert_eq!(app.post_as(&worker, &paper, entry(vec![ids[1]])).await.body["code"], "participation_same_clerk");
    let r = app.post_as(&leader, &paper, entry(vec![ids[2]])).await;
    assert_eq!(r.body["code"], "ballot_entries_differ");
    let pending = app.get_as(&worker, &paper).await.body;
    assert_eq!(pending[0]["status"], "mismatch", "{pending}");
    let r = app.post_as(&worker, &paper, entry(vec![ids[2]])).await;
    assert_eq!(r.body["outcome"], "cast", "{}", r.body);
    assert!(app.get_as(&worker, &paper).await.body.as_array().unwrap().is_empty());
    // An unreadable paper ballot is counted void.
    let unreadable = json!({ "resident_id": others[1].to_string(), "unreadable": true });
    app.post_as(&worker, &paper, unreadable.clone()).await;
    assert_eq!(app.post_as(&leader, &paper, unreadable).await.body["message"], "两次录入一致,已计入(废票)。");

    // 结果: counted by the published rule; anyone can recount.
    let r = advance(&app, &leader, id, "counted").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let result = &r.body["result"];
    assert_eq!(
        (result["tally"]["cast"].as_u64(), result["tally"]["blank"].as_u64(), result["tally"]["void"].as_u64()),
        (Some(4), Some(1), Some(1))
    );
    let (status, pack) = app.get(&format!("/api/participation/rounds/{id}/recount")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!pack["ballots"].to_string().contains("resident"), "anonymised: {}", pack["ballots"]);
    let pack: gongzhi_api::participation::RecountPack = serde_json::from_value(pack).unwrap();
    let recounted = ballot::count(&pack.ballots, &pack.candidates, pack.places, &pack.tie_break);
    assert_eq!(recounted, pack.published);
    let chosen: Vec<&Value> = result["lines"].as_array().unwrap().iter().filter(|l| l["chosen"] == true).collect();
    assert_eq!(chosen.len(), 2, "{result}");
    // Voting is over: no more ballots.
    assert_eq!(app.post_as(&li, &ballots, json!({ "blank": true })).await.body["code"], "participation_wrong_phase");

    // 政府办: the responsible department reports progress; residents rate once complete.
    let delivery = r.body["deliveries"][0]["id"].as_i64().unwrap();
    let rate = format!("/api/participation/deliveries/{delivery}/ratings");
    assert_eq!(
        app.post_as(&yang, &rate, json!({ "rating": "satisfied" })).await.body["code"],
        "participation_not_completed"
    );
    let progress = format!("/api/participation/deliveries/{delivery}/progress");
    let r = app.post_as(&zjj, &progress, json!({ "progress": "100", "note": "完工验收" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.post_as(&zjj, &progress, json!({ "progress": "90", "note": "倒退" })).await;
    assert_eq!(r.body["field"], "progress");
    let r = app.post_as(&yang, &rate, json!({ "rating": "great" })).await;
    assert_eq!(r.body["field"], "rating");
    assert_eq!(app.post_as(&yang, &rate, json!({ "rating": "satisfied" })).await.status, StatusCode::OK);
    let r = app.post_as(&yang, &rate, json!({ "rating": "fair" })).await;
    assert_eq!(r.body["code"], "participation_already_rated");
    let r = app.post_as(&li, &rate, json!({ "rating": "fair" })).await;
    let d = r.body["deliveries"].as_array().unwrap().iter().find(|d| d["id"] == delivery).unwrap().clone();
    assert_eq!(
        (d["ratings"]["satisfied"].as_u64(), d["ratings"]["fair"].as_u64(), d["my_rating"].as_str()),
        (Some(1), Some(1), Some("fair"))
    );
    // 人社局 is not the responsible department.
    let rsj = app.login("applicant").await;
    assert_eq!(
        app.post_as(&rsj, &progress, json!({ "progress": "100", "note": "x" })).await.status,
        StatusCode::NOT_FOUND
    );

    // Who voted and what are kept apart: no ballot names its resident.
    let db = app.db().await;
    let columns: Vec<(String, String)> =
        sqlx::query_as("SELECT channel, verdict FROM participation_ballots WHERE round_id = $1")
            .bind(id)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(columns.len(), 4);
    assert!(sqlx::query("UPDATE participation_ballots SET verdict = '{}'").execute(&db).await.is_err());
}

#[tokio::test]
async fn one_resident_votes_once_online_and_on_paper_at_once() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let yang = app.login("resident").await;
    let rounds = app.get_as(&yang, "/api/participation/rounds").await.body;
    let voting = rounds.as_array().unwrap().iter().find(|r| r["status"] == "voting").unwrap().clone();
    let id = voting["id"].as_i64().unwrap();
    let detail = app.get_as(&yang, &format!("/api/participation/rounds/{id}")).await.body;
    let pick = detail["candidates"][0]["id"].as_i64().unwrap();
    let yang_id = resident_of(&app, "resident").await;
    // The paper ballot's first entry is in; the second entry and the online
    // vote arrive together.
    let paper = format!("/api/participation/rounds/{id}/paper");
    let entry = json!({ "resident_id": yang_id.to_string(), "picks": [pick] });
    assert_eq!(app.post_as(&worker, &paper, entry.clone()).await.body["outcome"], "first");
    let ballots = format!("/api/participation/rounds/{id}/ballots");
    let (online, second) =
        tokio::join!(app.post_as(&yang, &ballots, json!({ "picks": [pick] })), app.post_as(&leader, &paper, entry));
    let mut statuses = [online.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", online.body, second.body);
    let loser = if online.status == StatusCode::CONFLICT { &online } else { &second };
    assert_eq!(loser.body["code"], "ballot_already_voted");
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM participation_voters WHERE round_id = $1 AND resident_id = $2")
            .bind(id)
            .bind(yang_id)
            .fetch_one(&app.db().await)
            .await
            .unwrap();
    assert_eq!(n, 1);
    let _ = leader;
}

#[tokio::test]
async fn the_demo_round_in_each_phase_and_scope() {
    let app = TestApp::new().await;
    let yang = app.login("resident").await;
    let rounds = app.get_as(&yang, "/api/participation/rounds").await.body;
    let statuses: Vec<&str> = rounds.as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["proposing", "voting", "counted"]);
    let counted = rounds.as_array().unwrap().iter().find(|r| r["status"] == "counted").unwrap()["id"].as_i64().unwrap();
    let d = app.get_as(&yang, &format!("/api/participation/rounds/{counted}")).await.body;
    assert_eq!(d["deliveries"].as_array().unwrap().len(), 2);
    assert!(d["deliveries"].as_array().unwrap().iter().any(|x| x["ratings"]["satisfaction_pct"].as_u64().is_some()));
    assert!(d["deliveries"].as_array().unwrap().iter().any(|x| x["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["late"] == true)));
    let (_, pack) = app.get(&format!("/api/participation/rounds/{counted}/recount")).await;
    let pack: gongzhi_api::participation::RecountPack = serde_json::from_value(pack).unwrap();
    assert_eq!(ballot::count(&pack.ballots, &pack.candidates, pack.places, &pack.tie_break), pack.published);
    // A round not yet counted has no recount pack.
    let voting = rounds.as_array().unwrap().iter().find(|r| r["status"] == "voting").unwrap()["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("/api/participation/rounds/{voting}/recount")).await.0, StatusCode::NOT_FOUND);
    // 和平社区's leader sees none of 幸福社区's rounds and reaches none.
    let hp = app.login("leader.hp").await;
    assert!(app.get_as(&hp, "/api/participation/rounds").await.body.as_array().unwrap().is_empty());
    assert_eq!(app.get_as(&hp, &format!("/api/participation/rounds/{voting}")).await.status, StatusCode::NOT_FOUND);
    let r = app.post_as(&hp, &format!("/api/participation/rounds/{voting}/paper"), json!({ "resident_id": "1" })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "a leader of another community is a clerk, but not here: {}", r.body);
}

/// Only a resident who may vote in a round is offered its ballot: in a round
/// of the residents' representatives, a resident who is not one is told
/// nothing of having voted (`voted` is null), and the ballot is refused.
#[tokio::test]
async fn a_resident_without_a_vote_is_not_offered_the_ballot() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await;
    let yang = app.login("resident").await;
    let mut body = round_body("居民代表票决");
    body["voters"] = json!("representatives");
    let r = app.post_as(&leader, "/api/participation/rounds", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let representatives = r.body["round"]["id"].as_i64().unwrap();
    let r = app.post_as(&leader, "/api/participation/rounds", round_body("全体居民票决")).await;
    let everyone = r.body["round"]["id"].as_i64().unwrap();
    let seen = app.get_as(&yang, &format!("/api/participation/rounds/{representatives}")).await.body;
    assert!(seen["round"]["voted"].is_null(), "{}", seen["round"]);
    let seen = app.get_as(&yang, &format!("/api/participation/rounds/{everyone}")).await.body;
    assert_eq!(seen["round"]["voted"], false);
    let list = app.get_as(&yang, "/api/participation/rounds").await.body;
    let of = |id: i64| list.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["voted"].clone();
    assert!(of(representatives).is_null());
    assert_eq!(of(everyone), false);
}
