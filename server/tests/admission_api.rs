//! Work-item admission through the real router and a real database: every
//! transition, every refusal, idempotent submission, scope and the clock.
//! "Today" is pinned to 2026-11-24 so that deadlines are the same every run.

mod common;
mod fixtures;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{Session, TestApp};
use fixtures::admission_form as form;
use serde_json::{json, Value};

const TODAY: &str = "2026-11-24";

async fn app() -> TestApp {
    TestApp::with_setup(|c| c.today = Some(TODAY.parse().unwrap())).await
}

fn with(mut body: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn submit(app: &TestApp, s: &Session, key: &str) -> common::Response {
    app.post_as(s, "/api/admission/applications", with(form(), json!({ "idempotency_key": key }))).await
}

async fn step(app: &TestApp, s: &Session, id: i64, action: &str, body: Value) -> common::Response {
    app.post_as(s, &format!("/api/admission/applications/{id}/{action}"), body).await
}

fn ok(r: &common::Response) -> &Value {
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    &r.body
}

#[tokio::test]
async fn an_application_goes_round_the_whole_loop() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let reviewer = app.login("reviewer").await;
    let secretary = app.login("secretary").await;
    let wjw = app.login("applicant.wjw").await;

    let r = submit(&app, &applicant, "loop-0000001").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["summary"]["id"].as_i64().unwrap();
    assert_eq!(r.body["summary"]["status"], "submitted");
    assert_eq!(r.body["funding_label"], "每季度 1,200.50 元");
    assert_eq!(r.body["community_count"], 2);
    // Money is stored exactly, in fen.
    let fen: i64 = sqlx::query_scalar("SELECT funding_fen FROM admission_applications WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(fen, 120050);

    // Intake is the reviewer's, not the applicant's.
    assert_eq!(step(&app, &applicant, id, "accept", json!({})).await.status, StatusCode::FORBIDDEN);
    let body = ok(&step(&app, &reviewer, id, "accept", json!({})).await).clone();
    assert_eq!(body["summary"]["status"], "consulting");
    assert_eq!(body["summary"]["accepted_on"], TODAY);
    // 15 working days after Tuesday 2026-11-24 (the day itself not counted).
    assert_eq!(body["summary"]["due"], "2026-12-15");
    assert_eq!(body["summary"]["due_label"], "剩余 15 个工作日");

    let r = step(&app, &reviewer, id, "solicit", json!({ "scope": "各社区书记" })).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("admission_no_consultation"))
    );
    let r = step(&app, &reviewer, id, "consult", json!({ "departments": ["wjw", "nope"] })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["message"], "商请部门“nope”不是可选的值,请从列表中选择。");
    ok(&step(&app, &reviewer, id, "consult", json!({ "departments": ["wjw"] })).await);
    let r = step(&app, &reviewer, id, "solicit", json!({ "scope": "各社区书记" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["message"], "尚有 1 个商请部门未反馈意见:市卫生健康委员会。");

    // The consulted department answers; it cannot answer twice; a department
    // that was not consulted cannot answer at all.
    let r = step(&app, &applicant, id, "opinions", json!({ "stance": "agree", "text": "同意" })).await;
    assert_eq!(r.body["code"], "admission_not_consulted", "{}", r.body);
    let file = app.get_as(&wjw, &format!("/api/admission/applications/{id}")).await;
    assert_eq!(file.body["opinion_due_from_caller"], true);
    assert_eq!(file.body["allowed"], json!(["record_opinion"]));
    // Phones are masked for a consulted department.
    assert_eq!(file.body["form"]["trainer_phone"], "139****1234");
    let r = step(&app, &wjw, id, "opinions", json!({ "stance": "", "text": "" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 2);
    ok(&step(&app, &wjw, id, "opinions", json!({ "stance": "agree_with_changes", "text": "建议与体检合并入户" }))
        .await);
    let r = step(&app, &wjw, id, "opinions", json!({ "stance": "agree", "text": "同意" })).await;
    assert_eq!(r.body["code"], "admission_opinion_given");

    let r = step(&app, &reviewer, id, "solicit", json!({ "scope": " " })).await;
    assert_eq!(r.body["message"], "请填写征求意见范围。");
    ok(&step(&app, &reviewer, id, "solicit", json!({ "scope": "各社区党组织书记" })).await);
    let r = step(&app, &reviewer, id, "send-to-group", json!({})).await;
    assert_eq!(r.body["code"], "admission_no_solicited_opinion");
    ok(&step(&app, &reviewer, id, "solicited", json!({ "source": "幸福社区居委会", "text": "无意见" })).await);

    // One extension, with reason and approver, shown as such.
    let r = step(&app, &reviewer, id, "extend", json!({ "days": "3" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let body =
        ok(&step(&app, &reviewer, id, "extend", json!({ "days": "3", "reason": "待汇总", "approver": "副组长 王刚" }))
            .await)
        .clone();
    assert_eq!(body["summary"]["due"], "2026-12-18");
    assert_eq!(body["extension"]["approver"], "副组长 王刚");
    let r = step(&app, &reviewer, id, "extend", json!({ "days": "3", "reason": "再延", "approver": "王刚" })).await;
    assert_eq!(r.body["code"], "admission_already_extended");

    ok(&step(&app, &reviewer, id, "send-to-group", json!({})).await);
    assert_eq!(step(&app, &reviewer, id, "approve", json!({})).await.status, StatusCode::FORBIDDEN);
    let r = step(&app, &secretary, id, "reject", json!({ "meeting": "第 7 次会议", "decided_on": TODAY })).await;
    assert_eq!(r.body["message"], "请填写审定意见。");
    let r =
        step(&app, &secretary, id, "approve", json!({ "meeting": "第 7 次会议", "decided_on": "2026-11-25" })).await;
    assert_eq!(r.body["code"], "field_date_in_future");
    let body =
        ok(&step(&app, &secretary, id, "approve", json!({ "meeting": "第 7 次会议", "decided_on": TODAY })).await)
            .clone();
    assert_eq!(body["summary"]["status"], "approved");
    assert_eq!(body["summary"]["due_label"], "按期办结");

    let r = step(&app, &applicant, id, "withdraw", json!({ "reason": "不做了" })).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::CONFLICT, Some("admission_transition_invalid")));
    assert_eq!(r.body["message"], "该申请当前为“准予准入”,不能进行“撤回申请”操作。");
    ok(&step(&app, &reviewer, id, "deliver", json!({})).await);
    assert_eq!(step(&app, &reviewer, id, "deliver", json!({})).await.body["code"], "admission_already_delivered");

    // After admission: guides and training per community.
    let r = step(&app, &wjw, id, "guides", json!({ "name": "周敏", "phone": "13907940001" })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the applying department names guides");
    ok(&step(&app, &applicant, id, "guides", json!({ "name": "周敏", "phone": "13907940001" })).await);
    let training =
        json!({ "community": "DX-CX-CQ", "held_on": TODAY, "trainer": "周敏", "attendees": "15", "topic": "台账填报" });
    let r = step(&app, &applicant, id, "trainings", training.clone()).await;
    assert_eq!(r.body["message"], "培训社区“DX-CX-CQ”不是可选的值,请从列表中选择。");
    let body =
        ok(&step(&app, &applicant, id, "trainings", with(training, json!({ "community": "DX-CD-XF" }))).await).clone();
    assert_eq!(body["trainings"][0]["community_name"], "幸福社区");

    // The public catalogue, per community.
    let (status, page) = app.get("/api/admission/catalog?community=DX-CD-XF").await;
    assert_eq!(status, StatusCode::OK);
    let item = page["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
    assert_eq!(
        (item["trained"].clone(), item["trained_communities"].clone(), item["community_count"].clone()),
        (json!(true), json!(1), json!(2))
    );
    let (_, page) = app.get("/api/admission/catalog?community=DX-CX-CQ").await;
    assert!(page["items"].as_array().unwrap().iter().all(|i| i["id"] != id), "not in a community it does not cover");

    // The timeline tells the story in order, and the audit trail has each step.
    let file = app.get_as(&applicant, &format!("/api/admission/applications/{id}")).await;
    let steps: Vec<&str> =
        file.body["timeline"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        steps,
        vec![
            "submit",
            "accept",
            "consult",
            "opinion",
            "solicit",
            "solicited",
            "extend",
            "send_to_group",
            "approve",
            "deliver",
            "guide",
            "training"
        ]
    );
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE object = $1 AND outcome = 'success'")
        .bind(format!("admission:{id}"))
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(audited, 12);
}

#[tokio::test]
async fn bad_forms_name_every_field_and_save_nothing() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM admission_applications").fetch_one(&app.db().await).await.unwrap();
    let body = with(
        form(),
        json!({ "item_name": "", "funding_per_community": "12.345", "start_date": "2026-11-23", "idempotency_key": "bad-form-0001" }),
    );
    let r = app.post_as(&applicant, "/api/admission/applications", body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let fields: Vec<(&str, &str)> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("item_name", "请填写事项名称。"),
            ("start_date", "开始日期不能早于 2026-11-24。"),
            (
                "funding_per_community",
                "每个社区配套经费(元)“12.345”不是有效金额,请填写不小于 0 的金额(元),最多两位小数,例如 1200.50。"
            ),
        ]
    );
    // Exempt items need the basis document number.
    let r = app
        .post_as(
            &applicant,
            "/api/admission/applications",
            with(form(), json!({ "path": "exempt", "exempt_ground": "law", "idempotency_key": "bad-form-0002" })),
        )
        .await;
    assert_eq!(r.body["field"], "basis_doc_no");
    let after: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM admission_applications").fetch_one(&app.db().await).await.unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_retried_submit_creates_one_application() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM admission_applications WHERE idempotency_key LIKE 'retry-%'")
            .fetch_one(&app.db().await)
            .await
            .unwrap()
    };
    let first = submit(&app, &applicant, "retry-000001").await;
    assert_eq!(first.status, StatusCode::CREATED);
    for _ in 0..4 {
        let again = submit(&app, &applicant, "retry-000001").await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.body["summary"]["id"], first.body["summary"]["id"]);
    }
    // Two at once.
    let (a, b) = tokio::join!(submit(&app, &applicant, "retry-000002"), submit(&app, &applicant, "retry-000002"));
    assert_eq!(a.body["summary"]["id"], b.body["summary"]["id"]);
    assert_eq!(count().await, 2);
    // The same key with a different form is refused.
    let r = app
        .post_as(
            &applicant,
            "/api/admission/applications",
            with(form(), json!({ "item_name": "另一事项", "idempotency_key": "retry-000001" })),
        )
        .await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused")));
    assert_eq!(count().await, 2);
}

#[tokio::test]
async fn acceptances_at_once_record_one() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let reviewer = app.login("reviewer").await;
    let other = app.login("reviewer").await;
    let id = submit(&app, &applicant, "race-accept-01").await.body["summary"]["id"].as_i64().unwrap();
    // Four at once, from two sessions: however they interleave, one intake.
    let (a, b, c, d) = tokio::join!(
        step(&app, &reviewer, id, "accept", json!({})),
        step(&app, &other, id, "accept", json!({})),
        step(&app, &reviewer, id, "accept", json!({})),
        step(&app, &other, id, "accept", json!({})),
    );
    let answers = [&a, &b, &c, &d];
    let bodies: Vec<&Value> = answers.iter().map(|r| &r.body).collect();
    assert_eq!(answers.iter().filter(|r| r.status == StatusCode::OK).count(), 1, "{bodies:?}");
    for r in answers.iter().filter(|r| r.status != StatusCode::OK) {
        // Seen waiting for intake (`admission_changed`: the move found it
        // moved), or after the winner (`admission_transition_invalid`).
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let code = r.body["code"].as_str().unwrap_or_default();
        assert!(["admission_changed", "admission_transition_invalid"].contains(&code), "{code}");
    }
    let db = app.db().await;
    let count = |sql: String| {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>(&sql).fetch_one(&db).await.unwrap() }
    };
    let lines =
        count(format!("SELECT COUNT(*) FROM admission_events WHERE application_id = {id} AND action = 'accept'"));
    assert_eq!(lines.await, 1, "one intake on the timeline");
    let audited = count(format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'admission.accept' AND object = 'admission:{id}'"
    ));
    assert_eq!(audited.await, 1, "one intake audited");
    let file = app.get_as(&reviewer, &format!("/api/admission/applications/{id}")).await;
    assert_eq!(file.body["summary"]["status"], "consulting");
    assert_eq!(file.body["summary"]["accepted_on"], TODAY);
}

