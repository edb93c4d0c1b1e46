//! The chains anchored outside the database: a consistent rewrite (triggers
//! dropped, hashes recomputed) is caught with the key; against an exported
//! checkpoint, truncation and rewrites by someone holding the key too; the
//! append-only tables refuse UPDATE and DELETE.

mod common;

use axum::http::StatusCode;
use common::{history, TestApp};
use gongzhi_domain::audit::AuditEntry;
use gongzhi_server::keys::Keys;
use serde_json::json;
use sqlx::{AnyPool, Row};

async fn entries(db: &AnyPool) -> Vec<(AuditEntry, Option<String>)> {
    sqlx::query("SELECT * FROM audit_log ORDER BY seq")
        .fetch_all(db)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let e = AuditEntry {
                seq: r.get("seq"),
                at: r.get("at"),
                actor: r.get("actor"),
                role: r.get("role"),
                action: r.get("action"),
                object: r.get("object"),
                outcome: r.get("outcome"),
                client_addr: r.get("client_addr"),
                detail: r.get("detail"),
                prev_hash: r.get("prev_hash"),
                hash: r.get("hash"),
            };
            (e, r.get("mac"))
        })
        .collect()
}

/// Rewrites entry `seq`'s outcome and every hash after it, and the head, as
/// someone with the file but (unless `keys` is given) without the key would.
async fn rewrite_consistently(db: &AnyPool, seq: i64, keys: Option<&Keys>) {
    common::drop_trigger(db, "audit_log_no_update").await;
    common::drop_trigger(db, "audit_log_no_delete").await;
    let mut prev = None::<String>;
    let mut last = None;
    for (mut e, mac) in entries(db).await {
        if e.seq < seq {
            continue;
        }
        if e.seq == seq {
            e.outcome = if e.outcome == "failure" { "success".into() } else { "failure".into() };
        }
        if let Some(p) = prev.take() {
            e.prev_hash = p;
        }
        e.hash = e.fields().hash(&e.prev_hash);
        let mac = keys.map(|k| k.link_mac("audit", e.seq, &e.hash)).or(mac);
        sqlx::query("UPDATE audit_log SET outcome = $1, prev_hash = $2, hash = $3, mac = $4 WHERE seq = $5")
            .bind(&e.outcome)
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(&mac)
            .bind(e.seq)
            .execute(db)
            .await
            .unwrap();
        prev = Some(e.hash.clone());
        last = Some((e.seq, e.hash));
    }
    let (s, h) = last.unwrap();
    let head_mac = keys.map(|k| k.head_mac("audit", s, &h));
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2, mac = COALESCE($3, mac) WHERE id = 1")
        .bind(s)
        .bind(&h)
        .bind(head_mac)
        .execute(db)
        .await
        .unwrap();
}

fn keys(app: &TestApp) -> Keys {
    Keys::load(&app.config.key_dir, None).unwrap()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.iter().enumerate().any(|(i, &b)| b == needle[0] && hay[i..].starts_with(needle))
}

#[tokio::test]
async fn the_key_is_a_file_outside_the_database() {
    let app = TestApp::new().await;
    history(&app).await;
    let key = std::fs::read_to_string(app.config.key_dir.join(gongzhi_server::keys::KEY_FILE)).unwrap();
    let db = app.db().await;
    let macs: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE mac IS NOT NULL").fetch_one(&db).await.unwrap();
    assert_eq!(macs, 6, "every entry is keyed");
    // The key (and its derived chain subkey) appear nowhere in what the
    // database keeps (SQLite: the file and its WAL; PostgreSQL: every row).
    let bytes = app.stored_bytes().await;
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(key.trim()));
    let k = keys(&app).chain_key();
    let k_hex: String = k.iter().map(|b| format!("{b:02x}")).collect();
    assert!(!contains(&bytes, &k), "chain key written to the database");
    assert!(!text.contains(&k_hex), "chain key written to the database as hex");
}

