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

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind, Problems};
use crate::pii::IdNumber;
pub use crate::seal_layers::{compose, CatalogLayer, CatalogLevel, LayerProblem, MAX_LAYER_BYTES};

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
    /// Pinyin initials of the name (`死亡证明` → `swzm`), precomputed in the
    /// data file so the form finds a matter by them without a pinyin table.
    #[serde(default)]
    pub initials: String,
    /// The document (and its number) the entry rests on, e.g. `民发〔2020〕20号`.
    #[serde(default)]
    pub source: Option<String>,
    /// Where, or how, the resident gets it instead (the project's summary of
    /// the guidance), quoted in the refusal letter. Filled from
    /// `seal-obtain.json` by [`Catalog::bundled_with_guidance`].
    #[serde(default)]
    pub obtain_from: Option<String>,
    /// The first day this entry applies, when later than its layer's.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::time::optional_ymd")]
    pub effective_from: Option<NaiveDate>,
    /// The layer it comes from (set by [`compose`]).
    #[serde(default)]
    pub level: CatalogLevel,
}

/// The catalogue of certificate matters (证明事项目录), as composed for a day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Which edition of the catalogue decided: recorded with every decision.
    #[serde(default)]
    pub version: String,
    /// Every matter, in display order.
    pub matters: Vec<CertificateMatter>,
}

impl Catalog {
    /// The catalogue shipped with Gongzhi (`crates/domain/seal-catalog.json`).
    pub fn bundled() -> Self {
        serde_json::from_str(include_str!("../seal-catalog.json")).expect("bundled seal catalogue is valid")
    }

    /// [`Catalog::bundled`] with, for each matter, where the resident gets it
    /// instead (`crates/domain/seal-obtain.json`, by code): the catalogue the
    /// server decides with and the refusal letter quotes. The texts are kept
    /// out of `bundled` so that the tablet bundle does not carry them; the
    /// form's live decision names the same reasons, and the letter adds the
    /// pointer.
    pub fn bundled_with_guidance() -> Self {
        let mut c = Self::bundled();
        let obtain: std::collections::BTreeMap<String, String> =
            serde_json::from_str(include_str!("../seal-obtain.json")).expect("bundled seal guidance is valid");
        for m in &mut c.matters {
            if let Some(o) = obtain.get(&m.code) {
                m.obtain_from = Some(o.clone());
            }
        }
        c
    }

    /// The matter with `code`.
    pub fn find(&self, code: &str) -> Option<&CertificateMatter> {
        self.matters.iter().find(|m| m.code == code)
    }

    /// The matters a worker means by what they typed: characters of the name,
    /// or the beginning of its pinyin initials (ASCII, any case). Names that
    /// begin with it come first; catalogue order otherwise. Empty: all.
    pub fn search(&self, typed: &str) -> Vec<&CertificateMatter> {
        let q = typed.trim().to_ascii_lowercase();
        if q.is_empty() {
            return self.matters.iter().collect();
        }
        let (mut first, mut rest) = (Vec::new(), Vec::new());
        for m in &self.matters {
            if m.name.starts_with(&q) || (!m.initials.is_empty() && m.initials.starts_with(&q)) {
                first.push(m);
            } else if m.name.contains(&q) {
                rest.push(m);
            }
        }
        first.extend(rest);
        first
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
/// Field `matter_name`, labelled “目录外事项名称”: a matter outside the catalogue.
pub const FIELD_MATTER_NAME: Field = Field::new("matter_name", "目录外事项名称");
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
pub const REQUEST_FIELDS: [Field; 13] = [
    FIELD_REQUESTER_KIND,
    FIELD_REQUESTER_NAME,
    FIELD_REQUESTER_DEPARTMENT,
    FIELD_RESIDENT_NAME,
    FIELD_RESIDENT_ID,
    FIELD_MATTER,
    FIELD_MATTER_NAME,
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
    /// A matter outside the catalogue, by its name (目录外事项), when `matter`
    /// is empty: decided on the general rules, then judged by people.
    #[serde(default)]
    pub matter_name: String,
    /// For a matter outside the catalogue: the worker finds it lies within
    /// the requesting department's own duties.
    #[serde(default)]
    pub requester_own_duty: bool,
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
    /// See [`CertificateRequestInput::requester_own_duty`].
    pub requester_own_duty: bool,
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
        let matter = p.take(match (self.matter.trim(), self.matter_name.trim()) {
            ("", "") => Err(FIELD_MATTER.error(FieldErrorKind::Required)),
            ("", name) => uncatalogued(name, catalog),
            (m, _) => catalog
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
                requester_own_duty: self.requester_own_duty,
            })
        })
    }
}

