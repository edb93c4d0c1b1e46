//! The holes found when the system was probed as an attacker would, each
//! reproduced through the real router: 三员分立, department and resident
//! scope, lockout under parallel guessing, events outside the reporter's
//! community, bounded work before sign-in, imports, headers and replays.

mod common;

use axum::http::StatusCode;
use chrono::Utc;
use common::{session_from, TestApp, DEMO_PASSWORD};
use serde_json::json;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db().await).await.unwrap()
}

const HEADER: &str = "网格编码,户编号,地址,楼栋,经度,纬度,姓名,公民身份号码,联系电话,特殊群体,纳入日期\n";

#[tokio::test]
async fn no_administrator_creates_or_manages_the_three_administrators() {
    let app = TestApp::new().await;
    for admin_login in ["sysadmin", "sysadmin.dx"] {
        let admin = app.login(admin_login).await;
        let node = app.node_id(if admin_login == "sysadmin" { "C" } else { "DX" }).await;
        for role in ["audit_admin", "security_admin", "system_admin"] {
            let body = json!({ "username": format!("x{}", role.replace('_', "")), "display_name": "某某", "role": role,
                               "org_node_id": node, "password": "Chushi@2026-Qd" });
            let r = app.post_as(&admin, "/api/accounts", body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{admin_login} creating {role}: {}", r.body);
            assert_eq!(r.body["code"], "admin_account_protected");
        }
        for target in ["auditadmin", "secadmin", "sysadmin"] {
            let id = app.account_id(target).await;
            for action in ["disable", "enable"] {
                let r = app.post_as(&admin, &format!("/api/accounts/{id}/{action}"), json!({})).await;
                // The district admin does not even see city accounts (404); the city admin is refused.
                assert!(
                    [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&r.status),
                    "{admin_login} {action} {target}: {}",
                    r.status
                );
            }
            let r = app
                .post_as(&admin, &format!("/api/accounts/{id}/reset-password"), json!({ "password": "Chushi@2026-Qd" }))
                .await;
            assert!([StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&r.status), "{}", r.status);
        }
    }
    // The audit and security administrators still sign in with their own passwords.
    for login in ["auditadmin", "secadmin"] {
        assert_eq!(app.try_login(login, DEMO_PASSWORD).await.status, StatusCode::OK, "{login}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM accounts WHERE role LIKE '%admin' AND username LIKE 'x%'").await, 0);
    assert!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied' AND detail LIKE '%admin_role%'").await
            >= 12
    );
    // A business account is still managed as before.
    let admin = app.login("sysadmin").await;
    let finance = app.account_id("finance").await;
    assert_eq!(
        app.post_as(&admin, &format!("/api/accounts/{finance}/disable"), json!({})).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_administrators_are_installed_and_recovered_on_the_server_only() {
    let app = TestApp::with_setup(|c| {
        c.demo = false;
        c.admin_password = Some("Chushi@2026-Qd".into());
    })
    .await;
    // As the server command opens it: with the key outside the database.
    let keys = gongzhi_server::keys::Keys::load(&app.config.key_dir, None).unwrap();
    let db = gongzhi_server::db::open(&app.config, &keys).await.unwrap();
    use gongzhi_domain::Role;
    use gongzhi_server::seed::{install_admin, Installed};
    assert!(install_admin(&db, Role::Finance, "caiwu", "Chushi@2026-Qd").await.is_err(), "only the three");
    assert!(install_admin(&db, Role::AuditAdmin, "auditor", "Chushi@2026").await.is_err(), "12 characters");
    assert_eq!(install_admin(&db, Role::AuditAdmin, "auditor", "Shenji@2026-Ab").await.unwrap(), Installed::Created);
    let login = app.try_login("auditor", "Shenji@2026-Ab").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.body["account"]["must_change_password"], true);
    assert_eq!(install_admin(&db, Role::AuditAdmin, "auditor", "Shenji@2027-Cd").await.unwrap(), Installed::Reset);
    assert_eq!(app.try_login("auditor", "Shenji@2027-Cd").await.status, StatusCode::OK);
    assert!(install_admin(&db, Role::SecurityAdmin, "auditor", "Anquan@2026-Xy").await.is_err(), "another role");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'system.install_admin' AND client_addr = 'server-console'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_department_is_bound_only_within_the_admins_scope_and_at_its_own_node() {
    let app = TestApp::new().await;
    let dx_admin = app.login("sysadmin.dx").await;
    let dx = app.node_id("DX").await;
    let city_dept: i64 =
        sqlx::query_scalar("SELECT id FROM departments WHERE code = 'rsj'").fetch_one(&app.db().await).await.unwrap();
    let dx_dept: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'dx-zjj'")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    let body = |dept: i64, node: i64, name: &str| {
        json!({ "username": name, "display_name": "经办人", "role": "department_applicant",
        "org_node_id": node, "department_id": dept, "password": "Chushi@2026" })
    };
    let r = app.post_as(&dx_admin, "/api/accounts", body(city_dept, dx, "jingban1")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        (r.body["field"].as_str(), r.body["code"].as_str()),
        (Some("department_id"), Some("field_unknown_option"))
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM accounts WHERE username = 'jingban1'").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.create' AND outcome = 'denied' AND object LIKE 'department:%'")
            .await,
        1
    );
    // The district's own department, at the district: allowed.
    let r = app.post_as(&dx_admin, "/api/accounts", body(dx_dept, dx, "jingban2")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The city admin binding a district account to a city department: not at its node.
    let admin = app.login("sysadmin").await;
    let r = app.post_as(&admin, "/api/accounts", body(city_dept, dx, "jingban3")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["message"], "职能部门格式不正确:职能部门须属于该账号的所属单位。");
}

#[tokio::test]
async fn a_household_import_never_touches_residents_outside_the_importers_scope() {
    let app = TestApp::new().await;
    let db = app.db().await;
    let zx = app.node_id("ZX-HC-DM").await;
    sqlx::query(
        "INSERT INTO residents (org_node_id, name, id_number, phone, address, special_group, created_at)
         VALUES ($1, '孙某', '110105198003030029', '13800001111', '东门社区 1 栋', 'living_alone', $2)",
    )
    .bind(zx)
    .bind(Utc::now().to_rfc3339())
    .execute(&db)
    .await
    .unwrap();
    let admin = app.login("sysadmin.dx").await;
    let file = format!(
        "{HEADER}DX-CD-XF-01,NEW-1,幸福社区 99 栋 101 室,99 栋,116.6005,28.2405,改名,110105198003030029,13900002222,,\n"
    );
    let r = app.post_bytes(&admin, "/api/households/import?dry_run=true", "text/csv", file.clone().into_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let job = common::import_households(&app, &admin, file.clone().into_bytes()).await;
    assert_eq!(job["phase"], "failed", "{job}");
    for report in [&r.body, &job["report"]] {
        assert_eq!(report["problems"][0]["code"], "import_resident_out_of_scope");
        assert_eq!(report["problems"][0]["row"], 2);
    }
    let (name, node, group): (String, i64, Option<String>) =
        sqlx::query_as("SELECT name, org_node_id, special_group FROM residents WHERE id_number = '110105198003030029'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((name.as_str(), node, group.as_deref()), ("孙某", zx, Some("living_alone")), "untouched");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM households WHERE code = 'NEW-1'").await, 0);

    // Within scope, a change is made and audited resident by resident.
    let (id_number, household_code, grid_code): (String, String, String) = sqlx::query_as(
        "SELECT r.id_number, h.code, g.code FROM residents r JOIN households h ON h.id = r.household_id
         JOIN org_nodes g ON g.id = h.grid_id WHERE r.special_group IS NOT NULL AND g.code = 'DX-CD-XF-01' LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let (address, lon, lat): (String, f64, f64) =
        sqlx::query_as("SELECT address, lon, lat FROM households WHERE code = $1")
            .bind(&household_code)
            .fetch_one(&db)
            .await
            .unwrap();
    let file = format!("{HEADER}{grid_code},{household_code},{address},1 栋,{lon},{lat},新名字,{id_number},,,\n");
    let job = common::import_households(&app, &admin, file.into_bytes()).await;
    assert_eq!(job["phase"], "done", "{job}");
    let detail: String = sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'resident.import_change'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(detail.contains("special_group") && detail.contains("name"), "{detail}");
}

#[tokio::test]
async fn parallel_guesses_are_each_counted_and_the_lock_holds() {
    let app = TestApp::new().await;
    let guesses = (0..10).map(|i| {
        let app = &app;
        async move { app.try_login("finance", &format!("Wrong@2026-{i}")).await.status }
    });
    let statuses = futures_join_all(guesses).await;
    assert!(statuses.iter().all(|s| [StatusCode::UNAUTHORIZED, StatusCode::LOCKED].contains(s)), "{statuses:?}");
    // Only the policy's 5 passwords were checked; the rest were refused unchecked.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure' AND object LIKE 'account:%' AND object <> 'account:?'").await,
        5
    );
    let right = app.try_login("finance", DEMO_PASSWORD).await;
    assert_eq!((right.status, right.body["code"].as_str()), (StatusCode::LOCKED, Some("account_locked")));
}

async fn futures_join_all<F: std::future::Future<Output = StatusCode>>(fs: impl Iterator<Item = F>) -> Vec<StatusCode> {
    let handles: Vec<_> = fs.collect();
    let mut out = vec![];
    // Poll them together: join_all without another dependency.
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = handles.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<StatusCode>> = vec![None; pinned.len()];
    std::future::poll_fn(|cx| {
        for (i, f) in pinned.iter_mut().enumerate() {
            if done[i].is_none() {
                if let std::task::Poll::Ready(s) = f.as_mut().poll(cx) {
                    done[i] = Some(s);
                }
            }
        }
        if done.iter().all(Option::is_some) {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.extend(done.into_iter().flatten());
    out
}

#[tokio::test]
async fn an_unknown_name_locks_like_a_real_one_and_an_address_is_throttled() {
    let app = TestApp::new().await;
    let mut last = None;
    for i in 0..5 {
        last = Some(app.try_login("nobody.here", &format!("Wrong@2026-{i}")).await);
    }
    let last = last.unwrap();
    assert_eq!((last.status, last.body["code"].as_str()), (StatusCode::LOCKED, Some("account_locked")), "no oracle");
    // 20 failures from one address across names: the address waits (429).
    for i in 0..15 {
        app.try_login(&format!("guess{i}"), "Wrong@2026").await;
    }
    let r = app.try_login("reviewer", DEMO_PASSWORD).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts")));
    assert!(r.body["message"].as_str().unwrap().contains("后再试"));
}

#[tokio::test]
async fn login_fields_are_bounded_before_hashing_or_auditing() {
    let app = TestApp::new().await;
    let long = "a".repeat(10_000);
    let r = app.try_login(&long, "x").await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("field_too_long")));
    assert_eq!(r.body["field"], "username");
    let r = app.try_login("finance", &"p".repeat(1_000)).await;
    assert_eq!((r.status, r.body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("password")));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE length(actor) > 64").await, 0);
}

#[tokio::test]
async fn an_event_in_another_communitys_grid_is_refused_and_audited() {
    let app = TestApp::new().await;
    let member = app.login("gridmember").await;
    let before = count(&app, "SELECT COUNT(*) FROM events").await;
    // 和平社区第一网格, next door to 幸福社区.
    let body = json!({ "idempotency_key": "evt-hp-0000001", "category": "environment", "description": "垃圾堆放",
        "lon": 116.6113, "lat": 28.2409, "reported_at": Utc::now().to_rfc3339() });
    let r = app.post_as(&member, "/api/events", body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!((r.body["field"].as_str(), r.body["code"].as_str()), (Some("position"), Some("field_out_of_scope")));
    assert_eq!(r.body["message"], "事件位置不在您的工作范围内。");
    assert!(r.body.get("possible_duplicates").is_none());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM events").await, before);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'event.report' AND outcome = 'denied'").await,
        1
    );
    let near = app.get_as(&member, "/api/events/nearby?lon=116.6113&lat=28.2409&category=facility").await;
    assert_eq!(near.status, StatusCode::UNPROCESSABLE_ENTITY, "no ids of the other community: {}", near.body);
}

#[tokio::test]
async fn a_replayed_key_answers_only_its_sender() {
    let app = TestApp::new().await;
    let member = app.login("gridmember").await;
    let body = json!({ "idempotency_key": "evt-own-000001", "category": "environment", "description": "垃圾堆放",
        "lon": 116.6010, "lat": 28.2405, "reported_at": Utc::now().to_rfc3339() });
    assert_eq!(app.post_as(&member, "/api/events", body.clone()).await.status, StatusCode::CREATED);
    let leader = app.login("leader").await;
    let r = app.post_as(&leader, "/api/events", body).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused")));
}

#[tokio::test]
async fn boundary_files_are_bounded_before_any_lock() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin.dx").await;
    let ring: Vec<[f64; 2]> = (0..10_050)
        .map(|i| {
            let a = i as f64 / 10_050.0 * std::f64::consts::TAU;
            [116.60 + 0.001 * a.cos(), 28.24 + 0.001 * a.sin()]
        })
        .chain(std::iter::once([116.601, 28.24]))
        .collect();
    let file = json!({ "type": "FeatureCollection", "features": [{ "type": "Feature",
        "properties": { "code": "DX-CD-XF-09", "community": "DX-CD-XF" },
        "geometry": { "type": "Polygon", "coordinates": [ring] } }] });
    let r = app.post_bytes(&admin, "/api/grids/import", "application/geo+json", file.to_string().into_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (r.body["problems"][0]["code"].as_str(), r.body["problems"][0]["row"].as_i64()),
        (Some("import_too_many_vertices"), Some(1))
    );
}

