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
    pub at: String,
    /// The acting account's login name, if any (a failed login names the
    /// name that was tried).
    pub actor: Option<String>,
    pub role: Option<String>,
    /// What was done, e.g. `auth.login`, `account.create`.
    pub action: String,
    /// What it was done to, e.g. `account:12`.
    pub object: String,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    pub client_addr: String,
    /// Extra facts as JSON text.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields that go into an entry before it is chained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: Option<&'a str>,
    pub role: Option<&'a str>,
    pub action: &'a str,
    pub object: &'a str,
    pub outcome: &'a str,
    pub client_addr: &'a str,
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

/// The Chinese name of an audit action, for the audit viewer and exports.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "auth.login" => "登录",
        "auth.logout" => "退出登录",
        "auth.password_change" => "修改密码",
        "auth.csrf" => "跨站请求校验失败",
        "account.create" => "新建账号",
        "account.read" => "查看账号",
        "account.list" => "查看账号列表",
        "account.disable" => "停用账号",
        "account.enable" => "启用账号",
        "account.reset_password" => "重置密码",
        "org.create" => "新增组织节点",
        "org.read" => "查看组织节点",
        "department.create" => "新增职能部门",
        "security.policy_read" => "查看安全策略",
        "security.policy_update" => "修改安全策略",
        "calendar.upload" => "导入节假日安排",
        "calendar.deadline_moved" => "暂定截止日期更正",
        "audit.list" => "查看审计日志",
        "audit.verify" => "校验审计日志",
        "audit.export" => "导出审计日志",
        "audit.checkpoint" => "导出审计检查点",
        "audit.chain_anchor" => "审计链接入库外密钥",
        "auth.totp_enrol" => "开始绑定身份验证器",
        "auth.totp_confirm" => "绑定身份验证器",
        "auth.totp_verify" => "动态验证码登录验证",
        "auth.recovery_code" => "使用恢复码登录",
        "resident.list" => "查看居民列表",
        "resident.read" => "查看居民信息",
        "resident.reveal" => "查看居民完整个人信息",
        "system.bootstrap" => "系统初始化",
        "system.install_admin" => "服务器上创建或重置三员账号",
        "seal.request" => "登记证明申请",
        "seal.review" => "审核证明申请",
        "seal.approve" => "批准用印",
        "seal.refuse" => "不予出具证明",
        "seal.stamp" => "用印",
        "seal.correct" => "用印登记更正",
        "seal.register_export" => "导出用印登记簿",
        "seal.list" => "查看证明申请列表",
        "seal.read" => "查看证明申请",
        "seal.register" => "查看用印登记簿",
        "seal.register_verify" => "校验用印登记簿",
        "admission.submit" => "提交准入申请",
        "admission.paper" => "登记纸质准入申请",
        "admission.list" => "查看准入申请列表",
        "admission.read" => "查看准入申请",
        "admission.meta" => "查看准入表单数据",
        "admission.accept" => "受理准入申请",
        "admission.return" => "退回补正",
        "admission.resubmit" => "补正后重新提交",
        "admission.consult" => "商请部门",
        "admission.opinion" => "录入部门意见",
        "admission.solicit" => "征求意见",
        "admission.solicited" => "录入征求到的意见",
        "admission.send_to_group" => "报领导小组审定",
        "admission.approve" => "准予准入",
        "admission.reject" => "不予准入",
        "admission.extend" => "延长办理期限",
        "admission.deliver" => "反馈审批结果",
        "admission.withdraw" => "撤回准入申请",
        "admission.guide" => "指定指导培训人员",
        "admission.training" => "登记社区培训",
        "funding.ledger" => "查看经费拨付台账",
        "funding.summary" => "查看经费保障看板",
        "funding.export" => "导出经费拨付台账",
        "funding.summary_export" => "导出经费保障汇总",
        "funding.payments" => "查看拨付记录",
        "funding.pay" => "登记拨付",
        "funding.correct" => "更正拨付",
        "purchase.create" => "登记购买服务事项",
        "purchase.accept" => "购买服务验收",
        "cleanup.entries" => "查看清理登记",
        "cleanup.add" => "新增清理登记",
        "cleanup.campaigns" => "查看清理行动",
        "cleanup.start" => "发起清理行动",
        "cleanup.review" => "清理意见",
        "cleanup.close" => "结束清理行动",
        "grid.list" => "查看网格列表",
        "grid.map" => "查看网格地图与应访名单",
        "grid.locate" => "定位所在网格",
        "grid.coverage" => "查看网格覆盖情况",
        "grid.import" => "导入网格边界",
        "household.import" => "导入住户与居民",
        "resident.import_change" => "导入变更居民信息",
        "visit.create" => "记录走访",
        "visit.list" => "查看走访记录",
        "event.list" => "查看事件列表",
        "event.read" => "查看事件",
        "event.nearby" => "查询附近事件",
        "event.report" => "上报事件",
        "event.act" => "处理事件",
        "event.register" => "事件受理登记",
        "event.mark_duplicate" => "归并重复事件",
        "event.dispatch" => "派遣事件",
        "event.accept" => "签收事件",
        "event.return" => "退回事件",
        "event.report_back" => "事件处置反馈",
        "event.check_pass" => "事件核查通过",
        "event.check_fail" => "事件核查不通过",
        "event.close" => "事件结案",
        _ => "其他操作",
    }
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