/// The matter a worker named that the catalogue lacks. A name the
/// catalogue does hold is that matter (its rules apply, not the general ones).
fn uncatalogued(name: &str, catalog: &Catalog) -> Result<CertificateMatter, FieldError> {
    if name.chars().count() > 60 {
        return Err(FIELD_MATTER_NAME.error(FieldErrorKind::TooLong { max: 60 }));
    }
    if let Some(m) = catalog.matters.iter().find(|m| m.name == name) {
        return Ok(m.clone());
    }
    Ok(CertificateMatter::named("", name, CatalogLevel::City))
}

impl CertificateMatter {
    /// A matter with only its code and name (every rule flag off), at `level`.
    pub fn named(code: &str, name: &str, level: CatalogLevel) -> Self {
        CertificateMatter {
            code: code.to_string(),
            name: name.to_string(),
            community_duty: false,
            responsible_department: None,
            national_list: false,
            joint_liability: false,
            suggested_basis: None,
            initials: String::new(),
            source: None,
            obtain_from: None,
            effective_from: None,
            level,
        }
    }

    /// A matter recorded by its name, outside the catalogue (目录外事项).
    pub fn is_uncatalogued(&self) -> bool {
        self.code.is_empty()
    }
}

/// The reason a worker or leader records when they judge a matter outside
/// the catalogue (required then; optional otherwise).
pub const FIELD_JUDGEMENT: Field = Field::new("note", "判断理由");

/// Checks the reason given with a review or an approval: required, and at
/// most 500 characters, for a matter outside the catalogue.
pub fn judgement_note(uncatalogued: bool, raw: &str) -> Result<Option<String>, FieldError> {
    if !uncatalogued && raw.trim().is_empty() {
        return Ok(None);
    }
    FIELD_JUDGEMENT.required_text(raw, 500).map(Some)
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
    /// It is on the national list of certificates communities should not
    /// issue: the list's document number, and where to get it instead.
    NationalList {
        /// The document (and its number) the list rests on.
        source: String,
        /// Where the resident gets it instead.
        obtain_from: Option<String>,
    },
    /// On a province's or the city's list of certificates communities should
    /// not issue (a layer of the catalogue): which level, its document.
    LocalList {
        /// Which level's list.
        level: CatalogLevel,
        /// The document (and its number) the list rests on.
        source: String,
        /// Where the resident gets it instead.
        obtain_from: Option<String>,
    },
    /// Law does not place the matter within the community's duties.
    OutsideCommunityDuty {
        /// Where the resident gets it instead.
        obtain_from: Option<String>,
    },
}

/// The refusal's pointer to where the resident goes instead.
fn obtain_sentence(obtain_from: &Option<String>) -> String {
    obtain_from.as_deref().map(|o| format!("申请人可通过以下途径办理:{o}")).unwrap_or_default()
}

/// The number of the guidance whose annex is the national list (民政部等六部门
/// 《关于改进和规范基层群众性自治组织出具证明工作的指导意见》).
pub const NATIONAL_LIST_NUMBER: &str = "民发〔2020〕20号";

