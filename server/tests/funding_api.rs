//! Funding follows the work (费随事转) through the real router: the ledger and
//! its roll-ups, payments (single, split by households, retried), corrections
//! as new entries, the .xlsx export, and who may see and do what.
//! "Today" is pinned to 2026-11-24.

mod common;

use std::io::Cursor;

use axum::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use common::{Session, TestApp};
use serde_json::{json, Value};

async fn app() -> TestApp {
    TestApp::with_setup(|c| c.today = Some("2026-11-24".parse().unwrap())).await
}

/// The id of a demo file by its item name.
async fn item(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM admission_applications WHERE item_name = $1")
        .bind(name)
        .fetch_one(&app.db().await)
        .await
        .unwrap()
}

async fn line(app: &TestApp, s: &Session, id: i64, community: &str, period: u32) -> Value {
    let r = app.get_as(s, &format!("/api/funding/ledger?application_id={id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["community_code"] == community && l["period_index"] == period)
        .cloned()
        .unwrap_or_else(|| panic!("no line {community} {period}"))
}

async fn pay(app: &TestApp, s: &Session, body: Value) -> common::Response {
    app.post_as(s, "/api/funding/payments", body).await
}

#[tokio::test]
async fn the_dashboard_tells_who_is_short_and_late() {
    let app = app().await;
    let finance = app.login("finance").await;
    let r = app.get_as(&finance, "/api/funding/summary").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = &r.body;
    assert_eq!(s["due_rule"], "每期开始之日前拨付到位");
    // Every total is the sum of its lines: the city's shortfall is the
    // departments' shortfalls added up, and the streets', and the districts'.
    let sum = |key: &str| -> i64 {
        s[key].as_array().unwrap().iter().map(|t| t["totals"]["shortfall_fen"].as_i64().unwrap()).sum()
    };
    let city = s["city"]["shortfall_fen"].as_i64().unwrap();
    assert!(city > 0);
    assert_eq!((sum("by_department"), sum("by_street"), sum("by_district")), (city, city, city));
    // The 民政局 item: 东门社区 unpaid for its second quarter, 长青社区 short.
    let problems = s["problems"].as_array().unwrap();
    let find = |community: &str, item: &str| {
        problems.iter().find(|p| p["community_name"] == community && p["item_name"] == item).cloned().unwrap()
    };
    let dm = find("东门社区", "社区养老服务需求调查");
    assert_eq!((dm["state"].as_str(), dm["shortfall_fen"].as_i64()), (Some("unpaid"), Some(150_000)));
    let cq = find("长青社区", "社区养老服务需求调查");
    assert_eq!(
        (cq["state"].as_str(), cq["paid_fen"].as_i64(), cq["shortfall_fen"].as_i64()),
        (Some("partial"), Some(80_000), Some(70_000))
    );
    // Paid in full but after the due date: late, not short.
    let hp = find("和平社区", "社区养老服务需求调查");
    assert_eq!((hp["state"].as_str(), hp["shortfall_fen"].as_i64()), (Some("paid_late"), Some(0)));
    assert!(hp["late_working_days"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn a_department_pays_part_then_the_rest_and_retries_change_nothing() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let id = item(&app, "就业援助月活动组织").await;
    let before = line(&app, &applicant, id, "DX-CD-HP", 1).await;
    assert_eq!((before["state"].as_str(), before["shortfall_fen"].as_i64()), (Some("unpaid"), Some(100_000)));

    let body = json!({ "application_id": id.to_string(), "community": "DX-CD-HP", "period": "1",
        "paid_on": "2026-11-24", "amount": "600", "voucher_no": "CZ202611-0901", "idempotency_key": "pay-hp-000001" });
    let r = pay(&app, &applicant, body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    for _ in 0..3 {
        assert_eq!(pay(&app, &applicant, body.clone()).await.status, StatusCode::OK);
    }
    let mut other = body.clone();
    other["amount"] = json!("700");
    assert_eq!(pay(&app, &applicant, other).await.body["code"], "idempotency_key_reused");
    let partial = line(&app, &applicant, id, "DX-CD-HP", 1).await;
    assert_eq!(
        (partial["state"].as_str(), partial["paid_fen"].as_i64(), partial["shortfall_fen"].as_i64()),
        (Some("partial"), Some(60_000), Some(40_000))
    );
    let mut rest = body.clone();
    rest["amount"] = json!("400.00");
    rest["idempotency_key"] = json!("pay-hp-000002");
    assert_eq!(pay(&app, &applicant, rest).await.status, StatusCode::CREATED);
    let done = line(&app, &applicant, id, "DX-CD-HP", 1).await;
    // Due 2026-11-23 (the period's first day), paid in full the next working day.
    assert_eq!((done["state"].as_str(), done["late_working_days"].as_u64()), (Some("paid_late"), Some(1)));
}

#[tokio::test]
async fn a_total_split_by_households_is_exact_to_the_fen() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let id = item(&app, "就业援助月活动组织").await;
    let r = pay(
        &app,
        &applicant,
        json!({ "application_id": id.to_string(), "period": "1", "paid_on": "2026-11-20", "amount": "3333.33",
            "voucher_no": "CZ202611-0950", "idempotency_key": "split-000001" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let payments = r.body["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 5);
    let total: i64 = payments.iter().map(|p| p["amount_fen"].as_i64().unwrap()).sum();
    assert_eq!(total, 333_333);
    // Each share is its households' part (of 6250), within one fen.
    for (code, households) in
        [("DX-CD-XF", 1820), ("DX-CD-HP", 1260), ("DX-CX-CQ", 980), ("ZX-HC-DM", 760), ("GX-KC-CX", 1430)]
    {
        let fen = payments.iter().find(|p| p["community_code"] == code).unwrap()["amount_fen"].as_i64().unwrap();
        let floor = 333_333 * households / 6250;
        assert!(fen == floor || fen == floor + 1, "{code}: {fen}");
    }
}

#[tokio::test]
async fn bad_payments_are_refused_whole() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let id = item(&app, "就业援助月活动组织").await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM funding_payments").fetch_one(&app.db().await).await.unwrap()
    };
    let n = count().await;
    let r = pay(
        &app,
        &applicant,
        json!({ "application_id": id.to_string(), "community": "DX-CD-HP", "period": "9", "paid_on": "2026-11-25",
            "amount": "12.345", "voucher_no": "", "idempotency_key": "bad-pay-0001" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["period", "paid_on", "amount", "voucher_no"]);
    assert_eq!(r.body["errors"][1]["message"], "拨付日期“2026-11-25”晚于今天,请填写实际日期。");
    // Another department's item is not the caller's to pay.
    let wjw = app.login("applicant.wjw").await;
    let r = pay(
        &app,
        &wjw,
        json!({ "application_id": id.to_string(), "community": "DX-CD-HP", "period": "1", "paid_on": "2026-11-20",
            "amount": "10", "voucher_no": "X1", "idempotency_key": "bad-pay-0002" }),
    )
    .await;
    assert_eq!(r.body["field"], "application_id");
    assert_eq!(count().await, n);
}

#[tokio::test]
async fn corrections_are_new_entries_and_the_original_stays() {
    let app = app().await;
    let applicant = app.login("applicant").await;
    let id = item(&app, "就业援助月活动组织").await;
    let r = pay(
        &app,
        &applicant,
        json!({ "application_id": id.to_string(), "community": "DX-CX-CQ", "period": "1", "paid_on": "2026-11-20",
            "amount": "1000", "voucher_no": "CZ-WRONG", "idempotency_key": "fix-0000001" }),
    )
    .await;
    let pid = r.body["payments"][0]["id"].as_i64().unwrap();
    assert_eq!(line(&app, &applicant, id, "DX-CX-CQ", 1).await["state"], "paid");
    let path = format!("/api/funding/payments/{pid}/correct");
    let r = app.post_as(&applicant, &path, json!({ "note": "", "idempotency_key": "fix-0000002" })).await;
    assert_eq!(r.body["message"], "请填写更正说明。");
    let r =
        app.post_as(&applicant, &path, json!({ "note": "凭证号错误,冲回", "idempotency_key": "fix-0000002" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["amount_fen"], -100_000);
    let r = app.post_as(&applicant, &path, json!({ "note": "再冲一次", "idempotency_key": "fix-0000003" })).await;
    assert_eq!(r.body["code"], "funding_already_corrected");
    assert_eq!(line(&app, &applicant, id, "DX-CX-CQ", 1).await["state"], "unpaid");
    let list = app.get_as(&applicant, &format!("/api/funding/payments?application_id={id}")).await;
    let original = list.body.as_array().unwrap().iter().find(|p| p["id"] == pid).unwrap().clone();
    assert_eq!((original["amount_fen"].as_i64(), original["corrected"].as_bool()), (Some(100_000), Some(true)));
    // Not even the database lets a payment be changed or deleted.
    let db = app.db().await;
    assert!(sqlx::query("UPDATE funding_payments SET amount_fen = 1 WHERE id = $1")
        .bind(pid)
        .execute(&db)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM funding_payments WHERE id = $1").bind(pid).execute(&db).await.is_err());
}

#[tokio::test]
async fn the_ledger_exports_to_excel_with_numbers_and_chinese_headers() {
    let app = app().await;
    let finance = app.login("finance").await;
    let raw = app.raw(Method::GET, "/api/funding/ledger/export?state=problems", &finance).await;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(raw)).unwrap();
    let sheet = book.worksheet_range("经费拨付台账").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[0][0], Data::String("事项编号".into()));
    assert_eq!(rows[0][10], Data::String("缺口(元)".into()));
    let problems = app.get_as(&finance, "/api/funding/ledger?state=problems").await;
    assert_eq!(rows.len() - 1, problems.body.as_array().unwrap().len());
    let shortfall: f64 =
        rows[1..].iter().map(|r| if let Data::Float(f) = r[10] { f } else { panic!("{:?}", r[10]) }).sum();
    let expected: i64 = problems.body.as_array().unwrap().iter().map(|l| l["shortfall_fen"].as_i64().unwrap()).sum();
    assert!((shortfall * 100.0 - expected as f64).abs() < 0.5);
}

#[tokio::test]
async fn the_roll_ups_export_one_sheet_per_level() {
    let app = app().await;
    let finance = app.login("finance").await;
    let summary = app.get_as(&finance, "/api/funding/summary").await.body;
    let raw = app.raw(Method::GET, "/api/funding/summary/export", &finance).await;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(raw)).unwrap();
    assert_eq!(book.sheet_names(), vec!["按部门", "按街道", "按区县", "全市"]);
    let city = book.worksheet_range("全市").unwrap();
    assert_eq!(city.get((0, 4)), Some(&Data::String("缺口(元)".into())));
    let shortfall = summary["city"]["shortfall_fen"].as_i64().unwrap() as f64 / 100.0;
    assert_eq!(city.get((1, 4)), Some(&Data::Float(shortfall)));
    let streets = book.worksheet_range("按街道").unwrap();
    assert_eq!(streets.height() - 1, summary["by_street"].as_array().unwrap().len());
}

#[tokio::test]
async fn each_sees_their_own_part() {
    let app = app().await;
    let dx = app.login("reviewer.dx").await;
    let lines = app.get_as(&dx, "/api/funding/ledger").await;
    assert!(lines.body.as_array().unwrap().iter().all(|l| l["district_name"] == "东乡区"));
    let applicant = app.login("applicant").await;
    let mine = app.get_as(&applicant, "/api/funding/ledger").await;
    assert!(mine.body.as_array().unwrap().iter().all(|l| l["department_code"] == "rsj"));
    assert_eq!(app.get_as(&applicant, "/api/funding/summary").await.status, StatusCode::FORBIDDEN);
    let grid = app.login("gridmember").await;
    assert_eq!(app.get_as(&grid, "/api/funding/ledger").await.status, StatusCode::FORBIDDEN);
    let finance = app.login("finance").await;
    let r = pay(&app, &finance, json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
