//! The organisation tree (组织架构) and functional departments (职能部门) as
//! stored: nodes as typed rows ([`NodeRow`]), a new node's insert (its path
//! from its own id), departments.

use sqlx::AnyConnection;

/// A node of the organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: String,
    pub code: String,
    pub name: String,
    pub path: String,
}

const SELECT: &str = "SELECT id, parent_id, level, code, name, path FROM org_nodes";

/// The node at `path` and everything below it, by path.
pub async fn tree(conn: &mut AnyConnection, path: &str) -> Result<Vec<NodeRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE path LIKE $1 || '%' ORDER BY path")).bind(path).fetch_all(conn).await
}

/// Node `id`.
pub async fn node(conn: &mut AnyConnection, id: i64) -> Result<Option<NodeRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE id = $1")).bind(id).fetch_optional(conn).await
}

/// A new node, ready to store.
pub struct NewNode<'a> {
    pub parent_id: i64,
    pub level: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    /// The parent's path: the node's is this and its own id.
    pub parent_path: &'a gongzhi_domain::OrgPath,
}

/// Inserts the node and sets its path; `None` when the code is taken (the
/// unique index decides).
pub async fn insert_node(conn: &mut AnyConnection, n: &NewNode<'_>) -> Result<Option<i64>, sqlx::Error> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO org_nodes (parent_id, level, code, name, path) VALUES ($1, $2, $3, $4, '') ON CONFLICT(code) DO NOTHING RETURNING id",
    )
    .bind(n.parent_id)
    .bind(n.level)
    .bind(n.code)
    .bind(n.name)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = inserted else { return Ok(None) };
    sqlx::query("UPDATE org_nodes SET path = $1 WHERE id = $2")
        .bind(n.parent_path.child(id).as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(id))
}

/// A functional department.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartmentRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub org_node_id: i64,
}

/// Every department, by id.
pub async fn departments(conn: &mut AnyConnection) -> Result<Vec<DepartmentRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, code, name, org_node_id FROM departments ORDER BY id").fetch_all(conn).await
}

/// Inserts a department at node `org_node_id`; `None` when its code or name
/// is taken.
pub async fn insert_department(
    conn: &mut AnyConnection,
    code: &str,
    name: &str,
    org_node_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO departments (code, name, org_node_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(code)
    .bind(name)
    .bind(org_node_id)
    .fetch_optional(conn)
    .await
}
