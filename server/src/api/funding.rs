//! Funding follows the work (费随事转): the ledger of what each community is
//! owed for each admitted item, period by period; payments and corrections;
//! roll-ups by department, street, district and city; the .xlsx export.
//!
//! Who sees what: finance and reviewers see the communities in their scope;
//! a department applicant sees its department's items and records payments
//! for them.

use gongzhi_domain::audit::AuditAction;
use gongzhi_domain::ConflictError;
use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{NaiveDate, SecondsFormat, Utc};
use gongzhi_api::{
    CorrectionRequest, FundingLine, FundingSummary, NamedTotals, NewPayment, PaymentView, PaymentsRecorded,
};
use gongzhi_domain::admission::FundingPeriod;
use gongzhi_domain::funding::{
    periods, settle, split_by_weight, FundingState, Period, Totals, FIELD_COMMUNITY, FIELD_NOTE,
};
use gongzhi_domain::{CalendarError, FieldErrorKind, OrgPath, Role};
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::auth::session::CurrentUser;
use crate::auth::sha256_hex;
use crate::error::{ApiResult, AppError};
use crate::export::XCell;
use crate::idempotency;
use crate::json::JsonBody;
use crate::state::AppState;
use crate::store;
use crate::store::funding::{NewCorrection, NewEntry, PaymentRow};

pub const READERS: &[Role] = &[Role::Finance, Role::Reviewer, Role::DepartmentApplicant];
pub const WATCHERS: &[Role] = &[Role::Finance, Role::Reviewer];
pub const PAYERS: &[Role] = &[Role::DepartmentApplicant];

/// A community an item covers, with its street and district.
#[derive(Clone)]
struct Place {
    id: i64,
    code: String,
    name: String,
    path: OrgPath,
    households: i64,
    street_code: String,
    street_name: String,
    district_name: String,
}

async fn places(state: &AppState) -> Result<Vec<Place>, AppError> {
    let rows = store::funding::places(&mut *state.db.acquire().await?).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Place {
                path: OrgPath::parse(&r.path)?,
                id: r.id,
                code: r.code,
                name: r.name,
                households: r.households,
                street_code: r.street_code,
                street_name: r.street_name,
                district_name: r.district_name,
            })
        })
        .collect())
}

/// An admitted item with a funding plan.
struct Item {
    id: i64,
    file_no: String,
    item_name: String,
    department_id: i64,
    department_code: String,
    department_name: String,
    fen: i64,
    periods: Vec<Period>,
    /// Community ids covered.
    communities: Vec<i64>,
}

async fn items(state: &AppState, places: &[Place]) -> Result<Vec<Item>, AppError> {
    let mut conn = state.db.acquire().await?;
    let rows = store::funding::items(&mut conn).await?;
    let listed = store::admission::listed_communities(&mut conn, None).await?;
    let mut out = Vec::new();
    for r in rows {
        let id = r.id;
        let Some(node_path) = OrgPath::parse(&r.node_path) else { continue };
        let form: gongzhi_domain::admission::AdmissionApplicationInput =
            serde_json::from_str(&r.form).unwrap_or_default();
        let (Ok(start), Some(period)) =
            (r.start_date.parse::<NaiveDate>(), r.funding_period.as_deref().and_then(FundingPeriod::from_code))
        else {
            continue;
        };
        let months = form.duration_months.trim().parse().unwrap_or(12);
        let communities = if r.scope_all != 0 {
            places.iter().filter(|p| node_path.contains(&p.path)).map(|p| p.id).collect()
        } else {
            listed.iter().filter(|l| l.application_id == id).map(|l| l.community_id).collect()
        };
        out.push(Item {
            id,
            file_no: r.file_no,
            item_name: r.item_name,
            department_id: r.department_id,
            department_code: r.department_code,
            department_name: r.department_name,
            fen: r.funding_fen,
            periods: periods(start, months, period),
            communities,
        });
    }
    Ok(out)
}