/// Words in a purpose that reveal a guarantee or joint liability.
const LIABILITY_WORDS: [&str; 7] = ["担保", "保证人", "连带", "贷款", "借款", "债务", "抵押"];

impl DomainError for RefusalReason {
    fn code(&self) -> &'static str {
        match self {
            RefusalReason::NoArticle => "seal_no_article",
            RefusalReason::RequesterOwnDuty { .. } => "seal_requester_own_duty",
            RefusalReason::JointLiability => "seal_joint_liability",
            RefusalReason::NationalList { .. } => "seal_national_list",
            RefusalReason::LocalList { .. } => "seal_local_list",
            RefusalReason::OutsideCommunityDuty { .. } => "seal_outside_community_duty",
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
            RefusalReason::NationalList { source, obtain_from } => format!(
                "该事项列入国家明确不应由村(居)民委员会出具的证明事项清单({source}),社区不予出具。{}",
                obtain_sentence(obtain_from)
            ),
            RefusalReason::LocalList { level, source, obtain_from } => format!(
                "该事项列入{}不应由村(居)民委员会出具的证明事项清单({source}),社区不予出具。{}",
                level.label(),
                obtain_sentence(obtain_from)
            ),
            RefusalReason::OutsideCommunityDuty { obtain_from } => {
                format!("该事项不属于法律法规明确规定的社区职责范围,社区不予出具证明。{}", obtain_sentence(obtain_from))
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
    /// A matter outside the catalogue that passed the general rules: the
    /// worker and the leader judge it, each recording their reason.
    #[serde(default)]
    pub needs_judgement: bool,
}

/// Decides a valid request. `department_name` gives a department's name by
/// its code, for the message.
pub fn decide(req: &CertificateRequest, department_name: impl Fn(&str) -> String) -> SealDecision {
    let m = &req.matter;
    let mut reasons = Vec::new();
    if !req.basis.is_specific() {
        reasons.push(RefusalReason::NoArticle);
    }
    let own_duty = if m.is_uncatalogued() {
        req.requester_own_duty && req.requester_department.is_some()
    } else {
        matches!((&req.requester_department, &m.responsible_department), (Some(a), Some(b)) if a == b)
    };
    if own_duty {
        reasons.push(RefusalReason::RequesterOwnDuty {
            department: department_name(req.requester_department.as_deref().unwrap_or_default()),
        });
    }
    if m.joint_liability || LIABILITY_WORDS.iter().any(|w| req.purpose.contains(w) || req.content.contains(w)) {
        reasons.push(RefusalReason::JointLiability);
    }
    if m.national_list && m.level == CatalogLevel::National {
        reasons.push(RefusalReason::NationalList {
            source: m.source.clone().unwrap_or_else(|| NATIONAL_LIST_NUMBER.to_string()),
            obtain_from: m.obtain_from.clone(),
        });
    } else if m.national_list {
        reasons.push(RefusalReason::LocalList {
            level: m.level,
            source: m.source.clone().unwrap_or_default(),
            obtain_from: m.obtain_from.clone(),
        });
    }
    // Outside the catalogue only the general rules apply; people judge the rest.
    if m.is_uncatalogued() {
        let allowed = reasons.is_empty();
        return SealDecision { allowed, reasons, needs_judgement: allowed };
    }
    // Said only when no more specific reason already explains it.
    if !m.community_duty && !own_duty && !m.national_list && !reasons.contains(&RefusalReason::JointLiability) {
        reasons.push(RefusalReason::OutsideCommunityDuty { obtain_from: m.obtain_from.clone() });
    }
    SealDecision { allowed: reasons.is_empty(), reasons, needs_judgement: false }
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
            ..Default::default()
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
            ("income", "rsj", false, "办理贷款", vec!["seal_no_article", "seal_joint_liability"]),
            ("income", "rsj", true, "领取待遇", vec!["seal_outside_community_duty"]),
            ("death", "mzj", true, "办理丧葬补助", vec!["seal_national_list"]),
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
        assert!(!c.version.is_empty());
        // Every pointer belongs to a matter of the catalogue.
        let obtain: std::collections::BTreeMap<String, String> =
            serde_json::from_str(include_str!("../seal-obtain.json")).unwrap();
        for code in obtain.keys() {
            assert!(c.find(code).is_some(), "seal-obtain.json: unknown matter {code}");
        }
        let mut codes: Vec<_> = c.matters.iter().map(|m| m.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), c.matters.len(), "codes are unique");
        for m in &c.matters {
            assert!(!m.initials.is_empty() && m.initials.bytes().all(|b| b.is_ascii_lowercase()), "{}", m.code);
            assert_eq!(m.initials.len(), m.name.chars().count(), "one initial per character: {}", m.code);
        }
    }

