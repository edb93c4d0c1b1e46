//! Keys kept outside the database.
//!
//! One 256-bit master key, from `GONGZHI_AUDIT_KEY` (64 hex digits) or the
//! file `gongzhi.key` in `GONGZHI_KEY_DIR` (default: the data directory; put it
//! elsewhere in production, e.g. a directory only the service account can read
//! on another volume). The file is created with mode 0600 at the first start.
//! Every use gets its own subkey, derived as HMAC-SHA256(master, label):
//!
//! - chain links and heads (HMAC-SHA256 MACs of the audit trail and the seal
//!   registers), handed to each database connection in a TEMP table of that
//!   connection (SQLite: in memory, `temp_store = MEMORY`; PostgreSQL: the
//!   session's `pg_temp` schema), never in a table of the database;
//! - checkpoints (HMAC-SHA256 signatures over the exported heads);
//! - TOTP secrets (XChaCha20-Poly1305 encryption);
//! - recovery codes (HMAC-SHA256, so a copy of the database cannot be
//!   brute-forced offline without the key).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const KEY_FILE: &str = "gongzhi.key";
/// Written beside the key once the chains that existed before keys were
/// anchored: the anchoring never runs again for this key directory.
pub const ANCHORED_MARKER: &str = "chains.anchored";

type HmacSha256 = Hmac<Sha256>;

/// The derived keys. `Debug` shows nothing.
#[derive(Clone)]
pub struct Keys {
    chain: [u8; 32],
    checkpoint: [u8; 32],
    totp: [u8; 32],
    recovery: [u8; 32],
    /// Where the key file and the anchoring marker live.
    pub dir: PathBuf,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys").field("dir", &self.dir).finish_non_exhaustive()
    }
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut m = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        m.update(&(p.len() as u64).to_be_bytes());
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

fn parse_master(text: &str, source: &str) -> anyhow::Result<[u8; 32]> {
    unhex(text)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .with_context(|| format!("{source}: the audit key must be 64 hexadecimal digits (256 bits)"))
}

impl Keys {
    fn derive(master: &[u8; 32], dir: PathBuf) -> Self {
        Self {
            chain: hmac(master, &[b"gongzhi chain mac v1"]),
            checkpoint: hmac(master, &[b"gongzhi checkpoint v1"]),
            totp: hmac(master, &[b"gongzhi totp secret v1"]),
            recovery: hmac(master, &[b"gongzhi recovery code v1"]),
            dir,
        }
    }

