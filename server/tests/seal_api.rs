//! Community seal through the real router: rules, flow, register.

mod common;

use axum::http::StatusCode;
use common::{Session, TestApp};
use serde_json::{json, Value};

fn request(matter: &str) -> Value {
    json!({
        "requester_kind": "department",
        "requester_name": "市民政局社会救助科",
        "requester_department": "mzj",
        "resident_name": "王秀英",
        "resident_id_number": "11010519491231002X",
        "matter": matter,
        "purpose": "办理最低生活保障审核",
        "content": "兹证明王秀英同志家庭情况已由本社区协助入户核实。",
        "copies": "2",
        "basis_law": "社会救助暂行办法",
        "basis_article": "第十一条",
        "basis_text": "……村民委员会、居民委员会协助做好相关工作。"
    })
}

fn with_key(mut body: Value, key: &str) -> Value {
    body["idempotency_key"] = json!(key);
    body
}

fn codes(v: &Value) -> Vec<String> {
    v["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn evaluation_gives_every_reason_without_recording() {
    let app = TestApp::new().await;
    let before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM seal_requests").fetch_one(&app.db().await).await.unwrap();
    let ok = app
        .send(axum::http::Method::POST, "/api/seal/evaluate", Some(request("assistance_household_check")), None)
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["allowed"], true);

    let mut no_article = request("assistance_household_check");
    no_article["basis_article"] = json!("");
    let r = app.send(axum::http::Method::POST, "/api/seal/evaluate", Some(no_article), None).await;
    assert_eq!(r.body["allowed"], false);
    assert_eq!(codes(&r.body), vec!["seal_no_article"]);
    assert!(r.body["reasons"][0]["message"].as_str().unwrap().starts_with("未提供要求社区出具证明所依据的"));

    // A guarantee is refused even with an article.
    let mut guarantee = request("loan_guarantee");
    guarantee["purpose"] = json!("为其贷款提供担保");
    let r = app.send(axum::http::Method::POST, "/api/seal/evaluate", Some(guarantee), None).await;
    assert_eq!(codes(&r.body), vec!["seal_joint_liability"]);

    let mut own = request("household_registration");
    own["requester_department"] = json!("gaj");
    let r = app.send(axum::http::Method::POST, "/api/seal/evaluate", Some(own), None).await;
    assert_eq!(codes(&r.body), vec!["seal_requester_own_duty"]);
    assert!(r.body["reasons"][0]["message"].as_str().unwrap().contains("市公安局"));

    let r = app
        .send(axum::http::Method::POST, "/api/seal/evaluate", Some(json!({ "requester_kind": "department" })), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 7);

    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seal_requests").fetch_one(&app.db().await).await.unwrap();
    assert_eq!(before, after, "evaluation records nothing");
}

async fn create(app: &TestApp, s: &Session, body: Value, key: &str) -> common::Response {
    app.post_as(s, "/api/seal/requests", with_key(body, key)).await
}

#[tokio::test]
async fn retried_submits_create_one_request() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let key = "6f1c2a80-0c9b-4f4e-9d1e-2b8f3c7a9e01";
    let first = create(&app, &s, request("mediation_result"), key).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    for _ in 0..5 {
        let again = create(&app, &s, request("mediation_result"), key).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.body["id"], first.body["id"]);
    }
    // Two at once.
    let (a, b) = tokio::join!(
        create(&app, &s, request("public_affairs_participation"), "key-concurrent-0001"),
        create(&app, &s, request("public_affairs_participation"), "key-concurrent-0001")
    );
    assert_eq!(a.body["id"], b.body["id"]);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seal_requests WHERE idempotency_key IN ($1, $2)")
        .bind(key)
        .bind("key-concurrent-0001")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(n, 2);
    // The same key with a different body is refused.
    let reused = create(&app, &s, request("assistance_household_check"), key).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reused.body["code"], "idempotency_key_reused");
}