    /// The annex of 民发〔2020〕20号, as the issue quotes it.
    const NATIONAL_LIST: [&str; 20] = [
        "亲属关系证明",
        "居民身份信息证明",
        "户口登记项目内容变更申请证明",
        "居民养犬证明",
        "无犯罪记录证明",
        "社区戒毒社区康复人员情况证明",
        "人员失踪证明",
        "婚姻状况证明",
        "出生证明",
        "健在证明",
        "死亡证明",
        "疾病状况证明",
        "残疾状况证明",
        "婚育状况证明",
        "居民就业状况证明",
        "居民个人档案证明",
        "居民财产证明",
        "遗产继承权证明",
        "市场主体住所证明",
        "证件遗失证明",
    ];

    /// Every matter of the national list is in the catalogue, by its name,
    /// and is refused with the list's reason and number — even with an
    /// article cited and by a department whose duty it is not — and the
    /// refusal says where the resident gets it instead.
    #[test]
    fn every_national_list_matter_is_refused_with_the_document_and_where_to_go() {
        let c = Catalog::bundled_with_guidance();
        let listed: Vec<_> = c.matters.iter().filter(|m| m.national_list).map(|m| m.name.as_str()).collect();
        assert_eq!(listed, NATIONAL_LIST, "the catalogue holds exactly the national list, in its order");
        for name in NATIONAL_LIST {
            let m = c.matters.iter().find(|m| m.name == name).unwrap();
            assert_eq!(m.source.as_deref(), Some(NATIONAL_LIST_NUMBER), "{name}");
            let obtain = m.obtain_from.as_deref().unwrap_or_else(|| panic!("{name}: where to get it instead"));
            let mut i = input(&m.code);
            i.requester_department = "zzb".into();
            i.basis_law = "某某条例".into();
            i.basis_article = "第五条".into();
            i.basis_text = "……".into();
            let req = i.parse(&c).unwrap();
            let d = decide(&req, |c| c.to_string());
            assert!(!d.allowed, "{name}");
            // The form (catalogue without the pointers) gives the same reason, minus the pointer.
            let plain = decide(&i.parse(&Catalog::bundled()).unwrap(), |c| c.to_string());
            assert!(d.reasons[0].message().starts_with(&plain.reasons[0].message()), "{name}");
            assert_eq!(d.reasons.iter().map(|r| r.code()).collect::<Vec<_>>(), vec!["seal_national_list"], "{name}");
            let msg = d.reasons[0].message();
            assert!(msg.contains("(民发〔2020〕20号)"), "{name}: {msg}");
            assert!(msg.ends_with(&format!("申请人可通过以下途径办理:{obtain}")), "{name}: {msg}");
        }
    }

