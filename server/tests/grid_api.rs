//! The grid through the real router on SQLite: the walk map, locating a
//! position, visits and events stored exactly once however often the tablet
//! retries, the event loop end to end, and imports that write nothing until
//! the file is clean.

mod common;

use axum::http::StatusCode;
use chrono::Utc;
use common::{Session, TestApp};
use serde_json::{json, Value};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db().await).await.unwrap()
}

async fn a_household(app: &TestApp, grid: &str) -> i64 {
    sqlx::query_scalar("SELECT h.id FROM households h JOIN org_nodes n ON n.id = h.grid_id WHERE n.code = $1 LIMIT 1")
        .bind(grid)
        .fetch_one(&app.db().await)
        .await
        .unwrap()
}

fn visit(key: &str, household: i64) -> Value {
    json!({
        "idempotency_key": key,
        "household_id": household,
        "outcome": "met",
        "needs": "需要代购药品",
        "follow_up": "",
        "visited_at": Utc::now().to_rfc3339(),
    })
}

#[tokio::test]
async fn the_walk_map_lists_households_and_due_visits_overdue_first() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let grid = app.node_id("DX-CD-XF-01").await;
    let r = app.get_as(&s, &format!("/api/grids/{grid}/map")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m = &r.body;
    assert_eq!(m["grid"]["households"], 420);
    assert_eq!(m["grid"]["size_flag"], "standard");
    assert_eq!(m["households"].as_array().unwrap().len(), 420);
    assert_eq!(m["boundary"][0].as_array().unwrap().len(), 5);
    assert_eq!(m["neighbours"].as_array().unwrap().len(), 5);
    let due = m["due"].as_array().unwrap();
    assert!(!due.is_empty());
    // Overdue ones first, then by urgency.
    let states: Vec<&str> = due.iter().map(|d| d["state"].as_str().unwrap()).collect();
    let first_not_overdue = states.iter().position(|s| *s != "overdue").unwrap_or(states.len());
    assert!(first_not_overdue > 0, "some visits are overdue in the demo");
    assert!(states[first_not_overdue..].iter().all(|s| *s != "overdue"), "{states:?}");
    // Names in full for the grid's own worker; masked for a reviewer above.
    assert!(!due[0]["resident_name"].as_str().unwrap().contains('*'));
    let reviewer = app.login("reviewer.dx").await;
    let r = app.get_as(&reviewer, &format!("/api/grids/{grid}/map")).await;
    assert!(r.body["due"][0]["resident_name"].as_str().unwrap().contains('*'));
    // Reading special-group residents is audited.
    assert!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'grid.map'").await >= 2);
    // Sizes are flagged: 520 and 280 households in grids 5 and 6.
    let list = app.get_as(&app.login("leader").await, "/api/grids").await.body;
    let flags: Vec<&str> = list.as_array().unwrap().iter().map(|g| g["size_flag"].as_str().unwrap()).collect();
    assert_eq!(flags, ["standard", "standard", "standard", "standard", "too_large", "too_small"]);
}

