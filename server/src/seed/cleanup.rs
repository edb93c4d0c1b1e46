//! Demo cleanup registers, one finished campaign, and the purchase-of-services list.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, Utc};
use gongzhi_domain::cleanup::{Counts, EntryKind};
use sqlx::AnyConnection;

/// (community, kind, name, source, basis, removed by the demo campaign)
const ENTRIES: &[(&str, &str, &str, &str, &str, bool)] = &[
    ("DX-CD-XF", "work_item", "社区就业失业登记", "市人力资源和社会保障局", "《就业服务与就业管理规定》", false),
    ("DX-CD-XF", "work_item", "餐饮门店食品安全巡查", "市市场监督管理局", "部门工作通知", true),
    ("DX-CD-XF", "body", "社区居民委员会", "市民政局", "《城市居民委员会组织法》", false),
    ("DX-CD-XF", "body", "社区创城工作领导小组", "市文明办", "创建工作方案", false),
    ("DX-CD-XF", "ledger", "老年人养老服务需求台账", "市民政局", "ZR-2026-0007 准予准入", false),
    ("DX-CD-XF", "ledger", "安全生产检查台账", "市应急管理局", "部门工作通知", false),
    ("DX-CD-XF", "plaque", "社区党群服务中心", "市委组织部", "党群服务中心建设规范", false),
    ("DX-CD-XF", "plaque", "禁毒工作站", "市公安局", "部门工作通知", false),
    ("DX-CD-XF", "plaque", "科普惠民服务站", "市科协", "部门工作通知", true),
    ("DX-CD-XF", "plaque", "文明创建指导站", "市文明办", "创建工作方案", false),
    ("DX-CD-HP", "work_item", "社区就业失业登记", "市人力资源和社会保障局", "《就业服务与就业管理规定》", false),
    ("DX-CD-HP", "body", "社区居民委员会", "市民政局", "《城市居民委员会组织法》", false),
    ("DX-CD-HP", "ledger", "消防安全巡查台账", "市应急管理局", "部门工作通知", false),
    ("DX-CD-HP", "plaque", "社区党群服务中心", "市委组织部", "党群服务中心建设规范", false),
    ("DX-CD-HP", "plaque", "计生协会服务站", "市卫生健康委员会", "部门工作通知", true),
    ("DX-CX-CQ", "body", "社区居民委员会", "市民政局", "《城市居民委员会组织法》", false),
    ("DX-CX-CQ", "plaque", "社区党群服务中心", "市委组织部", "党群服务中心建设规范", false),
    ("DX-CX-CQ", "plaque", "老年协会活动室", "市民政局", "部门工作通知", false),
    ("ZX-HC-DM", "body", "社区居民委员会", "资溪县民政局", "《城市居民委员会组织法》", false),
    ("ZX-HC-DM", "plaque", "农家书屋", "资溪县文广新旅局", "部门工作通知", false),
    ("GX-KC-CX", "body", "社区居民委员会", "高新区社会事务局", "《城市居民委员会组织法》", false),
    ("GX-KC-CX", "ledger", "企业服务走访台账", "高新区经发局", "部门工作通知", false),
];

