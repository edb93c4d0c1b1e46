//! Property management joint building (社区物业党建联建), plan §二(二)3: the
//! property service companies (物业服务企业) serving a community's estates,
//! their party organisation and the community's 联建 agreement; the estates
//! (小区) with the grids they cover and their owners' committees (业主委员会,
//! flagged when the term has ended); residents' complaints about property
//! management as events of their own category ([`COMPLAINT_CATEGORY`]); and
//! the yearly satisfaction rating by the residents of the company's estates
//! (物业服务满意度测评), a [review](crate::review) whose raters are those
//! residents.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::pii::PhoneNumber;
use crate::review::{Review, ReviewInput, SubjectKind};
use crate::vocabulary::vocabulary;

/// The event category of complaints about property management (物业服务投诉),
/// in `grid-config.json`.
pub const COMPLAINT_CATEGORY: &str = "property";

/// Days before an owners' committee's term ends from which it is flagged
/// 任期将满 (time to prepare the election).
pub const TERM_WARNING_DAYS: i64 = 90;

/// Party members from which a company should have a branch of its own
/// (正式党员三人以上的, 应当成立党的基层组织).
pub const OWN_BRANCH_MEMBERS: u32 = 3;

vocabulary! {
    /// A company's party organisation (党组织建设情况).
    PartyOrg {
        /// 未建立党组织.
        None = ("none", "未建立党组织"),
        /// 独立党支部.
        OwnBranch = ("own_branch", "独立党支部"),
        /// 联合党支部 (with other small companies).
        JointBranch = ("joint_branch", "联合党支部"),
    }
}

vocabulary! {
    /// Where an estate's owners' committee stands, derived from the facts.
    CommitteeState {
        /// 未成立业主委员会.
        None = ("none", "未成立业主委员会"),
        /// 任期内.
        Serving = ("serving", "任期内"),
        /// 任期将满: the term ends within [`TERM_WARNING_DAYS`].
        Expiring = ("expiring", "任期将满"),
        /// 任期已届满,待换届.
        Expired = ("expired", "任期已届满,待换届"),
    }
}

/// The 31 characters of a unified social credit code, in the order of their
/// values (GB 32100-2015: no I, O, S, V, Z).
const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18
/// characters of [`CREDIT_CHARS`], the last a check character over the first 17.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CreditCode(String);

impl CreditCode {
    /// The check character of the first 17 characters (upper case, each one of
    /// the code's 31): weights 3^i mod 31, the check 31 − (sum mod 31), 31 read as 0.
    pub fn check_char(first17: &str) -> Option<char> {
        let mut sum = 0u32;
        let mut weight = 1u32;
        let mut n = 0;
        for c in first17.chars() {
            sum += CREDIT_CHARS.find(c)? as u32 * weight;
            weight = weight * 3 % 31;
            n += 1;
        }
        (n == 17).then(|| CREDIT_CHARS.as_bytes()[((31 - sum % 31) % 31) as usize] as char)
    }

