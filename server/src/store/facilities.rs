//! Community facilities (社区设施布点) as stored: standards' versions,
//! new residential projects and their sign-offs, existing communities' rooms
//! and remedies. Areas are whole hundredths of a square metre.

use gongzhi_domain::facilities::community::{Remedy, RemedyStatus, Room};
use gongzhi_domain::facilities::project::{BuiltRooms, Project, SignOff};
use gongzhi_domain::facilities::standard::AreaStandard;
use gongzhi_domain::facilities::Area;
use sqlx::AnyConnection;

use gongzhi_domain::audit::AuditAction;

use super::transition::{self, Outcome, Table, Transition};
use crate::audit::Who;

/// Remedies move planned → underway → done (no step table: the audit trail
/// keeps each move).
pub const REMEDIES: Table<RemedyStatus> = Table::new("facility_remedies", "facility_remedy", None);

/// One version of the standard, with its jurisdiction.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StandardRow {
    pub id: i64,
    pub org_node_id: i64,
    pub jurisdiction_name: String,
    pub jurisdiction_path: String,
    pub version: String,
    pub effective_from: String,
    pub service_per_100_centi: i64,
    pub elderly_existing_per_100_centi: i64,
    pub elderly_new_per_100_centi: i64,
    pub elderly_new_min_site_centi: i64,
    pub max_floor: i64,
    pub built_by_share_pct: i64,
}

fn area(centi: i64) -> Area {
    Area::from_centi(centi).unwrap_or_default()
}

impl StandardRow {
    /// As the domain's type.
    pub fn standard(&self) -> AreaStandard {
        AreaStandard {
            version: self.version.clone(),
            effective_from: self.effective_from.parse().unwrap_or_default(),
            service_per_100: area(self.service_per_100_centi),
            elderly_existing_per_100: area(self.elderly_existing_per_100_centi),
            elderly_new_per_100: area(self.elderly_new_per_100_centi),
            elderly_new_min_site: area(self.elderly_new_min_site_centi),
            max_floor: self.max_floor as i32,
            built_by_share_pct: self.built_by_share_pct as i32,
        }
    }
}

/// Every version kept by a node above, at or below `scope` (the ones that can
/// apply to a community in it), by jurisdiction path and date.
pub async fn standards(conn: &mut AnyConnection, scope: &str) -> Result<Vec<StandardRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.org_node_id, n.name AS jurisdiction_name, n.path AS jurisdiction_path, s.version,
                s.effective_from, s.service_per_100_centi, s.elderly_existing_per_100_centi,
                s.elderly_new_per_100_centi, s.elderly_new_min_site_centi, s.max_floor, s.built_by_share_pct
         FROM facility_standards s JOIN org_nodes n ON n.id = s.org_node_id
         WHERE n.path LIKE $1 || '%' OR $1 LIKE n.path || '%'
         ORDER BY n.path, s.effective_from",
    )
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// Stores a new version for `node`; `None` when the node already has one
/// taking effect that day (the unique key decides).
pub async fn insert_standard(
    conn: &mut AnyConnection,
    node: i64,
    s: &AreaStandard,
    by: Option<i64>,
    at: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO facility_standards (org_node_id, version, effective_from, service_per_100_centi,
            elderly_existing_per_100_centi, elderly_new_per_100_centi, elderly_new_min_site_centi, max_floor,
            built_by_share_pct, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(node)
    .bind(&s.version)
    .bind(s.effective_from.to_string())
    .bind(s.service_per_100.centi())
    .bind(s.elderly_existing_per_100.centi())
    .bind(s.elderly_new_per_100.centi())
    .bind(s.elderly_new_min_site.centi())
    .bind(i64::from(s.max_floor))
    .bind(i64::from(s.built_by_share_pct))
    .bind(by)
    .bind(at)
    .fetch_optional(conn)
    .await
}

/// A community with its street and district.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub households: i64,
    pub street_name: String,
    pub district_name: String,
}

const COMMUNITIES: &str = "SELECT c.id, c.name, c.path, c.households, s.name AS street_name, d.name AS district_name
     FROM org_nodes c JOIN org_nodes s ON s.id = c.parent_id JOIN org_nodes d ON d.id = s.parent_id
     WHERE c.level = 'community'";

