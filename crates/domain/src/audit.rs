//! The audit trail (审计日志) as a [hash chain](crate::chain).

use serde::{Deserialize, Serialize};

use crate::chain::{link_hash, StoredLink};
pub use crate::chain::{ChainBreak, ChainVerifier, GENESIS_HASH};

/// What a link of the audit chain is called in messages.
pub const NOUN: &str = "审计记录";

/// One stored audit entry. Times are UTC, RFC 3339.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1, 2, 3, … without gaps.
    pub seq: i64,
    /// When, UTC, RFC 3339.
    pub at: String,
    /// The acting account's login name, if any (a failed login names the
    /// name that was tried).
    pub actor: Option<String>,
    /// The acting account's role code, if any.
    pub role: Option<String>,
    /// What was done, e.g. `auth.login`, `account.create`.
    pub action: String,
    /// What it was done to, e.g. `account:12`.
    pub object: String,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    /// The client's address (through trusted proxies only).
    pub client_addr: String,
    /// Extra facts as JSON text.
    pub detail: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash over its fields and `prev_hash`.
    pub hash: String,
}

/// The fields that go into an entry before it is chained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditFields<'a> {
    /// Position in the trail, from 1.
    pub seq: i64,
    /// When, UTC, RFC 3339.
    pub at: &'a str,
    /// The acting account's login name, if any.
    pub actor: Option<&'a str>,
    /// The acting account's role code, if any.
    pub role: Option<&'a str>,
    /// The action's code.
    pub action: &'a str,
    /// What it was done to.
    pub object: &'a str,
    /// `success`, `failure` or `denied`.
    pub outcome: &'a str,
    /// The client's address.
    pub client_addr: &'a str,
    /// Extra facts as JSON text.
    pub detail: &'a str,
}

impl AuditFields<'_> {
    /// The entry's hash given the previous one.
    pub fn hash(&self, prev_hash: &str) -> String {
        let seq = self.seq.to_string();
        link_hash(
            &[
                Some(&seq),
                Some(self.at),
                self.actor,
                self.role,
                Some(self.action),
                Some(self.object),
                Some(self.outcome),
                Some(self.client_addr),
                Some(self.detail),
            ],
            prev_hash,
        )
    }
}

impl AuditEntry {
    /// The fields the entry's hash covers.
    pub fn fields(&self) -> AuditFields<'_> {
        AuditFields {
            seq: self.seq,
            at: &self.at,
            actor: self.actor.as_deref(),
            role: self.role.as_deref(),
            action: &self.action,
            object: &self.object,
            outcome: &self.outcome,
            client_addr: &self.client_addr,
            detail: &self.detail,
        }
    }
}

/// Declares [`AuditAction`]: one variant per thing the trail records, each
/// with its stable code (stored in `audit_log.action`, never renamed) and its
/// one Chinese label.
macro_rules! audit_actions {
    ($($variant:ident = ($code:literal, $label:literal),)*) => {
        /// What an audit entry records (审计操作). The code is what the
        /// database, the API and exports carry; the label is what people read.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum AuditAction {
            $(#[doc = $label] $variant,)*
        }

        impl AuditAction {
            /// Every action, in the order the audit viewer lists them.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)*];

            /// The stable code, e.g. `seal.stamp`.
            pub const fn code(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $code,)*
                }
            }

            /// The Chinese label, e.g. 用印.
            pub const fn label(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $label,)*
                }
            }

            /// The value whose [code](Self::code) is `code`.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(AuditAction::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

