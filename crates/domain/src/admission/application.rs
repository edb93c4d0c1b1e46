//! The application form: 《xx市职能部门工作进入城市社区准入审批表》.
//!
//! [`AdmissionApplicationInput`] is what a person typed (all text, so the
//! parser can name every mistake); [`AdmissionApplication`] is the same form
//! with every field valid. The browser parses as the applicant types and the
//! server parses what arrives: same code, same messages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::money::Money;
use crate::pii::PhoneNumber;

/// Which path an item takes (准入方式).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmissionPath {
    /// 准入审批: decided by the leading group.
    Approval,
    /// 免审备案: required by law or by the higher-level party committee or
    /// government; registered, not approved — but still listed, funded and
    /// trained.
    Exempt,
}

impl AdmissionPath {
    /// Every value, in display order.
    pub const ALL: [AdmissionPath; 2] = [AdmissionPath::Approval, AdmissionPath::Exempt];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            AdmissionPath::Approval => "approval",
            AdmissionPath::Exempt => "exempt",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            AdmissionPath::Approval => "准入审批",
            AdmissionPath::Exempt => "免审备案",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Why an item is exempt from approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExemptGround {
    /// 法律、法规、规章明确规定
    Law,
    /// 上级党委、政府明确规定
    HigherAuthority,
}

impl ExemptGround {
    /// Every value, in display order.
    pub const ALL: [ExemptGround; 2] = [ExemptGround::Law, ExemptGround::HigherAuthority];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            ExemptGround::Law => "law",
            ExemptGround::HigherAuthority => "higher_authority",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ExemptGround::Law => "法律、法规、规章明确规定",
            ExemptGround::HigherAuthority => "上级党委、政府明确规定",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// How often the matched funding reaches each community (经费拨付周期).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingPeriod {
    /// 按月
    Month,
    /// 按季度
    Quarter,
    /// 按年
    Year,
    /// 一次性
    Once,
}

impl FundingPeriod {
    /// Every value, in display order.
    pub const ALL: [FundingPeriod; 4] =
        [FundingPeriod::Month, FundingPeriod::Quarter, FundingPeriod::Year, FundingPeriod::Once];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            FundingPeriod::Month => "month",
            FundingPeriod::Quarter => "quarter",
            FundingPeriod::Year => "year",
            FundingPeriod::Once => "once",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            FundingPeriod::Month => "每月",
            FundingPeriod::Quarter => "每季度",
            FundingPeriod::Year => "每年",
            FundingPeriod::Once => "一次性",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Which communities the item enters (实施范围).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "codes", rename_all = "snake_case")]
pub enum CommunityScope {
    /// 全市(全区)所有社区
    All,
    /// Listed communities, by org code.
    List(Vec<String>),
}

impl CommunityScope {
    /// Whether community `code` is covered.
    pub fn covers(&self, code: &str) -> bool {
        match self {
            CommunityScope::All => true,
            CommunityScope::List(codes) => codes.iter().any(|c| c == code),
        }
    }
}