/// The communities in `scope` (or the one `scope` lies in, for a grid), by code.
pub async fn communities(conn: &mut AnyConnection, scope: &str) -> Result<Vec<CommunityRow>, sqlx::Error> {
    sqlx::query_as(&format!("{COMMUNITIES} AND (c.path LIKE $1 || '%' OR $1 LIKE c.path || '%') ORDER BY c.code"))
        .bind(scope)
        .fetch_all(conn)
        .await
}

/// Community `id` (`None` when it is not a community).
pub async fn community(conn: &mut AnyConnection, id: i64) -> Result<Option<CommunityRow>, sqlx::Error> {
    sqlx::query_as(&format!("{COMMUNITIES} AND c.id = $1")).bind(id).fetch_optional(conn).await
}

/// A room as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoomRow {
    pub id: i64,
    pub community_id: i64,
    pub room_use: String,
    pub name: String,
    pub area_centi: i64,
    pub tenure: String,
    pub floor: i64,
    pub own_entrance: i64,
    pub since: String,
}

impl RoomRow {
    /// As the domain's type (`None` for a code no longer known).
    pub fn room(&self) -> Option<Room> {
        use gongzhi_domain::facilities::community::Tenure;
        use gongzhi_domain::facilities::RoomUse;
        Some(Room {
            room_use: RoomUse::from_code(&self.room_use)?,
            name: self.name.clone(),
            area: area(self.area_centi),
            tenure: Tenure::from_code(&self.tenure)?,
            floor: self.floor as i32,
            own_entrance: self.own_entrance != 0,
            since: self.since.parse().ok()?,
        })
    }
}

/// The rooms of the communities in `scope`, by community and id.
pub async fn rooms(conn: &mut AnyConnection, scope: &str) -> Result<Vec<RoomRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.community_id, r.room_use, r.name, r.area_centi, r.tenure, r.floor, r.own_entrance, r.since
         FROM community_rooms r JOIN org_nodes c ON c.id = r.community_id
         WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY r.community_id, r.id",
    )
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// Stores a room of `community`; its id.
pub async fn insert_room(
    conn: &mut AnyConnection,
    community: i64,
    r: &Room,
    by: i64,
    at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO community_rooms (community_id, room_use, name, area_centi, tenure, floor, own_entrance, since,
            created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(community)
    .bind(r.room_use.code())
    .bind(&r.name)
    .bind(r.area.centi())
    .bind(r.tenure.code())
    .bind(i64::from(r.floor))
    .bind(i64::from(r.own_entrance))
    .bind(r.since.to_string())
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// A remedy as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RemedyRow {
    pub id: i64,
    pub community_id: i64,
    pub kind: String,
    pub room_use: String,
    pub target_centi: i64,
    pub funding_fen: i64,
    pub due_on: String,
    pub note: String,
    pub status: String,
}

const REMEDY: &str = "SELECT r.id, r.community_id, r.kind, r.room_use, r.target_centi, r.funding_fen, r.due_on, r.note,
        r.status FROM facility_remedies r";

/// The remedies of the communities in `scope`, by community and id.
pub async fn remedies(conn: &mut AnyConnection, scope: &str) -> Result<Vec<RemedyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{REMEDY} JOIN org_nodes c ON c.id = r.community_id
         WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY r.community_id, r.id"
    ))
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// Remedy `id`.
pub async fn remedy(conn: &mut AnyConnection, id: i64) -> Result<Option<RemedyRow>, sqlx::Error> {
    sqlx::query_as(&format!("{REMEDY} WHERE r.id = $1")).bind(id).fetch_optional(conn).await
}

