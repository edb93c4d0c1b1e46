//! Grid boundaries (网格边界) as stored, and the R-tree built from them.

use chrono::Utc;
use gongzhi_domain::grid::boundary::{GridBoundary, FIELD_BOUNDARY};
use gongzhi_domain::grid::locate::GridIndex;
use sqlx::{AnyConnection, AnyPool};

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
