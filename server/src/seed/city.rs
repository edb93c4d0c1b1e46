//! A synthetic city for measuring at scale (issue 15): `gongzhi-server
//! generate-city [--scale F]`. At scale 1.0: 300 communities under 30 streets
//! under 5 districts, 5,000 grids tiling them, 1.2 million households with
//! positions inside their grid, 4 million residents (about 4 % in a special
//! group, the group fitting the age), a year of visits (10 million: each
//! special-group resident at their group's rule, some falling behind lately so
//! the due lists show overdue visits, the rest routine household visits),
//! 50,000 events across the loop's statuses and 2,000 admission files in
//! every status. One grid member per grid (`gm.00001`…) and one leader per
//! community (`leader.c001`…), with the demo password. Every count scales
//! with F (at least one of each); the demo city and its accounts come first
//! (the demo seed), so everything the demo offers is there too.
//!
//! Deterministic: one ChaCha8 stream from a fixed seed, dates counted back
//! from the server's today (`GONGZHI_TODAY` to pin it).
//!
//! **The audit trail.** The generated history is written as an import of
//! existing records would be — as data, in large transactions of multi-row
//! INSERTs — with one exception: every generated visit gets the
//! `visit.create` entry the live system would have written when it was
//! recorded (at its receipt time, by its grid member, chained and MAC'd with
//! the key exactly as [`crate::audit::append`] does, in visit order). A year
//! of visits is most of what a real trail holds, so the audit search is
//! measured over a trail of realistic size, and `verify-audit` checks the
//! whole of it. Residents, households, events, admission files and the
//! boundaries are history from before the system (as a household import's
//! rows are the file's): one `system.bootstrap` entry records the generation
//! itself (scale, seed, counts).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{Duration, NaiveDate, SecondsFormat};
use gongzhi_domain::audit::{AuditAction, AuditFields, GENESIS_HASH};
use gongzhi_domain::grid::boundary::{GridBoundary, FIELD_BOUNDARY};
use gongzhi_domain::grid::config;
use gongzhi_domain::grid::visits::Interval;
use gongzhi_domain::org::SpecialGroup;
use gongzhi_domain::pii::IdNumber;
use gongzhi_domain::{OrgLevel, OrgPath, Role};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{AnyConnection, AnyPool, Connection};

use crate::audit::{Event, Who};
use crate::keys::Keys;
use crate::store::grid::store_boundary;

/// The RNG's seed: the same scale gives the same city.
pub const SEED: u64 = 15;

/// Rows per multi-row INSERT, and statements per transaction.
const ROWS_PER_INSERT: usize = 1_000;
const INSERTS_PER_TX: usize = 50;

/// How many of each, at a scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Plan {
    pub districts: usize,
    pub streets: usize,
    pub communities: usize,
    pub grids: usize,
    pub households: usize,
    pub residents: usize,
    pub visits: usize,
    pub events: usize,
    pub admission_files: usize,
}

impl Plan {
    /// The city at `scale` (1.0: the issue's city).
    pub fn at(scale: f64) -> Self {
        let n = |full: f64| ((full * scale).round() as usize).max(1);
        let communities = n(300.0);
        let grids = n(5_000.0).max(communities);
        let households = n(1_200_000.0).max(grids);
        Self {
            districts: communities.div_ceil(60),
            streets: communities.div_ceil(10),
            communities,
            grids,
            households,
            residents: n(4_000_000.0).max(households),
            visits: n(10_000_000.0),
            events: n(50_000.0),
            admission_files: n(2_000.0),
        }
    }
}

/// Prints one phase's rows and rate.
fn report(phase: &str, rows: usize, started: Instant) {
    let s = started.elapsed().as_secs_f64();
    println!("  {phase:<28} {rows:>11} rows  {s:>8.1} s  {:>10.0} rows/s", rows as f64 / s.max(1e-9));
}

/// A value written into a multi-row INSERT's text. Everything generated is
/// ours (no input), quoted and escaped all the same.
enum V<'a> {
    I(i64),
    F(f64),
    T(&'a str),
    S(String),
    Null,
}

fn push_value(sql: &mut String, v: &V) {
    match v {
        V::I(i) => write!(sql, "{i}").unwrap(),
        V::F(f) => write!(sql, "{f}").unwrap(),
        V::T(t) => push_text(sql, t),
        V::S(s) => push_text(sql, s),
        V::Null => sql.push_str("NULL"),
    }
}

fn push_text(sql: &mut String, t: &str) {
    sql.push('\'');
    for c in t.chars() {
        if c == '\'' {
            sql.push('\'');
        }
        sql.push(c);
    }
    sql.push('\'');
}

/// The generator's one connection and its open transaction: statements
/// are committed [`INSERTS_PER_TX`] at a time.
struct Writer {
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
    statements: usize,
}

