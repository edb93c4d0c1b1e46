//! Demo admission files: thirteen applications in every state, dated around
//! today so that some are near or past their deadline, with the timeline each
//! would have if people had done the steps.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use gongzhi_domain::admission::{AdmissionApplicationInput, AdmissionStatus, ParseContext};
use gongzhi_domain::WorkingDayCalendar;
use sqlx::AnyConnection;

use crate::auth::sha256_hex;
use crate::store::admission::add_event;
use crate::store::admission::{insert_file, store_form, NewFile};

#[derive(Default)]
struct Demo {
    dept: &'static str,
    /// Account that submitted it (a reviewer for paper files).
    by: &'static str,
    exempt: Option<(&'static str, &'static str)>,
    name: &'static str,
    content: &'static str,
    basis: &'static str,
    /// Empty: all communities.
    communities: &'static [&'static str],
    /// Yuan per community per `period`; "0" with `no_cost`.
    funding: &'static str,
    period: &'static str,
    no_cost: &'static str,
    ledgers: &'static str,
    plaques: &'static str,
    status: Option<AdmissionStatus>,
    /// Working days before today it was submitted / accepted / decided.
    submitted_back: u32,
    accepted_back: Option<u32>,
    decided_back: Option<u32>,
    consulted: &'static [(&'static str, Option<(&'static str, &'static str)>)],
    solicited: &'static [(&'static str, &'static str)],
    extension: Option<(u32, &'static str, &'static str)>,
    decision: (&'static str, &'static str),
    delivered: bool,
    return_reason: &'static str,
    withdraw_reason: &'static str,
    guides: &'static [(&'static str, &'static str)],
    /// (community code, working days ago)
    trainings: &'static [(&'static str, u32)],
    paper: bool,
    /// Working days before today the item started (admitted items whose
    /// funding periods are already due); otherwise it starts next month or so.
    start_back: Option<u32>,
    /// Payments: (community code, period, days after the period's start —
    /// negative is before it — , fen).
    payments: &'static [(&'static str, u32, i64, i64)],
}

const SCOPE: &str = "全市各社区党组织书记、居民委员会主任代表,社区工作者代表";
const MEETING: &str = "2026 年第 6 次社区治理工作领导小组会议";

