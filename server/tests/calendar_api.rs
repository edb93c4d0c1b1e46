//! `GET /api/calendar/*` through the real router.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use gongzhi_domain::{DomainError, DueQuery};
use serde_json::json;

#[tokio::test]
async fn due_date_across_national_day() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/calendar/due?from=2026-09-28&working_days=15").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["from"], "2026-09-28");
    assert_eq!(body["working_days"], 15);
    assert_eq!(body["due"], "2026-10-23");
    assert_eq!(body["make_up_working_days"][0]["date"], "2026-10-10");
    assert_eq!(body["skipped_holidays"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn unknown_year_is_422_naming_the_year() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/calendar/due?from=2026-12-20&working_days=15").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "calendar_year_unknown");
    assert_eq!(body["year"], 2027);
    assert!(body["message"].as_str().unwrap().contains("2027 年"));
}

#[tokio::test]
async fn malformed_input_is_400_with_the_domain_message() {
    let app = TestApp::new().await;
    for (query, field, code) in [
        ("working_days=15", "from", "field_required"),
        ("from=2026-02-30&working_days=15", "from", "field_invalid_date"),
        ("from=2026-09-28", "working_days", "field_required"),
        ("from=2026-09-28&working_days=-3", "working_days", "field_out_of_range"),
        ("from=2026-09-28&working_days=abc", "working_days", "field_not_integer"),
        ("from=2026-09-28&working_days=100000", "working_days", "field_out_of_range"),
    ] {
        let (status, body) = app.get(&format!("/api/calendar/due?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["code"], code, "{query}");
        assert_eq!(body["field"], field, "{query}");
        // The message is exactly the one the browser shows, from the domain crate.
        let params: std::collections::HashMap<_, _> = query.split('&').filter_map(|kv| kv.split_once('=')).collect();
        let expected = DueQuery::parse(params.get("from").copied(), params.get("working_days").copied()).unwrap_err();
        assert_eq!(body["message"], expected[0].message(), "{query}");
    }
}

#[tokio::test]
async fn several_bad_fields_are_all_reported() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/calendar/due?from=yesterday&working_days=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let fields: Vec<_> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].clone()).collect();
    assert_eq!(fields, vec![json!("from"), json!("working_days")]);
}

#[tokio::test]
async fn schedules_list_loaded_years() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/calendar/schedules").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["known_years"], json!([2024, 2025, 2026]));
    assert_eq!(body["schedules"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn operator_adds_a_year_in_the_data_directory() {
    let app = TestApp::with_setup(|config| {
        let dir = config.holidays_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("2027.json"),
            r#"{"year":2027,"papers":["test notice"],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#,
        )
        .unwrap();
    })
    .await;
    let (status, body) = app.get("/api/calendar/due?from=2026-12-31&working_days=1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // 2027-01-01 (Fri) is off, then the weekend: Monday 01-04.
    assert_eq!(body["due"], "2027-01-04");
    let (_, body) = app.get("/api/calendar/schedules").await;
    assert_eq!(body["known_years"], json!([2024, 2025, 2026, 2027]));
}

#[tokio::test]
async fn a_broken_schedule_file_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = gongzhi_server::config::Config::for_dir(dir.path());
    config.demo = true;
    std::fs::create_dir_all(config.holidays_dir()).unwrap();
    std::fs::write(config.holidays_dir().join("2027.json"), "{not json").unwrap();
    let err = gongzhi_server::build(&config).await.expect_err("start refused");
    assert!(format!("{err:#}").contains("2027.json"));
}

// ---- Provisional deadlines (暂定) and loading a year's schedule -------------

const DECEMBER: &str = "2026-12-21";

async fn december() -> TestApp {
    TestApp::with_setup(|c| c.today = Some(DECEMBER.parse().unwrap())).await
}

/// A 2027 schedule as the State Council might publish it: the statutory
/// days, 元旦 taken as 1–3 January, and Monday 4 January off in exchange for
/// Sunday 10 January worked (so deadlines over New Year move by a day).
fn schedule_2027() -> serde_json::Value {
    let mut days: Vec<serde_json::Value> = gongzhi_domain::statutory::statutory_schedule(2027)
        .unwrap()
        .days
        .iter()
        .filter(|d| d.name != "元旦")
        .map(|d| json!({ "name": d.name, "date": d.date, "isOffDay": true }))
        .collect();
    for date in ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"] {
        days.push(json!({ "name": "元旦", "date": date, "isOffDay": true }));
    }
    days.push(json!({ "name": "元旦", "date": "2027-01-10", "isOffDay": false }));
    json!({ "year": 2027, "papers": ["国办发明电〔2026〕X号(测试)"], "days": days })
}

