//! Hash chains: tamper-evident, append-only logs.
//!
//! Each link stores the SHA-256 of its own content together with the hash of
//! the link before it, so changing, deleting or reordering any stored link
//! breaks the chain at that link. Keep the head (last sequence number and
//! hash) beside the log, and cutting links off the end is caught too. Used by
//! the audit trail (审计日志) and the seal register (用印登记簿).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first link.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of a link: its content parts and the previous hash. Every part is
/// length-prefixed (and an absent part marked) so that no two different
/// contents serialise the same.
pub fn link_hash(parts: &[Option<&str>], prev_hash: &str) -> String {
    let mut h = Sha256::new();
    for part in parts.iter().copied().chain([Some(prev_hash)]) {
        match part {
            Some(p) => {
                h.update((p.len() as u64).to_be_bytes());
                h.update(p.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored link as read back, with its content hashed again.
#[derive(Clone, Copy, Debug)]
pub struct StoredLink<'a> {
    pub seq: i64,
    pub prev_hash: &'a str,
    pub hash: &'a str,
    /// `link_hash` of the stored content and stored `prev_hash`.
    pub recomputed: &'a str,
}

/// Where and why a chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ChainBreak {
    /// A link's content no longer matches its hash: it was changed.
    ContentChanged { seq: i64 },
    /// A link does not follow the one before it: links were deleted or
    /// reordered before it.
    LinkBroken { seq: i64 },
    /// Sequence numbers jump: links are missing.
    Missing { expected_seq: i64, found_seq: i64 },
    /// The log ends before (or after) the recorded head.
    HeadMismatch { head_seq: i64, last_seq: i64 },
}

impl ChainBreak {
    /// The first link found broken (for `HeadMismatch`, the first missing).
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::ContentChanged { seq } | ChainBreak::LinkBroken { seq } => *seq,
            ChainBreak::Missing { expected_seq, .. } => *expected_seq,
            ChainBreak::HeadMismatch { last_seq, .. } => last_seq + 1,
        }
    }

    /// The stable code of the reason.
    pub fn reason(&self) -> &'static str {
        match self {
            ChainBreak::ContentChanged { .. } => "content_changed",
            ChainBreak::LinkBroken { .. } => "link_broken",
            ChainBreak::Missing { .. } => "missing",
            ChainBreak::HeadMismatch { .. } => "head_mismatch",
        }
    }

    /// What is broken, in Chinese; `noun` names a link (`审计记录`, `用印登记`).
    pub fn message(&self, noun: &str) -> String {
        match self {
            ChainBreak::ContentChanged { seq } => format!("第 {seq} 条{noun}的内容已被修改。"),
            ChainBreak::LinkBroken { seq } => {
                format!("第 {seq} 条{noun}与前一条衔接不上:其前面的记录被删除或调换了顺序。")
            }
            ChainBreak::Missing { expected_seq, found_seq } => {
                format!("{noun}缺失:应为第 {expected_seq} 条,实际为第 {found_seq} 条。")
            }
            ChainBreak::HeadMismatch { head_seq, last_seq } => {
                format!("{noun}末尾不完整:应有 {head_seq} 条,实际只到第 {last_seq} 条。")
            }
        }
    }
}

/// Checks a chain link by link, in `seq` order, holding only the last hash:
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

    /// Checks the next link.
    pub fn push(&mut self, link: StoredLink<'_>) -> Result<(), ChainBreak> {
        if link.recomputed != link.hash {
            return Err(ChainBreak::ContentChanged { seq: link.seq });
        }
        if link.prev_hash != self.prev_hash {
            return Err(ChainBreak::LinkBroken { seq: link.seq });
        }
        if link.seq != self.expected_seq {
            return Err(ChainBreak::Missing { expected_seq: self.expected_seq, found_seq: link.seq });
        }
        self.expected_seq += 1;
        link.hash.clone_into(&mut self.prev_hash);
        Ok(())
    }

    /// Ends the check against the recorded head (`seq`, `hash`); returns how
    /// many links were verified.
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
