//! Open311 GeoReport v2 under `/open311/v2/`: conformance with the spec's
//! field lists (services, service definition, service requests, tokens,
//! errors; JSON and XML), the status set, the +08:00 time format and the
//! 90-day window; API keys issued, scoped, rate-limited and revoked; and a
//! posted request entering the same event loop as a grid member's report.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{Session, TestApp};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The spec's required fields of each answer.
const SERVICE_FIELDS: [&str; 7] =
    ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"];
const REQUEST_FIELDS: [&str; 17] = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
];
const POSTED_FIELDS: [&str; 4] = ["service_request_id", "token", "service_notice", "account_id"];

/// A point in 幸福社区第一网格 (DX-CD-XF-01), away from the demo's events.
const IN_GRID: (f64, f64) = (116.6020, 28.2412);

struct Answer {
    status: StatusCode,
    content_type: String,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

async fn call(app: &TestApp, method: Method, uri: &str, form: Option<&str>) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    let body = match form {
        Some(f) => {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(f.to_string())
        }
        None => Body::empty(),
    };
    let response = app.router.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer { status, content_type, text: String::from_utf8(bytes.to_vec()).unwrap() }
}

async fn get(app: &TestApp, uri: &str) -> Answer {
    call(app, Method::GET, uri, None).await
}

async fn post(app: &TestApp, uri: &str, form: &[(&str, &str)]) -> Answer {
    let body = serde_urlencoded::to_string(form).unwrap();
    call(app, Method::POST, uri, Some(&body)).await
}

/// Issues a key as `admin`, scoped to the node with `code`: (id, token).
async fn issue(app: &TestApp, admin: &Session, name: &str, node: &str, rate: Option<i64>) -> (i64, String) {
    let mut body = json!({ "name": name, "org_node_id": app.node_id(node).await });
    if let Some(r) = rate {
        body["rate_per_minute"] = json!(r);
    }
    let r = app.post_as(admin, "/api/open311-keys", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (r.body["key"]["id"].as_i64().unwrap(), r.body["token"].as_str().unwrap().to_string())
}

fn report<'a>(key: &'a str, lon: &'a str, lat: &'a str, description: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("api_key", key), ("service_code", "environment"), ("lat", lat), ("long", lon), ("description", description)]
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db().await).await.unwrap()
}

/// Every field of `fields` is an element of each `item` of the XML answer.
fn xml_has(xml: &str, root: &str, item: &str, fields: &[&str]) {
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains(&format!("<{root}>")) && xml.ends_with(&format!("</{root}>")), "{xml}");
    for chunk in xml.split(&format!("<{item}>")).skip(1) {
        for f in fields {
            assert!(chunk.contains(&format!("<{f}>")), "<{f}> missing in {chunk}");
        }
    }
    assert!(xml.contains(&format!("<{item}>")), "no <{item}> in {xml}");
}

/// `2026-12-01T09:30:00+08:00`.
fn is_beijing_time(t: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(t).is_ok() && t.len() == 25 && t.ends_with("+08:00")
}

fn assert_error(a: &Answer, status: StatusCode) {
    assert_eq!(a.status, status, "{}", a.text);
    if a.content_type.starts_with("application/xml") {
        assert!(
            a.text.contains(&format!("<errors><error><code>{}</code><description>", status.as_u16())),
            "{}",
            a.text
        );
    } else {
        let body = a.json();
        let list = body.as_array().unwrap_or_else(|| panic!("not an error list: {body}"));
        assert_eq!(list[0]["code"], status.as_u16(), "{body}");
        let d = list[0]["description"].as_str().unwrap();
        assert!(d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "not Chinese: {d}");
    }
}