    /// A matter outside the catalogue: the general rules, then people.
    #[test]
    fn a_matter_outside_the_catalogue_rests_on_the_general_rules() {
        let c = Catalog::bundled();
        let mut i = input("");
        i.matter_name = "房屋出租情况证明".into();
        let req = i.parse(&c).unwrap();
        assert!(req.matter.is_uncatalogued());
        let d = decide(&req, |c| c.to_string());
        assert!(
            d.allowed && d.needs_judgement && d.reasons.is_empty(),
            "an article cited: the worker and leader judge"
        );
        // No article: refused.
        let (mut bare, law) = (i.clone(), String::new());
        (bare.basis_law, bare.basis_article, bare.basis_text) = (law.clone(), law.clone(), law);
        let d = decide(&bare.parse(&c).unwrap(), |c| c.to_string());
        assert_eq!((d.allowed, d.needs_judgement), (false, false));
        assert_eq!(d.reasons.iter().map(|r| r.code()).collect::<Vec<_>>(), vec!["seal_no_article"]);
        // The requester's own duty, as the worker finds it: refused.
        let mut own = i.clone();
        own.requester_own_duty = true;
        let d = decide(&own.parse(&c).unwrap(), |_| "市民政局".into());
        assert_eq!(d.reasons.iter().map(|r| r.code()).collect::<Vec<_>>(), vec!["seal_requester_own_duty"]);
        // Joint liability in the purpose: refused whatever is cited.
        let mut liable = i.clone();
        liable.purpose = "为其贷款提供担保".into();
        let d = decide(&liable.parse(&c).unwrap(), |c| c.to_string());
        assert_eq!(d.reasons.iter().map(|r| r.code()).collect::<Vec<_>>(), vec!["seal_joint_liability"]);
        // A name the catalogue holds is that matter, with its own rules.
        let mut known = i.clone();
        known.matter_name = "死亡证明".into();
        let req = known.parse(&c).unwrap();
        assert_eq!(req.matter.code, "death");
        assert_eq!(decide(&req, |c| c.to_string()).reasons[0].code(), "seal_national_list");
        // Neither a code nor a name: the matter is required; a long name is named.
        let mut none = i.clone();
        none.matter_name = " ".into();
        assert_eq!(none.parse(&c).unwrap_err()[0].field, "matter");
        none.matter_name = "证".repeat(61);
        assert_eq!(none.parse(&c).unwrap_err()[0].field, "matter_name");
    }

    #[test]
    fn judging_a_matter_outside_the_catalogue_needs_a_reason() {
        assert_eq!(judgement_note(true, "  ").unwrap_err().field, "note");
        assert_eq!(judgement_note(true, "有《某条例》第五条为据").unwrap().as_deref(), Some("有《某条例》第五条为据"));
        assert_eq!(judgement_note(false, " "), Ok(None));
        assert!(judgement_note(false, &"理".repeat(501)).is_err());
    }

    #[test]
    fn where_to_get_a_death_certificate() {
        let d = decide(&input("death").parse(&Catalog::bundled_with_guidance()).unwrap(), |c| c.to_string());
        let msg = d.reasons[0].message();
        assert!(msg.contains("医疗机构") && msg.contains("公安机关"), "{msg}");
    }

    #[test]
    fn a_matter_is_found_by_characters_or_pinyin_initials() {
        let c = Catalog::bundled();
        let names = |q: &str| c.search(q).iter().map(|m| m.name.as_str()).collect::<Vec<_>>();
        assert_eq!(names("swzm"), vec!["死亡证明"]);
        assert_eq!(names("SW"), vec!["死亡证明"]);
        assert_eq!(names("死亡"), vec!["死亡证明"]);
        assert_eq!(names("残疾"), vec!["残疾状况证明"]);
        // 婚姻状况 and 婚育状况 share their initials: both are offered.
        assert_eq!(names("hyzk"), vec!["婚姻状况证明", "婚育状况证明"]);
        // A prefix ranks before a match inside the name.
        assert_eq!(names("出生")[..2], ["出生医学证明", "出生证明"]);
        assert_eq!(names("jz")[0], "健在证明");
        assert!(names("不存在的事项").is_empty());
        assert_eq!(c.search("  ").len(), c.matters.len());
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
