//! Matters recorded outside the catalogue, most asked first: each can be
//! taken into the city form.

use gongzhi_api::UncataloguedMatterView;
use leptos::prelude::*;

use crate::components::table::{Cell, DataTable};
use crate::services::api;

#[component]
pub fn Uncatalogued(changed: RwSignal<u32>, prefill: RwSignal<Option<String>>) -> impl IntoView {
    let list = LocalResource::new(move || {
        changed.track();
        async { api::get::<Vec<UncataloguedMatterView>>("/api/seal/uncatalogued").await }
    });
    let row = move |r: UncataloguedMatterView| {
        let name = r.name.clone();
        let take = view! {
            <button type="button" class="btn btn-small" on:click=move |_| prefill.set(Some(name.clone()))>"加入市级目录"</button>
        };
        vec![
            r.name.into(),
            r.requests.to_string().into(),
            r.communities.to_string().into(),
            r.last_at.get(..10).unwrap_or_default().into(),
            Cell::View(take.into_any()),
        ]
    };
    view! {
        <section class="panel" aria-labelledby="uncatalogued-title">
            <h2 id="uncatalogued-title">"目录外事项"</h2>
            <p class="hint">"社区按名称登记的、目录中没有的证明事项。常被要求的,宜研究后补入市级目录。"</p>
            {move || match list.get() {
                None => view! { <p class="hint">"正在加载……"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="alert alert-error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(rows)) => view! {
                    <DataTable testid="uncatalogued" headers=&["事项名称", "申请次数", "涉及社区", "最近一次", "操作"]
                        rows=rows.into_iter().map(row).collect() empty="暂无目录外事项。" />
                }.into_any(),
            }}
        </section>
    }
}