/// Whether the caller may see `item`'s line in `place`.
fn sees(user: &CurrentUser, item: &Item, place: &Place) -> bool {
    match user.role {
        Role::DepartmentApplicant => user.department_id == Some(item.department_id),
        _ => user.sees(&place.path),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LedgerFilter {
    /// Department code.
    department: Option<String>,
    /// Street code.
    street: Option<String>,
    /// A [`FundingState`] code, or `problems` for everything needing attention.
    state: Option<String>,
    application_id: Option<i64>,
}

/// Every line the caller may see, settled as of today.
pub(crate) async fn ledger(
    state: &AppState,
    user: &CurrentUser,
    f: &LedgerFilter,
) -> Result<Vec<FundingLine>, AppError> {
    let places = places(state).await?;
    let by_id: HashMap<i64, &Place> = places.iter().map(|p| (p.id, p)).collect();
    let items = items(state, &places).await?;
    let mut paid: HashMap<(i64, i64, u32), Vec<(NaiveDate, i64)>> = HashMap::new();
    for r in store::funding::paid(&mut *state.db.acquire().await?).await? {
        if let Ok(on) = r.paid_on.parse() {
            paid.entry((r.application_id, r.community_id, r.period_index as u32)).or_default().push((on, r.amount_fen));
        }
    }
    let today = state.today();
    let calendar = state.calendar();
    let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let (dept, street, wanted) = (blank(&f.department), blank(&f.street), blank(&f.state));
    let mut lines = Vec::new();
    for item in &items {
        if f.application_id.is_some_and(|a| a != item.id) || dept.as_ref().is_some_and(|d| d != &item.department_code) {
            continue;
        }
        for community in &item.communities {
            let Some(place) = by_id.get(community) else { continue };
            if !sees(user, item, place) || street.as_ref().is_some_and(|s| s != &place.street_code) {
                continue;
            }
            for period in &item.periods {
                let payments = paid.get(&(item.id, place.id, period.index)).map(Vec::as_slice).unwrap_or(&[]);
                // Provisional on the statutory holidays where the due date or
                // the lateness reaches a year without a published schedule.
                let settled = calendar.calendar.reckon(|c| {
                    let due = state.funding_due.due(c, period)?;
                    Ok((due, settle(c, item.fen, payments, due, today)?))
                });
                let (due, settlement, label, provisional_years) = match settled {
                    Ok(r) if r.is_provisional() => {
                        let (due, s) = r.value;
                        (Some(due), Some(s), format!("{}(暂定)", s.state.label()), r.provisional_years)
                    }
                    Ok(r) => (Some(r.value.0), Some(r.value.1), r.value.1.state.label().to_string(), vec![]),
                    Err(CalendarError::YearUnknown { year }) => {
                        (None, None, format!("{year} 年节假日安排未发布"), vec![])
                    }
                    Err(e) => (None, None, gongzhi_domain::DomainError::message(&e), vec![]),
                };
                let keep = match wanted.as_deref() {
                    None => true,
                    Some("problems") => settlement.is_some_and(|s| s.state.is_problem()),
                    Some(code) => settlement.is_some_and(|s| Some(s.state) == FundingState::from_code(code)),
                };
                if !keep {
                    continue;
                }
                let paid_fen = payments.iter().map(|p| p.1).sum();
                lines.push(FundingLine {
                    application_id: item.id,
                    file_no: item.file_no.clone(),
                    item_name: item.item_name.clone(),
                    department_code: item.department_code.clone(),
                    department_name: item.department_name.clone(),
                    community_code: place.code.clone(),
                    community_name: place.name.clone(),
                    street_code: place.street_code.clone(),
                    street_name: place.street_name.clone(),
                    district_name: place.district_name.clone(),
                    period_index: period.index,
                    period_label: period.label(),
                    due,
                    required_fen: item.fen,
                    paid_fen,
                    shortfall_fen: settlement.map(|s| s.shortfall_fen).unwrap_or(0),
                    late_working_days: settlement.map(|s| s.late_working_days).unwrap_or(0),
                    state: settlement.map(|s| s.state),
                    state_label: label,
                    provisional_years,
                });
            }
        }
    }
    Ok(lines)
}

/// `GET /api/funding/ledger`
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<LedgerFilter>,
) -> ApiResult<Vec<FundingLine>> {
    let user = user.require(&state, READERS, AuditAction::FundingLedger).await?;
    Ok(Json(ledger(&state, &user, &f).await?))
}

fn settlement_of(l: &FundingLine) -> Option<gongzhi_domain::funding::Settlement> {
    l.state.map(|state| gongzhi_domain::funding::Settlement {
        required_fen: l.required_fen,
        paid_fen: l.paid_fen,
        shortfall_fen: l.shortfall_fen,
        late_working_days: l.late_working_days,
        state,
    })
}

fn roll_up(lines: &[FundingLine], key: impl Fn(&FundingLine) -> (String, String)) -> Vec<NamedTotals> {
    let mut groups: BTreeMap<(String, String), Totals> = BTreeMap::new();
    for l in lines {
        if let Some(s) = settlement_of(l) {
            groups.entry(key(l)).or_default().add(&s);
        }
    }
    let mut out: Vec<NamedTotals> =
        groups.into_iter().map(|((code, name), totals)| NamedTotals { code, name, totals }).collect();
    out.sort_by(|a, b| b.totals.shortfall_fen.cmp(&a.totals.shortfall_fen).then(a.code.cmp(&b.code)));
    out
}

/// The dashboard's numbers for the lines `user` may see.
async fn build_summary(state: &AppState, user: &CurrentUser) -> Result<FundingSummary, AppError> {
    let lines = ledger(state, user, &LedgerFilter::default()).await?;
    let mut city = Totals::default();
    lines.iter().filter_map(settlement_of).for_each(|s| city.add(&s));
    let mut problems: Vec<FundingLine> =
        lines.iter().filter(|l| l.state.is_some_and(FundingState::is_problem)).cloned().collect();
    problems.sort_by(|a, b| b.late_working_days.cmp(&a.late_working_days).then(b.shortfall_fen.cmp(&a.shortfall_fen)));
    Ok(FundingSummary {
        today: state.today(),
        due_rule: state.funding_due.label(),
        city,
        by_department: roll_up(&lines, |l| (l.department_code.clone(), l.department_name.clone())),
        by_street: roll_up(&lines, |l| (l.street_code.clone(), l.street_name.clone())),
        by_district: roll_up(&lines, |l| (l.district_name.clone(), l.district_name.clone())),
        problems,
    })
}

/// `GET /api/funding/summary` (finance, reviewers): the dashboard.
pub async fn summary(State(state): State<AppState>, user: CurrentUser) -> ApiResult<FundingSummary> {
    let user = user.require(&state, WATCHERS, AuditAction::FundingSummary).await?;
    Ok(Json(build_summary(&state, &user).await?))
}

/// `GET /api/funding/summary/export` (finance, reviewers): the roll-ups as a
/// workbook — one sheet each for departments, streets, districts and the city.
pub async fn export_summary(State(state): State<AppState>, user: CurrentUser) -> Result<impl IntoResponse, AppError> {
    let user = user.require(&state, WATCHERS, AuditAction::FundingSummaryExport).await?;
    let s = build_summary(&state, &user).await?;
    let header = ["名称", "计划拨付(元)", "已到期应拨付(元)", "已拨付(元)", "缺口(元)", "逾期笔数", "笔数"];
    let row = |name: &str, t: &Totals| {
        vec![
            XCell::Text(name.to_string()),
            XCell::Yuan(t.planned_fen),
            XCell::Yuan(t.due_fen),
            XCell::Yuan(t.paid_fen),
            XCell::Yuan(t.shortfall_fen),
            XCell::Count(t.late_lines.into()),
            XCell::Count(t.lines.into()),
        ]
    };
    let rows = |named: &[NamedTotals]| named.iter().map(|n| row(&n.name, &n.totals)).collect::<Vec<_>>();
    let (departments, streets, districts) = (rows(&s.by_department), rows(&s.by_street), rows(&s.by_district));
    let city = vec![row("全市", &s.city)];
    let sheets = [
        crate::export::Sheet { name: "按部门", header: &header, rows: &departments },
        crate::export::Sheet { name: "按街道", header: &header, rows: &streets },
        crate::export::Sheet { name: "按区县", header: &header, rows: &districts },
        crate::export::Sheet { name: "全市", header: &header, rows: &city },
    ];
    let bytes = crate::export::workbook(&sheets).map_err(AppError::internal)?;
    audit::record(&state, &user.who(), &Event::success(AuditAction::FundingSummaryExport, "funding_summary")).await?;
    Ok(crate::export::xlsx_download("funding-summary.xlsx", bytes))
}

/// `GET /api/funding/ledger/export`: the filtered ledger as .xlsx, with
/// amounts as numbers (yuan, two decimals) and text never as formulas.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<LedgerFilter>,
) -> Result<impl IntoResponse, AppError> {
    let user = user.require(&state, READERS, AuditAction::FundingExport).await?;
    let lines = ledger(&state, &user, &f).await?;
    let header = [
        "事项编号",
        "事项名称",
        "职能部门",
        "区县",
        "街道",
        "社区",
        "期次",
        "应拨付日期",
        "应拨付(元)",
        "已拨付(元)",
        "缺口(元)",
        "逾期(工作日)",
        "状态",
    ];
    let rows: Vec<Vec<XCell>> = lines
        .iter()
        .map(|l| {
            vec![
                XCell::Text(l.file_no.clone()),
                XCell::Text(l.item_name.clone()),
                XCell::Text(l.department_name.clone()),
                XCell::Text(l.district_name.clone()),
                XCell::Text(l.street_name.clone()),
                XCell::Text(l.community_name.clone()),
                XCell::Text(l.period_label.clone()),
                XCell::Text(l.due.map(|d| d.to_string()).unwrap_or_default()),
                XCell::Yuan(l.required_fen),
                XCell::Yuan(l.paid_fen),
                XCell::Yuan(l.shortfall_fen),
                XCell::Count(l.late_working_days.into()),
                XCell::Text(l.state_label.clone()),
            ]
        })
        .collect();
    let bytes = crate::export::xlsx_typed("经费拨付台账", &header, &rows).map_err(AppError::internal)?;
    let detail = serde_json::json!({ "rows": rows.len() });
    audit::record(&state, &user.who(), &Event::success(AuditAction::FundingExport, "funding_ledger").detail(detail))
        .await?;
    Ok(crate::export::xlsx_download("funding-ledger.xlsx", bytes))
}

