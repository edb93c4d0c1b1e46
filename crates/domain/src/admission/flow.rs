//! The life of an application (准入审批流程), as a state machine.
//!
//! 草稿 → 已提交 → 受理 (组织、民政部门) or 退回补正 → 商请相关部门 (each consulted
//! department records an opinion) → 一定范围征求意见 → 报领导小组审定 → 准予准入 /
//! 不予准入 → 结果反馈申请单位. Exempt items (免审备案) are registered at intake.
//! The applicant may withdraw until the decision.
//!
//! [`check`] decides whether an action may happen now, given the file's
//! [`FileFacts`]; the server refuses what it refuses, and the app offers only
//! the actions it allows.

use serde::{Deserialize, Serialize};

use super::application::AdmissionPath;
use crate::error::DomainError;
use crate::Role;

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmissionStatus {
    /// 草稿: still on the applicant's device.
    Draft,
    /// 待受理: submitted, waiting for intake.
    Submitted,
    /// 退回补正: incomplete; the applicant completes and resubmits. The clock
    /// starts again at the next acceptance.
    Returned,
    /// 商请部门: accepted; consulted departments give opinions.
    Consulting,
    /// 征求意见: opinions solicited within a stated scope.
    Soliciting,
    /// 待审定: before the leading group.
    Deciding,
    /// 准予准入. Final.
    Approved,
    /// 不予准入. Final.
    NotAdmitted,
    /// 已备案: an exempt item, registered. Final.
    Registered,
    /// 已撤回. Final.
    Withdrawn,
}

impl AdmissionStatus {
    /// Every value, in display order.
    pub const ALL: [AdmissionStatus; 10] = [
        AdmissionStatus::Draft,
        AdmissionStatus::Submitted,
        AdmissionStatus::Returned,
        AdmissionStatus::Consulting,
        AdmissionStatus::Soliciting,
        AdmissionStatus::Deciding,
        AdmissionStatus::Approved,
        AdmissionStatus::NotAdmitted,
        AdmissionStatus::Registered,
        AdmissionStatus::Withdrawn,
    ];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            AdmissionStatus::Draft => "draft",
            AdmissionStatus::Submitted => "submitted",
            AdmissionStatus::Returned => "returned",
            AdmissionStatus::Consulting => "consulting",
            AdmissionStatus::Soliciting => "soliciting",
            AdmissionStatus::Deciding => "deciding",
            AdmissionStatus::Approved => "approved",
            AdmissionStatus::NotAdmitted => "not_admitted",
            AdmissionStatus::Registered => "registered",
            AdmissionStatus::Withdrawn => "withdrawn",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            AdmissionStatus::Draft => "草稿",
            AdmissionStatus::Submitted => "待受理",
            AdmissionStatus::Returned => "退回补正",
            AdmissionStatus::Consulting => "商请部门意见",
            AdmissionStatus::Soliciting => "征求意见",
            AdmissionStatus::Deciding => "待领导小组审定",
            AdmissionStatus::Approved => "准予准入",
            AdmissionStatus::NotAdmitted => "不予准入",
            AdmissionStatus::Registered => "已备案",
            AdmissionStatus::Withdrawn => "已撤回",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Accepted and not yet decided: the 15-working-day clock runs.
    pub fn clock_runs(self) -> bool {
        matches!(self, AdmissionStatus::Consulting | AdmissionStatus::Soliciting | AdmissionStatus::Deciding)
    }

    /// A decision was taken (the item is admitted, registered or refused).
    pub fn is_decided(self) -> bool {
        matches!(self, AdmissionStatus::Approved | AdmissionStatus::NotAdmitted | AdmissionStatus::Registered)
    }

    /// In the catalogue of items communities carry (准入事项清单).
    pub fn is_admitted(self) -> bool {
        matches!(self, AdmissionStatus::Approved | AdmissionStatus::Registered)
    }

    /// Whether nothing more happens to the file (decided or withdrawn).
    pub fn is_final(self) -> bool {
        self.is_decided() || self == AdmissionStatus::Withdrawn
    }
}

