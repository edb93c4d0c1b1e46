//! Demo grid: boundaries for 幸福社区 (six grids) and 和平社区 (two), a few
//! thousand synthetic households and residents with special groups, a
//! history of visits (some overdue, some due soon) and events at every stage
//! of the loop.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, SecondsFormat, Utc};
use gongzhi_domain::grid::boundary::{GridBoundary, FIELD_BOUNDARY};
use gongzhi_domain::grid::config;
use gongzhi_domain::grid::visits::reckoned_due_date;
use gongzhi_domain::org::SpecialGroup;
use gongzhi_domain::pii::IdNumber;
use gongzhi_domain::WorkingDayCalendar;
use sqlx::AnyConnection;

use crate::store::grid::store_boundary;

/// A community laid out as `cols × rows` grid cells from a south-west corner.
struct Layout {
    code: &'static str,
    name: &'static str,
    lon: f64,
    lat: f64,
    cols: usize,
    rows: usize,
    /// Households per grid, in grid order.
    households: &'static [usize],
}

/// Cell size: about 255 m east–west and 200 m north–south at 28° N.
const DLON: f64 = 0.0026;
const DLAT: f64 = 0.0018;
const BUILDINGS_X: usize = 4;
const BUILDINGS_Y: usize = 3;

const LAYOUTS: [Layout; 2] = [
    // 东乡区城东街道, near 116.60° E 28.24° N.
    Layout {
        code: "DX-CD-XF",
        name: "幸福社区",
        lon: 116.6000,
        lat: 28.2400,
        cols: 3,
        rows: 2,
        households: &[420, 380, 460, 310, 520, 280],
    },
    Layout {
        code: "DX-CD-HP",
        name: "和平社区",
        lon: 116.6100,
        lat: 28.2400,
        cols: 2,
        rows: 1,
        households: &[330, 360],
    },
];

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> GridBoundary {
    let raw = format!(
        r#"{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}"#
    );
    GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).expect("demo boundary is valid")
}

const SURNAMES: [&str; 16] =
    ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林"];
const GIVEN: [&str; 16] = [
    "秀英", "建国", "桂兰", "志强", "美华", "德明", "丽娟", "国庆", "玉珍", "海涛", "春梅", "文军", "淑芬", "小明",
    "雨欣", "子轩",
];

