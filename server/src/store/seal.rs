//! A community's seal register (用印登记簿) as stored: one keyed hash chain per
//! community; and the catalogue's province and city editions.

use chrono::{Datelike, NaiveDate, Utc};
use gongzhi_domain::chain::GENESIS_HASH;
use gongzhi_domain::seal::{compose, register_no, Catalog, CatalogLayer, RegisterEntry};
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

/// One stored edition of a catalogue layer.
#[derive(Debug, sqlx::FromRow)]
pub struct LayerRow {
    pub id: i64,
    pub body: String,
    pub loaded_by: String,
    pub loaded_at: String,
}

impl LayerRow {
    /// The edition as loaded (its body was checked before it was stored).
    pub fn layer(&self) -> Result<CatalogLayer, sqlx::Error> {
        serde_json::from_str(&self.body).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }
}

/// Every province and city edition, oldest first.
pub async fn layer_rows(conn: &mut AnyConnection) -> Result<Vec<LayerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.body, a.display_name AS loaded_by, l.loaded_at
         FROM seal_catalog_layers l JOIN accounts a ON a.id = l.loaded_by ORDER BY l.id",
    )
    .fetch_all(conn)
    .await
}

/// The catalogue in force on `day`: the national edition (with where-to-go
/// texts) and the stored editions composed.
pub async fn catalog_on(conn: &mut AnyConnection, day: NaiveDate) -> Result<Catalog, sqlx::Error> {
    let layers = layer_rows(conn).await?.iter().map(LayerRow::layer).collect::<Result<Vec<_>, _>>()?;
    Ok(compose(&CatalogLayer::national(true), &layers, day))
}

/// Stores a checked edition; `None` when its level already has that version.
pub async fn insert_layer(
    conn: &mut AnyConnection,
    layer: &CatalogLayer,
    loaded_by: i64,
    loaded_at: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let body = serde_json::to_string(layer).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_scalar(
        "INSERT INTO seal_catalog_layers (level, version, region, effective_from, body, body_sha256, loaded_by, loaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (level, version) DO NOTHING RETURNING id",
    )
    .bind(layer.level.code())
    .bind(&layer.version)
    .bind(&layer.region)
    .bind(layer.effective_from.to_string())
    .bind(&body)
    .bind(crate::auth::sha256_hex(&body))
    .bind(loaded_by)
    .bind(loaded_at)
    .fetch_optional(conn)
    .await
}

/// A name recorded outside the catalogue: how often, in how many
/// communities, and when last.
#[derive(Debug, sqlx::FromRow)]
pub struct UncataloguedRow {
    pub name: String,
    pub requests: i64,
    pub communities: i64,
    pub last_at: String,
}

/// Matters recorded by name outside the catalogue, most asked first.
pub async fn uncatalogued(conn: &mut AnyConnection) -> Result<Vec<UncataloguedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT matter_name AS name, COUNT(*) AS requests, COUNT(DISTINCT community_id) AS communities,
                MAX(created_at) AS last_at
         FROM seal_requests WHERE matter_code = '' GROUP BY matter_name ORDER BY COUNT(*) DESC, matter_name LIMIT 500",
    )
    .fetch_all(conn)
    .await
}
