//! The synthetic city (`generate-city`, issue 15) at a tiny scale, on the
//! test's backend (SQLite, or PostgreSQL with `GONGZHI_TEST_DATABASE_URL`):
//! the rows scale as the plan promises, the audit trail (with an entry per
//! generated visit) verifies, the grids tile their community, and a generated
//! grid's walk map answers through the real router.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use gongzhi_server::seed::city::{generate, Plan};

const SCALE: f64 = 0.001;

async fn count(db: &sqlx::AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await.unwrap()
}

#[tokio::test]
async fn a_tiny_city_has_the_promised_rows_a_sound_trail_and_a_walk_map() {
    let app = TestApp::new().await;
    let keys = gongzhi_server::keys::Keys::load(&app.config.key_dir, app.config.audit_key.as_deref()).unwrap();
    let db = gongzhi_server::db::open(&app.config, &keys).await.unwrap();
    let today = gongzhi_domain::time::shanghai_date(chrono::Utc::now());
    let before = |table: &'static str| {
        let db = db.clone();
        async move { count(&db, &format!("SELECT COUNT(*) FROM {table}")).await }
    };
    let (households0, residents0, visits0, events0, files0, audit0) = (
        before("households").await,
        before("residents").await,
        before("visits").await,
        before("events").await,
        before("admission_applications").await,
        before("audit_log").await,
    );

    let plan = generate(&db, &keys, today, SCALE).await.unwrap();
    assert_eq!(plan, Plan::at(SCALE));
    let city = "SELECT COUNT(*) FROM org_nodes WHERE code LIKE 'CITY-%' AND level =";
    assert_eq!(count(&db, &format!("{city} 'district'")).await, plan.districts as i64);
    assert_eq!(count(&db, &format!("{city} 'street'")).await, plan.streets as i64);
    assert_eq!(count(&db, &format!("{city} 'community'")).await, plan.communities as i64);
    assert_eq!(count(&db, &format!("{city} 'grid'")).await, plan.grids as i64);
    assert_eq!(before("households").await - households0, plan.households as i64);
    assert_eq!(before("residents").await - residents0, plan.residents as i64);
    assert_eq!(before("visits").await - visits0, plan.visits as i64);
    assert_eq!(before("events").await - events0, plan.events as i64);
    assert_eq!(before("admission_applications").await - files0, plan.admission_files as i64);
    // One entry per generated visit, and the generation's own.
    assert_eq!(before("audit_log").await - audit0, plan.visits as i64 + 1);
    // Special groups, visits over the year, events across statuses.
    let special =
        count(&db, "SELECT COUNT(*) FROM residents WHERE special_group IS NOT NULL AND address LIKE '%社区%'").await;
    assert!(special > 0);
    let year_ago = (today - chrono::Days::new(365)).to_string();
    let spread = count(
        &db,
        &format!("SELECT COUNT(DISTINCT substr(visited_on, 1, 7)) FROM visits WHERE idempotency_key LIKE 'city-%' AND visited_on >= '{year_ago}'"),
    )
    .await;
    assert!(spread >= 12, "visits over the year's months: {spread}");
    assert!(count(&db, "SELECT COUNT(DISTINCT status) FROM events WHERE idempotency_key LIKE 'city-%'").await >= 4);
    // Every household lies inside its grid's box.
    let outside = count(
        &db,
        "SELECT COUNT(*) FROM households h JOIN org_boundaries b ON b.org_node_id = h.grid_id
         WHERE h.lon <= b.min_lon OR h.lon >= b.max_lon OR h.lat <= b.min_lat OR h.lat >= b.max_lat",
    )
    .await;
    assert_eq!(outside, 0);

    // The chains verify with the key (the visits' entries included).
    let results = gongzhi_server::chains::verify_all(&db, &keys, None).await.unwrap();
    assert!(
        results.iter().all(|r| r.report.intact),
        "{:?}",
        results.iter().map(|r| &r.report.message).collect::<Vec<_>>()
    );
    // A second run refuses.
    assert!(generate(&db, &keys, today, SCALE).await.is_err());

    // The community's leader sees its grids, tiling the community; its first
    // grid member opens the walk map.
    let leader = app.login("leader.c001").await;
    let r = app.get_as(&leader, "/api/grids").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body.as_array().unwrap().len(), plan.grids);
    let r = app.get_as(&leader, "/api/grids/coverage?community=CITY-C001").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["overlaps"], serde_json::json!([]), "{}", r.body);
    assert_eq!((r.body["gap_m2"].as_f64(), r.body["outside_m2"].as_f64()), (Some(0.0), Some(0.0)), "{}", r.body);
    let member = app.login("gm.00001").await;
    let grid: i64 =
        sqlx::query_scalar("SELECT id FROM org_nodes WHERE code = 'CITY-C001-01'").fetch_one(&db).await.unwrap();
    let r = app.get_as(&member, &format!("/api/grids/{grid}/map")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let households = r.body["households"].as_array().unwrap();
    assert_eq!(households.len(), plan.households / plan.grids);
    assert!(households.iter().any(|h| h["status"] == "visited"), "some households were visited lately");
    assert!(!r.body["due"].as_array().unwrap().is_empty(), "special-group residents are due");
}