    /// The key from `env` (`GONGZHI_AUDIT_KEY`) or `dir/gongzhi.key`, created
    /// (0600) when neither exists.
    pub fn load_or_create(dir: &Path, env: Option<&str>) -> anyhow::Result<Self> {
        if let Some(k) = env {
            return Ok(Self::derive(&parse_master(k, "GONGZHI_AUDIT_KEY")?, dir.to_path_buf()));
        }
        let path = dir.join(KEY_FILE);
        if !path.exists() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create key directory {}", dir.display()))?;
            let mut master = [0u8; 32];
            getrandom::fill(&mut master).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&path).with_context(|| format!("cannot create {}", path.display()))?;
            writeln!(file, "{}", hex(&master))?;
            file.sync_all()?;
            tracing::warn!(path = %path.display(), "created the audit key: keep a copy outside the server; without it the audit trail cannot be verified");
        }
        Self::load(dir, None)
    }

    /// The existing key (for `verify-audit`: never creates one).
    pub fn load(dir: &Path, env: Option<&str>) -> anyhow::Result<Self> {
        if let Some(k) = env {
            return Ok(Self::derive(&parse_master(k, "GONGZHI_AUDIT_KEY")?, dir.to_path_buf()));
        }
        let path = dir.join(KEY_FILE);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!("cannot read the audit key {} (set GONGZHI_KEY_DIR or GONGZHI_AUDIT_KEY)", path.display())
        })?;
        Ok(Self::derive(&parse_master(&text, &path.display().to_string())?, dir.to_path_buf()))
    }

    /// The subkey for chain MACs, as given to each database connection.
    pub fn chain_key(&self) -> [u8; 32] {
        self.chain
    }

    /// The MAC of a chain's link `seq` whose hash is `hash`.
    pub fn link_mac(&self, chain: &str, seq: i64, hash: &str) -> String {
        link_mac(&self.chain, chain, seq, hash)
    }

    pub fn head_mac(&self, chain: &str, seq: i64, hash: &str) -> String {
        head_mac(&self.chain, chain, seq, hash)
    }

    pub fn anchor_mac(&self, chain: &str, keyed_from: i64) -> String {
        hex(&hmac(&self.chain, &[b"anchor", chain.as_bytes(), keyed_from.to_string().as_bytes()]))
    }

    /// The signature of a checkpoint's canonical text.
    pub fn checkpoint_mac(&self, text: &str) -> String {
        hex(&hmac(&self.checkpoint, &[text.as_bytes()]))
    }

    pub fn recovery_mac(&self, code: &str) -> String {
        hex(&hmac(&self.recovery, &[code.as_bytes()]))
    }

    /// Encrypts `plain` for account `account_id` (bound as associated data,
    /// so a secret moved to another account does not decrypt): hex of a
    /// random 24-byte nonce and the ciphertext.
    pub fn seal_secret(&self, account_id: i64, plain: &[u8]) -> String {
        let cipher = XChaCha20Poly1305::new((&self.totp).into());
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).expect("the operating system provides randomness");
        let aad = format!("account:{account_id}");
        let ct = cipher
            .encrypt(XNonce::from_slice(&nonce), chacha20poly1305::aead::Payload { msg: plain, aad: aad.as_bytes() })
            .expect("encryption of a short secret cannot fail");
        format!("v1:{}{}", hex(&nonce), hex(&ct))
    }

    pub fn open_secret(&self, account_id: i64, sealed: &str) -> Option<Vec<u8>> {
        let bytes = unhex(sealed.strip_prefix("v1:")?)?;
        if bytes.len() < 24 + 16 {
            return None;
        }
        let (nonce, ct) = bytes.split_at(24);
        let cipher = XChaCha20Poly1305::new((&self.totp).into());
        let aad = format!("account:{account_id}");
        cipher.decrypt(XNonce::from_slice(nonce), chacha20poly1305::aead::Payload { msg: ct, aad: aad.as_bytes() }).ok()
    }
}

/// A link's MAC under `key` (the chain subkey).
pub fn link_mac(key: &[u8], chain: &str, seq: i64, hash: &str) -> String {
    hex(&hmac(key, &[b"link", chain.as_bytes(), seq.to_string().as_bytes(), hash.as_bytes()]))
}

/// A head's MAC under `key`: a different label from the link's, so the MAC of
/// an earlier link cannot stand in for the head after truncation.
pub fn head_mac(key: &[u8], chain: &str, seq: i64, hash: &str) -> String {
    hex(&hmac(key, &[b"head", chain.as_bytes(), seq.to_string().as_bytes(), hash.as_bytes()]))
}

/// The chain subkey as handed to this database connection (see
/// [`crate::db::open`]).
pub async fn connection_chain_key(conn: &mut sqlx::AnyConnection) -> Result<Vec<u8>, sqlx::Error> {
    let table = crate::db::Backend::of_connection(conn).chain_key_table();
    sqlx::query_scalar(&format!("SELECT k FROM {table} WHERE id = 1")).fetch_one(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_round_trip_and_are_bound_to_the_account() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::load_or_create(dir.path(), None).unwrap();
        let sealed = keys.seal_secret(7, b"secret bytes 1234567890");
        assert!(!sealed.contains(&hex(b"secret bytes")));
        assert_eq!(keys.open_secret(7, &sealed).unwrap(), b"secret bytes 1234567890");
        assert!(keys.open_secret(8, &sealed).is_none());
        let again = Keys::load(dir.path(), None).unwrap();
        assert_eq!(again.link_mac("audit", 1, "h"), keys.link_mac("audit", 1, "h"));
        assert_ne!(keys.link_mac("audit", 1, "h"), keys.head_mac("audit", 1, "h"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(Keys::load(dir.path(), Some("abc")).is_err());
    }
}
