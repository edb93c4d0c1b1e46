//! The keyed chains (audit trail and seal registers) checked against the key
//! outside the database, anchoring of chains written before keys existed,
//! and signed checkpoints.
//!
//! A link verifies when its hash matches its content, it follows the link
//! before it, and — from the chain's `keyed_from` on — its MAC matches. The
//! head's MAC ties the end of the chain to the key too. A checkpoint
//! (chain, length, head hash, signed with HMAC-SHA256 under a subkey of the
//! same key) is exported by the audit administrator and kept elsewhere;
//! against it, a rollback of the whole database file or a rewrite by someone
//! holding the key is caught as well.
//!
//! Checkpoints are signed with HMAC rather than a public-key signature: they
//! are verified by this system with the same key that verifies the chains,
//! and anyone holding that key could rewrite the chains anyway; HMAC needs no
//! second key pair to manage and no new dependency.

use chrono::{SecondsFormat, Utc};
use gongzhi_api::ChainReport;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::chain::{check_checkpoint, check_mac, ChainBreak, ChainVerifier, CheckpointError};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool, Row};

use crate::keys::Keys;

pub const CHECKPOINT_FORMAT: &str = "gongzhi-checkpoint/1";

/// One chain's state in a checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointChain {
    /// `audit` or `seal:<community id>`.
    pub chain: String,
    /// For people reading the file (not signed).
    #[serde(default)]
    pub name: String,
    pub length: i64,
    pub head: String,
}

/// A signed checkpoint, as exported (JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: String,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub created_by: String,
    pub chains: Vec<CheckpointChain>,
    /// HMAC-SHA256 of [`Checkpoint::signed_text`], hex.
    pub signature: String,
}

impl Checkpoint {
    /// What the signature covers: every field but the names, one per line.
    pub fn signed_text(&self) -> String {
        let mut text = format!("{}\n{}\n{}\n", self.format, self.created_at, self.created_by);
        for c in &self.chains {
            text.push_str(&format!("{}\t{}\t{}\n", c.chain, c.length, c.head));
        }
        text
    }

    pub fn parse(json: &str, keys: &Keys) -> Result<Self, CheckpointError> {
        let cp: Checkpoint = serde_json::from_str(json).map_err(|_| CheckpointError::Malformed)?;
        if cp.format != CHECKPOINT_FORMAT {
            return Err(CheckpointError::Malformed);
        }
        let expected = keys.checkpoint_mac(&cp.signed_text());
        if !crate::auth::constant_time_eq(&expected, &cp.signature) {
            return Err(CheckpointError::BadSignature);
        }
        Ok(cp)
    }
}

/// Which kind of chain, for messages.
fn noun(chain: &str) -> &'static str {
    if chain.starts_with("seal:") {
        gongzhi_domain::seal::REGISTER_NOUN
    } else {
        gongzhi_domain::audit::NOUN
    }
}

/// Where the keyed links of `chain` begin; a forged anchor is a break.
async fn keyed_from(db: &AnyPool, keys: &Keys, chain: &str) -> Result<Result<i64, ChainBreak>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT keyed_from, mac FROM chain_anchor WHERE chain = $1")
        .bind(chain)
        .fetch_optional(db)
        .await?;
    Ok(match row {
        None => Ok(1),
        Some((k, mac)) if crate::auth::constant_time_eq(&keys.anchor_mac(chain, k), &mac) => Ok(k),
        Some((k, _)) => Err(ChainBreak::AnchorForged { keyed_from: k }),
    })
}

/// Streams one chain's links through the hash, MAC and head checks.
struct KeyedCheck<'k> {
    keys: &'k Keys,
    chain: String,
    keyed_from: i64,
    verifier: ChainVerifier,
    checked: i64,
    last_seq: i64,
    /// The stored hash of the link a checkpoint ends at, once seen.
    at_checkpoint: Option<(i64, Option<String>)>,
}

impl<'k> KeyedCheck<'k> {
    fn push(
        &mut self,
        seq: i64,
        hash: &str,
        mac: Option<&str>,
        verify: impl FnOnce(&mut ChainVerifier) -> Result<(), ChainBreak>,
    ) -> Result<(), ChainBreak> {
        verify(&mut self.verifier)?;
        let valid = mac.is_some_and(|m| crate::auth::constant_time_eq(m, &self.keys.link_mac(&self.chain, seq, hash)));
        check_mac(seq, self.keyed_from, valid)?;
        if let Some((len, found)) = &mut self.at_checkpoint {
            if *len == seq {
                *found = Some(hash.to_string());
            }
        }
        self.checked += 1;
        self.last_seq = seq;
        Ok(())
    }