#[tokio::test]
async fn a_position_finds_its_grid_with_a_border_tolerance() {
    let app = TestApp::new().await;
    let s = app.login("leader").await;
    // Inside grid 01 (116.6000–116.6026 E, 28.2400–28.2418 N).
    let r = app.get_as(&s, "/api/grids/locate?lon=116.6010&lat=28.2405").await;
    assert_eq!(r.body.as_array().unwrap().len(), 1, "{}", r.body);
    assert_eq!(r.body[0]["code"], "DX-CD-XF-01");
    // On the border of 01 and 02: both, inside.
    let r = app.get_as(&s, "/api/grids/locate?lon=116.6026&lat=28.2405").await;
    let codes: Vec<&str> = r.body.as_array().unwrap().iter().map(|h| h["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    // 10 m west of the community: still 01, not inside.
    let r = app.get_as(&s, "/api/grids/locate?lon=116.5999&lat=28.2405").await;
    assert_eq!(r.body[0]["code"], "DX-CD-XF-01");
    assert_eq!(r.body[0]["inside"], false);
    let r = app.get_as(&s, "/api/grids/locate?lon=abc&lat=").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 2, "{}", r.body);
    // The demo community is tiled exactly.
    let c = app.get_as(&s, "/api/grids/coverage").await.body;
    assert_eq!(c["community_code"], "DX-CD-XF");
    assert_eq!(c["overlaps"], json!([]));
    assert_eq!(c["gap_m2"], 0.0);
}

#[tokio::test]
async fn a_visit_retried_five_times_is_stored_once() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let household = a_household(&app, "DX-CD-XF-01").await;
    let body = visit("5b7d7f0e-3c1a-4c59-9a57-1f2d3e4a5b6c", household);
    let first = app.post_as(&s, "/api/visits", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    for _ in 0..4 {
        let again = app.post_as(&s, "/api/visits", body.clone()).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.body["id"], first.body["id"]);
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM visits WHERE idempotency_key = '5b7d7f0e-3c1a-4c59-9a57-1f2d3e4a5b6c'").await,
        1
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'visit.create'").await, 1);
    // The same key with another body is refused.
    let mut other = body.clone();
    other["outcome"] = json!("not_home");
    let r = app.post_as(&s, "/api/visits", other).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["code"], "idempotency_key_reused");
}

#[tokio::test]
async fn two_identical_posts_at_once_make_one_row() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let household = a_household(&app, "DX-CD-XF-01").await;
    let body = visit("8c0f1b2a-0000-4000-8000-00000000aaaa", household);
    let (a, b) =
        tokio::join!(app.post_as(&s, "/api/visits", body.clone()), app.post_as(&s, "/api/visits", body.clone()));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CREATED]);
    assert_eq!(a.body["id"], b.body["id"]);
    let event = json!({
        "idempotency_key": "8c0f1b2a-0000-4000-8000-00000000bbbb",
        "category": "environment",
        "description": "路边积水严重",
        "lon": 116.6012, "lat": 28.2406,
        "reported_at": Utc::now().to_rfc3339(),
    });
    let (a, b) =
        tokio::join!(app.post_as(&s, "/api/events", event.clone()), app.post_as(&s, "/api/events", event.clone()));
    assert!(a.status.is_success() && b.status.is_success(), "{} {}", a.body, b.body);
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM events WHERE idempotency_key = '8c0f1b2a-0000-4000-8000-00000000bbbb'").await,
        1
    );
}

#[tokio::test]
async fn bad_visits_name_the_field_and_out_of_scope_households_are_unknown() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let r = app
        .post_as(
            &s,
            "/api/visits",
            json!({ "idempotency_key": "bad-visit-0001", "outcome": "chat", "visited_at": "2099-01-01T00:00:00Z" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["household_id", "outcome", "visited_at"]);
    assert!(r.body["errors"][1]["message"].as_str().unwrap().contains("走访结果"));
    // A household of another grid is not the grid member's to visit.
    let other = a_household(&app, "DX-CD-XF-02").await;
    let r = app.post_as(&s, "/api/visits", visit("bad-visit-0002", other)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "household_id");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE idempotency_key LIKE 'bad-visit-%'").await, 0);
}

/// The same visit makes the due list shorter: the resident is no longer overdue.
#[tokio::test]
async fn a_visit_takes_the_resident_off_the_overdue_list() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let grid = app.node_id("DX-CD-XF-01").await;
    let map = app.get_as(&s, &format!("/api/grids/{grid}/map")).await.body;
    let first = &map["due"][0];
    assert_eq!(first["state"], "overdue");
    let mut body = visit("visit-overdue-0001", first["household_id"].as_i64().unwrap());
    body["resident_id"] = first["resident_id"].clone();
    assert_eq!(app.post_as(&s, "/api/visits", body).await.status, StatusCode::CREATED);
    let after = app.get_as(&s, &format!("/api/grids/{grid}/map")).await.body;
    let entry =
        after["due"].as_array().unwrap().iter().find(|d| d["resident_id"] == first["resident_id"]).unwrap().clone();
    assert_eq!(entry["state"], "not_due", "{entry}");
}

