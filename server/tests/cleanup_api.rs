//! Cleanup registers and campaigns, and the purchase-of-services list,
//! through the real router.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_campaign_removes_a_plaque_and_keeps_it_as_history() {
    let app = TestApp::new().await;
    let reviewer = app.login("reviewer").await;
    let r = app.post_as(&reviewer, "/api/cleanup/campaigns", json!({ "name": "" })).await;
    assert_eq!(r.body["message"], "请填写清理行动名称。");
    let r = app.post_as(&reviewer, "/api/cleanup/campaigns", json!({ "name": "2026 年下半年挂牌清理" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let campaign = r.body["id"].as_i64().unwrap();
    let before = r.body["city_before"]["plaque"].as_u64().unwrap();
    let xf = |b: &serde_json::Value| {
        b["communities"].as_array().unwrap().iter().find(|c| c["community_code"] == "DX-CD-XF").cloned().unwrap()
    };
    let xf_before = xf(&r.body)["before"]["plaque"].as_u64().unwrap();

    let entries = app.get_as(&reviewer, "/api/cleanup/entries?community=DX-CD-XF").await;
    let plaque = entries.body.as_array().unwrap().iter().find(|e| e["name"] == "禁毒工作站").unwrap().clone();
    let id = plaque["id"].as_i64().unwrap();
    let path = format!("/api/cleanup/campaigns/{campaign}/reviews");
    let r = app.post_as(&reviewer, &path, json!({ "entry_id": id, "verdict": "remove", "reason": "" })).await;
    assert_eq!(r.body["message"], "请填写理由。");
    let r = app
        .post_as(&reviewer, &path, json!({ "entry_id": id, "verdict": "remove", "reason": "部门自身职责,撤销挂牌" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (r.body["status"].as_str(), r.body["reason"].as_str()),
        (Some("removed"), Some("部门自身职责,撤销挂牌"))
    );
    let r = app.post_as(&reviewer, &path, json!({ "entry_id": id, "verdict": "keep", "reason": "再议" })).await;
    assert_eq!(r.body["code"], "cleanup_entry_closed");
    let kept = entries.body.as_array().unwrap().iter().find(|e| e["name"] == "社区党群服务中心").unwrap()["id"]
        .as_i64()
        .unwrap();
    let keep = json!({ "entry_id": kept, "verdict": "keep", "reason": "属社区基本阵地" });
    assert_eq!(app.post_as(&reviewer, &path, keep.clone()).await.status, StatusCode::CREATED);
    assert_eq!(app.post_as(&reviewer, &path, keep).await.body["code"], "cleanup_already_reviewed");

    // A merge must point at another entry in force of the same kind.
    let ledger = entries.body.as_array().unwrap().iter().find(|e| e["name"] == "安全生产检查台账").unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post_as(
            &reviewer,
            &path,
            json!({ "entry_id": ledger, "verdict": "merge", "merge_into": id.to_string(), "reason": "合并" }),
        )
        .await;
    assert_eq!(r.body["code"], "field_unknown_option");

    let r = app.post_as(&reviewer, &format!("/api/cleanup/campaigns/{campaign}/close"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["city_after"]["plaque"].as_u64().unwrap(), before - 1);
    assert_eq!(xf(&r.body)["after"]["plaque"].as_u64().unwrap(), xf_before - 1);
    assert_eq!(r.body["status"], "closed");
    let r = app.post_as(&reviewer, &path, json!({ "entry_id": ledger, "verdict": "keep", "reason": "保留" })).await;
    assert_eq!(r.body["code"], "cleanup_campaign_closed");

    // The removed plaque is still there, as history.
    let after = app.get_as(&reviewer, "/api/cleanup/entries?community=DX-CD-XF").await;
    let gone = after.body.as_array().unwrap().iter().find(|e| e["id"] == id).unwrap().clone();
    assert_eq!((gone["status_label"].as_str(), gone["closed_in"].as_i64()), (Some("已清理"), Some(campaign)));
}

#[tokio::test]
async fn a_leader_keeps_their_own_register_only() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await;
    let r = app
        .post_as(
            &leader,
            "/api/cleanup/entries",
            json!({ "community": "DX-CD-HP", "kind": "plaque", "name": "x", "source": "y", "basis": "z" }),
        )
        .await;
    assert_eq!(r.body["field"], "community");
    let r = app
        .post_as(&leader, "/api/cleanup/entries", json!({ "community": "DX-CD-XF", "kind": "plaque", "name": "老年学校", "source": "市老干部局", "basis": "部门通知" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let seen = app.get_as(&leader, "/api/cleanup/entries").await;
    assert!(seen.body.as_array().unwrap().iter().all(|e| e["community_code"] == "DX-CD-XF"));
    // Campaigns are the reviewers'.
    assert_eq!(
        app.post_as(&leader, "/api/cleanup/campaigns", json!({ "name": "x" })).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn services_are_contracted_listed_publicly_and_accepted_once() {
    let app = TestApp::with_setup(|c| c.today = Some("2026-11-24".parse().unwrap())).await;
    let applicant = app.login("applicant").await;
    let bad = json!({ "service": "技能培训", "organisation": "", "amount": "1.234", "starts_on": "2027-01-01", "ends_on": "2026-12-01", "deliverables": "" });
    let r = app.post_as(&applicant, "/api/purchases", bad).await;
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["organisation", "amount", "ends_on", "deliverables"]);
    // Routed from a file that is not the department's own: refused.
    let refused: i64 =
        sqlx::query_scalar("SELECT id FROM admission_applications WHERE item_name = '违法用地巡查及行政处罚协助'")
            .fetch_one(&app.db().await)
            .await
            .unwrap();
    let body = json!({ "service": "创业指导", "organisation": "示范市创业服务中心", "amount": "36000", "starts_on": "2027-01-01",
        "ends_on": "2027-12-31", "deliverables": "辅导记录\n年度报告", "source_application": refused.to_string() });
    assert_eq!(app.post_as(&applicant, "/api/purchases", body.clone()).await.body["field"], "source_application");
    let mut ok = body.clone();
    ok["source_application"] = json!("");
    let r = app.post_as(&applicant, "/api/purchases", ok).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    // Public.
    let (status, list) = app.get("/api/purchases").await;
    assert_eq!(status, StatusCode::OK);
    let mine = list.as_array().unwrap().iter().find(|p| p["id"] == id).unwrap().clone();
    assert_eq!((mine["deliverables"].clone(), mine["own"].clone()), (json!(["辅导记录", "年度报告"]), json!(false)));
    // Signed in, the department sees which entries are its own.
    let signed_in = app.get_as(&applicant, "/api/purchases").await;
    let own: Vec<bool> = signed_in.body.as_array().unwrap().iter().map(|p| p["own"].as_bool().unwrap()).collect();
    assert_eq!(own.iter().filter(|o| **o).count(), 2, "its new entry and the demo's 人社局 entry");
    let path = format!("/api/purchases/{id}/acceptance");
    let wjw = app.login("applicant.wjw").await;
    assert_eq!(app.post_as(&wjw, &path, json!({})).await.status, StatusCode::NOT_FOUND);
    let r = app
        .post_as(&applicant, &path, json!({ "result": "accepted", "accepted_on": "2026-11-24", "note": "成果齐全" }))
        .await;
    assert_eq!(r.body["status_label"], "验收合格");
    let r = app
        .post_as(&applicant, &path, json!({ "result": "rejected", "accepted_on": "2026-11-24", "note": "改判" }))
        .await;
    assert_eq!(r.body["code"], "purchase_already_accepted");
}

/// Two acceptances of one purchase at the same moment: one is recorded and
/// audited, the other answers 409 and records nothing.
#[tokio::test]
async fn two_acceptances_at_once_record_one() {
    let app = TestApp::with_setup(|c| c.today = Some("2026-11-24".parse().unwrap())).await;
    let applicant = app.login("applicant").await;
    let body = json!({ "service": "心理疏导", "organisation": "示范市心理服务中心", "amount": "12000", "starts_on": "2027-01-01",
        "ends_on": "2027-06-30", "deliverables": "服务记录" });
    let r = app.post_as(&applicant, "/api/purchases", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let path = format!("/api/purchases/{}/acceptance", r.body["id"]);
    let accepted = json!({ "result": "accepted", "accepted_on": "2026-11-24", "note": "成果齐全" });
    let rejected = json!({ "result": "rejected", "accepted_on": "2026-11-24", "note": "成果不全" });
    let (a, b) = tokio::join!(app.post_as(&applicant, &path, accepted), app.post_as(&applicant, &path, rejected));
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'purchase.accept' AND object = $1")
            .bind(format!("purchase:{}", r.body["id"]))
            .fetch_one(&app.db().await)
            .await
            .unwrap();
    assert_eq!(audited, 1, "only the acceptance that happened is audited");
}

/// Closing a campaign twice at the same moment closes it once; and two
/// campaigns removing the same plaque at once close it once.
#[tokio::test]
async fn concurrent_closes_and_reviews_record_once() {
    let app = TestApp::new().await;
    let reviewer = app.login("reviewer").await;
    let mut campaigns = Vec::new();
    for name in ["并发清理甲", "并发清理乙"] {
        let r = app.post_as(&reviewer, "/api/cleanup/campaigns", json!({ "name": name })).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        campaigns.push(r.body["id"].as_i64().unwrap());
    }
    let entries = app.get_as(&reviewer, "/api/cleanup/entries?community=DX-CD-XF").await;
    let plaque = entries.body.as_array().unwrap().iter().find(|e| e["name"] == "禁毒工作站").unwrap()["id"].clone();
    let review = json!({ "entry_id": plaque, "verdict": "remove", "reason": "无实际工作内容" });
    let (first, second) = (
        format!("/api/cleanup/campaigns/{}/reviews", campaigns[0]),
        format!("/api/cleanup/campaigns/{}/reviews", campaigns[1]),
    );
    let (a, b) =
        tokio::join!(app.post_as(&reviewer, &first, review.clone()), app.post_as(&reviewer, &second, review.clone()),);
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::CREATED, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    let reviews: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cleanup_reviews WHERE entry_id = $1")
        .bind(plaque.as_i64().unwrap())
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(reviews, 1, "one removal recorded");

    let close = format!("/api/cleanup/campaigns/{}/close", campaigns[0]);
    let (a, b) = tokio::join!(app.post_as(&reviewer, &close, json!({})), app.post_as(&reviewer, &close, json!({})));
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    let closes: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'cleanup.close' AND object = $1")
            .bind(format!("cleanup_campaign:{}", campaigns[0]))
            .fetch_one(&app.db().await)
            .await
            .unwrap();
    assert_eq!(closes, 1, "closed and audited once");
}
