//! Community seal (社区印章) wire types.

use gongzhi_domain::seal::{CertificateMatter, CertificateRequestInput, RegisterEntry};
use serde::{Deserialize, Serialize};

use crate::FieldProblem;

/// `GET /api/seal/catalog`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealCatalog {
    /// The catalogue edition (`Catalog::version`).
    #[serde(default)]
    pub version: String,
    pub matters: Vec<CertificateMatter>,
    /// (code, label)
    pub requester_kinds: Vec<(String, String)>,
}

/// `POST /api/seal/evaluate` answer: the decision, recorded nowhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealEvaluation {
    pub allowed: bool,
    /// Every reason to refuse, each with its code and Chinese message.
    pub reasons: Vec<FieldProblem>,
}

/// `POST /api/seal/requests` body: the request and a client-generated key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSealRequest {
    #[serde(flatten)]
    pub request: CertificateRequestInput,
    /// A UUID made by the client once per request; retrying with the same key
    /// creates nothing new.
    #[serde(default)]
    pub idempotency_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealRequestView {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub requester_kind: String,
    pub requester_kind_label: String,
    pub requester_name: String,
    pub requester_department: Option<String>,
    pub resident_name: String,
    /// Masked.
    pub resident_id_number: String,
    pub matter_code: String,
    pub matter_name: String,
    pub purpose: String,
    pub content: String,
    pub copies: i64,
    pub basis_law: String,
    pub basis_article: String,
    pub basis_text: String,
    pub status: String,
    pub status_label: String,
    pub refusal_reasons: Vec<FieldProblem>,
    pub refusal_note: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub reviewed_by: Option<String>,
    pub approved_by: Option<String>,
    pub decided_at: Option<String>,
    pub register_no: Option<String>,
    /// The catalogue edition that decided (`Catalog::version`); '' before versioning.
    #[serde(default)]
    pub catalog_version: String,
}

/// `POST /api/seal/requests/{id}/refuse` and corrections: a reason in words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRequest {
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterPage {
    pub entries: Vec<RegisterEntry>,
}
