//! Accounts (账号) as stored, read as the wire's `AccountView`.

use chrono::Utc;
use gongzhi_api::AccountView;
use gongzhi_domain::Role;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::error::AppError;

/// An account with its organisation node and department, for [`view`].
pub const SELECT_VIEW: &str = "SELECT a.id, a.username, a.display_name, a.role, a.org_node_id, n.name AS org_node_name,
        n.path, a.department_id, d.name AS department_name, a.disabled, a.must_change_password, a.locked_until
     FROM accounts a JOIN org_nodes n ON n.id = a.org_node_id LEFT JOIN departments d ON d.id = a.department_id";

/// An account row as the wire shows it (a lock that has run out reads as none).
pub fn view(row: &AnyRow) -> AccountView {
    let role: String = row.get("role");
    let locked_until: Option<String> = row.get("locked_until");
    let now = Utc::now().to_rfc3339();
    AccountView {
        id: row.get("id"),
        username: row.get("username"),
        display_name: row.get("display_name"),
        role_label: Role::from_code(&role).map(Role::label).unwrap_or("未知角色").to_string(),
        role,
        org_node_id: row.get("org_node_id"),
        org_node_name: row.get("org_node_name"),
        department_id: row.get("department_id"),
        department_name: row.get("department_name"),
        disabled: crate::db::flag(row, "disabled"),
        must_change_password: crate::db::flag(row, "must_change_password"),
        // Both RFC 3339 UTC: text order is time order.
        locked_until: locked_until.filter(|t| *t > now),
    }
}

pub async fn load_account_view(db: &AnyPool, id: i64) -> Result<AccountView, AppError> {
    let row = sqlx::query(&format!("{SELECT_VIEW} WHERE a.id = $1")).bind(id).fetch_one(db).await?;
    Ok(view(&row))
}

/// Account `id` as the wire shows it, with its node's path (for the scope check).
pub async fn get_with_path(conn: &mut AnyConnection, id: i64) -> Result<Option<(AccountView, String)>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT_VIEW} WHERE a.id = $1")).bind(id).fetch_optional(conn).await?;
    row.map(|r| Ok((view(&r), r.try_get("path")?))).transpose()
}

/// The accounts under the node at `path` but those of role `except`, by node, role and name.
pub async fn list_under(conn: &mut AnyConnection, path: &str, except: &str) -> Result<Vec<AccountView>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT_VIEW} WHERE n.path LIKE $1 || '%' AND a.role <> $2 ORDER BY n.path, a.role, a.username"
    ))
    .bind(path)
    .bind(except)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(view).collect())
}

/// A node's level and path.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodePlace {
    pub level: String,
    pub path: String,
}

/// Node `id`'s level and path.
pub async fn node(conn: &mut AnyConnection, id: i64) -> Result<Option<NodePlace>, sqlx::Error> {
    sqlx::query_as("SELECT level, path FROM org_nodes WHERE id = $1").bind(id).fetch_optional(conn).await
}

/// Department `id`'s node: (node id, node path).
pub async fn department_node(conn: &mut AnyConnection, id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.org_node_id, n.path FROM departments d JOIN org_nodes n ON n.id = d.org_node_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A new account, ready to store (it must change its password at first login).
pub struct NewAccountRow<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub org_node_id: i64,
    pub department_id: Option<i64>,
    pub password_hash: &'a str,
    /// RFC 3339, UTC.
    pub at: &'a str,
}

/// Inserts the account; `None` when the username is taken (the unique index
/// decides, not a check-then-insert).
pub async fn insert(conn: &mut AnyConnection, a: &NewAccountRow<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO accounts (username, display_name, role, org_node_id, department_id, password_hash,
                               must_change_password, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) ON CONFLICT(username) DO NOTHING RETURNING id",
    )
    .bind(a.username)
    .bind(a.display_name)
    .bind(a.role)
    .bind(a.org_node_id)
    .bind(a.department_id)
    .bind(a.password_hash)
    .bind(a.at)
    .bind(a.at)
    .fetch_optional(conn)
    .await
}

/// Disables or enables account `id`.
pub async fn set_disabled(conn: &mut AnyConnection, id: i64, disabled: bool, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets a temporary password (to be changed at the next login) and lifts a lock.
pub async fn reset_password(conn: &mut AnyConnection, id: i64, hash: &str, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = 1, failed_logins = 0, locked_until = NULL,
         updated_at = $2 WHERE id = $3",
    )
    .bind(hash)
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session of account `id`.
pub async fn end_sessions(conn: &mut AnyConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(conn).await?;
    Ok(())
}