/// (department, service, organisation, fen, starts, ends, deliverables JSON,
/// source file, status, acceptance note)
type DemoPurchase<'a> =
    (i64, &'a str, &'a str, i64, NaiveDate, NaiveDate, &'a str, Option<i64>, &'a str, Option<&'a str>);

pub async fn seed(tx: &mut AnyConnection, today: NaiveDate, accounts: &HashMap<&str, i64>) -> anyhow::Result<()> {
    let reviewer = accounts["reviewer"];
    let started = today - Duration::days(120);
    let now = Utc::now().to_rfc3339();
    let mut before: BTreeMap<String, Counts> = BTreeMap::new();
    let mut after: BTreeMap<String, Counts> = BTreeMap::new();
    let city: i64 = sqlx::query_scalar("SELECT id FROM org_nodes WHERE parent_id IS NULL").fetch_one(&mut *tx).await?;
    let campaign = sqlx::query_scalar::<_, i64>(
        "INSERT INTO cleanup_campaigns (name, org_node_id, started_on, status, counts_before, counts_after, created_by,
            created_at, closed_at) VALUES ('2026 年上半年社区挂牌和工作事项清理', $1, $2, 'closed', '{}', '{}', $3, $4, $5) RETURNING id",
    )
    .bind(city)
    .bind(started.to_string())
    .bind(reviewer)
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    for (community, kind, name, source, basis, removed) in ENTRIES {
        let community_id: i64 =
            sqlx::query_scalar("SELECT id FROM org_nodes WHERE code = $1").bind(community).fetch_one(&mut *tx).await?;
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO cleanup_entries (community_id, kind, name, source, basis, status, closed_in, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(community_id)
        .bind(kind)
        .bind(name)
        .bind(source)
        .bind(basis)
        .bind(if *removed { "removed" } else { "active" })
        .bind(removed.then_some(campaign))
        .bind(reviewer)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let k = EntryKind::from_code(kind).expect("demo kinds are valid");
        before.entry(community.to_string()).or_default().add(k);
        if *removed {
            sqlx::query(
                "INSERT INTO cleanup_reviews (campaign_id, entry_id, verdict, reason, reviewed_by, reviewed_at)
                 VALUES ($1, $2, 'remove', '超出社区职能,属部门自身职责,予以撤销。', $3, $4)",
            )
            .bind(campaign)
            .bind(id)
            .bind(reviewer)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        } else {
            after.entry(community.to_string()).or_default().add(k);
        }
    }
    sqlx::query("UPDATE cleanup_campaigns SET counts_before = $1, counts_after = $2 WHERE id = $3")
        .bind(serde_json::to_string(&before)?)
        .bind(serde_json::to_string(&after)?)
        .bind(campaign)
        .execute(&mut *tx)
        .await?;

    // The district's own campaign, under way.
    let dx: i64 = sqlx::query_scalar("SELECT id FROM org_nodes WHERE code = 'DX'").fetch_one(&mut *tx).await?;
    let dx_before: BTreeMap<String, Counts> =
        after.iter().filter(|(c, _)| c.starts_with("DX-")).map(|(c, n)| (c.clone(), n.clone())).collect();
    sqlx::query(
        "INSERT INTO cleanup_campaigns (name, org_node_id, started_on, counts_before, created_by, created_at)
         VALUES ('东乡区 2026 年下半年社区台账清理', $1, $2, $3, $4, $5)",
    )
    .bind(dx)
    .bind((today - Duration::days(5)).to_string())
    .bind(serde_json::to_string(&dx_before)?)
    .bind(accounts["reviewer.dx"])
    .bind(&now)
    .execute(&mut *tx)
    .await?;

    // Purchase of services: one routed from a refused admission file, one accepted.
    let zrzyj: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'zrzyj'").fetch_one(&mut *tx).await?;
    let wjw: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'wjw'").fetch_one(&mut *tx).await?;
    let refused: Option<i64> =
        sqlx::query_scalar("SELECT id FROM admission_applications WHERE item_name = '违法用地巡查及行政处罚协助'")
            .fetch_optional(&mut *tx)
            .await?;
    let rsj: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'rsj'").fetch_one(&mut *tx).await?;
    let items: [DemoPurchase; 3] = [
        (
            rsj,
            "就业困难人员职业技能培训",
            "示范市启航职业培训学校",
            12_000_000,
            today - Duration::days(40),
            today + Duration::days(140),
            r#"["培训签到表","结业证书发放名册","就业跟踪报告"]"#,
            None,
            "contracted",
            None,
        ),
        (
            zrzyj,
            "城区违法用地动态巡查",
            "示范市安邦巡查服务中心",
            9_600_000,
            today - Duration::days(10),
            today + Duration::days(355),
            "[\"每月巡查报告\",\"违法用地线索台账\"]",
            refused,
            "contracted",
            None,
        ),
        (
            wjw,
            "社区居民心理健康服务",
            "示范市心桥社会工作服务中心",
            4_800_000,
            today - Duration::days(300),
            today - Duration::days(20),
            "[\"心理咨询服务记录\",\"年度服务报告\"]",
            None,
            "accepted",
            Some("服务记录完整,居民满意度 96%,验收合格。"),
        ),
    ];
    for (dept, service, org, fen, starts, ends, deliverables, source, status, note) in items {
        sqlx::query(
            "INSERT INTO purchases (department_id, service, organisation, amount_fen, starts_on, ends_on, deliverables,
                source_application_id, status, accepted_on, acceptance_note, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(dept)
        .bind(service)
        .bind(org)
        .bind(fen)
        .bind(starts.to_string())
        .bind(ends.to_string())
        .bind(deliverables)
        .bind(source)
        .bind(status)
        .bind(note.map(|_| (today - Duration::days(10)).to_string()))
        .bind(note)
        .bind(accounts["applicant"])
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
