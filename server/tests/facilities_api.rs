//! Community facilities (社区设施布点, 四同步) through the real router: the
//! four steps with their signers, no handover without the three acceptance
//! sign-offs, two sign-offs at once, scope, the shortfall after a rented room,
//! standards as versioned data, and the export.

mod common;

use axum::http::{Method, StatusCode};
use common::{Session, TestApp};
use serde_json::{json, Value};

async fn project_by_name(app: &TestApp, s: &Session, name: &str) -> Value {
    let d = app.get_as(s, "/api/facilities").await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    d.body["projects"].as_array().unwrap().iter().find(|p| p["name"] == name).cloned().unwrap_or(Value::Null)
}

fn sign_off(kind: &str) -> Value {
    json!({ "kind": kind, "signed_on": "2026-11-30", "evidence": "会签意见书" })
}

async fn sign(app: &TestApp, s: &Session, id: i64, body: Value) -> common::Response {
    app.post_as(s, &format!("/api/facilities/projects/{id}/sign-offs"), body).await
}

fn community_id(dashboard: &Value, name: &str) -> i64 {
    dashboard["communities"].as_array().unwrap().iter().find(|c| c["community_name"] == name).unwrap()["community_id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_project_goes_through_the_four_steps_and_handover_waits_for_all_three_acceptances() {
    let app = TestApp::new().await;
    let reviewer = app.login("reviewer").await; // 民政
    let zrzyj = app.login("applicant.zrzyj").await; // 自然资源
    let zjj = app.login("applicant.zjj").await; // 住建
    let leader = app.login("leader").await; // 幸福社区
    let rsj = app.login("applicant").await; // 人社局: signs nothing here

    let d = app.get_as(&reviewer, "/api/facilities").await;
    let xf = community_id(&d.body, "幸福社区");
    let mut input = json!({
        "community_id": xf.to_string(), "name": "", "developer": "示范置业", "households": "1200", "phases": "2",
        "service_area": "360", "elderly_area": "abc", "floor": "1", "own_entrance": true,
        "planning_due": "2026-12-31", "construction_due": "2027-06-30", "acceptance_due": "2027-09-30",
        "handover_due": "2027-10-31"
    });
    let r = app.post_as(&reviewer, "/api/facilities/projects", input.clone()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "elderly_area"]);
    assert_eq!(r.body["message"], "请填写项目名称。");
    input["name"] = json!("江景苑");
    input["elderly_area"] = json!("360");
    // Only reviewers register projects.
    assert_eq!(app.post_as(&zrzyj, "/api/facilities/projects", input.clone()).await.status, StatusCode::FORBIDDEN);
    let r = app.post_as(&reviewer, "/api/facilities/projects", input).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["summary"]["id"].as_i64().unwrap();
    assert_eq!(r.body["summary"]["step"], "planning");
    assert_eq!(r.body["required_service"], "360");
    assert_eq!(r.body["standard_version"], "完整社区建设指南(2022)及省养老服务设施配建规定");

    // 自然资源's dashboard lists what waits for it.
    let d = app.get_as(&zrzyj, "/api/facilities").await;
    assert_eq!(d.body["signs_as"], "自然资源部门");
    assert!(d.body["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["project_id"] == id && w["kind"] == "land_conditions"));

    // The wrong department cannot sign, nor one that signs nothing.
    let r = sign(&app, &zjj, id, sign_off("land_conditions")).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::FORBIDDEN, Some("facility_not_the_signer")));
    assert_eq!(r.body["message"], "该项须由自然资源部门签字,您所在单位不能代签。");
    assert_eq!(sign(&app, &rsj, id, sign_off("land_conditions")).await.status, StatusCode::FORBIDDEN);
    // Out of order: construction before planning.
    let built = json!({ "kind": "built", "signed_on": "2026-11-30", "evidence": "竣工", "built_service_area": "360",
        "built_elderly_area": "360", "housing_share_pct": "40" });
    let r = sign(&app, &zjj, id, built.clone()).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("facility_step_not_reached")));

    assert_eq!(sign(&app, &zrzyj, id, sign_off("land_conditions")).await.status, StatusCode::OK);
    let r = sign(&app, &zrzyj, id, sign_off("land_conditions")).await;
    assert_eq!(r.body["code"], "facility_already_signed");
    assert_eq!(sign(&app, &reviewer, id, sign_off("design_consulted")).await.status, StatusCode::OK);
    // The construction sign-off asks for the built areas.
    let r = sign(&app, &zjj, id, sign_off("built")).await;
    assert_eq!(r.body["field"], "built_service_area");
    let r = sign(&app, &zjj, id, built).await;
    assert_eq!(r.body["summary"]["step"], "acceptance", "{}", r.body);
    assert_eq!(r.body["built_service"], "360");
    assert_eq!(sign(&app, &zrzyj, id, sign_off("accept_natural_resources")).await.status, StatusCode::OK);
    let r = sign(&app, &zjj, id, sign_off("accept_housing")).await;
    assert_eq!(r.body["summary"]["waiting_for"], json!(["民政部门"]));

    // 民政 has not signed: the receiving community cannot take the rooms over.
    let file = app.get_as(&leader, &format!("/api/facilities/projects/{id}")).await;
    let handover = &file.body["steps"][3]["sign_offs"][0];
    assert_eq!((handover["kind"].as_str(), handover["can_sign"].as_bool()), (Some("handover_agreement"), Some(false)));
    assert!(handover["blocked"].as_str().unwrap().contains("民政部门"), "{handover}");
    let r = sign(&app, &leader, id, sign_off("handover_agreement")).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("facility_acceptance_incomplete")));
    assert_eq!(
        r.body["message"],
        "验收尚缺民政部门的签字。自然资源、住房城乡建设、民政三个部门全部签字验收后,才能移交。"
    );
    let r = sign(&app, &zrzyj, id, sign_off("property_registered")).await;
    assert_eq!(r.body["code"], "facility_acceptance_incomplete");

    let r = sign(&app, &reviewer, id, sign_off("accept_civil_affairs")).await;
    assert_eq!(r.body["summary"]["step"], "handover");
    assert!(r.body["summary"]["flags"].as_array().unwrap().iter().any(|f| f["code"] == "accepted_not_handed_over"));
    let r = sign(&app, &leader, id, sign_off("in_use")).await;
    assert_eq!(r.body["code"], "facility_in_use_before_handover");
    assert_eq!(sign(&app, &leader, id, sign_off("handover_agreement")).await.status, StatusCode::OK);
    assert_eq!(sign(&app, &zrzyj, id, sign_off("property_registered")).await.status, StatusCode::OK);
    let r = sign(&app, &leader, id, sign_off("in_use")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["summary"]["step"].clone(), r.body["summary"]["step_label"].clone()),
        (Value::Null, json!("已交付使用"))
    );
    assert_eq!(r.body["steps"][3]["done_on"], "2026-11-30");
    assert_eq!(r.body["steps"][3]["sign_offs"][0]["signed"]["unit"], "幸福社区");

    // Every sign-off is on the audit trail; none can be changed at the database.
    let db = app.db().await;
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'facility.sign_off' AND outcome = 'success' AND object = $1",
    )
    .bind(format!("facility_project:{id}"))
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(audited, 9);
    assert!(sqlx::query("UPDATE facility_sign_offs SET evidence = 'x'").execute(&db).await.is_err());
    assert!(sqlx::query("DELETE FROM facility_sign_offs").execute(&db).await.is_err());
}

