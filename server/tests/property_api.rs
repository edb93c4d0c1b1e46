//! Property management joint building (社区物业党建联建) through the real
//! router: companies and estates registered and edited by the leader within
//! their community (versions, unique keys, grids of another community
//! refused by field), complaints of the property category linked once to the
//! company concerned, joint meetings as consultation meetings, and the
//! yearly satisfaction rating by the residents of the company's estates —
//! one ballot per resident across online and paper, 404 for everyone else.

mod common;

use axum::http::{Method, StatusCode};
use chrono::Utc;
use common::{Session, TestApp};
use serde_json::{json, Value};

/// The demo as of 2026-12-02 (Asia/Shanghai), whenever the test runs.
async fn app() -> TestApp {
    TestApp::with_setup(|c| c.today = Some("2026-12-02".parse().unwrap())).await
}

async fn put(app: &TestApp, who: &Session, uri: &str, body: Value) -> common::Response {
    app.send(Method::PUT, uri, Some(body), Some(who)).await
}

fn company(name: &str, code: &str) -> Value {
    json!({ "name": name, "credit_code": code, "contact": "赵强", "phone": "13907940001",
        "party_org": "none", "party_members": "0", "agreement_on": "" })
}

fn estate(name: &str, grids: &[i64]) -> Value {
    let grids: Vec<String> = grids.iter().map(|g| g.to_string()).collect();
    json!({ "name": name, "grids": grids, "households": "120", "served_since": "2024-01-01",
        "owners_committee": false })
}

/// The demo company named `name`, as `who` lists it.
async fn listed(app: &TestApp, who: &Session, name: &str) -> Value {
    let all = app.get_as(who, "/api/property/companies").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    all.body.as_array().unwrap().iter().find(|c| c["name"] == name).cloned().unwrap_or(Value::Null)
}

async fn scalar(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(&app.db().await).await.unwrap()
}

