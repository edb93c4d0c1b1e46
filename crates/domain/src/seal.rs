//! Community seal (社区印章): which certificates the residents' committee may
//! stamp. Plan §二(二)4: "依法自治、明晰责任、规范用印".
//!
//! The rules, decided identically in the request form and by the API:
//! - a request must cite the specific article (law or rule, article number,
//!   article text) that requires the community to certify;
//! - a matter within the requesting department's own duties is refused;
//! - economic joint liability (guarantees, loan or debt assurances) is
//!   refused whatever else is cited;
//! - a matter on the national list of certificates communities should not
//!   issue is refused;
//! - only matters that law places within the community's duties are allowed.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind, Problems};
use crate::pii::IdNumber;

/// The legal basis of a request: which article of which law or rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    /// 法律、法规或规章名称
    pub law: String,
    /// 条款号, e.g. `第十一条`
    pub article: String,
    /// 条文内容
    pub text: String,
}

impl LegalBasis {
    /// Whether all three parts are given.
    pub fn is_specific(&self) -> bool {
        [&self.law, &self.article, &self.text].iter().all(|s| !s.trim().is_empty())
    }
}

/// One matter in the catalogue of certificate matters (configuration data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateMatter {
    /// Stable code, e.g. `household_registration`.
    pub code: String,
    /// Chinese name, e.g. `户籍证明`.
    pub name: String,
    /// Law places it within the community's duties.
    #[serde(default)]
    pub community_duty: bool,
    /// The department whose own duty it is (its code), if any.
    #[serde(default)]
    pub responsible_department: Option<String>,
    /// On the national list of certificates communities should not issue.
    #[serde(default)]
    pub national_list: bool,
    /// Carries economic joint liability (担保, 连带责任).
    #[serde(default)]
    pub joint_liability: bool,
    /// The article usually cited for it, offered to the form.
    #[serde(default)]
    pub suggested_basis: Option<LegalBasis>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
/// The catalogue of certificate matters (证明事项清单).
pub struct Catalog {
    /// Every matter, in display order.
    pub matters: Vec<CertificateMatter>,
}

impl Catalog {
    /// The catalogue shipped with Gongzhi (`crates/domain/seal-catalog.json`).
    pub fn bundled() -> Self {
        serde_json::from_str(include_str!("../seal-catalog.json")).expect("bundled seal catalogue is valid")
    }

    /// The matter with `code`.
    pub fn find(&self, code: &str) -> Option<&CertificateMatter> {
        self.matters.iter().find(|m| m.code == code)
    }
}

/// Who asks for the certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequesterKind {
    /// 职能部门
    Department,
    /// 企业
    Enterprise,
    /// 社会组织
    SocialOrganisation,
    /// 事业单位
    PublicInstitution,
}

impl RequesterKind {
    /// Every kind, in form order.
    pub const ALL: [RequesterKind; 4] = [
        RequesterKind::Department,
        RequesterKind::Enterprise,
        RequesterKind::SocialOrganisation,
        RequesterKind::PublicInstitution,
    ];

    /// Stable code, e.g. `department`.
    pub fn code(self) -> &'static str {
        match self {
            RequesterKind::Department => "department",
            RequesterKind::Enterprise => "enterprise",
            RequesterKind::SocialOrganisation => "social_organisation",
            RequesterKind::PublicInstitution => "public_institution",
        }
    }

    /// Chinese name, e.g. `职能部门`.
    pub fn label(self) -> &'static str {
        match self {
            RequesterKind::Department => "职能部门",
            RequesterKind::Enterprise => "企业",
            RequesterKind::SocialOrganisation => "社会组织",
            RequesterKind::PublicInstitution => "事业单位",
        }
    }

    /// The kind with `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Field `requester_kind`, labelled “申请单位类型” in forms and messages.
