//! `/facilities/new`: the reviewer registers a new residential project, its
//! planned rooms and the planned date of each of the four steps.

use gongzhi_api::facilities::{FacilitiesDashboard, ProjectFile};
use gongzhi_api::ApiError;
use gongzhi_domain::facilities::project::ProjectInput;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::{Check, Choice};
use crate::components::form::{FormErrors, TextField};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::api;

#[component]
pub fn NewFacilityProjectPage() -> impl IntoView {
    let data = LocalResource::new(|| async { api::get::<FacilitiesDashboard>("/api/facilities").await });
    view! {
        <RequireMenu slug="facilities">
            <p class="breadcrumb"><A href="/facilities">"社区设施"</A>" / 登记新建住宅项目"</p>
            <section class="panel">
                <h1>"登记新建住宅项目"</h1>
                <p class="lead">"配套社区综合服务用房和养老服务用房由建设单位按标准无偿提供,与住宅同步规划、建设、验收、交付。保存后,项目档案按现行配置标准列出应配建面积。"</p>
                {move || data.get().map(|r| match r {
                    Ok(d) if d.can_register => {
                        let communities = d.communities.iter().map(|c| (c.community_id.to_string(), format!("{} · {}", c.street_name, c.community_name))).collect();
                        view! { <ProjectForm communities /> }.into_any()
                    }
                    Ok(_) => view! { <p class="notice" role="status">"新建住宅项目由民政部门审核人登记。"</p> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
            </section>
        </RequireMenu>
    }
}

const FIELDS: &[&str] = &[
    "community_id",
    "name",
    "developer",
    "households",
    "phases",
    "position",
    "service_area",
    "elderly_area",
    "floor",
    "planning_due",
    "construction_due",
    "acceptance_due",
    "handover_due",
];

#[component]
fn ProjectForm(communities: Vec<(String, String)>) -> impl IntoView {
    let v: [RwSignal<String>; 14] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [community, name, developer, households, phases, lon, lat, service, elderly, floor, planning, construction, acceptance, handover] =
        v;
    phases.set("1".into());
    floor.set("1".into());
    let own_entrance = RwSignal::new(true);
    let input = move || ProjectInput {
        community_id: community.get(),
        name: name.get(),
        developer: developer.get(),
        households: households.get(),
        phases: phases.get(),
        lon: lon.get(),
        lat: lat.get(),
        service_area: service.get(),
        elderly_area: elderly.get(),
        floor: floor.get(),
        own_entrance: own_entrance.get(),
        planning_due: planning.get(),
        construction_due: construction.get(),
        acceptance_due: acceptance.get(),
        handover_due: handover.get(),
    };
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { input().parse().err().unwrap_or_default() } else { vec![] },
        server: server.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let navigate = use_navigate();
    let create = Action::new_local(move |body: &ProjectInput| {
        let body = body.clone();
        async move { api::send::<_, ProjectFile>("POST", "/api/facilities/projects", &body).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(file)) => {
            navigate(&format!("/facilities/projects/{}?registered=1", file.summary.id), Default::default())
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <form class="form-grid wide-grid" data-testid="facility-project-form" on:submit=move |ev| {
            ev.prevent_default();
            tried.set(true);
            server.set(None);
            if input().parse().is_ok() {
                create.dispatch(input());
            }
        } novalidate>
            <Choice id="community_id" label="所在社区" value=community options=communities error=err("community_id") />
            <TextField id="name" label="项目名称" value=name error=err("name") />
            <TextField id="developer" label="建设单位(开发商)" value=developer error=err("developer") />
            <TextField id="households" label="规划户数" value=households error=err("households") />
            <TextField id="phases" label="分期数" value=phases error=err("phases") />
            <TextField id="lon" label="项目位置:经度(可不填)" value=lon error=err("lon") hint="例如 116.3581" />
            <TextField id="lat" label="项目位置:纬度(可不填)" value=lat error=err("position") hint="经度、纬度都不填,则不在布点图上标注" />
            <TextField id="service_area" label="配建社区综合服务用房面积(平方米)" value=service error=err("service_area") />
            <TextField id="elderly_area" label="配建养老服务用房面积(平方米)" value=elderly error=err("elderly_area") />
            <TextField id="floor" label="用房所在楼层" value=floor error=err("floor") hint="地下一层填 -1" />
            <Check id="own_entrance" label="用房有独立出入口" value=own_entrance />
            <fieldset class="form-section field-wide">
                <legend>"四同步计划完成日期"</legend>
                <div class="form-grid wide-grid">
                    <TextField id="planning_due" label="规划计划完成日期" kind="date" value=planning error=err("planning_due") />
                    <TextField id="construction_due" label="建设计划完成日期" kind="date" value=construction error=err("construction_due") />
                    <TextField id="acceptance_due" label="验收计划完成日期" kind="date" value=acceptance error=err("acceptance_due") />
                    <TextField id="handover_due" label="移交计划完成日期" kind="date" value=handover error=err("handover_due") />
                </div>
            </fieldset>
            <div class="form-actions actions">
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button class="btn btn-primary" type="submit">"登记项目"</button>
                <A href="/facilities" attr:class="btn">"取消"</A>
            </div>
        </form>
    }
}
