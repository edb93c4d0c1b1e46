//! Errors a person can read: stable codes, the field concerned, Chinese text.
//!
//! Every domain area has its own error enum; each implements [`DomainError`].
//! The Chinese text for a code is written once, in the enum's `message`, and
//! both the browser app and the API show that same text.

use std::fmt;

/// An error that can be shown to a user and returned by the API.
pub trait DomainError {
    /// Stable machine-readable identifier (snake_case). Never changes once
    /// published: other tools match on it.
    fn code(&self) -> &'static str;
    /// The API name of the input field this error concerns, if any.
    fn field(&self) -> Option<&'static str> {
        None
    }
    /// The message in Simplified Chinese, naming the field where there is one.
    fn message(&self) -> String;
}

/// What is wrong with one input field. The field is named twice: by its API
/// name (for programs) and by its Chinese label (for people).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// API name, e.g. `from`.
    pub field: &'static str,
    /// Chinese label as printed on the form, e.g. `起算日期`.
    pub label: &'static str,
    /// What is wrong with it.
    pub kind: FieldErrorKind,
}

/// The ways a single field can be wrong. Shared by every form in the system so
/// that the same mistake reads the same everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// Nothing was given.
    Required,
    /// Not a calendar date in `YYYY-MM-DD` form.
    InvalidDate {
        /// What was given.
        raw: String,
    },
    /// Not a whole number.
    NotAnInteger {
        /// What was given.
        raw: String,
    },
    /// A whole number outside the allowed range (inclusive).
    OutOfRange {
        /// The smallest allowed.
        min: i64,
        /// The largest allowed.
        max: i64,
        /// What was given.
        raw: String,
    },
    /// Longer than allowed, in characters (a Chinese character counts as one).
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// Shorter than required, in characters.
    TooShort {
        /// The fewest characters required.
        min: usize,
    },
    /// Not in the expected form; `expected` says the form in Chinese.
    InvalidFormat {
        /// The expected form, in Chinese.
        expected: &'static str,
    },
    /// Not one of the values offered.
    UnknownOption {
        /// What was given.
        raw: String,
    },
    /// A password that breaks the password policy (密码策略).
    PasswordTooWeak {
        /// The policy's minimum length.
        min_len: usize,
    },
    /// On the common-password list (or one of its usual variants).
    PasswordCommon,
    /// Names a record (or place) outside the caller's area of work.
    OutsideScope,
    /// A resident ID number (居民身份证号码) whose GB 11643 check digit is wrong.
    IdNumberChecksum,
    /// Already used by another record (e.g. a login name).
    Taken {
        /// The value already in use.
        raw: String,
    },
    /// A date later than today where only past or present dates make sense
    /// (e.g. the day a paper application was accepted).
    DateInFuture {
        /// The date given.
        raw: String,
    },
    /// A date earlier than allowed; `earliest` is written `YYYY-MM-DD`.
    DateTooEarly {
        /// The earliest date allowed, `YYYY-MM-DD`.
        earliest: String,
    },
    /// Not an amount of money in yuan with at most two decimals (fen).
    InvalidAmount {
        /// What was given.
        raw: String,
    },
    /// Two entries of a list are the same.
    Duplicate {
        /// The repeated value, or where it first appeared.
        raw: String,
    },
    /// Missing where the person picks rather than types (a place on the
    /// map): the same stable code as [`FieldErrorKind::Required`], a message
    /// that says what to do — 请选择事件位置, not 请填写.
    NotChosen {
        /// How to choose, in the words of the form; empty when the choices
        /// are in plain view (a row of radio buttons).
        how: &'static str,
    },
}

impl FieldError {
    /// A field error on field `field` (API name) labelled `label`.
    pub fn new(field: &'static str, label: &'static str, kind: FieldErrorKind) -> Self {
        Self { field, label, kind }
    }
}

/// A form field: its API name and its Chinese label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// API name, e.g. `from`.
    pub name: &'static str,
    /// Chinese label as printed on the form, e.g. `起算日期`.
    pub label: &'static str,
}

impl Field {
    /// A field with its API name and Chinese label.
    pub const fn new(name: &'static str, label: &'static str) -> Self {
        Self { name, label }
    }

    /// This field's error of `kind`.
    pub fn error(self, kind: FieldErrorKind) -> FieldError {
        FieldError::new(self.name, self.label, kind)
    }

    /// A record id chosen from a list: a positive whole number.
    pub fn required_id(self, raw: &str) -> Result<i64, FieldError> {
        match raw.trim() {
            "" => Err(self.error(FieldErrorKind::Required)),
            t => t
                .parse::<i64>()
                .ok()
                .filter(|&id| id > 0)
                .ok_or_else(|| self.error(FieldErrorKind::UnknownOption { raw: t.to_string() })),
        }
    }