#[tokio::test]
async fn a_refused_request_is_recorded_with_its_reasons() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let mut body = request("kinship");
    body["basis_text"] = json!("");
    let r = create(&app, &s, body, "refused-key-0001").await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["status"], "refused");
    assert_eq!(r.body["status_label"], "不予出具");
    let got: Vec<&str> =
        r.body["refusal_reasons"].as_array().unwrap().iter().map(|x| x["code"].as_str().unwrap()).collect();
    assert_eq!(got, vec!["seal_no_article", "seal_national_list"]);
    assert_eq!(r.body["resident_id_number"], "110***********002X", "masked");
    let id = r.body["id"].as_i64().unwrap();
    // The decision records the catalogue edition that made it, in the row and the audit trail.
    // (the national edition and the demo province edition, composed)
    let version = format!("{}+HB-DEMO-1", gongzhi_domain::seal::Catalog::bundled().version);
    assert_eq!(r.body["catalog_version"], version.as_str());
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'seal.request' AND object = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(format!("seal_request:{id}"))
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    assert!(detail.contains(&format!("\"catalog_version\":\"{version}\"")), "{detail}");
    let stamp = app.post_as(&s, &format!("/api/seal/requests/{id}/stamp"), json!({})).await;
    assert_eq!(stamp.status, StatusCode::CONFLICT);
}

/// 死亡证明, even with an article cited: refused by the national list, and the
/// stored reason (which the refusal letter prints) says where to get it.
#[tokio::test]
async fn a_death_certificate_is_refused_and_the_letter_says_where_to_go() {
    let app = TestApp::new().await;
    let s = app.login("gridmember").await;
    let mut body = request("death");
    body["basis_law"] = json!("某某市丧葬补助办法");
    body["basis_article"] = json!("第五条");
    body["basis_text"] = json!("申请丧葬补助应提交死亡证明。");
    let r = create(&app, &s, body, "death-key-00000001").await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["status"], "refused");
    let reasons = r.body["refusal_reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0]["code"], "seal_national_list");
    let msg = reasons[0]["message"].as_str().unwrap();
    assert!(msg.contains("民发〔2020〕20号") && msg.contains("医疗机构") && msg.contains("公安机关"), "{msg}");
    // The catalogue the form reads carries the same.
    let cat = app.get_as(&s, "/api/seal/catalog").await;
    let death = cat.body["matters"].as_array().unwrap().iter().find(|m| m["code"] == "death").unwrap().clone();
    assert_eq!(death["initials"], "swzm");
    assert_eq!(death["source"], "民发〔2020〕20号");
    let national = |m: &&Value| m["national_list"] == true && m["level"] == "national";
    assert_eq!(cat.body["matters"].as_array().unwrap().iter().filter(national).count(), 20);
}

