//! 准入事项清单: the work items communities carry (admitted or registered),
//! per community, with whether the department trained its workers. Public:
//! residents and community workers can see what may be asked of a community.

use gongzhi_api::CatalogPage;
use leptos::prelude::*;

use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

#[component]
pub fn AdmissionCatalogPage() -> impl IntoView {
    let community = RwSignal::new(String::new());
    let page = LocalResource::new(move || {
        let query = api::query_string(&[("community", community.get())]);
        async move { api::get::<CatalogPage>(&format!("/api/admission/catalog?{query}")).await }
    });
    view! {
        <section class="panel">
            <h1>"社区工作事项准入清单"</h1>
            <p class="lead">"经审批准予进入社区或依法备案的工作事项。清单以外的事项,职能部门不得要求社区承担;事项进驻社区后,职能部门须派专人指导培训并配套经费。"</p>
            {move || page.get().map(|r| match r {
                Ok(p) => {
                    let chosen = p.community.is_some();
                    let rows = p.items.iter().map(|i| vec![
                        Cell::Mono(i.file_no.clone()),
                        i.item_name.clone().into(),
                        i.department_name.clone().into(),
                        i.path_label.clone().into(),
                        Cell::Text(format!("{} 起 {} 个月", i.start_date, i.duration_months)),
                        i.funding_label.clone().into(),
                        if chosen {
                            match (i.trained, i.last_training) {
                                (Some(true), Some(d)) => Cell::Badge("ok", format!("已培训({d})")),
                                _ => Cell::Badge("warn", "未培训".into()),
                            }
                        } else {
                            Cell::Text(format!("{}/{} 个社区", i.trained_communities, i.community_count))
                        },
                    ]).collect();
                    view! {
                        <div class="filters">
                            <div class="field">
                                <label for="catalog-community">"社区"</label>
                                <select id="catalog-community" prop:value=move || community.get() on:change=move |ev| community.set(event_target_value(&ev))>
                                    <option value="">"全部社区"</option>
                                    {p.communities.iter().map(|c| view! { <option value=c.code.clone()>{format!("{} · {}", c.street, c.name)}</option> }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <DataTable testid="admission-catalog" rows empty="该社区暂无准入事项。"
                            headers=&["编号", "事项", "职能部门", "方式", "实施期限", "配套经费", "指导培训"] />
                    }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }).unwrap_or_else(loading)}
        </section>
    }
}