pub const FIELD_REQUESTER_KIND: Field = Field::new("requester_kind", "申请单位类型");
/// Field `requester_name`, labelled “申请单位名称” in forms and messages.
pub const FIELD_REQUESTER_NAME: Field = Field::new("requester_name", "申请单位名称");
/// Field `requester_department`, labelled “申请部门” in forms and messages.
pub const FIELD_REQUESTER_DEPARTMENT: Field = Field::new("requester_department", "申请部门");
/// Field `resident_name`, labelled “居民姓名” in forms and messages.
pub const FIELD_RESIDENT_NAME: Field = Field::new("resident_name", "居民姓名");
/// Field `resident_id_number`, labelled “居民公民身份号码” in forms and messages.
pub const FIELD_RESIDENT_ID: Field = Field::new("resident_id_number", "居民公民身份号码");
/// Field `matter`, labelled “证明事项” in forms and messages.
pub const FIELD_MATTER: Field = Field::new("matter", "证明事项");
/// Field `purpose`, labelled “证明用途” in forms and messages.
pub const FIELD_PURPOSE: Field = Field::new("purpose", "证明用途");
/// Field `content`, labelled “证明内容” in forms and messages.
pub const FIELD_CONTENT: Field = Field::new("content", "证明内容");
/// Field `copies`, labelled “份数” in forms and messages.
pub const FIELD_COPIES: Field = Field::new("copies", "份数");
/// Field `basis_law`, labelled “依据的法律法规名称” in forms and messages.
pub const FIELD_LAW: Field = Field::new("basis_law", "依据的法律法规名称");
/// Field `basis_article`, labelled “条款号” in forms and messages.
pub const FIELD_ARTICLE: Field = Field::new("basis_article", "条款号");
/// Field `basis_text`, labelled “条文内容” in forms and messages.
pub const FIELD_TEXT: Field = Field::new("basis_text", "条文内容");

/// Every field of a certificate request, in form order.
pub const REQUEST_FIELDS: [Field; 12] = [
    FIELD_REQUESTER_KIND,
    FIELD_REQUESTER_NAME,
    FIELD_REQUESTER_DEPARTMENT,
    FIELD_RESIDENT_NAME,
    FIELD_RESIDENT_ID,
    FIELD_MATTER,
    FIELD_PURPOSE,
    FIELD_CONTENT,
    FIELD_COPIES,
    FIELD_LAW,
    FIELD_ARTICLE,
    FIELD_TEXT,
];

/// A certificate request as typed (all text; missing fields are empty, so
/// the parser names them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CertificateRequestInput {
    /// 申请单位类型.
    pub requester_kind: String,
    /// 申请单位名称.
    pub requester_name: String,
    /// Department code, when the requester is a department.
    #[serde(default)]
    pub requester_department: String,
    /// 居民姓名.
    pub resident_name: String,
    /// 居民公民身份号码.
    pub resident_id_number: String,
    /// 证明事项.
    pub matter: String,
    /// 证明用途.
    pub purpose: String,
    /// The certificate's text. Required: blank paper is never stamped.
    pub content: String,
    #[serde(default)]
    /// 份数.
    pub copies: String,
    #[serde(default)]
    /// 依据的法律法规名称.
    pub basis_law: String,
    #[serde(default)]
    /// 条款号.
    pub basis_article: String,
    #[serde(default)]
    /// 条文内容.
    pub basis_text: String,
}

/// A request whose every field is valid (it may still be refused).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRequest {
    /// 申请单位类型.
    pub requester_kind: RequesterKind,
    /// 申请单位名称.
    pub requester_name: String,
    /// 申请部门.
    pub requester_department: Option<String>,
    /// 居民姓名.
    pub resident_name: String,
    /// 居民公民身份号码.
    pub resident_id_number: IdNumber,
    /// 证明事项.
    pub matter: CertificateMatter,
    /// 证明用途.
    pub purpose: String,
    /// 证明内容.
    pub content: String,
    /// 份数.
    pub copies: u32,
    /// The article cited; it may be incomplete, which [`decide`] refuses.
    pub basis: LegalBasis,
}