#[tokio::test]
async fn services_and_their_definitions_in_both_formats() {
    let app = TestApp::new().await;
    let json = get(&app, "/open311/v2/services.json").await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.text);
    let list = json.json();
    let codes: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["service_code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"environment") && codes.contains(&"employment"), "{codes:?}");
    for s in list.as_array().unwrap() {
        for f in SERVICE_FIELDS {
            assert!(s.get(f).is_some(), "{f} missing in {s}");
        }
        assert_eq!(s["metadata"], false);
        assert_eq!(s["type"], "realtime");
    }
    let xml = get(&app, "/open311/v2/services.xml").await;
    assert_eq!(xml.status, StatusCode::OK);
    assert!(xml.content_type.starts_with("application/xml"));
    xml_has(&xml.text, "services", "service", &SERVICE_FIELDS);
    // The definition: no category has attributes, so an empty list.
    let def = get(&app, "/open311/v2/services/environment.json").await.json();
    assert_eq!(def, json!({ "service_code": "environment", "attributes": [] }));
    let def = get(&app, "/open311/v2/services/environment.xml").await;
    assert!(def.text.contains("<service_definition><service_code>environment</service_code><attributes></attributes>"));
    // The city's code is the jurisdiction; another is not found.
    assert_eq!(get(&app, "/open311/v2/services.json?jurisdiction_id=C").await.status, StatusCode::OK);
    assert_error(&get(&app, "/open311/v2/services.json?jurisdiction_id=beijing").await, StatusCode::NOT_FOUND);
    assert_error(&get(&app, "/open311/v2/services.xml?jurisdiction_id=beijing").await, StatusCode::NOT_FOUND);
    assert_error(&get(&app, "/open311/v2/services/no-such.json").await, StatusCode::NOT_FOUND);
    assert_error(&get(&app, "/open311/v2/services/no-such.xml").await, StatusCode::NOT_FOUND);
    assert_error(&get(&app, "/open311/v2/services/environment.csv").await, StatusCode::NOT_FOUND);
    assert_error(&get(&app, "/open311/v2/nothing-here.json").await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_posted_request_enters_the_event_loop_and_is_followed_to_closed() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let (key_id, token) = issue(&app, &admin, "市民热线", "DX", None).await;
    let (lon, lat) = (IN_GRID.0.to_string(), IN_GRID.1.to_string());
    // No key, and a wrong key: 403, nothing stored.
    let events = count(&app, "SELECT COUNT(*) FROM events").await;
    let mut no_key = report("", &lon, &lat, "路灯不亮已三天");
    no_key.remove(0);
    assert_error(&post(&app, "/open311/v2/requests.json", &no_key).await, StatusCode::FORBIDDEN);
    assert_error(
        &post(&app, "/open311/v2/requests.json", &report("wrong", &lon, &lat, "路灯不亮已三天")).await,
        StatusCode::FORBIDDEN,
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM events").await, events);

    let mut form = report(&token, &lon, &lat, "居民失业想咨询灵活就业参保,联系人电话 13812345678");
    form[1] = ("service_code", "employment");
    form.extend([
        ("first_name", "建国"),
        ("last_name", "王"),
        ("email", "wang@example.com"),
        ("phone", "13812345678"),
        ("device_id", "dev-1"),
        ("address_string", "幸福小区 5 栋"),
        ("jurisdiction_id", "C"),
    ]);
    let posted = post(&app, "/open311/v2/requests.json", &form).await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.text);
    let body = posted.json();
    for f in POSTED_FIELDS {
        assert!(body[0].get(f).is_some(), "{f} missing in {body}");
    }
    let id: i64 = body[0]["service_request_id"].as_str().unwrap().parse().unwrap();
    let req_token = body[0]["token"].as_str().unwrap().to_string();

    // The worker of the grid sees it in the event list, reported by the tool.
    let member = app.login("gridmember").await;
    let list = app.get_as(&member, "/api/events").await.body;
    let event = list.as_array().unwrap().iter().find(|e| e["id"] == id).unwrap_or_else(|| panic!("{list}"));
    assert_eq!(event["grid_name"], "幸福社区第一网格");
    assert_eq!(event["status"], "reported");
    assert_eq!(event["reported_by"], "外部系统:市民热线");
    let stored: (i64, String) = sqlx::query_as(
        "SELECT r.key_id, a.role FROM open311_requests r JOIN events e ON e.id = r.event_id JOIN accounts a ON a.id = e.reported_by WHERE r.event_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db().await)
    .await
    .unwrap();
    assert_eq!(stored, (key_id, "open311_client".to_string()));

    // The public read: every field, open, Beijing times, no personal data.
    let one = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    let r = &one.json()[0];
    for f in REQUEST_FIELDS {
        assert!(r.get(f).is_some(), "{f} missing in {r}");
    }
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], "employment");
    assert!(is_beijing_time(r["requested_datetime"].as_str().unwrap()), "{r}");
    assert!(is_beijing_time(r["updated_datetime"].as_str().unwrap()), "{r}");
    assert_eq!(r["agency_responsible"], "幸福社区");
    assert!(r["description"].as_str().unwrap().contains("138****5678"), "{r}");
    for secret in ["13812345678", "wang@example.com", "建国", "dev-1"] {
        assert!(!one.text.contains(secret), "{secret} in {}", one.text);
    }
    let xml = get(&app, &format!("/open311/v2/requests/{id}.xml")).await;
    xml_has(&xml.text, "service_requests", "request", &REQUEST_FIELDS);
    assert!(!xml.text.contains("13812345678"));
    // The token names the request.
    let t = get(&app, &format!("/open311/v2/tokens/{req_token}.json")).await.json();
    assert_eq!(t, json!([{ "service_request_id": id.to_string(), "token": req_token }]));
    let t = get(&app, &format!("/open311/v2/tokens/{req_token}.xml")).await;
    xml_has(&t.text, "service_requests", "request", &["service_request_id", "token"]);
    assert_error(&get(&app, "/open311/v2/tokens/nope.json").await, StatusCode::NOT_FOUND);
    assert_error(&get(&app, "/open311/v2/requests/999999.json").await, StatusCode::NOT_FOUND);
    assert_error(&get(&app, "/open311/v2/requests/abc.xml").await, StatusCode::NOT_FOUND);

    // Round the loop: status_notes follow the steps; closed at the end.
    let leader = app.login("leader").await;
    let act = |s: Session, action: &'static str, note: &'static str| {
        let app = &app;
        async move {
            let r =
                app.post_as(&s, &format!("/api/events/{id}/actions"), json!({ "action": action, "note": note })).await;
            assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
        }
    };
    act(member.clone(), "register", "").await;
    act(leader.clone(), "dispatch", "请人社局答复").await;
    let r = get(&app, &format!("/open311/v2/requests/{id}.json")).await.json();
    assert_eq!(r[0]["status"], "open");
    assert!(r[0]["status_notes"].as_str().unwrap().contains("请人社局答复"), "{r}");
    let applicant = app.login("applicant").await;
    act(applicant.clone(), "accept", "").await;
    act(applicant, "report_back", "已电话告知参保流程").await;
    act(member, "check_pass", "回访居民,已办理").await;
    act(leader, "close", "").await;
    let r = get(&app, &format!("/open311/v2/requests/{id}.json")).await.json();
    assert_eq!(r[0]["status"], "closed", "{r}");
    // Lists by status, id and service code.
    let id_text = id.to_string();
    let closed = get(&app, "/open311/v2/requests.json?status=closed").await.json();
    assert!(closed.as_array().unwrap().iter().any(|r| r["service_request_id"].as_str() == Some(id_text.as_str())));
    let open = get(&app, "/open311/v2/requests.json?status=open").await.json();
    assert!(!open.as_array().unwrap().iter().any(|r| r["service_request_id"].as_str() == Some(id_text.as_str())));
    let by_id = get(&app, &format!("/open311/v2/requests.json?service_request_id={id},999999")).await.json();
    assert_eq!(by_id.as_array().unwrap().len(), 1);
    let other = get(&app, "/open311/v2/requests.json?service_code=environment").await.json();
    assert_eq!(other, json!([]));
    let xml = get(&app, "/open311/v2/requests.xml").await;
    xml_has(&xml.text, "service_requests", "request", &REQUEST_FIELDS);
    // Every use of the key is audited.
    let audited = count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'open311.report'").await;
    assert_eq!(audited, 2, "the wrong key and the post");
    let actor: String =
        sqlx::query_scalar("SELECT actor FROM audit_log WHERE action = 'open311.report' AND outcome = 'success'")
            .fetch_one(&app.db().await)
            .await
            .unwrap();
    assert_eq!(actor, "open311:市民热线");
}