audit_actions! {
    AuthLogin = ("auth.login", "登录"),
    AuthLogout = ("auth.logout", "退出登录"),
    AuthPasswordChange = ("auth.password_change", "修改密码"),
    AuthCsrf = ("auth.csrf", "跨站请求校验失败"),
    AccountCreate = ("account.create", "新建账号"),
    AccountRead = ("account.read", "查看账号"),
    AccountList = ("account.list", "查看账号列表"),
    AccountDisable = ("account.disable", "停用账号"),
    AccountEnable = ("account.enable", "启用账号"),
    AccountResetPassword = ("account.reset_password", "重置密码"),
    OrgCreate = ("org.create", "新增组织节点"),
    OrgRead = ("org.read", "查看组织节点"),
    DepartmentCreate = ("department.create", "新增职能部门"),
    SecurityPolicyRead = ("security.policy_read", "查看安全策略"),
    SecurityPolicyUpdate = ("security.policy_update", "修改安全策略"),
    CalendarUpload = ("calendar.upload", "导入节假日安排"),
    CalendarDeadlineMoved = ("calendar.deadline_moved", "暂定截止日期更正"),
    AuditList = ("audit.list", "查看审计日志"),
    AuditVerify = ("audit.verify", "校验审计日志"),
    AuditExport = ("audit.export", "导出审计日志"),
    AuditCheckpoint = ("audit.checkpoint", "导出审计检查点"),
    AuditChainAnchor = ("audit.chain_anchor", "审计链接入库外密钥"),
    AuthTotpEnrol = ("auth.totp_enrol", "开始绑定身份验证器"),
    AuthTotpConfirm = ("auth.totp_confirm", "绑定身份验证器"),
    AuthTotpVerify = ("auth.totp_verify", "动态验证码登录验证"),
    AuthRecoveryCode = ("auth.recovery_code", "使用恢复码登录"),
    ResidentList = ("resident.list", "查看居民列表"),
    ResidentRead = ("resident.read", "查看居民信息"),
    ResidentReveal = ("resident.reveal", "查看居民完整个人信息"),
    SystemBootstrap = ("system.bootstrap", "系统初始化"),
    SystemInstallAdmin = ("system.install_admin", "服务器上创建或重置三员账号"),
    SealRequest = ("seal.request", "登记证明申请"),
    SealReview = ("seal.review", "审核证明申请"),
    SealApprove = ("seal.approve", "批准用印"),
    SealRefuse = ("seal.refuse", "不予出具证明"),
    SealStamp = ("seal.stamp", "用印"),
    SealCorrect = ("seal.correct", "用印登记更正"),
    SealRegisterExport = ("seal.register_export", "导出用印登记簿"),
    SealList = ("seal.list", "查看证明申请列表"),
    SealRead = ("seal.read", "查看证明申请"),
    SealRegister = ("seal.register", "查看用印登记簿"),
    SealCatalogRead = ("seal.catalog_read", "查看证明事项目录维护"),
    SealCatalogLoad = ("seal.catalog_load", "加载证明事项目录"),
    SealCatalogCityMatter = ("seal.catalog_city_matter", "维护市级证明事项"),
    SealRegisterVerify = ("seal.register_verify", "校验用印登记簿"),
    AdmissionSubmit = ("admission.submit", "提交准入申请"),
    AdmissionPaper = ("admission.paper", "登记纸质准入申请"),
    AdmissionList = ("admission.list", "查看准入申请列表"),
    AdmissionRead = ("admission.read", "查看准入申请"),
    AdmissionMeta = ("admission.meta", "查看准入表单数据"),
    AdmissionAccept = ("admission.accept", "受理准入申请"),
    AdmissionReturn = ("admission.return", "退回补正"),
    AdmissionResubmit = ("admission.resubmit", "补正后重新提交"),
    AdmissionConsult = ("admission.consult", "商请部门"),
    AdmissionOpinion = ("admission.opinion", "录入部门意见"),
    AdmissionSolicit = ("admission.solicit", "征求意见"),
    AdmissionSolicited = ("admission.solicited", "录入征求到的意见"),
    AdmissionSendToGroup = ("admission.send_to_group", "报领导小组审定"),
    AdmissionApprove = ("admission.approve", "准予准入"),
    AdmissionReject = ("admission.reject", "不予准入"),
    AdmissionExtend = ("admission.extend", "延长办理期限"),
    AdmissionDeliver = ("admission.deliver", "反馈审批结果"),
    AdmissionWithdraw = ("admission.withdraw", "撤回准入申请"),
    AdmissionGuide = ("admission.guide", "指定指导培训人员"),
    AdmissionTraining = ("admission.training", "登记社区培训"),
    FundingLedger = ("funding.ledger", "查看经费拨付台账"),
    FundingSummary = ("funding.summary", "查看经费保障看板"),
    FundingExport = ("funding.export", "导出经费拨付台账"),
    FundingSummaryExport = ("funding.summary_export", "导出经费保障汇总"),
    FundingPayments = ("funding.payments", "查看拨付记录"),
    FundingPay = ("funding.pay", "登记拨付"),
    FundingCorrect = ("funding.correct", "更正拨付"),
    PurchaseCreate = ("purchase.create", "登记购买服务事项"),
    PurchaseAccept = ("purchase.accept", "购买服务验收"),
    CleanupEntries = ("cleanup.entries", "查看清理登记"),
    CleanupAdd = ("cleanup.add", "新增清理登记"),
    CleanupCampaigns = ("cleanup.campaigns", "查看清理行动"),
    CleanupStart = ("cleanup.start", "发起清理行动"),
    CleanupReview = ("cleanup.review", "清理意见"),
    CleanupClose = ("cleanup.close", "结束清理行动"),
    GridList = ("grid.list", "查看网格列表"),
    GridMap = ("grid.map", "查看网格地图与应访名单"),
    GridLocate = ("grid.locate", "定位所在网格"),
    GridCoverage = ("grid.coverage", "查看网格覆盖情况"),
    GridImport = ("grid.import", "导入网格边界"),
    HouseholdImport = ("household.import", "导入住户与居民"),
    ResidentImportChange = ("resident.import_change", "导入变更居民信息"),
    VisitCreate = ("visit.create", "记录走访"),
    VisitList = ("visit.list", "查看走访记录"),
    EventList = ("event.list", "查看事件列表"),
    EventRead = ("event.read", "查看事件"),
    EventNearby = ("event.nearby", "查询附近事件"),
    EventReport = ("event.report", "上报事件"),
    EventAct = ("event.act", "处理事件"),
    EventRegister = ("event.register", "事件受理登记"),
    EventMarkDuplicate = ("event.mark_duplicate", "归并重复事件"),
    EventDispatch = ("event.dispatch", "派遣事件"),
    EventAccept = ("event.accept", "签收事件"),
    EventReturn = ("event.return", "退回事件"),
    EventReportBack = ("event.report_back", "事件处置反馈"),
    EventCheckPass = ("event.check_pass", "事件核查通过"),
    EventCheckFail = ("event.check_fail", "事件核查不通过"),
    EventClose = ("event.close", "事件结案"),
    Open311KeyList = ("open311.key_list", "查看外部系统接口密钥"),
    Open311KeyIssue = ("open311.key_issue", "签发外部系统接口密钥"),
    Open311KeyRevoke = ("open311.key_revoke", "吊销外部系统接口密钥"),
    Open311Report = ("open311.report", "外部系统上报事件"),
    FacilityDashboard = ("facility.dashboard", "查看社区设施看板"),
    FacilityExport = ("facility.export", "导出社区设施情况"),
    FacilityProjectCreate = ("facility.project_create", "登记新建住宅项目"),
    FacilityProjectRead = ("facility.project_read", "查看新建住宅项目"),
    FacilitySignOff = ("facility.sign_off", "四同步签字"),
    FacilityRooms = ("facility.rooms", "查看社区用房"),
    FacilityRoomAdd = ("facility.room_add", "登记社区用房"),
    FacilityRemedyAdd = ("facility.remedy_add", "登记用房补齐措施"),
    FacilityRemedyAdvance = ("facility.remedy_advance", "推进用房补齐措施"),
    FacilityStandards = ("facility.standards", "查看设施配置标准"),
    FacilityStandardAdd = ("facility.standard_add", "新增设施配置标准版本"),
    ParticipationRounds = ("participation.rounds", "查看民生实事轮次"),
    ParticipationRead = ("participation.read", "查看民生实事轮次详情"),
    ParticipationRoundCreate = ("participation.round_create", "发起民生实事征集"),
    ParticipationAdvance = ("participation.advance", "推进民生实事轮次"),
    ParticipationPropose = ("participation.propose", "提出民生实事建议"),
    ParticipationScreen = ("participation.screen", "筛选论证民生实事建议"),
    ParticipationMerge = ("participation.merge", "合并相似建议"),
    ParticipationVote = ("participation.vote", "网上投票"),
    ParticipationPaper = ("participation.paper", "录入纸质选票"),
    ParticipationVoterLookup = ("participation.voter_lookup", "查询选民投票状态"),
    ParticipationProgress = ("participation.progress", "更新实事项目进度"),
    ParticipationMilestone = ("participation.milestone", "登记实事项目节点"),
    ParticipationRate = ("participation.rate", "评价实事项目"),
    ConsultationMatters = ("consultation.matters", "查看协商议题"),
    ConsultationRead = ("consultation.read", "查看协商议题详情"),
    ConsultationRaise = ("consultation.raise", "提出协商议题"),
    ConsultationCosign = ("consultation.cosign", "联名支持议题"),
    ConsultationMeeting = ("consultation.meeting", "安排协商会议"),
    ConsultationAttend = ("consultation.attend", "会议签到"),
    ConsultationRecord = ("consultation.record", "记录会议纪要与协商结果"),
    ConsultationFollowUpDone = ("consultation.follow_up_done", "报告落实事项办结"),
    ConsultationPublish = ("consultation.publish", "公开落实结果"),
    ConsultationSettings = ("consultation.settings", "设置居民联名人数"),
    DisclosureBoard = ("disclosure.board", "打开本社区居务公开"),
    DisclosureAdopt = ("disclosure.adopt", "采用居务公开目录"),
    DisclosureItemAdd = ("disclosure.item_add", "增加居务公开事项"),
    DisclosurePublish = ("disclosure.publish", "发布居务公开"),
    DisclosureFigures = ("disclosure.figures", "读取居务公开数据"),
    DisclosureAsk = ("disclosure.ask", "对居务公开提问或提出异议"),
    DisclosureAnswer = ("disclosure.answer", "答复居民提问或异议"),
    ReviewList = ("review.list", "查看民主评议"),
    ReviewRead = ("review.read", "查看民主评议详情"),
    ReviewCreate = ("review.create", "发起民主评议"),
    ReviewRate = ("review.rate", "网上参加民主评议"),
    ReviewPaper = ("review.paper", "录入纸质评议表"),
    ReviewForms = ("review.forms", "登记评议表发出和收回"),
    ReviewPublish = ("review.publish", "公布民主评议结果"),
    PollList = ("poll.list", "查看民意调查"),
    PollRead = ("poll.read", "查看民意调查详情"),
    PollCreate = ("poll.create", "发起民意调查"),
    PollAnswer = ("poll.answer", "网上填写民意调查"),
    PollEntry = ("poll.entry", "录入纸质或入户问卷"),
    PollClose = ("poll.close", "结束民意调查"),
    PollExport = ("poll.export", "导出民意调查结果"),
    PropertyList = ("property.list", "查看物业服务企业"),
    PropertyRead = ("property.read", "查看物业服务企业详情"),
    PropertyCompanyCreate = ("property.company_create", "登记物业服务企业"),
    PropertyCompanyUpdate = ("property.company_update", "修改物业服务企业"),
    PropertyEstateCreate = ("property.estate_create", "登记物业服务小区"),
    PropertyEstateUpdate = ("property.estate_update", "修改物业服务小区"),
    PropertyComplaintLink = ("property.complaint_link", "关联物业服务投诉"),
    PropertyRatingCreate = ("property.rating_create", "发起物业服务满意度测评"),
}

