//! Open311 GeoReport v2 (外部系统事件上报) under `/open311/v2/`: the event
//! categories as services, posting a street event (with an API key issued by
//! the system administrator), and public reads of the requests posted this
//! way. JSON and XML, chosen by the path's ending; errors in the spec's
//! error list (`[{"code":400,"description":"…"}]`, `<errors><error>…`).
//!
//! A posted request enters the same loop as a grid member's report: it is
//! placed in the grid its point falls in and registered to that grid's
//! community, the open events of its category within 50 m are recorded as
//! possible duplicates (and named in `service_notice`), and it is stored by
//! the same [`store::events::insert_report`]. Decisions:
//! - `address_string` alone is refused (400): there is no geocoder, and a
//!   guess would send the event to the wrong community.
//! - A key over its rate limit gets 429 (in the spec's error format); the
//!   spec lists no status for it, and 403 would tell the tool its key is bad.
//! - No category has attributes, so every service has `metadata` false; its
//!   definition answers with an empty attribute list (an unknown code 404).
//! - Public reads list only requests posted through this interface (the
//!   community's own reports are not public), never the contact fields, and
//!   with phone and ID numbers in free text masked.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, SecondsFormat, Utc};
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::grid::boundary::Position;
use gongzhi_domain::grid::config;
use gongzhi_domain::grid::event::{EventAction, EventReportInput, EventStatus};
use gongzhi_domain::grid::locate::BORDER_TOLERANCE_M;
use gongzhi_domain::open311::{
    self as o311, format_time, mask_text, parse_email, Open311Error, RequestStatus, FIELD_FIRST_NAME, FIELD_LAST_NAME,
    FIELD_MEDIA_URL,
};
use gongzhi_domain::pii::{PhoneNumber, FIELD_PHONE};
use gongzhi_domain::time::parse_utc;
use gongzhi_domain::{DomainError, Field, FieldErrorKind, OrgPath};

use crate::audit::{self, Event, Outcome, Who};
use crate::auth::client::ClientAddr;
use crate::auth::{random_token, sha256_hex};
use crate::state::AppState;
use crate::store;
use crate::store::events::NewReport;
use crate::store::open311::{KeyRow, NewRequest, RequestFilter, RequestRow};

/// The answer's format, from the path's ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `"42.json"` → (`"42"`, JSON).
    fn split(file: &str) -> Result<(&str, Format), Fail> {
        if let Some(stem) = file.strip_suffix(".json") {
            Ok((stem, Format::Json))
        } else if let Some(stem) = file.strip_suffix(".xml") {
            Ok((stem, Format::Xml))
        } else {
            Err(Fail::Domain(Open311Error::FormatUnknown, None))
        }
    }
}

/// Why a call failed: a domain error (with the status when it differs from
/// the error's own), or an internal one.
#[derive(Debug)]
pub enum Fail {
    Domain(Open311Error, Option<u16>),
    Internal(String),
}

impl From<sqlx::Error> for Fail {
    fn from(e: sqlx::Error) -> Self {
        Fail::Internal(e.to_string())
    }
}

impl From<Open311Error> for Fail {
    fn from(e: Open311Error) -> Self {
        Fail::Domain(e, None)
    }
}

impl From<gongzhi_domain::FieldError> for Fail {
    fn from(e: gongzhi_domain::FieldError) -> Self {
        Fail::Domain(Open311Error::Field(e), None)
    }
}

impl From<crate::error::AppError> for Fail {
    fn from(e: crate::error::AppError) -> Self {
        Fail::Internal(e.body.message)
    }
}