/// What someone does to an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmissionAction {
    /// 提交 (applicant)
    Submit,
    /// 受理 (reviewer): approval items go to consultation, exempt items are registered.
    Accept,
    /// 退回补正 (reviewer), with what is missing.
    Return,
    /// 补正后重新提交 (applicant)
    Resubmit,
    /// 商请部门 (reviewer): adds departments to consult.
    Consult,
    /// 部门意见 (consulted department, or the reviewer entering a letter).
    RecordOpinion,
    /// 征求意见 (reviewer), within a stated scope.
    Solicit,
    /// 记录征求到的意见 (reviewer)
    RecordSolicited,
    /// 报领导小组审定 (reviewer)
    SendToGroup,
    /// 准予准入 (leading-group secretary)
    Approve,
    /// 不予准入 (leading-group secretary), with the reason.
    Reject,
    /// 延长办理期限 (reviewer), with a reason and the approver.
    Extend,
    /// 反馈申请单位 (reviewer): the result is sent to the applicant.
    Deliver,
    /// 撤回 (applicant)
    Withdraw,
}

impl AdmissionAction {
    /// Every value, in display order.
    pub const ALL: [AdmissionAction; 14] = [
        AdmissionAction::Submit,
        AdmissionAction::Accept,
        AdmissionAction::Return,
        AdmissionAction::Resubmit,
        AdmissionAction::Consult,
        AdmissionAction::RecordOpinion,
        AdmissionAction::Solicit,
        AdmissionAction::RecordSolicited,
        AdmissionAction::SendToGroup,
        AdmissionAction::Approve,
        AdmissionAction::Reject,
        AdmissionAction::Extend,
        AdmissionAction::Deliver,
        AdmissionAction::Withdraw,
    ];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            AdmissionAction::Submit => "submit",
            AdmissionAction::Accept => "accept",
            AdmissionAction::Return => "return",
            AdmissionAction::Resubmit => "resubmit",
            AdmissionAction::Consult => "consult",
            AdmissionAction::RecordOpinion => "opinion",
            AdmissionAction::Solicit => "solicit",
            AdmissionAction::RecordSolicited => "solicited",
            AdmissionAction::SendToGroup => "send_to_group",
            AdmissionAction::Approve => "approve",
            AdmissionAction::Reject => "reject",
            AdmissionAction::Extend => "extend",
            AdmissionAction::Deliver => "deliver",
            AdmissionAction::Withdraw => "withdraw",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            AdmissionAction::Submit => "提交申请",
            AdmissionAction::Accept => "受理",
            AdmissionAction::Return => "退回补正",
            AdmissionAction::Resubmit => "补正后重新提交",
            AdmissionAction::Consult => "商请部门",
            AdmissionAction::RecordOpinion => "录入部门意见",
            AdmissionAction::Solicit => "征求意见",
            AdmissionAction::RecordSolicited => "录入征求到的意见",
            AdmissionAction::SendToGroup => "报领导小组审定",
            AdmissionAction::Approve => "准予准入",
            AdmissionAction::Reject => "不予准入",
            AdmissionAction::Extend => "延长办理期限",
            AdmissionAction::Deliver => "反馈申请单位",
            AdmissionAction::Withdraw => "撤回申请",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Who may take this action. The API enforces it; the app offers an
    /// action only to these roles.
    pub const fn roles(self) -> &'static [Role] {
        match self {
            AdmissionAction::Submit | AdmissionAction::Resubmit | AdmissionAction::Withdraw => APPLICANT,
            AdmissionAction::RecordOpinion => OPINION_GIVERS,
            AdmissionAction::Approve | AdmissionAction::Reject => SECRETARY,
            AdmissionAction::Accept
            | AdmissionAction::Return
            | AdmissionAction::Consult
            | AdmissionAction::Solicit
            | AdmissionAction::RecordSolicited
            | AdmissionAction::SendToGroup
            | AdmissionAction::Extend
            | AdmissionAction::Deliver => REVIEWER,
        }
    }
}