impl CertificateRequestInput {
    /// Parses every field, reporting every problem at once. A missing legal
    /// basis is not a field error: it is a reason to refuse (see [`decide`]).
    pub fn parse(&self, catalog: &Catalog) -> Result<CertificateRequest, Vec<FieldError>> {
        let mut p = Problems::new();
        let kind = p.take(match self.requester_kind.trim() {
            "" => Err(FIELD_REQUESTER_KIND.error(FieldErrorKind::Required)),
            k => RequesterKind::from_code(k)
                .ok_or_else(|| FIELD_REQUESTER_KIND.error(FieldErrorKind::UnknownOption { raw: k.to_string() })),
        });
        let name = p.take(FIELD_REQUESTER_NAME.required_text(&self.requester_name, 100));
        let department = self.requester_department.trim().to_string();
        if kind == Some(RequesterKind::Department) && department.is_empty() {
            p.push(FIELD_REQUESTER_DEPARTMENT.error(FieldErrorKind::Required));
        }
        let resident_name = p.take(FIELD_RESIDENT_NAME.required_text(&self.resident_name, 50));
        let resident_id = p.take(IdNumber::parse(FIELD_RESIDENT_ID, &self.resident_id_number));
        let matter = p.take(match self.matter.trim() {
            "" => Err(FIELD_MATTER.error(FieldErrorKind::Required)),
            m => catalog
                .find(m)
                .cloned()
                .ok_or_else(|| FIELD_MATTER.error(FieldErrorKind::UnknownOption { raw: m.to_string() })),
        });
        let purpose = p.take(FIELD_PURPOSE.required_text(&self.purpose, 200));
        let content = p.take(FIELD_CONTENT.required_text(&self.content, 2000));
        let copies =
            p.take(match self.copies.trim() {
                "" => Ok(1),
                c => c.parse::<u32>().ok().filter(|n| (1..=10).contains(n)).ok_or_else(|| {
                    FIELD_COPIES.error(FieldErrorKind::OutOfRange { min: 1, max: 10, raw: c.to_string() })
                }),
            });
        let basis = LegalBasis {
            law: self.basis_law.trim().to_string(),
            article: self.basis_article.trim().to_string(),
            text: self.basis_text.trim().to_string(),
        };
        for (field, value, max) in
            [(FIELD_LAW, &basis.law, 100), (FIELD_ARTICLE, &basis.article, 30), (FIELD_TEXT, &basis.text, 2000)]
        {
            if value.chars().count() > max {
                p.push(field.error(FieldErrorKind::TooLong { max }));
            }
        }
        p.into_result(|| {
            Some(CertificateRequest {
                requester_kind: kind?,
                requester_name: name?,
                requester_department: (kind? == RequesterKind::Department).then_some(department),
                resident_name: resident_name?,
                resident_id_number: resident_id?,
                matter: matter?,
                purpose: purpose?,
                content: content?,
                copies: copies?,
                basis,
            })
        })
    }
}

/// Why a certificate is refused. Each reason has a stable code and a
/// Chinese message; a refusal letter cites them all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RefusalReason {
    /// No specific article was cited.
    NoArticle,
    /// The matter lies within the requesting department's own duties.
    RequesterOwnDuty {
        /// The department's name, as the message shows it.
        department: String,
    },
    /// It carries economic joint liability.
    JointLiability,
    /// It is on the national list of certificates communities should not issue.
    NationalList,
    /// Law does not place the matter within the community's duties.
    OutsideCommunityDuty,
}

/// Words in a purpose that reveal a guarantee or joint liability.
const LIABILITY_WORDS: [&str; 7] = ["担保", "保证人", "连带", "贷款", "借款", "债务", "抵押"];

impl DomainError for RefusalReason {
    fn code(&self) -> &'static str {
        match self {
            RefusalReason::NoArticle => "seal_no_article",
            RefusalReason::RequesterOwnDuty { .. } => "seal_requester_own_duty",
            RefusalReason::JointLiability => "seal_joint_liability",
            RefusalReason::NationalList => "seal_national_list",
            RefusalReason::OutsideCommunityDuty => "seal_outside_community_duty",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            RefusalReason::NoArticle => Some(FIELD_ARTICLE.name),
            _ => Some(FIELD_MATTER.name),
        }
    }

    fn message(&self) -> String {
        match self {
            RefusalReason::NoArticle => {
                "未提供要求社区出具证明所依据的法律、法规或规章的具体条款。请申请单位补充法规名称、条款号和条文内容。"
                    .into()
            }
            RefusalReason::RequesterOwnDuty { department } => {
                format!("该证明事项属于申请单位({department})自身职责范围,依规不得要求社区出具证明。")
            }
            RefusalReason::JointLiability => {
                "该证明涉及经济担保或连带责任,社区印章不得用于此类证明(法律法规明确规定的除外)。".into()
            }
            RefusalReason::NationalList => {
                "该事项列入国家明确不应由村(居)民委员会出具的证明事项清单,社区不予出具。".into()
            }
            RefusalReason::OutsideCommunityDuty => {
                "该事项不属于法律法规明确规定的社区职责范围,社区不予出具证明。".into()
            }
        }
    }
}

