//! The editions of the catalogue and which are in force today.

use gongzhi_api::{ApiError, CatalogEditionView, CatalogEditionsPage};
use leptos::prelude::*;

use crate::components::table::{Cell, DataTable};

fn status(e: &CatalogEditionView) -> Cell {
    if e.in_force {
        Cell::Badge("ok", "现行".into())
    } else if e.pending {
        Cell::Badge("warn", "待生效".into())
    } else {
        Cell::Badge("none", "已被新版本替代".into())
    }
}

fn row(e: CatalogEditionView) -> Vec<Cell> {
    let loaded = match (&e.loaded_by, &e.loaded_at) {
        (Some(by), Some(at)) => format!("{by} {}", at.get(..10).unwrap_or(at)),
        _ => "随系统发布".into(),
    };
    let state = status(&e);
    vec![
        e.level_label.into(),
        Cell::Mono(e.version),
        e.region.into(),
        e.effective_from.into(),
        e.matters.to_string().into(),
        state,
        loaded.into(),
    ]
}

#[component]
pub fn Editions(editions: LocalResource<Result<CatalogEditionsPage, ApiError>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="editions-title">
            <h2 id="editions-title">"目录版本"</h2>
            {move || match editions.get() {
                None => view! { <p class="hint">"正在加载……"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="alert alert-error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <p data-testid="catalog-version">"现行目录版本:"<strong>{page.version_in_force}</strong></p>
                    <DataTable testid="catalog-editions"
                        headers=&["层级", "版本", "发布地区", "生效日期", "事项数", "状态", "加载"]
                        rows=page.editions.into_iter().map(row).collect() />
                }.into_any(),
            }}
        </section>
    }
}