fn payment_view(r: PaymentRow) -> PaymentView {
    PaymentView {
        id: r.id,
        application_id: r.application_id,
        community_code: r.community_code,
        community_name: r.community_name,
        period_index: r.period_index as u32,
        paid_on: r.paid_on.parse().unwrap_or_default(),
        amount_fen: r.amount_fen,
        voucher_no: r.voucher_no,
        kind: r.kind,
        corrects_id: r.corrects_id,
        corrected: r.corrected > 0,
        note: r.note,
        recorded_by: r.display_name,
        recorded_at: r.recorded_at,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PaymentFilter {
    application_id: Option<i64>,
}

/// `GET /api/funding/payments?application_id=`: the payments of an item the
/// caller may see, newest first.
pub async fn payments(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<PaymentFilter>,
) -> ApiResult<Vec<PaymentView>> {
    let user = user.require(&state, READERS, AuditAction::FundingPayments).await?;
    let places = places(&state).await?;
    let items = items(&state, &places).await?;
    let by_id: HashMap<i64, &Place> = places.iter().map(|p| (p.id, p)).collect();
    let rows = store::funding::payments(&mut *state.db.acquire().await?, f.application_id).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| match (items.iter().find(|i| i.id == r.application_id), by_id.get(&r.community_id)) {
                (Some(item), Some(place)) => sees(&user, item, place),
                _ => false,
            })
            .map(payment_view)
            .collect(),
    ))
}