/// Field `path`, labelled “准入方式” in forms and messages.
pub const FIELD_PATH: Field = Field::new("path", "准入方式");
/// Field `exempt_ground`, labelled “免审依据类型” in forms and messages.
pub const FIELD_EXEMPT_GROUND: Field = Field::new("exempt_ground", "免审依据类型");
/// Field `basis_doc_no`, labelled “依据文件文号” in forms and messages.
pub const FIELD_BASIS_DOC_NO: Field = Field::new("basis_doc_no", "依据文件文号");
/// Field `applicant_unit`, labelled “申请单位” in forms and messages.
pub const FIELD_APPLICANT_UNIT: Field = Field::new("applicant_unit", "申请单位");
/// Field `contact_name`, labelled “联系人” in forms and messages.
pub const FIELD_CONTACT_NAME: Field = Field::new("contact_name", "联系人");
/// Field `contact_phone`, labelled “联系电话” in forms and messages.
pub const FIELD_CONTACT_PHONE: Field = Field::new("contact_phone", "联系电话");
/// Field `item_name`, labelled “事项名称” in forms and messages.
pub const FIELD_ITEM_NAME: Field = Field::new("item_name", "事项名称");
/// Field `item_content`, labelled “事项内容” in forms and messages.
pub const FIELD_ITEM_CONTENT: Field = Field::new("item_content", "事项内容");
/// Field `basis`, labelled “法律或政策依据” in forms and messages.
pub const FIELD_BASIS: Field = Field::new("basis", "法律或政策依据");
/// Field `community_scope`, labelled “实施范围” in forms and messages.
pub const FIELD_SCOPE: Field = Field::new("community_scope", "实施范围");
/// Field `communities`, labelled “实施社区” in forms and messages.
pub const FIELD_COMMUNITIES: Field = Field::new("communities", "实施社区");
/// Field `start_date`, labelled “开始日期” in forms and messages.
pub const FIELD_START_DATE: Field = Field::new("start_date", "开始日期");
/// Field `duration_months`, labelled “实施期限(月)” in forms and messages.
pub const FIELD_DURATION: Field = Field::new("duration_months", "实施期限(月)");
/// Field `workload_hours`, labelled “每个社区每月预计工作量(小时)” in forms and messages.
pub const FIELD_WORKLOAD: Field = Field::new("workload_hours", "每个社区每月预计工作量(小时)");
/// Field `funding_per_community`, labelled “每个社区配套经费(元)” in forms and messages.
pub const FIELD_FUNDING: Field = Field::new("funding_per_community", "每个社区配套经费(元)");
/// Field `funding_period`, labelled “经费拨付周期” in forms and messages.
pub const FIELD_FUNDING_PERIOD: Field = Field::new("funding_period", "经费拨付周期");
/// Field `no_cost_reason`, labelled “无需社区承担经费的理由” in forms and messages.
pub const FIELD_NO_COST_REASON: Field = Field::new("no_cost_reason", "无需社区承担经费的理由");
/// Field `trainer_name`, labelled “指导培训专人” in forms and messages.
pub const FIELD_TRAINER_NAME: Field = Field::new("trainer_name", "指导培训专人");
/// Field `trainer_phone`, labelled “培训专人联系电话” in forms and messages.
pub const FIELD_TRAINER_PHONE: Field = Field::new("trainer_phone", "培训专人联系电话");
/// Field `ledgers`, labelled “需社区建立的台账” in forms and messages.
pub const FIELD_LEDGERS: Field = Field::new("ledgers", "需社区建立的台账");
/// Field `plaques`, labelled “需社区悬挂的牌子” in forms and messages.
pub const FIELD_PLAQUES: Field = Field::new("plaques", "需社区悬挂的牌子");
/// Field `bodies`, labelled “需社区设立的机构” in forms and messages.
pub const FIELD_BODIES: Field = Field::new("bodies", "需社区设立的机构");

/// Every field of the form, in form order.
pub const APPLICATION_FIELDS: [Field; 22] = [
    FIELD_PATH,
    FIELD_EXEMPT_GROUND,
    FIELD_BASIS_DOC_NO,
    FIELD_APPLICANT_UNIT,
    FIELD_CONTACT_NAME,
    FIELD_CONTACT_PHONE,
    FIELD_ITEM_NAME,
    FIELD_ITEM_CONTENT,
    FIELD_BASIS,
    FIELD_SCOPE,
    FIELD_COMMUNITIES,
    FIELD_START_DATE,
    FIELD_DURATION,
    FIELD_WORKLOAD,
    FIELD_FUNDING,
    FIELD_FUNDING_PERIOD,
    FIELD_NO_COST_REASON,
    FIELD_TRAINER_NAME,
    FIELD_TRAINER_PHONE,
    FIELD_LEDGERS,
    FIELD_PLAQUES,
    FIELD_BODIES,
];

