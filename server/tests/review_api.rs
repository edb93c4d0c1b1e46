//! Democratic review (民主评议) through the real router: a review opened by
//! the leader, rated once per representative online or on paper (both at
//! once: one counted), paper forms that must add up, the published result,
//! role and scope.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

/// The demo as of 2026-12-02 (Asia/Shanghai): deadlines and the owed
/// periods are judged on that day, whenever the test runs.
async fn app() -> TestApp {
    TestApp::with_setup(|c| c.today = Some("2026-12-02".parse().unwrap())).await
}

fn review(title: &str) -> Value {
    json!({ "title": title, "subject_kind": "staff", "subject_name": "网格员 王芳", "report": "一年来走访 1,200 户。",
        "dimensions": "服务态度\n办事效率", "until": "2027-06-30" })
}

fn ballot() -> Value {
    json!({ "overall": "satisfied", "ratings": ["satisfied", "fair"] })
}

async fn representatives(app: &TestApp, n: i64) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes g ON g.id = r.org_node_id
         WHERE g.code LIKE 'DX-CD-XF-%' AND r.representative = 1
           AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL)
         ORDER BY r.id DESC LIMIT $1",
    )
    .bind(n)
    .fetch_all(&app.db().await)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_review_from_report_to_published_result() {
    let app = app().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let li = app.login("resident.li").await;
    let yang = app.login("resident").await;

    assert_eq!(app.post_as(&worker, "/api/reviews", review("x")).await.status, StatusCode::FORBIDDEN);
    let r = app.post_as(&leader, "/api/reviews", json!({ "subject_kind": "mayor" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["message"], "请填写评议名称。");
    let r = app.post_as(&leader, "/api/reviews", review("2026 年度网格员民主评议")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["dimensions"], json!(["服务态度", "办事效率"]));

    // A representative rates once; every dimension must be rated; others may not.
    let path = format!("/api/reviews/{id}/ballots");
    assert_eq!(app.get_as(&li, &format!("/api/reviews/{id}")).await.body["rated"], false);
    assert_eq!(app.get_as(&yang, &format!("/api/reviews/{id}")).await.body["rated"], Value::Null);
    let r = app.post_as(&li, &path, json!({ "overall": "satisfied", "ratings": ["fair"] })).await;
    assert_eq!(r.body["field"], "ratings", "{}", r.body);
    let r = app.post_as(&li, &path, ballot()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["rated"].as_bool(), r.body["ballots"].as_u64()), (Some(true), Some(1)));
    assert_eq!(app.post_as(&li, &path, ballot()).await.body["code"], "review_already_rated");
    assert_eq!(app.post_as(&yang, &path, ballot()).await.body["code"], "review_not_a_representative");

    // Paper forms by staff: representatives of this community only, once each.
    let reps = representatives(&app, 3).await;
    let paper = format!("/api/reviews/{id}/paper");
    let entry = |who: i64, overall: &str| json!({ "resident_id": who.to_string(), "overall": overall, "ratings": ["fair", "unsatisfied"] });
    let hp_resident: i64 = sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes g ON g.id = r.org_node_id WHERE g.code LIKE 'DX-CD-HP-%' LIMIT 1",
    )
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let r = app.post_as(&worker, &paper, entry(hp_resident, "fair")).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("resident_id")));
    let r = app.post_as(&worker, &paper, json!({ "ratings": [] })).await;
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["resident_id", "overall", "ratings"], "{}", r.body);
    for (who, overall) in [(reps[0], "fair"), (reps[1], "unsatisfied")] {
        let r = app.post_as(&worker, &paper, entry(who, overall)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    assert_eq!(app.post_as(&leader, &paper, entry(reps[0], "fair")).await.body["code"], "review_already_rated");

    // Publishing needs the forms counted, adding up to the paper ballots.
    let publish = format!("/api/reviews/{id}/publish");
    assert_eq!(app.post_as(&leader, &publish, json!({})).await.body["code"], "review_forms_not_counted");
    let forms = format!("/api/reviews/{id}/forms");
    let r = app.post_as(&leader, &forms, json!({ "issued": "5", "returned": "4", "void": "1" })).await;
    assert_eq!(r.body["field"], "void", "3 valid forms returned, 2 entered: {}", r.body);
    let r = app.post_as(&leader, &forms, json!({ "issued": "5", "returned": "3", "void": "1" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.post_as(&worker, &publish, json!({})).await.status, StatusCode::FORBIDDEN);
    let r = app.post_as(&leader, &publish, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let result = &r.body["result"];
    assert_eq!((result["online"].as_u64(), result["paper"].as_u64()), (Some(1), Some(2)));
    assert_eq!(result["overall"]["satisfied"], 1);
    assert_eq!(result["overall"]["satisfaction_pct"], 66, "(1 + 1) × 100 / 3");
    assert_eq!(result["dimensions"][1][1]["unsatisfied"], 2);
    assert_eq!(result["forms"]["issued"], 5);
    // Closed: no more ballots, counts or publishing.
    assert_eq!(app.post_as(&worker, &paper, entry(reps[2], "fair")).await.body["code"], "review_closed");
    assert_eq!(app.post_as(&leader, &publish, json!({})).await.body["code"], "review_closed");

    // Who rated is never joined to what was rated: the audit says the channel only.
    let details: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action IN ('review.rate', 'review.paper')")
            .fetch_all(&app.db().await)
            .await
            .unwrap();
    assert!(details.iter().all(|d| !d.contains("satisfied") && !d.contains("fair")), "{details:?}");
}

#[tokio::test]
async fn online_and_paper_at_once_count_one_and_scope_holds() {
    let app = app().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let li = app.login("resident.li").await;
    let r = app.post_as(&leader, "/api/reviews", review("并发测试")).await;
    let id = r.body["id"].as_i64().unwrap();
    let li_resident: i64 = sqlx::query_scalar("SELECT resident_id FROM accounts WHERE username = 'resident.li'")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    let (rate, paper) = (format!("/api/reviews/{id}/ballots"), format!("/api/reviews/{id}/paper"));
    let online = app.post_as(&li, &rate, ballot());
    let body = json!({ "resident_id": li_resident.to_string(), "overall": "fair", "ratings": ["fair", "fair"] });
    let on_paper = app.post_as(&worker, &paper, body);
    let (a, b) = tokio::join!(online, on_paper);
    let mut codes = [a.status, b.status];
    codes.sort();
    assert!(codes[0].is_success() && codes[1] == StatusCode::CONFLICT, "{} / {}", a.body, b.body);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_ballots WHERE review_id = $1")
        .bind(id)
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(n, 1);

    // Another community's leader reaches none of it; the demo's published review reads for all.
    let hp = app.login("leader.hp").await;
    assert_eq!(app.get_as(&hp, &format!("/api/reviews/{id}")).await.status, StatusCode::NOT_FOUND);
    let r = app
        .post_as(&hp, &format!("/api/reviews/{id}/forms"), json!({ "issued": "1", "returned": "0", "void": "0" }))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let yang = app.login("resident").await;
    let all = app.get_as(&yang, "/api/reviews").await.body;
    let done = all.as_array().unwrap().iter().find(|r| r["status"] == "published").expect("demo review");
    assert!(done["result"]["overall"]["satisfaction_pct"].as_u64().unwrap() > 50);
    // Ballots are final at the database.
    assert!(sqlx::query("DELETE FROM review_ballots").execute(&app.db().await).await.is_err());
}