impl Writer {
    async fn exec(&mut self, sql: &str) -> anyhow::Result<()> {
        if self.statements == 0 {
            sqlx::raw_sql("BEGIN").execute(&mut *self.conn).await?;
        }
        sqlx::raw_sql(sql).execute(&mut *self.conn).await?;
        self.statements += 1;
        if self.statements == INSERTS_PER_TX {
            self.commit().await?;
        }
        Ok(())
    }

    async fn commit(&mut self) -> anyhow::Result<()> {
        if self.statements > 0 {
            sqlx::raw_sql("COMMIT").execute(&mut *self.conn).await?;
            self.statements = 0;
        }
        Ok(())
    }
}

/// Multi-row INSERTs into one table, sent when `cap` rows are waiting (or
/// by [`Bulk::flush`]).
struct Bulk {
    head: String,
    sql: String,
    rows: usize,
    cap: usize,
    total: usize,
}

impl Bulk {
    fn new(table: &str, columns: &str) -> Self {
        Self::with_cap(table, columns, ROWS_PER_INSERT)
    }

    fn with_cap(table: &str, columns: &str, cap: usize) -> Self {
        Self { head: format!("INSERT INTO {table} ({columns}) VALUES "), sql: String::new(), rows: 0, cap, total: 0 }
    }

    async fn row(&mut self, w: &mut Writer, values: &[V<'_>]) -> anyhow::Result<()> {
        if self.rows == 0 {
            self.sql.clear();
            self.sql.push_str(&self.head);
        } else {
            self.sql.push(',');
        }
        self.sql.push('(');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.sql.push(',');
            }
            push_value(&mut self.sql, v);
        }
        self.sql.push(')');
        self.rows += 1;
        self.total += 1;
        if self.rows == self.cap {
            self.flush(w).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, w: &mut Writer) -> anyhow::Result<()> {
        if self.rows > 0 {
            w.exec(&self.sql).await?;
            self.rows = 0;
        }
        Ok(())
    }

    async fn finish(mut self, w: &mut Writer) -> anyhow::Result<usize> {
        self.flush(w).await?;
        w.commit().await?;
        Ok(self.total)
    }
}

/// A generated grid: its node, cell and the people working it.
struct Grid {
    id: i64,
    code: String,
    path: String,
    community: usize,
    /// South-west and north-east corners.
    min: (f64, f64),
    max: (f64, f64),
    member: i64,
    member_login: String,
}

struct Community {
    id: i64,
    name: String,
}

/// A special-group resident's visiting schedule.
#[derive(Clone)]
struct Subject {
    resident: i64,
    household: i64,
    grid: usize,
    every: Interval,
    /// Day index (0 = a year ago) of the next visit.
    next: i64,
    /// Visits stop after this day (those falling behind lately).
    until: i64,
}

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗",
];
const GIVEN: [&str; 24] = [
    "秀英", "建国", "桂兰", "志强", "美华", "德明", "丽娟", "国庆", "玉珍", "海涛", "春梅", "文军", "淑芬", "小明",
    "雨欣", "子轩", "浩然", "梓涵", "建华", "红梅", "伟", "静", "磊", "敏",
];
const PLACES: [&str; 20] = [
    "青山", "绿水", "朝阳", "建设", "解放", "人民", "胜利", "文化", "光明", "新华", "和顺", "安康", "长乐", "永宁",
    "丰收", "红星", "友谊", "团结", "振兴", "育才",
];
const EVENT_TEXT: [&str; 6] = [
    "楼道堆放杂物,影响通行",
    "路灯损坏,夜间照明不足",
    "居民反映噪音扰民",
    "下水道堵塞,污水外溢",
    "电动车楼道充电,存在安全隐患",
    "垃圾清运不及时",
];

/// Where the synthetic city lies (away from the demo's 116.60° E 28.24° N).
const ORIGIN: (f64, f64) = (115.80, 28.60);
/// A grid cell is about 255 m × 200 m, as in the demo.
const DLON: f64 = 0.0026;
const DLAT: f64 = 0.0018;
/// Communities per row of the city's lattice.
const COMMUNITIES_PER_ROW: usize = 20;

fn rect(min: (f64, f64), max: (f64, f64)) -> anyhow::Result<GridBoundary> {
    let ((x0, y0), (x1, y1)) = (min, max);
    let raw = format!(
        r#"{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}"#
    );
    GridBoundary::parse_geojson(FIELD_BOUNDARY, &raw).map_err(|e| anyhow::anyhow!("generated boundary: {e:?}"))
}

/// `count` split over `parts` as evenly as can be: part `i`'s share.
fn share(count: usize, parts: usize, i: usize) -> usize {
    count * (i + 1) / parts - count * i / parts
}