    fn finish(self, head: Option<(i64, String, Option<String>)>) -> Result<i64, ChainBreak> {
        let Self { keys, chain, keyed_from, verifier, last_seq, .. } = self;
        let n = verifier.finish(head.as_ref().map(|(s, h, _)| (*s, h.as_str())))?;
        if let Some((seq, hash, mac)) = &head {
            let valid =
                mac.as_deref().is_some_and(|m| crate::auth::constant_time_eq(m, &keys.head_mac(&chain, *seq, hash)));
            if *seq >= keyed_from && !valid {
                return Err(ChainBreak::HeadForged { head_seq: *seq });
            }
        }
        // An anchored chain had links before it was keyed: they cannot vanish.
        if last_seq < keyed_from - 1 {
            return Err(ChainBreak::HeadMismatch { head_seq: keyed_from - 1, last_seq });
        }
        Ok(n)
    }
}

/// One chain's result, with its name.
#[derive(Clone, Debug)]
pub struct ChainResult {
    pub chain: String,
    pub name: String,
    pub report: ChainReport,
    /// Length and head hash when intact.
    pub head: Option<(i64, String)>,
}

fn report(
    chain: &str,
    checked: i64,
    result: Result<i64, ChainBreak>,
    intact_msg: impl FnOnce(i64) -> String,
) -> ChainReport {
    match result {
        Ok(n) => ChainReport::intact(n, intact_msg(n)),
        Err(broken) => ChainReport::broken(checked, &broken, noun(chain)),
    }
}

/// Verifies the audit trail, and against `checkpoint` when given.
pub async fn verify_audit(
    db: &AnyPool,
    keys: &Keys,
    checkpoint: Option<&CheckpointChain>,
) -> Result<ChainResult, sqlx::Error> {
    let chain = crate::audit::CHAIN;
    let name = "审计日志".to_string();
    let keyed_from = match keyed_from(db, keys, chain).await? {
        Ok(k) => k,
        Err(b) => {
            return Ok(ChainResult {
                chain: chain.into(),
                name,
                report: ChainReport::broken(0, &b, noun(chain)),
                head: None,
            })
        }
    };
    let mut check = KeyedCheck {
        keys,
        chain: chain.to_string(),
        keyed_from,
        verifier: ChainVerifier::new(),
        checked: 0,
        last_seq: 0,
        at_checkpoint: checkpoint.map(|c| (c.length, None)),
    };
    let mut after = 0i64;
    loop {
        let rows = sqlx::query("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000")
            .bind(after)
            .fetch_all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.get("seq");
        for row in &rows {
            let e = crate::store::audit::entry(row);
            let mac: Option<String> = row.get("mac");
            if let Err(b) = check.push(e.seq, &e.hash, mac.as_deref(), |v| e.verify_into(v)) {
                return Ok(ChainResult {
                    chain: chain.into(),
                    name,
                    report: ChainReport::broken(check.checked, &b, noun(chain)),
                    head: None,
                });
            }
        }
    }
    let head: Option<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT seq, hash, mac FROM audit_head WHERE id = 1").fetch_optional(db).await?;
    Ok(finish(check, head, checkpoint, name, |n| {
        format!("审计日志完整:共 {n} 条记录,未被改动(已用库外密钥逐条核对)。")
    }))
}

fn finish(
    check: KeyedCheck<'_>,
    head: Option<(i64, String, Option<String>)>,
    checkpoint: Option<&CheckpointChain>,
    name: String,
    intact_msg: impl FnOnce(i64) -> String,
) -> ChainResult {
    let chain = check.chain.clone();
    let checked = check.checked;
    let last_seq = check.last_seq;
    let found = check.at_checkpoint.clone().and_then(|(_, h)| h);
    let head_pair = head.as_ref().map(|(s, h, _)| (*s, h.clone()));
    let mut result = check.finish(head);
    if let (Ok(_), Some(cp)) = (&result, checkpoint) {
        if let Err(b) = check_checkpoint(cp.length, &cp.head, found.as_deref(), last_seq) {
            result = Err(b);
        }
    }
    let intact = result.is_ok();
    let mut report = report(&chain, checked, result, intact_msg);
    if intact && checkpoint.is_some() {
        report.message.push_str("与检查点一致。");
    }
    ChainResult {
        chain,
        name,
        head: if intact { Some(head_pair.unwrap_or((0, gongzhi_domain::chain::GENESIS_HASH.into()))) } else { None },
        report,
    }
}