#[tokio::test]
async fn a_return_restarts_the_clock_at_the_next_acceptance() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let reviewer = app.login("reviewer").await;
    let id = submit(&app, &applicant, "return-00001").await.body["summary"]["id"].as_i64().unwrap();
    ok(&step(&app, &reviewer, id, "accept", json!({})).await);
    let r = step(&app, &reviewer, id, "return", json!({})).await;
    assert_eq!(r.body["message"], "请填写需补正的内容。");
    let body = ok(&step(&app, &reviewer, id, "return", json!({ "reason": "缺少经费测算" })).await).clone();
    assert_eq!(body["summary"]["status"], "returned");
    assert_eq!(body["summary"]["accepted_on"], Value::Null);
    assert_eq!(body["return_reason"], "缺少经费测算");
    // A bad resubmission changes nothing.
    let r = step(&app, &applicant, id, "resubmit", with(form(), json!({ "contact_phone": "123" }))).await;
    assert_eq!(r.body["field"], "contact_phone");
    let file = app.get_as(&applicant, &format!("/api/admission/applications/{id}")).await;
    assert_eq!(file.body["summary"]["status"], "returned");
    assert_eq!(file.body["allowed"], json!(["resubmit", "withdraw"]));
    ok(&step(&app, &applicant, id, "resubmit", with(form(), json!({ "item_content": "补充了经费测算说明。" }))).await);
    let body = ok(&step(&app, &reviewer, id, "accept", json!({})).await).clone();
    assert_eq!(body["summary"]["accepted_on"], TODAY);
    assert_eq!(body["form"]["item_content"], "补充了经费测算说明。");
    // Withdrawal by the applicant before the decision.
    ok(&step(&app, &applicant, id, "withdraw", json!({ "reason": "合并办理" })).await);
}