/// `POST /api/funding/payments` (the item's department): records a payment
/// to one community, or — with no community — splits the amount over the
/// item's communities by households, exactly to the fen.
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewPayment>,
) -> Result<(StatusCode, Json<PaymentsRecorded>), AppError> {
    let user = user.require(&state, PAYERS, AuditAction::FundingPay).await?;
    let key = idempotency::parse_key(&body.idempotency_key)?;
    let places = places(&state).await?;
    let items = items(&state, &places).await?;
    let app_id = body.payment.application_id.trim().parse::<i64>().ok();
    let item = items.iter().find(|i| Some(i.id) == app_id && user.department_id == Some(i.department_id));
    let Some(item) = item else {
        // Not an admitted, funded item of the caller's department.
        let e = gongzhi_domain::funding::FIELD_APPLICATION
            .error(FieldErrorKind::UnknownOption { raw: body.payment.application_id.trim().to_string() });
        return Err(AppError::fields(&[e]));
    };
    let payment = body.payment.parse(item.periods.len() as u32, state.today()).map_err(|e| AppError::fields(&e))?;
    let covered: Vec<&Place> = places.iter().filter(|p| item.communities.contains(&p.id)).collect();
    let shares: Vec<(&Place, i64)> = match &payment.community {
        Some(code) => match covered.iter().find(|p| &p.code == code) {
            Some(p) => vec![(*p, payment.amount.fen())],
            None => {
                return Err(AppError::fields(&[
                    FIELD_COMMUNITY.error(FieldErrorKind::UnknownOption { raw: code.clone() })
                ]))
            }
        },
        None => {
            let weights: Vec<u64> = covered.iter().map(|p| p.households.max(0) as u64).collect();
            let split = split_by_weight(payment.amount.fen(), &weights)
                .map_err(|e| AppError::domain(StatusCode::UNPROCESSABLE_ENTITY, &e))?;
            covered.iter().copied().zip(split).filter(|(_, fen)| *fen > 0).collect()
        }
    };
    let fingerprint = sha256_hex(&serde_json::to_string(&body.payment).map_err(AppError::internal)?);
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let paid_on = payment.paid_on.to_string();
    let mut tx = state.write_tx().await?;
    let mut ids = Vec::new();
    for (i, (place, fen)) in shares.iter().enumerate() {
        // One key per row of the request: `key`, `key/2`, …
        let row_key = if i == 0 { key.clone() } else { format!("{key}/{}", i + 1) };
        let new = NewEntry {
            idempotency_key: &row_key,
            request_sha256: &fingerprint,
            application_id: item.id,
            community_id: place.id,
            period_index: payment.period,
            paid_on: &paid_on,
            amount_fen: *fen,
            voucher_no: &payment.voucher_no,
            recorded_by: user.account_id,
            recorded_at: &now,
        };
        let Some(id) = store::funding::insert_payment(&mut tx, &new).await? else {
            // A retry: the first try's rows answer, if the body is the same.
            drop(tx);
            let existing = store::funding::by_key(&mut *state.db.acquire().await?, &key).await?;
            if existing.iter().any(|(_, fp)| fp != &fingerprint) {
                return Err(idempotency::reused());
            }
            let ids: Vec<i64> = existing.into_iter().map(|(id, _)| id).collect();
            return Ok((StatusCode::OK, Json(PaymentsRecorded { payments: load_payments(&state, &ids).await? })));
        };
        ids.push(id);
    }
    let detail = serde_json::json!({
        "application": item.file_no, "period": payment.period, "voucher": payment.voucher_no,
        "communities": shares.iter().map(|(p, fen)| serde_json::json!({ "community": p.code, "fen": fen })).collect::<Vec<_>>(),
    });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::FundingPay, format!("admission:{}", item.id)).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(PaymentsRecorded { payments: load_payments(&state, &ids).await? })))
}