/// The cells of a community's rectangle: `g` grids in rows of (nearly) equal
/// counts, each row's width split evenly. The edges are computed once per
/// line, so neighbours share exactly the same coordinates: the grids tile
/// the rectangle with no gap and no overlap.
pub fn cells(min: (f64, f64), max: (f64, f64), g: usize) -> Vec<((f64, f64), (f64, f64))> {
    let rows = (g as f64).sqrt().ceil().max(1.0) as usize;
    let rows = rows.min(g);
    let y = |r: usize| if r == rows { max.1 } else { min.1 + (max.1 - min.1) * r as f64 / rows as f64 };
    let mut out = Vec::with_capacity(g);
    for r in 0..rows {
        let n = share(g, rows, r);
        let x = |c: usize| if c == n { max.0 } else { min.0 + (max.0 - min.0) * c as f64 / n as f64 };
        for c in 0..n {
            out.push(((x(c), y(r)), (x(c + 1), y(r + 1))));
        }
    }
    out
}

/// The next id of `table` (explicit ids let visits name their household and
/// resident without reading them back).
async fn next_id(conn: &mut AnyConnection, table: &str) -> anyhow::Result<i64> {
    let max: Option<i64> =
        sqlx::query_scalar(&format!("SELECT CAST(MAX(id) AS BIGINT) FROM {table}")).fetch_one(&mut *conn).await?;
    Ok(max.unwrap_or(0) + 1)
}