fn demos() -> Vec<Demo> {
    use AdmissionStatus as S;
    vec![
        Demo {
            dept: "rsj",
            by: "applicant",
            name: "社区就业困难人员帮扶台账",
            content: "由社区协助摸排辖区就业困难人员,建立帮扶台账,每季度更新一次帮扶进展。",
            basis: "《中华人民共和国就业促进法》第五十二条",
            funding: "1800",
            period: "quarter",
            ledgers: "就业困难人员帮扶台账",
            status: Some(S::Submitted),
            ..Default::default()
        },
        Demo {
            dept: "rsj",
            by: "applicant",
            name: "城乡居民养老保险参保动员",
            content: "社区协助宣传城乡居民养老保险政策,动员未参保居民参保。",
            basis: "《国务院关于建立统一的城乡居民基本养老保险制度的意见》",
            funding: "600",
            period: "year",
            status: Some(S::Returned),
            submitted_back: 4,
            return_reason: "未附每个社区工作量测算依据,经费标准与工作量不匹配,请补充测算说明后重新提交。",
            ..Default::default()
        },
        Demo {
            dept: "wjw",
            by: "applicant.wjw",
            name: "老年人健康体检组织动员",
            content: "每年组织辖区 65 岁以上老年人到社区卫生服务中心免费体检,社区负责通知和组织。",
            basis: "《国家基本公共卫生服务规范(第三版)》",
            communities: &["DX-CD-XF", "DX-CD-HP", "DX-CX-CQ"],
            funding: "2400",
            period: "year",
            status: Some(S::Consulting),
            submitted_back: 6,
            accepted_back: Some(5),
            consulted: &[
                ("mzj", Some(("agree", "同意。建议与居家养老服务需求调查合并入户,减少重复走访。"))),
                ("rsj", None),
            ],
            ..Default::default()
        },
        Demo {
            dept: "yjglj",
            by: "applicant",
            name: "社区应急物资储备点建设",
            content: "在每个社区设立应急物资储备点,社区负责日常管理和登记。",
            basis: "《中华人民共和国突发事件应对法》第二十九条",
            funding: "5000",
            period: "once",
            ledgers: "应急物资出入库台账",
            plaques: "社区应急物资储备点",
            status: Some(S::Consulting),
            submitted_back: 14,
            accepted_back: Some(13),
            consulted: &[
                ("zjj", Some(("agree_with_changes", "原则同意。储备点选址应利用现有社区用房,不宜新建。"))),
                ("czj", None),
            ],
            ..Default::default()
        },
        Demo {
            dept: "scjgj",
            by: "applicant",
            name: "餐饮门店食品安全检查协助",
            content: "社区网格员每月对辖区餐饮门店开展食品安全检查,发现问题拍照上报。",
            basis: "《中华人民共和国食品安全法》第六条",
            funding: "0",
            no_cost: "检查由网格员结合日常巡查完成,不另行产生费用。",
            status: Some(S::Soliciting),
            submitted_back: 18,
            accepted_back: Some(17),
            consulted: &[("wjw", Some(("disagree", "食品安全检查属市场监管部门法定职责,不宜交由社区承担。")))],
            ..Default::default()
        },
        Demo {
            dept: "zjj",
            by: "applicant",
            name: "住房保障对象资格入户核查",
            content: "社区协助住建部门对公租房保障对象开展年度入户核查。",
            basis: "《公共租赁住房管理办法》第三十四条",
            funding: "900",
            period: "year",
            status: Some(S::Deciding),
            submitted_back: 11,
            accepted_back: Some(10),
            consulted: &[("mzj", Some(("agree", "同意。")))],
            solicited: &[("幸福社区居委会", "核查时间请避开社区换届等重点工作期间。"), ("和平社区居委会", "无意见。")],
            extension: Some((5, "征求意见涉及社区较多,需汇总后提交领导小组会议审定。", "领导小组副组长 王刚")),
            ..Default::default()
        },
        Demo {
            dept: "mzj",
            by: "applicant",
            name: "社区养老服务需求调查",
            content: "社区对辖区 60 岁以上老年人开展养老服务需求调查,每年一次。",
            basis: "《中华人民共和国老年人权益保障法》第三十七条",
            funding: "1500",
            period: "quarter",
            ledgers: "老年人养老服务需求台账",
            start_back: Some(70),
            payments: &[
                ("DX-CD-XF", 1, -3, 150_000),
                ("DX-CD-HP", 1, -2, 150_000),
                ("DX-CX-CQ", 1, -2, 150_000),
                ("ZX-HC-DM", 1, 0, 150_000),
                ("GX-KC-CX", 1, -1, 150_000),
                ("DX-CD-XF", 2, -2, 150_000),
                ("DX-CD-HP", 2, 16, 150_000),
                ("DX-CX-CQ", 2, 3, 80_000),
                ("GX-KC-CX", 2, 0, 150_000),
            ],
            status: Some(S::Approved),
            submitted_back: 17,
            accepted_back: Some(16),
            decided_back: Some(3),
            consulted: &[("wjw", Some(("agree", "同意。")))],
            solicited: &[("社区工作者代表座谈会", "建议调查表控制在两页以内。")],
            decision: (MEETING, "同意准入。经费按年度拨付,请民政局派专人开展培训。"),
            delivered: true,
            guides: &[("周晓梅", "13907940021")],
            trainings: &[("DX-CD-XF", 1)],
            ..Default::default()
        },
        Demo {
            dept: "zrzyj",
            by: "applicant",
            name: "违法用地巡查及行政处罚协助",
            content: "社区协助开展违法用地巡查,配合对违法行为实施行政处罚。",
            basis: "《中华人民共和国土地管理法》第六十七条",
            funding: "800",
            period: "quarter",
            status: Some(S::NotAdmitted),
            submitted_back: 20,
            accepted_back: Some(19),
            decided_back: Some(4),
            consulted: &[("gaj", Some(("disagree", "行政处罚属执法部门职责。")))],
            solicited: &[("社区党组织书记代表", "社区无执法权,不应承担处罚协助。")],
            decision: (
                MEETING,
                "属于负面清单所列行政执法事项,社区不承担。请自然资源局通过购买服务等方式另行安排巡查力量。",
            ),
            delivered: true,
            ..Default::default()
        },
        Demo {
            dept: "gaj",
            by: "reviewer",
            exempt: Some(("law", "《居住证暂行条例》(国务院令第 663 号)")),
            name: "流动人口居住登记信息采集",
            content: "社区协助公安派出所采集流动人口居住登记信息。",
            basis: "《居住证暂行条例》第四条",
            funding: "1200",
            period: "year",
            start_back: Some(60),
            payments: &[
                ("DX-CD-XF", 1, -5, 120_000),
                ("DX-CD-HP", 1, -5, 120_000),
                ("DX-CX-CQ", 1, -5, 120_000),
                ("ZX-HC-DM", 1, 6, 120_000),
                ("GX-KC-CX", 1, -5, 120_000),
            ],
            status: Some(S::Registered),
            submitted_back: 25,
            accepted_back: Some(25),
            decided_back: Some(25),
            delivered: true,
            guides: &[("郑海", "13807940033")],
            trainings: &[("DX-CD-XF", 20), ("DX-CD-HP", 18)],
            paper: true,
            ..Default::default()
        },
        Demo {
            dept: "mzj",
            by: "applicant",
            exempt: Some(("higher_authority", "赣府厅发〔2026〕8号")),
            name: "困难残疾人生活补贴初审",
            content: "社区受理困难残疾人生活补贴和重度残疾人护理补贴申请并初审。",
            basis: "省政府办公厅关于完善残疾人两项补贴制度的通知",
            funding: "700",
            period: "year",
            status: Some(S::Submitted),
            submitted_back: 1,
            ..Default::default()
        },
        Demo {
            dept: "wjw",
            by: "applicant.wjw",
            name: "爱国卫生月环境整治评比",
            content: "在社区间开展环境卫生评比,社区每周报送整治照片。",
            basis: "爱国卫生运动委员会年度工作要点",
            funding: "0",
            no_cost: "评比不涉及经费。",
            status: Some(S::Withdrawn),
            submitted_back: 9,
            withdraw_reason: "与爱国卫生月活动方案合并,另行申请。",
            ..Default::default()
        },
        Demo {
            dept: "dx-zjj",
            by: "reviewer.dx",
            name: "老旧小区改造居民意见征集",
            content: "社区组织改造小区居民召开意见征集会,汇总居民意见。",
            basis: "《东乡区城镇老旧小区改造实施方案》",
            communities: &["DX-CD-XF", "DX-CX-CQ"],
            funding: "3000",
            period: "once",
            status: Some(S::Consulting),
            submitted_back: 3,
            accepted_back: Some(2),
            consulted: &[("mzj", None)],
            paper: true,
            ..Default::default()
        },
        Demo {
            dept: "rsj",
            by: "applicant",
            name: "就业援助月活动组织",
            content: "每年就业援助月期间,社区组织辖区就业困难人员参加招聘活动。",
            basis: "《就业服务与就业管理规定》第二十二条",
            funding: "1000",
            period: "year",
            start_back: Some(1),
            payments: &[("DX-CD-XF", 1, -1, 100_000)],
            status: Some(S::Approved),
            submitted_back: 19,
            accepted_back: Some(18),
            decided_back: Some(2),
            consulted: &[("mzj", Some(("agree", "同意。")))],
            solicited: &[("社区工作者代表座谈会", "无意见。")],
            decision: (MEETING, "同意准入。"),
            delivered: true,
            ..Default::default()
        },
    ]
}