/// A resident of a household in grid `code`, not behind an account.
async fn resident_of_grid(app: &TestApp, code: &str, nth: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN households h ON h.id = r.household_id JOIN org_nodes g ON g.id = h.grid_id
         WHERE g.code = $1 AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL)
           AND r.id NOT IN (SELECT resident_id FROM review_voters)
         ORDER BY r.id LIMIT 1 OFFSET $2",
    )
    .bind(code)
    .bind(nth)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_demo_reads_for_the_community_and_its_reviewers() {
    let app = app().await;
    let leader = app.login("leader").await;
    let yang = app.login("resident").await;

    let c = listed(&app, &leader, "幸福物业服务有限公司").await;
    assert_eq!((c["party_org"].as_str(), c["party_org_label"].as_str()), (Some("joint_branch"), Some("联合党支部")));
    assert_eq!(c["phone"], "07948261234");
    assert_eq!(c["can_manage"], true);
    let e = &c["estates"][0];
    assert_eq!(e["name"], "幸福里");
    let grids: Vec<&str> = e["grids"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(grids, ["幸福社区第一网格", "幸福社区第二网格"]);
    assert_eq!((e["committee_state"].as_str(), e["committee_term_ended"].as_bool()), (Some("serving"), Some(false)));
    assert_eq!((c["complaints"]["open"].as_u64(), c["complaints"]["closed"].as_u64()), (Some(1), Some(1)));
    assert_eq!(c["complaints"]["year"], 2026);
    assert_eq!(c["ratings"].as_array().unwrap().len(), 2, "last year's published, this year's open");
    let joint = &c["joint_meetings"][0];
    assert_eq!(joint["status"], "held");
    assert!(joint["resolution"].as_str().unwrap().contains("电梯"));

    // The second company's owners' committee is past its term: flagged.
    let anju = listed(&app, &leader, "安居物业管理有限公司").await;
    assert_eq!(anju["estates"][0]["committee_state"], "expired");
    assert_eq!(anju["estates"][0]["committee_term_ended"], true);

    // A resident reads the same: the rating still open too (the estates'
    // residents rate from here), without a result until it is published.
    let c = listed(&app, &yang, "幸福物业服务有限公司").await;
    assert_eq!((c["can_manage"].as_bool(), c["can_link"].as_bool()), (Some(false), Some(false)));
    let ratings = c["ratings"].as_array().unwrap();
    assert_eq!(ratings.len(), 2);
    let published = ratings.iter().find(|r| r["status"] == "published").unwrap();
    assert!(published["satisfaction_pct"].as_u64().unwrap() > 50, "{published}");
    let open = ratings.iter().find(|r| r["status"] == "open").unwrap();
    assert!(open["satisfaction_pct"].is_null(), "{open}");
    assert_eq!(c["estates"][0]["committee_chair"], "刘卫东");
    // The street's reviewers read it; another community's leader does not.
    let dx = app.login("reviewer.dx").await;
    assert!(listed(&app, &dx, "幸福物业服务有限公司").await.is_object());
    let hp = app.login("leader.hp").await;
    assert!(listed(&app, &hp, "幸福物业服务有限公司").await.is_null());
    let id = c["id"].as_i64().unwrap();
    assert_eq!(app.get_as(&hp, &format!("/api/property/companies/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get_as(&app.login("finance").await, "/api/property/companies").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_leader_registers_and_edits_within_the_community() {
    let app = app().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let hp = app.login("leader.hp").await;

    // Only the leader; every problem at once, by field; the check character counts.
    let body = company("和顺物业有限公司", "91361021MA398TC4X3");
    assert_eq!(app.post_as(&worker, "/api/property/companies", body.clone()).await.status, StatusCode::FORBIDDEN);
    let r = app
        .post_as(
            &leader,
            "/api/property/companies",
            json!({ "credit_code": "91361021MA398TC4X4", "party_org": "own_branch", "party_members": "1" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "credit_code", "contact", "phone", "party_members"], "{}", r.body);
    assert!(r.body["errors"][1]["message"].as_str().unwrap().contains("校验码"), "{}", r.body);
    // A name its rating's title could not hold (14 characters are added).
    let mut long = body.clone();
    long["name"] = json!("长".repeat(47));
    let r = app.post_as(&leader, "/api/property/companies", long).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("name")), "{}", r.body);
    let r = app.post_as(&leader, "/api/property/companies", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!((r.body["version"].as_i64(), r.body["community_name"].as_str()), (Some(1), Some("幸福社区")));
    // The same code again (a retried form): the unique key decides.
    let r = app.post_as(&leader, "/api/property/companies", body.clone()).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("property_company_exists")));
    // Another community may register the same company for its own estates.
    assert_eq!(app.post_as(&hp, "/api/property/companies", body.clone()).await.status, StatusCode::CREATED);

    // Edits name the version they read.
    let path = format!("/api/property/companies/{id}");
    let mut edit = body.clone();
    edit["party_org"] = json!("own_branch");
    edit["party_members"] = json!("4");
    edit["version"] = json!(1);
    let r = put(&app, &leader, &path, edit.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["version"].as_i64(), r.body["party_org_label"].as_str()), (Some(2), Some("独立党支部")));
    let r = put(&app, &leader, &path, edit.clone()).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("property_changed")));
    let mut taken = edit.clone();
    taken["credit_code"] = json!("91361021MA35F8KQ2M");
    taken["version"] = json!(2);
    assert_eq!(put(&app, &leader, &path, taken).await.body["code"], "property_company_exists");
    assert_eq!(put(&app, &hp, &path, edit.clone()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(put(&app, &worker, &path, edit).await.status, StatusCode::FORBIDDEN);
    // None yet with three members: flagged.
    let mut none = body.clone();
    none["party_members"] = json!("3");
    none["version"] = json!(2);
    assert_eq!(put(&app, &leader, &path, none).await.body["branch_due"], true);

    // Estates cover grids of the company's community only: 422 by field.
    let (g3, g4, hp1) =
        (app.node_id("DX-CD-XF-03").await, app.node_id("DX-CD-XF-04").await, app.node_id("DX-CD-HP-01").await);
    let estates = format!("{path}/estates");
    let r = app.post_as(&leader, &estates, estate("和顺园", &[g3, hp1])).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("grids")), "{}", r.body);
    // A grid another company's estate covers (幸福里's): its residents rate
    // that company, so it is refused.
    let g1 = app.node_id("DX-CD-XF-01").await;
    let r = app.post_as(&leader, &estates, estate("和顺园", &[g3, g1])).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("property_grid_served_elsewhere")));
    let r = app.post_as(&leader, &estates, json!({ "name": "和顺园", "grids": [], "households": "0" })).await;
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["grids", "households", "served_since"], "{}", r.body);
    let r = app.post_as(&leader, &estates, estate("和顺园", &[g3])).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let e = &r.body["estates"][0];
    assert_eq!((e["committee_state"].as_str(), e["version"].as_i64()), (Some("none"), Some(1)));
    let eid = e["id"].as_i64().unwrap();
    assert_eq!(app.post_as(&leader, &estates, estate("和顺园", &[g4])).await.body["code"], "property_estate_exists");
    assert_eq!(app.post_as(&hp, &estates, estate("x", &[hp1])).await.status, StatusCode::NOT_FOUND);

    // The owners' committee is elected, then its term ends: flagged.
    let epath = format!("/api/property/estates/{eid}");
    let mut update = estate("和顺园", &[g3, g4]);
    update["version"] = json!(1);
    update["owners_committee"] = json!(true);
    let r = put(&app, &leader, &epath, update.clone()).await;
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["committee_chair", "committee_term_ends"], "{}", r.body);
    update["committee_chair"] = json!("孙海");
    update["committee_term_ends"] = json!("2026-11-30");
    let r = put(&app, &leader, &epath, update.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let e = &r.body["estates"][0];
    assert_eq!(e["grids"].as_array().unwrap().len(), 2);
    assert_eq!(
        (e["committee_state_label"].as_str(), e["committee_term_ended"].as_bool()),
        (Some("任期已届满,待换届"), Some(true))
    );
    assert_eq!(put(&app, &leader, &epath, update.clone()).await.body["code"], "property_changed");
    update["version"] = json!(2);
    update["grids"] = json!([hp1.to_string()]);
    assert_eq!(put(&app, &leader, &epath, update.clone()).await.body["field"], "grids");
    assert_eq!(put(&app, &hp, &epath, update).await.status, StatusCode::NOT_FOUND);

    // Every write is audited.
    let n =
        scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE action LIKE $1 AND outcome = 'success'", "property.%").await;
    assert_eq!(n, 6, "two companies, two edits, an estate, its edit");
}

