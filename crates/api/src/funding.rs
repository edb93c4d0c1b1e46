//! Funding follows the work (费随事转) wire types.

use chrono::NaiveDate;
use gongzhi_domain::funding::{FundingState, Totals};
use serde::{Deserialize, Serialize};

/// One item × community × period of the funding ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingLine {
    pub application_id: i64,
    pub file_no: String,
    pub item_name: String,
    pub department_code: String,
    pub department_name: String,
    pub community_code: String,
    pub community_name: String,
    pub street_code: String,
    pub street_name: String,
    pub district_name: String,
    pub period_index: u32,
    pub period_label: String,
    /// `None` when the calendar cannot say (a year not yet published).
    pub due: Option<NaiveDate>,
    pub required_fen: i64,
    pub paid_fen: i64,
    pub shortfall_fen: i64,
    pub late_working_days: u32,
    pub state: Option<FundingState>,
    pub state_label: String,
    /// Years without a published schedule whose statutory holidays the due
    /// date or the lateness rests on (暂定); empty when final.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional_years: Vec<i32>,
}

/// Totals under a name (a department, a street, a district, the city).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedTotals {
    pub code: String,
    pub name: String,
    pub totals: Totals,
}

/// `GET /api/funding/summary`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingSummary {
    pub today: NaiveDate,
    /// When funding is due, in words.
    pub due_rule: String,
    pub city: Totals,
    pub by_department: Vec<NamedTotals>,
    pub by_street: Vec<NamedTotals>,
    pub by_district: Vec<NamedTotals>,
    /// Lines owed and short, or paid late, the latest first.
    pub problems: Vec<FundingLine>,
}

/// One payment or correction, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i64,
    pub application_id: i64,
    pub community_code: String,
    pub community_name: String,
    pub period_index: u32,
    pub paid_on: NaiveDate,
    pub amount_fen: i64,
    pub voucher_no: String,
    pub kind: String,
    pub corrects_id: Option<i64>,
    /// Whether a correction already reverses this payment.
    pub corrected: bool,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// `POST /api/funding/payments` answer: the rows written (one, or one per
/// community when a total is split by households).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsRecorded {
    pub payments: Vec<PaymentView>,
}

/// `POST /api/funding/payments` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPayment {
    #[serde(flatten)]
    pub payment: gongzhi_domain::funding::PaymentInput,
    #[serde(default)]
    pub idempotency_key: String,
}

/// `POST /api/funding/payments/{id}/correct` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub idempotency_key: String,
}