pub(super) async fn seed(
    tx: &mut AnyConnection,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
    departments: &HashMap<&str, i64>,
    calendar: &WorkingDayCalendar,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let stamp = now.to_rfc3339();
    let mut n = 0usize;
    let rules = &config().visit_rules;
    for layout in &LAYOUTS {
        let community = nodes[layout.code];
        let (w, h) = (layout.cols as f64 * DLON, layout.rows as f64 * DLAT);
        store_boundary(tx, community, &rect(layout.lon, layout.lat, layout.lon + w, layout.lat + h)).await?;
        let walker = accounts[if layout.code == "DX-CD-XF" { "gridmember" } else { "gridmember.hp" }];
        for (g, &count) in layout.households.iter().enumerate() {
            let code = format!("{}-{:02}", layout.code, g + 1);
            let grid = nodes[&code];
            let (c, r) = (g % layout.cols, g / layout.cols);
            let (gx, gy) = (layout.lon + c as f64 * DLON, layout.lat + r as f64 * DLAT);
            store_boundary(tx, grid, &rect(gx, gy, gx + DLON, gy + DLAT)).await?;
            let buildings = BUILDINGS_X * BUILDINGS_Y;
            for k in 0..count {
                let b = k % buildings;
                let unit = k / buildings;
                let (bx, by) = (b % BUILDINGS_X, b / BUILDINGS_X);
                let lon = gx + (bx as f64 + 0.5) / BUILDINGS_X as f64 * DLON + ((unit % 8) as f64 - 3.5) * 0.00005;
                let lat = gy + (by as f64 + 0.5) / BUILDINGS_Y as f64 * DLAT + ((unit / 8) as f64 - 2.0) * 0.00004;
                let building_no = g * buildings + b + 1;
                let (floor, door) = (1 + unit / 2, 1 + unit % 2);
                let address = format!("{}{building_no} 栋 {floor}0{door} 室", layout.name);
                let household = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO households (grid_id, code, address, building, lon, lat, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(grid)
                .bind(format!("{code}-{:04}", k + 1))
                .bind(&address)
                .bind(format!("{building_no} 栋"))
                .bind(lon)
                .bind(lat)
                .bind(&stamp)
                .fetch_one(&mut *tx)
                .await?;
                // One or two residents; about one household in twelve has
                // someone in a special group, spread over the buildings.
                let special = (k * 7919 + g * 104_729) % 97 < 8;
                // Some ordinary households had a routine visit lately.
                if !special && (k * 31 + g) % 6 == 0 {
                    let visited = today - Duration::days(((k * 13) % 25) as i64);
                    let v =
                        DemoVisit { key: format!("seed-household-visit-{household}"), grid, household, resident: None };
                    v.insert(tx, visited, 15, walker, &stamp).await?;
                }
                for p in 0..(1 + k % 2) {
                    n += 1;
                    let group = (p == 0 && special).then(|| SpecialGroup::ALL[(k * 31) % SpecialGroup::ALL.len()]);
                    let birth =
                        NaiveDate::from_ymd_opt(1935, 1, 1).unwrap() + Duration::days(((n * 37) % 30_000) as i64);
                    let first17 = format!("361021{}{:03}", birth.format("%Y%m%d"), n % 1000);
                    let id_number = format!("{first17}{}", IdNumber::check_char(&first17));
                    let since = today - Duration::days(400);
                    let resident = sqlx::query_scalar::<_, i64>(
                        "INSERT INTO residents (org_node_id, household_id, name, id_number, phone, address, special_group,
                            special_since, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    )
                    .bind(grid)
                    .bind(household)
                    .bind(format!("{}{}", SURNAMES[n % 16], GIVEN[(n * 7 + p) % 16]))
                    .bind(id_number)
                    .bind(format!("139{:08}", (10_000_000 + n * 7919) % 100_000_000))
                    .bind(&address)
                    .bind(group.map(|g| g.code()))
                    .bind(group.map(|_| since.to_string()))
                    .bind(&stamp)
                    .fetch_one(&mut *tx)
                    .await?;
                    // The last visit: spread so that about a fifth are overdue
                    // and a few fall due in the next days.
                    if let Some(group) = group {
                        let Some(rule) = rules.for_group(group) else { continue };
                        let span = (reckoned_due_date(rule.every, today, calendar).value - today).num_days().max(1);
                        let back = (k as i64 * 7919) % (span + span / 3 + 1);
                        let visited = today - Duration::days(back);
                        let v = DemoVisit {
                            key: format!("seed-visit-{resident}"),
                            grid,
                            household,
                            resident: Some(resident),
                        };
                        v.insert(tx, visited, 10, walker, &stamp).await?;
                    }
                }
            }
        }
    }
    seed_events(tx, nodes, accounts, departments).await?;
    Ok(())
}

/// A visit in the demo's history, met in person.
struct DemoVisit {
    key: String,
    grid: i64,
    household: i64,
    resident: Option<i64>,
}

impl DemoVisit {
    /// On Shanghai day `day` at `hour` o'clock.
    async fn insert(
        &self,
        tx: &mut AnyConnection,
        day: NaiveDate,
        hour: i64,
        recorded_by: i64,
        stamp: &str,
    ) -> Result<(), sqlx::Error> {
        let at = gongzhi_domain::time::shanghai_day_start(day) + Duration::hours(hour);
        sqlx::query(
            "INSERT INTO visits (idempotency_key, request_sha256, grid_id, household_id, resident_id, outcome,
                needs, follow_up, visited_at, visited_on, recorded_by, received_at)
             VALUES ($1, 'seed', $2, $3, $4, 'met', NULL, NULL, $5, $6, $7, $8)",
        )
        .bind(&self.key)
        .bind(self.grid)
        .bind(self.household)
        .bind(self.resident)
        .bind(at.to_rfc3339_opts(SecondsFormat::Secs, true))
        .bind(day.to_string())
        .bind(recorded_by)
        .bind(stamp)
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}

/// Events at each stage of the loop in 幸福社区, started at different times
/// so the flags show green, yellow and red.
async fn seed_events(
    tx: &mut AnyConnection,
    nodes: &HashMap<String, i64>,
    accounts: &HashMap<&str, i64>,
    departments: &HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let (lon, lat) = (116.6000, 28.2400);
    // (grid, category, description, status, department, hours since the stage began, offset east/north in cells)
    type Case = (&'static str, &'static str, &'static str, &'static str, Option<&'static str>, i64, (f64, f64));
    let cases: [Case; 8] = [
        ("DX-CD-XF-01", "environment", "3 栋东侧绿化带堆放建筑垃圾,约两车", "reported", None, 1, (0.30, 0.40)),
        ("DX-CD-XF-02", "facility", "5 栋单元门禁损坏,无法关闭", "registered", None, 7, (1.40, 0.55)),
        ("DX-CD-XF-01", "environment", "小区北门垃圾桶满溢,异味明显", "dispatched", Some("zjj"), 20, (0.70, 0.80)),
        (
            "DX-CD-XF-03",
            "employment",
            "居民反映灵活就业人员社保缴费渠道不清楚",
            "handling",
            Some("rsj"),
            24 * 9,
            (2.30, 0.30),
        ),
        ("DX-CD-XF-04", "health", "12 栋有居民饲养家禽,邻居担心卫生问题", "dispatched", Some("wjw"), 3, (0.50, 1.50)),
        ("DX-CD-XF-05", "safety", "地下车库消防通道被电动车占用", "reported_back", Some("yjglj"), 30, (1.60, 1.30)),
        ("DX-CD-XF-02", "dispute", "楼上漏水引发邻里纠纷,已初步调解", "closed", Some("mzj"), 24 * 20, (1.20, 0.20)),
        ("DX-CD-HP-01", "facility", "2 栋路灯不亮已一周", "registered", None, 2, (4.30, 0.50)),
    ];
    for (i, (grid, category, description, status, dept, hours, (dx, dy))) in cases.into_iter().enumerate() {
        let started = now - Duration::hours(hours);
        let s = started.to_rfc3339_opts(SecondsFormat::Millis, true);
        let path: String = sqlx::query_scalar("SELECT path FROM org_nodes WHERE id = $1")
            .bind(nodes[grid])
            .fetch_one(&mut *tx)
            .await?;
        let (community, reporter) =
            if grid.starts_with("DX-CD-HP") { ("DX-CD-HP", "gridmember.hp") } else { ("DX-CD-XF", "gridmember") };
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO events (idempotency_key, request_sha256, community_id, grid_id, path, category, description, lon, lat,
                status, department_id, reported_by, reported_at, received_at, stage_started_at, updated_at)
             VALUES ($1, 'seed', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(format!("seed-event-{i}"))
        .bind(nodes[community])
        .bind(nodes[grid])
        .bind(&path)
        .bind(category)
        .bind(description)
        .bind(lon + dx * DLON)
        .bind(lat + dy * DLAT)
        .bind(status)
        .bind(dept.map(|d| departments[d]))
        .bind(accounts[reporter])
        .bind(&s)
        .bind(&s)
        .bind(&s)
        .bind(&s)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO event_steps (event_id, action, to_status, note, actor_id, at) VALUES ($1, 'report', $2, '', $3, $4)")
            .bind(id)
            .bind(status)
            .bind(accounts[reporter])
            .bind(&s)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
