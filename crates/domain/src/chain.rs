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
    /// The link's sequence number as stored.
    pub seq: i64,
    /// The previous link's hash as stored.
    pub prev_hash: &'a str,
    /// The link's hash as stored.
    pub hash: &'a str,
    /// `link_hash` of the stored content and stored `prev_hash`.
    pub recomputed: &'a str,
}

/// Where and why a chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ChainBreak {
    /// A link's content no longer matches its hash: it was changed.
    ContentChanged {
        /// The changed link.
        seq: i64,
    },
    /// A link does not follow the one before it: links were deleted or
    /// reordered before it.
    LinkBroken {
        /// The first link that does not follow.
        seq: i64,
    },
    /// Sequence numbers jump: links are missing.
    Missing {
        /// The number that should come next.
        expected_seq: i64,
        /// The number found.
        found_seq: i64,
    },
    /// The log ends before (or after) the recorded head.
    HeadMismatch {
        /// Where the head says the log ends.
        head_seq: i64,
        /// Where it really ends.
        last_seq: i64,
    },
    /// A keyed link's MAC (made with the key kept outside the database)
    /// does not match: the link was rewritten, hashes and all, by someone
    /// without the key.
    MacMismatch {
        /// The link whose MAC is wrong.
        seq: i64,
    },
    /// The recorded head's MAC does not match: the end of the log was cut
    /// off (or the head rewritten) without the key.
    HeadForged {
        /// The head's recorded length.
        head_seq: i64,
    },
    /// The record of where keyed links begin was changed or forged.
    AnchorForged {
        /// The first keyed link, as recorded.
        keyed_from: i64,
    },
    /// The log is shorter than an exported checkpoint says it was.
    CheckpointTruncated {
        /// The length the checkpoint recorded.
        checkpoint_len: i64,
        /// The log's last link now.
        last_seq: i64,
    },
    /// The link at the checkpoint's length differs from the checkpoint's
    /// head: that link or one before it was rewritten since.
    CheckpointDiffers {
        /// The link at the checkpoint's length.
        seq: i64,
    },
}

impl ChainBreak {
    /// The first link found broken (for `HeadMismatch`, the first missing).
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::ContentChanged { seq } | ChainBreak::LinkBroken { seq } => *seq,
            ChainBreak::Missing { expected_seq, .. } => *expected_seq,
            ChainBreak::HeadMismatch { last_seq, .. } => last_seq + 1,
            ChainBreak::MacMismatch { seq } | ChainBreak::CheckpointDiffers { seq } => *seq,
            ChainBreak::HeadForged { head_seq } => *head_seq,
            ChainBreak::AnchorForged { keyed_from } => *keyed_from,
            ChainBreak::CheckpointTruncated { last_seq, .. } => last_seq + 1,
        }
    }

    /// The stable code of the reason.
    pub fn reason(&self) -> &'static str {
        match self {
            ChainBreak::ContentChanged { .. } => "content_changed",
            ChainBreak::LinkBroken { .. } => "link_broken",
            ChainBreak::Missing { .. } => "missing",
            ChainBreak::HeadMismatch { .. } => "head_mismatch",
            ChainBreak::MacMismatch { .. } => "mac_mismatch",
            ChainBreak::HeadForged { .. } => "head_forged",
            ChainBreak::AnchorForged { .. } => "anchor_forged",
            ChainBreak::CheckpointTruncated { .. } => "checkpoint_truncated",
            ChainBreak::CheckpointDiffers { .. } => "checkpoint_differs",
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
            ChainBreak::MacMismatch { seq } => {
                format!("第 {seq} 条{noun}的密钥校验码不符:该记录被改写(哈希已重算,但没有库外密钥)。")
            }
            ChainBreak::HeadForged { head_seq } => {
                format!("{noun}末尾的密钥校验码不符:记录被截断或末尾被改写(应到第 {head_seq} 条)。")
            }
            ChainBreak::AnchorForged { keyed_from } => {
                format!("{noun}的密钥起点(第 {keyed_from} 条)被篡改。")
            }
            ChainBreak::CheckpointTruncated { checkpoint_len, last_seq } => {
                format!("{noun}比检查点少:导出检查点时已有 {checkpoint_len} 条,现在只到第 {last_seq} 条(记录被截断)。")
            }
            ChainBreak::CheckpointDiffers { seq } => {
                format!("第 {seq} 条{noun}与检查点不符:该条或其之前的记录在导出检查点后被改写。")
            }
        }
    }
}