/// 职能部门经办人
pub const APPLICANT: &[Role] = &[Role::DepartmentApplicant];
/// 组织、民政部门审核人
pub const REVIEWER: &[Role] = &[Role::Reviewer];
/// 领导小组秘书 records the group's decision.
pub const SECRETARY: &[Role] = &[Role::LeadingGroupSecretary];
/// A consulted department records its opinion; a reviewer may enter one
/// received by letter.
pub const OPINION_GIVERS: &[Role] = &[Role::DepartmentApplicant, Role::Reviewer];
/// Everyone who works on applications and may read them.
pub const FILE_READERS: &[Role] = &[Role::DepartmentApplicant, Role::Reviewer, Role::LeadingGroupSecretary];

/// What the rules need to know about a file besides its status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    /// The file's status; `None` for a file not yet created.
    pub status: Option<AdmissionStatus>,
    /// Reviewed or exempt (免审备案).
    pub path: Option<AdmissionPath>,
    /// Departments consulted so far.
    pub consulted: u32,
    /// Names of consulted departments that have not answered.
    pub pending_opinions: Vec<String>,
    /// Opinions recorded from the solicitation.
    pub solicited: u32,
    /// Whether the clock was already extended (only once, "原则上").
    pub extended: bool,
    /// Whether the result was sent to the applicant.
    pub delivered: bool,
}

/// Why an action cannot happen now. Stable codes; Chinese text here only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdmissionFlowError {
    /// The action does not fit the status.
    TransitionInvalid {
        /// The file's status.
        from: AdmissionStatus,
        /// The action attempted.
        action: AdmissionAction,
    },
    /// No department was consulted before soliciting opinions.
    NoConsultation,
    /// Consulted departments have not all answered.
    OpinionsPending {
        /// The departments still to answer.
        departments: Vec<String>,
    },
    /// Nothing recorded from the solicitation.
    NoSolicitedOpinion,
    /// The clock was extended once already.
    AlreadyExtended,
    /// The result was already sent.
    AlreadyDelivered,
    /// An opinion from a department that was not consulted on this file.
    NotConsulted {
        /// The department that tried.
        department: String,
    },
    /// The department has already given its opinion.
    OpinionGiven {
        /// The department that answered.
        department: String,
    },
    /// Guides and training are recorded only for admitted or registered items.
    NotAdmittedYet {
        /// The file's status.
        from: AdmissionStatus,
    },
}

impl DomainError for AdmissionFlowError {
    fn code(&self) -> &'static str {
        match self {
            AdmissionFlowError::TransitionInvalid { .. } => "admission_transition_invalid",
            AdmissionFlowError::NoConsultation => "admission_no_consultation",
            AdmissionFlowError::OpinionsPending { .. } => "admission_opinions_pending",
            AdmissionFlowError::NoSolicitedOpinion => "admission_no_solicited_opinion",
            AdmissionFlowError::AlreadyExtended => "admission_already_extended",
            AdmissionFlowError::AlreadyDelivered => "admission_already_delivered",
            AdmissionFlowError::NotConsulted { .. } => "admission_not_consulted",
            AdmissionFlowError::OpinionGiven { .. } => "admission_opinion_given",
            AdmissionFlowError::NotAdmittedYet { .. } => "admission_not_admitted_yet",
        }
    }

    fn message(&self) -> String {
        match self {
            AdmissionFlowError::TransitionInvalid { from, action } => {
                format!("该申请当前为“{}”,不能进行“{}”操作。", from.label(), action.label())
            }
            AdmissionFlowError::NoConsultation => "请先商请至少一个相关部门并取得其意见,再征求意见。".into(),
            AdmissionFlowError::OpinionsPending { departments } => {
                format!("尚有 {} 个商请部门未反馈意见:{}。", departments.len(), departments.join("、"))
            }
            AdmissionFlowError::NoSolicitedOpinion => {
                "尚未录入征求到的意见。请至少录入一条(没有意见的,录入“无意见”)后再报领导小组审定。".into()
            }
            AdmissionFlowError::AlreadyExtended => "该申请已延长过一次办理期限,不能再次延长。".into(),
            AdmissionFlowError::AlreadyDelivered => "审批结果已反馈申请单位。".into(),
            AdmissionFlowError::NotConsulted { department } => {
                format!("{department}未被商请对该事项提出意见。")
            }
            AdmissionFlowError::OpinionGiven { department } => {
                format!("{department}已提交过意见,不能重复提交。")
            }
            AdmissionFlowError::NotAdmittedYet { from } => {
                format!("该事项当前为“{}”,准予准入或备案后才能登记指导培训。", from.label())
            }
        }
    }
}