/// The date `k` working days before `today` (weekdays where a year's
/// schedule is unknown: demo data only).
fn back(calendar: &WorkingDayCalendar, today: NaiveDate, k: u32) -> NaiveDate {
    let mut date = today;
    let mut left = k;
    while left > 0 {
        date = date.pred_opt().unwrap_or(date);
        let working = calendar.is_working_day(date).unwrap_or_else(|_| {
            !matches!(chrono::Datelike::weekday(&date), chrono::Weekday::Sat | chrono::Weekday::Sun)
        });
        if working {
            left -= 1;
        }
    }
    date
}

/// 09:30 Beijing time on `date`, as stored.
fn at(date: NaiveDate, minute: u32) -> String {
    let t = date.and_time(NaiveTime::from_hms_opt(1, 30 + minute.min(29), 0).unwrap_or_default());
    format!("{}Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

pub async fn seed(
    tx: &mut AnyConnection,
    calendar: &WorkingDayCalendar,
    today: NaiveDate,
    departments: &HashMap<&str, i64>,
    accounts: &HashMap<&str, i64>,
) -> anyhow::Result<()> {
    let names: HashMap<String, String> =
        sqlx::query_as("SELECT username, display_name FROM accounts").fetch_all(&mut *tx).await?.into_iter().collect();
    let community_ids: HashMap<String, i64> =
        sqlx::query_as("SELECT code, id FROM org_nodes WHERE level = 'community'")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    let reviewer = &names["reviewer"];
    let secretary = &names["secretary"];
    for (i, d) in demos().into_iter().enumerate() {
        let (dept_node, dept_name): (i64, String) =
            sqlx::query_as("SELECT org_node_id, name FROM departments WHERE id = $1")
                .bind(departments[d.dept])
                .fetch_one(&mut *tx)
                .await?;
        let form = AdmissionApplicationInput {
            path: if d.exempt.is_some() { "exempt" } else { "approval" }.into(),
            exempt_ground: d.exempt.map(|e| e.0).unwrap_or_default().into(),
            basis_doc_no: d.exempt.map(|e| e.1).unwrap_or_default().into(),
            applicant_unit: dept_name.clone(),
            contact_name: names[d.by].rsplit(' ').next().unwrap_or_default().into(),
            contact_phone: format!("0794-82{:05}", 21000 + i * 7),
            item_name: d.name.into(),
            item_content: d.content.into(),
            basis: d.basis.into(),
            community_scope: if d.communities.is_empty() { "all" } else { "list" }.into(),
            communities: d.communities.iter().map(|c| c.to_string()).collect(),
            // A month or two after it was asked for.
            // A month or two after it was asked for, unless it is already running.
            start_date: match d.start_back {
                Some(k) => back(calendar, today, k),
                None => back(calendar, today, d.submitted_back) + chrono::Duration::days(35 + 7 * i as i64),
            }
            .to_string(),
            duration_months: "12".into(),
            workload_hours: "6".into(),
            funding_per_community: d.funding.into(),
            funding_period: d.period.into(),
            no_cost_reason: d.no_cost.into(),
            trainer_name: "刘强".into(),
            trainer_phone: format!("139079{:05}", 40000 + i),
            ledgers: d.ledgers.into(),
            plaques: d.plaques.into(),
            bodies: String::new(),
        };
        // Demo files started in the past, so the start date is not checked against today.
        let exists = |code: &str| community_ids.contains_key(code);
        let application = form
            .parse(&ParseContext { today: NaiveDate::MIN, community_exists: &exists })
            .map_err(|e| anyhow::anyhow!("demo admission {}: {e:?}", d.name))?;
        let status = d.status.unwrap_or(AdmissionStatus::Submitted);
        let accepted = d.accepted_back.map(|k| back(calendar, today, k));
        let decided = d.decided_back.map(|k| back(calendar, today, k));
        let new = NewFile {
            key: format!("demo-admission-{i:02}"),
            fingerprint: sha256_hex(&serde_json::to_string(&form)?),
            department_id: departments[d.dept],
            org_node_id: dept_node,
            status,
            paper: d.paper,
            submitted_on: back(calendar, today, d.submitted_back),
            accepted_on: accepted,
            decided_on: decided,
        };
        let created_by = accounts[d.by];
        let (id, _) = insert_file(tx, created_by, &new, &application)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.body.message))?
            .map_err(|_| anyhow::anyhow!("demo admission inserted twice"))?;
        store_form(tx, id, &form, &application, &d.communities.iter().map(|c| community_ids[*c]).collect::<Vec<_>>())
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
        let submitted = back(calendar, today, d.submitted_back);
        sqlx::query("UPDATE admission_applications SET submitted_at = $1 WHERE id = $2")
            .bind(at(submitted, 0))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let applicant = &names[d.by];
        let submit_note =
            if d.paper { format!("纸质申请({dept_name}报送),由审核人登记") } else { String::new() };
        add_event(tx, id, &at(submitted, 0), applicant, "submit", &submit_note).await?;
        if !d.return_reason.is_empty() {
            sqlx::query("UPDATE admission_applications SET return_reason = $1 WHERE id = $2")
                .bind(d.return_reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            add_event(tx, id, &at(submitted, 20), reviewer, "return", d.return_reason).await?;
        }
        if !d.withdraw_reason.is_empty() {
            add_event(tx, id, &at(back(calendar, today, 2), 0), applicant, "withdraw", d.withdraw_reason).await?;
        }
        let Some(accepted) = accepted else { continue };
        let accept_note = if d.exempt.is_some() {
            format!("免审事项,{accepted} 备案")
        } else {
            format!("受理日期 {accepted},开始计时")
        };
        add_event(tx, id, &at(accepted, 5), reviewer, "accept", &accept_note).await?;
        let mut consulted_names = Vec::new();
        for (code, opinion) in d.consulted {
            let (dept_id, name): (i64, String) = sqlx::query_as("SELECT id, name FROM departments WHERE code = $1")
                .bind(code)
                .fetch_one(&mut *tx)
                .await?;
            consulted_names.push(name.clone());
            let answered = opinion.map(|_| at(back(calendar, today, accepted_back(&d).saturating_sub(2)), 10));
            sqlx::query(
                "INSERT INTO admission_consultations (application_id, department_id, asked_at, stance, text, answered_by,
                    entered_for, answered_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
            )
            .bind(id)
            .bind(dept_id)
            .bind(at(accepted, 6))
            .bind(opinion.map(|o| o.0))
            .bind(opinion.map(|o| o.1))
            .bind(opinion.map(|_| accounts["reviewer"]))
            .bind(&answered)
            .execute(&mut *tx)
            .await?;
            if let (Some((stance, text)), Some(answered)) = (opinion, &answered) {
                let label =
                    gongzhi_domain::admission::steps::Stance::from_code(stance).map(|s| s.label()).unwrap_or_default();
                add_event(tx, id, answered, reviewer, "opinion", &format!("{name}:{label}。{text}")).await?;
            }
        }
        if !consulted_names.is_empty() {
            add_event(tx, id, &at(accepted, 6), reviewer, "consult", &format!("商请:{}", consulted_names.join("、")))
                .await?;
        }
        let later = back(calendar, today, accepted_back(&d).saturating_sub(3).max(d.decided_back.unwrap_or(0) + 1));
        if matches!(
            status,
            AdmissionStatus::Soliciting
                | AdmissionStatus::Deciding
                | AdmissionStatus::Approved
                | AdmissionStatus::NotAdmitted
        ) {
            sqlx::query("UPDATE admission_applications SET solicit_scope = $1 WHERE id = $2")
                .bind(SCOPE)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            add_event(tx, id, &at(later, 0), reviewer, "solicit", &format!("征求意见范围:{SCOPE}")).await?;
            for (source, text) in d.solicited {
                sqlx::query("INSERT INTO admission_solicited (application_id, source, text, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id)
                    .bind(source)
                    .bind(text)
                    .bind(accounts["reviewer"])
                    .bind(at(later, 10))
                    .execute(&mut *tx)
                    .await?;
                add_event(tx, id, &at(later, 10), reviewer, "solicited", &format!("{source}:{text}")).await?;
            }
        }
        if let Some((days, reason, approver)) = d.extension {
            sqlx::query("UPDATE admission_applications SET extension_days = $1, extension_reason = $2, extension_approver = $3 WHERE id = $4")
                .bind(i64::from(days))
                .bind(reason)
                .bind(approver)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            add_event(
                tx,
                id,
                &at(later, 15),
                reviewer,
                "extend",
                &format!("延长 {days} 个工作日。理由:{reason};批准人:{approver}"),
            )
            .await?;
        }
        if matches!(status, AdmissionStatus::Deciding | AdmissionStatus::Approved | AdmissionStatus::NotAdmitted) {
            add_event(tx, id, &at(later, 20), reviewer, "send_to_group", "").await?;
        }
        if let (Some(decided), true) =
            (decided, matches!(status, AdmissionStatus::Approved | AdmissionStatus::NotAdmitted))
        {
            let (meeting, note) = d.decision;
            sqlx::query("UPDATE admission_applications SET decision_meeting = $1, decision_note = $2, decided_by = $3 WHERE id = $4")
                .bind(meeting)
                .bind(note)
                .bind(accounts["secretary"])
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let step = if status == AdmissionStatus::Approved { "approve" } else { "reject" };
            add_event(tx, id, &at(decided, 0), secretary, step, &format!("{meeting}({decided})。{note}")).await?;
        }
        if d.delivered {
            let when = at(decided.unwrap_or(accepted), 25);
            sqlx::query("UPDATE admission_applications SET delivered_at = $1 WHERE id = $2")
                .bind(&when)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            add_event(tx, id, &when, reviewer, "deliver", &format!("审批结果“{}”已反馈{dept_name}", status.label()))
                .await?;
        }
        for (name, phone) in d.guides {
            sqlx::query(
                "INSERT INTO admission_guides (application_id, name, phone, named_by, named_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(name)
            .bind(phone)
            .bind(created_by)
            .bind(at(decided.unwrap_or(accepted), 28))
            .execute(&mut *tx)
            .await?;
            add_event(
                tx,
                id,
                &at(decided.unwrap_or(accepted), 28),
                applicant,
                "guide",
                &format!("指定指导培训人员 {name}"),
            )
            .await?;
        }
        let periods = match (application.funding.clone(), form.start_date.parse::<NaiveDate>()) {
            (gongzhi_domain::admission::FundingPlan::PerCommunity { period, .. }, Ok(start)) => {
                gongzhi_domain::funding::periods(start, 12, period)
            }
            _ => vec![],
        };
        for (n, (community, period, offset, fen)) in d.payments.iter().enumerate() {
            let Some(p) = periods.iter().find(|p| p.index == *period) else { continue };
            let paid_on = (p.start + chrono::Duration::days(*offset)).min(today);
            sqlx::query(
                "INSERT INTO funding_payments (idempotency_key, request_sha256, application_id, community_id, period_index,
                    paid_on, amount_fen, voucher_no, kind, recorded_by, recorded_at) VALUES ($1, '', $2, $3, $4, $5, $6, $7, 'payment', $8, $9)",
            )
            .bind(format!("demo-payment-{i:02}-{n:02}"))
            .bind(id)
            .bind(community_ids[*community])
            .bind(i64::from(*period))
            .bind(paid_on.to_string())
            .bind(fen)
            .bind(format!("CZ{}-{:04}", paid_on.format("%Y%m"), 100 + i * 20 + n))
            .bind(created_by)
            .bind(at(paid_on, 12))
            .execute(&mut *tx)
            .await?;
        }
        for (community, k) in d.trainings {
            let held = back(calendar, today, *k);
            sqlx::query(
                "INSERT INTO admission_trainings (application_id, community_id, held_on, trainer, attendees, topic, recorded_by,
                    recorded_at) VALUES ($1, $2, $3, $4, 12, $5, $6, $7)",
            )
            .bind(id)
            .bind(community_ids[*community])
            .bind(held.to_string())
            .bind(d.guides.first().map(|g| g.0).unwrap_or("刘强"))
            .bind(format!("{}操作培训", d.name))
            .bind(created_by)
            .bind(at(held, 29))
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

fn accepted_back(d: &Demo) -> u32 {
    d.accepted_back.unwrap_or(0)
}
