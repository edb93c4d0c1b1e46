//! Grids (网格) as stored: boundaries and the R-tree built from them; grids
//! with their counts ([`GridRow`]), their special-group residents, households,
//! neighbours and open events as a map shows them; communities and their
//! drawn boundaries for the coverage check.

use chrono::Utc;
use gongzhi_domain::grid::boundary::{GridBoundary, FIELD_BOUNDARY};
use gongzhi_domain::grid::locate::GridIndex;
use sqlx::{AnyConnection, AnyPool};

use crate::db::Backend;

/// Reads every stored grid boundary into the R-tree.
pub async fn load_index(db: &AnyPool) -> Result<GridIndex<i64>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT b.org_node_id, b.geojson FROM org_boundaries b JOIN org_nodes n ON n.id = b.org_node_id
         WHERE n.level = 'grid'",
    )
    .fetch_all(db)
    .await?;
    let grids = rows
        .into_iter()
        .filter_map(|(id, raw)| GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).ok().map(|b| (id, b)))
        .collect();
    Ok(GridIndex::new(grids))
}

/// Stores (or replaces) a node's boundary.
pub async fn store_boundary(tx: &mut AnyConnection, node_id: i64, b: &GridBoundary) -> Result<(), sqlx::Error> {
    let [x0, y0, x1, y1] = b.bbox();
    sqlx::query(
        "INSERT INTO org_boundaries (org_node_id, geojson, area_m2, min_lon, min_lat, max_lon, max_lat, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT(org_node_id) DO UPDATE SET geojson = excluded.geojson, area_m2 = excluded.area_m2,
            min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon,
            max_lat = excluded.max_lat, updated_at = excluded.updated_at",
    )
    .bind(node_id)
    .bind(b.to_geojson().to_string())
    .bind(b.area_m2())
    .bind(x0)
    .bind(y0)
    .bind(x1)
    .bind(y1)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A grid with its community and the counts its summary shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GridRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub path: String,
    pub community_code: String,
    pub community_name: String,
    pub households: i64,
    pub residents: i64,
    /// Special-group residents.
    pub special: i64,
    pub buildings: i64,
    pub open_events: i64,
    /// The active grid members' display names, joined by `、`.
    pub members: Option<String>,
    pub area_m2: Option<f64>,
}

/// A grid's summary row; `{members}` is the grid members' names joined.
const SUMMARY: &str = "SELECT g.id, g.code, g.name, g.path, c.code AS community_code, c.name AS community_name,
        (SELECT COUNT(*) FROM households h WHERE h.grid_id = g.id) AS households,
        (SELECT COUNT(*) FROM residents r JOIN households h ON h.id = r.household_id WHERE h.grid_id = g.id) AS residents,
        (SELECT COUNT(*) FROM residents r JOIN households h ON h.id = r.household_id
          WHERE h.grid_id = g.id AND r.special_group IS NOT NULL) AS special,
        (SELECT COUNT(DISTINCT building) FROM households h WHERE h.grid_id = g.id AND building <> '') AS buildings,
        (SELECT COUNT(*) FROM events e WHERE e.grid_id = g.id AND e.status <> 'closed') AS open_events,
        (SELECT {members} FROM accounts a
          WHERE a.org_node_id = g.id AND a.role = 'grid_member' AND a.disabled = 0) AS members,
        b.area_m2
     FROM org_nodes g JOIN org_nodes c ON c.id = g.parent_id LEFT JOIN org_boundaries b ON b.org_node_id = g.id
     WHERE g.level = 'grid'";

/// [`SUMMARY`] in the connection's dialect.
fn summary_sql(conn: &AnyConnection) -> String {
    SUMMARY.replace("{members}", &Backend::of_connection(conn).string_agg("a.display_name", "'、'"))
}

