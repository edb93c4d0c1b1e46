//! Organisation (组织架构), roles (角色) and scope (数据范围).
//!
//! The organisation tree is 市 → 县(区) → 乡镇(街道) → 社区 → 网格. Every record
//! belongs to a node; an account sees its own node and everything below it,
//! and nothing else. Functional departments (职能部门) are configuration data.

use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldError, FieldErrorKind};

/// A level of the organisation tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgLevel {
    /// 市
    City,
    /// 县(区)
    District,
    /// 乡镇(街道)
    Street,
    /// 社区
    Community,
    /// 网格
    Grid,
}

impl OrgLevel {
    /// How many levels from the root (the city is 1, a grid 5).
    pub fn depth(self) -> usize {
        match self {
            OrgLevel::City => 1,
            OrgLevel::District => 2,
            OrgLevel::Street => 3,
            OrgLevel::Community => 4,
            OrgLevel::Grid => 5,
        }
    }

    /// Every value, in display order.
    pub const ALL: [OrgLevel; 5] =
        [OrgLevel::City, OrgLevel::District, OrgLevel::Street, OrgLevel::Community, OrgLevel::Grid];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            OrgLevel::City => "city",
            OrgLevel::District => "district",
            OrgLevel::Street => "street",
            OrgLevel::Community => "community",
            OrgLevel::Grid => "grid",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            OrgLevel::City => "市",
            OrgLevel::District => "县(区)",
            OrgLevel::Street => "乡镇(街道)",
            OrgLevel::Community => "社区",
            OrgLevel::Grid => "网格",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The level a child of this level has; `None` below a grid.
    pub fn child(self) -> Option<Self> {
        match self {
            OrgLevel::City => Some(OrgLevel::District),
            OrgLevel::District => Some(OrgLevel::Street),
            OrgLevel::Street => Some(OrgLevel::Community),
            OrgLevel::Community => Some(OrgLevel::Grid),
            OrgLevel::Grid => None,
        }
    }
}

/// The position of a node in the tree, as the ids from the root down:
/// `/1/4/9/`. A scope contains a node when the node's path starts with it —
/// one string comparison, usable as an SQL `LIKE 'prefix%'` on an index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrgPath(String);

impl OrgPath {
    /// The path of a root node (the city): `/id/`.
    pub fn root(id: i64) -> Self {
        Self(format!("/{id}/"))
    }

    /// The path of a child node `id` under this one.
    pub fn child(&self, id: i64) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    /// Parses a stored path; `None` unless it is `/` + ids + `/`.
    pub fn parse(raw: &str) -> Option<Self> {
        let inner = raw.strip_prefix('/')?.strip_suffix('/')?;
        (!inner.is_empty() && inner.split('/').all(|p| p.parse::<u64>().is_ok())).then(|| Self(raw.to_string()))
    }

    /// The path as stored, e.g. `/1/4/17/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this node or lies below it.
    pub fn contains(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The ancestor `depth` levels from the root (itself when not deeper):
    /// the community (depth 4) of a grid's path, for example.
    pub fn truncated(&self, depth: usize) -> OrgPath {
        let ids = self.ids();
        if ids.len() <= depth {
            return self.clone();
        }
        Self(ids[..depth].iter().fold("/".to_string(), |acc, id| format!("{acc}{id}/")))
    }

    /// The ids from the root to this node.
    pub fn ids(&self) -> Vec<i64> {
        self.0.split('/').filter_map(|p| p.parse().ok()).collect()
    }
}

/// What a person does in the system. Each account has exactly one role
/// (no shared accounts, no role collections): the three administrator roles
/// are separate people (三员分立).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 职能部门经办人: applies to push work into communities; bound to a department.
    DepartmentApplicant,
    /// 审核人 (组织部门 / 民政部门): takes in and reviews applications.
    Reviewer,
    /// 社区治理工作领导小组秘书: records the leading group's decisions.
    LeadingGroupSecretary,
    /// 社区工作者 / 网格员: walks the grid; bound to a community or grid.
    GridMember,
    /// 社区负责人 (居委会主任 / 社区党组织书记): approves use of the community seal.
    CommunityLeader,
    /// 财政: watches funding matched and paid.
    Finance,
    /// 居民: reads disclosures, proposes and votes.
    Resident,
    /// 系统管理员: manages accounts; cannot read the audit trail.
    SystemAdmin,
    /// 安全管理员: sets the security policy.
    SecurityAdmin,
    /// 审计管理员: reads the audit trail, nothing else.
    AuditAdmin,
}

