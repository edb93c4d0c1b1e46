//! The seal catalogue in layers and matters outside it, through the real
//! router: the city's administrator loads and edits editions (checked,
//! audited, in force at once without a restart), decisions record the
//! composed version, and a matter outside the catalogue is decided on the
//! general rules and judged by people with their reasons.

mod common;

use axum::http::StatusCode;
use common::{Session, TestApp};
use serde_json::{json, Value};

fn request(matter: &str, name: &str) -> Value {
    json!({
        "requester_kind": "department",
        "requester_name": "市住房和城乡建设局住房保障科",
        "requester_department": "zjj",
        "resident_name": "王秀英",
        "resident_id_number": "11010519491231002X",
        "matter": matter,
        "matter_name": name,
        "purpose": "公共租赁住房资格复核",
        "content": "兹证明王秀英同志现居住于本社区。",
        "copies": "1",
        "basis_law": "某某办法",
        "basis_article": "第十二条",
        "basis_text": "……由所在社区居民委员会协助核实。"
    })
}

fn codes(v: &Value) -> Vec<String> {
    v["refusal_reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

async fn create(app: &TestApp, s: &Session, mut body: Value, key: &str) -> common::Response {
    body["idempotency_key"] = json!(key);
    app.post_as(s, "/api/seal/requests", body).await
}

async fn load(app: &TestApp, s: &Session, layer: &Value) -> common::Response {
    app.post_bytes(s, "/api/seal/catalog/editions", "application/json", layer.to_string().into_bytes()).await
}

fn city_layer(version: &str, from: &str, matters: Value) -> Value {
    json!({ "level": "city", "region": "示范市", "version": version, "effective_from": from,
            "source": "示范市民政局〔2026〕5号", "matters": matters })
}

#[tokio::test]
async fn a_city_edition_takes_effect_at_once_and_overrides_the_province() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let worker = app.login("gridmember").await;
    // The demo province edition is in force: 转学证明 is refused by its list.
    let cat = app.get_as(&worker, "/api/seal/catalog").await.body;
    let version = cat["version"].as_str().unwrap().to_string();
    assert_eq!(version, "CN-2026.1+HB-DEMO-1");
    let transfer = cat["matters"].as_array().unwrap().iter().find(|m| m["code"] == "school_transfer").unwrap().clone();
    assert_eq!(transfer["level"], "province");
    let r = create(&app, &worker, request("school_transfer", ""), "layer-key-0000001").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(codes(&r.body), vec!["seal_local_list"]);
    assert!(r.body["refusal_reasons"][0]["message"].as_str().unwrap().contains("省级"));

    // The city says 转学证明 is the education bureau's own duty, from today.
    let today = gongzhi_domain::time::shanghai_date(chrono::Utc::now()).to_string();
    let layer = city_layer(
        "SF-2026.1",
        &today,
        json!([{ "code": "school_transfer", "name": "转学证明", "initials": "zxzm", "national_list": true,
                 "responsible_department": "zjj", "obtain_from": "就读学校" }]),
    );
    // A dry run saves nothing.
    let dry = app
        .post_bytes(
            &admin,
            "/api/seal/catalog/editions?dry_run=true",
            "application/json",
            layer.to_string().into_bytes(),
        )
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(dry.body["version_in_force"], "CN-2026.1+HB-DEMO-1+SF-2026.1");
    assert_eq!(app.get_as(&worker, "/api/seal/catalog").await.body["version"], version.as_str());
    let loaded = load(&app, &admin, &layer).await;
    assert_eq!(loaded.status, StatusCode::CREATED, "{}", loaded.body);
    assert_eq!(loaded.body["edition"]["in_force"], true);
    // In force for the next request, no restart.
    let r = create(&app, &worker, request("school_transfer", ""), "layer-key-0000002").await;
    assert_eq!(r.body["catalog_version"], "CN-2026.1+HB-DEMO-1+SF-2026.1");
    assert_eq!(codes(&r.body), vec!["seal_requester_own_duty", "seal_local_list"]);
    // The same version again: 409, nothing stored.
    let again = load(&app, &admin, &layer).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "seal_layer_version_taken");
    // A later edition is listed as pending and does not apply yet.
    let later = city_layer("SF-2027.1", "2099-01-01", json!([]));
    assert_eq!(load(&app, &admin, &later).await.status, StatusCode::CREATED);
    let page = app.get_as(&admin, "/api/seal/catalog/editions").await.body;
    let eds = page["editions"].as_array().unwrap();
    assert_eq!(eds[0]["version"], "SF-2027.1");
    assert_eq!((eds[0]["pending"].clone(), eds[0]["in_force"].clone()), (json!(true), json!(false)));
    assert_eq!(eds.last().unwrap()["level"], "national");
    assert_eq!(page["version_in_force"], "CN-2026.1+HB-DEMO-1+SF-2026.1");
    // Audited, with the version in force after.
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'seal.catalog_load' ORDER BY seq LIMIT 1")
            .fetch_one(&app.db().await)
            .await
            .unwrap();
    assert!(detail.contains("SF-2026.1") && detail.contains("sha256"), "{detail}");
}