#[tokio::test]
async fn complaints_of_the_property_category_are_linked_once() {
    let app = app().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let yang = app.login("resident").await;
    let xingfu = listed(&app, &leader, "幸福物业服务有限公司").await["id"].as_i64().unwrap();
    let anju = listed(&app, &leader, "安居物业管理有限公司").await["id"].as_i64().unwrap();

    // A resident's complaint, reported by the grid member in grid 01.
    let report = json!({ "idempotency_key": "property-complaint-0001", "category": "property",
        "description": "居民反映 2 栋楼道灯坏了半个月,物业一直未修", "lon": 116.6010, "lat": 28.2405,
        "reported_at": Utc::now().to_rfc3339() });
    let r = app.post_as(&worker, "/api/events", report).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let event = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["category_label"], "物业服务投诉", "{}", r.body);

    let link = |c: i64| format!("/api/property/companies/{c}/complaints");
    assert_eq!(
        app.post_as(&yang, &link(xingfu), json!({ "event_id": event.to_string() })).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.post_as(&worker, &link(xingfu), json!({})).await.body["field"], "event_id");
    let r = app.post_as(&worker, &link(xingfu), json!({ "event_id": event.to_string() })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["complaints"]["open"], 2);
    // Again (a retry): already linked, nothing more.
    let r = app.post_as(&leader, &link(xingfu), json!({ "event_id": event.to_string() })).await;
    assert_eq!((r.status, r.body["complaints"]["open"].as_u64()), (StatusCode::OK, Some(2)));
    let r = app.post_as(&leader, &link(anju), json!({ "event_id": event.to_string() })).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (StatusCode::CONFLICT, Some("property_complaint_linked_elsewhere"))
    );
    let n = scalar(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND outcome = 'success'",
        "property.complaint_link",
    )
    .await;
    assert_eq!(n, 1);

    // Another category: 422; outside the caller's reach: 404.
    let other = scalar(&app, "SELECT id FROM events WHERE category = $1 ORDER BY id LIMIT 1", "environment").await;
    let r = app.post_as(&leader, &link(xingfu), json!({ "event_id": other.to_string() })).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("property_not_a_complaint"))
    );
    let hp_event = scalar(
        &app,
        "SELECT e.id FROM events e JOIN org_nodes c ON c.id = e.community_id WHERE c.code = $1",
        "DX-CD-HP",
    )
    .await;
    let r = app.post_as(&leader, &link(xingfu), json!({ "event_id": hp_event.to_string() })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.post_as(&leader, &link(xingfu), json!({ "event_id": "999999" })).await.status,
        StatusCode::NOT_FOUND
    );
    let hp = app.login("leader.hp").await;
    let r = app.post_as(&hp, &link(xingfu), json!({ "event_id": event.to_string() })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Links are final at the database.
    assert!(sqlx::query("DELETE FROM property_complaints").execute(&app.db().await).await.is_err());
}

