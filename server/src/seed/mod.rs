//! First start: the demo city (`GONGZHI_DEMO=1`), or the first system
//! administrator from `GONGZHI_ADMIN_PASSWORD`. Outside demo mode there are
//! no default credentials: a first start without that password stops.

use anyhow::{bail, Context};
use chrono::Utc;
use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::auth::{Password, Username, FIELD_PASSWORD};
use gongzhi_domain::pii::IdNumber;
use gongzhi_domain::{OrgLevel, OrgPath, Role, WorkingDayCalendar};
use sqlx::{AnyConnection, AnyPool};

use crate::audit::{self, Event, Who};
use crate::auth::password;
use crate::config::Config;

/// The password of every demo account (listed in the README).
pub const DEMO_PASSWORD: &str = "Gongzhi@2026";

mod admission;
pub mod city;
mod cleanup;
mod consultation;
mod disclosure;
mod facilities;
mod grid;
mod participation;
mod poll;
mod property;
mod review;

pub async fn first_start(db: &AnyPool, config: &Config, calendar: &WorkingDayCalendar) -> anyhow::Result<()> {
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(db).await?;
    if accounts > 0 {
        return Ok(());
    }
    if config.demo {
        let today = config.today.unwrap_or_else(|| gongzhi_domain::time::shanghai_date(Utc::now()));
        seed_demo(db, calendar, today).await.context("seeding the demo city")?;
        tracing::info!("demo city seeded; demo accounts use the password {DEMO_PASSWORD}");
        return Ok(());
    }
    let Some(raw) = config.admin_password.as_deref() else {
        bail!(
            "首次启动需要设置系统管理员密码:请设置环境变量 GONGZHI_ADMIN_PASSWORD(至少 8 位,含大写字母、小写字母、数字、符号中的 3 类),\
             或以演示模式启动(GONGZHI_DEMO=1)。/ First start: set GONGZHI_ADMIN_PASSWORD, or GONGZHI_DEMO=1 for the demo city."
        );
    };
    let username = Username::parse("sysadmin").expect("valid name");
    let pw = Password::parse(FIELD_PASSWORD, raw, Some(&username), Some(Role::SystemAdmin))
        .map_err(|e| anyhow::anyhow!("GONGZHI_ADMIN_PASSWORD: {e}"))?;
    let hash = password::hash(&pw).await?;
    let mut tx = crate::db::write_tx(db).await?;
    let city_name = std::env::var("GONGZHI_CITY_NAME").unwrap_or_else(|_| "本市".into());
    let city = add_node(&mut tx, None, OrgLevel::City, "CITY", &city_name).await?;
    add_account(&mut tx, "sysadmin", "系统管理员", Role::SystemAdmin, city.0, None, &hash, false).await?;
    let who = Who { actor: None, role: None, client: "server".into() };
    audit::append(&mut tx, &who, &Event::success(AuditAction::SystemBootstrap, "account:sysadmin")).await?;
    tx.commit().await?;
    tracing::info!("first start: created system administrator 'sysadmin'");
    // The other two of the three administrators, when their passwords are
    // given at installation; otherwise `gongzhi-server install-admin` later.
    for (var, role, name) in [
        ("GONGZHI_SECADMIN_PASSWORD", Role::SecurityAdmin, "secadmin"),
        ("GONGZHI_AUDITADMIN_PASSWORD", Role::AuditAdmin, "auditadmin"),
    ] {
        match std::env::var(var).ok().filter(|v| !v.is_empty()) {
            Some(raw) => {
                install_admin(db, role, name, &raw).await.with_context(|| var.to_string())?;
            }
            None => tracing::warn!(
                "{name} ({}) not created: run `GONGZHI_NEW_ADMIN_PASSWORD=… gongzhi-server install-admin {} {name}` on the server",
                role.label(),
                role.code()
            ),
        }
    }
    Ok(())
}

/// What `install-admin` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    Created,
    /// The account existed with this role: new password (to be changed at
    /// next login), unlocked, enabled, its sessions ended.
    Reset,
}