/// The decision on a request: allowed, or refused with every reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealDecision {
    /// Whether the certificate may be issued.
    pub allowed: bool,
    /// Every reason to refuse, empty when allowed.
    pub reasons: Vec<RefusalReason>,
}

/// Decides a valid request. `department_name` gives a department's name by
/// its code, for the message.
pub fn decide(req: &CertificateRequest, department_name: impl Fn(&str) -> String) -> SealDecision {
    let m = &req.matter;
    let mut reasons = Vec::new();
    if !req.basis.is_specific() {
        reasons.push(RefusalReason::NoArticle);
    }
    let own_duty = matches!((&req.requester_department, &m.responsible_department), (Some(a), Some(b)) if a == b);
    if own_duty {
        reasons.push(RefusalReason::RequesterOwnDuty {
            department: department_name(req.requester_department.as_deref().unwrap_or_default()),
        });
    }
    if m.joint_liability || LIABILITY_WORDS.iter().any(|w| req.purpose.contains(w) || req.content.contains(w)) {
        reasons.push(RefusalReason::JointLiability);
    }
    if m.national_list {
        reasons.push(RefusalReason::NationalList);
    }
    // Said only when no more specific reason already explains it.
    if !m.community_duty && !own_duty && !m.national_list && !reasons.contains(&RefusalReason::JointLiability) {
        reasons.push(RefusalReason::OutsideCommunityDuty);
    }
    SealDecision { allowed: reasons.is_empty(), reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seal_never_goes_on_a_blank_page() {
        assert_eq!(check_stampable(""), Err(StampError::BlankContent));
        assert_eq!(check_stampable(" \n\t\u{3000}"), Err(StampError::BlankContent));
        assert_eq!(check_stampable("兹证明张三同志系本社区居民。"), Ok(()));
    }

    const ID: &str = "11010519491231002X";

    fn input(matter: &str) -> CertificateRequestInput {
        let basis = Catalog::bundled().find(matter).and_then(|m| m.suggested_basis.clone()).unwrap_or(LegalBasis {
            law: "某某条例".into(),
            article: "第五条".into(),
            text: "……".into(),
        });
        CertificateRequestInput {
            requester_kind: "department".into(),
            requester_name: "市民政局社会救助科".into(),
            requester_department: "mzj".into(),
            resident_name: "王秀英".into(),
            resident_id_number: ID.into(),
            matter: matter.into(),
            purpose: "办理最低生活保障审核".into(),
            content: "兹证明王秀英同志家庭情况已由本社区协助入户核实。".into(),
            copies: "1".into(),
            basis_law: basis.law,
            basis_article: basis.article,
            basis_text: basis.text,
        }
    }

    fn codes(i: &CertificateRequestInput) -> Vec<&'static str> {
        let req = i.parse(&Catalog::bundled()).unwrap();
        decide(&req, |c| format!("[{c}]")).reasons.iter().map(|r| r.code()).collect()
    }

    /// Table of matter × requester × basis → expected reasons.
    #[test]
    fn decision_table() {
        let cases: Vec<(&str, &str, bool, &str, Vec<&str>)> = vec![
            // matter, requesting department, article given, purpose, reasons
            ("assistance_household_check", "mzj", true, "办理低保", vec![]),
            ("assistance_household_check", "mzj", false, "办理低保", vec!["seal_no_article"]),
            ("mediation_result", "sfj", true, "法院立案", vec![]),
            ("household_registration", "gaj", true, "办理户籍", vec!["seal_requester_own_duty"]),
            ("household_registration", "mzj", true, "办理户籍", vec!["seal_outside_community_duty"]),
            ("kinship", "rsj", true, "领取待遇", vec!["seal_national_list"]),
            (
                "no_criminal_record",
                "gaj",
                false,
                "入职",
                vec!["seal_no_article", "seal_requester_own_duty", "seal_national_list"],
            ),
            ("loan_guarantee", "czj", true, "申请创业贷款", vec!["seal_joint_liability"]),
            ("public_affairs_participation", "mzj", true, "为其借款提供担保", vec!["seal_joint_liability"]),
            ("income", "rsj", false, "办理贷款", vec!["seal_no_article", "seal_joint_liability", "seal_national_list"]),
        ];
        for (matter, dept, article, purpose, expect) in cases {
            let mut i = input(matter);
            i.requester_department = dept.into();
            i.purpose = purpose.into();
            if !article {
                i.basis_article = String::new();
            }
            assert_eq!(codes(&i), expect, "{matter} by {dept}, article {article}, {purpose}");
        }
    }

    #[test]
    fn an_article_needs_all_three_parts() {
        for blank in ["law", "article", "text"] {
            let mut i = input("assistance_household_check");
            match blank {
                "law" => i.basis_law = " ".into(),
                "article" => i.basis_article = String::new(),
                _ => i.basis_text = String::new(),
            }
            assert_eq!(codes(&i), vec!["seal_no_article"], "{blank}");
        }
    }

    #[test]
    fn joint_liability_is_refused_even_with_an_article() {
        let i = input("loan_guarantee");
        assert!(LegalBasis { law: i.basis_law.clone(), article: i.basis_article.clone(), text: i.basis_text.clone() }
            .is_specific());
        assert_eq!(codes(&i), vec!["seal_joint_liability"]);
    }

    #[test]
    fn the_own_duty_message_names_the_department() {
        let mut i = input("household_registration");
        i.requester_department = "gaj".into();
        let req = i.parse(&Catalog::bundled()).unwrap();
        let d = decide(&req, |_| "市公安局".into());
        assert_eq!(d.reasons[0].message(), "该证明事项属于申请单位(市公安局)自身职责范围,依规不得要求社区出具证明。");
        assert!(!d.allowed);
    }

    #[test]
    fn fields_are_checked_and_blank_paper_is_never_stamped() {
        let errs = CertificateRequestInput { requester_kind: "department".into(), ..Default::default() }
            .parse(&Catalog::bundled())
            .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "requester_name",
                "requester_department",
                "resident_name",
                "resident_id_number",
                "matter",
                "purpose",
                "content"
            ]
        );
        let mut i = input("kinship");
        i.copies = "11".into();
        i.resident_id_number = "110105194912310021".into();
        let codes: Vec<_> = i.parse(&Catalog::bundled()).unwrap_err().iter().map(|e| e.code()).collect();
        assert_eq!(codes, vec!["id_number_checksum", "field_out_of_range"]);
    }

    #[test]
    fn the_catalogue_is_consistent() {
        let c = Catalog::bundled();
        for m in &c.matters {
            // A community-duty matter is never also forbidden.
            assert!(!(m.community_duty && (m.national_list || m.joint_liability)), "{}", m.code);
            assert_eq!(m.suggested_basis.is_some(), m.community_duty, "{}", m.code);
        }
        for required in ["kinship", "no_criminal_record", "alive", "marital_status", "property", "income"] {
            assert!(c.find(required).is_some_and(|m| m.national_list), "{required}");
        }
    }
}