    /// Like [`required_id`](Self::required_id), but empty means `None`.
    pub fn optional_id(self, raw: &str) -> Result<Option<i64>, FieldError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            self.required_id(raw).map(Some)
        }
    }

    /// A whole number typed into this field, required, within `min..=max`.
    pub fn whole_number(self, raw: &str, min: i64, max: i64) -> Result<i64, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(self.error(FieldErrorKind::Required));
        }
        let n: i64 = raw.parse().map_err(|_| self.error(FieldErrorKind::NotAnInteger { raw: raw.to_string() }))?;
        if !(min..=max).contains(&n) {
            return Err(self.error(FieldErrorKind::OutOfRange { min, max, raw: raw.to_string() }));
        }
        Ok(n)
    }

    /// Trimmed text, required, at most `max` characters.
    pub fn required_text(self, raw: &str, max: usize) -> Result<String, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            Err(self.error(FieldErrorKind::Required))
        } else if text.chars().count() > max {
            Err(self.error(FieldErrorKind::TooLong { max }))
        } else {
            Ok(text.to_string())
        }
    }
}

/// Collects field errors while parsing a form, so every problem is reported
/// at once rather than one per round trip.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value, or records the error and gives `None`.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Records a problem.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Whether no problem has been recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a problem with field `name` is already recorded.
    pub fn has_field(&self, name: &str) -> bool {
        self.0.iter().any(|e| e.field == name)
    }

    /// The value when there was no problem (and `value` gives one), else every problem in order.
    pub fn into_result<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        match (self.0.is_empty(), value()) {
            (true, Some(v)) => Ok(v),
            _ => Err(self.0),
        }
    }
}

/// Shortens what the user typed before quoting it back, so that a pasted
/// essay does not become an essay-long error message.
fn quote(raw: &str) -> String {
    const MAX: usize = 20;
    if raw.chars().count() > MAX {
        let head: String = raw.chars().take(MAX).collect();
        format!("“{head}…”")
    } else {
        format!("“{raw}”")
    }
}