/// An ordinary household (no special-group resident) shows as visited on
/// the map once a visit is recorded.
#[tokio::test]
async fn an_ordinary_household_shows_as_visited() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let grid = app.node_id("DX-CD-XF-01").await;
    let household: i64 = sqlx::query_scalar(
        "SELECT h.id FROM households h WHERE h.grid_id = $1
           AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.special_group IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id) LIMIT 1",
    )
    .bind(grid)
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let status = |m: &Value| {
        m["households"].as_array().unwrap().iter().find(|h| h["id"] == household).unwrap()["status"].clone()
    };
    let before = app.get_as(&s, &format!("/api/grids/{grid}/map")).await.body;
    assert_eq!(status(&before), "ordinary");
    assert_eq!(
        app.post_as(&s, "/api/visits", visit("ordinary-visit-0001", household)).await.status,
        StatusCode::CREATED
    );
    let after = app.get_as(&s, &format!("/api/grids/{grid}/map")).await.body;
    assert_eq!(status(&after), "visited");
}

async fn act(app: &TestApp, s: &Session, id: i64, action: &str, note: &str) -> Value {
    let r = app.post_as(s, &format!("/api/events/{id}/actions"), json!({ "action": action, "note": note })).await;
    assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
    r.body
}

#[tokio::test]
async fn an_event_goes_round_the_whole_loop() {
    let app = TestApp::new().await;
    let member = app.login("gridmember").await;
    let report = json!({
        "idempotency_key": "loop-event-0001",
        "category": "employment",
        "description": "失业居民咨询灵活就业参保",
        "lon": 116.6010, "lat": 28.2405,
        "reported_at": Utc::now().to_rfc3339(),
    });
    let r = app.post_as(&member, "/api/events", report).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["grid_name"], "幸福社区第一网格");
    assert_eq!(r.body["flag"], "green");
    // The department cannot see it before it is dispatched to it.
    let applicant = app.login("applicant").await;
    assert_eq!(app.get_as(&applicant, &format!("/api/events/{id}")).await.status, StatusCode::NOT_FOUND);
    act(&app, &member, id, "register", "").await;
    let leader = app.login("leader").await;
    let v = act(&app, &leader, id, "dispatch", "请人社局答复").await;
    assert_eq!(v["department_name"], "市人力资源和社会保障局");
    assert_eq!(v["stage_limit"], "1 个工作日");
    // Now the department sees it, with time left, and may take it.
    let list = app.get_as(&applicant, "/api/events").await.body;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == id && e["time_left"].as_str().unwrap().starts_with("剩余")));
    // Another department neither sees it nor takes it.
    let other = app.login("applicant.wjw").await;
    assert_eq!(app.get_as(&other, &format!("/api/events/{id}")).await.status, StatusCode::NOT_FOUND);
    let r = app.post_as(&other, &format!("/api/events/{id}/actions"), json!({ "action": "accept", "note": "" })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // Reporting back needs a note.
    act(&app, &applicant, id, "accept", "").await;
    let r = app.post_as(&applicant, &format!("/api/events/{id}/actions"), json!({ "action": "report_back" })).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("note")));
    act(&app, &applicant, id, "report_back", "已电话告知参保流程并上门指导").await;
    // A grid member may not close; the leader checks and closes.
    act(&app, &member, id, "check_pass", "回访居民,已办理").await;
    let r = app.post_as(&member, &format!("/api/events/{id}/actions"), json!({ "action": "close" })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let v = act(&app, &leader, id, "close", "").await;
    assert_eq!(v["status"], "closed");
    assert_eq!(v["flag"], "");
    let steps: Vec<&str> = v["steps"].as_array().unwrap().iter().map(|s| s["action_label"].as_str().unwrap()).collect();
    assert_eq!(steps, ["上报", "受理登记", "派遣", "签收", "处置反馈", "核查通过", "结案"]);
    // Closing again is a conflict, not a second close.
    let r = app.post_as(&leader, &format!("/api/events/{id}/actions"), json!({ "action": "close" })).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("event_wrong_status")));
    let audited = format!("SELECT COUNT(*) FROM audit_log WHERE object = 'event:{id}' AND outcome = 'success'");
    assert_eq!(count(&app, &audited).await, 7, "the report and six steps");
}

