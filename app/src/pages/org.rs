//! 组织架构: the organisation tree below the signed-in account.

use gongzhi_api::OrgNodeView;
use leptos::prelude::*;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::api;

#[component]
pub fn OrgPage() -> impl IntoView {
    let nodes = LocalResource::new(|| async { api::get::<Vec<OrgNodeView>>("/api/org/tree").await });
    view! {
        <RequireMenu slug="org">
            <section class="panel">
                <h1>"组织架构"</h1>
                <p class="lead">"市 → 县(区) → 乡镇(街道) → 社区 → 网格。每个账号只能看到本级及下级的数据。"</p>
                {move || nodes.get().map(|r| match r {
                        Ok(list) => view! {
                            <ul class="org-tree" data-testid="org-tree">
                                {list.into_iter().map(|n| {
                                    let depth = n.path.matches('/').count().saturating_sub(2);
                                    view! {
                                        <li style=format!("padding-left: {}rem", depth as f32 * 1.5)>
                                            <span class="badge">{n.level_label}</span>" "{n.name}
                                            <span class="hint">" "{n.code}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error">{e.message}</p> }.into_any(),
                    }).unwrap_or_else(loading)}
            </section>
        </RequireMenu>
    }
}