#[tokio::test]
async fn a_post_in_xml_answers_in_xml_and_offers_duplicates() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let (_, token) = issue(&app, &admin, "随手拍", "DX-CD-XF", None).await;
    // 20 m north of the demo's open environment event in grid 01.
    let (lon, lat) = (116.6000 + 0.30 * 0.0026, 28.2400 + 0.40 * 0.0018 + 20.0 / 111_195.0);
    let (lon, lat) = (lon.to_string(), lat.to_string());
    let posted = post(&app, "/open311/v2/requests.xml", &report(&token, &lon, &lat, "绿化带有建筑垃圾")).await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.text);
    xml_has(&posted.text, "service_requests", "request", &POSTED_FIELDS);
    assert!(posted.text.contains("附近 50 米内有同类未结事件"), "{}", posted.text);
    let id: i64 = posted.text.split("<service_request_id>").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
    let dups: String = sqlx::query_scalar("SELECT possible_duplicates FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_ne!(dups, "[]", "the worker is offered the duplicate");
}

#[tokio::test]
async fn bad_posts_are_refused_with_the_spec_errors_and_nothing_is_saved() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let (_, token) = issue(&app, &admin, "市民热线", "C", Some(100)).await;
    let (lon, lat) = (IN_GRID.0.to_string(), IN_GRID.1.to_string());
    let before = (
        count(&app, "SELECT COUNT(*) FROM events").await,
        count(&app, "SELECT COUNT(*) FROM event_steps").await,
        count(&app, "SELECT COUNT(*) FROM open311_requests").await,
    );
    // A point outside every grid.
    let outside = post(&app, "/open311/v2/requests.json", &report(&token, "116.0", "28.0", "路面塌陷一处")).await;
    assert_error(&outside, StatusCode::BAD_REQUEST);
    assert!(outside.text.contains("不在本市任何网格内"), "{}", outside.text);
    // An address without coordinates: no geocoder.
    let address = [
        ("api_key", token.as_str()),
        ("service_code", "environment"),
        ("address_string", "幸福小区 5 栋"),
        ("description", "路灯不亮已三天"),
    ];
    let a = post(&app, "/open311/v2/requests.json", &address).await;
    assert_error(&a, StatusCode::BAD_REQUEST);
    assert!(a.text.contains("须提供经纬度"), "{}", a.text);
    // Unknown service, short description, bad phone, bad email, bad coordinates, bad jurisdiction.
    let mut unknown = report(&token, &lon, &lat, "路灯不亮已三天");
    unknown[1] = ("service_code", "ufo");
    assert_error(&post(&app, "/open311/v2/requests.json", &unknown).await, StatusCode::BAD_REQUEST);
    assert_error(
        &post(&app, "/open311/v2/requests.xml", &report(&token, &lon, &lat, "灯")).await,
        StatusCode::BAD_REQUEST,
    );
    let mut phone = report(&token, &lon, &lat, "路灯不亮已三天");
    phone.push(("phone", "12345"));
    assert_error(&post(&app, "/open311/v2/requests.json", &phone).await, StatusCode::BAD_REQUEST);
    let mut email = report(&token, &lon, &lat, "路灯不亮已三天");
    email.push(("email", "not-an-address"));
    assert_error(&post(&app, "/open311/v2/requests.json", &email).await, StatusCode::BAD_REQUEST);
    assert_error(
        &post(&app, "/open311/v2/requests.json", &report(&token, "east", &lat, "路灯不亮已三天")).await,
        StatusCode::BAD_REQUEST,
    );
    let mut elsewhere = report(&token, &lon, &lat, "路灯不亮已三天");
    elsewhere.push(("jurisdiction_id", "SH"));
    assert_error(&post(&app, "/open311/v2/requests.json", &elsewhere).await, StatusCode::NOT_FOUND);
    // A JSON body is not the form the spec asks for.
    let r = app
        .router
        .clone()
        .oneshot(
            Request::builder()
                .method(Method::POST)
                .uri("/open311/v2/requests.json")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"api_key":"x"}"#))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let after = (
        count(&app, "SELECT COUNT(*) FROM events").await,
        count(&app, "SELECT COUNT(*) FROM event_steps").await,
        count(&app, "SELECT COUNT(*) FROM open311_requests").await,
    );
    assert_eq!(before, after, "nothing half-saved");
    // The refusals after the key was recognised are audited as its uses.
    let failures =
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'open311.report' AND outcome = 'failure'").await;
    assert_eq!(failures, 7, "outside, address, unknown service, description, phone, email, coordinates");
}