#[tokio::test]
async fn a_consistent_rewrite_is_caught_with_the_key() {
    let app = TestApp::new().await;
    history(&app).await;
    let auditor = app.login("auditadmin").await;
    let db = app.db().await;
    rewrite_consistently(&db, 2, None).await;
    // The hash chain alone is intact again: only the key tells.
    let r = app.get_as(&auditor, "/api/audit/verify").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["intact"], false, "{}", r.body);
    assert_eq!(r.body["reason"], "mac_mismatch");
    assert_eq!(r.body["first_broken_seq"], 2);
    assert!(r.body["message"].as_str().unwrap().contains("第 2 条审计记录的密钥校验码不符"), "{}", r.body);
}

#[tokio::test]
async fn cutting_off_the_end_and_rewriting_the_head_is_caught() {
    let app = TestApp::new().await;
    history(&app).await;
    let auditor = app.login("auditadmin").await;
    let db = app.db().await;
    common::drop_trigger(&db, "audit_log_no_delete").await;
    sqlx::query("DELETE FROM audit_log WHERE seq >= 5").execute(&db).await.unwrap();
    // The head copied from entry 4, MAC included.
    sqlx::query("UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4), mac = (SELECT mac FROM audit_log WHERE seq = 4)")
        .execute(&db)
        .await
        .unwrap();
    let r = app.get_as(&auditor, "/api/audit/verify").await;
    assert_eq!(r.body["intact"], false, "{}", r.body);
    assert_eq!(r.body["reason"], "head_forged");
}

async fn checkpoint_file(app: &TestApp) -> std::path::PathBuf {
    let auditor = app.login("auditadmin").await;
    let r = app.get_as(&auditor, "/api/audit/checkpoint").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("gongzhi-checkpoint-"));
    assert_eq!(r.body["format"], "gongzhi-checkpoint/1");
    assert_eq!(r.body["created_by"], "auditadmin");
    let chains = r.body["chains"].as_array().unwrap();
    assert_eq!(chains[0]["chain"], "audit");
    assert!(chains.iter().any(|c| c["chain"].as_str().unwrap().starts_with("seal:")), "seal registers included");
    let path = app.dir.path().join("checkpoint.json");
    std::fs::write(&path, r.body.to_string()).unwrap();
    path
}

fn verify_audit_cli(app: &TestApp, checkpoint: &std::path::Path) -> (i32, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gongzhi-server"));
    match &app.config.database_url {
        Some(url) => command.env("GONGZHI_DATABASE_URL", url),
        None => command.env_remove("GONGZHI_DATABASE_URL"),
    };
    let out = command
        .arg("verify-audit")
        .arg("--checkpoint")
        .arg(checkpoint)
        .env("GONGZHI_DATA_DIR", &app.config.data_dir)
        .env("GONGZHI_KEY_DIR", &app.config.key_dir)
        .env_remove("GONGZHI_AUDIT_KEY")
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test]
async fn against_a_checkpoint_truncation_by_a_key_holder_is_reported() {
    let app = TestApp::new().await;
    history(&app).await;
    let file = checkpoint_file(&app).await;
    let (code, out) = verify_audit_cli(&app, &file);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("与检查点一致"), "{out}");

    // Someone holding the key (or restoring an old copy of the database)
    // cuts the log back to 4 entries with a valid head.
    let db = app.db().await;
    let k = keys(&app);
    common::drop_trigger(&db, "audit_log_no_delete").await;
    sqlx::query("DELETE FROM audit_log WHERE seq > 4").execute(&db).await.unwrap();
    let h: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = 4").fetch_one(&db).await.unwrap();
    sqlx::query("UPDATE audit_head SET seq = 4, hash = $1, mac = $2")
        .bind(&h)
        .bind(k.head_mac("audit", 4, &h))
        .execute(&db)
        .await
        .unwrap();
    db.close().await;

    let auditor = app.login("auditadmin").await;
    let r = app.get_as(&auditor, "/api/audit/verify").await;
    // (The new login is entry 5: the chain itself is consistent again.)
    assert_eq!(r.body["intact"], true, "without the checkpoint it cannot be told: {}", r.body);
    let (code, out) = verify_audit_cli(&app, &file);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("[被篡改] 审计日志") && out.contains("比检查点少"), "{out}");
}