#[tokio::test]
async fn the_strict_endpoint_refuses_and_provisional_allow_answers_flagged() {
    let app = december().await;
    let (status, body) = app.get("/api/calendar/due?from=2026-12-21&working_days=15").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((body["code"].as_str(), body["year"].as_i64()), (Some("calendar_year_unknown"), Some(2027)));
    let (status, body) = app.get("/api/calendar/due?from=2026-12-21&working_days=15&provisional=allow").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["due"], "2027-01-12");
    assert_eq!(body["provisional"], true);
    assert_eq!(body["provisional_years"], json!([2027]));
    assert_eq!(body["note"], "按法定节假日暂定,待国务院公布 2027 年安排后自动更正");
    assert_eq!(body["skipped_holidays"][0]["name"], "元旦");
    // Within published years nothing is flagged, with or without the option.
    let (_, body) = app.get("/api/calendar/due?from=2026-09-28&working_days=15&provisional=allow").await;
    assert_eq!((body["due"].as_str(), body["provisional"].as_bool()), (Some("2026-10-23"), Some(false)));
    assert!(body.get("provisional_years").is_none());
    let (status, body) = app.get("/api/calendar/due?from=2026-12-21&working_days=15&provisional=yes").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("field_unknown_option")));
    assert_eq!(body["field"], "provisional");
    // The reminder: from 1 November, 2027 is missing.
    let (_, body) = app.get("/api/calendar/schedules").await;
    assert_eq!(body["missing_years"], json!([2027]));
    assert!(body["reminder"].as_str().unwrap().starts_with("2027 年节假日安排尚未导入"));
    assert!(body["provisional_years"].as_array().unwrap().contains(&json!(2027)));
    let statutory_2027 = body["statutory"].as_array().unwrap().iter().find(|s| s["year"] == 2027).unwrap();
    assert_eq!(statutory_2027["days"].as_array().unwrap().len(), 13);
}

#[tokio::test]
async fn in_december_every_file_under_review_shows_a_due_date_flagged_provisional() {
    let app = december().await;
    let reviewer = app.login("reviewer").await;
    let r = app.get_as(&reviewer, "/api/admission/applications").await;
    assert_eq!(r.status, StatusCode::OK);
    let running: Vec<&serde_json::Value> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["due_state"]["state"].as_str().is_some_and(|s| !s.starts_with("done")))
        .collect();
    assert!(running.len() >= 5, "the demo has files under review");
    let mut provisional = 0;
    for f in &running {
        let due = f["due"].as_str().unwrap_or_else(|| panic!("{} has no due date: {}", f["file_no"], f["due_label"]));
        assert_ne!(f["light"], "none", "{}", f["file_no"]);
        if due >= "2027-01-01" {
            provisional += 1;
            assert_eq!(f["provisional_years"], json!([2027]), "{}", f["file_no"]);
            assert!(f["due_label"].as_str().unwrap().ends_with("(暂定)"));
            assert_eq!(f["provisional_note"], "按法定节假日暂定,待国务院公布 2027 年安排后自动更正");
        } else {
            assert!(f.get("provisional_years").is_none(), "{} is final", f["file_no"]);
        }
    }
    assert!(provisional >= 3, "files accepted in December are due in 2027: {provisional}");
}