/// Where a certificate request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealStatus {
    /// 已登记: recorded by a community worker, to be reviewed.
    Submitted,
    /// 已审核: the community worker reviewed it; waits for the approver.
    Reviewed,
    /// 已批准: the community leader approved use of the seal.
    Approved,
    /// 已盖章: stamped and entered in the register. Final.
    Stamped,
    /// 不予出具: refused, with reasons. Final.
    Refused,
}

/// What a person does to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealAction {
    /// 审核: the community worker checks the request.
    Review,
    /// 批准用印: the community leader approves use of the seal.
    Approve,
    /// 盖章: the worker stamps and the register entry is written.
    Stamp,
    /// 不予出具: refuse, with reasons.
    Refuse,
}

impl SealStatus {
    /// Every status, in flow order.
    pub const ALL: [SealStatus; 5] =
        [SealStatus::Submitted, SealStatus::Reviewed, SealStatus::Approved, SealStatus::Stamped, SealStatus::Refused];

    /// Stable code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            SealStatus::Submitted => "submitted",
            SealStatus::Reviewed => "reviewed",
            SealStatus::Approved => "approved",
            SealStatus::Stamped => "stamped",
            SealStatus::Refused => "refused",
        }
    }

    /// Chinese label, e.g. `待审核`.
    pub fn label(self) -> &'static str {
        match self {
            SealStatus::Submitted => "待审核",
            SealStatus::Reviewed => "待批准",
            SealStatus::Approved => "待盖章",
            SealStatus::Stamped => "已盖章",
            SealStatus::Refused => "不予出具",
        }
    }

    /// The status with `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status after `action`, or why it cannot happen now. A refused or
    /// stamped request never changes again.
    pub fn apply(self, action: SealAction) -> Result<SealStatus, SealFlowError> {
        use SealAction as A;
        use SealStatus as S;
        match (self, action) {
            (S::Submitted, A::Review) => Ok(S::Reviewed),
            (S::Reviewed, A::Approve) => Ok(S::Approved),
            (S::Approved, A::Stamp) => Ok(S::Stamped),
            (S::Submitted | S::Reviewed | S::Approved, A::Refuse) => Ok(S::Refused),
            (from, action) => Err(SealFlowError { from, action }),
        }
    }
}