/// The status after `action`, or why it cannot happen now.
pub fn check(facts: &FileFacts, action: AdmissionAction) -> Result<AdmissionStatus, AdmissionFlowError> {
    use AdmissionAction as A;
    use AdmissionStatus as S;
    let from = facts.status.unwrap_or(S::Draft);
    let invalid = || AdmissionFlowError::TransitionInvalid { from, action };
    let exempt = facts.path == Some(AdmissionPath::Exempt);
    match (from, action) {
        (S::Draft, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::Accept) if exempt => Ok(S::Registered),
        (S::Submitted, A::Accept) => Ok(S::Consulting),
        // Incomplete at intake, or found incomplete while consulting.
        (S::Submitted | S::Consulting, A::Return) => Ok(S::Returned),
        (S::Returned, A::Resubmit) => Ok(S::Submitted),
        (S::Consulting, A::Consult) => Ok(S::Consulting),
        (S::Consulting, A::RecordOpinion) => Ok(S::Consulting),
        (S::Consulting, A::Solicit) if facts.consulted == 0 => Err(AdmissionFlowError::NoConsultation),
        (S::Consulting, A::Solicit) if !facts.pending_opinions.is_empty() => {
            Err(AdmissionFlowError::OpinionsPending { departments: facts.pending_opinions.clone() })
        }
        (S::Consulting, A::Solicit) => Ok(S::Soliciting),
        (S::Soliciting, A::RecordSolicited) => Ok(S::Soliciting),
        (S::Soliciting, A::SendToGroup) if facts.solicited == 0 => Err(AdmissionFlowError::NoSolicitedOpinion),
        (S::Soliciting, A::SendToGroup) => Ok(S::Deciding),
        (S::Deciding, A::Approve) => Ok(S::Approved),
        (S::Deciding, A::Reject) => Ok(S::NotAdmitted),
        (s, A::Extend) if s.clock_runs() && facts.extended => Err(AdmissionFlowError::AlreadyExtended),
        (s, A::Extend) if s.clock_runs() => Ok(s),
        (s, A::Deliver) if s.is_decided() && facts.delivered => Err(AdmissionFlowError::AlreadyDelivered),
        (s, A::Deliver) if s.is_decided() => Ok(s),
        (S::Submitted | S::Returned | S::Consulting | S::Soliciting | S::Deciding, A::Withdraw) => Ok(S::Withdrawn),
        _ => Err(invalid()),
    }
}

/// How a caller stands to one file (与申请的关系), beyond their role: what
/// decides whether the file exists for them at all, and which of their
/// role's actions they may take on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// A reviewer or the leading group's secretary whose area holds the file.
    Office,
    /// The applying department (申请部门).
    Applicant,
    /// A department consulted on the file (被商请部门); `opinion_due` until
    /// it has given its opinion.
    Consulted {
        /// Whether its opinion is still owed.
        opinion_due: bool,
    },
    /// Anyone else: for them the file does not exist (404, not 403).
    Outsider,
}

impl Standing {
    /// `in_area`: the file lies in the caller's organisation scope;
    /// `own_department`: the caller works for the applying department;
    /// `consultation`: the caller's department was consulted, and whether
    /// it has answered.
    pub fn of(role: Role, in_area: bool, own_department: bool, consultation: Option<bool>) -> Self {
        match role {
            Role::Reviewer | Role::LeadingGroupSecretary if in_area => Standing::Office,
            Role::DepartmentApplicant if own_department => Standing::Applicant,
            Role::DepartmentApplicant => match consultation {
                Some(answered) => Standing::Consulted { opinion_due: !answered },
                None => Standing::Outsider,
            },
            _ => Standing::Outsider,
        }
    }

    /// Whether the caller may see the file at all.
    pub fn may_read(self) -> bool {
        self != Standing::Outsider
    }

