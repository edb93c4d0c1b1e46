//! Accounts, organisation, audit trail, security policy and residents.

use gongzhi_domain::audit::AuditEntry;
use gongzhi_domain::auth::SecurityPolicy;
use serde::{Deserialize, Deserializer, Serialize};

/// A form value exactly as typed: JSON strings and numbers both become text,
/// `null` or a missing field becomes empty. The domain parser then decides,
/// with the same message the browser shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RawInput(pub String);

impl<'de> Deserialize<'de> for RawInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(RawInput(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }))
    }
}

impl RawInput {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for RawInput {
    fn from(s: &str) -> Self {
        Self(s.to_string())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    #[serde(default)]
    pub username: RawInput,
    #[serde(default)]
    pub password: RawInput,
    /// Ignored by the password step: the app's one sign-in form also sends
    /// the code step (`POST /api/auth/totp/verify`, read as `TotpCodeRequest`).
    #[serde(default)]
    pub code: RawInput,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePasswordRequest {
    #[serde(default)]
    pub current_password: RawInput,
    #[serde(default)]
    pub new_password: RawInput,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetPasswordRequest {
    #[serde(default)]
    pub password: RawInput,
}

/// An account as shown to people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub role_label: String,
    pub org_node_id: i64,
    pub org_node_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    /// UTC RFC 3339, while locked.
    pub locked_until: Option<String>,
}

/// `GET /api/auth/me` and the login answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub account: AccountView,
    /// Echo in `X-CSRF-Token` on every state-changing request.
    pub csrf_token: String,
    /// The app sections this role works in.
    pub menus: Vec<String>,
    /// `required`: the password step passed, the code step is next;
    /// `enrol`: the account must enrol a second factor first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccountRequest {
    #[serde(default)]
    pub username: RawInput,
    #[serde(default)]
    pub display_name: RawInput,
    #[serde(default)]
    pub role: RawInput,
    #[serde(default)]
    pub org_node_id: RawInput,
    #[serde(default)]
    pub department_id: RawInput,
    /// Initial password; the person must change it at first login.
    #[serde(default)]
    pub password: RawInput,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgNodeView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: String,
    pub level_label: String,
    pub code: String,
    pub name: String,
    pub path: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrgNodeRequest {
    #[serde(default)]
    pub parent_id: RawInput,
    #[serde(default)]
    pub code: RawInput,
    #[serde(default)]
    pub name: RawInput,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub org_node_id: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDepartmentRequest {
    #[serde(default)]
    pub code: RawInput,
    #[serde(default)]
    pub name: RawInput,
}

/// One page of the audit trail, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub total: i64,
    pub entries: Vec<AuditEntry>,
}

/// `GET /api/audit/verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    pub intact: bool,
    /// Entries checked (up to the break).
    pub entries: i64,
    pub first_broken_seq: Option<i64>,
    pub reason: Option<String>,
    /// "完整" or what is broken, in Chinese.
    pub message: String,
}

impl ChainReport {
    /// An intact chain of `entries` links; `message` says so in Chinese.
    pub fn intact(entries: i64, message: String) -> Self {
        Self { intact: true, entries, first_broken_seq: None, reason: None, message }
    }

    /// A chain broken at `broken` after `checked` good links; `noun` names a
    /// link in the message (`审计记录`, `用印登记`).
    pub fn broken(checked: i64, broken: &gongzhi_domain::chain::ChainBreak, noun: &str) -> Self {
        Self {
            intact: false,
            entries: checked,
            first_broken_seq: Some(broken.seq()),
            reason: Some(broken.reason().to_string()),
            message: broken.message(noun),
        }
    }
}

/// `PUT /api/security/policy` body: the four settings as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRequest {
    #[serde(default)]
    pub max_failures: RawInput,
    #[serde(default)]
    pub lock_minutes: RawInput,
    #[serde(default)]
    pub idle_minutes: RawInput,
    #[serde(default)]
    pub absolute_hours: RawInput,
}

pub type PolicyView = SecurityPolicy;

/// A resident as the caller may see them: ID and phone masked unless the
/// role may see them whole and asked to (`?reveal=true`, audited).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentView {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub address: String,
    pub special_group: Option<String>,
    pub special_group_label: Option<String>,
    pub org_node_id: i64,
    pub org_node_name: String,
    /// Whether `id_number` and `phone` are masked.
    pub masked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_input_takes_strings_numbers_and_null() {
        let r: NewAccountRequest =
            serde_json::from_str(r#"{"username":"a","org_node_id":12,"department_id":null}"#).unwrap();
        assert_eq!(r.username.as_str(), "a");
        assert_eq!(r.org_node_id.as_str(), "12");
        assert_eq!(r.department_id.as_str(), "");
        assert_eq!(r.role.as_str(), "");
    }
}
