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
    pub kind: FieldErrorKind,
}

/// The ways a single field can be wrong. Shared by every form in the system so
/// that the same mistake reads the same everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// Nothing was given.
    Required,
    /// Not a calendar date in `YYYY-MM-DD` form.
    InvalidDate { raw: String },
    /// Not a whole number.
    NotAnInteger { raw: String },
    /// A whole number outside the allowed range (inclusive).
    OutOfRange { min: i64, max: i64, raw: String },
}

impl FieldError {
    pub fn new(field: &'static str, label: &'static str, kind: FieldErrorKind) -> Self {
        Self { field, label, kind }
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