/// The form as typed. Lists of ledgers, plaques and bodies are one per line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdmissionApplicationInput {
    /// 准入方式.
    pub path: String,
    /// 免审依据类型.
    pub exempt_ground: String,
    /// 依据文件文号.
    pub basis_doc_no: String,
    /// 申请单位.
    pub applicant_unit: String,
    /// 联系人.
    pub contact_name: String,
    /// 联系电话.
    pub contact_phone: String,
    /// 事项名称.
    pub item_name: String,
    /// 事项内容.
    pub item_content: String,
    /// 法律或政策依据.
    pub basis: String,
    /// `all` or `list`.
    pub community_scope: String,
    /// Community org codes, when the scope is `list`.
    pub communities: Vec<String>,
    /// 开始日期.
    pub start_date: String,
    /// 实施期限(月).
    pub duration_months: String,
    /// 每个社区每月预计工作量(小时).
    pub workload_hours: String,
    /// 每个社区配套经费(元).
    pub funding_per_community: String,
    /// 经费拨付周期.
    pub funding_period: String,
    /// 无需社区承担经费的理由.
    pub no_cost_reason: String,
    /// 指导培训专人.
    pub trainer_name: String,
    /// 培训专人联系电话.
    pub trainer_phone: String,
    /// 需社区建立的台账.
    pub ledgers: String,
    /// 需社区悬挂的牌子.
    pub plaques: String,
    /// 需社区设立的机构.
    pub bodies: String,
}

/// The funding the item brings to each community, or why none is needed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FundingPlan {
    /// 配套经费: this much per community per period.
    PerCommunity {
        /// Yuan per community per period (元).
        amount: Money,
        /// How often it is paid.
        period: FundingPeriod,
    },
    /// No cost falls on communities, and why (the reviewer sees it).
    NoCost {
        /// Why no cost falls on communities.
        reason: String,
    },
}

/// The dedicated guide who trains community workers (指导培训专人).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trainer {
    /// The guide's name.
    pub name: String,
    /// The guide's phone.
    pub phone: PhoneNumber,
}

/// An application whose every field is valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdmissionApplication {
    /// 准入方式.
    pub path: AdmissionPath,
    /// For exempt items: the ground and the basis document number.
    pub exemption: Option<(ExemptGround, String)>,
    /// 申请单位.
    pub applicant_unit: String,
    /// 联系人.
    pub contact_name: String,
    /// 联系电话.
    pub contact_phone: PhoneNumber,
    /// 事项名称.
    pub item_name: String,
    /// 事项内容.
    pub item_content: String,
    /// 法律或政策依据.
    pub basis: String,
    /// 实施范围: all communities or a list.
    pub scope: CommunityScope,
    /// 开始日期.
    pub start_date: NaiveDate,
    /// 实施期限(月).
    pub duration_months: u32,
    /// 每个社区每月预计工作量(小时).
    pub workload_hours: u32,
    /// 配套经费, or why none is needed.
    pub funding: FundingPlan,
    /// 指导培训专人.
    pub trainer: Trainer,
    /// 需社区建立的台账.
    pub ledgers: Vec<String>,
    /// 需社区悬挂的牌子.
    pub plaques: Vec<String>,
    /// 需社区设立的机构.
    pub bodies: Vec<String>,
}

/// What the parser needs to know about the world.
pub struct ParseContext<'a> {
    /// Today, Asia/Shanghai (the server's today, also in the browser).
    pub today: NaiveDate,
    /// Whether a community code exists (and may be chosen by this applicant).
    pub community_exists: &'a dyn Fn(&str) -> bool,
}

fn option<T>(field: Field, raw: &str, from_code: impl Fn(&str) -> Option<T>) -> Result<T, FieldError> {
    match raw.trim() {
        "" => Err(field.error(FieldErrorKind::Required)),
        code => from_code(code).ok_or_else(|| field.error(FieldErrorKind::UnknownOption { raw: code.to_string() })),
    }
}

