//! Creating accounts (账号): every field parsed, every problem reported at once.

use crate::auth::{Password, Username, FIELD_DISPLAY_NAME, FIELD_PASSWORD};
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::org::{parse_role, OrgLevel, Role};

/// Field `org_node_id`, labelled “所属单位” in forms and messages.
pub const FIELD_ORG_NODE: Field = Field::new("org_node_id", "所属单位");
/// Field `department_id`, labelled “职能部门” in forms and messages.
pub const FIELD_DEPARTMENT: Field = Field::new("department_id", "职能部门");

/// A valid request to create an account. Whether the chosen node and
/// department exist is the server's to check; whether the role fits the
/// node's level is [`check_binding`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    /// Login name (登录名).
    pub username: Username,
    /// The name shown in lists and the audit trail (姓名).
    pub display_name: String,
    /// The account's one role (角色).
    pub role: Role,
    /// 所属单位.
    pub org_node_id: i64,
    /// 职能部门.
    pub department_id: Option<i64>,
    /// The initial password, checked against the policy; it must be changed at first login.
    pub password: Password,
}

impl NewAccount {
    /// Parses the account form, reporting every field problem at once.
    pub fn parse(
        username: &str,
        display_name: &str,
        role: &str,
        org_node_id: &str,
        department_id: &str,
        password: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut p = Problems::new();
        let username = p.take(Username::parse(username));
        let display_name = p.take(FIELD_DISPLAY_NAME.required_text(display_name, 50));
        let role = p.take(parse_role(role));
        let org_node_id = p.take(FIELD_ORG_NODE.required_id(org_node_id));
        let department_id = p.take(FIELD_DEPARTMENT.optional_id(department_id)).flatten();
        if role.is_some_and(Role::needs_department) && department_id.is_none() && !department_id_field_failed(&p) {
            p.push(FIELD_DEPARTMENT.error(FieldErrorKind::Required));
        }
        let password = p.take(Password::parse(FIELD_PASSWORD, password, username.as_ref(), role));
        p.into_result(|| {
            Some(Self {
                username: username?,
                display_name: display_name?,
                role: role?,
                org_node_id: org_node_id?,
                department_id,
                password: password?,
            })
        })
    }
}

fn department_id_field_failed(p: &Problems) -> bool {
    p.has_field(FIELD_DEPARTMENT.name)
}

/// Why an administrator may not act on an account (三员分立).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountError {
    /// The target is (or would be) one of the three administrators: those
    /// accounts are made at installation (`gongzhi-server install-admin`), and
    /// no administrator manages another administrator's account.
    AdministratorProtected,
}

impl crate::DomainError for AccountError {
    fn code(&self) -> &'static str {
        match self {
            AccountError::AdministratorProtected => "admin_account_protected",
        }
    }

    fn message(&self) -> String {
        match self {
            AccountError::AdministratorProtected => "系统管理员、安全管理员、审计管理员(三员)账号只在安装时由服务器命令创建和重置,任何管理员都不能在系统中创建或管理三员账号。".to_string(),
        }
    }
}

/// Whether an account of role `target` may be created, disabled, enabled or
/// have its password reset from the accounts page. Only the system
/// administrator manages accounts at all (the route checks that), and only
/// business accounts: an administrator managing another would let one person
/// hold two of the three powers.
pub fn check_manageable(target: Role) -> Result<(), AccountError> {
    if target.is_admin() {
        Err(AccountError::AdministratorProtected)
    } else {
        Ok(())
    }
}

/// Whether an account of `role` may sit at a node of `level` (a grid member
/// in a community or grid, a system admin at city or district, …).
pub fn check_binding(role: Role, level: OrgLevel) -> Result<(), FieldError> {
    if role.allowed_levels().contains(&level) {
        Ok(())
    } else {
        Err(FIELD_ORG_NODE.error(FieldErrorKind::InvalidFormat { expected: binding_hint(role) }))
    }
}

fn binding_hint(role: Role) -> &'static str {
    match role {
        Role::GridMember | Role::Resident => "该角色只能设在社区或网格",
        Role::CommunityLeader => "社区负责人只能设在社区",
        Role::DepartmentApplicant | Role::Finance => "该角色只能设在市或县(区)",
        Role::Reviewer | Role::LeadingGroupSecretary => "该角色只能设在市、县(区)或乡镇(街道)",
        Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => "管理员只能设在市或县(区)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn a_complete_account_parses() {
        let a = NewAccount::parse("LiSi", "李四", "grid_member", "12", "", "Wangge@2026").unwrap();
        assert_eq!(a.username.as_str(), "lisi");
        assert_eq!(a.role, Role::GridMember);
        assert_eq!(a.department_id, None);
    }

    #[test]
    fn every_problem_is_reported() {
        let errs = NewAccount::parse("", "", "boss", "x", "", "weak").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field, e.code())).collect();
        assert_eq!(
            fields,
            vec![
                ("username", "field_required"),
                ("display_name", "field_required"),
                ("role", "field_unknown_option"),
                ("org_node_id", "field_unknown_option"),
                ("password", "password_too_weak"),
            ]
        );
    }

    #[test]
    fn applicants_need_a_department() {
        let errs = NewAccount::parse("zhaoliu", "赵六", "department_applicant", "1", "", "Renshe@2026").unwrap_err();
        assert_eq!(errs[0].field, "department_id");
        assert_eq!(errs[0].message(), "请填写职能部门。");
    }

    #[test]
    fn roles_sit_at_fitting_levels() {
        assert!(check_binding(Role::GridMember, OrgLevel::Grid).is_ok());
        assert!(check_binding(Role::GridMember, OrgLevel::District).is_err());
        assert!(check_binding(Role::AuditAdmin, OrgLevel::City).is_ok());
        assert!(check_manageable(Role::GridMember).is_ok());
        for admin in [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin] {
            assert_eq!(check_manageable(admin).unwrap_err().code(), "admin_account_protected");
        }
        assert_eq!(
            check_binding(Role::SystemAdmin, OrgLevel::Community).unwrap_err().message(),
            "所属单位格式不正确:管理员只能设在市或县(区)。"
        );
    }
}