#[tokio::test]
async fn answers_carry_security_headers_and_reviewers_see_masked_names() {
    let app = TestApp::new().await;
    let r = app.send(axum::http::Method::GET, "/api/health", None, None).await;
    let csp = r.headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(r.headers.get("referrer-policy").unwrap(), "same-origin");
    assert!(r.headers.get("strict-transport-security").is_none(), "HSTS only behind TLS");

    let reviewer = app.login("reviewer.dx").await;
    let list = app.get_as(&reviewer, "/api/residents").await;
    assert_eq!(list.status, StatusCode::OK);
    let names: Vec<&str> = list.body.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(!names.is_empty() && names.iter().all(|n| n.ends_with('*')), "{:?}", &names[..names.len().min(3)]);
    let member = app.login("gridmember").await;
    let list = app.get_as(&member, "/api/residents").await;
    assert!(!list.body[0]["name"].as_str().unwrap().contains('*'));
}

#[tokio::test]
async fn common_and_short_administrator_passwords_are_refused() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let grid = app.node_id("DX-CD-HP-02").await;
    let r = app
        .post_as(
            &admin,
            "/api/accounts",
            json!({ "username": "zhou.min", "display_name": "周敏", "role": "grid_member",
            "org_node_id": grid, "password": "P@ssw0rd2026" }),
        )
        .await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("password_too_common")));
    let login = app.try_login("secadmin", DEMO_PASSWORD).await;
    let s = session_from(&login, "secadmin");
    let r = app
        .post_as(&s, "/api/auth/password", json!({ "current_password": DEMO_PASSWORD, "new_password": "Anquan#2027" }))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("12"), "{}", r.body);
}