    /// Whether this standing allows `action` (the role is checked by
    /// [`AdmissionAction::roles`]): the applying department acts on its own
    /// files only; a consulted department only gives its opinion, once.
    pub fn allows(self, action: AdmissionAction) -> bool {
        match self {
            Standing::Outsider => false,
            Standing::Office => true,
            Standing::Applicant => action != AdmissionAction::RecordOpinion,
            Standing::Consulted { opinion_due } => action == AdmissionAction::RecordOpinion && opinion_due,
        }
    }
}

/// The actions a caller in `role` and `standing` may take on the file now.
pub fn actions_for(facts: &FileFacts, role: Role, standing: Standing) -> Vec<AdmissionAction> {
    allowed_actions(facts, Some(role)).into_iter().filter(|a| standing.allows(*a)).collect()
}

/// Every action `role` may take now, in [`AdmissionAction::ALL`] order.
pub fn allowed_actions(facts: &FileFacts, role: Option<Role>) -> Vec<AdmissionAction> {
    AdmissionAction::ALL
        .into_iter()
        .filter(|a| role.is_none_or(|r| a.roles().contains(&r)))
        .filter(|a| check(facts, *a).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use AdmissionAction as A;
    use AdmissionStatus as S;

    #[test]
    fn standing_decides_who_sees_a_file_and_which_department_acts() {
        let dept = Role::DepartmentApplicant;
        assert_eq!(Standing::of(Role::Reviewer, true, false, None), Standing::Office);
        assert_eq!(Standing::of(Role::Reviewer, false, false, None), Standing::Outsider, "another district's file");
        assert_eq!(Standing::of(dept, true, true, None), Standing::Applicant);
        assert_eq!(Standing::of(dept, false, false, Some(false)), Standing::Consulted { opinion_due: true });
        assert_eq!(Standing::of(dept, false, false, Some(true)), Standing::Consulted { opinion_due: false });
        assert_eq!(Standing::of(dept, true, false, None), Standing::Outsider, "area alone is no standing");
        assert_eq!(Standing::of(Role::GridMember, true, true, Some(false)), Standing::Outsider);
        assert!(!Standing::Outsider.may_read() && Standing::Consulted { opinion_due: false }.may_read());

        let returned = facts(S::Returned);
        assert_eq!(actions_for(&returned, dept, Standing::Applicant), vec![A::Resubmit, A::Withdraw]);
        assert!(actions_for(&returned, dept, Standing::Consulted { opinion_due: true }).is_empty());
        let consulting = facts(S::Consulting);
        assert_eq!(actions_for(&consulting, dept, Standing::Consulted { opinion_due: true }), vec![A::RecordOpinion]);
        assert!(actions_for(&consulting, dept, Standing::Consulted { opinion_due: false }).is_empty());
        assert!(!actions_for(&consulting, dept, Standing::Applicant).contains(&A::RecordOpinion));
        assert!(
            actions_for(&consulting, Role::Reviewer, Standing::Office).contains(&A::Solicit)
                || actions_for(&consulting, Role::Reviewer, Standing::Office).contains(&A::Consult)
        );
    }

    fn facts(status: S) -> FileFacts {
        FileFacts { status: Some(status), path: Some(AdmissionPath::Approval), ..Default::default() }
    }

    #[test]
    fn the_approval_path_runs_in_order() {
        let mut f = facts(S::Draft);
        let steps = [
            (A::Submit, S::Submitted),
            (A::Return, S::Returned),
            (A::Resubmit, S::Submitted),
            (A::Accept, S::Consulting),
            (A::Consult, S::Consulting),
        ];
        for (action, to) in steps {
            let next = check(&f, action).unwrap();
            assert_eq!(next, to, "{action:?}");
            f.status = Some(next);
        }
        assert_eq!(check(&f, A::Solicit), Err(AdmissionFlowError::NoConsultation));
        f.consulted = 2;
        f.pending_opinions = vec!["市民政局".into()];
        let e = check(&f, A::Solicit).unwrap_err();
        assert_eq!(e.message(), "尚有 1 个商请部门未反馈意见:市民政局。");
        f.pending_opinions.clear();
        f.status = Some(check(&f, A::Solicit).unwrap());
        assert_eq!(check(&f, A::SendToGroup), Err(AdmissionFlowError::NoSolicitedOpinion));
        f.solicited = 1;
        f.status = Some(check(&f, A::SendToGroup).unwrap());
        assert_eq!(f.status, Some(S::Deciding));
        assert_eq!(check(&f, A::Approve), Ok(S::Approved));
        assert_eq!(check(&f, A::Reject), Ok(S::NotAdmitted));
    }

    #[test]
    fn exempt_items_are_registered_at_intake() {
        let f = FileFacts { status: Some(S::Submitted), path: Some(AdmissionPath::Exempt), ..Default::default() };
        assert_eq!(check(&f, A::Accept), Ok(S::Registered));
        assert_eq!(allowed_actions(&FileFacts { status: Some(S::Registered), ..f }, None), vec![A::Deliver]);
    }

    #[test]
    fn extension_once_and_only_while_the_clock_runs() {
        let mut f = facts(S::Soliciting);
        assert_eq!(check(&f, A::Extend), Ok(S::Soliciting));
        f.extended = true;
        assert_eq!(check(&f, A::Extend), Err(AdmissionFlowError::AlreadyExtended));
        assert!(check(&facts(S::Submitted), A::Extend).is_err());
        assert!(check(&facts(S::Approved), A::Extend).is_err());
    }

    #[test]
    fn results_are_delivered_once() {
        let mut f = facts(S::NotAdmitted);
        assert_eq!(allowed_actions(&f, None), vec![A::Deliver]);
        assert!(allowed_actions(&f, Some(Role::DepartmentApplicant)).is_empty());
        f.delivered = true;
        assert_eq!(check(&f, A::Deliver), Err(AdmissionFlowError::AlreadyDelivered));
        assert!(allowed_actions(&f, None).is_empty());
    }

    #[test]
    fn no_withdrawal_after_the_decision() {
        for s in [S::Approved, S::NotAdmitted, S::Registered, S::Withdrawn] {
            let e = check(&facts(s), A::Withdraw).unwrap_err();
            assert_eq!(e.code(), "admission_transition_invalid");
        }
        assert_eq!(
            check(&facts(S::Approved), A::Withdraw).unwrap_err().message(),
            "该申请当前为“准予准入”,不能进行“撤回申请”操作。"
        );
    }

    fn any_facts() -> impl Strategy<Value = FileFacts> {
        (0..S::ALL.len(), any::<bool>(), 0u32..3, any::<bool>(), 0u32..2, any::<bool>(), any::<bool>()).prop_map(
            |(s, exempt, consulted, pending, solicited, extended, delivered)| FileFacts {
                status: Some(S::ALL[s]),
                path: Some(if exempt { AdmissionPath::Exempt } else { AdmissionPath::Approval }),
                consulted,
                pending_opinions: if pending { vec!["某部门".into()] } else { vec![] },
                solicited,
                extended,
                delivered,
            },
        )
    }

    proptest! {
        /// Final states never move again, except for sending the result.
        #[test]
        fn final_states_stay_final(f in any_facts(), a in 0..A::ALL.len()) {
            let action = A::ALL[a];
            if let (Some(from), Ok(to)) = (f.status, check(&f, action)) {
                if from.is_final() {
                    prop_assert_eq!(to, from);
                    prop_assert_eq!(action, A::Deliver);
                }
            }
        }

        /// A decision is only ever taken by the leading group, from 待审定;
        /// a registration only at the intake of an exempt item.
        #[test]
        fn decisions_come_from_their_step(f in any_facts(), a in 0..A::ALL.len()) {
            let action = A::ALL[a];
            if let Ok(to) = check(&f, action) {
                if to != f.status.unwrap() {
                    match to {
                        S::Approved | S::NotAdmitted => prop_assert_eq!(f.status, Some(S::Deciding)),
                        S::Registered => prop_assert_eq!(f.path, Some(AdmissionPath::Exempt)),
                        _ => {}
                    }
                }
            }
        }
    }
}