/// Two people registering one event at the same moment: one step is
/// recorded and audited, the other answers 409 and records nothing.
#[tokio::test]
async fn two_registrations_at_once_record_one() {
    let app = TestApp::new().await;
    let member = app.login("gridmember").await;
    let leader = app.login("leader").await;
    let report = json!({
        "idempotency_key": "race-event-0001",
        "category": "employment",
        "description": "同时受理登记测试",
        "lon": 116.6010, "lat": 28.2405,
        "reported_at": Utc::now().to_rfc3339(),
    });
    let r = app.post_as(&member, "/api/events", report).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let path = format!("/api/events/{id}/actions");
    let register = json!({ "action": "register", "note": "" });
    let (a, b) =
        tokio::join!(app.post_as(&member, &path, register.clone()), app.post_as(&leader, &path, register.clone()));
    let mut answers = [(a.status, a.body["code"].clone()), (b.status, b.body["code"].clone())];
    answers.sort_by_key(|(status, _)| *status);
    assert_eq!(answers[0].0, StatusCode::OK, "{} / {}", a.body, b.body);
    assert_eq!((answers[1].0, answers[1].1.as_str()), (StatusCode::CONFLICT, Some("event_wrong_status")));
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM event_steps WHERE event_id = {id}")).await, 2);
    let audited = format!("SELECT COUNT(*) FROM audit_log WHERE action = 'event.register' AND object = 'event:{id}'");
    assert_eq!(count(&app, &audited).await, 1, "one registration audited");
}

#[tokio::test]
async fn a_report_near_an_open_one_is_offered_as_a_duplicate_and_can_be_merged() {
    let app = TestApp::new().await;
    let member = app.login("gridmember").await;
    // The demo's open environment event in grid 01 sits at (0.30, 0.40) cells
    // from the corner; 20 m north of it:
    let (lon, lat) = (116.6000 + 0.30 * 0.0026, 28.2400 + 0.40 * 0.0018 + 20.0 / 111_195.0);
    let near = app.get_as(&member, &format!("/api/events/nearby?lon={lon}&lat={lat}&category=environment")).await;
    assert_eq!(near.body.as_array().unwrap().len(), 1, "{}", near.body);
    let original = near.body[0]["id"].as_i64().unwrap();
    assert!((near.body[0]["distance_m"].as_f64().unwrap() - 20.0).abs() < 1.0);
    // Another category at the same spot is not a duplicate.
    let other = app.get_as(&member, &format!("/api/events/nearby?lon={lon}&lat={lat}&category=safety")).await;
    assert_eq!(other.body, json!([]));
    let r = app
        .post_as(
            &member,
            "/api/events",
            json!({ "idempotency_key": "dup-event-0001", "category": "environment", "description": "绿化带有建筑垃圾",
                    "lon": lon, "lat": lat, "reported_at": Utc::now().to_rfc3339() }),
        )
        .await;
    assert_eq!(r.body["possible_duplicates"], json!([original]));
    let id = r.body["id"].as_i64().unwrap();
    let r = app
        .post_as(
            &member,
            &format!("/api/events/{id}/actions"),
            json!({ "action": "mark_duplicate", "duplicate_of": original }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["status"].as_str(), r.body["duplicate_of"].as_i64()), (Some("closed"), Some(original)));
}

const HEADER: &str = "网格编码,户编号,地址,楼栋,经度,纬度,姓名,公民身份号码,联系电话,特殊群体,纳入日期\n";

