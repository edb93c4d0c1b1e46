//! Login throttling: attempts counted before the password is checked, per
//! account (`accounts.failed_logins`), per unknown name and per client
//! address (`login_throttle`). The rules are the domain's
//! ([`SecurityPolicy::attempt`], [`SecurityPolicy::address_may_try`]); this
//! module only counts, each count inside a write transaction.

use chrono::{DateTime, Duration, Utc};
use gongzhi_domain::auth::{Attempt, SecurityPolicy};
use gongzhi_domain::time::parse_utc;
use sqlx::AnyConnection;

use crate::state::AppState;

/// How long the counter of a login name that is not an account remembers.
const NAME_MEMORY: Duration = Duration::days(1);

/// Whose attempts are counted.
pub enum Target<'a> {
    Account(i64),
    /// A name that is no account: counted and locked like one, so the
    /// answers do not tell which names exist.
    Name(&'a str),
}

/// The outcome of counting one attempt before its password is checked.
pub enum Reserved {
    /// Refuse without checking: locked until then.
    Locked(DateTime<Utc>),
    /// Check the password; `true` when a wrong one locks.
    Attempt(bool),
}

/// Failures from one client address within the current window.
pub struct AddressCount {
    pub failures: u32,
    pub window_until: DateTime<Utc>,
}

fn name_key(name: &str) -> String {
    format!("name:{name}")
}

fn addr_key(client: &str) -> String {
    format!("addr:{client}")
}

fn time(raw: Option<String>) -> Option<DateTime<Utc>> {
    raw.as_deref().and_then(parse_utc)
}

pub async fn address_failures(state: &AppState, client: &str, now: DateTime<Utc>) -> Result<AddressCount, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT failures, window_until FROM login_throttle WHERE key = $1")
        .bind(addr_key(client))
        .fetch_optional(&state.db)
        .await?;
    Ok(match row.and_then(|(n, until)| Some((n, parse_utc(&until)?))) {
        Some((failures, window_until)) if window_until > now => {
            AddressCount { failures: failures as u32, window_until }
        }
        _ => AddressCount { failures: 0, window_until: now },
    })
}

/// Counts one attempt on `target` before its password is checked.
pub async fn reserve(
    state: &AppState,
    target: &Target<'_>,
    policy: &SecurityPolicy,
    now: DateTime<Utc>,
) -> Result<Reserved, sqlx::Error> {
    let now_s = now.to_rfc3339();
    let mut tx = state.write_tx().await?;
    let (n, locked_until) = match target {
        Target::Account(id) => {
            let n: Option<i64> = sqlx::query_scalar(
                "UPDATE accounts SET failed_logins = failed_logins + 1
                 WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING failed_logins",
            )
            .bind(id)
            .bind(&now_s)
            .fetch_optional(&mut *tx)
            .await?;
            let locked: Option<String> = match n {
                Some(_) => None,
                None => {
                    sqlx::query_scalar("SELECT locked_until FROM accounts WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?
                }
            };
            (n, time(locked))
        }
        Target::Name(name) => {
            let row: Option<(i64, String, Option<String>)> =
                sqlx::query_as("SELECT failures, window_until, locked_until FROM login_throttle WHERE key = $1")
                    .bind(name_key(name))
                    .fetch_optional(&mut *tx)
                    .await?;
            let (failures, window_until, locked) = match row {
                Some((f, w, l)) => (f, parse_utc(&w).unwrap_or(now), time(l)),
                None => (0, now, None),
            };
            match locked.filter(|until| *until > now) {
                Some(until) => (None, Some(until)),
                None => {
                    // A lock or memory that has run out starts the count again.
                    let n = if locked.is_some() || window_until <= now { 1 } else { failures + 1 };
                    sqlx::query(
                        "INSERT INTO login_throttle (key, failures, window_until, locked_until) VALUES ($1, $2, $3, NULL)
                         ON CONFLICT(key) DO UPDATE SET failures = excluded.failures,
                             window_until = excluded.window_until, locked_until = NULL",
                    )
                    .bind(name_key(name))
                    .bind(n)
                    .bind((now + NAME_MEMORY).to_rfc3339())
                    .execute(&mut *tx)
                    .await?;
                    (Some(n), None)
                }
            }
        }
    };
    let reserved = match n {
        None => Reserved::Locked(locked_until.unwrap_or(now)),
        Some(n) => match policy.attempt(n as u32) {
            Attempt::Allowed { last } => Reserved::Attempt(last),
            Attempt::OverLimit => {
                let until = policy.lock_until(now);
                lock(&mut tx, target, until).await?;
                Reserved::Locked(until)
            }
        },
    };
    tx.commit().await?;
    Ok(reserved)
}

async fn lock(conn: &mut AnyConnection, target: &Target<'_>, until: DateTime<Utc>) -> Result<(), sqlx::Error> {
    match target {
        Target::Account(id) => {
            sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = $1 WHERE id = $2")
                .bind(until.to_rfc3339())
                .bind(id)
                .execute(&mut *conn)
                .await?
        }
        Target::Name(name) => {
            sqlx::query("UPDATE login_throttle SET failures = 0, locked_until = $1 WHERE key = $2")
                .bind(until.to_rfc3339())
                .bind(name_key(name))
                .execute(&mut *conn)
                .await?
        }
    };
    Ok(())
}

/// Records a wrong password (in the caller's transaction, beside its audit
/// entry): locks the target when this was its last attempt, counts the
/// address, and forgets counters that have run out. Returns the lock taken.
pub async fn failed(
    conn: &mut AnyConnection,
    target: &Target<'_>,
    client: &str,
    last: bool,
    policy: &SecurityPolicy,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let locked_until = last.then(|| policy.lock_until(now));
    if let Some(until) = locked_until {
        lock(conn, target, until).await?;
    }
    let now_s = now.to_rfc3339();
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_until) VALUES ($1, 1, $2)
         ON CONFLICT(key) DO UPDATE SET
             failures = CASE WHEN login_throttle.window_until <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
             window_until = CASE WHEN login_throttle.window_until <= $4 THEN excluded.window_until
                                 ELSE login_throttle.window_until END",
    )
    .bind(addr_key(client))
    .bind(policy.lock_until(now).to_rfc3339())
    .bind(&now_s)
    .bind(&now_s)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM login_throttle WHERE window_until <= $1 AND (locked_until IS NULL OR locked_until <= $2)")
        .bind(&now_s)
        .bind(&now_s)
        .execute(&mut *conn)
        .await?;
    Ok(locked_until)
}

/// A right password: the account's count starts again.
pub async fn succeeded(state: &AppState, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET failed_logins = 0 WHERE id = $1").bind(account_id).execute(&state.db).await?;
    Ok(())
}
