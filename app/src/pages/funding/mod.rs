//! 经费保障 (费随事转、事费配套): the dashboard for finance and reviewers, and
//! the department's ledger with its payments.
//!
//! - [`chart`]: SVG bar charts.
//! - [`pay`]: the department records payments and corrections.

mod chart;
mod pay;

use gongzhi_api::{FundingLine, FundingSummary, NamedTotals};
use gongzhi_domain::funding::{fen_label, FundingState};
use leptos::prelude::*;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::session::use_session;
use chart::{Bar, BarChart};

#[component]
pub fn FundingPage() -> impl IntoView {
    let session = use_session();
    view! {
        <RequireMenu slug="funding">
            {move || if session.info().is_some_and(|i| i.account.role == "department_applicant") {
                view! { <pay::DepartmentLedger /> }.into_any()
            } else {
                view! { <Dashboard /> }.into_any()
            }}
        </RequireMenu>
    }
}

fn yuan(fen: i64) -> String {
    format!("{} 元", fen_label(fen))
}

fn state_cell(l: &FundingLine) -> Cell {
    let kind = match l.state {
        Some(FundingState::Paid) => "ok",
        Some(FundingState::PaidLate | FundingState::Partial) => "warn",
        Some(FundingState::Unpaid) => "off",
        _ => "none",
    };
    Cell::Badge(kind, l.state_label.clone())
}

/// A main line with a smaller line under it.
fn two_lines(main: String, sub: String) -> Cell {
    Cell::View(view! { <div class="item-cell"><span>{main}</span><small>{sub}</small></div> }.into_any())
}

/// Rows of the ledger tables.
pub(crate) fn ledger_rows(lines: &[FundingLine]) -> Vec<Vec<Cell>> {
    lines
        .iter()
        .map(|l| {
            vec![
                state_cell(l),
                two_lines(l.item_name.clone(), format!("{} · {}", l.file_no, l.department_name)),
                two_lines(l.community_name.clone(), l.street_name.clone()),
                Cell::Text(format!("第 {} 期", l.period_index)),
                Cell::Mono(l.due.map(|d| d.to_string()).unwrap_or_default()),
                Cell::Text(if l.late_working_days > 0 { l.late_working_days.to_string() } else { "—".into() }),
                Cell::Mono(yuan(l.required_fen)),
                Cell::Mono(yuan(l.paid_fen)),
                Cell::Mono(yuan(l.shortfall_fen)),
            ]
        })
        .collect()
}

pub(crate) const LEDGER_HEADERS: &[&str] =
    &["状态", "事项", "社区", "期次", "应拨付日期", "逾期工作日", "应拨付", "已拨付", "缺口"];

fn bars(totals: &[NamedTotals]) -> Vec<Bar> {
    totals.iter().map(|t| Bar { label: t.name.clone(), fen: t.totals.shortfall_fen }).collect()
}

#[component]
fn Dashboard() -> impl IntoView {
    let summary = LocalResource::new(|| async { api::get::<FundingSummary>("/api/funding/summary").await });
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"经费保障看板"</h1>
                <div class="actions">
                    <a class="btn" href="/api/funding/summary/export" download="funding-summary.xlsx">"导出汇总(Excel)"</a>
                    <a class="btn" href="/api/funding/ledger/export?state=problems" download="funding-problems.xlsx">"导出问题清单(Excel)"</a>
                    <a class="btn" href="/api/funding/ledger/export" download="funding-ledger.xlsx" data-testid="export-ledger">"导出全部台账(Excel)"</a>
                </div>
            </div>
            <p class="lead">"权随责走、费随事转、事费配套:准入事项的配套经费须及时足额拨付社区。缺口按已到期的期次计算;逾期按工作日计算(节假日不计)。"</p>
            {move || summary.get().map(|r| match r {
                Ok(s) => view! { <DashboardBody s /> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </section>
    }
}

#[component]
fn DashboardBody(s: FundingSummary) -> impl IntoView {
    let c = s.city;
    let problems = ledger_rows(&s.problems);
    let districts = s
        .by_district
        .iter()
        .map(|t| {
            vec![
                t.name.clone().into(),
                Cell::Mono(yuan(t.totals.due_fen)),
                Cell::Mono(yuan(t.totals.paid_fen)),
                Cell::Mono(yuan(t.totals.shortfall_fen)),
                Cell::Text(format!("{} 笔", t.totals.late_lines)),
            ]
        })
        .collect();
    view! {
        <p class="hint">{format!("统计截至 {};{}。", s.today, s.due_rule)}</p>
        <div class="stat-grid" data-testid="funding-city">
            <div class="stat"><span>"已到期应拨付"</span><strong>{yuan(c.due_fen)}</strong></div>
            <div class="stat"><span>"已拨付"</span><strong>{yuan(c.paid_fen)}</strong></div>
            <div class="stat stat-alert"><span>"缺口"</span><strong data-testid="city-shortfall">{yuan(c.shortfall_fen)}</strong></div>
            <div class="stat"><span>"逾期笔数"</span><strong>{format!("{} / {}", c.late_lines, c.lines)}</strong></div>
        </div>
        <div class="chart-grid">
            <BarChart title="各部门经费缺口" bars=bars(&s.by_department) testid="chart-department" />
            <BarChart title="各街道(乡镇)经费缺口" bars=bars(&s.by_street) testid="chart-street" />
        </div>
        <h2 class="sub">"各区县"</h2>
        <DataTable testid="funding-districts" rows=districts headers=&["区县", "已到期应拨付", "已拨付", "缺口", "逾期"] />
        <h2 class="sub">"未足额或逾期的事项"</h2>
        <DataTable testid="funding-problems" rows=problems headers=LEDGER_HEADERS empty="全部按时足额拨付。" />
    }
}