impl AuditAction {
    /// The area of work the action belongs to (the part of its code before
    /// the dot).
    pub fn area(self) -> AuditArea {
        let prefix = self.code().split('.').next().unwrap_or_default();
        AuditArea::from_code(prefix).expect("every action's prefix is an area (tested)")
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The areas the audit viewer filters by (审计操作类别): the prefix of an
/// action's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditArea {
    /// 登录与退出
    Auth,
    /// 账号管理
    Account,
    /// 安全策略
    Security,
    /// 居民个人信息
    Resident,
    /// 审计操作
    Audit,
    /// 组织架构
    Org,
    /// 职能部门
    Department,
    /// 工作日历
    Calendar,
    /// 系统
    System,
    /// 社区印章
    Seal,
    /// 事项准入
    Admission,
    /// 经费保障
    Funding,
    /// 购买服务
    Purchase,
    /// 清理减负
    Cleanup,
    /// 网格
    Grid,
    /// 住户导入
    Household,
    /// 走访
    Visit,
    /// 事件处置
    Event,
    /// 外部系统接口 (Open311 keys and posts)
    Open311,
    /// 社区设施
    Facility,
    /// 百姓定实事
    Participation,
    /// 协商议事
    Consultation,
    /// 居务公开
    Disclosure,
    /// 民主评议
    Review,
    /// 民意调查
    Poll,
    /// 物业党建联建
    Property,
}

impl AuditArea {
    /// Every value, in display order.
    pub const ALL: &'static [AuditArea] = &[
        AuditArea::Auth,
        AuditArea::Account,
        AuditArea::Security,
        AuditArea::Resident,
        AuditArea::Audit,
        AuditArea::Org,
        AuditArea::Department,
        AuditArea::Calendar,
        AuditArea::System,
        AuditArea::Seal,
        AuditArea::Admission,
        AuditArea::Funding,
        AuditArea::Purchase,
        AuditArea::Cleanup,
        AuditArea::Grid,
        AuditArea::Household,
        AuditArea::Visit,
        AuditArea::Event,
        AuditArea::Open311,
        AuditArea::Facility,
        AuditArea::Participation,
        AuditArea::Consultation,
        AuditArea::Disclosure,
        AuditArea::Review,
        AuditArea::Poll,
        AuditArea::Property,
    ];

