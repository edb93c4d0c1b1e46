//! Consultation and deliberation (协商议事) through the real router: a
//! residents' matter from co-signing to its published follow-ups; votes only
//! from those present; follow-ups due on the working-day calendar; disputes
//! kept from residents; role and scope; co-signing and recording at once.

mod common;

use axum::http::{Method, StatusCode};
use common::{Session, TestApp};
use serde_json::{json, Value};

/// The demo as of 2026-12-02 (Asia/Shanghai): deadlines and the owed
/// periods are judged on that day, whenever the test runs.
async fn app() -> TestApp {
    TestApp::with_setup(|c| c.today = Some("2026-12-02".parse().unwrap())).await
}

async fn register_in(app: &TestApp, community: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes g ON g.id = r.org_node_id
         WHERE g.code LIKE $1 || '-%' AND r.id NOT IN (SELECT resident_id FROM accounts WHERE resident_id IS NOT NULL)
         ORDER BY r.id DESC LIMIT 1",
    )
    .bind(community)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

fn affair(title: &str) -> Value {
    json!({ "kind": "affair", "title": title, "description": "2 栋门口垃圾桶满溢,气味大。", "parties": "" })
}

fn meeting(date: &str) -> Value {
    json!({ "kind": "council", "date": date, "time": "19:30", "place": "社区议事厅",
        "invited": [{ "kind": "property", "name": "幸福物业" }, { "kind": "representative", "name": "2 栋居民代表" }] })
}

async fn settings(app: &TestApp, who: &Session, n: &str) -> common::Response {
    app.send(Method::PUT, "/api/consultation/settings", Some(json!({ "cosigners_needed": n })), Some(who)).await
}