async fn load_payments(state: &AppState, ids: &[i64]) -> Result<Vec<PaymentView>, AppError> {
    let mut conn = state.db.acquire().await?;
    let mut out = Vec::new();
    for id in ids {
        out.push(payment_view(store::funding::payment(&mut conn, *id).await?));
    }
    Ok(out)
}

/// `POST /api/funding/payments/{id}/correct` (the item's department): a
/// reversing entry for a payment recorded in error; the original stays.
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CorrectionRequest>,
) -> Result<(StatusCode, Json<PaymentView>), AppError> {
    let user = user.require(&state, PAYERS, AuditAction::FundingCorrect).await?;
    let original = store::funding::original(&mut *state.db.acquire().await?, id).await?;
    let Some(original) = original.filter(|r| user.department_id == Some(r.department_id)) else {
        return Err(user.out_of_scope(&state, AuditAction::FundingCorrect, format!("funding_payment:{id}")).await);
    };
    let note = FIELD_NOTE.required_text(&body.note, 500).map_err(|e| AppError::fields(&[e]))?;
    let key = idempotency::parse_key(&body.idempotency_key)?;
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let fingerprint = sha256_hex(&note);
    let today = state.today().to_string();
    let correction = NewCorrection {
        idempotency_key: &key,
        request_sha256: &fingerprint,
        corrects: id,
        original: &original,
        on: &today,
        note: &note,
        recorded_by: user.account_id,
        recorded_at: &now,
    };
    let mut tx = state.write_tx().await?;
    // One correction per payment: the partial unique index decides.
    let Some(new_id) = store::funding::insert_correction(&mut tx, &correction).await? else {
        return Err(ConflictError::FundingAlreadyCorrected.into());
    };
    let detail = serde_json::json!({ "corrects": id, "fen": -original.amount_fen, "note": note });
    audit::append(
        &mut tx,
        &user.who(),
        &Event::success(AuditAction::FundingCorrect, format!("funding_payment:{id}")).detail(detail),
    )
    .await?;
    tx.commit().await?;
    let row = store::funding::payment(&mut *state.db.acquire().await?, new_id).await?;
    Ok((StatusCode::CREATED, Json(payment_view(row))))
}