/// A value of the answer.
enum V {
    S(String),
    N(f64),
    B(bool),
    /// A nested list: the XML element name of each item, and the items.
    List(&'static str, Vec<Rec>),
}

type Rec = Vec<(&'static str, V)>;

fn s(v: impl Into<String>) -> V {
    V::S(v.into())
}

fn json_of(rec: &Rec) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (k, v) in rec {
        let value = match v {
            V::S(t) => serde_json::Value::String(t.clone()),
            V::N(n) => serde_json::json!(n),
            V::B(b) => serde_json::Value::Bool(*b),
            V::List(_, items) => serde_json::Value::Array(items.iter().map(json_of).collect()),
        };
        map.insert((*k).to_string(), value);
    }
    serde_json::Value::Object(map)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn xml_of(out: &mut String, element: &str, rec: &Rec) {
    out.push_str(&format!("<{element}>"));
    for (k, v) in rec {
        match v {
            V::S(t) => out.push_str(&format!("<{k}>{}</{k}>", escape(t))),
            V::N(n) => out.push_str(&format!("<{k}>{n}</{k}>")),
            V::B(b) => out.push_str(&format!("<{k}>{b}</{k}>")),
            V::List(item, items) => {
                out.push_str(&format!("<{k}>"));
                for i in items {
                    xml_of(out, item, i);
                }
                out.push_str(&format!("</{k}>"));
            }
        }
    }
    out.push_str(&format!("</{element}>"));
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

/// A list answer: a JSON array, or `<root><item>…</item>…</root>`.
fn list(format: Format, status: StatusCode, root: &str, item: &str, recs: &[Rec]) -> Response {
    match format {
        Format::Json => {
            (status, axum::Json(serde_json::Value::Array(recs.iter().map(json_of).collect()))).into_response()
        }
        Format::Xml => {
            let mut out = format!("{XML_DECL}<{root}>");
            for r in recs {
                xml_of(&mut out, item, r);
            }
            out.push_str(&format!("</{root}>"));
            (status, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], out).into_response()
        }
    }
}

/// The spec's error list, with the status as its `code`.
fn error_response(format: Format, status: u16, description: String) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    match format {
        Format::Json => {
            (code, axum::Json(serde_json::json!([{ "code": status, "description": description }]))).into_response()
        }
        Format::Xml => {
            let out = format!(
                "{XML_DECL}<errors><error><code>{status}</code><description>{}</description></error></errors>",
                escape(&description)
            );
            (code, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], out).into_response()
        }
    }
}

fn fail(format: Format, f: Fail) -> Response {
    match f {
        Fail::Domain(e, status) => error_response(format, status.unwrap_or(e.status()), e.message()),
        Fail::Internal(detail) => {
            tracing::error!(%detail, "open311 internal error");
            error_response(format, 500, "服务器内部错误,请稍后重试。".into())
        }
    }
}

fn answer(format: Format, r: Result<Response, Fail>) -> Response {
    r.unwrap_or_else(|f| fail(format, f))
}

/// A `jurisdiction_id`, when given, must be the city's code.
async fn check_jurisdiction(state: &AppState, given: Option<&str>) -> Result<(), Fail> {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else { return Ok(()) };
    match store::open311::city_code(&state.db).await? {
        Some(code) if code == given => Ok(()),
        _ => Err(Open311Error::JurisdictionUnknown { raw: given.to_string() }.into()),
    }
}

fn first<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    serde_urlencoded::from_str(raw.unwrap_or_default()).unwrap_or_default()
}

async fn department_names(state: &AppState) -> Result<BTreeMap<String, String>, Fail> {
    Ok(store::open311::department_names(&state.db).await?)
}

async fn services_answer(state: &AppState, format: Format, query: Option<&str>) -> Result<Response, Fail> {
    check_jurisdiction(state, first(&pairs(query), "jurisdiction_id")).await?;
    let departments = department_names(state).await?;
    let recs: Vec<Rec> = config()
        .event_categories
        .iter()
        .map(|c| {
            let department = departments.get(&c.department).cloned().unwrap_or_else(|| c.department.clone());
            vec![
                ("service_code", s(c.code.clone())),
                ("service_name", s(c.label.clone())),
                ("description", s(format!("{},由{}处置,处置时限{}。", c.label, department, c.handle_within.label()))),
                ("metadata", V::B(false)),
                ("type", s("realtime")),
                ("keywords", s("")),
                ("group", s(department)),
            ]
        })
        .collect();
    Ok(list(format, StatusCode::OK, "services", "service", &recs))
}

/// `GET /open311/v2/services.json`
pub async fn services_json(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    answer(Format::Json, services_answer(&state, Format::Json, q.as_deref()).await)
}

/// `GET /open311/v2/services.xml`
pub async fn services_xml(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    answer(Format::Xml, services_answer(&state, Format::Xml, q.as_deref()).await)
}

