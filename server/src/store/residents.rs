//! The resident register (居民) as stored: typed rows for the residents'
//! pages, under an organisation path, a page at a time.

use sqlx::AnyPool;

/// A resident with their grid, as the register keeps them (numbers in full:
/// the caller masks them for the reader's role).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResidentRow {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub address: String,
    pub special_group: Option<String>,
    pub org_node_id: i64,
    pub org_node_name: String,
    pub path: String,
}

const SELECT: &str = "SELECT r.id, r.name, r.id_number, r.phone, r.address, r.special_group, r.org_node_id,
        n.name AS org_node_name, n.path FROM residents r JOIN org_nodes n ON n.id = r.org_node_id";

/// Which residents a list shows.
#[derive(Debug, Clone, Default)]
pub struct ResidentFilter<'a> {
    /// Under this organisation path (the reader's scope).
    pub under: &'a str,
    /// Only residents of a special group.
    pub special_only: bool,
    /// Words found in the address (building, room) — and in the name when
    /// the reader may see names (`search_names`).
    pub search: Option<&'a str>,
    pub search_names: bool,
}

impl ResidentFilter<'_> {
    /// The WHERE clause after `$1` (the path) and `$2` (the search pattern).
    fn clause(&self) -> String {
        let mut sql = String::from(" WHERE n.path LIKE $1 || '%'");
        if self.special_only {
            sql.push_str(" AND r.special_group IS NOT NULL");
        }
        if self.search.is_some() {
            sql.push_str(if self.search_names {
                " AND (r.address LIKE $2 ESCAPE '\\' OR r.name LIKE $2 ESCAPE '\\')"
            } else {
                " AND r.address LIKE $2 ESCAPE '\\'"
            });
        }
        sql
    }

    fn pattern(&self) -> Option<String> {
        self.search.map(contains)
    }
}

/// `%words%` for `LIKE … ESCAPE '\'`, with the user's own `%`, `_` and `\`
/// matched literally.
pub fn contains(words: &str) -> String {
    let escaped: String = words
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// How many residents `f` matches.
pub async fn count(db: &AnyPool, f: &ResidentFilter<'_>) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM residents r JOIN org_nodes n ON n.id = r.org_node_id{}", f.clause());
    let q = sqlx::query_scalar(&sql).bind(f.under);
    match f.pattern() {
        Some(p) => q.bind(p).fetch_one(db).await,
        None => q.fetch_one(db).await,
    }
}

/// One page of the residents `f` matches, by grid and register order.
pub async fn page(
    db: &AnyPool,
    f: &ResidentFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ResidentRow>, sqlx::Error> {
    let (lim, off) = if f.search.is_some() { ("$3", "$4") } else { ("$2", "$3") };
    let sql = format!("{SELECT}{} ORDER BY n.path, r.id LIMIT {lim} OFFSET {off}", f.clause());
    let q = sqlx::query_as(&sql).bind(f.under);
    let q = match f.pattern() {
        Some(p) => q.bind(p),
        None => q,
    };
    q.bind(limit).bind(offset).fetch_all(db).await
}

/// Resident `id`, if on the register.
pub async fn by_id(db: &AnyPool, id: i64) -> Result<Option<ResidentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE r.id = $1")).bind(id).fetch_optional(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_matches_the_users_characters_literally() {
        let f = ResidentFilter { under: "/1/", search: Some("3_1%\\"), ..Default::default() };
        assert_eq!(f.pattern().as_deref(), Some("%3\\_1\\%\\\\%"));
        assert!(f.clause().contains("r.address LIKE $2"));
        assert!(!f.clause().contains("r.name"), "a reader who may not see names cannot search by them");
        let named = ResidentFilter { search_names: true, ..f };
        assert!(named.clause().contains("r.name LIKE $2"));
    }
}