    /// The prefix of the codes of its actions, e.g. `seal`.
    pub const fn code(self) -> &'static str {
        match self {
            AuditArea::Auth => "auth",
            AuditArea::Account => "account",
            AuditArea::Security => "security",
            AuditArea::Resident => "resident",
            AuditArea::Audit => "audit",
            AuditArea::Org => "org",
            AuditArea::Department => "department",
            AuditArea::Calendar => "calendar",
            AuditArea::System => "system",
            AuditArea::Seal => "seal",
            AuditArea::Admission => "admission",
            AuditArea::Funding => "funding",
            AuditArea::Purchase => "purchase",
            AuditArea::Cleanup => "cleanup",
            AuditArea::Grid => "grid",
            AuditArea::Household => "household",
            AuditArea::Visit => "visit",
            AuditArea::Event => "event",
            AuditArea::Open311 => "open311",
            AuditArea::Facility => "facility",
            AuditArea::Participation => "participation",
            AuditArea::Consultation => "consultation",
            AuditArea::Disclosure => "disclosure",
            AuditArea::Review => "review",
            AuditArea::Poll => "poll",
            AuditArea::Property => "property",
        }
    }

    /// Chinese label, as shown to people.
    pub const fn label(self) -> &'static str {
        match self {
            AuditArea::Auth => "登录与退出",
            AuditArea::Account => "账号管理",
            AuditArea::Security => "安全策略",
            AuditArea::Resident => "居民个人信息",
            AuditArea::Audit => "审计操作",
            AuditArea::Org => "组织架构",
            AuditArea::Department => "职能部门",
            AuditArea::Calendar => "工作日历",
            AuditArea::System => "系统",
            AuditArea::Seal => "社区印章",
            AuditArea::Admission => "事项准入",
            AuditArea::Funding => "经费保障",
            AuditArea::Purchase => "购买服务",
            AuditArea::Cleanup => "清理减负",
            AuditArea::Grid => "网格",
            AuditArea::Household => "住户导入",
            AuditArea::Visit => "走访",
            AuditArea::Event => "事件处置",
            AuditArea::Open311 => "外部系统接口",
            AuditArea::Facility => "社区设施",
            AuditArea::Participation => "百姓定实事",
            AuditArea::Consultation => "协商议事",
            AuditArea::Disclosure => "居务公开",
            AuditArea::Review => "民主评议",
            AuditArea::Poll => "民意调查",
            AuditArea::Property => "物业党建联建",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        AuditArea::ALL.iter().copied().find(|a| a.code() == code)
    }

    /// Its actions, in the viewer's order.
    pub fn actions(self) -> impl Iterator<Item = AuditAction> {
        AuditAction::ALL.iter().copied().filter(move |a| a.area() == self)
    }
}