impl Role {
    /// Every value, in display order.
    pub const ALL: [Role; 10] = [
        Role::DepartmentApplicant,
        Role::Reviewer,
        Role::LeadingGroupSecretary,
        Role::GridMember,
        Role::CommunityLeader,
        Role::Finance,
        Role::Resident,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
    ];

    /// Stable identifier, as stored and sent over the API.
    pub fn code(self) -> &'static str {
        match self {
            Role::DepartmentApplicant => "department_applicant",
            Role::Reviewer => "reviewer",
            Role::LeadingGroupSecretary => "leading_group_secretary",
            Role::GridMember => "grid_member",
            Role::CommunityLeader => "community_leader",
            Role::Finance => "finance",
            Role::Resident => "resident",
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::DepartmentApplicant => "职能部门经办人",
            Role::Reviewer => "审核人",
            Role::LeadingGroupSecretary => "领导小组秘书",
            Role::GridMember => "社区工作者/网格员",
            Role::CommunityLeader => "社区负责人",
            Role::Finance => "财政人员",
            Role::Resident => "居民",
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether the role is one of the three administrators (三员).
    pub fn is_admin(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin)
    }

    /// The organisation levels an account of this role may be bound to.
    pub fn allowed_levels(self) -> &'static [OrgLevel] {
        match self {
            Role::GridMember => &[OrgLevel::Community, OrgLevel::Grid],
            Role::Resident => &[OrgLevel::Community, OrgLevel::Grid],
            Role::CommunityLeader => &[OrgLevel::Community],
            Role::DepartmentApplicant | Role::Finance => &[OrgLevel::City, OrgLevel::District],
            Role::Reviewer | Role::LeadingGroupSecretary => &[OrgLevel::City, OrgLevel::District, OrgLevel::Street],
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => &[OrgLevel::City, OrgLevel::District],
        }
    }

    /// Whether the account must name its functional department.
    pub fn needs_department(self) -> bool {
        matches!(self, Role::DepartmentApplicant)
    }

    /// Whether this role may see residents' full ID numbers and phone numbers
    /// (each such read is audited). Everyone else sees them masked.
    pub fn may_reveal_personal_data(self) -> bool {
        matches!(self, Role::GridMember)
    }

    /// The sections of the app this role works in (slugs of the navigation).
    pub fn menus(self) -> &'static [&'static str] {
        match self {
            Role::DepartmentApplicant => {
                &["admission", "funding", "purchases", "facilities", "participation", "events", "calendar"]
            }
            Role::Reviewer => &["admission", "funding", "cleanup", "facilities", "grid", "calendar"],
            Role::LeadingGroupSecretary => &["admission", "calendar"],
            Role::GridMember => {
                &["grid", "events", "residents", "seal", "participation", "self-government", "calendar"]
            }
            Role::CommunityLeader => {
                &["grid", "events", "seal", "cleanup", "facilities", "participation", "self-government", "calendar"]
            }
            Role::Finance => &["funding", "calendar"],
            Role::Resident => &["participation", "self-government"],
            Role::SystemAdmin => {
                &["accounts", "org", "grid-import", "holidays", "seal-catalog", "facility-standards", "open311-keys"]
            }
            Role::SecurityAdmin => &["security"],
            Role::AuditAdmin => &["audit"],
        }
    }
}

/// Field `role`, labelled “角色” in forms and messages.
pub const FIELD_ROLE: Field = Field::new("role", "角色");