    /// Parses a code as typed (spaces dropped, letters upper-cased).
    pub fn parse(field: Field, raw: &str) -> Result<Self, FieldError> {
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if code.is_empty() {
            return Err(field.error(FieldErrorKind::Required));
        }
        if code.chars().count() != 18 || !code.chars().all(|c| CREDIT_CHARS.contains(c)) {
            return Err(field.error(FieldErrorKind::InvalidFormat {
                expected: "应为 18 位数字或大写字母(不含 I、O、S、V、Z)",
            }));
        }
        match Self::check_char(&code[..17]) {
            Some(c) if code.ends_with(c) => Ok(Self(code)),
            _ => Err(field.error(FieldErrorKind::InvalidFormat {
                expected: "校验码不符,请核对营业执照上的统一社会信用代码",
            })),
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest company name: its rating's title, “2026 年度…服务满意度测评”,
/// adds 14 characters and a review's title has at most 60.
pub const COMPANY_NAME_MAX: usize = 46;

/// Field `name`, labelled “企业名称”.
pub const FIELD_COMPANY_NAME: Field = Field::new("name", "企业名称");
/// Field `credit_code`, labelled “统一社会信用代码”.
pub const FIELD_CREDIT_CODE: Field = Field::new("credit_code", "统一社会信用代码");
/// Field `contact`, labelled “联系人”.
pub const FIELD_CONTACT: Field = Field::new("contact", "联系人");
/// Field `phone`, labelled “联系电话”.
pub const FIELD_PHONE: Field = Field::new("phone", "联系电话");
/// Field `party_org`, labelled “党组织建设情况”.
pub const FIELD_PARTY_ORG: Field = Field::new("party_org", "党组织建设情况");
/// Field `party_members`, labelled “党员人数”.
pub const FIELD_PARTY_MEMBERS: Field = Field::new("party_members", "党员人数");
/// Field `agreement_on`, labelled “联建协议签订日期”.
pub const FIELD_AGREEMENT_ON: Field = Field::new("agreement_on", "联建协议签订日期");

/// A property service company as typed by the community's staff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanyInput {
    /// 企业名称.
    pub name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// 联系人.
    pub contact: String,
    /// 联系电话 (a public business contact).
    pub phone: String,
    /// A [`PartyOrg`] code.
    pub party_org: String,
    /// 党员人数.
    pub party_members: String,
    /// 联建协议签订日期, empty when none is signed.
    pub agreement_on: String,
}

/// A company, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Company {
    /// 企业名称.
    pub name: String,
    /// 统一社会信用代码.
    pub credit_code: CreditCode,
    /// 联系人.
    pub contact: String,
    /// 联系电话.
    pub phone: PhoneNumber,
    /// 党组织.
    pub party_org: PartyOrg,
    /// 党员人数.
    pub party_members: u32,
    /// 联建协议签订日期.
    pub agreement_on: Option<NaiveDate>,
}

/// An optional date not later than `today`.
fn optional_past_date(field: Field, raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    past_date(field, raw, today).map(Some)
}

/// A date not later than `today`.
fn past_date(field: Field, raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    parse_date((field.name, field.label), Some(raw)).and_then(|d| {
        if d > today {
            Err(field.error(FieldErrorKind::DateInFuture { raw: d.to_string() }))
        } else {
            Ok(d)
        }
    })
}

impl CompanyInput {
    /// Checks the form: an own branch needs [`OWN_BRANCH_MEMBERS`] party
    /// members, a joint branch at least one; the agreement is not signed
    /// after `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<Company, Vec<FieldError>> {
        let mut p = Problems::new();
        let name = p.take(FIELD_COMPANY_NAME.required_text(&self.name, COMPANY_NAME_MAX));
        let credit_code = p.take(CreditCode::parse(FIELD_CREDIT_CODE, &self.credit_code));
        let contact = p.take(FIELD_CONTACT.required_text(&self.contact, 20));
        let phone = p.take(PhoneNumber::parse(FIELD_PHONE, &self.phone));
        let party_org = p.take(PartyOrg::parse(FIELD_PARTY_ORG, &self.party_org));
        let members = if self.party_members.trim().is_empty() { "0" } else { &self.party_members };
        let party_members = p.take(FIELD_PARTY_MEMBERS.whole_number(members, 0, 10_000).map(|n| n as u32).and_then(
            |n| match party_org {
                Some(PartyOrg::OwnBranch) if n < OWN_BRANCH_MEMBERS => {
                    Err(FIELD_PARTY_MEMBERS.error(FieldErrorKind::InvalidFormat {
                        expected: "独立党支部应有 3 名以上正式党员",
                    }))
                }
                Some(PartyOrg::JointBranch) if n == 0 => {
                    Err(FIELD_PARTY_MEMBERS.error(FieldErrorKind::InvalidFormat {
                        expected: "加入联合党支部的企业应至少有 1 名党员",
                    }))
                }
                _ => Ok(n),
            },
        ));
        let agreement_on = p.take(optional_past_date(FIELD_AGREEMENT_ON, &self.agreement_on, today));
        p.into_result(|| {
            Some(Company {
                name: name?,
                credit_code: credit_code?,
                contact: contact?,
                phone: phone?,
                party_org: party_org?,
                party_members: party_members?,
                agreement_on: agreement_on?,
            })
        })
    }
}

