//! The audit trail (审计日志) as a hash chain.
//!
//! Each entry carries the SHA-256 of its own content together with the hash
//! of the entry before it, so that changing, deleting or reordering any
//! stored row breaks the chain at that row. The server keeps the chain head
//! (last sequence number and hash) beside the log, so that cutting entries
//! off the end is caught too.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
    /// The entry's hash given the previous one. Every field is length-prefixed
    /// so that no two different entries serialise the same.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        let parts: [Option<&str>; 10] = [
            Some(&seq),
            Some(self.at),
            self.actor,
            self.role,
            Some(self.action),
            Some(self.object),
            Some(self.outcome),
            Some(self.client_addr),
            Some(self.detail),
            Some(prev_hash),
        ];
        for part in parts {
            match part {
                Some(p) => {
                    h.update((p.len() as u64).to_be_bytes());
                    h.update(p.as_bytes());
                }
                None => h.update(u64::MAX.to_be_bytes()),
            }
        }
        to_hex(&h.finalize())
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

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
        "audit.list" => "查看审计日志",
        "audit.verify" => "校验审计日志",
        "audit.export" => "导出审计日志",
        "resident.list" => "查看居民列表",
        "resident.read" => "查看居民信息",
        "resident.reveal" => "查看居民完整个人信息",
        "system.bootstrap" => "系统初始化",
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

/// Where and why the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ChainBreak {
    /// An entry's content no longer matches its hash: it was changed.
    ContentChanged { seq: i64 },
    /// An entry does not follow the one before it: entries were deleted or
    /// reordered before it.
    LinkBroken { seq: i64 },
    /// Sequence numbers jump: entries are missing.
    Missing { expected_seq: i64, found_seq: i64 },
    /// The log ends before (or after) the recorded head: entries were cut
    /// off the end, or the head does not match.
    HeadMismatch { head_seq: i64, last_seq: i64 },
}

impl ChainBreak {
    /// The first entry found broken (for `HeadMismatch`, the first missing).
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::ContentChanged { seq } | ChainBreak::LinkBroken { seq } => *seq,
            ChainBreak::Missing { expected_seq, .. } => *expected_seq,
            ChainBreak::HeadMismatch { last_seq, .. } => last_seq + 1,
        }
    }

    pub fn message(&self) -> String {
        match self {
            ChainBreak::ContentChanged { seq } => format!("第 {seq} 条审计记录的内容已被修改。"),
            ChainBreak::LinkBroken { seq } => {
                format!("第 {seq} 条审计记录与前一条衔接不上:其前面的记录被删除或调换了顺序。")
            }
            ChainBreak::Missing { expected_seq, found_seq } => {
                format!("审计记录缺失:应为第 {expected_seq} 条,实际为第 {found_seq} 条。")
            }
            ChainBreak::HeadMismatch { head_seq, last_seq } => {
                format!("审计记录末尾不完整:应有 {head_seq} 条,实际只到第 {last_seq} 条。")
            }
        }
    }
}

/// Checks a chain entry by entry, in `seq` order, holding only the last hash:
/// a log of any length is verified in constant memory.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self { expected_seq: 1, prev_hash: GENESIS_HASH.to_string() }
    }
}

impl ChainVerifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the next entry.
    pub fn push(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        if entry.fields().hash(&entry.prev_hash) != entry.hash {
            return Err(ChainBreak::ContentChanged { seq: entry.seq });
        }
        if entry.prev_hash != self.prev_hash {
            return Err(ChainBreak::LinkBroken { seq: entry.seq });
        }
        if entry.seq != self.expected_seq {
            return Err(ChainBreak::Missing { expected_seq: self.expected_seq, found_seq: entry.seq });
        }
        self.expected_seq += 1;
        self.prev_hash.clone_from(&entry.hash);
        Ok(())
    }

    /// Ends the check against the recorded head (`seq`, `hash`); returns how
    /// many entries were verified.
    pub fn finish(self, head: Option<(i64, &str)>) -> Result<i64, ChainBreak> {
        let last_seq = self.expected_seq - 1;
        match head {
            None if last_seq == 0 => Ok(0),
            Some((seq, hash)) if seq == last_seq && hash == self.prev_hash => Ok(last_seq),
            Some((seq, _)) => Err(ChainBreak::HeadMismatch { head_seq: seq, last_seq }),
            None => Err(ChainBreak::HeadMismatch { head_seq: 0, last_seq }),
        }
    }
}

/// Convenience: verifies a whole chain held in memory.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    head: Option<(i64, &str)>,
) -> Result<i64, ChainBreak> {
    let mut v = ChainVerifier::new();
    for e in entries {
        v.push(e)?;
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
