//! Open311 GeoReport v2 (外部系统事件上报接口): the rules of the public
//! interface other tools use to report street events into the event loop —
//! the status mapping, the time format, the 90-day query window, the API
//! key's name and rate limit, the masking of free text for public reads, and
//! the errors with their stable codes and Chinese text.
//!
//! No web types here: the server turns these into HTTP answers in the
//! spec's error list format.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind};
use crate::grid::event::EventStatus;

/// The longest span `GET requests` answers, and its default (the spec's
/// "most recent 90 days").
pub const WINDOW_DAYS: i64 = 90;
/// Rate limits a key may be given, in requests per minute.
pub const RATE_MIN: i64 = 1;
/// The highest rate limit a key may be given, in requests per minute.
pub const RATE_MAX: i64 = 600;
/// The default rate limit of a new key.
pub const RATE_DEFAULT: i64 = 30;

/// Field “外部系统名称” (key form or posted request).
pub const FIELD_KEY_NAME: Field = Field::new("name", "外部系统名称");
/// Field “每分钟请求上限” (key form or posted request).
pub const FIELD_KEY_RATE: Field = Field::new("rate_per_minute", "每分钟请求上限");
/// Field “授权范围” (key form or posted request).
pub const FIELD_KEY_NODE: Field = Field::new("org_node_id", "授权范围");
/// Field “电子邮箱” (key form or posted request).
pub const FIELD_EMAIL: Field = Field::new("email", "电子邮箱");
/// Field “名” (key form or posted request).
pub const FIELD_FIRST_NAME: Field = Field::new("first_name", "名");
/// Field “姓” (key form or posted request).
pub const FIELD_LAST_NAME: Field = Field::new("last_name", "姓");
/// Field “图片链接” (key form or posted request).
pub const FIELD_MEDIA_URL: Field = Field::new("media_url", "图片链接");

/// The GeoReport status of a request (`open` or `closed`): open until the
/// event loop closes the event (结案 or merged as a duplicate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    /// 处理中: any status of the event loop before it is closed.
    Open,
    /// 已结案 (or merged as a duplicate).
    Closed,
}

impl RequestStatus {
    /// The GeoReport status of an event's status.
    pub fn of(status: EventStatus) -> Self {
        if status == EventStatus::Closed {
            RequestStatus::Closed
        } else {
            RequestStatus::Open
        }
    }

    /// The spec's word: `open` or `closed`.
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Closed => "closed",
        }
    }

    /// The status named by the spec's word.
    pub fn from_code(raw: &str) -> Option<Self> {
        match raw.trim() {
            "open" => Some(RequestStatus::Open),
            "closed" => Some(RequestStatus::Closed),
            _ => None,
        }
    }
}

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// A time as the interface writes it: ISO 8601 with the +08:00 offset,
/// whole seconds, e.g. `2026-12-01T09:30:00+08:00`.
pub fn format_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&beijing()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A time as a client may send it: ISO 8601 with an offset (or `Z`), a
/// local date-time without one (read as Beijing time), or a bare date
/// (its start, Beijing time).
pub fn parse_time(field: &'static str, raw: &str) -> Result<DateTime<Utc>, Open311Error> {
    let t = raw.trim();
    let bad = || Open311Error::DateInvalid { field, raw: t.to_string() };
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return beijing().from_local_datetime(&naive).single().map(|d| d.with_timezone(&Utc)).ok_or_else(bad);
        }
    }
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| bad())?;
    let start = date.and_hms_opt(0, 0, 0).ok_or_else(bad)?;
    beijing().from_local_datetime(&start).single().map(|d| d.with_timezone(&Utc)).ok_or_else(bad)
}

/// The window `GET requests` answers: both ends given, or one end and 90
/// days from it, or the last 90 days; never longer than 90 days.
pub fn window(
    start: Option<&str>,
    end: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Open311Error> {
    fn given(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|s| !s.is_empty())
    }
    let start = given(start).map(|s| parse_time("start_date", s)).transpose()?;
    let end = given(end).map(|s| parse_time("end_date", s)).transpose()?;
    let span = Duration::days(WINDOW_DAYS);
    let (from, to) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, s + span),
        (None, Some(e)) => (e - span, e),
        (None, None) => (now - span, now),
    };
    if to < from {
        return Err(Open311Error::WindowReversed);
    }
    if to - from > span {
        return Err(Open311Error::WindowTooLong);
    }
    Ok((from, to))
}

