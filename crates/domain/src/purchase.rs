//! The purchase-of-services list (购买服务事项清单): work unfit for admission
//! but within the government-purchase-of-services policy is contracted to a
//! capable social organisation instead of being pushed into communities.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::money::Money;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// Where a purchased service stands.
pub enum PurchaseStatus {
    /// 已签约,服务中
    Contracted,
    /// 验收合格
    Accepted,
    /// 验收不合格
    Rejected,
}

impl PurchaseStatus {
    /// Every value, in display order.
    pub const ALL: [PurchaseStatus; 3] =
        [PurchaseStatus::Contracted, PurchaseStatus::Accepted, PurchaseStatus::Rejected];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            PurchaseStatus::Contracted => "contracted",
            PurchaseStatus::Accepted => "accepted",
            PurchaseStatus::Rejected => "rejected",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            PurchaseStatus::Contracted => "服务中",
            PurchaseStatus::Accepted => "验收合格",
            PurchaseStatus::Rejected => "验收不合格",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Field `service`, labelled “服务事项” in forms and messages.
pub const FIELD_SERVICE: Field = Field::new("service", "服务事项");
/// Field `organisation`, labelled “承接的社会组织” in forms and messages.
pub const FIELD_ORGANISATION: Field = Field::new("organisation", "承接的社会组织");
/// Field `amount`, labelled “合同金额(元)” in forms and messages.
pub const FIELD_AMOUNT: Field = Field::new("amount", "合同金额(元)");
/// Field `starts_on`, labelled “服务开始日期” in forms and messages.
pub const FIELD_STARTS: Field = Field::new("starts_on", "服务开始日期");
/// Field `ends_on`, labelled “服务结束日期” in forms and messages.
pub const FIELD_ENDS: Field = Field::new("ends_on", "服务结束日期");
/// Field `deliverables`, labelled “服务成果” in forms and messages.
pub const FIELD_DELIVERABLES: Field = Field::new("deliverables", "服务成果");
/// Field `source_application`, labelled “转自准入申请” in forms and messages.
pub const FIELD_SOURCE: Field = Field::new("source_application", "转自准入申请");
/// Field `accepted_on`, labelled “验收日期” in forms and messages.
pub const FIELD_ACCEPTED_ON: Field = Field::new("accepted_on", "验收日期");
/// Field `note`, labelled “验收意见” in forms and messages.
pub const FIELD_ACCEPT_NOTE: Field = Field::new("note", "验收意见");

/// A contract as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseInput {
    /// 服务事项.
    pub service: String,
    /// 承接的社会组织.
    pub organisation: String,
    /// 合同金额(元).
    pub amount: String,
    /// 服务开始日期.
    pub starts_on: String,
    /// 服务结束日期.
    pub ends_on: String,
    /// One deliverable per line.
    pub deliverables: String,
    /// Id of the admission file this replaces, if any.
    pub source_application: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// A purchase-of-services contract (购买服务合同), checked.
pub struct Purchase {
    /// 服务事项.
    pub service: String,
    /// 承接的社会组织.
    pub organisation: String,
    /// 合同金额(元).
    pub amount: Money,
    /// 服务开始日期.
    pub starts_on: NaiveDate,
    /// 服务结束日期.
    pub ends_on: NaiveDate,
    /// 服务成果.
    pub deliverables: Vec<String>,
    /// 转自准入申请.
    pub source_application: Option<i64>,
}

impl PurchaseInput {
    /// Checks the contract form, reporting every problem at once.
    pub fn parse(&self) -> Result<Purchase, Vec<FieldError>> {
        let mut p = Problems::new();
        let service = p.take(FIELD_SERVICE.required_text(&self.service, 100));
        let organisation = p.take(FIELD_ORGANISATION.required_text(&self.organisation, 100));
        let amount = p.take(Money::parse(FIELD_AMOUNT, &self.amount));
        let starts = p.take(parse_date((FIELD_STARTS.name, FIELD_STARTS.label), Some(&self.starts_on)));
        let ends =
            p.take(parse_date((FIELD_ENDS.name, FIELD_ENDS.label), Some(&self.ends_on)).and_then(|e| match starts {
                Some(s) if e < s => Err(FIELD_ENDS.error(FieldErrorKind::DateTooEarly { earliest: s.to_string() })),
                _ => Ok(e),
            }));
        let deliverables: Vec<String> =
            self.deliverables.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        if deliverables.is_empty() {
            p.push(FIELD_DELIVERABLES.error(FieldErrorKind::Required));
        } else if deliverables.iter().any(|d| d.chars().count() > 100) {
            p.push(FIELD_DELIVERABLES.error(FieldErrorKind::TooLong { max: 100 }));
        }
        let source = p.take(FIELD_SOURCE.optional_id(&self.source_application));
        p.into_result(|| {
            Some(Purchase {
                service: service?,
                organisation: organisation?,
                amount: amount?,
                starts_on: starts?,
                ends_on: ends?,
                deliverables,
                source_application: source?,
            })
        })
    }
}

/// The acceptance of the deliverables (验收) as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AcceptanceInput {
    /// `accepted` or `rejected`.
    pub result: String,
    /// 验收日期.
    pub accepted_on: String,
    /// 验收意见.
    pub note: String,
}

impl AcceptanceInput {
    /// Checks the acceptance form: the result, the acceptance day (not after `today`) and the note.
    pub fn parse(&self, today: NaiveDate) -> Result<(PurchaseStatus, NaiveDate, String), Vec<FieldError>> {
        let mut p = Problems::new();
        let result = p.take(match self.result.trim() {
            "accepted" => Ok(PurchaseStatus::Accepted),
            "rejected" => Ok(PurchaseStatus::Rejected),
            "" => Err(Field::new("result", "验收结论").error(FieldErrorKind::Required)),
            r => Err(Field::new("result", "验收结论").error(FieldErrorKind::UnknownOption { raw: r.into() })),
        });
        let on = p.take(
            parse_date((FIELD_ACCEPTED_ON.name, FIELD_ACCEPTED_ON.label), Some(&self.accepted_on)).and_then(|d| {
                if d > today {
                    Err(FIELD_ACCEPTED_ON.error(FieldErrorKind::DateInFuture { raw: d.to_string() }))
                } else {
                    Ok(d)
                }
            }),
        );
        let note = p.take(FIELD_ACCEPT_NOTE.required_text(&self.note, 500));
        p.into_result(|| Some((result?, on?, note?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn a_contract_has_dates_in_order_and_deliverables() {
        let i = PurchaseInput {
            service: "社区养老服务需求入户调查".into(),
            organisation: "示范市惠民社会工作服务中心".into(),
            amount: "48000".into(),
            starts_on: "2027-01-01".into(),
            ends_on: "2026-12-31".into(),
            deliverables: "".into(),
            source_application: "".into(),
        };
        let errs = i.parse().unwrap_err();
        let msgs: Vec<_> = errs.iter().map(|e| e.message()).collect();
        assert_eq!(msgs, vec!["服务结束日期不能早于 2027-01-01。", "请填写服务成果。"]);
    }

    #[test]
    fn acceptance_is_dated_and_explained() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let a =
            AcceptanceInput {
                result: "accepted".into(), accepted_on: "2026-11-20".into(), note: "成果齐全".into()
            };
        assert_eq!(a.parse(today).unwrap().0, PurchaseStatus::Accepted);
        let a = AcceptanceInput { result: "".into(), accepted_on: "2026-11-25".into(), note: "".into() };
        assert_eq!(a.parse(today).unwrap_err().len(), 3);
    }
}