#[tokio::test]
async fn uploading_2027_updates_every_provisional_file_and_audits_the_changes() {
    let app = december().await;
    let reviewer = app.login("reviewer").await;
    let before = app.get_as(&reviewer, "/api/admission/applications").await.body;
    let provisional: Vec<(i64, String)> = before
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("provisional_years").is_some())
        .map(|f| (f["id"].as_i64().unwrap(), f["due"].as_str().unwrap().to_string()))
        .collect();
    assert!(!provisional.is_empty());
    // An event whose handling stage (5 working days) began on 31 December.
    let db = app.db().await;
    let event: i64 = sqlx::query_scalar("SELECT id FROM events WHERE idempotency_key = 'seed-event-3'")
        .fetch_one(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE events SET stage_started_at = '2026-12-31T02:00:00.000Z' WHERE id = $1")
        .bind(event)
        .execute(&db)
        .await
        .unwrap();
    let leader = app.login("leader").await;
    let e = app.get_as(&leader, &format!("/api/events/{event}")).await.body;
    assert_eq!(e["provisional_years"], json!([2027]), "{e}");
    assert_eq!(e["deadline"], "2027-01-09 00:00:00");
    assert!(e["time_left"].as_str().unwrap().ends_with("(暂定)"));

    // Only the system administrator loads schedules.
    let r = app.post_as(&reviewer, "/api/calendar/schedules", schedule_2027()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let admin = app.login("sysadmin").await;
    // A bad file: every problem, named; nothing changes.
    let mut bad = schedule_2027();
    bad["days"].as_array_mut().unwrap().retain(|d| d["name"] != "春节");
    bad["days"].as_array_mut().unwrap().push(json!({ "name": "", "date": "2028-01-01", "isOffDay": true }));
    let r = app.post_as(&admin, "/api/calendar/schedules", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let codes: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "schedule_date_outside_year",
            "schedule_name_invalid",
            "schedule_statutory_not_off",
            "schedule_statutory_not_off",
            "schedule_statutory_not_off",
            "schedule_statutory_not_off"
        ]
    );
    assert!(r.body["errors"][2]["message"].as_str().unwrap().contains("春节(2027-02-05)"));
    let (status, _) = app.get("/api/calendar/due?from=2026-12-21&working_days=15").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a refused file changes nothing");

    // A dry run: checked, the moves it would make listed, nothing changed.
    let r = app.post_as(&admin, "/api/calendar/schedules?dry_run=true", schedule_2027()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["imported"], false);
    let previewed = r.body["changes"].clone();
    let (status, _) = app.get("/api/calendar/due?from=2026-12-21&working_days=15").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a dry run changes nothing");
    assert!(!app.config.holidays_dir().join("2027.json").exists());

    let version_before = app.get("/api/calendar/schedules").await.1["version"].clone();
    let r = app.post_as(&admin, "/api/calendar/schedules", schedule_2027()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["year"], 2027);
    assert_eq!(r.body["recomputed"], provisional.len() as u64 + 1, "the files and the event");
    assert_eq!(r.body["imported"], true);
    let changes = r.body["changes"].as_array().unwrap().clone();
    let strip = |v: &serde_json::Value| {
        v.as_array().unwrap().iter().map(|c| (c["subject_id"].clone(), c["new_due"].clone())).collect::<Vec<_>>()
    };
    assert_eq!(strip(&previewed), strip(&r.body["changes"]), "the dry run foretold the moves");
    assert!(!changes.is_empty(), "a day off on 4 January moves deadlines across it");
    // Header and schedules carry the new version, at once, without a restart.
    let version_after = r.headers[gongzhi_api::CALENDAR_VERSION_HEADER].to_str().unwrap().to_string();
    assert_ne!(json!(version_after), version_before);
    let (_, schedules) = app.get("/api/calendar/schedules").await;
    assert_eq!(schedules["version"], json!(version_after));
    assert_eq!(schedules["missing_years"], json!([]));
    assert!(schedules.get("reminder").is_none());
    assert!(schedules["known_years"].as_array().unwrap().contains(&json!(2027)));
    // The strict endpoint now answers: 15 working days from 12-21 skip 1–4
    // January and count Sunday 10 January; 5 working days from 12-28 moved a day.
    let (status, body) = app.get("/api/calendar/due?from=2026-12-21&working_days=15").await;
    assert_eq!((status, body["due"].as_str()), (StatusCode::OK, Some("2027-01-12")));
    let (_, body) = app.get("/api/calendar/due?from=2026-12-28&working_days=5").await;
    assert_eq!(body["due"], "2027-01-06", "provisionally 2027-01-05");
    assert_eq!(body["provisional"], false);
    // The file is kept in the data directory, as checked.
    let kept = std::fs::read_to_string(app.config.holidays_dir().join("2027.json")).unwrap();
    assert_eq!(gongzhi_domain::HolidaySchedule::from_json(&kept).unwrap().days.len(), 17);

    // Every provisional file is final now; each moved one shows old and new.
    let after = app.get_as(&reviewer, "/api/admission/applications").await.body;
    for (id, old_due) in &provisional {
        let f = after.as_array().unwrap().iter().find(|f| f["id"] == *id).unwrap();
        assert!(f.get("provisional_years").is_none(), "{} final", f["file_no"]);
        let file = app.get_as(&reviewer, &format!("/api/admission/applications/{id}")).await.body;
        let moved = file["deadline_changes"].as_array().unwrap();
        if f["due"] != json!(old_due) {
            assert_eq!(moved.len(), 1, "{}", f["file_no"]);
            assert_eq!((&moved[0]["old_due"], &moved[0]["new_due"]), (&json!(old_due), &f["due"]));
            assert_eq!(moved[0]["schedule_year"], 2027);
        } else {
            assert!(moved.is_empty());
        }
    }
    // The event's stage now ends with Sunday 10 January (a make-up working day).
    let e = app.get_as(&leader, &format!("/api/events/{event}")).await.body;
    assert!(e.get("provisional_years").is_none());
    assert_eq!(e["deadline"], "2027-01-11 00:00:00");
    let moved = changes.iter().find(|c| c["subject"] == "event" && c["subject_id"] == event).unwrap();
    assert_eq!((&moved["old_due"], &moved["new_due"]), (&json!("2027-01-08"), &json!("2027-01-10")));
    let recorded: (String, String) =
        sqlx::query_as("SELECT old_due, new_due FROM deadline_changes WHERE subject = 'event' AND subject_id = $1")
            .bind(event)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(recorded, ("2027-01-08".to_string(), "2027-01-10".to_string()));
    // Audited: the upload and each move, by the administrator.
    let dry: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.upload' AND outcome = 'success'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(dry, 1, "only the import is audited as an upload");
    let moved: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT actor, object, detail FROM audit_log WHERE action = 'calendar.deadline_moved' ORDER BY seq",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(moved.len(), changes.len());
    for ((actor, object, detail), change) in moved.iter().zip(&changes) {
        let detail: serde_json::Value = serde_json::from_str(detail).unwrap();
        assert_eq!(actor, "sysadmin");
        assert_eq!(object, &format!("{}:{}", change["subject"].as_str().unwrap(), change["subject_id"]));
        assert_eq!((&detail["old_due"], &detail["new_due"]), (&change["old_due"], &change["new_due"]));
    }
    let upload: (String, String) =
        sqlx::query_as("SELECT object, detail FROM audit_log WHERE action = 'calendar.upload' AND outcome = 'success'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(upload.0, "holidays:2027");
    let detail: serde_json::Value = serde_json::from_str(&upload.1).unwrap();
    assert_eq!(detail["moved"], changes.len() as u64);
    assert_eq!(detail["sha256"].as_str().unwrap().len(), 64);
    // The record of moves cannot be rewritten.
    assert!(sqlx::query("DELETE FROM deadline_changes").execute(&db).await.is_err());
}

#[tokio::test]
async fn an_uploaded_year_is_loaded_at_the_next_start_too() {
    let app = december().await;
    let admin = app.login("sysadmin").await;
    assert_eq!(app.post_as(&admin, "/api/calendar/schedules", schedule_2027()).await.status, StatusCode::OK);
    let again = gongzhi_server::build(&app.config).await.expect("restarts");
    let req = axum::http::Request::get("/api/calendar/due?from=2026-12-28&working_days=5")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(again, req).await.unwrap();
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["due"], "2027-01-06");
}