/// The Chinese name of a stored action code, for the audit viewer and
/// exports; a code no longer known reads 其他操作.
pub fn action_label(action: &str) -> &'static str {
    AuditAction::from_code(action).map_or("其他操作", AuditAction::label)
}

/// The Chinese name of an audit outcome.
pub fn outcome_label(outcome: &str) -> &'static str {
    match outcome {
        "success" => "成功",
        "failure" => "失败",
        "denied" => "拒绝",
        _ => "未知",
    }
}

impl AuditEntry {
    /// Checks this entry as the next link of `verifier`.
    pub fn verify_into(&self, verifier: &mut ChainVerifier) -> Result<(), ChainBreak> {
        let recomputed = self.fields().hash(&self.prev_hash);
        verifier.push(StoredLink {
            seq: self.seq,
            prev_hash: &self.prev_hash,
            hash: &self.hash,
            recomputed: &recomputed,
        })
    }
}

/// Verifies a whole audit chain held in memory.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    head: Option<(i64, &str)>,
) -> Result<i64, ChainBreak> {
    let mut v = ChainVerifier::new();
    for e in entries {
        e.verify_into(&mut v)?;
    }
    v.finish(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_codes_are_unique_and_round_trip() {
        let mut codes = std::collections::HashSet::new();
        let mut labels = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert!(codes.insert(a.code()), "code {} twice", a.code());
            assert!(labels.insert(a.label()), "label {} twice", a.label());
            assert_eq!(AuditAction::from_code(a.code()), Some(*a));
            assert_eq!(action_label(a.code()), a.label());
        }
        assert_eq!(action_label("no.such_action"), "其他操作");
    }

    #[test]
    fn every_action_is_in_exactly_one_area_and_every_area_has_actions() {
        let listed: usize = AuditArea::ALL.iter().map(|area| area.actions().count()).sum();
        assert_eq!(listed, AuditAction::ALL.len());
        for area in AuditArea::ALL {
            assert!(area.actions().next().is_some(), "area {} has no actions", area.code());
            assert_eq!(AuditArea::from_code(area.code()), Some(*area));
        }
    }

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: format!("2026-11-24T09:{seq:02}:00Z"),
                    actor: Some("zhangsan".into()),
                    role: Some("reviewer".into()),
                    action: "auth.login".into(),
                    object: format!("account:{seq}"),
                    outcome: "success".into(),
                    client_addr: "127.0.0.1".into(),
                    detail: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.fields().hash(&e.prev_hash);
                prev.clone_from(&e.hash);
                e
            })
            .collect()
    }

    fn head(c: &[AuditEntry]) -> Option<(i64, &str)> {
        c.last().map(|e| (e.seq, e.hash.as_str()))
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify_chain(&c, head(&c)), Ok(5));
        assert_eq!(verify_chain(&[], None), Ok(0));
    }

    #[test]
    fn a_changed_entry_is_caught() {
        let mut c = chain(5);
        let h = c[4].hash.clone();
        c[2].outcome = "failure".into();
        assert_eq!(verify_chain(&c, Some((5, &h))), Err(ChainBreak::ContentChanged { seq: 3 }));
    }

    #[test]
    fn a_changed_entry_with_recomputed_hash_breaks_the_next_link() {
        let mut c = chain(5);
        let h = c[4].hash.clone();
        c[2].actor = Some("mallory".into());
        c[2].hash = c[2].fields().hash(&c[2].prev_hash);
        assert_eq!(verify_chain(&c, Some((5, &h))), Err(ChainBreak::LinkBroken { seq: 4 }));
    }

    #[test]
    fn a_deleted_entry_is_caught() {
        let mut c = chain(5);
        let h = c[4].hash.clone();
        c.remove(1);
        assert_eq!(verify_chain(&c, Some((5, &h))), Err(ChainBreak::LinkBroken { seq: 3 }));
    }

    #[test]
    fn reordered_entries_are_caught() {
        let mut c = chain(5);
        let h = c[4].hash.clone();
        c.swap(1, 2);
        assert_eq!(verify_chain(&c, Some((5, &h))), Err(ChainBreak::LinkBroken { seq: 3 }));
    }

    #[test]
    fn a_cut_tail_is_caught_by_the_head() {
        let c = chain(5);
        let h = c[4].hash.clone();
        assert_eq!(verify_chain(&c[..3], Some((5, &h))), Err(ChainBreak::HeadMismatch { head_seq: 5, last_seq: 3 }));
        assert_eq!(verify_chain(&c[..3], None), Err(ChainBreak::HeadMismatch { head_seq: 0, last_seq: 3 }));
    }

    #[test]
    fn missing_first_entries_are_caught() {
        let c = chain(3);
        assert!(verify_chain(&c[1..], head(&c)).is_err());
    }

    #[test]
    fn absent_and_empty_actor_hash_differently() {
        let c = chain(1);
        let mut f = c[0].fields();
        let a = f.hash(GENESIS_HASH);
        f.actor = Some("");
        assert_ne!(a, f.hash(GENESIS_HASH));
    }
}