/// Stores a remedy of `community`; its id.
pub async fn insert_remedy(
    conn: &mut AnyConnection,
    community: i64,
    r: &Remedy,
    by: i64,
    at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO facility_remedies (community_id, kind, room_use, target_centi, funding_fen, due_on, note,
            created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(community)
    .bind(r.kind.code())
    .bind(r.room_use.code())
    .bind(r.target_area.centi())
    .bind(r.funding.fen())
    .bind(r.due_on.to_string())
    .bind(&r.note)
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// Moves remedy `id` from `from` to the next status with its audit entry,
/// only if unchanged ([`transition::apply`]).
pub async fn advance_remedy(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    from: RemedyStatus,
    to: RemedyStatus,
) -> Result<Outcome<RemedyStatus>, sqlx::Error> {
    let detail = serde_json::json!({ "from": from.code(), "to": to.code() });
    let t = Transition {
        table: &REMEDIES,
        id,
        from: &[from],
        to,
        set: vec![],
        step: vec![],
        action: AuditAction::FacilityRemedyAdvance,
        detail,
    };
    transition::apply(conn, who, t).await
}

/// A project with its community.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub community_path: String,
    pub street_name: String,
    pub name: String,
    pub developer: String,
    pub households: i64,
    pub phases: i64,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub service_centi: i64,
    pub elderly_centi: i64,
    pub floor: i64,
    pub own_entrance: i64,
    pub planning_due: String,
    pub construction_due: String,
    pub acceptance_due: String,
    pub handover_due: String,
    pub built_service_centi: Option<i64>,
    pub built_elderly_centi: Option<i64>,
    pub housing_share_pct: Option<i64>,
    pub registered_by: String,
    pub created_at: String,
}

impl ProjectRow {
    /// The planned date of each step, in step order.
    pub fn due(&self) -> [chrono::NaiveDate; 4] {
        [&self.planning_due, &self.construction_due, &self.acceptance_due, &self.handover_due]
            .map(|d| d.parse().unwrap_or_default())
    }

    /// What the construction sign-off recorded, once made.
    pub fn built(&self) -> Option<BuiltRooms> {
        Some(BuiltRooms {
            service: area(self.built_service_centi?),
            elderly: area(self.built_elderly_centi?),
            housing_share_pct: self.housing_share_pct? as i32,
        })
    }

    /// The rooms as planned.
    pub fn planned(&self) -> gongzhi_domain::facilities::project::PlannedRooms {
        gongzhi_domain::facilities::project::PlannedRooms {
            service: area(self.service_centi),
            elderly: area(self.elderly_centi),
            floor: self.floor as i32,
            own_entrance: self.own_entrance != 0,
        }
    }
}

const PROJECT: &str = "SELECT p.id, p.community_id, c.name AS community_name, c.path AS community_path,
        s.name AS street_name, p.name, p.developer, p.households, p.phases, p.lon, p.lat, p.service_centi,
        p.elderly_centi, p.floor, p.own_entrance, p.planning_due, p.construction_due, p.acceptance_due,
        p.handover_due, p.built_service_centi, p.built_elderly_centi, p.housing_share_pct,
        a.display_name AS registered_by, p.created_at
     FROM facility_projects p JOIN org_nodes c ON c.id = p.community_id JOIN org_nodes s ON s.id = c.parent_id
     JOIN accounts a ON a.id = p.created_by";

/// The projects of the communities in `scope`, newest first.
pub async fn projects(conn: &mut AnyConnection, scope: &str) -> Result<Vec<ProjectRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PROJECT} WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY p.id DESC"))
        .bind(scope)
        .fetch_all(conn)
        .await
}

/// Project `id`.
pub async fn project(conn: &mut AnyConnection, id: i64) -> Result<Option<ProjectRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PROJECT} WHERE p.id = $1")).bind(id).fetch_optional(conn).await
}