/// A checkpoint file that cannot be trusted as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckpointError {
    /// Not a checkpoint file of this system.
    Malformed,
    /// The signature does not match: the file was changed, or signed with
    /// another key.
    BadSignature,
}

impl crate::error::DomainError for CheckpointError {
    fn code(&self) -> &'static str {
        match self {
            CheckpointError::Malformed => "checkpoint_malformed",
            CheckpointError::BadSignature => "checkpoint_bad_signature",
        }
    }

    fn message(&self) -> String {
        match self {
            CheckpointError::Malformed => "检查点文件格式不正确,不是本系统导出的审计检查点。",
            CheckpointError::BadSignature => "检查点文件的签名无效:文件被改动过,或不是用本系统的密钥导出的。",
        }
        .to_string()
    }
}

/// Checks a keyed link: links from `keyed_from` on (those written since the
/// chain was anchored to a key outside the database) must carry a valid MAC.
/// Earlier links, written before keys existed, are checked by hash only.
pub fn check_mac(seq: i64, keyed_from: i64, mac_valid: bool) -> Result<(), ChainBreak> {
    if seq >= keyed_from && !mac_valid {
        return Err(ChainBreak::MacMismatch { seq });
    }
    Ok(())
}

/// Compares a chain with a checkpoint exported earlier (`checkpoint_len`
/// links ending in `checkpoint_head`): `hash_at_len` is the stored hash of
/// link `checkpoint_len` (if it still exists) and `last_seq` the chain's last
/// link. The chain itself must also verify, which ties every link before
/// the checkpoint's to it.
pub fn check_checkpoint(
    checkpoint_len: i64,
    checkpoint_head: &str,
    hash_at_len: Option<&str>,
    last_seq: i64,
) -> Result<(), ChainBreak> {
    if checkpoint_len == 0 {
        return Ok(());
    }
    match hash_at_len {
        None => Err(ChainBreak::CheckpointTruncated { checkpoint_len, last_seq: last_seq.min(checkpoint_len - 1) }),
        Some(h) if h == checkpoint_head => Ok(()),
        Some(_) => Err(ChainBreak::CheckpointDiffers { seq: checkpoint_len }),
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
    /// A verifier expecting link 1 after the genesis hash.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_links_need_a_valid_mac_legacy_links_do_not() {
        assert_eq!(check_mac(3, 5, false), Ok(()));
        assert_eq!(check_mac(5, 5, true), Ok(()));
        assert_eq!(check_mac(5, 5, false), Err(ChainBreak::MacMismatch { seq: 5 }));
    }

    #[test]
    fn checkpoints_catch_truncation_and_rewrites() {
        assert_eq!(check_checkpoint(0, GENESIS_HASH, None, 0), Ok(()));
        assert_eq!(check_checkpoint(4, "h4", Some("h4"), 9), Ok(()));
        assert_eq!(
            check_checkpoint(4, "h4", None, 2),
            Err(ChainBreak::CheckpointTruncated { checkpoint_len: 4, last_seq: 2 })
        );
        assert_eq!(check_checkpoint(4, "h4", Some("x"), 9), Err(ChainBreak::CheckpointDiffers { seq: 4 }));
        let m = ChainBreak::CheckpointTruncated { checkpoint_len: 4, last_seq: 2 }.message("审计记录");
        assert!(m.contains("4 条") && m.contains("第 2 条"), "{m}");
    }
}