/// Which grids a list holds.
#[derive(Clone, Copy, Debug)]
pub enum Grids<'a> {
    /// Under a node (an account's scope), by code; with part of a grid's or
    /// its community's name or code when searched.
    Under(&'a str, Option<&'a str>),
    /// A community's, by code.
    Of(i64),
}

impl Grids<'_> {
    /// The condition after [`SUMMARY`]'s, binding `$1` (and `$2`).
    fn condition(self) -> &'static str {
        match self {
            Grids::Under(_, None) => " AND g.path LIKE $1 || '%'",
            Grids::Under(_, Some(_)) => {
                " AND g.path LIKE $1 || '%'
                  AND (g.name LIKE '%' || $2 || '%' OR g.code LIKE '%' || $2 || '%' OR c.name LIKE '%' || $2 || '%')"
            }
            Grids::Of(_) => " AND g.parent_id = $1",
        }
    }

    fn bind<'q, O>(
        self,
        q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>
    where
        Self: 'q,
    {
        match self {
            Grids::Under(path, None) => q.bind(path),
            Grids::Under(path, Some(search)) => q.bind(path).bind(search),
            Grids::Of(community) => q.bind(community),
        }
    }
}

/// The grids of `which` by code, with their counts: `limit` of them from
/// `offset` (a city holds thousands; the list pages).
pub async fn grids(
    conn: &mut AnyConnection,
    which: Grids<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<GridRow>, sqlx::Error> {
    let sql = format!("{}{} ORDER BY g.code LIMIT {limit} OFFSET {offset}", summary_sql(conn), which.condition());
    which.bind(sqlx::query_as(&sql)).fetch_all(conn).await
}

/// How many grids `which` holds.
pub async fn count_grids(conn: &mut AnyConnection, which: Grids<'_>) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) FROM org_nodes g JOIN org_nodes c ON c.id = g.parent_id WHERE g.level = 'grid'{}",
        which.condition()
    );
    let (n,): (i64,) = which.bind(sqlx::query_as(&sql)).fetch_one(conn).await?;
    Ok(n)
}

/// One grid, with its counts.
pub async fn grid(conn: &mut AnyConnection, id: i64) -> Result<Option<GridRow>, sqlx::Error> {
    let sql = summary_sql(conn);
    sqlx::query_as(&format!("{sql} AND g.id = $1")).bind(id).fetch_optional(conn).await
}

/// A special-group resident with their household and the last visit that
/// counts (one where someone was met).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubjectRow {
    pub id: i64,
    pub name: String,
    pub special_group: String,
    /// YYYY-MM-DD: in the group since (or recorded on).
    pub since: Option<String>,
    pub household_id: i64,
    pub address: String,
    pub grid_id: i64,
    /// YYYY-MM-DD
    pub last_visit: Option<String>,
}

/// The special-group residents of the grids `grids` (through their
/// households: an index).
pub async fn special_residents(conn: &mut AnyConnection, grids: &[i64]) -> Result<Vec<SubjectRow>, sqlx::Error> {
    if grids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=grids.len()).map(|i| format!("${i}")).collect();
    let narrow = format!("h.grid_id IN ({})", marks.join(", "));
    let sql = format!(
        "SELECT r.id, r.name, r.special_group, COALESCE(r.special_since, substr(r.created_at, 1, 10)) AS since,
                h.id AS household_id, h.address, h.grid_id,
                (SELECT MAX(v.visited_on) FROM visits v WHERE v.resident_id = r.id AND v.outcome <> 'not_home') AS last_visit
         FROM households h JOIN residents r ON r.household_id = h.id
         WHERE r.special_group IS NOT NULL AND {narrow}"
    );
    grids.iter().fold(sqlx::query_as(&sql), |q, id| q.bind(*id)).fetch_all(conn).await
}

/// A household on a grid's map: (id, code, address, building, lon, lat,
/// residents, last visit).
pub type HouseholdPinRow = (i64, String, String, String, f64, f64, u32, Option<String>);