/// Whether a company without a party organisation has enough members for a
/// branch of its own (flagged 应单独建立党支部).
pub fn branch_due(org: PartyOrg, members: u32) -> bool {
    org == PartyOrg::None && members >= OWN_BRANCH_MEMBERS
}

/// Field `name`, labelled “小区名称”.
pub const FIELD_ESTATE_NAME: Field = Field::new("name", "小区名称");
/// Field `grids`, labelled “覆盖网格”.
pub const FIELD_GRIDS: Field = Field::new("grids", "覆盖网格");
/// Field `households`, labelled “户数”.
pub const FIELD_HOUSEHOLDS: Field = Field::new("households", "户数");
/// Field `served_since`, labelled “服务起始日期”.
pub const FIELD_SERVED_SINCE: Field = Field::new("served_since", "服务起始日期");
/// Field `committee_chair`, labelled “业委会主任”.
pub const FIELD_CHAIR: Field = Field::new("committee_chair", "业委会主任");
/// Field `committee_term_ends`, labelled “业委会任期届满日期”.
pub const FIELD_TERM_ENDS: Field = Field::new("committee_term_ends", "业委会任期届满日期");

/// The most grids one estate may cover.
pub const MAX_GRIDS: usize = 20;

/// An estate as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EstateInput {
    /// 小区名称.
    pub name: String,
    /// The ids of the community's grids it covers (one or more).
    pub grids: Vec<String>,
    /// 户数.
    pub households: String,
    /// 服务起始日期: served by the company since.
    pub served_since: String,
    /// 已成立业主委员会.
    pub owners_committee: bool,
    /// 业委会主任 (when established).
    pub committee_chair: String,
    /// 业委会任期届满日期 (when established).
    pub committee_term_ends: String,
}

/// An owners' committee, when established.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnersCommittee {
    /// 业委会主任.
    pub chair: String,
    /// 任期届满日期.
    pub term_ends: NaiveDate,
}

/// An estate, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Estate {
    /// 小区名称.
    pub name: String,
    /// The grids it covers, each once, in the order given.
    pub grids: Vec<i64>,
    /// 户数.
    pub households: u32,
    /// 服务起始日期.
    pub served_since: NaiveDate,
    /// 业主委员会, if established.
    pub committee: Option<OwnersCommittee>,
}

impl EstateInput {
    /// Checks the form: at least one grid (each once, at most [`MAX_GRIDS`]);
    /// served since a day not after `today`; an established committee names
    /// its chair and the end of its term.
    pub fn parse(&self, today: NaiveDate) -> Result<Estate, Vec<FieldError>> {
        let mut p = Problems::new();
        let name = p.take(FIELD_ESTATE_NAME.required_text(&self.name, 60));
        let grids = p.take(parse_grids(&self.grids));
        let households = p.take(FIELD_HOUSEHOLDS.whole_number(&self.households, 1, 100_000).map(|n| n as u32));
        let served_since = p.take(past_date(FIELD_SERVED_SINCE, &self.served_since, today));
        let committee = if self.owners_committee {
            let chair = p.take(FIELD_CHAIR.required_text(&self.committee_chair, 20));
            let ends =
                p.take(parse_date((FIELD_TERM_ENDS.name, FIELD_TERM_ENDS.label), Some(&self.committee_term_ends)));
            match (chair, ends) {
                (Some(chair), Some(term_ends)) => Some(Some(OwnersCommittee { chair, term_ends })),
                _ => None,
            }
        } else {
            Some(None)
        };
        p.into_result(|| {
            Some(Estate {
                name: name?,
                grids: grids?,
                households: households?,
                served_since: served_since?,
                committee: committee?,
            })
        })
    }
}