/// `GET /open311/v2/services/{code}.json|.xml`: the service definition.
pub async fn service(State(state): State<AppState>, Path(file): Path<String>, RawQuery(q): RawQuery) -> Response {
    let format = Format::split(&file).map(|f| f.1).unwrap_or(Format::Json);
    let r = async {
        let (code, format) = Format::split(&file)?;
        check_jurisdiction(&state, first(&pairs(q.as_deref()), "jurisdiction_id")).await?;
        if config().category(code).is_none() {
            return Err(Open311Error::ServiceUnknown { raw: code.to_string() }.into());
        }
        let rec: Rec = vec![("service_code", s(code)), ("attributes", V::List("attribute", vec![]))];
        Ok(match format {
            Format::Json => (StatusCode::OK, axum::Json(json_of(&rec))).into_response(),
            Format::Xml => {
                let mut out = XML_DECL.to_string();
                xml_of(&mut out, "service_definition", &rec);
                ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], out).into_response()
            }
        })
    }
    .await;
    answer(format, r)
}

/// Where a posted request reads its status notes from: the latest step.
async fn status_notes(state: &AppState, event_id: i64, status: EventStatus) -> Result<String, Fail> {
    let step = store::open311::latest_step(&state.db, event_id).await?;
    Ok(match step {
        None => status.label().to_string(),
        Some((action, _)) if action == "report" => "已上报,等待社区受理登记。".into(),
        Some((action, note)) => {
            let label = EventAction::from_code(&action).map(|a| a.label()).unwrap_or_default();
            let note = mask_text(note.trim());
            if note.is_empty() {
                format!("{}({label})", status.label())
            } else {
                format!("{}({label}):{note}", status.label())
            }
        }
    })
}

async fn request_rec(state: &AppState, r: &RequestRow) -> Result<Rec, Fail> {
    let status = EventStatus::from_code(&r.status).unwrap_or(EventStatus::Reported);
    let service_name = config().category(&r.category).map(|c| c.label.clone()).unwrap_or_else(|| r.category.clone());
    let time = |raw: &str| parse_utc(raw).map(format_time).unwrap_or_default();
    Ok(vec![
        ("service_request_id", s(r.id.to_string())),
        ("status", s(RequestStatus::of(status).code())),
        ("status_notes", s(status_notes(state, r.id, status).await?)),
        ("service_name", s(service_name)),
        ("service_code", s(r.category.clone())),
        ("description", s(mask_text(&r.description))),
        ("agency_responsible", s(r.department_name.clone().unwrap_or_else(|| r.community_name.clone()))),
        ("service_notice", s("")),
        ("requested_datetime", s(time(&r.reported_at))),
        ("updated_datetime", s(time(&r.updated_at))),
        ("expected_datetime", s("")),
        ("address", s(mask_text(&r.address_string))),
        ("address_id", s("")),
        ("zipcode", s("")),
        ("lat", V::N(r.lat)),
        ("long", V::N(r.lon)),
        ("media_url", s(r.media_url.clone())),
    ])
}

async fn requests_answer(state: &AppState, format: Format, query: Option<&str>) -> Result<Response, Fail> {
    let q = pairs(query);
    check_jurisdiction(state, first(&q, "jurisdiction_id")).await?;
    let given = |name: &str| first(&q, name).map(str::trim).filter(|v| !v.is_empty());
    let ids = match given("service_request_id") {
        None => None,
        Some(raw) => Some(
            raw.split(',')
                .map(|id| id.trim().parse::<i64>().ok().filter(|&n| n > 0))
                .collect::<Option<Vec<i64>>>()
                .ok_or_else(|| Open311Error::IdListInvalid { raw: raw.to_string() })?,
        ),
    };
    let service_code = match given("service_code") {
        Some(code) if config().category(code).is_none() => {
            return Err(Open311Error::ServiceUnknown { raw: code.to_string() }.into())
        }
        other => other.map(str::to_string),
    };
    let closed = match given("status") {
        None => None,
        Some(raw) => {
            let set = raw
                .split(',')
                .map(RequestStatus::from_code)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| Open311Error::StatusInvalid { raw: raw.to_string() })?;
            match (set.contains(&RequestStatus::Open), set.contains(&RequestStatus::Closed)) {
                (true, false) => Some(false),
                (false, true) => Some(true),
                _ => None,
            }
        }
    };
    let (from, to) = o311::window(given("start_date"), given("end_date"), Utc::now())?;
    let filter = RequestFilter {
        ids,
        service_code,
        from: from.to_rfc3339_opts(SecondsFormat::Secs, true),
        to: to.to_rfc3339_opts(SecondsFormat::Secs, true),
        closed,
    };
    let mut recs = Vec::new();
    for r in store::open311::requests(&state.db, &filter).await? {
        recs.push(request_rec(state, &r).await?);
    }
    Ok(list(format, StatusCode::OK, "service_requests", "request", &recs))
}