#[tokio::test]
async fn joint_meetings_are_consultation_meetings_of_the_three_parties() {
    let app = app().await;
    let leader = app.login("leader").await;
    let r = app
        .post_as(
            &leader,
            "/api/consultation/matters",
            json!({ "kind": "affair", "title": "安居苑业委会换届筹备",
            "description": "业委会任期已届满,需商定换届选举筹备工作。", "parties": "" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let path = format!("/api/consultation/matters/{}/meetings", r.body["matter"]["id"]);
    let mut joint = json!({ "kind": "joint", "date": "2026-12-10", "time": "15:00", "place": "社区会议室",
        "invited": [{ "kind": "property", "name": "安居物业管理有限公司" }] });
    let r = app.post_as(&leader, &path, joint.clone()).await;
    assert_eq!(r.body["field"], "invited", "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("业主委员会"));
    joint["invited"].as_array_mut().unwrap().push(json!({ "kind": "owners_committee", "name": "安居苑业主委员会" }));
    let r = app.post_as(&leader, &path, joint).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["meetings"].as_array().unwrap().last().unwrap()["kind_label"], "物业联席会议");
    // The company's page lists it.
    let anju = listed(&app, &leader, "安居物业管理有限公司").await;
    assert_eq!(anju["joint_meetings"][0]["status"], "planned", "{anju}");
}

#[tokio::test]
async fn the_yearly_rating_is_by_the_estates_residents_once_each() {
    let app = app().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let yang = app.login("resident").await;
    let zhou = app.login("resident.zhou").await;
    let anju = listed(&app, &leader, "安居物业管理有限公司").await["id"].as_i64().unwrap();

    // The leader opens this year's, once; others may not.
    let ratings = format!("/api/property/companies/{anju}/ratings");
    let body = json!({ "year": "2026", "report": "全年受理报修 312 件。", "until": "2026-12-31" });
    assert_eq!(app.post_as(&worker, &ratings, body.clone()).await.status, StatusCode::FORBIDDEN);
    let r = app.post_as(&leader, &ratings, json!({ "year": "2020" })).await;
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["year", "report", "until"], "{}", r.body);
    let r = app.post_as(&leader, &ratings, body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!((r.body["raters"].as_str(), r.body["rating_year"].as_i64()), (Some("estate_residents"), Some(2026)));
    assert_eq!(r.body["title"], "2026 年度安居物业管理有限公司服务满意度测评");
    assert_eq!(r.body["dimensions"].as_array().unwrap().len(), 5);
    let r = app.post_as(&leader, &ratings, body.clone()).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("property_rating_exists")));
    // While it is open, who rates stays: no new estate, no grid moved; other
    // edits of an estate go on.
    let anju_now = listed(&app, &leader, "安居物业管理有限公司").await;
    let e = &anju_now["estates"][0];
    let g6 = app.node_id("DX-CD-XF-06").await;
    let r = app.post_as(&leader, &format!("/api/property/companies/{anju}/estates"), estate("安居二期", &[g6])).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("property_rating_open")), "{}", r.body);
    let grids: Vec<i64> = e["grids"].as_array().unwrap().iter().map(|g| g["id"].as_i64().unwrap()).collect();
    let epath = format!("/api/property/estates/{}", e["id"]);
    let mut moved = estate("安居苑", &[grids[0], g6]);
    moved["version"] = e["version"].clone();
    let r = put(&app, &leader, &epath, moved).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("property_rating_open")), "{}", r.body);
    let mut same = estate("安居苑", &grids);
    same["version"] = e["version"].clone();
    same["households"] = json!("262");
    let r = put(&app, &leader, &epath, same).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.post_as(&app.login("leader.hp").await, &ratings, body).await.status, StatusCode::NOT_FOUND);

    // 周秀梅 lives in 安居苑: she rates once. 杨桂兰 lives in 幸福里: 404.
    let review = format!("/api/reviews/{id}");
    let ballot = json!({ "overall": "fair", "ratings": ["satisfied", "fair", "fair", "unsatisfied", "satisfied"] });
    assert_eq!(app.get_as(&zhou, &review).await.body["rated"], false);
    assert_eq!(app.get_as(&yang, &review).await.body["rated"], Value::Null);
    let r = app.post_as(&zhou, &format!("{review}/ballots"), ballot.clone()).await;
    assert_eq!((r.status, r.body["rated"].as_bool()), (StatusCode::OK, Some(true)), "{}", r.body);
    let r = app.post_as(&zhou, &format!("{review}/ballots"), ballot.clone()).await;
    assert_eq!(r.body["code"], "review_already_rated");
    assert_eq!(app.post_as(&yang, &format!("{review}/ballots"), ballot.clone()).await.status, StatusCode::NOT_FOUND);

    // Paper forms by staff: the estate's residents only, once across channels.
    let paper = format!("{review}/paper");
    let entry = |who: i64| {
        let mut b = ballot.clone();
        b["resident_id"] = json!(who.to_string());
        b
    };
    let zhou_resident = scalar(&app, "SELECT resident_id FROM accounts WHERE username = $1", "resident.zhou").await;
    assert_eq!(app.post_as(&worker, &paper, entry(zhou_resident)).await.body["code"], "review_already_rated");
    let outside = resident_of_grid(&app, "DX-CD-XF-01", 0).await;
    let r = app.post_as(&worker, &paper, entry(outside)).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("resident_id")));
    assert!(r.body["message"].as_str().unwrap().contains("居民名册编号"), "{}", r.body);
    let inside = resident_of_grid(&app, "DX-CD-XF-05", 3).await;
    assert_eq!(app.post_as(&worker, &paper, entry(inside)).await.status, StatusCode::CREATED);

    // A resident of another community reaches none of it.
    let hp_resident = resident_of_grid(&app, "DX-CD-HP-01", 0).await;
    sqlx::query("UPDATE accounts SET resident_id = $1, org_node_id = $2 WHERE username = 'resident.li'")
        .bind(hp_resident)
        .bind(app.node_id("DX-CD-HP").await)
        .execute(&app.db().await)
        .await
        .unwrap();
    let li = app.login("resident.li").await;
    assert_eq!(app.get_as(&li, &review).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post_as(&li, &format!("{review}/ballots"), ballot.clone()).await.status, StatusCode::NOT_FOUND);
    assert!(listed(&app, &li, "安居物业管理有限公司").await.is_null());

    // Counted and published like any review; the company's page shows it.
    let r =
        app.post_as(&leader, &format!("{review}/forms"), json!({ "issued": "3", "returned": "2", "void": "1" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.post_as(&leader, &format!("{review}/publish"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["result"]["online"].as_u64(), r.body["result"]["paper"].as_u64()), (Some(1), Some(1)));
    let c = listed(&app, &zhou, "安居物业管理有限公司").await;
    assert_eq!(c["ratings"][0]["status"], "published");
    assert_eq!(c["ratings"][0]["satisfaction_pct"], 100);

    // The demo's open rating of 幸福物业: 杨桂兰 rates it, 周秀梅 may not.
    let xingfu = listed(&app, &leader, "幸福物业服务有限公司").await;
    let open =
        xingfu["ratings"].as_array().unwrap().iter().find(|r| r["status"] == "open").unwrap()["review_id"].clone();
    let r = app.post_as(&yang, &format!("/api/reviews/{open}/ballots"), ballot.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.post_as(&zhou, &format!("/api/reviews/{open}/ballots"), ballot).await.status, StatusCode::NOT_FOUND);

    // A company without estates has nobody to rate it.
    let r = app.post_as(&leader, "/api/property/companies", company("新和物业有限公司", "91361021MA398TC4X3")).await;
    let fresh = r.body["id"].as_i64().unwrap();
    let r = app
        .post_as(
            &leader,
            &format!("/api/property/companies/{fresh}/ratings"),
            json!({ "year": "2026", "report": "r", "until": "2026-12-31" }),
        )
        .await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("property_no_estates")));
}
