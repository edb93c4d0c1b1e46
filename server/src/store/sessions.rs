//! Sessions (会话) and the password step of signing in, as stored: what
//! `api/auth.rs` and the `CurrentUser` extractor read and write. The rules
//! (throttling, idle and absolute expiry) are the domain's
//! (`SecurityPolicy`); this module only stores.

use sqlx::{AnyConnection, AnyPool};

/// What the password step needs of an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginAccount {
    pub id: i64,
    pub role: String,
    pub password_hash: String,
    /// 0/1, as every flag (`crate::db::flag`).
    pub disabled: i64,
}

/// The account named `username`, if any.
pub async fn login_account(db: &AnyPool, username: &str) -> Result<Option<LoginAccount>, sqlx::Error> {
    sqlx::query_as("SELECT id, role, password_hash, disabled FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(db)
        .await
}

/// A new session after a right password, in the caller's transaction (beside
/// its audit entry): the account's failure count and lock start again.
pub async fn start(
    conn: &mut AnyConnection,
    account: i64,
    (token_hash, csrf): (&str, &str),
    now: &str,
    client: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(account)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, client_addr)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(account)
    .bind(csrf)
    .bind(now)
    .bind(now)
    .bind(client)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends the session `token_hash`.
pub async fn end(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(())
}

/// A session with the account it belongs to, as a request presents it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub created_at: String,
    pub last_seen_at: String,
    pub csrf_token: String,
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_node_id: i64,
    pub department_id: Option<i64>,
    pub must_change_password: i64,
    pub disabled: i64,
    pub path: String,
    pub second_factor_pending: i64,
    pub totp_enrolled: i64,
}

/// The session whose token hashes to `token_hash`, if any.
pub async fn by_token(db: &AnyPool, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.created_at, s.last_seen_at, s.csrf_token, a.id, a.username, a.display_name, a.role,
                a.org_node_id, a.department_id, a.must_change_password, a.disabled, n.path, s.second_factor_pending,
                CASE WHEN EXISTS(SELECT 1 FROM account_totp t WHERE t.account_id = a.id AND t.confirmed_at IS NOT NULL)
                THEN 1 ELSE 0 END AS totp_enrolled
         FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN org_nodes n ON n.id = a.org_node_id
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// Slides the idle timeout of session `token_hash` to `now`.
pub async fn touch(db: &AnyPool, token_hash: &str, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Account `id`'s stored password hash (PHC string).
pub async fn password_hash(db: &AnyPool, account: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1").bind(account).fetch_one(db).await
}

/// One's own new password, in the caller's transaction: no change is
/// required any more, and every other session of the account ends.
pub async fn set_own_password(
    conn: &mut AnyConnection,
    account: i64,
    hash: &str,
    now: &str,
    keep_session: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = 0, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(account)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
        .bind(account)
        .bind(keep_session)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