#[tokio::test]
async fn long_lists_are_paged_with_their_total_never_cut_silently() {
    let app = TestApp::new().await;
    let member = app.login("gridmember").await;
    let r = app.get_as(&member, "/api/residents?per_page=5&page=2").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.as_array().unwrap().len(), 5);
    let total: i64 = r.headers.get("x-total-count").unwrap().to_str().unwrap().parse().unwrap();
    assert!(total > 10, "{total}");
    let first = app.get_as(&member, "/api/residents?per_page=5").await;
    assert_ne!(first.body[0]["id"], r.body[0]["id"], "page 2 is not page 1");
    // Beyond the largest page size, the page is clamped, not unbounded.
    let big = app.get_as(&member, "/api/residents?per_page=100000").await;
    assert_eq!(big.headers.get("x-per-page").unwrap(), "500");
    let events = app.get_as(&member, "/api/events?state=all&per_page=2").await;
    assert!(events.body.as_array().unwrap().len() <= 2);
    assert!(events.headers.get("x-total-count").is_some());

    // The admission queue: the total counts the filters; pages follow the
    // queue's order (nearest deadline first) without repeating a file.
    let reviewer = app.login("reviewer").await;
    let whole = app.get_as(&reviewer, "/api/admission/applications?per_page=500").await;
    let all: Vec<i64> = whole.body.as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()).collect();
    assert!(all.len() >= 4, "{}", whole.body);
    assert_eq!(whole.headers["x-total-count"], all.len().to_string().as_str());
    let mut paged = Vec::new();
    for p in 1..=all.len().div_ceil(3) {
        let r = app.get_as(&reviewer, &format!("/api/admission/applications?per_page=3&page={p}")).await;
        assert_eq!(
            r.headers["x-total-count"],
            all.len().to_string().as_str(),
            "the total is the queue's, not the page's"
        );
        paged.extend(r.body.as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()));
    }
    assert_eq!(paged, all, "the pages, one after another, are the queue");
    let approved = app.get_as(&reviewer, "/api/admission/applications?status=approved&per_page=1").await;
    let n: usize = approved.headers["x-total-count"].to_str().unwrap().parse().unwrap();
    assert!(n >= 1 && approved.body.as_array().unwrap().len() == 1);
    assert!(n < all.len(), "the total counts the filter");

    // The grids: paged by code, searched by name, a long search refused.
    let grids = app.get_as(&reviewer, "/api/grids?per_page=1").await;
    assert_eq!(grids.status, StatusCode::OK, "{}", grids.body);
    let total: usize = grids.headers["x-total-count"].to_str().unwrap().parse().unwrap();
    assert!(total >= 2 && grids.body.as_array().unwrap().len() == 1, "{total} {}", grids.body);
    let second = app.get_as(&reviewer, "/api/grids?per_page=1&page=2").await;
    assert!(second.body[0]["code"].as_str().unwrap() > grids.body[0]["code"].as_str().unwrap());
    let name = grids.body[0]["name"].as_str().unwrap().to_string();
    let enc = serde_urlencoded::to_string([("q", name.as_str())]).unwrap();
    let found = app.get_as(&reviewer, &format!("/api/grids?{enc}")).await;
    let found = found.body.as_array().unwrap();
    assert!(!found.is_empty() && found.len() < total && found.iter().all(|g| g["name"] == name.as_str()), "{found:?}");
    let long = app.get_as(&reviewer, &format!("/api/grids?q={}", "网".repeat(41))).await;
    assert_eq!((long.status, long.body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("q")), "{}", long.body);
}