#[tokio::test]
async fn a_bad_edition_is_refused_whole_with_every_problem_and_nothing_saved() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let layer = city_layer(
        "SF-2026.1",
        "2026-01-01",
        json!([
            { "code": "death", "name": "死亡证明", "community_duty": true,
              "suggested_basis": { "law": "某条例", "article": "第一条", "text": "……" } },
            { "code": "x", "name": "甲证明", "responsible_department": "nosuch" },
        ]),
    );
    let r = load(&app, &admin, &layer).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let problems: Vec<_> = r.body["errors"].as_array().unwrap().iter().map(|f| f["code"].clone()).collect();
    assert_eq!(problems, vec![json!("seal_layer_national_override")], "{}", r.body);
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("死亡证明"));
    // An unknown department is named too (after the layer's own checks).
    let r = load(
        &app,
        &admin,
        &city_layer(
            "SF-2026.1",
            "2026-01-01",
            json!([{ "code": "x", "name": "甲证明",
        "responsible_department": "nosuch" }]),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "responsible_department");
    let national = json!({ "level": "national", "version": "CN-9", "effective_from": "2026-01-01", "matters": [] });
    let r = load(&app, &admin, &national).await;
    assert_eq!(r.body["errors"][0]["code"], "seal_layer_national");
    let r = app.post_bytes(&admin, "/api/seal/catalog/editions", "application/json", b"{".to_vec()).await;
    assert_eq!(r.body["errors"][0]["code"], "seal_layer_not_a_layer");
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM seal_catalog_layers").fetch_one(&app.db().await).await.unwrap();
    assert_eq!(n, 1, "only the demo province edition");
}

#[tokio::test]
async fn only_the_city_administrator_keeps_the_catalogue() {
    let app = TestApp::new().await;
    let layer = city_layer("SF-2026.1", "2026-01-01", json!([]));
    for user in ["gridmember", "leader", "reviewer", "sysadmin.dx"] {
        let s = app.login(user).await;
        let r = load(&app, &s, &layer).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        assert_eq!(app.get_as(&s, "/api/seal/uncatalogued").await.status, StatusCode::FORBIDDEN, "{user}");
    }
}