fn whole_number(field: Field, raw: &str, min: u32, max: u32) -> Result<u32, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(field.error(FieldErrorKind::Required));
    }
    let digits = text.trim_start_matches(['-', '+']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(field.error(FieldErrorKind::NotAnInteger { raw: text.to_string() }));
    }
    text.parse::<u32>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
        field.error(FieldErrorKind::OutOfRange { min: min.into(), max: max.into(), raw: text.to_string() })
    })
}

/// One entry per line (blank lines ignored), each at most 50 characters, at
/// most 10 entries, no repeats.
fn lines(field: Field, raw: &str) -> Result<Vec<String>, FieldError> {
    let items: Vec<String> = raw.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if items.len() > 10 {
        return Err(field.error(FieldErrorKind::OutOfRange { min: 0, max: 10, raw: items.len().to_string() }));
    }
    if items.iter().any(|i| i.chars().count() > 50) {
        return Err(field.error(FieldErrorKind::TooLong { max: 50 }));
    }
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            return Err(field.error(FieldErrorKind::Duplicate { raw: item.clone() }));
        }
    }
    Ok(items)
}

impl AdmissionApplicationInput {
    /// Parses every field, reporting every problem at once, in form order.
    pub fn parse(&self, ctx: &ParseContext<'_>) -> Result<AdmissionApplication, Vec<FieldError>> {
        let mut p = Problems::new();
        let path = p.take(option(FIELD_PATH, &self.path, AdmissionPath::from_code));
        let exemption = if path == Some(AdmissionPath::Exempt) {
            let ground = p.take(option(FIELD_EXEMPT_GROUND, &self.exempt_ground, ExemptGround::from_code));
            let doc = p.take(FIELD_BASIS_DOC_NO.required_text(&self.basis_doc_no, 60));
            Some(ground.zip(doc))
        } else {
            None
        };
        let applicant_unit = p.take(FIELD_APPLICANT_UNIT.required_text(&self.applicant_unit, 60));
        let contact_name = p.take(FIELD_CONTACT_NAME.required_text(&self.contact_name, 30));
        let contact_phone = p.take(PhoneNumber::parse(FIELD_CONTACT_PHONE, &self.contact_phone));
        let item_name = p.take(FIELD_ITEM_NAME.required_text(&self.item_name, 60));
        let item_content = p.take(FIELD_ITEM_CONTENT.required_text(&self.item_content, 2000));
        let basis = p.take(FIELD_BASIS.required_text(&self.basis, 500));
        let scope = p.take(match self.community_scope.trim() {
            "" => Err(FIELD_SCOPE.error(FieldErrorKind::Required)),
            "all" => Ok(Some(CommunityScope::All)),
            "list" => Ok(None),
            other => Err(FIELD_SCOPE.error(FieldErrorKind::UnknownOption { raw: other.to_string() })),
        });
        let scope = match scope {
            Some(Some(all)) => Some(all),
            Some(None) => p.take(self.parse_communities(ctx)).map(CommunityScope::List),
            None => None,
        };
        let start_date =
            p.take(parse_date((FIELD_START_DATE.name, FIELD_START_DATE.label), Some(&self.start_date)).and_then(|d| {
                if d < ctx.today {
                    Err(FIELD_START_DATE.error(FieldErrorKind::DateTooEarly { earliest: ctx.today.to_string() }))
                } else {
                    Ok(d)
                }
            }));
        let duration = p.take(whole_number(FIELD_DURATION, &self.duration_months, 1, 60));
        let workload = p.take(whole_number(FIELD_WORKLOAD, &self.workload_hours, 1, 200));
        let funding = p.take(Money::parse(FIELD_FUNDING, &self.funding_per_community)).and_then(|amount| {
            if amount.is_zero() {
                p.take(FIELD_NO_COST_REASON.required_text(&self.no_cost_reason, 500))
                    .map(|reason| FundingPlan::NoCost { reason })
            } else {
                p.take(option(FIELD_FUNDING_PERIOD, &self.funding_period, FundingPeriod::from_code))
                    .map(|period| FundingPlan::PerCommunity { amount, period })
            }
        });
        let trainer_name = p.take(FIELD_TRAINER_NAME.required_text(&self.trainer_name, 30));
        let trainer_phone = p.take(PhoneNumber::parse(FIELD_TRAINER_PHONE, &self.trainer_phone));
        let ledgers = p.take(lines(FIELD_LEDGERS, &self.ledgers));
        let plaques = p.take(lines(FIELD_PLAQUES, &self.plaques));
        let bodies = p.take(lines(FIELD_BODIES, &self.bodies));
        p.into_result(|| {
            Some(AdmissionApplication {
                path: path?,
                exemption: match exemption {
                    Some(e) => Some(e?),
                    None => None,
                },
                applicant_unit: applicant_unit?,
                contact_name: contact_name?,
                contact_phone: contact_phone?,
                item_name: item_name?,
                item_content: item_content?,
                basis: basis?,
                scope: scope?,
                start_date: start_date?,
                duration_months: duration?,
                workload_hours: workload?,
                funding: funding?,
                trainer: Trainer { name: trainer_name?, phone: trainer_phone? },
                ledgers: ledgers?,
                plaques: plaques?,
                bodies: bodies?,
            })
        })
    }