/// Verifies one community's seal register, and against `checkpoint` when given.
pub async fn verify_register(
    db: &AnyPool,
    keys: &Keys,
    community_id: i64,
    checkpoint: Option<&CheckpointChain>,
) -> Result<ChainResult, sqlx::Error> {
    let chain = crate::store::seal::register_chain(community_id);
    let name: String = sqlx::query_scalar("SELECT name FROM org_nodes WHERE id = $1")
        .bind(community_id)
        .fetch_optional(db)
        .await?
        .map(|n: String| format!("{n}用印登记簿"))
        .unwrap_or_else(|| format!("社区 {community_id} 用印登记簿"));
    let keyed_from = match keyed_from(db, keys, &chain).await? {
        Ok(k) => k,
        Err(b) => return Ok(ChainResult { report: ChainReport::broken(0, &b, noun(&chain)), chain, name, head: None }),
    };
    let rows = sqlx::query("SELECT * FROM seal_register WHERE community_id = $1 ORDER BY seq")
        .bind(community_id)
        .fetch_all(db)
        .await?;
    let mut check = KeyedCheck {
        keys,
        chain: chain.clone(),
        keyed_from,
        verifier: ChainVerifier::new(),
        checked: 0,
        last_seq: 0,
        at_checkpoint: checkpoint.map(|c| (c.length, None)),
    };
    for row in &rows {
        let e = crate::store::seal::register_entry(row);
        let mac: Option<String> = row.get("mac");
        if let Err(b) = check.push(e.seq, &e.hash, mac.as_deref(), |v| e.verify_into(v)) {
            return Ok(ChainResult {
                report: ChainReport::broken(check.checked, &b, noun(&chain)),
                chain,
                name,
                head: None,
            });
        }
    }
    let head: Option<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT seq, hash, mac FROM seal_register_head WHERE community_id = $1")
            .bind(community_id)
            .fetch_optional(db)
            .await?;
    Ok(finish(check, head, checkpoint, name, |n| {
        format!("用印登记簿完整:共 {n} 条登记,未被改动(已用库外密钥逐条核对)。")
    }))
}

/// Every community that has (or had) a seal register.
async fn register_communities(db: &AnyPool) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT community_id FROM seal_register UNION SELECT community_id FROM seal_register_head
         UNION SELECT CAST(substr(chain, 6) AS BIGINT) FROM chain_anchor WHERE chain LIKE 'seal:%' ORDER BY 1",
    )
    .fetch_all(db)
    .await
}

/// Every chain, each checked against its line in `checkpoint` if any; a chain
/// the checkpoint names that no longer exists is reported truncated.
pub async fn verify_all(
    db: &AnyPool,
    keys: &Keys,
    checkpoint: Option<&Checkpoint>,
) -> Result<Vec<ChainResult>, sqlx::Error> {
    let line = |chain: &str| checkpoint.and_then(|cp| cp.chains.iter().find(|c| c.chain == chain));
    let mut results = vec![verify_audit(db, keys, line(crate::audit::CHAIN)).await?];
    let communities = register_communities(db).await?;
    for &id in &communities {
        let chain = crate::store::seal::register_chain(id);
        results.push(verify_register(db, keys, id, line(&chain)).await?);
    }
    if let Some(cp) = checkpoint {
        for c in &cp.chains {
            if c.length > 0 && !results.iter().any(|r| r.chain == c.chain) {
                let b = ChainBreak::CheckpointTruncated { checkpoint_len: c.length, last_seq: 0 };
                results.push(ChainResult {
                    chain: c.chain.clone(),
                    name: c.name.clone(),
                    report: ChainReport::broken(0, &b, noun(&c.chain)),
                    head: None,
                });
            }
        }
    }
    Ok(results)
}

