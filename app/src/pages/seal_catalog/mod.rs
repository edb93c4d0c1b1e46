//! 证明事项目录 (`/seal-catalog`, the city's system administrator): the catalogue's editions
//! (national, province, city) and which are in force; loading a province's
//! or the city's file; adding or changing one city entry; the matters
//! recorded outside the catalogue, to add. Every change is checked by the
//! domain crate (the same code as the API), takes effect at once and is
//! audited by the server.

mod city_form;
mod editions;
mod uncatalogued;
mod upload;

use gongzhi_api::CatalogEditionsPage;
use leptos::prelude::*;

use crate::components::guard::RequireMenu;
use crate::services::api;

#[component]
pub fn SealCatalogPage() -> impl IntoView {
    // Bumped after every change: the lists below load again.
    let changed = RwSignal::new(0u32);
    let editions = LocalResource::new(move || {
        changed.track();
        async { api::get::<CatalogEditionsPage>("/api/seal/catalog/editions").await }
    });
    // A name from the list of matters outside the catalogue, for the form.
    let prefill = RwSignal::new(None::<String>);
    view! {
        <RequireMenu slug="seal-catalog">
        <section class="panel">
        <h1>"证明事项目录"</h1>
        <p class="lead">
            "社区出具证明按本目录判断:国家清单随系统发布,省级目录由本市加载,市级事项在此维护。"
            "同一事项以市级为准,其次省级;国家明确不应由社区出具的事项,任何一级都不能移出清单。"
            "每次修改生成新的目录版本,立即生效并记入审计;每份证明申请记录所用的目录版本。"
        </p>
        </section>
        <editions::Editions editions=editions />
        <upload::Upload changed=changed />
        <city_form::CityMatterForm editions=editions changed=changed prefill=prefill />
        <uncatalogued::Uncatalogued changed=changed prefill=prefill />
        </RequireMenu>
    }
}