    fn parse_communities(&self, ctx: &ParseContext<'_>) -> Result<Vec<String>, FieldError> {
        super::steps::parse_codes(FIELD_COMMUNITIES, &self.communities, ctx.community_exists)
    }
}

impl AdmissionApplication {
    /// All the text a reviewer reads, for matching against the negative list.
    pub fn searchable_text(&self) -> String {
        [&self.item_name, &self.item_content, &self.basis]
            .into_iter()
            .cloned()
            .chain(self.ledgers.iter().chain(&self.plaques).chain(&self.bodies).cloned())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::DomainError;

    pub fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    pub fn valid() -> AdmissionApplicationInput {
        AdmissionApplicationInput {
            path: "approval".into(),
            applicant_unit: "市人力资源和社会保障局就业促进科".into(),
            contact_name: "张敏".into(),
            contact_phone: "0794-8221234".into(),
            item_name: "社区就业困难人员帮扶台账".into(),
            item_content: "由社区协助摸排辖区就业困难人员,每月更新帮扶情况。".into(),
            basis: "《就业促进法》第五十二条".into(),
            community_scope: "all".into(),
            start_date: "2027-01-04".into(),
            duration_months: "12".into(),
            workload_hours: "8".into(),
            funding_per_community: "1200.50".into(),
            funding_period: "quarter".into(),
            trainer_name: "刘强".into(),
            trainer_phone: "13907941234".into(),
            ledgers: "就业困难人员帮扶台账".into(),
            ..Default::default()
        }
    }

    pub fn parse(i: &AdmissionApplicationInput) -> Result<AdmissionApplication, Vec<FieldError>> {
        let known = |c: &str| ["DX-CD-XF", "DX-CD-HP"].contains(&c);
        i.parse(&ParseContext { today: today(), community_exists: &known })
    }

    fn fields(i: &AdmissionApplicationInput) -> Vec<(&'static str, &'static str)> {
        parse(i).unwrap_err().iter().map(|e| (e.field, e.code())).collect()
    }

    #[test]
    fn a_complete_form_parses() {
        let a = parse(&valid()).unwrap();
        assert_eq!(a.path, AdmissionPath::Approval);
        assert_eq!(a.scope, CommunityScope::All);
        assert!(
            matches!(a.funding, FundingPlan::PerCommunity { amount, period: FundingPeriod::Quarter } if amount.fen() == 120050)
        );
        assert_eq!(a.ledgers, vec!["就业困难人员帮扶台账"]);
    }

    #[test]
    fn an_empty_form_names_every_required_field_in_order() {
        let got = fields(&AdmissionApplicationInput::default());
        let names: Vec<_> = got.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            names,
            vec![
                "path",
                "applicant_unit",
                "contact_name",
                "contact_phone",
                "item_name",
                "item_content",
                "basis",
                "community_scope",
                "start_date",
                "duration_months",
                "workload_hours",
                "funding_per_community",
                "trainer_name",
                "trainer_phone"
            ]
        );
        assert!(got.iter().all(|(_, code)| *code == "field_required"));
    }