/// `GET /open311/v2/requests.json`
pub async fn requests_json(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    answer(Format::Json, requests_answer(&state, Format::Json, q.as_deref()).await)
}

/// `GET /open311/v2/requests.xml`
pub async fn requests_xml(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    answer(Format::Xml, requests_answer(&state, Format::Xml, q.as_deref()).await)
}

/// `GET /open311/v2/requests/{id}.json|.xml`
pub async fn request(State(state): State<AppState>, Path(file): Path<String>, RawQuery(q): RawQuery) -> Response {
    let format = Format::split(&file).map(|f| f.1).unwrap_or(Format::Json);
    let r = async {
        let (id, format) = Format::split(&file)?;
        check_jurisdiction(&state, first(&pairs(q.as_deref()), "jurisdiction_id")).await?;
        let id = id.parse::<i64>().map_err(|_| Open311Error::RequestUnknown)?;
        let row = store::open311::request(&state.db, id).await?.ok_or(Open311Error::RequestUnknown)?;
        let rec = request_rec(&state, &row).await?;
        Ok(list(format, StatusCode::OK, "service_requests", "request", &[rec]))
    }
    .await;
    answer(format, r)
}

/// `GET /open311/v2/tokens/{token}.json|.xml`
pub async fn token(State(state): State<AppState>, Path(file): Path<String>, RawQuery(q): RawQuery) -> Response {
    let format = Format::split(&file).map(|f| f.1).unwrap_or(Format::Json);
    let r = async {
        let (token, format) = Format::split(&file)?;
        check_jurisdiction(&state, first(&pairs(q.as_deref()), "jurisdiction_id")).await?;
        let id = store::open311::event_of_token(&state.db, token).await?.ok_or(Open311Error::TokenUnknown)?;
        let rec: Rec = vec![("service_request_id", s(id.to_string())), ("token", s(token))];
        Ok(list(format, StatusCode::OK, "service_requests", "request", &[rec]))
    }
    .await;
    answer(format, r)
}

/// The audit trail's name for an external tool.
fn tool(client: &str, key: Option<&KeyRow>) -> Who {
    Who { actor: key.map(|k| format!("open311:{}", k.name)), role: None, client: client.to_string() }
}

async fn refuse(state: &AppState, who: &Who, key: Option<&KeyRow>, e: Open311Error, outcome: Outcome) -> Fail {
    let object = key.map(|k| format!("open311_key:{}", k.id)).unwrap_or_else(|| "open311_key".into());
    let event =
        Event::new(AuditAction::Open311Report, object, outcome).detail(serde_json::json!({ "reason": e.code() }));
    match audit::record(state, who, &event).await {
        Ok(()) => e.into(),
        Err(err) => err.into(),
    }
}

/// Text up to `max` characters (empty allowed).
fn optional_text(field: Field, raw: Option<&str>, max: usize) -> Result<String, Open311Error> {
    let t = raw.unwrap_or_default().trim();
    if t.chars().count() > max {
        return Err(field.error(FieldErrorKind::TooLong { max }).into());
    }
    Ok(t.to_string())
}