#[tokio::test]
async fn the_city_form_adds_and_changes_one_entry_as_a_new_edition() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let bad = app.post_as(&admin, "/api/seal/catalog/city-matters", json!({ "kind": "community_duty" })).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let fields: Vec<_> = bad.body["errors"].as_array().unwrap().iter().map(|f| f["field"].clone()).collect();
    assert_eq!(
        fields,
        vec![json!("name"), json!("basis_law"), json!("basis_article"), json!("basis_text"), json!("source")]
    );
    let entry = json!({ "name": "房屋租赁居住情况证明", "initials": "fwzljzqkzm", "kind": "not_issued",
                        "source": "示范市民政局〔2026〕6号", "obtain_from": "由房屋出租人或住房租赁合同备案部门出具" });
    let r = app.post_as(&admin, "/api/seal/catalog/city-matters", entry.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["edition"]["version"], "city-1");
    let cat = app.get("/api/seal/catalog").await.1;
    let m = cat["matters"].as_array().unwrap().iter().find(|m| m["name"] == "房屋租赁居住情况证明").unwrap().clone();
    assert_eq!((m["code"].clone(), m["level"].clone()), (json!("city_fwzljzqkzm"), json!("city")));
    // The same name again changes that entry, in the next edition.
    let mut changed = entry.clone();
    changed["kind"] = json!("department_duty");
    changed["responsible_department"] = json!("zjj");
    let r = app.post_as(&admin, "/api/seal/catalog/city-matters", changed).await;
    assert_eq!(r.body["edition"]["version"], "city-2");
    assert_eq!(r.body["edition"]["matters"], 1);
    let cat = app.get("/api/seal/catalog").await.1;
    let m = cat["matters"].as_array().unwrap().iter().find(|m| m["name"] == "房屋租赁居住情况证明").unwrap().clone();
    assert_eq!(m["responsible_department"], "zjj");
    // The audit trail says who changed what.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'seal.catalog_city_matter'")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn a_matter_outside_the_catalogue_is_judged_with_reasons_and_listed_for_the_city() {
    let app = TestApp::new().await;
    let worker = app.login("gridmember").await;
    let leader = app.login("leader").await;
    let admin = app.login("sysadmin").await;
    // No article: refused on the general rules.
    let mut bare = request("", "独生子女家庭情况证明");
    bare["basis_article"] = json!("");
    let r = create(&app, &worker, bare, "uncat-key-000001").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.body["status"].clone(), r.body["uncatalogued"].clone()), (json!("refused"), json!(true)));
    assert_eq!(codes(&r.body), vec!["seal_no_article"]);
    // The worker finds it is the requester's own duty: refused.
    let mut own = request("", "独生子女家庭情况证明");
    own["requester_own_duty"] = json!(true);
    let r = create(&app, &worker, own, "uncat-key-000002").await;
    assert_eq!(codes(&r.body), vec!["seal_requester_own_duty"]);
    // An article cited: passed on, and each step needs its reason.
    let r = create(&app, &worker, request("", "独生子女家庭情况证明"), "uncat-key-000003").await;
    assert_eq!(r.body["status"], "submitted", "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let no_reason = app.post_as(&worker, &format!("/api/seal/requests/{id}/review"), json!({})).await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert_eq!(no_reason.body["errors"][0]["field"], "note");
    assert!(no_reason.body["errors"][0]["message"].as_str().unwrap().contains("判断理由"));
    let reviewed = app
        .post_as(&worker, &format!("/api/seal/requests/{id}/review"), json!({ "note": "所引条款明确要求社区协助核实" }))
        .await;
    assert_eq!(reviewed.body["review_note"], "所引条款明确要求社区协助核实", "{}", reviewed.body);
    let no_reason = app.post_as(&leader, &format!("/api/seal/requests/{id}/approve"), json!({ "note": " " })).await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let approved =
        app.post_as(&leader, &format!("/api/seal/requests/{id}/approve"), json!({ "note": "同意,条款有据" })).await;
    assert_eq!(approved.body["status"], "approved", "{}", approved.body);
    assert_eq!(approved.body["approve_note"], "同意,条款有据");
    // A catalogued request is reviewed without a reason, as before (no body at all).
    let r = create(&app, &worker, request("assistance_household_check", ""), "uncat-key-000004").await;
    let id = r.body["id"].as_i64().unwrap();
    let reviewed =
        app.send(axum::http::Method::POST, &format!("/api/seal/requests/{id}/review"), None, Some(&worker)).await;
    assert_eq!(reviewed.body["status"], "reviewed", "{}", reviewed.body);

    // The city sees what was asked for outside its catalogue.
    let list = app.get_as(&admin, "/api/seal/uncatalogued").await.body;
    let names: Vec<_> = list.as_array().unwrap().iter().map(|m| (m["name"].clone(), m["requests"].clone())).collect();
    assert_eq!(names[0], (json!("独生子女家庭情况证明"), json!(3)));
    assert!(names.iter().any(|(n, _)| n == "房屋租赁居住情况证明"), "the demo request: {list}");
    // Once the city adds it, it leaves the list, and the name finds the matter.
    let entry = json!({ "name": "独生子女家庭情况证明", "kind": "department_duty", "responsible_department": "wjw",
                        "source": "示范市卫健委〔2026〕1号" });
    assert_eq!(app.post_as(&admin, "/api/seal/catalog/city-matters", entry).await.status, StatusCode::CREATED);
    let list = app.get_as(&admin, "/api/seal/uncatalogued").await.body;
    assert!(!list.as_array().unwrap().iter().any(|m| m["name"] == "独生子女家庭情况证明"));
    let r = create(&app, &worker, request("", "独生子女家庭情况证明"), "uncat-key-000005").await;
    assert_eq!(r.body["uncatalogued"], false);
    assert!(r.body["matter_code"].as_str().unwrap().starts_with("city"), "{}", r.body);
}

#[tokio::test]
async fn the_city_form_edits_todays_catalogue_even_with_an_edition_pending() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let pending =
        city_layer("city-2", "2099-01-01", json!([{ "code": "later", "name": "某项将来证明", "national_list": true }]));
    assert_eq!(load(&app, &admin, &pending).await.status, StatusCode::CREATED);
    let entry = json!({ "name": "甲类证明", "kind": "not_issued", "source": "示范市民政局〔2026〕7号" });
    let r = app.post_as(&admin, "/api/seal/catalog/city-matters", entry).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // city-2 is taken by the loaded file: the next free number.
    assert_eq!(r.body["edition"]["version"], "city-3");
    assert_eq!(r.body["edition"]["in_force"], true);
    assert_eq!(r.body["edition"]["matters"], 1, "today's city catalogue (none) and this entry, not the pending one");
    let cat = app.get("/api/seal/catalog").await.1;
    assert!(cat["matters"].as_array().unwrap().iter().any(|m| m["name"] == "甲类证明"));
    assert!(!cat["matters"].as_array().unwrap().iter().any(|m| m["code"] == "later"));
}