/// Stores a project; its id.
pub async fn insert_project(conn: &mut AnyConnection, p: &Project, by: i64, at: &str) -> Result<i64, sqlx::Error> {
    let [planning, construction, acceptance, handover] = p.due.map(|d| d.to_string());
    sqlx::query_scalar(
        "INSERT INTO facility_projects (community_id, name, developer, households, phases, lon, lat, service_centi,
            elderly_centi, floor, own_entrance, planning_due, construction_due, acceptance_due, handover_due,
            created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(p.community_id)
    .bind(&p.name)
    .bind(&p.developer)
    .bind(i64::from(p.households))
    .bind(i64::from(p.phases))
    .bind(p.position.map(|x| x.lon))
    .bind(p.position.map(|x| x.lat))
    .bind(p.rooms.service.centi())
    .bind(p.rooms.elderly.centi())
    .bind(i64::from(p.rooms.floor))
    .bind(i64::from(p.rooms.own_entrance))
    .bind(planning)
    .bind(construction)
    .bind(acceptance)
    .bind(handover)
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// A sign-off on file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignOffRow {
    pub project_id: i64,
    pub kind: String,
    pub signed_on: String,
    pub evidence: String,
    pub signer: String,
    pub unit_name: String,
}

/// The sign-offs of the projects in `scope`, by project.
pub async fn sign_offs(conn: &mut AnyConnection, scope: &str) -> Result<Vec<SignOffRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.project_id, f.kind, f.signed_on, f.evidence, a.display_name AS signer, f.unit_name
         FROM facility_sign_offs f JOIN facility_projects p ON p.id = f.project_id
         JOIN org_nodes c ON c.id = p.community_id JOIN accounts a ON a.id = f.account_id
         WHERE c.path LIKE $1 || '%' OR $1 LIKE c.path || '%' ORDER BY f.project_id, f.id",
    )
    .bind(scope)
    .fetch_all(conn)
    .await
}

/// The sign-offs of project `id`, in the order made.
pub async fn project_sign_offs(conn: &mut AnyConnection, id: i64) -> Result<Vec<SignOffRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.project_id, f.kind, f.signed_on, f.evidence, a.display_name AS signer, f.unit_name
         FROM facility_sign_offs f JOIN accounts a ON a.id = f.account_id WHERE f.project_id = $1 ORDER BY f.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Stores a sign-off (and, for the construction sign-off, the built rooms on
/// the project); `false` when that sign-off is on file already (the unique
/// key decides between two at once).
pub async fn insert_sign_off(
    conn: &mut AnyConnection,
    project: i64,
    s: &SignOff,
    by: i64,
    unit: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO facility_sign_offs (project_id, kind, signed_on, evidence, account_id, unit_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(project)
    .bind(s.kind.code())
    .bind(s.signed_on.to_string())
    .bind(&s.evidence)
    .bind(by)
    .bind(unit)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    if id.is_none() {
        return Ok(false);
    }
    if let Some(b) = s.built {
        sqlx::query(
            "UPDATE facility_projects SET built_service_centi = $1, built_elderly_centi = $2, housing_share_pct = $3
             WHERE id = $4",
        )
        .bind(b.service.centi())
        .bind(b.elderly.centi())
        .bind(i64::from(b.housing_share_pct))
        .bind(project)
        .execute(conn)
        .await?;
    }
    Ok(true)
}

/// A department's name and the authority it signs for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignerUnit {
    pub name: String,
    pub authority: Option<String>,
}

/// Department `id`'s name and authority.
pub async fn department(conn: &mut AnyConnection, id: i64) -> Result<Option<SignerUnit>, sqlx::Error> {
    sqlx::query_as("SELECT name, authority FROM departments WHERE id = $1").bind(id).fetch_optional(conn).await
}

/// Gives department `code` the authority it signs for (configuration, the seed).
pub async fn set_authority(conn: &mut AnyConnection, code: &str, authority: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE departments SET authority = $1 WHERE code = $2")
        .bind(authority)
        .bind(code)
        .execute(conn)
        .await?;
    Ok(())
}

/// A drawn outline: a community's or a grid's boundary, with the community
/// it belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutlineRow {
    pub community_id: i64,
    pub level: String,
    pub geojson: String,
}

/// The outlines of the communities in `scope` (their grids' where a
/// community has no outline of its own).
pub async fn outlines(conn: &mut AnyConnection, scope: &str) -> Result<Vec<OutlineRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT CASE WHEN n.level = 'grid' THEN n.parent_id ELSE n.id END AS community_id, n.level, b.geojson
         FROM org_boundaries b JOIN org_nodes n ON n.id = b.org_node_id
         WHERE n.level IN ('community', 'grid') AND (n.path LIKE $1 || '%' OR $1 LIKE n.path || '%')
         ORDER BY n.path",
    )
    .bind(scope)
    .fetch_all(conn)
    .await
}
