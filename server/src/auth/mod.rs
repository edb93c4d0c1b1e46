//! Authentication and authorisation on the server.
//!
//! - [`password`]: argon2id hashing, off the async threads.
//! - [`session`]: session cookies, the [`session::CurrentUser`] extractor
//!   (timeouts, CSRF, forced password change) and role checks.
//! - [`client`]: the client address recorded in the audit trail (through
//!   trusted proxies only).
//! - [`throttle`]: login attempts counted per account, name and address.

pub mod client;
pub mod password;
pub mod session;
pub mod throttle;
pub mod totp;

use sha2::{Digest, Sha256};

/// 32 random bytes as hex: session ids and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    hex(&bytes)
}

/// SHA-256 as hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets without leaking how much of them matched.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