#[tokio::test]
async fn against_a_checkpoint_a_rewrite_by_a_key_holder_is_reported() {
    let app = TestApp::new().await;
    history(&app).await;
    let file = checkpoint_file(&app).await;
    let db = app.db().await;
    rewrite_consistently(&db, 3, Some(&keys(&app))).await;
    db.close().await;
    let (code, out) = verify_audit_cli(&app, &file);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("与检查点不符"), "{out}");

    // The database cut below the checkpoint's length is named as truncation.
    let db = app.db().await;
    sqlx::query("DELETE FROM audit_log WHERE seq > 2").execute(&db).await.unwrap();
    let k = keys(&app);
    let h: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = 2").fetch_one(&db).await.unwrap();
    sqlx::query("UPDATE audit_head SET seq = 2, hash = $1, mac = $2")
        .bind(&h)
        .bind(k.head_mac("audit", 2, &h))
        .execute(&db)
        .await
        .unwrap();
    db.close().await;
    let (code, out) = verify_audit_cli(&app, &file);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("比检查点少") && out.contains("现在只到第 2 条"), "{out}");
}

#[tokio::test]
async fn a_changed_checkpoint_file_is_refused() {
    let app = TestApp::new().await;
    history(&app).await;
    let file = checkpoint_file(&app).await;
    let mut cp: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    cp["chains"][0]["length"] = json!(2);
    std::fs::write(&file, cp.to_string()).unwrap();
    let (code, out) = verify_audit_cli(&app, &file);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("签名无效"), "{out}");
}

#[tokio::test]
async fn a_consistent_rewrite_of_the_seal_register_is_caught() {
    let app = TestApp::new().await;
    let leader = app.login("leader").await;
    let r = app.get_as(&leader, "/api/seal/register/verify").await;
    assert_eq!(r.body["intact"], true, "{}", r.body);
    let community = app.node_id("DX-CD-XF").await;
    let db = app.db().await;
    common::drop_trigger(&db, "seal_register_no_update").await;
    let rows = sqlx::query("SELECT * FROM seal_register WHERE community_id = $1 ORDER BY seq")
        .bind(community)
        .fetch_all(&db)
        .await
        .unwrap();
    assert!(!rows.is_empty());
    let mut prev = None::<String>;
    let mut last = None;
    for row in &rows {
        let mut e = gongzhi_server::store::seal::register_entry(row);
        if e.seq == 1 {
            e.copies += 5;
        }
        if let Some(p) = prev.take() {
            e.prev_hash = p;
        }
        e.hash = e.compute_hash(&e.prev_hash);
        sqlx::query("UPDATE seal_register SET copies = $1, prev_hash = $2, hash = $3 WHERE id = $4")
            .bind(e.copies)
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(row.get::<i64, _>("id"))
            .execute(&db)
            .await
            .unwrap();
        prev = Some(e.hash.clone());
        last = Some((e.seq, e.hash));
    }
    let (s, h) = last.unwrap();
    sqlx::query("UPDATE seal_register_head SET seq = $1, hash = $2 WHERE community_id = $3")
        .bind(s)
        .bind(h)
        .bind(community)
        .execute(&db)
        .await
        .unwrap();
    let r = app.get_as(&leader, "/api/seal/register/verify").await;
    assert_eq!(r.body["intact"], false, "{}", r.body);
    assert_eq!(r.body["reason"], "mac_mismatch");
    assert_eq!(r.body["first_broken_seq"], 1);
}

