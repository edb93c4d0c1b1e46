//! A community's seal register (用印登记簿) as stored: one keyed hash chain per
//! community.

use chrono::{Datelike, Utc};
use gongzhi_domain::chain::GENESIS_HASH;
use gongzhi_domain::seal::{register_no, RegisterEntry};
use gongzhi_domain::time::shanghai_date;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The name of a community's register among the keyed chains.
pub fn register_chain(community_id: i64) -> String {
    format!("seal:{community_id}")
}

/// Appends `entry` to its community's register chain; fills in `seq`,
/// `register_no`, `prev_hash` and `hash`.
pub async fn append_register(
    conn: &mut AnyConnection,
    community_code: &str,
    mut entry: RegisterEntry,
) -> Result<RegisterEntry, sqlx::Error> {
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM seal_register_head WHERE community_id = $1")
            .bind(entry.community_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (prev_seq, prev_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
    entry.seq = prev_seq + 1;
    entry.register_no = register_no(community_code, shanghai_date(Utc::now()).year(), entry.seq);
    entry.prev_hash = prev_hash;
    entry.hash = entry.compute_hash(&entry.prev_hash);
    let chain = register_chain(entry.community_id);
    let key = crate::keys::connection_chain_key(&mut *conn).await?;
    let mac = crate::keys::link_mac(&key, &chain, entry.seq, &entry.hash);
    let head_mac = crate::keys::head_mac(&key, &chain, entry.seq, &entry.hash);
    sqlx::query(
        "INSERT INTO seal_register (community_id, seq, register_no, request_id, kind, corrects_seq, at, matter, copies,
            approver, handler, applicant, content_sha256, note, prev_hash, hash, mac)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(entry.community_id)
    .bind(entry.seq)
    .bind(&entry.register_no)
    .bind(entry.request_id)
    .bind(&entry.kind)
    .bind(entry.corrects_seq)
    .bind(&entry.at)
    .bind(&entry.matter)
    .bind(entry.copies)
    .bind(&entry.approver)
    .bind(&entry.handler)
    .bind(&entry.applicant)
    .bind(&entry.content_sha256)
    .bind(&entry.note)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .bind(&mac)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO seal_register_head (community_id, seq, hash, mac) VALUES ($1, $2, $3, $4)
         ON CONFLICT(community_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
    )
    .bind(entry.community_id)
    .bind(entry.seq)
    .bind(&entry.hash)
    .bind(&head_mac)
    .execute(&mut *conn)
    .await?;
    Ok(entry)
}

/// A register entry as stored (also used by tests that tamper with the register).
pub fn register_entry(row: &AnyRow) -> RegisterEntry {
    RegisterEntry {
        community_id: row.get("community_id"),
        seq: row.get("seq"),
        register_no: row.get("register_no"),
        request_id: row.get("request_id"),
        kind: row.get("kind"),
        corrects_seq: row.get("corrects_seq"),
        at: row.get("at"),
        matter: row.get("matter"),
        copies: row.get("copies"),
        approver: row.get("approver"),
        handler: row.get("handler"),
        applicant: row.get("applicant"),
        content_sha256: row.get("content_sha256"),
        note: row.get("note"),
        prev_hash: row.get("prev_hash"),
        hash: row.get("hash"),
    }
}