fn parse_grids(raw: &[String]) -> Result<Vec<i64>, FieldError> {
    let too_many =
        || FIELD_GRIDS.error(FieldErrorKind::InvalidFormat { expected: "一个小区最多覆盖 20 个网格" });
    // The count first: a long list is refused before it is compared with itself.
    if raw.len() > MAX_GRIDS * 2 {
        return Err(too_many());
    }
    let mut out: Vec<i64> = Vec::new();
    for r in raw.iter().filter(|r| !r.trim().is_empty()) {
        let id = FIELD_GRIDS.required_id(r)?;
        if out.contains(&id) {
            return Err(FIELD_GRIDS.error(FieldErrorKind::Duplicate { raw: id.to_string() }));
        }
        out.push(id);
    }
    if out.is_empty() {
        Err(FIELD_GRIDS.error(FieldErrorKind::NotChosen { how: "" }))
    } else if out.len() > MAX_GRIDS {
        Err(too_many())
    } else {
        Ok(out)
    }
}

/// Where a committee stands on `today`.
pub fn committee_state(committee: Option<&OwnersCommittee>, today: NaiveDate) -> CommitteeState {
    match committee {
        None => CommitteeState::None,
        Some(c) if c.term_ends < today => CommitteeState::Expired,
        Some(c) if (c.term_ends - today).num_days() <= TERM_WARNING_DAYS => CommitteeState::Expiring,
        Some(_) => CommitteeState::Serving,
    }
}

/// A company's complaints as counted on its page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintCounts {
    /// The year counted.
    pub year: i32,
    /// 办理中: linked complaints not closed yet, whenever they came in.
    pub open: u32,
    /// 已办结: linked complaints closed in `year`.
    pub closed: u32,
}

/// Counts linked complaints, each given as the day it was closed (`None`
/// while open), for `year`.
pub fn count_complaints(closed_on: impl IntoIterator<Item = Option<NaiveDate>>, year: i32) -> ComplaintCounts {
    let mut c = ComplaintCounts { year, ..Default::default() };
    for on in closed_on {
        match on {
            None => c.open += 1,
            Some(d) if d.year() == year => c.closed += 1,
            Some(_) => {}
        }
    }
    c
}

/// Field `event_id`, labelled “投诉事件编号”: the complaint linked to a company.
pub const FIELD_EVENT: Field = Field::new("event_id", "投诉事件编号");

/// The dimensions a satisfaction rating asks about when none are named.
pub const RATING_DIMENSIONS: [&str; 5] = ["服务态度", "维修及时", "环境卫生", "秩序维护", "收费透明"];

/// Field `year`, labelled “测评年度”.
pub const FIELD_YEAR: Field = Field::new("year", "测评年度");

/// A yearly satisfaction rating as typed by the community's leader.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatingInput {
    /// 测评年度: this year or the last.
    pub year: String,
    /// 年度服务报告 (the company's report to the residents).
    pub report: String,
    /// The dimensions, one per line (empty: [`RATING_DIMENSIONS`]).
    pub dimensions: String,
    /// 测评截止日期.
    pub until: String,
}

/// A rating, checked: the year and the review it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rating {
    /// 测评年度.
    pub year: i32,
    /// The review of the company (subject kind [`SubjectKind::Property`]).
    pub review: Review,
}

impl RatingInput {
    /// Checks the form for `company` (its name): the year is this year or
    /// the last; the rest as a review's (title made from year and company).
    pub fn parse(&self, company: &str, today: NaiveDate) -> Result<Rating, Vec<FieldError>> {
        let this = today.year();
        let year = FIELD_YEAR.whole_number(&self.year, i64::from(this - 1), i64::from(this)).map(|y| y as i32);
        let review = ReviewInput {
            title: format!("{} 年度{company}服务满意度测评", year.as_ref().copied().unwrap_or(this)),
            subject_kind: SubjectKind::Property.code().into(),
            subject_name: company.into(),
            report: self.report.clone(),
            dimensions: if self.dimensions.trim().is_empty() {
                RATING_DIMENSIONS.join("\n")
            } else {
                self.dimensions.clone()
            },
            until: self.until.clone(),
        }
        .parse(today);
        match (year, review) {
            (Ok(year), Ok(review)) => Ok(Rating { year, review }),
            (year, review) => {
                let mut errors: Vec<FieldError> = year.err().into_iter().collect();
                errors.extend(review.err().unwrap_or_default());
                Err(errors)
            }
        }
    }
}