#[tokio::test]
async fn the_append_only_tables_refuse_update_and_delete() {
    let app = TestApp::new().await;
    let db = app.db().await;
    for table in [
        "event_steps",
        "admission_events",
        "visits",
        "cleanup_reviews",
        "chain_anchor",
        "audit_log",
        "seal_register",
        "funding_payments",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db).await.unwrap();
        if table != "chain_anchor" {
            assert!(n > 0, "the demo has {table} rows to test with");
        }
        // A column every row has: the key (`seq`, `chain`) or `id`.
        let column = match table {
            "audit_log" => "seq",
            "chain_anchor" => "chain",
            _ => "id",
        };
        let mut statements = vec![format!("UPDATE {table} SET {column} = {column}"), format!("DELETE FROM {table}")];
        if app.backend() == gongzhi_server::db::Backend::Postgres {
            // Row triggers do not see TRUNCATE; a statement trigger refuses it.
            statements.push(format!("TRUNCATE {table} CASCADE"));
        }
        for sql in statements {
            let err = sqlx::query(&sql).execute(&db).await;
            if n > 0 {
                let err = err.expect_err(&sql).to_string();
                assert!(err.contains("append-only"), "{sql}: {err}");
            }
        }
        let after: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db).await.unwrap();
        assert_eq!(after, n, "{table}");
    }
}

/// A database from before keys (links without MACs) is anchored once at the
/// first keyed start: old links verify by hash, new ones are keyed, and
/// stripping MACs afterwards is caught.
#[tokio::test]
async fn chains_from_before_keys_are_anchored_once() {
    let app = TestApp::new().await;
    history(&app).await;
    let db = app.db().await;
    common::drop_trigger(&db, "audit_log_no_update").await;
    sqlx::query("UPDATE audit_log SET mac = NULL").execute(&db).await.unwrap();
    sqlx::query("UPDATE audit_head SET mac = NULL").execute(&db).await.unwrap();
    sqlx::query("UPDATE seal_register_head SET mac = NULL").execute(&db).await.unwrap();
    common::drop_trigger(&db, "seal_register_no_update").await;
    sqlx::query("UPDATE seal_register SET mac = NULL").execute(&db).await.unwrap();
    db.close().await;
    // As it would be on the first start of this version: no marker yet.
    std::fs::remove_file(app.config.key_dir.join(gongzhi_server::keys::ANCHORED_MARKER)).unwrap();
    let app2 = app.restart().await;
    let auditor = app2.login("auditadmin").await;
    let r = app2.get_as(&auditor, "/api/audit/verify").await;
    assert_eq!(r.body["intact"], true, "{}", r.body);
    let leader = app2.login("leader").await;
    assert_eq!(app2.get_as(&leader, "/api/seal/register/verify").await.body["intact"], true);
    let db = app2.db().await;
    let keyed_from: i64 =
        sqlx::query_scalar("SELECT keyed_from FROM chain_anchor WHERE chain = 'audit'").fetch_one(&db).await.unwrap();
    assert_eq!(keyed_from, 7);
    let anchored: String =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE seq = 7").fetch_one(&db).await.unwrap();
    assert_eq!(anchored, "audit.chain_anchor");
    // Stripping the MACs now does not pass for "old".
    sqlx::query("UPDATE audit_log SET mac = NULL WHERE seq >= 7").execute(&db).await.unwrap();
    let r = app2.get_as(&auditor, "/api/audit/verify").await;
    assert_eq!(r.body["intact"], false);
    assert_eq!(r.body["reason"], "mac_mismatch");
    assert_eq!(r.body["first_broken_seq"], 7);
    // Nor does moving the anchor.
    common::drop_trigger(&db, "chain_anchor_no_update").await;
    sqlx::query("UPDATE chain_anchor SET keyed_from = 100 WHERE chain = 'audit'").execute(&db).await.unwrap();
    let r = app2.get_as(&auditor, "/api/audit/verify").await;
    assert_eq!(r.body["reason"], "anchor_forged");
}