/// Generates the city into `db` (migrated, with the demo city seeded).
/// Refuses a database that has one already.
pub async fn generate(db: &AnyPool, keys: &Keys, today: NaiveDate, scale: f64) -> anyhow::Result<Plan> {
    anyhow::ensure!(scale > 0.0 && scale <= 10.0, "scale must be in (0, 10]");
    let plan = Plan::at(scale);
    let backend = crate::db::Backend::of(db);
    let mut w = Writer { conn: db.acquire().await?, statements: 0 };
    let done: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM org_nodes WHERE code = 'CITY-D01'").fetch_one(&mut *w.conn).await?;
    anyhow::ensure!(done == 0, "this database holds a generated city already");
    let demo: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE username = 'gridmember'")
        .fetch_one(&mut *w.conn)
        .await?;
    anyhow::ensure!(demo == 1, "the demo city is missing (generate-city seeds it on an empty database)");
    if backend == crate::db::Backend::Sqlite {
        // A large page cache for the index inserts; this connection only.
        sqlx::raw_sql("PRAGMA cache_size = -262144").execute(&mut *w.conn).await?;
    }
    println!("generating the city at scale {scale}: {plan:?}");
    let all = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let now = chrono::Utc::now();
    let stamp = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let year_ago = today - Duration::days(365);

    // The organisation tree, boundaries and accounts (per row: a few thousand).
    let started = Instant::now();
    let root: (i64, String) =
        sqlx::query_as("SELECT id, path FROM org_nodes WHERE parent_id IS NULL ORDER BY id LIMIT 1")
            .fetch_one(&mut *w.conn)
            .await?;
    let root = (root.0, OrgPath::parse(&root.1).ok_or_else(|| anyhow::anyhow!("root path"))?);
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE username = 'gridmember'")
        .fetch_one(&mut *w.conn)
        .await?;
    let mut tx = w.conn.begin().await?;
    let mut communities = Vec::with_capacity(plan.communities);
    let mut grids: Vec<Grid> = Vec::with_capacity(plan.grids);
    let mut c_index = 0usize;
    let g_per_c: Vec<usize> = (0..plan.communities).map(|c| share(plan.grids, plan.communities, c)).collect();
    let g_max = *g_per_c.iter().max().unwrap_or(&1);
    let rows_max = (g_max as f64).sqrt().ceil() as usize;
    let (c_w, c_h) = (rows_max as f64 * DLON, rows_max as f64 * DLAT);
    for d in 0..plan.districts {
        let dcode = format!("CITY-D{:02}", d + 1);
        let district =
            super::add_node(&mut tx, Some(&root), OrgLevel::District, &dcode, &format!("{}区", PLACES[d % 20])).await?;
        let streets = share(plan.streets, plan.districts, d);
        for s in 0..streets {
            let scode = format!("{dcode}-S{:02}", s + 1);
            let sname = format!("{}{}街道", PLACES[(d * 7 + s) % 20], ["东", "西", "南", "北", "中"][s % 5]);
            let street = super::add_node(&mut tx, Some(&district), OrgLevel::Street, &scode, &sname).await?;
            let total_streets_before: usize = (0..d).map(|k| share(plan.streets, plan.districts, k)).sum::<usize>() + s;
            let in_street = share(plan.communities, plan.streets, total_streets_before);
            for k in 0..in_street {
                let ci = c_index;
                c_index += 1;
                let ccode = format!("CITY-C{:03}", ci + 1);
                let cname = format!("{}{}社区", PLACES[(ci * 3 + k) % 20], ["苑", "里", "园", "坊", "村"][ci % 5]);
                let community = super::add_node(&mut tx, Some(&street), OrgLevel::Community, &ccode, &cname).await?;
                let (cx, cy) = (ci % COMMUNITIES_PER_ROW, ci / COMMUNITIES_PER_ROW);
                let min = (ORIGIN.0 + cx as f64 * (c_w + DLON), ORIGIN.1 + cy as f64 * (c_h + DLAT));
                let max = (min.0 + c_w, min.1 + c_h);
                store_boundary(&mut tx, community.0, &rect(min, max)?).await?;
                let leader = format!("leader.c{:03}", ci + 1);
                super::add_account(
                    &mut tx,
                    &leader,
                    &format!("{cname}主任"),
                    Role::CommunityLeader,
                    community.0,
                    None,
                    &hash,
                    false,
                )
                .await?;
                for (gi, (gmin, gmax)) in cells(min, max, g_per_c[ci]).into_iter().enumerate() {
                    let gcode = format!("{ccode}-{:02}", gi + 1);
                    let grid = super::add_node(
                        &mut tx,
                        Some(&community),
                        OrgLevel::Grid,
                        &gcode,
                        &format!("{cname}第{}网格", gi + 1),
                    )
                    .await?;
                    store_boundary(&mut tx, grid.0, &rect(gmin, gmax)?).await?;
                    let login = format!("gm.{:05}", grids.len() + 1);
                    let name = format!("网格员 {}{}", SURNAMES[grids.len() % 20], GIVEN[(grids.len() * 7) % 24]);
                    let member =
                        super::add_account(&mut tx, &login, &name, Role::GridMember, grid.0, None, &hash, false)
                            .await?;
                    grids.push(Grid {
                        id: grid.0,
                        code: gcode,
                        path: grid.1.as_str().to_string(),
                        community: communities.len(),
                        min: gmin,
                        max: gmax,
                        member,
                        member_login: login,
                    });
                }
                communities.push(Community { id: community.0, name: cname });
            }
        }
    }
    tx.commit().await?;
    report(
        "org nodes, boundaries, accounts",
        plan.districts + plan.streets + plan.communities * 2 + grids.len() * 3,
        started,
    );

    // Households and residents.
    let started = Instant::now();
    let first_household = next_id(&mut w.conn, "households").await?;
    let first_resident = next_id(&mut w.conn, "residents").await?;
    let rules = &config().visit_rules;
    let mut households = Bulk::new("households", "id, grid_id, code, address, building, lon, lat, created_at");
    // Residents name their household: a grid's households are sent before
    // its residents (a grid has far fewer than this cap).
    let mut residents = Bulk::with_cap(
        "residents",
        "id, org_node_id, household_id, name, id_number, phone, address, special_group, special_since, created_at",
        20_000,
    );
    // (household id, grid index) for the routine visits.
    let mut household_grid: Vec<(i64, u32)> = Vec::with_capacity(plan.households);
    let mut subjects: Vec<Subject> = Vec::new();
    let mut per_community = vec![0i64; communities.len()];
    let (mut hid, mut rid) = (first_household, first_resident);
    let mut h_index = 0usize;
    for (g, grid) in grids.iter().enumerate() {
        let count = share(plan.households, grids.len(), g);
        per_community[grid.community] += count as i64;
        let cname = &communities[grid.community].name;
        for k in 0..count {
            // Twelve buildings in a 4 × 3 layout, households near their building.
            let b = k % 12;
            let (bx, by) = ((b % 4) as f64, (b / 4) as f64);
            let (width, height) = (grid.max.0 - grid.min.0, grid.max.1 - grid.min.1);
            let lon = grid.min.0 + width * (bx + 0.5 + rng.gen_range(-0.35..0.35)) / 4.0;
            let lat = grid.min.1 + height * (by + 0.5 + rng.gen_range(-0.35..0.35)) / 3.0;
            let building_no = g * 12 + b + 1;
            let unit = k / 12;
            let address = format!("{cname}{building_no} 栋 {}0{} 室", 1 + unit / 2, 1 + unit % 2);
            households
                .row(
                    &mut w,
                    &[
                        V::I(hid),
                        V::I(grid.id),
                        V::S(format!("{}-{:04}", grid.code, k + 1)),
                        V::T(&address),
                        V::S(format!("{building_no} 栋")),
                        V::F(lon),
                        V::F(lat),
                        V::T(&stamp),
                    ],
                )
                .await?;
            household_grid.push((hid, g as u32));
            let people = share(plan.residents, plan.households, h_index);
            h_index += 1;
            for _ in 0..people {
                let n = (rid - first_resident) as usize;
                let birth = NaiveDate::from_ymd_opt(1935, 1, 1).unwrap() + Duration::days((n % 32_000) as i64);
                let first17 = format!(
                    "3601{:02}{}{:03}",
                    2 + (n / 32_000 / 1000) % 90,
                    birth.format("%Y%m%d"),
                    (n / 32_000) % 1000
                );
                let id_number = format!("{first17}{}", IdNumber::check_char(&first17));
                let age = (today - birth).num_days() / 365;
                let group = if rng.gen_bool(0.04) {
                    Some(match age {
                        a if a >= 65 => {
                            [SpecialGroup::ElderlyAlone, SpecialGroup::ExtremeHardship][rng.gen_range(0..2)]
                        }
                        a if a < 16 => SpecialGroup::LeftBehindChild,
                        _ => [SpecialGroup::Disabled, SpecialGroup::LowIncome, SpecialGroup::ExtremeHardship]
                            [rng.gen_range(0..3)],
                    })
                } else {
                    None
                };
                let since = group.map(|_| (year_ago - Duration::days(rng.gen_range(0..1500))).to_string());
                residents
                    .row(
                        &mut w,
                        &[
                            V::I(rid),
                            V::I(grid.id),
                            V::I(hid),
                            V::S(format!("{}{}", SURNAMES[rng.gen_range(0..20)], GIVEN[rng.gen_range(0..24)])),
                            V::S(id_number),
                            V::S(format!("1{}{:09}", [3, 5, 8][n % 3], (n as u64 * 7919) % 1_000_000_000)),
                            V::T(&address),
                            group.map_or(V::Null, |g| V::T(g.code())),
                            since.map_or(V::Null, V::S),
                            V::T(&stamp),
                        ],
                    )
                    .await?;
                if let Some(rule) = group.and_then(|g| rules.for_group(g)) {
                    // A fifth fall behind in the last weeks (overdue today).
                    let until = if rng.gen_bool(0.2) { 365 - rng.gen_range(7..60) } else { 365 };
                    subjects.push(Subject {
                        resident: rid,
                        household: hid,
                        grid: g,
                        every: rule.every,
                        next: rng.gen_range(0..interval_days(rule.every)),
                        until,
                    });
                }
                rid += 1;
            }
            hid += 1;
        }
        households.flush(&mut w).await?;
        residents.flush(&mut w).await?;
    }
    let h_rows = households.finish(&mut w).await?;
    let r_rows = residents.finish(&mut w).await?;
    report("households + residents", h_rows + r_rows, started);
    // The usual weight for splitting funding.
    let mut tx = w.conn.begin().await?;
    for (c, n) in communities.iter().zip(&per_community) {
        sqlx::query("UPDATE org_nodes SET households = $1 WHERE id = $2").bind(n).bind(c.id).execute(&mut *tx).await?;
    }
    tx.commit().await?;

    // A year of visits, day by day, each with its audit entry.
    let started = Instant::now();
    let first_visit = next_id(&mut w.conn, "visits").await?;
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_optional(&mut *w.conn).await?;
    let (mut seq, mut prev) = head.unwrap_or((0, GENESIS_HASH.to_string()));
    let mut visits = Bulk::new(
        "visits",
        "id, idempotency_key, request_sha256, grid_id, household_id, resident_id, outcome, needs, follow_up, visited_at,
         visited_on, recorded_by, received_at",
    );
    let mut trail = Bulk::new(
        "audit_log",
        "seq, at, actor, role, action, object, outcome, client_addr, detail, prev_hash, hash, mac",
    );
    // The special-group visits a year takes at these rules (counted first on
    // a copy, with their own stream), and the rest as routine visits.
    let mut special_total = 0usize;
    {
        let (mut copy, mut srng) = (subjects.clone(), ChaCha8Rng::seed_from_u64(SEED + 1));
        let mut out = Vec::new();
        for day in 0..=365i64 {
            out.clear();
            special_day(&mut copy, day, year_ago, &mut srng, &mut out);
            special_total += out.len();
        }
    }
    let routine_total = plan.visits.saturating_sub(special_total);
    let mut srng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let mut vid = first_visit;
    let mut written = 0usize;
    let mut day_visits: Vec<(i64, i64, Option<i64>, usize)> = Vec::new();
    let mut specials = Vec::new();
    for day in 0..=365i64 {
        let date = year_ago + Duration::days(day);
        day_visits.clear();
        specials.clear();
        special_day(&mut subjects, day, year_ago, &mut srng, &mut specials);
        for &(minute, i) in &specials {
            let s = &subjects[i];
            day_visits.push((minute, s.household, Some(s.resident), s.grid));
        }
        let routine = share(routine_total, 366, day as usize);
        for _ in 0..routine {
            let (h, g) = household_grid[rng.gen_range(0..household_grid.len())];
            day_visits.push((rng.gen_range(8 * 60..18 * 60), h, None, g as usize));
        }
        day_visits.sort_unstable_by_key(|v| v.0);
        for &(minute, household, resident, g) in &day_visits {
            if written == plan.visits {
                break;
            }
            let grid = &grids[g];
            let at = gongzhi_domain::time::shanghai_day_start(date) + Duration::minutes(minute);
            let visited_at = at.to_rfc3339_opts(SecondsFormat::Secs, true);
            let received =
                (at + Duration::seconds(rng.gen_range(5..3600))).to_rfc3339_opts(SecondsFormat::Millis, true);
            let outcome = match rng.gen_range(0..20) {
                0 => "not_home",
                1 | 2 => "met_family",
                _ => "met",
            };
            visits
                .row(
                    &mut w,
                    &[
                        V::I(vid),
                        V::S(format!("city-visit-{vid:010}")),
                        V::T("generated"),
                        V::I(grid.id),
                        V::I(household),
                        resident.map_or(V::Null, V::I),
                        V::T(outcome),
                        V::Null,
                        V::Null,
                        V::T(&visited_at),
                        V::S(date.to_string()),
                        V::I(grid.member),
                        V::T(&received),
                    ],
                )
                .await?;
            seq += 1;
            let detail = serde_json::json!({
                "household": household, "resident": resident, "outcome": outcome, "visited_at": visited_at
            })
            .to_string();
            let object = format!("visit:{vid}");
            let fields = AuditFields {
                seq,
                at: &received,
                actor: Some(&grid.member_login),
                role: Some(Role::GridMember.code()),
                action: AuditAction::VisitCreate.code(),
                object: &object,
                outcome: "success",
                client_addr: "10.0.0.1",
                detail: &detail,
            };
            let hash = fields.hash(&prev);
            let mac = keys.link_mac(crate::audit::CHAIN, seq, &hash);
            trail
                .row(
                    &mut w,
                    &[
                        V::I(seq),
                        V::T(&received),
                        V::T(&grid.member_login),
                        V::T(Role::GridMember.code()),
                        V::T(AuditAction::VisitCreate.code()),
                        V::T(&object),
                        V::T("success"),
                        V::T("10.0.0.1"),
                        V::T(&detail),
                        V::T(&prev),
                        V::T(&hash),
                        V::S(mac),
                    ],
                )
                .await?;
            prev = hash;
            vid += 1;
            written += 1;
        }
    }
    let v_rows = visits.finish(&mut w).await?;
    let a_rows = trail.finish(&mut w).await?;
    let head_mac = keys.head_mac(crate::audit::CHAIN, seq, &prev);
    sqlx::query("INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, $1, $2, $3) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac")
        .bind(seq)
        .bind(&prev)
        .bind(&head_mac)
        .execute(&mut *w.conn)
        .await?;
    report("visits + their audit entries", v_rows + a_rows, started);

    // Events across the loop, over the year; the open ones recent.
    let started = Instant::now();
    let departments: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>("SELECT code, id FROM departments")
        .fetch_all(&mut *w.conn)
        .await?
        .into_iter()
        .collect();
    let categories = &config().event_categories;
    let first_event = next_id(&mut w.conn, "events").await?;
    let mut events = Bulk::new(
        "events",
        "id, idempotency_key, request_sha256, community_id, grid_id, path, category, description, lon, lat, status,
         department_id, reported_by, reported_at, received_at, stage_started_at, updated_at",
    );
    let mut steps = Bulk::new("event_steps", "event_id, action, to_status, note, actor_id, at");
    const OPEN: [&str; 6] = ["reported", "registered", "dispatched", "handling", "reported_back", "checked"];
    for e in 0..plan.events {
        let id = first_event + e as i64;
        let grid = &grids[rng.gen_range(0..grids.len())];
        let category = &categories[rng.gen_range(0..categories.len())];
        let status = if rng.gen_bool(0.85) { "closed" } else { OPEN[rng.gen_range(0..OPEN.len())] };
        let age_hours = if status == "closed" { rng.gen_range(24..365 * 24) } else { rng.gen_range(1..24 * 14) };
        let reported = now - Duration::hours(age_hours);
        let stage = if status == "closed" {
            reported + Duration::hours(rng.gen_range(4..72))
        } else {
            now - Duration::hours(rng.gen_range(0..age_hours))
        };
        let r = reported.to_rfc3339_opts(SecondsFormat::Millis, true);
        let s = stage.to_rfc3339_opts(SecondsFormat::Millis, true);
        let dispatched = !matches!(status, "reported" | "registered");
        let lon = grid.min.0 + (grid.max.0 - grid.min.0) * rng.gen_range(0.05..0.95);
        let lat = grid.min.1 + (grid.max.1 - grid.min.1) * rng.gen_range(0.05..0.95);
        events
            .row(
                &mut w,
                &[
                    V::I(id),
                    V::S(format!("city-event-{id:08}")),
                    V::T("generated"),
                    V::I(communities[grid.community].id),
                    V::I(grid.id),
                    V::T(&grid.path),
                    V::T(&category.code),
                    V::T(EVENT_TEXT[rng.gen_range(0..EVENT_TEXT.len())]),
                    V::F(lon),
                    V::F(lat),
                    V::T(status),
                    departments.get(&category.department).filter(|_| dispatched).map_or(V::Null, |d| V::I(*d)),
                    V::I(grid.member),
                    V::T(&r),
                    V::T(&r),
                    V::T(&s),
                    V::T(&s),
                ],
            )
            .await?;
        steps.row(&mut w, &[V::I(id), V::T("report"), V::T(status), V::T(""), V::I(grid.member), V::T(&r)]).await?;
    }
    let e_rows = events.finish(&mut w).await?;
    let s_rows = steps.finish(&mut w).await?;
    report("events + steps", e_rows + s_rows, started);

    // Admission files: copies of the demo's files (every status, with their
    // timelines, consultations, communities and payments), numbered on.
    let started = Instant::now();
    let sources: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM admission_applications ORDER BY id").fetch_all(&mut *w.conn).await?;
    anyhow::ensure!(!sources.is_empty(), "the demo's admission files are missing");
    let year = today.format("%Y").to_string();
    let numbered: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admission_applications WHERE file_no LIKE $1")
        .bind(format!("ZR-{year}-%"))
        .fetch_one(&mut *w.conn)
        .await?;
    let mut tx = w.conn.begin().await?;
    let mut copied = 0usize;
    for i in 0..plan.admission_files {
        let source = sources[i % sources.len()];
        let file_no = format!("ZR-{year}-{:04}", numbered + i as i64 + 1);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO admission_applications (file_no, idempotency_key, request_sha256, department_id, org_node_id, path,
                status, form, item_name, scope_all, start_date, funding_fen, funding_period, negative_matches, paper,
                submitted_at, submitted_on, accepted_on, return_reason, extension_days, extension_reason, extension_approver,
                solicit_scope, decided_on, decision_meeting, decision_note, decided_by, delivered_at, created_by, updated_at)
             SELECT $1, $2, request_sha256, department_id, org_node_id, path, status, form, item_name, scope_all,
                start_date, funding_fen, funding_period, negative_matches, paper, submitted_at, submitted_on, accepted_on,
                return_reason, extension_days, extension_reason, extension_approver, solicit_scope, decided_on,
                decision_meeting, decision_note, decided_by, delivered_at, created_by, updated_at
             FROM admission_applications WHERE id = $3 RETURNING id",
        )
        .bind(&file_no)
        .bind(format!("city-admission-{i:05}"))
        .bind(source)
        .fetch_one(&mut *tx)
        .await?;
        for copy in [
            "INSERT INTO admission_communities (application_id, community_id) SELECT $1, community_id FROM admission_communities WHERE application_id = $2",
            "INSERT INTO admission_events (application_id, at, actor, action, note) SELECT $1, at, actor, action, note FROM admission_events WHERE application_id = $2 ORDER BY id",
            "INSERT INTO admission_consultations (application_id, department_id, asked_at, stance, text, answered_by, entered_for, answered_at)
             SELECT $1, department_id, asked_at, stance, text, answered_by, entered_for, answered_at FROM admission_consultations WHERE application_id = $2",
            "INSERT INTO admission_solicited (application_id, source, text, recorded_by, recorded_at) SELECT $1, source, text, recorded_by, recorded_at FROM admission_solicited WHERE application_id = $2",
            "INSERT INTO admission_guides (application_id, name, phone, named_by, named_at) SELECT $1, name, phone, named_by, named_at FROM admission_guides WHERE application_id = $2",
            "INSERT INTO admission_trainings (application_id, community_id, held_on, trainer, attendees, topic, recorded_by, recorded_at)
             SELECT $1, community_id, held_on, trainer, attendees, topic, recorded_by, recorded_at FROM admission_trainings WHERE application_id = $2",
        ] {
            sqlx::query(copy).bind(id).bind(source).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO funding_payments (idempotency_key, request_sha256, application_id, community_id, period_index,
                paid_on, amount_fen, voucher_no, kind, note, recorded_by, recorded_at)
             SELECT idempotency_key || '-' || $1, request_sha256, $2, community_id, period_index, paid_on, amount_fen,
                voucher_no, kind, note, recorded_by, recorded_at FROM funding_payments WHERE application_id = $3 AND kind = 'payment'",
        )
        .bind(format!("city{i:05}"))
        .bind(id)
        .bind(source)
        .execute(&mut *tx)
        .await?;
        copied += 1;
    }
    tx.commit().await?;
    report("admission files (copies)", copied, started);

    // PostgreSQL: the sequences past the explicit ids; then, as after any
    // bulk load, VACUUM (visibility map and hint bits, so the first readers
    // do not rewrite every page and counts can read indexes alone) and a
    // checkpoint. SQLite: statistics, and the WAL folded into the file.
    let started = Instant::now();
    if backend == crate::db::Backend::Postgres {
        for table in ["households", "residents", "visits", "events"] {
            sqlx::raw_sql(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&mut *w.conn)
            .await?;
        }
        sqlx::raw_sql("VACUUM (ANALYZE)").execute(&mut *w.conn).await?;
        // Superusers only (or pg_checkpoint): a speed-up, not a need.
        if let Err(e) = sqlx::raw_sql("CHECKPOINT").execute(&mut *w.conn).await {
            println!("  (no checkpoint: {e})");
        }
    } else {
        sqlx::raw_sql("ANALYZE").execute(&mut *w.conn).await?;
        sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *w.conn).await?;
    }
    report("statistics, vacuum, checkpoint", 0, started);

    let mut tx = crate::db::write_tx(db).await?;
    let who = Who { actor: None, role: None, client: "server-console".into() };
    let detail = serde_json::json!({ "generated_city": true, "scale": scale, "seed": SEED, "plan": plan, "visit_audit_entries": a_rows });
    crate::audit::append(&mut tx, &who, &Event::success(AuditAction::SystemBootstrap, "generated_city").detail(detail))
        .await?;
    tx.commit().await?;
    let s = all.elapsed().as_secs_f64();
    let rows = h_rows + r_rows + v_rows + a_rows + e_rows + s_rows;
    println!("done in {s:.1} s: {rows} rows of bulk data, {:.0} rows/s overall", rows as f64 / s);
    Ok(plan)
}