/// Refusals of property moves, each with a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropertyError {
    /// A company with this credit code is registered in the community already.
    CompanyExists,
    /// An estate of this name is registered in the community already.
    EstateExists,
    /// The record changed since it was read (another edit won).
    Changed,
    /// The event is of another category than [`COMPLAINT_CATEGORY`].
    NotAComplaint,
    /// The complaint is linked to another company.
    LinkedElsewhere,
    /// The company's rating of that year exists already.
    RatingExists,
    /// The company serves no estate yet: nobody could rate it.
    NoEstates,
    /// A grid chosen is covered by an estate of another company: who rates a
    /// company is read from the grids, so a grid has one company.
    GridServedElsewhere,
    /// The company's rating is open: who rates it (its estates' grids) is
    /// fixed until it is published.
    RatingOpen,
}

impl crate::error::DomainError for PropertyError {
    fn code(&self) -> &'static str {
        match self {
            PropertyError::CompanyExists => "property_company_exists",
            PropertyError::EstateExists => "property_estate_exists",
            PropertyError::Changed => "property_changed",
            PropertyError::NotAComplaint => "property_not_a_complaint",
            PropertyError::LinkedElsewhere => "property_complaint_linked_elsewhere",
            PropertyError::RatingExists => "property_rating_exists",
            PropertyError::NoEstates => "property_no_estates",
            PropertyError::GridServedElsewhere => "property_grid_served_elsewhere",
            PropertyError::RatingOpen => "property_rating_open",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            PropertyError::CompanyExists => Some("credit_code"),
            PropertyError::EstateExists => Some("name"),
            PropertyError::NotAComplaint | PropertyError::LinkedElsewhere => Some("event_id"),
            PropertyError::RatingExists => Some("year"),
            PropertyError::GridServedElsewhere | PropertyError::RatingOpen => Some("grids"),
            PropertyError::Changed | PropertyError::NoEstates => None,
        }
    }

    fn message(&self) -> String {
        match self {
            PropertyError::CompanyExists => "本社区已登记统一社会信用代码相同的物业服务企业。".into(),
            PropertyError::EstateExists => "本社区已登记同名的小区。".into(),
            PropertyError::Changed => "这条记录已被他人修改,请刷新后再保存。".into(),
            PropertyError::NotAComplaint => "只有“物业服务投诉”类别的事件可以关联到物业服务企业。".into(),
            PropertyError::LinkedElsewhere => "这件投诉已关联到另一家物业服务企业。".into(),
            PropertyError::RatingExists => "这家物业服务企业这一年度的满意度测评已经发起过了。".into(),
            PropertyError::NoEstates => "这家物业服务企业还没有登记服务的小区,无法确定参加测评的居民。".into(),
            PropertyError::RatingOpen => {
                "这家物业服务企业的满意度测评正在进行,参加测评的居民按小区覆盖的网格确定:测评结果公布前不能添加小区或改动覆盖网格。".into()
            }
            PropertyError::GridServedElsewhere => {
                "所选网格中有网格已由另一家物业服务企业的小区覆盖:参加满意度测评的居民按网格确定,一个网格只能由一家企业服务。".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::due::civil_date(s).unwrap()
    }

    fn company() -> CompanyInput {
        CompanyInput {
            name: "幸福物业服务有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            contact: "王建华".into(),
            phone: "0794-8261234".into(),
            party_org: "joint_branch".into(),
            party_members: "2".into(),
            agreement_on: "2026-03-01".into(),
        }
    }

    fn estate() -> EstateInput {
        EstateInput {
            name: "幸福里".into(),
            grids: vec!["11".into(), "12".into()],
            households: "800".into(),
            served_since: "2019-01-01".into(),
            owners_committee: true,
            committee_chair: "刘卫东".into(),
            committee_term_ends: "2028-05-31".into(),
        }
    }

    #[test]
    fn credit_codes_are_checked_by_gb_32100() {
        for ok in ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"] {
            assert_eq!(CreditCode::parse(FIELD_CREDIT_CODE, ok).unwrap().as_str(), ok);
        }
        // Typed in lower case with spaces.
        assert_eq!(
            CreditCode::parse(FIELD_CREDIT_CODE, " 91350100m000100y43 ").unwrap().as_str(),
            "91350100M000100Y43"
        );
        let e = CreditCode::parse(FIELD_CREDIT_CODE, "91350100M000100Y44").unwrap_err();
        assert!(e.message().contains("校验码不符"), "{}", e.message());
        let e = CreditCode::parse(FIELD_CREDIT_CODE, "91350100M000100Y4").unwrap_err();
        assert!(e.message().contains("18 位"));
        // I, O, S, V, Z are never used.
        assert!(CreditCode::parse(FIELD_CREDIT_CODE, "91350100M000100O43").is_err());
        assert_eq!(CreditCode::parse(FIELD_CREDIT_CODE, "").unwrap_err().kind, FieldErrorKind::Required);
        assert_eq!(CreditCode::check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(CreditCode::check_char("9135"), None);
        assert_eq!(CreditCode::check_char("91350100M000100I4"), None);
    }

    #[test]
    fn a_company_names_its_party_organisation() {
        let today = d("2026-12-02");
        let c = company().parse(today).unwrap();
        assert_eq!((c.party_org, c.party_members), (PartyOrg::JointBranch, 2));
        assert_eq!(c.phone.expose(), "07948261234");
        assert_eq!(c.agreement_on, Some(d("2026-03-01")));
        // An own branch needs three members; a joint one at least one.
        let e = CompanyInput { party_org: "own_branch".into(), ..company() }.parse(today).unwrap_err();
        assert_eq!(e[0].field, "party_members");
        assert!(e[0].message().contains("3 名以上"), "{}", e[0].message());
        let e = CompanyInput { party_members: "0".into(), ..company() }.parse(today).unwrap_err();
        assert_eq!(e[0].field, "party_members");
        // None at all: any count, empty reads 0; no agreement.
        let c =
            CompanyInput { party_org: "none".into(), party_members: "".into(), agreement_on: "".into(), ..company() }
                .parse(today)
                .unwrap();
        assert_eq!((c.party_members, c.agreement_on), (0, None));
        // Every problem at once, each naming its field.
        let e = CompanyInput {
            name: "".into(),
            credit_code: "123".into(),
            phone: "12".into(),
            party_org: "club".into(),
            agreement_on: "2026-12-03".into(),
            ..company()
        }
        .parse(today)
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "credit_code", "phone", "party_org", "agreement_on"]);
        assert_eq!(e[0].message(), "请填写企业名称。");
    }

    #[test]
    fn a_branch_is_due_from_three_members() {
        assert!(branch_due(PartyOrg::None, 3));
        assert!(!branch_due(PartyOrg::None, 2));
        assert!(!branch_due(PartyOrg::JointBranch, 5));
        assert_eq!(PartyOrg::JointBranch.label(), "联合党支部");
    }

    #[test]
    fn an_estate_covers_grids_and_may_have_a_committee() {
        let today = d("2026-12-02");
        let e = estate().parse(today).unwrap();
        assert_eq!(e.grids, [11, 12]);
        assert_eq!(e.committee, Some(OwnersCommittee { chair: "刘卫东".into(), term_ends: d("2028-05-31") }));
        // No committee: chair and term are not asked for.
        let none =
            EstateInput { owners_committee: false, committee_chair: "".into(), ..estate() }.parse(today).unwrap();
        assert_eq!(none.committee, None);
        // Established: both needed.
        let err = EstateInput { committee_chair: "".into(), committee_term_ends: "".into(), ..estate() }
            .parse(today)
            .unwrap_err();
        let fields: Vec<&str> = err.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["committee_chair", "committee_term_ends"]);
        // Grids: at least one, each once, ids.
        for (grids, expected) in
            [(vec![], "请选择覆盖网格。"), (vec!["11".into(), "11".into()], "覆盖网格"), (vec!["x".into()], "覆盖网格")]
        {
            let err = EstateInput { grids, ..estate() }.parse(today).unwrap_err();
            assert_eq!(err[0].field, "grids");
            assert!(err[0].message().contains(expected), "{}", err[0].message());
        }
        let many = (1..=21).map(|i| i.to_string()).collect();
        assert_eq!(EstateInput { grids: many, ..estate() }.parse(today).unwrap_err()[0].field, "grids");
        // Households at least one; served since a day that has come.
        let err = EstateInput { households: "0".into(), served_since: "2027-01-01".into(), ..estate() }
            .parse(today)
            .unwrap_err();
        let fields: Vec<&str> = err.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["households", "served_since"]);
    }

    #[test]
    fn a_committee_is_flagged_when_its_term_ends() {
        let today = d("2026-12-02");
        let c = |ends: &str| OwnersCommittee { chair: "x".into(), term_ends: d(ends) };
        assert_eq!(committee_state(None, today), CommitteeState::None);
        assert_eq!(committee_state(Some(&c("2028-05-31")), today), CommitteeState::Serving);
        assert_eq!(committee_state(Some(&c("2027-03-02")), today), CommitteeState::Expiring);
        assert_eq!(
            committee_state(Some(&c("2026-12-02")), today),
            CommitteeState::Expiring,
            "the last day still serves"
        );
        assert_eq!(committee_state(Some(&c("2026-12-01")), today), CommitteeState::Expired);
        assert_eq!(CommitteeState::Expired.label(), "任期已届满,待换届");
    }

    #[test]
    fn complaints_count_open_ones_and_this_years_closed() {
        let c = count_complaints([None, Some(d("2026-03-01")), Some(d("2025-12-30")), None], 2026);
        assert_eq!(c, ComplaintCounts { year: 2026, open: 2, closed: 1 });
    }

    #[test]
    fn the_complaint_category_is_configured_for_the_housing_bureau() {
        let cat = crate::grid::config().category(COMPLAINT_CATEGORY).expect("configured");
        assert_eq!((cat.label.as_str(), cat.department.as_str()), ("物业服务投诉", "zjj"));
    }

    #[test]
    fn a_rating_is_a_review_of_the_company_for_this_year_or_the_last() {
        let today = d("2026-12-02");
        let input = RatingInput {
            year: "2026".into(),
            report: "全年受理报修 968 件。".into(),
            dimensions: "".into(),
            until: "2026-12-31".into(),
        };
        let r = input.parse("幸福物业服务有限公司", today).unwrap();
        assert_eq!(r.year, 2026);
        assert_eq!(r.review.title, "2026 年度幸福物业服务有限公司服务满意度测评");
        assert_eq!(r.review.subject_kind, SubjectKind::Property);
        assert_eq!(r.review.dimensions, RATING_DIMENSIONS);
        let e = RatingInput { year: "2024".into(), report: "".into(), ..input }.parse("x", today).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["year", "report"]);
    }

    #[test]
    fn refusals_have_codes_and_chinese() {
        assert_eq!(PropertyError::NotAComplaint.code(), "property_not_a_complaint");
        assert_eq!(PropertyError::NotAComplaint.field(), Some("event_id"));
        assert!(PropertyError::RatingExists.message().contains("满意度测评"));
    }

    fn credit_char() -> impl Strategy<Value = char> {
        (0..31usize).prop_map(|i| CREDIT_CHARS.as_bytes()[i] as char)
    }

    proptest! {
        /// A generated code with its check character passes; changing any one
        /// of its characters to another makes it fail.
        #[test]
        fn one_changed_character_is_caught(
            first17 in proptest::collection::vec(credit_char(), 17),
            at in 0usize..18,
            to in credit_char(),
        ) {
            let first17: String = first17.into_iter().collect();
            let code = format!("{first17}{}", CreditCode::check_char(&first17).unwrap());
            prop_assert!(CreditCode::parse(FIELD_CREDIT_CODE, &code).is_ok());
            let mut chars: Vec<char> = code.chars().collect();
            prop_assume!(chars[at] != to);
            chars[at] = to;
            let changed: String = chars.into_iter().collect();
            prop_assert!(CreditCode::parse(FIELD_CREDIT_CODE, &changed).is_err());
        }
    }
}
