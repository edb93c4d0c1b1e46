//! Accounts (账号) as stored, read as the wire's `AccountView`.

use chrono::Utc;
use gongzhi_api::AccountView;
use gongzhi_domain::Role;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

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