    #[test]
    fn exempt_items_need_the_document_number() {
        let mut i = valid();
        i.path = "exempt".into();
        assert_eq!(fields(&i), vec![("exempt_ground", "field_required"), ("basis_doc_no", "field_required")]);
        i.exempt_ground = "law".into();
        i.basis_doc_no = "国办发〔2025〕12号".into();
        let a = parse(&i).unwrap();
        assert_eq!(a.exemption, Some((ExemptGround::Law, "国办发〔2025〕12号".into())));
    }

    #[test]
    fn exempt_items_still_need_funding_and_a_trainer() {
        let mut i = valid();
        i.path = "exempt".into();
        i.exempt_ground = "higher_authority".into();
        i.basis_doc_no = "市委办〔2026〕3号".into();
        i.funding_per_community = "0".into();
        i.trainer_name = String::new();
        assert_eq!(fields(&i), vec![("no_cost_reason", "field_required"), ("trainer_name", "field_required")]);
        i.no_cost_reason = "由部门派员入户,社区仅提供场地,不产生费用。".into();
        i.trainer_name = "刘强".into();
        assert!(matches!(parse(&i).unwrap().funding, FundingPlan::NoCost { .. }));
    }

    #[test]
    fn communities_must_exist_and_not_repeat() {
        let mut i = valid();
        i.community_scope = "list".into();
        assert_eq!(fields(&i), vec![("communities", "field_required")]);
        i.communities = vec!["DX-CD-XF".into(), "NOPE".into()];
        assert_eq!(fields(&i), vec![("communities", "field_unknown_option")]);
        i.communities = vec!["DX-CD-XF".into(), "DX-CD-XF".into()];
        assert_eq!(fields(&i), vec![("communities", "field_duplicate")]);
        i.communities = vec!["DX-CD-XF".into(), "DX-CD-HP".into()];
        assert!(parse(&i).unwrap().scope.covers("DX-CD-HP"));
    }

    #[test]
    fn numbers_dates_and_money_say_what_is_wrong() {
        let mut i = valid();
        i.start_date = "2026-11-23".into();
        i.duration_months = "0".into();
        i.workload_hours = "八".into();
        i.funding_per_community = "12.345".into();
        i.contact_phone = "12345".into();
        let errs = parse(&i).unwrap_err();
        let msgs: Vec<_> = errs.iter().map(|e| e.message()).collect();
        assert_eq!(
            msgs,
            vec![
                "联系电话格式不正确:应为 11 位手机号码或带区号的固定电话。",
                "开始日期不能早于 2026-11-24。",
                "实施期限(月)必须在 1 到 60 之间,当前为 0。",
                "每个社区每月预计工作量(小时)必须是整数,“八”不是整数。",
                "每个社区配套经费(元)“12.345”不是有效金额,请填写不小于 0 的金额(元),最多两位小数,例如 1200.50。",
            ]
        );
    }

    #[test]
    fn lists_are_one_per_line() {
        let mut i = valid();
        i.plaques = "就业服务站\n\n  社保服务点  ".into();
        assert_eq!(parse(&i).unwrap().plaques, vec!["就业服务站", "社保服务点"]);
        i.plaques = "就业服务站\n就业服务站".into();
        assert_eq!(fields(&i), vec![("plaques", "field_duplicate")]);
    }
}