async fn post_answer(
    state: &AppState,
    client: &str,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Result<Rec, Fail> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    let body: Vec<(String, String)> = match serde_urlencoded::from_bytes(body) {
        Ok(b) if form_type || body.is_empty() => b,
        _ => return Err(Open311Error::BodyInvalid.into()),
    };
    // The body's fields, then the query's (some tools put the key there).
    let mut form = body;
    form.extend(pairs(query));
    let given = |name: &str| first(&form, name).map(str::trim).filter(|v| !v.is_empty());
    check_jurisdiction(state, given("jurisdiction_id")).await?;
    let anonymous = tool(client, None);
    let Some(token) = given("api_key") else { return Err(Open311Error::KeyMissing.into()) };
    let Some(key) = store::open311::live_key_by_hash(&state.db, &sha256_hex(token)).await? else {
        return Err(refuse(state, &anonymous, None, Open311Error::KeyInvalid, Outcome::Denied).await);
    };
    let who = tool(client, Some(&key));
    // The rate ledger counts every authenticated attempt, whatever its fate.
    let now = Utc::now();
    let stamp = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let since = (now - Duration::seconds(60)).to_rfc3339_opts(SecondsFormat::Millis, true);
    {
        let mut tx = state.write_tx().await?;
        if store::open311::uses_since(&mut tx, key.id, &since).await? >= key.rate_per_minute {
            drop(tx);
            let e = Open311Error::RateLimited { per_minute: key.rate_per_minute };
            return Err(refuse(state, &who, Some(&key), e, Outcome::Denied).await);
        }
        store::open311::record_use(&mut tx, key.id, &stamp).await?;
        tx.commit().await?;
    }
    match place_and_store(state, &who, &key, &form, now).await {
        Ok(r) => Ok(r),
        Err(Fail::Domain(e, status)) => {
            let outcome = if e.status() == 403 { Outcome::Denied } else { Outcome::Failure };
            match refuse(state, &who, Some(&key), e, outcome).await {
                Fail::Domain(e, _) => Err(Fail::Domain(e, status)),
                internal => Err(internal),
            }
        }
        Err(internal) => Err(internal),
    }
}