#[tokio::test]
async fn paper_applications_keep_their_real_acceptance_date() {
    let app = app().await;
    let reviewer = app.login("reviewer").await;
    let paper = |dept: &str, accepted: &str, key: &str| {
        with(form(), json!({ "department": dept, "accepted_on": accepted, "idempotency_key": key }))
    };
    let r = app.post_as(&reviewer, "/api/admission/paper", paper("", "2026-11-25", "paper-000001")).await;
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["field_required", "field_date_in_future"]);
    // Accepted 2026-10-30: due 2026-11-20 — already overdue by two working days.
    let r = app.post_as(&reviewer, "/api/admission/paper", paper("wjw", "2026-10-30", "paper-000002")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["summary"]["paper"], true);
    assert_eq!(r.body["summary"]["due"], "2026-11-20");
    assert_eq!(r.body["summary"]["due_state"], json!({ "state": "overdue", "late": 2 }));
    // A district reviewer cannot register for a city department.
    let dx = app.login("reviewer.dx").await;
    let r = app.post_as(&dx, "/api/admission/paper", paper("wjw", "2026-11-20", "paper-000003")).await;
    assert_eq!(r.body["code"], "field_unknown_option");
}

#[tokio::test]
async fn the_queue_is_sorted_by_deadline_filtered_and_scoped() {
    let app = app().await;
    let reviewer = app.login("reviewer").await;
    let list = app.get_as(&reviewer, "/api/admission/applications").await;
    let rows = list.body.as_array().unwrap();
    assert!(rows.len() >= 12, "a dozen demo files");
    let dues: Vec<NaiveDate> = rows
        .iter()
        .filter(|r| {
            matches!(r["light"].as_str(), Some("green" | "amber" | "red")) && r["due_state"]["state"] != "done_late"
        })
        .filter_map(|r| r["due"].as_str().map(|d| d.parse().unwrap()))
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "running clocks sorted by due date: {dues:?}");
    let overdue = app.get_as(&reviewer, "/api/admission/applications?due=overdue").await;
    assert!(!overdue.body.as_array().unwrap().is_empty());
    assert!(overdue.body.as_array().unwrap().iter().all(|r| r["due_state"]["state"] == "overdue"));
    let by_status = app.get_as(&reviewer, "/api/admission/applications?status=approved").await;
    assert!(by_status.body.as_array().unwrap().iter().all(|r| r["status"] == "approved"));

    // The district reviewer sees the district's file and not the city's.
    let dx = app.login("reviewer.dx").await;
    let mine = app.get_as(&dx, "/api/admission/applications").await;
    let names: Vec<&str> =
        mine.body.as_array().unwrap().iter().map(|r| r["department_code"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["dx-zjj"]);
    let city_file = rows[0]["id"].as_i64().unwrap();
    let r = app.get_as(&dx, &format!("/api/admission/applications/{city_file}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let zx = app.login("reviewer.zx").await;
    let dx_file = mine.body[0]["id"].as_i64().unwrap();
    assert_eq!(app.get_as(&zx, &format!("/api/admission/applications/{dx_file}")).await.status, StatusCode::NOT_FOUND);

    // An applicant sees its department's files and those it was consulted on.
    let applicant = app.login("applicant").await;
    let seen = app.get_as(&applicant, "/api/admission/applications").await;
    let depts: Vec<&str> =
        seen.body.as_array().unwrap().iter().map(|r| r["department_code"].as_str().unwrap()).collect();
    assert!(depts.contains(&"rsj") && depts.contains(&"wjw"), "{depts:?}");
    assert!(!depts.contains(&"gaj"));
}

#[tokio::test]
async fn exempt_items_are_registered_and_negative_list_matches_are_flagged() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let reviewer = app.login("reviewer").await;
    let body = with(
        form(),
        json!({
            "path": "exempt", "exempt_ground": "law", "basis_doc_no": "国务院令第 663 号",
            "item_content": "社区协助开展执法检查。", "idempotency_key": "exempt-00001"
        }),
    );
    let r = app.post_as(&applicant, "/api/admission/applications", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["negative_matches"][0]["code"], "law_enforcement");
    assert_eq!(r.body["negative_matches"][0]["matched"], json!(["执法检查"]));
    let id = r.body["summary"]["id"].as_i64().unwrap();
    let body = ok(&step(&app, &reviewer, id, "accept", json!({})).await).clone();
    assert_eq!(body["summary"]["status"], "registered");
    assert_eq!(body["allowed"], json!(["deliver"]));
}