#[tokio::test]
async fn two_acceptances_at_once_record_one() {
    let app = TestApp::new().await;
    let reviewer = app.login("reviewer").await;
    let p = project_by_name(&app, &reviewer, "锦绣华庭").await;
    let id = p["id"].as_i64().unwrap();
    assert_eq!(p["waiting_for"], json!(["民政部门"]));
    let (a, b) = tokio::join!(
        sign(&app, &reviewer, id, sign_off("accept_civil_affairs")),
        sign(&app, &reviewer, id, sign_off("accept_civil_affairs"))
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    let db = app.db().await;
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM facility_sign_offs WHERE project_id = $1 AND kind = 'accept_civil_affairs'",
    )
    .bind(id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn the_demo_shows_every_step_and_flag() {
    let app = TestApp::new().await;
    let reviewer = app.login("reviewer").await;
    let d = app.get_as(&reviewer, "/api/facilities").await;
    let projects = d.body["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 8);
    let flags = |name: &str| -> Vec<String> {
        let p = projects.iter().find(|p| p["name"] == name).unwrap();
        p["flags"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(flags("滨江花园一期"), Vec::<String>::new());
    assert_eq!(flags("幸福里北区"), ["handed_over_not_in_use"]);
    assert_eq!(flags("和平新苑"), ["accepted_not_handed_over"]);
    assert_eq!(flags("翠湖湾"), ["step_late"]);
    assert!(flags("长青雅居").contains(&"area_short".to_string()));
    assert!(flags("东门学府").contains(&"siting".to_string()));
    let steps: Vec<(String, u64)> = d.body["by_step"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["step"].as_str().unwrap().to_string(), s["projects"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [("planning".into(), 2), ("construction".into(), 2), ("acceptance".into(), 1), ("handover".into(), 2)]
    );
    let below: Vec<&str> = d.body["communities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["below_standard"] == true)
        .map(|c| c["community_name"].as_str().unwrap())
        .collect();
    assert_eq!(below, ["幸福社区", "长青社区", "创新社区"]);
    // The map draws the communities with outlines and the placed projects.
    assert_eq!(d.body["map"]["areas"].as_array().unwrap().len(), 2);
    assert_eq!(d.body["map"]["points"].as_array().unwrap().len(), 5);
    assert!(d.body["map"]["areas"][0]["path"].as_str().unwrap().starts_with('M'));
}

#[tokio::test]
async fn renting_a_room_closes_the_shortfall_and_scope_holds() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await; // 幸福社区
    let reviewer = app.login("reviewer").await;
    let d = app.get_as(&reviewer, "/api/facilities").await;
    let (xf, hp) = (community_id(&d.body, "幸福社区"), community_id(&d.body, "和平社区"));
    let c = app.get_as(&leader, &format!("/api/facilities/communities/{xf}")).await;
    assert_eq!(c.body["community"]["shortfalls"][0]["short"], "146", "{}", c.body);
    assert_eq!(c.body["can_edit"], true);
    let room = json!({ "room_use": "service", "name": "幸福里 5 栋底商", "area": "150", "tenure": "rented", "floor": "1",
        "own_entrance": true, "since": "2026-11-01" });
    let r = app.post_as(&leader, &format!("/api/facilities/communities/{xf}/rooms"), json!({ "area": "-3" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 6);
    let r = app.post_as(&leader, &format!("/api/facilities/communities/{xf}/rooms"), room.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["community"]["shortfalls"][0]["short"], "0");
    assert_eq!(r.body["community"]["shortfalls"][0]["provided"], "550");
    // The other community is out of the leader's scope: 404, and nothing stored.
    assert_eq!(app.get_as(&leader, &format!("/api/facilities/communities/{hp}")).await.status, StatusCode::NOT_FOUND);
    let r = app.post_as(&leader, &format!("/api/facilities/communities/{hp}/rooms"), room).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Nor can the leader see the other community's projects.
    let mine = app.get_as(&leader, "/api/facilities").await;
    assert!(mine.body["projects"].as_array().unwrap().iter().all(|p| p["community_name"] == "幸福社区"));
    let other = project_by_name(&app, &reviewer, "和平新苑").await["id"].as_i64().unwrap();
    assert_eq!(app.get_as(&leader, &format!("/api/facilities/projects/{other}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(sign(&app, &leader, other, sign_off("handover_agreement")).await.status, StatusCode::NOT_FOUND);
    // A grid member reads none of it.
    let gm = app.login("gridmember").await;
    assert_eq!(app.get_as(&gm, "/api/facilities").await.status, StatusCode::FORBIDDEN);

    // A remedy moves forward only, once per step even when sent twice at once.
    let r = app
        .post_as(
            &leader,
            &format!("/api/facilities/communities/{xf}/remedies"),
            json!({ "kind": "purchase", "room_use": "elderly_care", "target_area": "150", "funding": "1200000", "due_on": "2027-06-30" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let remedy = r.body["remedies"].as_array().unwrap().last().unwrap()["id"].as_i64().unwrap();
    let path = format!("/api/facilities/remedies/{remedy}/advance");
    let underway = json!({ "to": "underway" });
    let (a, b) = tokio::join!(app.post_as(&leader, &path, underway.clone()), app.post_as(&leader, &path, underway));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    let r = app.post_as(&leader, &path, json!({ "to": "planned" })).await;
    assert_eq!(r.body["code"], "facility_remedy_changed");
    assert_eq!(app.post_as(&leader, &path, json!({ "to": "done" })).await.status, StatusCode::OK);
    let r = app.post_as(&leader, &path, json!({ "to": "done" })).await;
    assert_eq!(r.body["code"], "facility_remedy_finished");
}

#[tokio::test]
async fn standards_are_versions_that_take_effect_by_date() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let reviewer = app.login("reviewer").await;
    let s = app.get_as(&admin, "/api/facilities/standards").await;
    assert_eq!(s.body["can_add"], true);
    assert_eq!(s.body["versions"].as_array().unwrap().len(), 1);
    assert_eq!(s.body["versions"][0]["in_force"], true);
    let mut v = json!({ "version": "示范市 2027 年标准", "effective_from": "2026-12-01", "service_per_100": "35",
        "elderly_existing_per_100": "20", "elderly_new_per_100": "30", "elderly_new_min_site": "350",
        "max_floor": "3", "built_by_share_pct": "50" });
    assert_eq!(app.post_as(&reviewer, "/api/facilities/standards", v.clone()).await.status, StatusCode::FORBIDDEN);
    let r = app.post_as(&admin, "/api/facilities/standards", v.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // One version per day per jurisdiction.
    let r = app.post_as(&admin, "/api/facilities/standards", v.clone()).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("effective_from")));
    v["effective_from"] = json!("2026-12-02");
    v["service_per_100"] = json!("0");
    assert_eq!(app.post_as(&admin, "/api/facilities/standards", v).await.body["field"], "service_per_100");
    // From its effective date the new version is in force, and the figures say so.
    let d = app.get_as(&reviewer, "/api/facilities").await;
    let xf =
        d.body["communities"].as_array().unwrap().iter().find(|c| c["community_name"] == "幸福社区").unwrap().clone();
    assert_eq!(xf["standard_version"], "示范市 2027 年标准");
    assert_eq!(xf["shortfalls"][0]["required"], "637");
    let db = app.db().await;
    assert!(sqlx::query("UPDATE facility_standards SET service_per_100_centi = 1").execute(&db).await.is_err());
}

#[tokio::test]
async fn the_export_opens_in_excel() {
    let app = TestApp::new().await;
    let reviewer = app.login("reviewer").await;
    let bytes = app.raw(Method::GET, "/api/facilities/export.xlsx", &reviewer).await;
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("社区用房达标情况").unwrap();
    let xf = sheet.rows().find(|r| r[0] == "幸福社区").unwrap();
    assert_eq!(xf[5].to_string(), "546");
    assert_eq!(xf[7].to_string(), "146");
    assert_eq!(book.worksheet_range("新建住宅项目四同步").unwrap().rows().count(), 9);
}