/// A grid's households, by building and code, read as one JSON text built
/// inside the database (decoding ~500 rows one by one costs more than the
/// queries themselves).
pub async fn household_pins(conn: &mut AnyConnection, grid: i64) -> Result<Vec<HouseholdPinRow>, sqlx::Error> {
    let json = Backend::of_connection(conn).json_rows(
        "h.id, h.code, h.address, h.building, h.lon, h.lat,
                (SELECT COUNT(*) FROM residents r WHERE r.household_id = h.id),
                (SELECT MAX(v.visited_on) FROM visits v WHERE v.household_id = h.id)",
        "h.building, h.code",
    );
    let raw: String = sqlx::query_scalar(&format!(
        "SELECT {json} FROM (SELECT * FROM households WHERE grid_id = $1 ORDER BY building, code) h"
    ))
    .bind(grid)
    .fetch_one(conn)
    .await?;
    serde_json::from_str(&raw).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A node's stored boundary (GeoJSON).
pub async fn boundary(conn: &mut AnyConnection, node_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT geojson FROM org_boundaries WHERE org_node_id = $1")
        .bind(node_id)
        .fetch_optional(conn)
        .await
}

/// A neighbouring grid's outline.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NeighbourRow {
    pub code: String,
    pub name: String,
    pub geojson: String,
}

/// The drawn grids of grid `id`'s community but `id`.
pub async fn neighbours(conn: &mut AnyConnection, id: i64) -> Result<Vec<NeighbourRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.code, n.name, b.geojson FROM org_nodes n JOIN org_boundaries b ON b.org_node_id = n.id
         WHERE n.parent_id = (SELECT parent_id FROM org_nodes WHERE id = $1) AND n.id <> $2 AND n.level = 'grid'",
    )
    .bind(id)
    .bind(id)
    .fetch_all(conn)
    .await
}

/// An open event as a map pin.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventPinRow {
    pub id: i64,
    pub category: String,
    pub lon: f64,
    pub lat: f64,
    pub status: String,
    pub description: String,
}

/// The open events of grid `id`, by id.
pub async fn open_events(conn: &mut AnyConnection, id: i64) -> Result<Vec<EventPinRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, category, lon, lat, status, description FROM events WHERE grid_id = $1 AND status <> 'closed' ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// A node of the organisation by its code and path.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub path: String,
}

/// Node `id`.
pub async fn node(conn: &mut AnyConnection, id: i64) -> Result<Option<NodeRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, code, name, path FROM org_nodes WHERE id = $1").bind(id).fetch_optional(conn).await
}

/// How a community is found.
#[derive(Clone, Copy, Debug)]
pub enum CommunityBy<'a> {
    Code(&'a str),
    /// The community at or under the node at this path (the first by code).
    Around(&'a str),
}

/// A community.
pub async fn community(conn: &mut AnyConnection, by: CommunityBy<'_>) -> Result<Option<NodeRow>, sqlx::Error> {
    match by {
        CommunityBy::Code(code) => {
            sqlx::query_as("SELECT id, code, name, path FROM org_nodes WHERE code = $1 AND level = 'community'")
                .bind(code)
                .fetch_optional(conn)
                .await
        }
        CommunityBy::Around(path) => {
            sqlx::query_as(
                "SELECT id, code, name, path FROM org_nodes WHERE level = 'community' AND (path LIKE $1 || '%' OR $1 LIKE path || '%')
                 ORDER BY code LIMIT 1",
            )
            .bind(path)
            .fetch_optional(conn)
            .await
        }
    }
}

/// The stored boundaries of the nodes under `path` (the node included): (node id, GeoJSON).
pub async fn boundaries_under(conn: &mut AnyConnection, path: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, b.geojson FROM org_boundaries b JOIN org_nodes n ON n.id = b.org_node_id WHERE n.path LIKE $1 || '%'",
    )
    .bind(path)
    .fetch_all(conn)
    .await
}