#[tokio::test]
async fn a_gbk_household_file_with_errors_imports_nothing_and_a_clean_one_imports() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let before = count(&app, "SELECT COUNT(*) FROM households").await;
    let bad = format!(
        "{HEADER}DX-CD-XF-01,NEW-1,幸福社区 99 栋 101 室,99 栋,116.6005,28.2405,赵大爷,11010519491231002X,,独居老人,2026-01-01\n\
         DX-CD-XF-01,NEW-2,幸福社区 99 栋 102 室,99 栋,116.6035,28.2405,钱大妈,110105194912310021,,孤寡,\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&bad);
    let r = app.post_bytes(&admin, "/api/households/import?dry_run=true", "text/csv", gbk.to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The import (a job) refuses it with the same report.
    let job = common::import_households(&app, &admin, gbk.into_owned()).await;
    assert_eq!((job["phase"].as_str(), &job["report"]["problems"]), (Some("failed"), &r.body["problems"]), "{job}");
    assert_eq!(r.body["encoding"], "gbk");
    assert_eq!(r.body["imported"], false);
    let problems: Vec<(i64, &str)> = r.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_i64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert_eq!(problems, [(3, "公民身份号码"), (3, "特殊群体")]);
    assert!(r.body["problems"][1]["message"].as_str().unwrap().contains("“孤寡”"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM households").await, before, "nothing imported");
    // The corrected file, still GBK, imports both households.
    let good = bad.replace("110105194912310021,,孤寡", "110105195001010012,,低保对象");
    let (gbk, _, _) = encoding_rs::GBK.encode(&good);
    let dry = app.post_bytes(&admin, "/api/households/import?dry_run=true", "text/csv", gbk.to_vec()).await;
    assert_eq!((dry.status, dry.body["imported"].as_bool()), (StatusCode::OK, Some(false)), "{}", dry.body);
    // The import itself runs as a job; its report is the same.
    let job = common::import_households(&app, &admin, gbk.into_owned()).await;
    assert_eq!(job["phase"], "done", "{job}");
    let r = common::Response { status: StatusCode::OK, body: job["report"].clone(), headers: Default::default() };
    assert_eq!((r.body["created"].as_i64(), r.body["imported"].as_bool()), (Some(2), Some(true)));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM households").await, before + 2);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM residents WHERE name = '钱大妈' AND special_group = 'low_income'").await,
        1
    );
    assert!(r.body["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("NEW-2")));
    // A grid outside the admin's district is unknown to them.
    let zx = format!("{HEADER}ZX-HC-DM-01,Z-1,东门 1 栋,1 栋,117.06,27.70,孙某,110105198003030029,,,\n");
    let r = app.post_bytes(&admin, "/api/households/import?dry_run=true", "text/csv", zx.into_bytes()).await;
    assert_eq!(r.body["problems"][0]["column"], "网格编码");
}

#[tokio::test]
async fn grid_boundaries_import_refuses_overlaps_and_creates_new_grids() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let square = |x0: f64, y0: f64, x1: f64, y1: f64| json!({ "type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
    // A new grid in 幸福社区 reaching into grid 01: refused, with the area.
    let overlapping = json!({ "type": "FeatureCollection", "features": [
        { "type": "Feature", "properties": { "code": "DX-CD-XF-07", "name": "幸福社区第七网格", "community": "DX-CD-XF" },
          "geometry": square(116.6020, 28.2436, 116.6030, 28.2446) } ] });
    let r =
        app.post_bytes(&admin, "/api/grids/import", "application/geo+json", overlapping.to_string().into_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "outside the community but not overlapping: {}", r.body);
    let overlapping = json!({ "type": "FeatureCollection", "features": [
        { "type": "Feature", "properties": { "code": "DX-CD-XF-08", "community": "DX-CD-XF" },
          "geometry": square(116.6020, 28.2400, 116.6030, 28.2410) } ] });
    let r =
        app.post_bytes(&admin, "/api/grids/import", "application/geo+json", overlapping.to_string().into_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages: Vec<&str> =
        r.body["problems"].as_array().unwrap().iter().map(|p| p["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("DX-CD-XF-08") && m.contains("重叠")), "{messages:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM org_nodes WHERE code = 'DX-CD-XF-08'").await, 0);
    // The new grid 07 exists and the index knows it at once.
    let s = app.login("leader").await;
    let r = app.get_as(&s, "/api/grids/locate?lon=116.6025&lat=28.2441").await;
    assert_eq!(r.body[0]["code"], "DX-CD-XF-07", "{}", r.body);
    let c = app.get_as(&s, "/api/grids/coverage?community=DX-CD-XF").await.body;
    assert!(c["outside_m2"].as_f64().unwrap() > 1000.0, "{c}");
}