fn first_meeting(detail: &Value) -> i64 {
    detail["meetings"].as_array().unwrap().last().unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_residents_matter_from_cosigning_to_published_follow_ups() {
    let app = app().await;
    let leader = app.login("leader").await;
    let worker = app.login("gridmember").await;
    let yang = app.login("resident").await;
    let li = app.login("resident.li").await;

    // The leader sets the community's number; others may not; a bad one is named.
    assert_eq!(settings(&app, &worker, "2").await.status, StatusCode::FORBIDDEN);
    let r = settings(&app, &leader, "0").await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("cosigners_needed")));
    let r = settings(&app, &leader, "2").await;
    assert_eq!((r.status, r.body["cosigners_needed"].as_u64()), (StatusCode::OK, Some(2)), "{}", r.body);

    // A resident raises an affair (never a dispute); it collects co-signers.
    let r = app.post_as(&yang, "/api/consultation/matters", json!({ "kind": "affair", "description": "x" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["message"], "请填写议题名称。");
    let dispute = json!({ "kind": "dispute", "title": "t", "description": "d", "parties": "402\n502" });
    let r = app.post_as(&yang, "/api/consultation/matters", dispute).await;
    assert_eq!(r.body["field"], "kind", "{}", r.body);
    let r = app.post_as(&yang, "/api/consultation/matters", affair("2 栋垃圾桶增设与清运时间")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["matter"]["id"].as_i64().unwrap();
    assert_eq!(r.body["matter"]["status"], "collecting");
    assert_eq!(
        (r.body["matter"]["cosigners"].as_u64(), r.body["matter"]["cosigners_needed"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(r.body["matter"]["cosigned"], true);
    assert_eq!(r.body["can_cosign"], false);

    // Not yet accepted: no meeting. Once each; the second resident completes it.
    let path = format!("/api/consultation/matters/{id}");
    let r = app.post_as(&leader, &format!("{path}/meetings"), meeting("2026-12-20")).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("consultation_wrong_status")));
    let r = app.post_as(&yang, &format!("{path}/cosign"), json!({})).await;
    assert_eq!(r.body["code"], "consultation_already_cosigned");
    let r = app.post_as(&li, &format!("{path}/cosign"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["matter"]["status"], "accepted");
    assert_eq!(app.post_as(&worker, &format!("{path}/cosign"), json!({})).await.status, StatusCode::FORBIDDEN);

    // The leader plans one meeting at a time; a wrong time is named.
    let mut bad = meeting("2026-12-20");
    bad["time"] = json!("7 点半");
    let r = app.post_as(&leader, &format!("{path}/meetings"), bad).await;
    assert_eq!(r.body["field"], "time", "{}", r.body);
    assert_eq!(
        app.post_as(&worker, &format!("{path}/meetings"), meeting("2026-12-20")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.post_as(&leader, &format!("{path}/meetings"), meeting("2026-12-20")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let g = first_meeting(&r.body);
    let r = app.post_as(&leader, &format!("{path}/meetings"), meeting("2026-12-21")).await;
    assert_eq!(r.body["code"], "consultation_meeting_planned");

    // Attendance: residents by this community's register (once), guests by name.
    let sign = format!("/api/consultation/meetings/{g}/attendance");
    let elsewhere = register_in(&app, "DX-CD-HP").await;
    let r = app
        .post_as(
            &worker,
            &sign,
            json!({ "capacity": "representative", "method": "tablet", "resident_id": elsewhere.to_string() }),
        )
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("resident_id")));
    let here = register_in(&app, "DX-CD-XF").await;
    let rep = json!({ "capacity": "representative", "method": "tablet", "resident_id": here.to_string() });
    assert_eq!(app.post_as(&worker, &sign, rep.clone()).await.status, StatusCode::CREATED);
    assert_eq!(app.post_as(&worker, &sign, rep).await.body["code"], "consultation_already_attending");
    let guest = json!({ "capacity": "property", "method": "paper", "name": "幸福物业 王经理" });
    let r = app.post_as(&leader, &sign, guest).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["meetings"][0]["present"], 2);
    assert_eq!(r.body["meetings"][0]["attendance"][1]["name"], "幸福物业 王经理");

    // The record: votes only from those present, at least one follow-up.
    let rec = format!("/api/consultation/meetings/{g}/record");
    let mut body = json!({ "minutes": "各方发言。", "resolution": "增设 2 个垃圾桶,清运改为每日两次。", "voted": true,
        "votes_for": "2", "votes_against": "1", "votes_abstain": "0",
        "follow_ups": [{ "task": "增设垃圾桶", "owner": "幸福物业", "working_days": "3" },
                       { "task": "调整清运时间并公示", "owner": "社区环卫站", "working_days": "15" }] });
    let r = app.post_as(&leader, &rec, body.clone()).await;
    assert_eq!(r.body["field"], "votes_for", "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("签到 2 人"), "{}", r.body);
    body["votes_against"] = json!("0");
    let r = app.post_as(&leader, &rec, json!({ "minutes": "m", "resolution": "r", "follow_ups": [] })).await;
    assert_eq!(r.body["field"], "follow_ups");
    assert_eq!(app.post_as(&worker, &rec, body.clone()).await.status, StatusCode::FORBIDDEN);
    let r = app.post_as(&leader, &rec, body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["matter"]["status"], "resolved");
    assert_eq!(r.body["meetings"][0]["votes"]["carried"], true);
    // Due on the working-day calendar: 3 working days after Sunday 2026-12-20.
    let fus = r.body["follow_ups"].as_array().unwrap().clone();
    assert_eq!(fus[0]["due_on"], "2026-12-23");
    assert_eq!(fus[0]["late"], false);
    assert_eq!(app.post_as(&leader, &rec, body).await.body["code"], "consultation_meeting_held");

    // Residents see the outcome and how many came, never who.
    let r = app.get_as(&yang, &path).await;
    assert_eq!(r.body["meetings"][0]["present"], 2);
    assert_eq!(r.body["meetings"][0]["attendance"], json!([]));
    assert_eq!(r.body["follow_ups"].as_array().unwrap().len(), 2);

    // Reported done (with how), then published; the last one closes the matter.
    let (f1, f2) = (fus[0]["id"].as_i64().unwrap(), fus[1]["id"].as_i64().unwrap());
    let r = app.post_as(&leader, &format!("/api/consultation/follow-ups/{f1}/publish"), json!({})).await;
    assert_eq!(r.body["code"], "consultation_follow_up_status");
    let r = app.post_as(&leader, &format!("/api/consultation/follow-ups/{f1}/done"), json!({ "note": " " })).await;
    assert_eq!(r.body["field"], "note");
    for f in [f1, f2] {
        let r =
            app.post_as(&leader, &format!("/api/consultation/follow-ups/{f}/done"), json!({ "note": "已完成" })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app.post_as(&leader, &format!("/api/consultation/follow-ups/{f}/publish"), json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = app.get_as(&li, &path).await;
    assert_eq!(r.body["matter"]["status"], "closed", "{}", r.body);
    assert_eq!(r.body["follow_ups"][1]["status"], "published");
    assert_eq!(r.body["follow_ups"][1]["note"], "已完成");

    // Each step is in the audit log, the co-signature and the record with their actions.
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'consultation.%'")
        .fetch_all(&app.db().await)
        .await
        .unwrap();
    for a in [
        "consultation.raise",
        "consultation.cosign",
        "consultation.meeting",
        "consultation.attend",
        "consultation.record",
        "consultation.publish",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn disputes_stay_with_staff_and_every_id_is_scoped() {
    let app = app().await;
    let yang = app.login("resident").await;
    let worker = app.login("gridmember").await;
    let leader = app.login("leader").await;
    let hp = app.login("leader.hp").await;

    // The demo: a matter collecting, one resolved with a late follow-up, a dispute.
    let r = app.get_as(&worker, "/api/consultation/matters").await;
    let all = r.body.as_array().unwrap().clone();
    let dispute = all.iter().find(|m| m["kind"] == "dispute").expect("demo dispute")["id"].as_i64().unwrap();
    let resolved = all.iter().find(|m| m["status"] == "resolved").expect("demo resolved");
    assert!(resolved["late"].as_u64().unwrap() >= 1, "the demo's late follow-up is flagged: {resolved}");
    let collecting = all.iter().find(|m| m["status"] == "collecting").expect("demo collecting")["id"].as_i64().unwrap();

    // Residents never see disputes, not in the list and not by id.
    let mine = app.get_as(&yang, "/api/consultation/matters").await.body;
    assert!(mine.as_array().unwrap().iter().all(|m| m["kind"] == "affair"));
    assert_eq!(mine.as_array().unwrap().len(), all.len() - 1);
    assert_eq!(app.get_as(&yang, &format!("/api/consultation/matters/{dispute}")).await.status, StatusCode::NOT_FOUND);
    let d = app.get_as(&worker, &format!("/api/consultation/matters/{dispute}")).await.body;
    assert_eq!(d["parties"].as_array().unwrap().len(), 2);
    assert_eq!(d["can_sign_in"], true);

    // Another community's leader reaches none of 幸福社区's records.
    let r = app.get_as(&hp, &format!("/api/consultation/matters/{collecting}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.post_as(&hp, &format!("/api/consultation/matters/{dispute}/meetings"), meeting("2026-12-20")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let planned = d["meetings"][0]["id"].as_i64().unwrap();
    let r = app.post_as(&hp, &format!("/api/consultation/meetings/{planned}/record"), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let late = app.get_as(&leader, &format!("/api/consultation/matters/{}", resolved["id"])).await.body;
    let open =
        late["follow_ups"].as_array().unwrap().iter().find(|f| f["late"] == true).unwrap()["id"].as_i64().unwrap();
    let r = app.post_as(&hp, &format!("/api/consultation/follow-ups/{open}/done"), json!({ "note": "x" })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // And 幸福社区's resident cannot co-sign 和平社区's matter.
    let r = app.post_as(&hp, "/api/consultation/matters", affair("和平社区的议题")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let theirs = r.body["matter"]["id"].as_i64().unwrap();
    assert_eq!(r.body["matter"]["status"], "accepted", "staff's matters need no co-signers");
    let r = app.post_as(&yang, &format!("/api/consultation/matters/{theirs}/cosign"), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get_as(&yang, "/api/consultation/settings").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_co_signature_and_a_record_at_once_count_once() {
    let app = app().await;
    let leader = app.login("leader").await;
    let yang = app.login("resident").await;
    let li = app.login("resident.li").await;
    settings(&app, &leader, "3").await;
    let r = app.post_as(&yang, "/api/consultation/matters", affair("楼道灯")).await;
    let id = r.body["matter"]["id"].as_i64().unwrap();

    // The same resident twice at once: one co-signature, one refusal.
    let path = format!("/api/consultation/matters/{id}/cosign");
    let (a, b) = tokio::join!(app.post_as(&li, &path, json!({})), app.post_as(&li, &path, json!({})));
    let mut codes = [a.status, b.status];
    codes.sort();
    assert_eq!(codes, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    assert_eq!(app.get_as(&li, &format!("/api/consultation/matters/{id}")).await.body["matter"]["cosigners"], 2);

    // Two records of one meeting at once: one is kept, its follow-ups once.
    let r = app.post_as(&leader, "/api/consultation/matters", affair("健身器材维修")).await;
    let id = r.body["matter"]["id"].as_i64().unwrap();
    let r = app.post_as(&leader, &format!("/api/consultation/matters/{id}/meetings"), meeting("2026-12-18")).await;
    let g = first_meeting(&r.body);
    let body = json!({ "minutes": "m", "resolution": "r",
        "follow_ups": [{ "task": "维修", "owner": "物业", "working_days": "5" }] });
    let rec = format!("/api/consultation/meetings/{g}/record");
    let (a, b) = tokio::join!(app.post_as(&leader, &rec, body.clone()), app.post_as(&leader, &rec, body));
    let mut codes = [a.status, b.status];
    codes.sort();
    assert_eq!(codes, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    let d = app.get_as(&leader, &format!("/api/consultation/matters/{id}")).await.body;
    assert_eq!(d["follow_ups"].as_array().unwrap().len(), 1);

    // Co-signatures and attendance are final at the database.
    let db = app.db().await;
    assert!(sqlx::query("DELETE FROM consultation_cosigners").execute(&db).await.is_err());
    assert!(sqlx::query("UPDATE consultation_attendance SET name = 'x'").execute(&db).await.is_err());
}