impl SealAction {
    /// Chinese label, e.g. `批准用印`.
    pub fn label(self) -> &'static str {
        match self {
            SealAction::Review => "审核",
            SealAction::Approve => "批准用印",
            SealAction::Stamp => "盖章",
            SealAction::Refuse => "不予出具",
        }
    }
}

/// An action that does not fit the request's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealFlowError {
    /// The request's status.
    pub from: SealStatus,
    /// The action attempted.
    pub action: SealAction,
}

impl DomainError for SealFlowError {
    fn code(&self) -> &'static str {
        "seal_transition_invalid"
    }

    fn message(&self) -> String {
        format!("该申请当前为“{}”,不能进行“{}”操作。", self.from.label(), self.action.label())
    }
}

/// Why the seal may not go on a certificate now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StampError {
    /// 不得在空白纸上盖章: the certificate has no content.
    BlankContent,
}

impl DomainError for StampError {
    fn code(&self) -> &'static str {
        match self {
            StampError::BlankContent => "seal_blank_content",
        }
    }

    fn message(&self) -> String {
        match self {
            StampError::BlankContent => "证明内容为空,不得在空白纸上盖章。".into(),
        }
    }
}

/// The last check before the seal goes on paper: never on a blank page (the
/// request form requires content; this holds even for records written
/// another way).
pub fn check_stampable(content: &str) -> Result<(), StampError> {
    if content.trim().is_empty() {
        Err(StampError::BlankContent)
    } else {
        Ok(())
    }
}

/// What a link of the seal register is called in messages.
pub const REGISTER_NOUN: &str = "用印登记";

/// One entry of a community's seal register (用印登记簿): append-only, on a
/// [hash chain](crate::chain) per community. Corrections are new entries that
/// point at the entry they correct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    /// The community whose register it is.
    pub community_id: i64,
    /// 1, 2, 3, … within the community.
    pub seq: i64,
    /// e.g. `DX-CD-XF-2026-0001`, printed on the certificate.
    pub register_no: String,
    /// The certificate request stamped, if any.
    pub request_id: Option<i64>,
    /// `use` or `correction`.
    pub kind: String,
    /// For a correction: the entry it corrects.
    pub corrects_seq: Option<i64>,
    /// UTC, RFC 3339.
    pub at: String,
    /// 证明事项.
    pub matter: String,
    /// 份数.
    pub copies: i64,
    /// Who approved use of the seal (批准人).
    pub approver: String,
    /// Who stamped (经办人).
    pub handler: String,
    /// Who asked: requesting unit and resident.
    pub applicant: String,
    /// SHA-256 of the certificate's text, binding the entry to what was stamped.
    pub content_sha256: String,
    /// Free text, e.g. why a correction was made.
    pub note: String,
    /// Hash of the previous entry of the chain.
    pub prev_hash: String,
    /// This entry's hash (see [`RegisterEntry::compute_hash`]).
    pub hash: String,
}