impl DomainError for FieldError {
    fn code(&self) -> &'static str {
        match self.kind {
            FieldErrorKind::Required => "field_required",
            FieldErrorKind::InvalidDate { .. } => "field_invalid_date",
            FieldErrorKind::NotAnInteger { .. } => "field_not_integer",
            FieldErrorKind::OutOfRange { .. } => "field_out_of_range",
            FieldErrorKind::TooLong { .. } => "field_too_long",
            FieldErrorKind::TooShort { .. } => "field_too_short",
            FieldErrorKind::InvalidFormat { .. } => "field_invalid_format",
            FieldErrorKind::UnknownOption { .. } => "field_unknown_option",
            FieldErrorKind::PasswordTooWeak { .. } => "password_too_weak",
            FieldErrorKind::PasswordCommon => "password_too_common",
            FieldErrorKind::OutsideScope => "field_out_of_scope",
            FieldErrorKind::IdNumberChecksum => "id_number_checksum",
            FieldErrorKind::Taken { .. } => "field_taken",
            FieldErrorKind::DateInFuture { .. } => "field_date_in_future",
            FieldErrorKind::DateTooEarly { .. } => "field_date_too_early",
            FieldErrorKind::InvalidAmount { .. } => "field_invalid_amount",
            FieldErrorKind::Duplicate { .. } => "field_duplicate",
            FieldErrorKind::NotChosen { .. } => "field_required",
        }
    }

    fn field(&self) -> Option<&'static str> {
        Some(self.field)
    }

    fn message(&self) -> String {
        let label = self.label;
        match &self.kind {
            FieldErrorKind::Required => format!("请填写{label}。"),
            FieldErrorKind::InvalidDate { raw } => {
                format!("{label}{}不是有效日期,请按“年-月-日”格式填写,例如 2026-09-30。", quote(raw))
            }
            FieldErrorKind::NotAnInteger { raw } => {
                format!("{label}必须是整数,{}不是整数。", quote(raw))
            }
            FieldErrorKind::OutOfRange { min, max, raw } => {
                format!("{label}必须在 {min} 到 {max} 之间,当前为 {raw}。")
            }
            FieldErrorKind::TooLong { max } => format!("{label}不能超过 {max} 个字。"),
            FieldErrorKind::TooShort { min } => format!("{label}至少需要 {min} 个字符。"),
            FieldErrorKind::InvalidFormat { expected } => format!("{label}格式不正确:{expected}。"),
            FieldErrorKind::UnknownOption { raw } => format!("{label}{}不是可选的值,请从列表中选择。", quote(raw)),
            FieldErrorKind::PasswordTooWeak { min_len } => {
                format!("{label}至少 {min_len} 位,且须包含大写字母、小写字母、数字、符号中的至少 3 类。")
            }
            FieldErrorKind::PasswordCommon => format!("{label}过于常见,容易被猜中,请换一个不易猜到的密码。"),
            FieldErrorKind::OutsideScope => format!("{label}不在您的工作范围内。"),
            FieldErrorKind::IdNumberChecksum => {
                format!("{label}校验位不正确,请核对是否有数字输错。")
            }
            FieldErrorKind::Taken { raw } => format!("{label}{}已被使用,请换一个。", quote(raw)),
            FieldErrorKind::DateInFuture { raw } => format!("{label}{}晚于今天,请填写实际日期。", quote(raw)),
            FieldErrorKind::DateTooEarly { earliest } => format!("{label}不能早于 {earliest}。"),
            FieldErrorKind::InvalidAmount { raw } => {
                format!("{label}{}不是有效金额,请填写不小于 0 的金额(元),最多两位小数,例如 1200.50。", quote(raw))
            }
            FieldErrorKind::Duplicate { raw } => format!("{label}中{}重复,请删去重复项。", quote(raw)),
            FieldErrorKind::NotChosen { how: "" } => format!("请选择{label}。"),
            FieldErrorKind::NotChosen { how } => format!("请选择{label}:{how}。"),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_in_chinese() {
        let e = FieldError::new("from", "起算日期", FieldErrorKind::Required);
        assert_eq!(e.code(), "field_required");
        assert_eq!(e.field(), Some("from"));
        assert_eq!(e.message(), "请填写起算日期。");
    }

    #[test]
    fn long_input_is_shortened_when_quoted() {
        let raw = "一".repeat(50);
        let e = FieldError::new("n", "天数", FieldErrorKind::NotAnInteger { raw });
        assert!(e.message().contains("…"));
        assert!(e.message().chars().count() < 50);
    }
}

/// What is wrong with a request as a whole rather than one field: the API's
/// answers about the request's form, and the app's about the network. One
/// text per code, shared by both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// No API route at that path.
    RouteNotFound,
    /// Query parameters that do not parse.
    QueryInvalid,
    /// A body that is not the expected JSON.
    BodyInvalid,
    /// A body without `Content-Type: application/json`.
    ContentTypeInvalid,
    /// A request that could not be read at all.
    BadRequest,
    /// An idempotency key sent again with a different body.
    IdempotencyKeyReused,
    /// The browser could not reach the server.
    Network,
    /// The server's answer could not be read.
    BadResponse,
    /// The server answered an error without a readable body.
    Http {
        /// The HTTP status code.
        status: u16,
    },
    /// The browser could not put the request together.
    Unsendable,
    /// A file upload with no file chosen.
    NoFileChosen,
}

impl DomainError for RequestError {
    fn code(&self) -> &'static str {
        match self {
            RequestError::RouteNotFound => "not_found",
            RequestError::QueryInvalid => "query_invalid",
            RequestError::BodyInvalid => "body_invalid",
            RequestError::ContentTypeInvalid => "content_type_invalid",
            RequestError::BadRequest => "bad_request",
            RequestError::IdempotencyKeyReused => "idempotency_key_reused",
            RequestError::Network => "network_error",
            RequestError::BadResponse => "bad_response",
            RequestError::Http { .. } => "http_error",
            RequestError::Unsendable => "request_unsendable",
            RequestError::NoFileChosen => "import_no_file",
        }
    }

    fn message(&self) -> String {
        match self {
            RequestError::RouteNotFound => "请求的接口不存在。".into(),
            RequestError::QueryInvalid => "查询参数格式不正确。".into(),
            RequestError::BodyInvalid => "请求内容格式不正确,无法识别。".into(),
            RequestError::ContentTypeInvalid => "请求内容须为 JSON(Content-Type: application/json)。".into(),
            RequestError::BadRequest => "请求内容不正确。".into(),
            RequestError::IdempotencyKeyReused => "该请求标识已用于另一份内容不同的记录,请刷新页面后重新提交。".into(),
            RequestError::Network => "网络连接失败,请检查网络后重试。".into(),
            RequestError::BadResponse => "服务器返回的数据无法识别。".into(),
            RequestError::Http { status } => format!("服务器返回错误(HTTP {status})。"),
            RequestError::Unsendable => "请求内容无法发送。".into(),
            RequestError::NoFileChosen => "请先选择文件。".into(),
        }
    }
}