/// A signed checkpoint of every chain as it stands (read in `conn`, inside the
/// transaction that records the export).
pub async fn checkpoint(conn: &mut AnyConnection, keys: &Keys, created_by: &str) -> Result<Checkpoint, sqlx::Error> {
    let mut chains = Vec::new();
    let audit: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_optional(&mut *conn).await?;
    let (length, head) = audit.unwrap_or((0, gongzhi_domain::chain::GENESIS_HASH.into()));
    chains.push(CheckpointChain { chain: crate::audit::CHAIN.into(), name: "审计日志".into(), length, head });
    let seals = sqlx::query(
        "SELECT h.community_id, h.seq, h.hash, n.name FROM seal_register_head h JOIN org_nodes n ON n.id = h.community_id ORDER BY h.community_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in &seals {
        chains.push(CheckpointChain {
            chain: crate::store::seal::register_chain(row.get("community_id")),
            name: format!("{}用印登记簿", row.get::<String, _>("name")),
            length: row.get("seq"),
            head: row.get("hash"),
        });
    }
    let mut cp = Checkpoint {
        format: CHECKPOINT_FORMAT.into(),
        created_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        created_by: created_by.into(),
        chains,
        signature: String::new(),
    };
    cp.signature = keys.checkpoint_mac(&cp.signed_text());
    Ok(cp)
}

/// Chains written before keys existed get an anchor (where their keyed links
/// begin, MAC'd) and a keyed head, once per key directory: the marker file
/// beside the key says it was done, so a later start never re-anchors a chain
/// whose MACs were stripped.
pub async fn anchor_legacy(db: &AnyPool, keys: &Keys) -> anyhow::Result<()> {
    let marker = keys.dir.join(crate::keys::ANCHORED_MARKER);
    if marker.exists() {
        return Ok(());
    }
    let mut tx = crate::db::write_tx(db).await?;
    let mut anchored = Vec::new();
    let audit_legacy: Option<i64> =
        sqlx::query_scalar("SELECT MAX(seq) FROM audit_log WHERE mac IS NULL").fetch_one(&mut *tx).await?;
    if let Some(last) = audit_legacy {
        anchored.push((crate::audit::CHAIN.to_string(), last + 1));
    }
    let seals: Vec<(i64, i64)> =
        sqlx::query_as("SELECT community_id, MAX(seq) FROM seal_register WHERE mac IS NULL GROUP BY community_id")
            .fetch_all(&mut *tx)
            .await?;
    for (community, last) in seals {
        anchored.push((crate::store::seal::register_chain(community), last + 1));
    }
    for (chain, keyed_from) in &anchored {
        sqlx::query(
            "INSERT INTO chain_anchor (chain, keyed_from, mac) VALUES ($1, $2, $3) ON CONFLICT (chain) DO NOTHING",
        )
        .bind(chain)
        .bind(keyed_from)
        .bind(keys.anchor_mac(chain, *keyed_from))
        .execute(&mut *tx)
        .await?;
    }
    // Legacy heads get their MAC (heads are state, not log: updating is fine).
    let heads: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT 0, seq, hash FROM audit_head WHERE mac IS NULL UNION ALL SELECT community_id, seq, hash FROM seal_register_head WHERE mac IS NULL",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (community, seq, hash) in heads {
        if community == 0 {
            let mac = keys.head_mac(crate::audit::CHAIN, seq, &hash);
            sqlx::query("UPDATE audit_head SET mac = $1 WHERE id = 1").bind(mac).execute(&mut *tx).await?;
        } else {
            let mac = keys.head_mac(&crate::store::seal::register_chain(community), seq, &hash);
            sqlx::query("UPDATE seal_register_head SET mac = $1 WHERE community_id = $2")
                .bind(mac)
                .bind(community)
                .execute(&mut *tx)
                .await?;
        }
    }
    if !anchored.is_empty() {
        let detail = serde_json::json!({
            "chains": anchored.iter().map(|(c, k)| serde_json::json!({ "chain": c, "keyed_from": k })).collect::<Vec<_>>()
        });
        let who = crate::audit::Who { actor: None, role: None, client: "server".into() };
        crate::audit::append(
            &mut tx,
            &who,
            &crate::audit::Event::success(AuditAction::AuditChainAnchor, "audit_log").detail(detail),
        )
        .await?;
    }
    tx.commit().await?;
    std::fs::write(&marker, format!("chains anchored at {}\n", Utc::now().to_rfc3339()))?;
    if !anchored.is_empty() {
        tracing::info!(?anchored, "chains written before keys existed are anchored; new links are keyed");
    }
    Ok(())
}
