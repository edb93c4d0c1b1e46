//! Open311 API keys (外部系统接口密钥) as the system administrator manages
//! them under `/api/open311-keys`. The GeoReport v2 interface itself, under
//! `/open311/v2/`, speaks the spec's own shapes (JSON and XML), not these.

use serde::{Deserialize, Serialize};

use crate::RawInput;

/// A key as listed (never its token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Open311KeyView {
    pub id: i64,
    /// The external tool's name.
    pub name: String,
    pub org_node_id: i64,
    pub org_node_name: String,
    pub rate_per_minute: i64,
    /// Beijing time, `YYYY-MM-DD HH:MM`.
    pub issued_at: String,
    pub issued_by: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

/// `POST /api/open311-keys`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewOpen311Key {
    pub name: String,
    pub org_node_id: RawInput,
    /// Empty: the default (30 a minute).
    pub rate_per_minute: RawInput,
}

/// The answer to an issue: the key and its token, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedOpen311Key {
    pub key: Open311KeyView,
    pub token: String,
}
