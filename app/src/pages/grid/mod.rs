//! 全要素网格: the grids in scope, the walk of one grid, and imports.

pub mod import;
pub mod map;
pub mod walk;

use gongzhi_api::{CoverageView, GridSummary};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::fixed::fixed;
use crate::services::session::use_session;
use crate::services::store::get_kept;

#[component]
pub fn GridListPage() -> impl IntoView {
    view! {
        <RequireMenu slug="grid">
            <GridList />
        </RequireMenu>
    }
}

#[component]
fn GridList() -> impl IntoView {
    let session = use_session();
    let grids = LocalResource::new(|| async { get_kept::<Vec<GridSummary>>("/api/grids?per_page=500").await });
    let oversees = move || session.info().is_some_and(|i| i.account.role != "grid_member");
    view! {
        <section class="panel">
            <h1>"全要素网格"</h1>
            <p class="lead">"一张网格承载党建、社会保障、综合治理、应急管理、社会救助等职责(多网合一)。"</p>
            {move || grids.get().map(|r| match r {
                Ok((list, kept)) => view! {
                    {kept.then(|| view! { <p class="alert alert-warn" role="status">"当前离线:显示的是本机保存的网格列表。"</p> })}
                    <div class="grid-cards" data-testid="grid-cards">
                        {list.into_iter().map(|g| grid_card(g, !oversees())).collect_view()}
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </section>
        {move || oversees().then(|| view! { <Coverage /> })}
    }
}

/// `walks`: the grid member walks the grid; a reviewer or a leader looks at it.
fn grid_card(g: GridSummary, walks: bool) -> impl IntoView {
    let flag = if g.size_flag == "standard" { "badge badge-ok" } else { "badge badge-warn" };
    let members = if g.members.is_empty() { "未配备网格员".to_string() } else { g.members.join("、") };
    view! {
        <article class="grid-card">
            <h2>{g.name.clone()}</h2>
            <p class="hint">{g.community_name.clone()}" · "{g.code.clone()}" · "{members}</p>
            <dl class="grid-facts">
                <div><dt>"住户"</dt><dd>{g.households}" 户"</dd></div>
                <div><dt>"居民"</dt><dd>{g.residents}" 人"</dd></div>
                <div><dt>"楼栋"</dt><dd>{g.buildings}</dd></div>
                <div><dt>"特殊群体"</dt><dd>{g.special_residents}" 人"</dd></div>
                <div class:alert-cell={g.overdue_visits > 0}><dt>"逾期走访"</dt><dd>{g.overdue_visits}</dd></div>
                <div><dt>"未结事件"</dt><dd>{g.open_events}</dd></div>
            </dl>
            <p><span class=flag>{g.size_flag_label.clone()}</span></p>
            <A href=format!("/grid/{}", g.id) attr:class="btn btn-primary btn-large btn-block">{if walks { "开始走访" } else { "查看网格" }}</A>
        </article>
    }
}

/// Whether the community's grids tile it: overlaps and gaps with areas.
#[component]
fn Coverage() -> impl IntoView {
    let coverage = LocalResource::new(|| async { get_kept::<CoverageView>("/api/grids/coverage").await });
    view! {
        <section class="panel" data-testid="coverage">
            <h2>"网格划分检查"</h2>
            {move || coverage.get().map(|r| match r {
                Ok((c, _)) => {
                    let summary = match (c.covered_share, c.gap_m2, c.outside_m2) {
                        (Some(share), Some(gap), Some(out)) => format!(
                            "{}:网格覆盖 {}% 的社区面积;未覆盖 {} 平方米,超出社区边界 {} 平方米。",
                            c.community_name, fixed(share * 100.0, 1), fixed(gap, 0), fixed(out, 0)
                        ),
                        _ => format!("{}:尚未导入社区边界,无法检查覆盖情况。", c.community_name),
                    };
                    let clean = c.overlaps.is_empty() && c.gap_m2.unwrap_or(1.0) == 0.0 && c.undrawn.is_empty();
                    view! {
                        <p class=if clean { "alert alert-ok" } else { "alert alert-warn" }>{summary}</p>
                        {(!c.overlaps.is_empty()).then(|| view! {
                            <ul>{c.overlaps.iter().map(|o| view! { <li>{format!("“{}”与“{}”重叠约 {} 平方米", o.a, o.b, fixed(o.area_m2, 0))}</li> }).collect_view()}</ul>
                        })}
                        {(!c.undrawn.is_empty()).then(|| view! { <p class="hint">"尚未绘制边界的网格:"{c.undrawn.join("、")}</p> })}
                    }.into_any()
                }
                Err(e) => view! { <p class="form-error">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </section>
    }
}