#[tokio::test]
async fn the_whole_flow_stamps_and_registers() {
    let app = TestApp::new().await;
    let worker = app.login("gridmember").await;
    let leader = app.login("leader").await;
    let r = create(&app, &worker, request("assistance_household_check"), "flow-key-000001").await;
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["status"], "submitted");

    // Out of order: nothing happens.
    let early = app.post_as(&worker, &format!("/api/seal/requests/{id}/stamp"), json!({})).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.body["message"], "该申请当前为“待审核”,不能进行“盖章”操作。");
    // Roles: the leader does not review or stamp; the worker does not approve.
    assert_eq!(
        app.post_as(&leader, &format!("/api/seal/requests/{id}/review"), json!({})).await.status,
        StatusCode::FORBIDDEN
    );

    assert_eq!(
        app.post_as(&worker, &format!("/api/seal/requests/{id}/review"), json!({})).await.body["status"],
        "reviewed"
    );
    assert_eq!(
        app.post_as(&worker, &format!("/api/seal/requests/{id}/approve"), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let approved = app.post_as(&leader, &format!("/api/seal/requests/{id}/approve"), json!({})).await;
    assert_eq!(approved.body["approved_by"], "幸福社区主任 赵敏");
    let stamped = app.post_as(&worker, &format!("/api/seal/requests/{id}/stamp"), json!({})).await;
    assert_eq!(stamped.status, StatusCode::OK, "{}", stamped.body);
    assert_eq!(stamped.body["status"], "stamped");
    let no = stamped.body["register_no"].as_str().unwrap().to_string();
    assert!(no.starts_with("DX-CD-XF-"), "{no}");

    let register = app.get_as(&worker, "/api/seal/register").await.body;
    let entries = register["entries"].as_array().unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last["register_no"], no.as_str());
    assert_eq!(last["copies"], 2);
    assert_eq!(last["approver"], "幸福社区主任 赵敏");
    assert_eq!(last["handler"], "网格员 王芳");
    assert_eq!(last["applicant"], "市民政局社会救助科 / 居民 王秀英");
    assert_eq!(entries.len(), 2, "the demo entry and this one");
    let verify = app.get_as(&leader, "/api/seal/register/verify").await.body;
    assert_eq!(verify["intact"], true, "{verify}");
    assert_eq!(verify["entries"], 2);

    // The other community sees neither the request nor the entry.
    let hp = app.login("gridmember.hp").await;
    assert_eq!(app.get_as(&hp, &format!("/api/seal/requests/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(app.get_as(&hp, "/api/seal/register").await.body["entries"].as_array().unwrap().is_empty());

    // Audited, in the same transactions.
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE object = $1 AND outcome = 'success' ORDER BY seq")
            .bind(format!("seal_request:{id}"))
            .fetch_all(&app.db().await)
            .await
            .unwrap();
    assert_eq!(actions, vec!["seal.request", "seal.review", "seal.approve", "seal.stamp"]);
}

#[tokio::test]
async fn corrections_append_and_the_original_stays() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await;
    let missing = app.post_as(&leader, "/api/seal/register/1/corrections", json!({})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.body["field"], "note");
    let r = app.post_as(&leader, "/api/seal/register/1/corrections", json!({ "note": "份数应为 2 份" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["kind"], "correction");
    assert_eq!(r.body["corrects_seq"], 1);
    assert_eq!(r.body["seq"], 2);
    let register = app.get_as(&leader, "/api/seal/register").await.body;
    assert_eq!(register["entries"][0]["kind"], "use");
    assert_eq!(register["entries"][0]["note"], "");
    assert_eq!(app.get_as(&leader, "/api/seal/register/verify").await.body["intact"], true);
    assert_eq!(
        app.post_as(&leader, "/api/seal/register/99/corrections", json!({ "note": "x" })).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn tampered(sql: &str) -> Value {
    let app = TestApp::new().await;
    let worker = app.login("gridmember").await;
    let leader = app.login("leader").await;
    for (i, matter) in ["mediation_result", "public_affairs_participation"].iter().enumerate() {
        let id =
            create(&app, &worker, request(matter), &format!("tamper-key-{i:04}")).await.body["id"].as_i64().unwrap();
        app.post_as(&worker, &format!("/api/seal/requests/{id}/review"), json!({})).await;
        app.post_as(&leader, &format!("/api/seal/requests/{id}/approve"), json!({})).await;
        app.post_as(&worker, &format!("/api/seal/requests/{id}/stamp"), json!({})).await;
    }
    assert_eq!(app.get_as(&leader, "/api/seal/register/verify").await.body["entries"], 3);
    let db = app.db().await;
    assert!(sqlx::query("UPDATE seal_register SET copies = 9").execute(&db).await.is_err(), "triggers refuse edits");
    assert!(sqlx::query("DELETE FROM seal_register").execute(&db).await.is_err(), "triggers refuse deletes");
    common::drop_trigger(&db, "seal_register_no_update").await;
    common::drop_trigger(&db, "seal_register_no_delete").await;
    for stmt in sql.split(';') {
        sqlx::query(stmt).execute(&db).await.unwrap();
    }
    app.get_as(&leader, "/api/seal/register/verify").await.body
}

#[tokio::test]
async fn a_changed_register_entry_is_caught() {
    let r = tampered("UPDATE seal_register SET copies = 9 WHERE seq = 2").await;
    assert_eq!((r["intact"].as_bool(), r["first_broken_seq"].as_i64()), (Some(false), Some(2)));
    assert_eq!(r["message"], "第 2 条用印登记的内容已被修改。");
}

#[tokio::test]
async fn a_deleted_register_entry_is_caught() {
    let r = tampered("DELETE FROM seal_register WHERE seq = 2").await;
    assert_eq!((r["intact"].as_bool(), r["first_broken_seq"].as_i64()), (Some(false), Some(3)));
}

#[tokio::test]
async fn reordered_register_entries_are_caught() {
    let r = tampered(
        "UPDATE seal_register SET seq = -2 WHERE seq = 2 AND community_id = (SELECT id FROM org_nodes WHERE code = 'DX-CD-XF');
         UPDATE seal_register SET seq = 2 WHERE seq = 3 AND community_id = (SELECT id FROM org_nodes WHERE code = 'DX-CD-XF');
         UPDATE seal_register SET seq = 3 WHERE seq = -2",
    )
    .await;
    assert_eq!(r["intact"], false);
    assert_eq!(r["first_broken_seq"], 2);
}

#[tokio::test]
async fn the_register_exports_to_excel() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await;
    let r = app.get_as(&leader, "/api/seal/register/export").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
    // An .xlsx file is a zip archive.
    let bytes = r.body.as_str().map(|s| s.as_bytes().to_vec()).unwrap_or_default();
    assert!(bytes.starts_with(b"PK"), "zip signature");
}

#[tokio::test]
async fn the_register_filters_by_beijing_date_and_matter() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await;
    let today = gongzhi_domain::time::shanghai_date(chrono::Utc::now()).to_string();
    let count = |v: &Value| v["entries"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(count(&app.get_as(&leader, &format!("/api/seal/register?from={today}&to={today}")).await.body), 1);
    assert_eq!(count(&app.get_as(&leader, "/api/seal/register?to=2000-01-01").await.body), 0);
    let by_matter = app.get_as(&leader, &format!("/api/seal/register?matter={}", "%E6%95%91%E5%8A%A9")).await.body; // 救助
    assert_eq!(count(&by_matter), 1);
    let bad = app.get_as(&leader, "/api/seal/register?from=2026-02-30").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["field"], "from");
}

/// Two stamps of one approved request at the same moment: one register
/// entry, one audit entry; the other answers 409 (`seal_transition_invalid`) and leaves
/// nothing in the register (its entry is rolled back with the move).
#[tokio::test]
async fn two_stamps_at_once_register_one() {
    let app = TestApp::new().await;
    let worker = app.login("gridmember").await;
    let leader = app.login("leader").await;
    let r = create(&app, &worker, request("assistance_household_check"), "race-stamp-000001").await;
    let id = r.body["id"].as_i64().unwrap();
    let review = app.post_as(&worker, &format!("/api/seal/requests/{id}/review"), json!({})).await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.body);
    let approve = app.post_as(&leader, &format!("/api/seal/requests/{id}/approve"), json!({})).await;
    assert_eq!(approve.status, StatusCode::OK, "{}", approve.body);
    let path = format!("/api/seal/requests/{id}/stamp");
    let (a, b) = tokio::join!(app.post_as(&worker, &path, json!({})), app.post_as(&worker, &path, json!({})));
    let mut answers = [(a.status, a.body["code"].clone()), (b.status, b.body["code"].clone())];
    answers.sort_by_key(|(status, _)| *status);
    assert_eq!(answers[0].0, StatusCode::OK, "{} / {}", a.body, b.body);
    assert_eq!((answers[1].0, answers[1].1.as_str()), (StatusCode::CONFLICT, Some("seal_transition_invalid")));
    let db = app.db().await;
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seal_register WHERE request_id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(entries, 1, "one register entry");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'seal.stamp' AND object = $1")
        .bind(format!("seal_request:{id}"))
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(audited, 1, "one stamp audited");
    let stored: Option<String> = sqlx::query_scalar("SELECT register_no FROM seal_requests WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    let winner = if a.status == StatusCode::OK { &a } else { &b };
    assert_eq!(stored.as_deref(), winner.body["register_no"].as_str());
    let verify = app.get_as(&leader, "/api/seal/register/verify").await.body;
    assert_eq!(verify["intact"], true, "{verify}");
}