/// Parses a role code from a form.
pub fn parse_role(raw: &str) -> Result<Role, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FIELD_ROLE.error(FieldErrorKind::Required));
    }
    Role::from_code(raw).ok_or_else(|| FIELD_ROLE.error(FieldErrorKind::UnknownOption { raw: raw.to_string() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_contain_descendants_only() {
        let city = OrgPath::root(1);
        let district = city.child(2);
        let sibling = city.child(3);
        let street = district.child(20);
        assert!(city.contains(&street));
        assert!(district.contains(&street));
        assert!(district.contains(&district));
        assert!(!district.contains(&sibling));
        assert!(!street.contains(&district));
        // `/1/2/` must not contain `/1/22/`.
        assert!(!district.contains(&city.child(22)));
        assert_eq!(street.ids(), vec![1, 2, 20]);
    }

    #[test]
    fn path_parsing() {
        assert_eq!(OrgPath::parse("/1/2/"), Some(OrgPath::root(1).child(2)));
        for bad in ["", "/", "1/2/", "/1/2", "/a/", "//"] {
            assert_eq!(OrgPath::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn role_codes_round_trip_and_admins_are_separate() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
            assert!(!role.menus().is_empty());
        }
        // 三员分立: no admin menu is shared by two admin roles.
        let admins = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin];
        for a in admins {
            for b in admins {
                if a != b {
                    assert!(a.menus().iter().all(|m| !b.menus().contains(m)));
                }
            }
        }
        assert!(!Role::SystemAdmin.menus().contains(&"audit"));
    }

    #[test]
    fn role_parsing_names_the_field() {
        assert_eq!(parse_role("reviewer"), Ok(Role::Reviewer));
        assert_eq!(parse_role("boss").unwrap_err().kind, FieldErrorKind::UnknownOption { raw: "boss".into() });
        assert_eq!(parse_role(" ").unwrap_err().field, "role");
    }
}

/// Field `parent_id`, labelled “上级单位” in forms and messages.
pub const FIELD_PARENT: Field = Field::new("parent_id", "上级单位");
/// Field `code`, labelled “编码” in forms and messages.
pub const FIELD_CODE: Field = Field::new("code", "编码");
/// Field `name`, labelled “名称” in forms and messages.
pub const FIELD_NAME: Field = Field::new("name", "名称");

/// Parses an organisation or department code: 1–32 letters, digits, `-`, `_`.
pub fn parse_code(raw: &str) -> Result<String, FieldError> {
    let code = FIELD_CODE.required_text(raw, 32)?;
    if code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(code)
    } else {
        Err(FIELD_CODE.error(FieldErrorKind::InvalidFormat { expected: "只能使用英文字母、数字、- 和 _" }))
    }
}

/// Special groups of residents (特殊群体) who get regular visits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialGroup {
    /// 独居老人
    ElderlyAlone,
    /// 低保对象
    LowIncome,
    /// 残疾人
    Disabled,
    /// 留守儿童
    LeftBehindChild,
    /// 特困人员
    ExtremeHardship,
}

impl SpecialGroup {
    /// Every value, in display order.
    pub const ALL: [SpecialGroup; 5] = [
        SpecialGroup::ElderlyAlone,
        SpecialGroup::LowIncome,
        SpecialGroup::Disabled,
        SpecialGroup::LeftBehindChild,
        SpecialGroup::ExtremeHardship,
    ];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            SpecialGroup::ElderlyAlone => "elderly_alone",
            SpecialGroup::LowIncome => "low_income",
            SpecialGroup::Disabled => "disabled",
            SpecialGroup::LeftBehindChild => "left_behind_child",
            SpecialGroup::ExtremeHardship => "extreme_hardship",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            SpecialGroup::ElderlyAlone => "独居老人",
            SpecialGroup::LowIncome => "低保对象",
            SpecialGroup::Disabled => "残疾人",
            SpecialGroup::LeftBehindChild => "留守儿童",
            SpecialGroup::ExtremeHardship => "特困人员",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}