/// Checks the request, places it and stores it with its audit entry in one
/// transaction: nothing is written when anything is wrong.
async fn place_and_store(
    state: &AppState,
    who: &Who,
    key: &KeyRow,
    form: &[(String, String)],
    now: chrono::DateTime<Utc>,
) -> Result<Rec, Fail> {
    let given = |name: &str| first(form, name).map(str::trim).filter(|v| !v.is_empty());
    let code = given("service_code").unwrap_or_default();
    if config().category(code).is_none() {
        // On a post, an unknown service is a bad request (the spec's 400).
        return Err(Fail::Domain(Open311Error::ServiceUnknown { raw: code.to_string() }, Some(400)));
    }
    let (lat, lon) = (given("lat"), given("long"));
    let position = match (lon, lat) {
        (None, None) if given("address_string").is_some() => return Err(Open311Error::CoordinatesRequired.into()),
        (None, None) => return Err(Open311Error::LocationRequired.into()),
        (lon, lat) => Position::parse(lon.unwrap_or_default(), lat.unwrap_or_default())
            .map_err(|e| Open311Error::Field(e.into_iter().next().expect("at least one problem")))?,
    };
    // The same rules as a grid member's report (category, description, point).
    let input = EventReportInput {
        category: code.to_string(),
        description: first(form, "description").unwrap_or_default().to_string(),
        lon: Some(position.lon),
        lat: Some(position.lat),
        reported_at: now.to_rfc3339(),
    };
    let report =
        input.parse(config(), now).map_err(|e| Open311Error::Field(e.into_iter().next().expect("a problem")))?;
    let phone = match given("phone") {
        Some(p) => PhoneNumber::parse(FIELD_PHONE, p).map_err(Open311Error::Field)?.expose().to_string(),
        None => String::new(),
    };
    let email = parse_email(given("email").unwrap_or_default())?.unwrap_or_default();
    let first_name = optional_text(FIELD_FIRST_NAME, given("first_name"), 50)?;
    let last_name = optional_text(FIELD_LAST_NAME, given("last_name"), 50)?;
    let media_url = optional_text(FIELD_MEDIA_URL, given("media_url"), 500)?;
    let web = |u: &str| u.starts_with("https://") || u.starts_with("http://");
    if !(media_url.is_empty() || web(&media_url)) {
        return Err(FIELD_MEDIA_URL
            .error(FieldErrorKind::InvalidFormat { expected: "应为 http(s):// 开头的网址" })
            .into());
    }
    let address = optional_text(Field::new("address_string", "地址"), given("address_string"), 200)?;
    let device_id = optional_text(Field::new("device_id", "设备标识"), given("device_id"), 100)?;
    let account_ref = optional_text(Field::new("account_id", "外部账号"), given("account_id"), 100)?;
    let attributes: BTreeMap<&str, &str> = form
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("attribute[").and_then(|k| k.strip_suffix(']')).map(|k| (k, v.as_str())))
        .collect();
    // The grid the point falls in, and whether it lies in the key's scope.
    let scope = OrgPath::parse(&key.path).ok_or_else(|| Fail::Internal(format!("bad key path {}", key.path)))?;
    let mut placed = None;
    let mut elsewhere = false;
    for hit in state.grid_index().await?.locate(report.position, BORDER_TOLERANCE_M) {
        if let Some((community, path)) = store::open311::grid_place(&state.db, hit.key).await? {
            if OrgPath::parse(&path).is_some_and(|p| scope.contains(&p)) {
                placed = Some((community, hit.key, path));
                break;
            }
            elsewhere = true;
        }
    }
    let Some((community, grid, path)) = placed else {
        return Err(if elsewhere { Open311Error::OutsideKeyScope } else { Open311Error::OutsideEveryGrid }.into());
    };
    let duplicates: Vec<i64> =
        super::events::open_nearby(state, community, &report.category.code, report.position, None)
            .await?
            .into_iter()
            .map(|d| d.0)
            .collect();
    let token = random_token();
    let idempotency_key = format!("open311:{token}");
    let fingerprint = sha256_hex(&serde_json::to_string(form).map_err(|e| Fail::Internal(e.to_string()))?);
    let stamp = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let reported_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let attributes = serde_json::to_string(&attributes).map_err(|e| Fail::Internal(e.to_string()))?;
    let mut tx = state.write_tx().await?;
    let new = NewReport {
        idempotency_key: &idempotency_key,
        request_sha256: &fingerprint,
        community_id: community,
        grid_id: Some(grid),
        path: &path,
        category: &report.category.code,
        description: &report.description,
        lon: report.position.lon,
        lat: report.position.lat,
        possible_duplicates: &duplicates,
        reported_by: key.account_id,
        reported_at: &reported_at,
        received_at: &stamp,
    };
    let id = store::events::insert_report(&mut tx, &new)
        .await?
        .ok_or_else(|| Fail::Internal("a fresh token's idempotency key was taken".into()))?;
    let request = NewRequest {
        event_id: id,
        key_id: key.id,
        token: &token,
        address_string: &address,
        media_url: &media_url,
        first_name: &first_name,
        last_name: &last_name,
        email: &email,
        phone: &phone,
        device_id: &device_id,
        account_ref: &account_ref,
        attributes: &attributes,
        at: &stamp,
    };
    store::open311::insert_request(&mut tx, &request).await?;
    let detail = serde_json::json!({
        "key": key.id, "category": report.category.code, "grid": grid, "possible_duplicates": duplicates,
    });
    audit::append(&mut tx, who, &Event::success(AuditAction::Open311Report, format!("event:{id}")).detail(detail))
        .await?;
    tx.commit().await?;
    let notice = if duplicates.is_empty() {
        "已受理,事件已转所在社区登记处置。".to_string()
    } else {
        let ids: Vec<String> = duplicates.iter().map(|d| format!("#{d}")).collect();
        format!("已受理,事件已转所在社区登记处置。附近 50 米内有同类未结事件 {},社区将核实是否重复。", ids.join("、"))
    };
    let rec: Rec = vec![
        ("service_request_id", s(id.to_string())),
        ("token", s(token)),
        ("service_notice", s(notice)),
        ("account_id", s("")),
    ];
    Ok(rec)
}

async fn post(
    state: AppState,
    format: Format,
    client: String,
    headers: HeaderMap,
    query: Option<String>,
    body: Bytes,
) -> Response {
    match post_answer(&state, &client, &headers, query.as_deref(), &body).await {
        Ok(rec) => list(format, StatusCode::CREATED, "service_requests", "request", &[rec]),
        Err(f) => fail(format, f),
    }
}

/// `POST /open311/v2/requests.json`
pub async fn post_json(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    post(state, Format::Json, client, headers, q, body).await
}

/// `POST /open311/v2/requests.xml`
pub async fn post_xml(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    post(state, Format::Xml, client, headers, q, body).await
}

/// Anything else under `/open311/v2/`: the spec's 404.
pub async fn not_found() -> Response {
    error_response(Format::Json, 404, "请求的接口不存在。".into())
}