#[tokio::test]
async fn keys_are_scoped_rate_limited_revoked_and_stored_hashed() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let (lon, lat) = (IN_GRID.0.to_string(), IN_GRID.1.to_string());
    // A key of 资溪县 cannot post a point in 东乡区; one of 和平社区 not in 幸福社区.
    for node in ["ZX", "DX-CD-HP"] {
        let (_, token) = issue(&app, &admin, &format!("工具 {node}"), node, None).await;
        let r = post(&app, "/open311/v2/requests.json", &report(&token, &lon, &lat, "路灯不亮已三天")).await;
        assert_error(&r, StatusCode::FORBIDDEN);
        assert!(r.text.contains("授权范围"), "{}", r.text);
    }
    // Two a minute: the third is refused with 429, in the spec's error format.
    let (id, token) = issue(&app, &admin, "慢速工具", "DX", Some(2)).await;
    for _ in 0..2 {
        let r = post(&app, "/open311/v2/requests.json", &report(&token, &lon, &lat, "路灯不亮已三天")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = post(&app, "/open311/v2/requests.json", &report(&token, &lon, &lat, "路灯不亮已三天")).await;
    assert_error(&r, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text.contains("每分钟最多 2 次"), "{}", r.text);
    // Only the hash is stored.
    let stored: String = sqlx::query_scalar("SELECT token_sha256 FROM open311_keys WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_ne!(stored, token);
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM open311_keys WHERE token_sha256 = '{token}'")).await, 0);
    // The list shows it (never the token); revoked, it stops working.
    let list = app.get_as(&admin, "/api/open311-keys").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.as_array().unwrap().iter().any(|k| k["id"] == id && k["rate_per_minute"] == 2));
    assert!(!list.body.to_string().contains(&token));
    let (id2, token2) = issue(&app, &admin, "将吊销", "DX", None).await;
    let r = app.post_as(&admin, &format!("/api/open311-keys/{id2}/revoke"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["revoked_at"].is_string());
    assert_error(
        &post(&app, "/open311/v2/requests.json", &report(&token2, &lon, &lat, "路灯不亮已三天")).await,
        StatusCode::FORBIDDEN,
    );
    let audited = count(
        &app,
        &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'open311.key_revoke' AND object = 'open311_key:{id2}'"),
    )
    .await;
    assert_eq!(audited, 1);
    // Only the system administrator issues, and only within their own scope.
    let leader = app.login("leader").await;
    let r =
        app.post_as(&leader, "/api/open311-keys", json!({ "name": "x", "org_node_id": app.node_id("DX").await })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let district = app.login("sysadmin.dx").await;
    let r = app
        .post_as(&district, "/api/open311-keys", json!({ "name": "x", "org_node_id": app.node_id("ZX").await }))
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("field_out_of_scope")),
        "{}",
        r.body
    );
    let r = app
        .post_as(&district, "/api/open311-keys", json!({ "name": "", "org_node_id": "", "rate_per_minute": 0 }))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["errors"].as_array().map(Vec::len), Some(3), "{}", r.body);
    // The district administrator neither lists nor revokes the city's keys.
    let theirs = app.get_as(&district, "/api/open311-keys").await.body;
    assert!(!theirs.as_array().unwrap().iter().any(|k| k["org_node_name"] == "资溪县"), "{theirs}");
    let (city_key, _) = issue(&app, &admin, "全市", "C", None).await;
    let r = app.post_as(&district, &format!("/api/open311-keys/{city_key}/revoke"), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_query_window_is_at_most_ninety_days() {
    let app = TestApp::new().await;
    let admin = app.login("sysadmin").await;
    let (_, token) = issue(&app, &admin, "市民热线", "DX", None).await;
    let (lon, lat) = (IN_GRID.0.to_string(), IN_GRID.1.to_string());
    let posted = post(&app, "/open311/v2/requests.json", &report(&token, &lon, &lat, "路灯不亮已三天")).await;
    let id = posted.json()[0]["service_request_id"].as_str().unwrap().to_string();
    // Moved 100 days back, it leaves the default window…
    let old = (chrono::Utc::now() - chrono::Duration::days(100)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    sqlx::query("UPDATE events SET reported_at = $1 WHERE id = $2")
        .bind(&old)
        .bind(id.parse::<i64>().unwrap())
        .execute(&app.db().await)
        .await
        .unwrap();
    let listed = |v: &Value| v.as_array().unwrap().iter().any(|r| r["service_request_id"] == id);
    assert!(!listed(&get(&app, "/open311/v2/requests.json").await.json()));
    // …and is found by a window around it, given in Beijing time.
    let start = (chrono::Utc::now() - chrono::Duration::days(120))
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    let start =
        serde_urlencoded::to_string([("start_date", start.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))])
            .unwrap();
    let found = get(&app, &format!("/open311/v2/requests.json?{start}")).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
    assert!(listed(&found.json()));
    // Longer than 90 days, reversed, not a date, an unknown status: 400.
    for q in [
        "start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-04-02T00:00:00%2B08:00",
        "start_date=2026-02-01&end_date=2026-01-01",
        "start_date=yesterday",
        "status=pending",
        "service_request_id=1,x",
    ] {
        assert_error(&get(&app, &format!("/open311/v2/requests.json?{q}")).await, StatusCode::BAD_REQUEST);
        assert_error(&get(&app, &format!("/open311/v2/requests.xml?{q}")).await, StatusCode::BAD_REQUEST);
    }
    assert!(get(&app, "/open311/v2/requests.json?start_date=2026-01-01&end_date=2026-03-31").await.status.is_success());
    assert!(get(&app, "/open311/v2/requests.json?status=open,closed").await.status.is_success());
    assert_error(&get(&app, "/open311/v2/requests.json?service_code=ufo").await, StatusCode::NOT_FOUND);
}
