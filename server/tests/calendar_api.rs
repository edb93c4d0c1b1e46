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