/// Creates (or resets) one of the three administrators (三员). This is the
/// only way to make or recover those accounts: a command run on the server
/// itself, at installation or by the documented two-person procedure
/// (README, "三员分立"), never a route of the API, so no administrator can
/// manage another's account. Audited as done at the server console.
pub async fn install_admin(db: &AnyPool, role: Role, username: &str, raw_password: &str) -> anyhow::Result<Installed> {
    if !role.is_admin() {
        bail!(
            "install-admin makes only the three administrators (system_admin, security_admin, audit_admin), not {}",
            role.code()
        );
    }
    let username = Username::parse(username).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pw = Password::parse(FIELD_PASSWORD, raw_password, Some(&username), Some(role))
        .map_err(|e| anyhow::anyhow!("GONGZHI_NEW_ADMIN_PASSWORD: {e}"))?;
    let hash = password::hash(&pw).await?;
    let mut tx = crate::db::write_tx(db).await?;
    let existing: Option<(i64, String)> = sqlx::query_as("SELECT id, role FROM accounts WHERE username = $1")
        .bind(username.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let now = Utc::now().to_rfc3339();
    let (id, installed) = match existing {
        Some((id, existing_role)) if existing_role == role.code() => {
            sqlx::query(
                "UPDATE accounts SET password_hash = $1, must_change_password = 1, disabled = 0, failed_logins = 0,
                 locked_until = NULL, updated_at = $2 WHERE id = $3",
            )
            .bind(&hash)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(&mut *tx).await?;
            (id, Installed::Reset)
        }
        Some((_, other)) => bail!("account {} exists with role {other}; choose another login name", username.as_str()),
        None => {
            let root: i64 = sqlx::query_scalar("SELECT id FROM org_nodes WHERE parent_id IS NULL ORDER BY id LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?
                .context("the organisation tree is empty: start the server once first")?;
            let id = add_account(&mut tx, username.as_str(), role.label(), role, root, None, &hash, true).await?;
            (id, Installed::Created)
        }
    };
    let who = Who { actor: None, role: None, client: "server-console".into() };
    let detail = serde_json::json!({ "username": username.as_str(), "role": role.code(), "reset": installed == Installed::Reset });
    audit::append(
        &mut tx,
        &who,
        &Event::success(AuditAction::SystemInstallAdmin, format!("account:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(installed)
}

async fn add_node(
    tx: &mut AnyConnection,
    parent: Option<&(i64, OrgPath)>,
    level: OrgLevel,
    code: &str,
    name: &str,
) -> anyhow::Result<(i64, OrgPath)> {
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO org_nodes (parent_id, level, code, name, path) VALUES ($1, $2, $3, $4, '') RETURNING id",
    )
    .bind(parent.map(|p| p.0))
    .bind(level.code())
    .bind(code)
    .bind(name)
    .fetch_one(&mut *tx)
    .await?;
    let path = match parent {
        Some((_, p)) => p.child(id),
        None => OrgPath::root(id),
    };
    sqlx::query("UPDATE org_nodes SET path = $1 WHERE id = $2").bind(path.as_str()).bind(id).execute(&mut *tx).await?;
    Ok((id, path))
}

#[allow(clippy::too_many_arguments)]
async fn add_account(
    tx: &mut AnyConnection,
    username: &str,
    display_name: &str,
    role: Role,
    org_node_id: i64,
    department_id: Option<i64>,
    hash: &str,
    must_change: bool,
) -> anyhow::Result<i64> {
    let now = Utc::now().to_rfc3339();
    Ok(sqlx::query_scalar::<_, i64>(
        "INSERT INTO accounts (username, display_name, role, org_node_id, department_id, password_hash,
                               must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(role.code())
    .bind(org_node_id)
    .bind(department_id)
    .bind(hash)
    .bind(i64::from(must_change))
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?)
}

/// Departments of the demo city: (code, name).
const DEPARTMENTS: [(&str, &str); 10] = [
    ("zzb", "市委组织部"),
    ("mzj", "市民政局"),
    ("czj", "市财政局"),
    ("gaj", "市公安局"),
    ("rsj", "市人力资源和社会保障局"),
    ("wjw", "市卫生健康委员会"),
    ("zjj", "市住房和城乡建设局"),
    ("zrzyj", "市自然资源局"),
    ("yjglj", "市应急管理局"),
    ("scjgj", "市市场监督管理局"),
];

/// (code, name, number of grids)
type Community = (&'static str, &'static str, usize);
/// (code, name, communities)
type Street = (&'static str, &'static str, &'static [Community]);
/// (code, name, streets)
type District = (&'static str, &'static str, &'static [Street]);

/// District → streets → communities → number of grids.
const CITY: &[District] = &[
    (
        "DX",
        "东乡区",
        &[
            ("DX-CD", "城东街道", &[("DX-CD-XF", "幸福社区", 6), ("DX-CD-HP", "和平社区", 2)]),
            ("DX-CX", "城西街道", &[("DX-CX-CQ", "长青社区", 2)]),
        ],
    ),
    ("ZX", "资溪县", &[("ZX-HC", "鹤城镇", &[("ZX-HC-DM", "东门社区", 2)])]),
    ("GX", "高新区", &[("GX-KC", "科创街道", &[("GX-KC-CX", "创新社区", 2)])]),
];

const GRID_NAMES: [&str; 6] = ["第一网格", "第二网格", "第三网格", "第四网格", "第五网格", "第六网格"];
const SURNAMES: [&str; 12] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];
const GIVEN: [&str; 12] =
    ["秀英", "建国", "桂兰", "志强", "美华", "德明", "丽娟", "国庆", "玉珍", "海涛", "春梅", "文军"];

async fn seed_demo(db: &AnyPool, calendar: &WorkingDayCalendar, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let mut tx = crate::db::write_tx(db).await?;
    let city = add_node(&mut tx, None, OrgLevel::City, "C", "示范市").await?;
    let mut departments = std::collections::HashMap::new();
    for (code, name) in DEPARTMENTS {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO departments (code, name, org_node_id) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(code)
        .bind(name)
        .bind(city.0)
        .fetch_one(&mut *tx)
        .await?;
        departments.insert(code, id);
    }
    let mut nodes: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    let mut grids = Vec::new();
    for (dcode, dname, streets) in CITY {
        let district = add_node(&mut tx, Some(&city), OrgLevel::District, dcode, dname).await?;
        nodes.insert(dcode.to_string(), district.0);
        for (scode, sname, communities) in *streets {
            let street = add_node(&mut tx, Some(&district), OrgLevel::Street, scode, sname).await?;
            for (ccode, cname, grid_count) in *communities {
                let community = add_node(&mut tx, Some(&street), OrgLevel::Community, ccode, cname).await?;
                nodes.insert(ccode.to_string(), community.0);
                for (i, gname) in GRID_NAMES.iter().take(*grid_count).enumerate() {
                    let gcode = format!("{ccode}-{:02}", i + 1);
                    let grid =
                        add_node(&mut tx, Some(&community), OrgLevel::Grid, &gcode, &format!("{cname}{gname}")).await?;
                    nodes.insert(gcode.clone(), grid.0);
                    grids.push((grid.0, gcode.clone(), format!("{cname}{gname}")));
                }
            }
        }
    }

    // One hash for all demo accounts keeps the first start quick; demo only.
    let pw = Password::parse(FIELD_PASSWORD, DEMO_PASSWORD, None, Some(Role::SystemAdmin))
        .expect("demo password meets the policy");
    let hash = password::hash(&pw).await?;
    // A district department, so that district reviewers have files of their own.
    let dx_zjj =
        sqlx::query_scalar::<_, i64>("INSERT INTO departments (code, name, org_node_id) VALUES ('dx-zjj', '东乡区住房和城乡建设局', $1) RETURNING id")
            .bind(nodes["DX"])
            .fetch_one(&mut *tx)
            .await?;
    departments.insert("dx-zjj", dx_zjj);
    let accounts: [(&str, &str, Role, i64, Option<&str>); 20] = [
        ("sysadmin", "系统管理员 周立", Role::SystemAdmin, city.0, None),
        ("secadmin", "安全管理员 孙倩", Role::SecurityAdmin, city.0, None),
        ("auditadmin", "审计管理员 钱进", Role::AuditAdmin, city.0, None),
        ("applicant", "人社局经办人 张敏", Role::DepartmentApplicant, city.0, Some("rsj")),
        ("applicant.wjw", "卫健委经办人 孙磊", Role::DepartmentApplicant, city.0, Some("wjw")),
        ("applicant.zrzyj", "自然资源局经办人 周涛", Role::DepartmentApplicant, city.0, Some("zrzyj")),
        ("applicant.zjj", "住建局经办人 郑伟", Role::DepartmentApplicant, city.0, Some("zjj")),
        ("reviewer", "民政局审核人 李华", Role::Reviewer, city.0, Some("mzj")),
        ("reviewer.dx", "东乡区审核人 陈静", Role::Reviewer, nodes["DX"], None),
        ("reviewer.zx", "资溪县审核人 吴昊", Role::Reviewer, nodes["ZX"], None),
        ("secretary", "领导小组秘书 赵峰", Role::LeadingGroupSecretary, city.0, Some("zzb")),
        ("finance", "财政局 黄丽", Role::Finance, city.0, Some("czj")),
        ("gridmember", "网格员 王芳", Role::GridMember, nodes["DX-CD-XF-01"], None),
        ("gridmember.hp", "网格员 刘洋", Role::GridMember, nodes["DX-CD-HP-01"], None),
        ("resident", "居民 杨桂兰", Role::Resident, nodes["DX-CD-XF"], None),
        ("resident.li", "居民 李建国", Role::Resident, nodes["DX-CD-XF"], None),
        ("resident.zhou", "居民 周秀梅", Role::Resident, nodes["DX-CD-XF"], None),
        ("leader", "幸福社区主任 赵敏", Role::CommunityLeader, nodes["DX-CD-XF"], None),
        ("leader.hp", "和平社区主任 钱芳", Role::CommunityLeader, nodes["DX-CD-HP"], None),
        ("sysadmin.dx", "东乡区系统管理员 许诺", Role::SystemAdmin, nodes["DX"], None),
    ];
    let mut account_ids = std::collections::HashMap::new();
    for (username, name, role, node, dept) in accounts {
        let id = add_account(&mut tx, username, name, role, node, dept.map(|d| departments[d]), &hash, false).await?;
        account_ids.insert(username, id);
    }

    // Residents: a few per grid, some in special groups. Synthetic, with
    // valid check digits (GB 11643) so they parse like real ones.
    let groups =
        [Some("elderly_alone"), None, Some("low_income"), None, Some("disabled"), None, Some("left_behind_child")];
    let now = Utc::now().to_rfc3339();
    let mut n = 0usize;
    // 幸福社区 and 和平社区 get a full synthetic population in `grid`.
    for (grid_id, _, grid_name) in grids.iter().filter(|g| !g.1.starts_with("DX-CD-XF") && !g.1.starts_with("DX-CD-HP"))
    {
        for k in 0..6 {
            n += 1;
            let birth = 1940 + (n * 7) % 70;
            let first17 = format!("361021{birth:04}{:02}{:02}{:03}", 1 + n % 12, 1 + n % 28, n % 1000);
            let id_number = format!("{first17}{}", IdNumber::check_char(&first17));
            sqlx::query(
                "INSERT INTO residents (org_node_id, name, id_number, phone, address, special_group, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(grid_id)
            .bind(format!("{}{}", SURNAMES[n % 12], GIVEN[(n * 5) % 12]))
            .bind(id_number)
            .bind(format!("139{:08}", 10_000_000 + n * 7919))
            .bind(format!("{grid_name} {} 栋 {} 单元 {}0{} 室", 1 + k / 2, 1 + k % 2, 1 + k, 1 + k % 4))
            .bind(groups[n % groups.len()])
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    }
    // Households per community: the usual weight for splitting funding.
    for (code, households) in
        [("DX-CD-XF", 1820), ("DX-CD-HP", 1260), ("DX-CX-CQ", 980), ("ZX-HC-DM", 760), ("GX-KC-CX", 1430)]
    {
        sqlx::query("UPDATE org_nodes SET households = $1 WHERE code = $2")
            .bind(households)
            .bind(code)
            .execute(&mut *tx)
            .await?;
    }
    seed_seal(&mut tx, &nodes, &account_ids).await?;
    seed_seal_catalog(&mut tx, account_ids["sysadmin"]).await?;
    admission::seed(&mut tx, calendar, today, &departments, &account_ids).await?;
    cleanup::seed(&mut tx, today, &account_ids).await?;
    grid::seed(&mut tx, &nodes, &account_ids, &departments, calendar, today).await?;
    facilities::seed(&mut tx, today, city.0, &nodes, &account_ids).await?;
    participation::seed(&mut tx, today, &nodes, &account_ids, &departments).await?;
    consultation::seed(&mut tx, today, &nodes, &account_ids, calendar).await?;
    disclosure::seed(&mut tx, today, &nodes, &account_ids).await?;
    review::seed(&mut tx, today, &nodes, &account_ids).await?;
    poll::seed(&mut tx, today, &nodes, &account_ids).await?;
    property::seed(&mut tx, today, &nodes, &account_ids, &departments, calendar).await?;
    let who = Who { actor: None, role: None, client: "server".into() };
    let detail = serde_json::json!({ "demo": true, "accounts": accounts.len(), "grids": grids.len(), "residents": n });
    audit::append(&mut tx, &who, &Event::success(AuditAction::SystemBootstrap, "demo_city").detail(detail)).await?;
    tx.commit().await?;
    Ok(())
}

/// A demo province edition of the seal catalogue, adding two matters Hubei's
/// list names (the document number is the province's to give: marked as demo).
async fn seed_seal_catalog(tx: &mut AnyConnection, sysadmin: i64) -> anyhow::Result<()> {
    use gongzhi_domain::seal::CatalogLayer;
    let text = include_str!("seal-province-demo.json");
    let layer = CatalogLayer::parse(text, &CatalogLayer::national(false))
        .map_err(|p| anyhow::anyhow!("demo province catalogue: {p:?}"))?;
    crate::store::seal::insert_layer(tx, &layer, sysadmin, &Utc::now().to_rfc3339()).await?;
    Ok(())
}

/// Demo certificate requests: one stamped and in the register, one waiting
/// for review, one waiting for approval, and two refused (no article cited; a
/// loan guarantee) in 幸福社区; one waiting in 和平社区.
async fn seed_seal(
    tx: &mut AnyConnection,
    nodes: &std::collections::HashMap<String, i64>,
    accounts: &std::collections::HashMap<&str, i64>,
) -> anyhow::Result<()> {
    use gongzhi_domain::seal::{decide, Catalog, CertificateRequestInput, RegisterEntry, SealStatus};
    let catalog = Catalog::bundled_with_guidance();
    let names: std::collections::HashMap<String, String> =
        DEPARTMENTS.iter().map(|(c, n)| (c.to_string(), n.to_string())).collect();
    let base = |matter: &str, resident: &str, id_first17: &str| {
        let basis = catalog.find(matter).and_then(|m| m.suggested_basis.clone()).unwrap_or_default();
        CertificateRequestInput {
            requester_kind: "department".into(),
            requester_name: "市民政局社会救助科".into(),
            requester_department: "mzj".into(),
            resident_name: resident.into(),
            resident_id_number: format!("{id_first17}{}", IdNumber::check_char(id_first17)),
            matter: matter.into(),
            purpose: "办理最低生活保障审核".into(),
            content: format!("兹证明{resident}同志家庭成员及居住情况已由本社区协助街道入户核实,情况属实。"),
            copies: "1".into(),
            basis_law: basis.law,
            basis_article: basis.article,
            basis_text: basis.text,
            ..Default::default()
        }
    };
    let mut no_article = base("assistance_household_check", "李德明", "36102119520304001");
    no_article.basis_article.clear();
    no_article.basis_text.clear();
    let mut guarantee = base("loan_guarantee", "刘志强", "36102119800615003");
    guarantee.requester_kind = "enterprise".into();
    guarantee.requester_name = "示范市某小额贷款公司".into();
    guarantee.requester_department.clear();
    guarantee.purpose = "为其创业贷款提供担保".into();
    guarantee.content = "兹证明刘志强同志信用良好,本社区愿为其贷款提供担保。".into();
    // A matter outside the catalogue, with an article cited: the worker and
    // the leader judge it (demo text, not a real rule).
    let mut rental = base("", "赵桂兰", "36102119610517007");
    rental.requester_department = "zjj".into();
    rental.requester_name = "市住房和城乡建设局住房保障科".into();
    rental.matter_name = "房屋租赁居住情况证明".into();
    rental.purpose = "公共租赁住房资格复核".into();
    rental.content = "兹证明赵桂兰同志现租住本社区幸福里3栋2单元501室,居住情况经本社区核实属实。".into();
    rental.basis_law = "示范市公共租赁住房管理办法(演示数据)".into();
    rental.basis_article = "第十二条".into();
    rental.basis_text = "申请人应当提交居住情况证明材料,由所在社区居民委员会协助核实。(演示数据)".into();
    let cases = [
        ("DX-CD-XF", base("assistance_household_check", "王秀英", "36102119490101002"), SealStatus::Stamped),
        ("DX-CD-XF", rental, SealStatus::Submitted),
        ("DX-CD-XF", base("mediation_result", "张春梅", "36102119760203004"), SealStatus::Submitted),
        ("DX-CD-XF", base("public_affairs_participation", "陈玉珍", "36102119650708005"), SealStatus::Reviewed),
        ("DX-CD-XF", no_article, SealStatus::Refused),
        ("DX-CD-XF", guarantee, SealStatus::Refused),
        ("DX-CD-HP", base("assistance_household_check", "黄丽娟", "36102119580912006"), SealStatus::Submitted),
    ];
    let now = Utc::now().to_rfc3339();
    for (i, (community, input, status)) in cases.into_iter().enumerate() {
        let req = input.parse(&catalog).map_err(|e| anyhow::anyhow!("demo seal request {i}: {e:?}"))?;
        let decision = decide(&req, |c| names.get(c).cloned().unwrap_or_default());
        anyhow::ensure!(decision.allowed == (status != SealStatus::Refused), "demo seal request {i} decided otherwise");
        let (worker, leader) =
            if community == "DX-CD-XF" { ("gridmember", "leader") } else { ("gridmember.hp", "leader.hp") };
        let reasons: Vec<serde_json::Value> = decision
            .reasons
            .iter()
            .map(|r| {
                use gongzhi_domain::DomainError;
                serde_json::json!({ "code": r.code(), "field": r.field(), "message": r.message() })
            })
            .collect();
        let reviewed = matches!(status, SealStatus::Reviewed | SealStatus::Stamped);
        let approved = status == SealStatus::Stamped;
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO seal_requests (community_id, idempotency_key, request_sha256, requester_kind, requester_name,
                requester_department, resident_name, resident_id_number, matter_code, matter_name, purpose, content, copies,
                basis_law, basis_article, basis_text, status, refusal_reasons, created_by, created_at,
                reviewed_by, reviewed_at, approved_by, approved_at, decided_by, decided_at, catalog_version)
             VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) RETURNING id",
        )
        .bind(nodes[community])
        .bind(format!("demo-seal-{i:04}"))
        .bind(req.requester_kind.code())
        .bind(&req.requester_name)
        .bind(&req.requester_department)
        .bind(&req.resident_name)
        .bind(req.resident_id_number.expose())
        .bind(&req.matter.code)
        .bind(&req.matter.name)
        .bind(&req.purpose)
        .bind(&req.content)
        .bind(i64::from(req.copies))
        .bind(&req.basis.law)
        .bind(&req.basis.article)
        .bind(&req.basis.text)
        .bind(status.code())
        .bind(serde_json::Value::Array(reasons).to_string())
        .bind(accounts[worker])
        .bind(&now)
        .bind(reviewed.then_some(accounts[worker]))
        .bind(reviewed.then_some(&now))
        .bind(approved.then_some(accounts[leader]))
        .bind(approved.then_some(&now))
        .bind((status == SealStatus::Refused || approved).then_some(accounts[worker]))
        .bind((status == SealStatus::Refused || approved).then_some(&now))
        .bind(&catalog.version)
        .fetch_one(&mut *tx)
        .await?;
        if approved {
            let entry = RegisterEntry {
                community_id: nodes[community],
                seq: 0,
                register_no: String::new(),
                request_id: Some(id),
                kind: "use".into(),
                corrects_seq: None,
                at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                matter: req.matter.name.clone(),
                copies: i64::from(req.copies),
                approver: "幸福社区主任 赵敏".into(),
                handler: "网格员 王芳".into(),
                applicant: format!("{} / 居民 {}", req.requester_name, req.resident_name),
                content_sha256: crate::auth::sha256_hex(&req.content),
                note: String::new(),
                prev_hash: String::new(),
                hash: String::new(),
            };
            let entry = crate::store::seal::append_register(tx, community, entry).await?;
            sqlx::query("UPDATE seal_requests SET register_no = $1 WHERE id = $2")
                .bind(&entry.register_no)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}