/// A write that lost to another, or repeats one already made: the record is
/// no longer in the state the request assumed (HTTP 409). Codes stay as
/// published; the text for "someone else acted first" is written once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictError {
    /// An admission file moved on between reading and writing.
    AdmissionChanged,
    /// A seal request moved on between reading and writing.
    SealChanged,
    /// A payment already has its correction.
    FundingAlreadyCorrected,
    /// Grid data changed while an import was being checked.
    ImportChangedMeanwhile,
    /// A cleanup campaign is closed.
    CleanupCampaignClosed,
    /// A cleanup entry was removed or merged.
    CleanupEntryClosed,
    /// This campaign already has a verdict on the entry.
    CleanupAlreadyReviewed,
    /// A purchased service was already accepted.
    PurchaseAlreadyAccepted,
    /// A household import is already running (one at a time).
    ImportRunning,
    /// A facilities remedy moved on between reading and writing.
    FacilityRemedyChanged,
    /// A practical project's progress moved past the one reported meanwhile.
    ParticipationProgressMoved,
}

impl DomainError for ConflictError {
    fn code(&self) -> &'static str {
        match self {
            ConflictError::AdmissionChanged => "admission_changed",
            ConflictError::SealChanged => "seal_transition_invalid",
            ConflictError::FundingAlreadyCorrected => "funding_already_corrected",
            ConflictError::ImportChangedMeanwhile => "import_changed_meanwhile",
            ConflictError::CleanupCampaignClosed => "cleanup_campaign_closed",
            ConflictError::CleanupEntryClosed => "cleanup_entry_closed",
            ConflictError::CleanupAlreadyReviewed => "cleanup_already_reviewed",
            ConflictError::PurchaseAlreadyAccepted => "purchase_already_accepted",
            ConflictError::ImportRunning => "import_running",
            ConflictError::FacilityRemedyChanged => "facility_remedy_changed",
            ConflictError::ParticipationProgressMoved => "participation_progress_moved",
        }
    }

    fn message(&self) -> String {
        match self {
            ConflictError::AdmissionChanged | ConflictError::SealChanged => "该申请已被他人处理,请刷新后查看。",
            ConflictError::FundingAlreadyCorrected => "该笔拨付已更正过,不能重复更正。如需补拨,请登记新的拨付。",
            ConflictError::ImportChangedMeanwhile => "检查期间网格数据已被他人修改,请重新导入。",
            ConflictError::CleanupCampaignClosed => "该清理行动已结束,不能再作清理意见。",
            ConflictError::CleanupEntryClosed => "该条目已被清理或合并,不能再作清理意见。",
            ConflictError::CleanupAlreadyReviewed => "本次清理行动已对该条目作出意见。",
            ConflictError::PurchaseAlreadyAccepted => "该服务已验收,不能重复验收。",
            ConflictError::ImportRunning => "已有一份住户文件正在导入,请等它完成后再导入。",
            ConflictError::FacilityRemedyChanged => "该补齐措施已被他人推进,请刷新后查看。",
            ConflictError::ParticipationProgressMoved => "该项目进度已被他人更新为更高的数值,请刷新后查看。",
        }
        .into()
    }
}

#[cfg(test)]
mod request_and_conflict_tests {
    use super::*;

    #[test]
    fn one_code_one_text_and_one_text_for_a_lost_race() {
        let request = [
            RequestError::RouteNotFound,
            RequestError::QueryInvalid,
            RequestError::BodyInvalid,
            RequestError::ContentTypeInvalid,
            RequestError::BadRequest,
            RequestError::IdempotencyKeyReused,
            RequestError::Network,
            RequestError::BadResponse,
            RequestError::Http { status: 502 },
            RequestError::Unsendable,
            RequestError::NoFileChosen,
        ];
        let conflict = [
            ConflictError::AdmissionChanged,
            ConflictError::SealChanged,
            ConflictError::FundingAlreadyCorrected,
            ConflictError::ImportChangedMeanwhile,
            ConflictError::CleanupCampaignClosed,
            ConflictError::CleanupEntryClosed,
            ConflictError::CleanupAlreadyReviewed,
            ConflictError::PurchaseAlreadyAccepted,
            ConflictError::ImportRunning,
            ConflictError::FacilityRemedyChanged,
            ConflictError::ParticipationProgressMoved,
        ];
        let mut codes = std::collections::HashSet::new();
        let all: Vec<&dyn DomainError> = request
            .iter()
            .map(|e| e as &dyn DomainError)
            .chain(conflict.iter().map(|e| e as &dyn DomainError))
            .collect();
        for e in &all {
            assert!(codes.insert(e.code()), "code {} twice", e.code());
            assert!(e.message().ends_with('。'), "{}: {}", e.code(), e.message());
        }
        assert_eq!(ConflictError::AdmissionChanged.message(), ConflictError::SealChanged.message());
        assert_eq!(RequestError::Http { status: 502 }.message(), "服务器返回错误(HTTP 502)。");
    }
}