/// The special-group visits on `day` (0 = a year ago): (minute of the day,
/// subject), each subject's next visit moved on by its rule — on time, or a
/// day or two late now and then; none after its `until`.
fn special_day(
    subjects: &mut [Subject],
    day: i64,
    year_ago: NaiveDate,
    rng: &mut ChaCha8Rng,
    out: &mut Vec<(i64, usize)>,
) {
    let date = year_ago + Duration::days(day);
    for (i, s) in subjects.iter_mut().enumerate() {
        if s.next == day {
            if s.next <= s.until {
                out.push((rng.gen_range(8 * 60..18 * 60), i));
            }
            let late = if rng.gen_bool(0.1) { rng.gen_range(1..3) } else { 0 };
            s.next = (s.every.after(date) - year_ago).num_days().max(day + 1) + late;
        }
    }
}

/// An interval in days, roughly (months as 30 days): for spreading first
/// visits and counting a year's visits.
fn interval_days(every: Interval) -> i64 {
    match every {
        Interval::Days(n) => i64::from(n).max(1),
        Interval::Months(n) => i64::from(n).max(1) * 30,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_scales_and_keeps_one_of_each() {
        let full = Plan::at(1.0);
        assert_eq!(
            (
                full.communities,
                full.grids,
                full.households,
                full.residents,
                full.visits,
                full.events,
                full.admission_files
            ),
            (300, 5_000, 1_200_000, 4_000_000, 10_000_000, 50_000, 2_000)
        );
        assert_eq!((full.districts, full.streets), (5, 30));
        let tiny = Plan::at(0.001);
        assert_eq!((tiny.communities, tiny.grids, tiny.households, tiny.residents), (1, 5, 1_200, 4_000));
        assert_eq!((tiny.districts, tiny.streets, tiny.events, tiny.admission_files), (1, 1, 50, 2));
    }

    #[test]
    fn cells_tile_the_community() {
        use gongzhi_domain::grid::coverage::Coverage;
        for g in [1, 2, 5, 16, 17, 18] {
            let (min, max) = ((115.8, 28.6), (115.8 + 5.0 * DLON, 28.6 + 5.0 * DLAT));
            let cells = cells(min, max, g);
            assert_eq!(cells.len(), g);
            let grids: Vec<(usize, GridBoundary)> =
                cells.iter().enumerate().map(|(i, (a, b))| (i, rect(*a, *b).unwrap())).collect();
            let coverage = Coverage::measure(&rect(min, max).unwrap(), &grids);
            assert!(
                coverage.is_clean(),
                "{g} grids: {:?} overlaps, gap {} m², outside {} m²",
                coverage.overlaps.len(),
                coverage.gap_m2,
                coverage.outside_m2
            );
        }
    }
}
