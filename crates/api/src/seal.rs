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
    /// The editions composed into `matters` (national, province, city).
    #[serde(default)]
    pub editions: Vec<CatalogEditionView>,
}

/// One edition of a catalogue layer (国家 / 省级 / 市级).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEditionView {
    /// None: the national edition shipped with the system.
    pub id: Option<i64>,
    pub level: String,
    pub level_label: String,
    pub version: String,
    pub region: String,
    /// YYYY-MM-DD
    pub effective_from: String,
    pub source: Option<String>,
    pub matters: usize,
    /// Applied today.
    pub in_force: bool,
    /// Takes effect later.
    pub pending: bool,
    pub loaded_by: Option<String>,
    pub loaded_at: Option<String>,
}

/// `GET /api/seal/catalog/editions` (system administrator): every edition
/// loaded, newest first, and the vocabulary of the city form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEditionsPage {
    pub version_in_force: String,
    pub editions: Vec<CatalogEditionView>,
    /// (code, label) of the city form's 事项性质.
    pub city_kinds: Vec<(String, String)>,
}

/// `POST /api/seal/catalog/editions` and `/catalog/city-matters` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogLoadResponse {
    pub edition: CatalogEditionView,
    /// The catalogue version in force after the load.
    pub version_in_force: String,
    /// Checked only, nothing saved.
    pub dry_run: bool,
}

/// `GET /api/seal/uncatalogued`: matters recorded outside the catalogue, by
/// name, for the city to consider adding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UncataloguedMatterView {
    pub name: String,
    pub requests: i64,
    pub communities: i64,
    pub last_at: String,
}

/// `POST /api/seal/evaluate` answer: the decision, recorded nowhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealEvaluation {
    pub allowed: bool,
    /// Every reason to refuse, each with its code and Chinese message.
    pub reasons: Vec<FieldProblem>,
    /// Outside the catalogue: the worker and leader judge, giving reasons.
    #[serde(default)]
    pub needs_judgement: bool,
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
    /// A matter outside the catalogue (目录外事项), judged by people.
    #[serde(default)]
    pub uncatalogued: bool,
    #[serde(default)]
    pub requester_own_duty: bool,
    #[serde(default)]
    pub review_note: Option<String>,
    #[serde(default)]
    pub approve_note: Option<String>,
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
