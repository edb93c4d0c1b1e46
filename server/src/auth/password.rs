//! Password hashing with argon2id (PHC string format). Hashing is CPU-heavy by
//! design, so it runs on the blocking pool, never on an async worker.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use gongzhi_domain::auth::Password;

pub async fn hash(password: &Password) -> anyhow::Result<String> {
    let password = password.expose().to_string();
    tokio::task::spawn_blocking(move || {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
    })
    .await?
}

/// Whether `candidate` matches `phc`. A malformed stored hash never matches.
pub async fn verify(candidate: &str, phc: &str) -> bool {
    let candidate = candidate.to_string();
    let phc = phc.to_string();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc).is_ok_and(|h| Argon2::default().verify_password(candidate.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the login name does not exist, so that a
/// wrong name takes as long as a wrong password.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2o9VdQ6yq2mR0pKqjGVqg8xj1y2iN3G0f5vVnqjHq1E";