/// An external tool's name, as the key list shows it.
pub fn parse_key_name(raw: &str) -> Result<String, FieldError> {
    FIELD_KEY_NAME.required_text(raw, 60)
}

/// A key's rate limit in requests per minute.
pub fn parse_rate(raw: Option<i64>) -> Result<i64, FieldError> {
    match raw {
        None => Ok(RATE_DEFAULT),
        Some(n) if (RATE_MIN..=RATE_MAX).contains(&n) => Ok(n),
        Some(n) => {
            Err(FIELD_KEY_RATE.error(FieldErrorKind::OutOfRange { min: RATE_MIN, max: RATE_MAX, raw: n.to_string() }))
        }
    }
}

/// An e-mail address: something, `@`, a domain with a dot; at most 100
/// characters. Empty is allowed (the field is optional).
pub fn parse_email(raw: &str) -> Result<Option<String>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let ok = t.chars().count() <= 100
        && t.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !t.contains(char::is_whitespace);
    if ok {
        Ok(Some(t.to_string()))
    } else {
        Err(FIELD_EMAIL
            .error(FieldErrorKind::InvalidFormat { expected: "应为电子邮箱地址,如 name@example.com" }))
    }
}

/// `z***@example.com`: the first character of the mailbox and the domain.
pub fn masked_email(email: &str) -> String {
    match email.split_once('@') {
        Some((user, domain)) => format!("{}***@{domain}", user.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

/// Free text as the public may read it: runs of digits long enough to be a
/// phone number (7 or more) or an ID number keep only their first three and
/// last four characters (`138****5678`, `110***********002X`). Reporters
/// write phone numbers into descriptions; a public read must not carry them.
pub fn mask_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || (chars[j] == 'X' || chars[j] == 'x') && j > i) {
                j += 1;
            }
            let run = &chars[i..j];
            if run.len() >= 7 {
                out.extend(&run[..3]);
                out.extend(std::iter::repeat_n('*', run.len() - 7));
                out.extend(&run[run.len() - 4..]);
            } else {
                out.extend(run);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// What is wrong with an Open311 call. Each has its GeoReport HTTP status
/// (400, 403, 404; 429 for a key over its rate limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Open311Error {
    /// Posting without `api_key`.
    KeyMissing,
    /// An `api_key` that is unknown or revoked.
    KeyInvalid,
    /// The point lies outside the organisation node the key is scoped to.
    OutsideKeyScope,
    /// More requests in the last minute than the key allows.
    RateLimited {
        /// The key's limit.
        per_minute: i64,
    },
    /// A `jurisdiction_id` other than the city's.
    JurisdictionUnknown {
        /// As given.
        raw: String,
    },
    /// A `service_code` that is no event category.
    ServiceUnknown {
        /// As given.
        raw: String,
    },
    /// No such service request (or token).
    RequestUnknown,
    /// No request was made with this token.
    TokenUnknown,
    /// A path ending other than `.json` or `.xml`.
    FormatUnknown,
    /// Only `address_string`: there is no geocoder to turn it into a point.
    CoordinatesRequired,
    /// Neither coordinates nor an address.
    LocationRequired,
    /// The point falls in no grid of the city.
    OutsideEveryGrid,
    /// `start_date` or `end_date` that is not ISO 8601.
    DateInvalid {
        /// Which of the two.
        field: &'static str,
        /// As given.
        raw: String,
    },
    /// `end_date` before `start_date`.
    WindowReversed,
    /// A span longer than [`WINDOW_DAYS`].
    WindowTooLong,
    /// A `status` other than `open` or `closed`.
    StatusInvalid {
        /// As given.
        raw: String,
    },
    /// `service_request_id` that is not a comma list of ids.
    IdListInvalid {
        /// As given.
        raw: String,
    },
    /// The form body could not be read as `application/x-www-form-urlencoded`.
    BodyInvalid,
    /// A field of the request that is wrong (description, phone, …).
    Field(FieldError),
}

impl Open311Error {
    /// The HTTP status the spec gives this error.
    pub fn status(&self) -> u16 {
        match self {
            Open311Error::KeyMissing | Open311Error::KeyInvalid | Open311Error::OutsideKeyScope => 403,
            Open311Error::RateLimited { .. } => 429,
            Open311Error::JurisdictionUnknown { .. }
            | Open311Error::ServiceUnknown { .. }
            | Open311Error::RequestUnknown
            | Open311Error::TokenUnknown
            | Open311Error::FormatUnknown => 404,
            _ => 400,
        }
    }
}

impl DomainError for Open311Error {
    fn code(&self) -> &'static str {
        match self {
            Open311Error::KeyMissing => "open311_key_missing",
            Open311Error::KeyInvalid => "open311_key_invalid",
            Open311Error::OutsideKeyScope => "open311_outside_key_scope",
            Open311Error::RateLimited { .. } => "open311_rate_limited",
            Open311Error::JurisdictionUnknown { .. } => "open311_jurisdiction_unknown",
            Open311Error::ServiceUnknown { .. } => "open311_service_unknown",
            Open311Error::RequestUnknown => "open311_request_unknown",
            Open311Error::TokenUnknown => "open311_token_unknown",
            Open311Error::FormatUnknown => "open311_format_unknown",
            Open311Error::CoordinatesRequired => "open311_coordinates_required",
            Open311Error::LocationRequired => "open311_location_required",
            Open311Error::OutsideEveryGrid => "open311_outside_every_grid",
            Open311Error::DateInvalid { .. } => "open311_date_invalid",
            Open311Error::WindowReversed => "open311_window_reversed",
            Open311Error::WindowTooLong => "open311_window_too_long",
            Open311Error::StatusInvalid { .. } => "open311_status_invalid",
            Open311Error::IdListInvalid { .. } => "open311_id_list_invalid",
            Open311Error::BodyInvalid => "open311_body_invalid",
            Open311Error::Field(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Open311Error::Field(e) => Some(e.field),
            Open311Error::DateInvalid { field, .. } => Some(field),
            Open311Error::KeyMissing | Open311Error::KeyInvalid => Some("api_key"),
            Open311Error::ServiceUnknown { .. } => Some("service_code"),
            Open311Error::JurisdictionUnknown { .. } => Some("jurisdiction_id"),
            Open311Error::CoordinatesRequired | Open311Error::LocationRequired | Open311Error::OutsideEveryGrid => {
                Some("lat")
            }
            _ => None,
        }
    }

    fn message(&self) -> String {
        match self {
            Open311Error::KeyMissing => "上报事件须提供 api_key(由系统管理员为外部系统签发)。".into(),
            Open311Error::KeyInvalid => "api_key 无效或已被吊销。".into(),
            Open311Error::OutsideKeyScope => "该位置不在此 api_key 的授权范围内。".into(),
            Open311Error::RateLimited { per_minute } => {
                format!("请求过于频繁:此 api_key 每分钟最多 {per_minute} 次请求,请稍后重试。")
            }
            Open311Error::JurisdictionUnknown { raw } => format!("jurisdiction_id“{raw}”不是本市的区划代码。"),
            Open311Error::ServiceUnknown { raw } => format!("service_code“{raw}”不是已有的事件分类。"),
            Open311Error::RequestUnknown => "没有这条事件上报记录。".into(),
            Open311Error::TokenUnknown => "没有这个上报凭据(token)。".into(),
            Open311Error::FormatUnknown => "接口地址须以 .json 或 .xml 结尾。".into(),
            Open311Error::CoordinatesRequired => {
                "须提供经纬度(lat、long):本系统没有地址解析服务,仅凭 address_string 无法确定事件所在网格。".into()
            }
            Open311Error::LocationRequired => "须提供事件位置的经纬度(lat、long)。".into(),
            Open311Error::OutsideEveryGrid => "该位置不在本市任何网格内,无法确定由哪个社区受理。".into(),
            Open311Error::DateInvalid { field, raw } => {
                format!("{field}“{raw}”不是 ISO 8601 时间,应如 2026-12-01T09:30:00+08:00。")
            }
            Open311Error::WindowReversed => "end_date 不能早于 start_date。".into(),
            Open311Error::WindowTooLong => format!("start_date 与 end_date 之间不能超过 {WINDOW_DAYS} 天。"),
            Open311Error::StatusInvalid { raw } => format!("status“{raw}”不正确,应为 open 或 closed。"),
            Open311Error::IdListInvalid { raw } => {
                format!("service_request_id“{raw}”不正确,应为以逗号分隔的事件编号。")
            }
            Open311Error::BodyInvalid => {
                "请求内容须为表单编码(Content-Type: application/x-www-form-urlencoded)。".into()
            }
            Open311Error::Field(e) => e.message(),
        }
    }
}

impl From<FieldError> for Open311Error {
    fn from(e: FieldError) -> Self {
        Open311Error::Field(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(raw).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn times_are_written_with_the_beijing_offset() {
        assert_eq!(format_time(at("2026-12-01T01:30:00Z")), "2026-12-01T09:30:00+08:00");
        assert_eq!(parse_time("start_date", "2026-12-01T09:30:00+08:00").unwrap(), at("2026-12-01T01:30:00Z"));
        assert_eq!(parse_time("start_date", "2026-12-01").unwrap(), at("2026-11-30T16:00:00Z"));
        assert_eq!(parse_time("start_date", "2026-12-01T09:30:00").unwrap(), at("2026-12-01T01:30:00Z"));
        assert_eq!(parse_time("end_date", "yesterday").unwrap_err().code(), "open311_date_invalid");
    }

    #[test]
    fn the_window_is_at_most_ninety_days() {
        let now = at("2026-12-01T00:00:00Z");
        assert_eq!(window(None, None, now).unwrap(), (now - Duration::days(90), now));
        let (from, to) = window(Some("2026-01-01T00:00:00Z"), None, now).unwrap();
        assert_eq!(to - from, Duration::days(90));
        assert!(window(Some("2026-01-01T00:00:00Z"), Some("2026-03-31T00:00:00Z"), now).is_ok());
        assert_eq!(
            window(Some("2026-01-01T00:00:00Z"), Some("2026-04-02T00:00:00Z"), now),
            Err(Open311Error::WindowTooLong)
        );
        assert_eq!(window(Some("2026-02-01"), Some("2026-01-01"), now), Err(Open311Error::WindowReversed));
    }

    #[test]
    fn status_is_open_until_closed() {
        for s in EventStatus::ALL {
            let expected = if s == EventStatus::Closed { "closed" } else { "open" };
            assert_eq!(RequestStatus::of(s).code(), expected);
        }
        assert_eq!(RequestStatus::from_code("pending"), None);
    }

    #[test]
    fn free_text_loses_its_phone_and_id_numbers() {
        assert_eq!(mask_text("联系13812345678王先生"), "联系138****5678王先生");
        assert_eq!(mask_text("身份证11010519491231002X"), "身份证110***********002X");
        assert_eq!(mask_text("3号楼 2单元 门口"), "3号楼 2单元 门口");
    }

    #[test]
    fn emails_and_rates() {
        assert_eq!(parse_email("").unwrap(), None);
        assert!(parse_email("a@b.cn").unwrap().is_some());
        assert!(parse_email("ab.cn").is_err());
        assert_eq!(masked_email("zhang@example.com"), "z***@example.com");
        assert_eq!(parse_rate(None).unwrap(), RATE_DEFAULT);
        assert!(parse_rate(Some(0)).is_err());
    }

    #[test]
    fn every_error_has_its_status_and_a_chinese_sentence() {
        let all = [
            Open311Error::KeyMissing,
            Open311Error::KeyInvalid,
            Open311Error::OutsideKeyScope,
            Open311Error::RateLimited { per_minute: 5 },
            Open311Error::JurisdictionUnknown { raw: "x".into() },
            Open311Error::ServiceUnknown { raw: "x".into() },
            Open311Error::RequestUnknown,
            Open311Error::TokenUnknown,
            Open311Error::FormatUnknown,
            Open311Error::CoordinatesRequired,
            Open311Error::LocationRequired,
            Open311Error::OutsideEveryGrid,
            Open311Error::DateInvalid { field: "start_date", raw: "x".into() },
            Open311Error::WindowReversed,
            Open311Error::WindowTooLong,
            Open311Error::StatusInvalid { raw: "x".into() },
            Open311Error::IdListInvalid { raw: "x".into() },
            Open311Error::BodyInvalid,
        ];
        let mut codes = std::collections::HashSet::new();
        for e in &all {
            assert!(codes.insert(e.code()), "{} twice", e.code());
            assert!(e.message().ends_with('。'), "{}", e.message());
            assert!([400, 403, 404, 429].contains(&e.status()));
        }
    }
}
