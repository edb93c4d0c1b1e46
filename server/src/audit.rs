//! Writing the audit trail (审计日志).
//!
//! [`append`] takes the caller's open transaction, so an entry is committed
//! together with the change it records, or not at all. Transactions that
//! write begin `IMMEDIATE` ([`crate::state::AppState::write_tx`]), so reading
//! the chain head and appending after it cannot interleave with another
//! writer. Each entry and the head also get a MAC made with the key kept
//! outside the database ([`crate::keys`]): rewriting the log consistently,
//! hashes and all, needs that key.

use chrono::{SecondsFormat, Utc};
use gongzhi_domain::audit::{AuditAction, AuditFields, GENESIS_HASH};
use gongzhi_domain::Role;
use sqlx::AnyConnection;

use crate::error::AppError;
use crate::state::AppState;

/// The audit trail's name among the keyed chains.
pub const CHAIN: &str = "audit";

/// Who acted, from where.
#[derive(Clone, Debug)]
pub struct Who {
    pub actor: Option<String>,
    pub role: Option<Role>,
    pub client: String,
}

impl Who {
    pub fn anonymous(client: &str, tried_username: Option<&str>) -> Self {
        Self { actor: tried_username.map(str::to_string), role: None, client: client.to_string() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One thing that happened.
#[derive(Clone, Debug)]
pub struct Event {
    pub action: AuditAction,
    pub object: String,
    pub outcome: Outcome,
    pub detail: serde_json::Value,
}

impl Event {
    pub fn new(action: AuditAction, object: impl Into<String>, outcome: Outcome) -> Self {
        Self { action, object: object.into(), outcome, detail: serde_json::Value::Object(Default::default()) }
    }

    pub fn success(action: AuditAction, object: impl Into<String>) -> Self {
        Self::new(action, object, Outcome::Success)
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Appends `event` to the chain inside the caller's transaction.
pub async fn append(conn: &mut AnyConnection, who: &Who, event: &Event) -> Result<i64, sqlx::Error> {
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_optional(&mut *conn).await?;
    let (prev_seq, prev_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
    let seq = prev_seq + 1;
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let detail = event.detail.to_string();
    let fields = AuditFields {
        seq,
        at: &at,
        actor: who.actor.as_deref(),
        role: who.role.map(Role::code),
        action: event.action.code(),
        object: &event.object,
        outcome: event.outcome.code(),
        client_addr: &who.client,
        detail: &detail,
    };
    let hash = fields.hash(&prev_hash);
    let key = crate::keys::connection_chain_key(&mut *conn).await?;
    let mac = crate::keys::link_mac(&key, CHAIN, seq, &hash);
    let head_mac = crate::keys::head_mac(&key, CHAIN, seq, &hash);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, role, action, object, outcome, client_addr, detail, prev_hash, hash, mac)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(seq)
    .bind(&at)
    .bind(fields.actor)
    .bind(fields.role)
    .bind(fields.action)
    .bind(fields.object)
    .bind(fields.outcome)
    .bind(fields.client_addr)
    .bind(&detail)
    .bind(&prev_hash)
    .bind(&hash)
    .bind(&mac)
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, $1, $2, $3) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac")
        .bind(seq)
        .bind(&hash)
        .bind(&head_mac)
        .execute(&mut *conn)
        .await?;
    Ok(seq)
}

/// Records an event that changes nothing else (a refusal, a read) in a
/// transaction of its own.
pub async fn record(state: &AppState, who: &Who, event: &Event) -> Result<(), AppError> {
    let mut tx = state.write_tx().await?;
    append(&mut tx, who, event).await?;
    tx.commit().await?;
    Ok(())
}