impl RegisterEntry {
    /// The entry's hash given the previous one.
    pub fn compute_hash(&self, prev_hash: &str) -> String {
        let (community, seq, copies) = (self.community_id.to_string(), self.seq.to_string(), self.copies.to_string());
        let request = self.request_id.map(|r| r.to_string());
        let corrects = self.corrects_seq.map(|s| s.to_string());
        crate::chain::link_hash(
            &[
                Some(&community),
                Some(&seq),
                Some(&self.register_no),
                request.as_deref(),
                Some(&self.kind),
                corrects.as_deref(),
                Some(&self.at),
                Some(&self.matter),
                Some(&copies),
                Some(&self.approver),
                Some(&self.handler),
                Some(&self.applicant),
                Some(&self.content_sha256),
                Some(&self.note),
            ],
            prev_hash,
        )
    }

    /// Checks this entry as the next link of `verifier`.
    pub fn verify_into(&self, verifier: &mut crate::chain::ChainVerifier) -> Result<(), crate::chain::ChainBreak> {
        let recomputed = self.compute_hash(&self.prev_hash);
        verifier.push(crate::chain::StoredLink {
            seq: self.seq,
            prev_hash: &self.prev_hash,
            hash: &self.hash,
            recomputed: &recomputed,
        })
    }
}

/// `DX-CD-XF-2026-0007`: community code, year, number within the community.
pub fn register_no(community_code: &str, year: i32, seq: i64) -> String {
    format!("{community_code}-{year}-{seq:04}")
}

#[cfg(test)]
mod flow_tests {
    use super::*;

    #[test]
    fn the_flow_runs_in_order_only() {
        let s = SealStatus::Submitted;
        assert_eq!(s.apply(SealAction::Review), Ok(SealStatus::Reviewed));
        assert_eq!(SealStatus::Reviewed.apply(SealAction::Approve), Ok(SealStatus::Approved));
        assert_eq!(SealStatus::Approved.apply(SealAction::Stamp), Ok(SealStatus::Stamped));
        // No stamping before approval, nothing after the end.
        let e = s.apply(SealAction::Stamp).unwrap_err();
        assert_eq!(e.message(), "该申请当前为“待审核”,不能进行“盖章”操作。");
        for end in [SealStatus::Stamped, SealStatus::Refused] {
            for a in [SealAction::Review, SealAction::Approve, SealAction::Stamp, SealAction::Refuse] {
                assert!(end.apply(a).is_err());
            }
        }
    }

    #[test]
    fn register_entries_chain() {
        let mut prev = crate::chain::GENESIS_HASH.to_string();
        let mut entries = vec![];
        for seq in 1..=3 {
            let mut e = RegisterEntry {
                community_id: 7,
                seq,
                register_no: register_no("DX-CD-XF", 2026, seq),
                request_id: Some(seq),
                kind: "use".into(),
                corrects_seq: None,
                at: "2026-11-24T09:00:00Z".into(),
                matter: "社会救助家庭情况核实证明".into(),
                copies: 1,
                approver: "leader".into(),
                handler: "gridmember".into(),
                applicant: "市民政局 / 王秀英".into(),
                content_sha256: "ab".into(),
                note: String::new(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            e.hash = e.compute_hash(&prev);
            prev.clone_from(&e.hash);
            entries.push(e);
        }
        assert_eq!(entries[0].register_no, "DX-CD-XF-2026-0001");
        let verify = |es: &[RegisterEntry]| {
            let mut v = crate::chain::ChainVerifier::new();
            for e in es {
                e.verify_into(&mut v)?;
            }
            v.finish(Some((3, &entries[2].hash)))
        };
        assert_eq!(verify(&entries), Ok(3));
        let mut changed = entries.clone();
        changed[1].copies = 5;
        assert_eq!(verify(&changed).unwrap_err().seq(), 2);
    }
}
