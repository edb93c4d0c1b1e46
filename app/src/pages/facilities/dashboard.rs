//! `/facilities`: what waits for the account's department, the projects by
//! step, the communities against the standard, and the map.

use gongzhi_api::facilities::{CommunityFacilities, FacilitiesDashboard, ProjectSummary, WaitingSignOff};
use gongzhi_domain::facilities::project::Authority;
use leptos::prelude::*;
use leptos_router::components::A;

use super::map::FacilityMap;
use super::{flag_badge, num, short_cell, shortfall};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

#[component]
pub fn FacilitiesPage() -> impl IntoView {
    let data = LocalResource::new(|| async { api::get::<FacilitiesDashboard>("/api/facilities").await });
    view! {
        <RequireMenu slug="facilities">
            {move || data.get().map(|r| match r {
                Ok(d) => view! { <Dashboard d /> }.into_any(),
                Err(e) => view! { <section class="panel"><h1>"社区设施布点"</h1><p class="form-error" role="alert">{e.message}</p></section> }.into_any(),
            }).unwrap_or_else(loading)}
        </RequireMenu>
    }
}

fn link(href: String, text: String, sub: String) -> Cell {
    Cell::View(view! { <div class="item-cell"><A href=href>{text}</A><small>{sub}</small></div> }.into_any())
}

fn waiting_rows(list: &[WaitingSignOff]) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|w| {
            vec![
                link(
                    format!("/facilities/projects/{}", w.project_id),
                    w.project_name.clone(),
                    w.community_name.clone(),
                ),
                Cell::Text(format!("{}:{}", w.step_label, w.kind_label)),
                Cell::Mono(w.planned.to_string()),
                if w.late { Cell::Badge("off", "已逾期".into()) } else { Cell::Badge("none", "未逾期".into()) },
            ]
        })
        .collect()
}

fn project_rows(list: &[ProjectSummary]) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|p| {
            let step = match (&p.step, p.late) {
                (None, _) => Cell::Badge("ok", p.step_label.clone()),
                (Some(_), true) => Cell::Badge("off", format!("{}(逾期)", p.step_label)),
                (Some(_), false) => Cell::Badge("none", p.step_label.clone()),
            };
            let flags = p.flags.iter().map(flag_badge).collect_view();
            vec![
                link(format!("/facilities/projects/{}", p.id), p.name.clone(), p.developer.clone()),
                Cell::Text(p.community_name.clone()),
                step,
                Cell::Text(if p.waiting_for.is_empty() { "—".into() } else { p.waiting_for.join("、") }),
                Cell::View(view! { <div class="actions">{flags}</div> }.into_any()),
            ]
        })
        .collect()
}

fn community_rows(list: &[CommunityFacilities]) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|c| {
            let mut row = vec![
                link(
                    format!("/facilities/communities/{}", c.community_id),
                    c.community_name.clone(),
                    format!("用房 {} 处", c.rooms),
                ),
                Cell::Text(c.street_name.clone()),
                num(format!("{} 户", c.households)),
            ];
            for kind in ["service", "elderly_care"] {
                match shortfall(&c.shortfalls, kind) {
                    Some(s) => {
                        row.push(num(s.required.to_string()));
                        row.push(num(s.provided.to_string()));
                        row.push(short_cell(s.short));
                    }
                    None => row.extend([Cell::Text("—".into()), Cell::Text("—".into()), Cell::Text("—".into())]),
                }
            }
            row.push(Cell::Text(c.standard_version.clone().unwrap_or_else(|| "未配置标准".into())));
            row
        })
        .collect()
}

const COMMUNITY_HEADERS: &[&str] = &[
    "社区",
    "街道",
    "户数",
    "综合服务用房应有",
    "已有",
    "达标情况",
    "养老服务用房应有",
    "已有",
    "达标情况",
    "配置标准",
];

#[component]
fn Dashboard(d: FacilitiesDashboard) -> impl IntoView {
    let waiting = (!d.waiting.is_empty() || d.signs_as.is_some()).then(|| {
        let signs_as = d.signs_as.clone().unwrap_or_default();
        let title = if signs_as == Authority::Community.label() {
            "等待本社区签字".to_string()
        } else {
            format!("等待本部门签字({signs_as})")
        };
        let rows = waiting_rows(&d.waiting);
        view! {
            <section class="panel" data-testid="facility-waiting-panel">
                <h2>{title}</h2>
                <DataTable testid="facility-waiting" rows headers=&["项目", "签字事项", "环节计划完成", "时限"] empty="暂无等待本部门签字的事项。" />
            </section>
        }
    });
    let steps = d
        .by_step
        .iter()
        .map(|s| {
            let class = if s.late > 0 { "stat stat-alert" } else { "stat" };
            view! {
                <div class=class>
                    <span>{s.label.clone()}</span>
                    <strong>{format!("{} 个", s.projects)}</strong>
                    <small>{format!("其中逾期 {} 个", s.late)}</small>
                </div>
            }
        })
        .collect_view();
    let projects = project_rows(&d.projects);
    let communities = community_rows(&d.communities);
    let below = d.communities.iter().filter(|c| c.below_standard).count();
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"社区设施布点"</h1>
                <div class="actions">
                    <a class="btn" href="/api/facilities/export.xlsx" download="facilities.xlsx">"导出 Excel"</a>
                    {d.can_register.then(|| view! { <A href="/facilities/new" attr:class="btn btn-primary">"登记新建住宅项目"</A> })}
                </div>
            </div>
            <p class="lead">"新建住宅项目的社区综合服务用房和养老服务用房,与住宅同步规划、同步建设、同步验收、同步交付;已建成社区未达标的,通过增建、扩建、购买、租赁、盘活闲置等方式补齐。"</p>
            <p class="hint">{format!("统计截至 {};共 {} 个社区,其中 {below} 个未达标。", d.today, d.communities.len())}</p>
        </section>
        {waiting}
        <section class="panel">
            <h2>"新建住宅项目"</h2>
            <div class="stat-grid" data-testid="facility-steps">{steps}</div>
            <DataTable testid="facility-projects" rows=projects headers=&["项目", "所在社区", "当前环节", "等待签字", "提示"] empty="尚无登记的新建住宅项目。" />
        </section>
        <section class="panel">
            <h2>"各社区用房达标情况"</h2>
            <DataTable testid="facility-communities" rows=communities headers=COMMUNITY_HEADERS empty="辖区内没有社区。" />
        </section>
        <section class="panel">
            <h2>"布点图"</h2>
            <FacilityMap map=d.map />
        </section>
    }
}
