//! Residents' personal information: masked by role, full reads audited.

mod common;

use axum::http::StatusCode;
use common::TestApp;

async fn first_special_resident(app: &TestApp, grid: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN org_nodes n ON n.id = r.org_node_id
         WHERE n.code = $1 AND r.special_group IS NOT NULL ORDER BY r.id LIMIT 1",
    )
    .bind(grid)
    .fetch_one(&app.db().await)
    .await
    .unwrap()
}

#[tokio::test]
async fn lists_are_masked_for_everyone() {
    let app = TestApp::new().await;
    for who in ["gridmember", "reviewer"] {
        let s = app.login(who).await;
        let list = app.get_as(&s, "/api/residents").await.body;
        for r in list.as_array().unwrap() {
            let id = r["id_number"].as_str().unwrap();
            assert_eq!(id.len(), 18);
            assert_eq!(&id[3..14], "***********", "{who}: {id}");
            assert!(r["phone"].as_str().unwrap().contains("****"));
            assert_eq!(r["masked"], true);
        }
    }
}

#[tokio::test]
async fn a_grid_member_may_reveal_one_resident_and_it_is_audited() {
    let app = TestApp::new().await;
    let id = first_special_resident(&app, "DX-CD-XF-01").await;
    let s = app.login("gridmember").await;
    let r = app.get_as(&s, &format!("/api/residents/{id}?reveal=true")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["masked"], false);
    let full = r.body["id_number"].as_str().unwrap();
    assert!(gongzhi_domain::pii::IdNumber::parse(gongzhi_domain::pii::FIELD_ID_NUMBER, full).is_ok());
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'resident.reveal' AND actor = 'gridmember' AND object = $1",
    )
    .bind(format!("resident:{id}"))
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn a_reviewer_may_not_reveal_and_special_group_reads_are_audited() {
    let app = TestApp::new().await;
    let id = first_special_resident(&app, "DX-CD-XF-01").await;
    let s = app.login("reviewer").await;
    let r = app.get_as(&s, &format!("/api/residents/{id}?reveal=true")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.get_as(&s, &format!("/api/residents/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["masked"], true);
    assert!(r.body["special_group_label"].is_string());
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, outcome FROM audit_log WHERE actor = 'reviewer' AND action LIKE 'resident.%' ORDER BY seq",
    )
    .fetch_all(&app.db().await)
    .await
    .unwrap();
    assert_eq!(rows, vec![("resident.reveal".into(), "denied".into()), ("resident.read".into(), "success".into())]);
    // Listing special-group residents is recorded too.
    app.get_as(&s, "/api/residents?special_only=true").await;
    let listed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'resident.list' AND actor = 'reviewer'")
            .fetch_one(&app.db().await)
            .await
            .unwrap();
    assert_eq!(listed, 1);
}

/// `?q=` finds residents by building or room for everyone who reads the
/// register, and by name only for those who see names: a reviewer, who sees
/// `王**`, cannot learn whether a name lives in the scope by searching it.
/// The user's `%` and `_` match themselves; a search over 50 characters is
/// refused naming 搜索.
#[tokio::test]
async fn the_register_is_searched_by_address_and_by_name_only_where_names_are_seen() {
    let app = TestApp::new().await;
    let (name, address): (String, String) = sqlx::query_as(
        "SELECT r.name, r.address FROM residents r JOIN org_nodes n ON n.id = r.org_node_id
         WHERE n.code = 'DX-CD-XF-01' ORDER BY r.id LIMIT 1",
    )
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    let grid = app.login("gridmember").await;
    let reviewer = app.login("reviewer").await;
    let enc = |s: &str| serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string();

    let r = app.get_as(&grid, &format!("/api/residents?q={}", enc(&address))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let found = r.body.as_array().unwrap();
    assert!(!found.is_empty() && found.iter().all(|x| x["address"].as_str().unwrap().contains(&address)));
    let total: usize = r.headers["x-total-count"].to_str().unwrap().parse().unwrap();
    assert_eq!(total, found.len().max(total), "the total counts the search, not the register");
    let all: usize =
        app.get_as(&grid, "/api/residents").await.headers["x-total-count"].to_str().unwrap().parse().unwrap();
    assert!(total < all, "{total} of {all}");

    let by_name = app.get_as(&grid, &format!("/api/residents?q={}", enc(&name))).await.body;
    assert!(by_name.as_array().unwrap().iter().any(|x| x["name"] == name.as_str()));
    let probed = app.get_as(&reviewer, &format!("/api/residents?q={}", enc(&name))).await;
    assert_eq!(probed.status, StatusCode::OK);
    assert_eq!(probed.body.as_array().unwrap().len(), 0, "a reviewer found residents by a name they cannot see");
    assert!(!app
        .get_as(&reviewer, &format!("/api/residents?q={}", enc(&address)))
        .await
        .body
        .as_array()
        .unwrap()
        .is_empty());

    assert_eq!(app.get_as(&grid, "/api/residents?q=%25").await.body.as_array().unwrap().len(), 0);
    let r = app.get_as(&grid, &format!("/api/residents?q={}", "栋".repeat(51))).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("q")), "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("搜索"), "{}", r.body);
}
