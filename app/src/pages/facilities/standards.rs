//! `/facilities/standards` (设施配置标准): the versions of the area and siting
//! standard by jurisdiction, and the system administrator's form for a new
//! version. A city changes its rule by adding a version with the day it
//! takes effect; figures already shown name the version they used.

use gongzhi_api::facilities::{StandardView, StandardsView};
use gongzhi_api::ApiError;
use gongzhi_domain::facilities::standard::StandardInput;
use leptos::prelude::*;

use super::num;
use crate::components::form::{FormErrors, TextField};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

#[component]
pub fn FacilityStandardsPage() -> impl IntoView {
    let current = RwSignal::new(None::<Result<StandardsView, ApiError>>);
    leptos::task::spawn_local(async move {
        current.set(Some(api::get("/api/facilities/standards").await));
    });
    let can_add = Memo::new(move |_| current.with(|c| matches!(c, Some(Ok(v)) if v.can_add)));
    view! {
        <RequireMenu slug="facility-standards">
            <section class="panel">
                <h1>"设施配置标准"</h1>
                <p class="lead">"社区综合服务用房、养老服务用房按每百户面积配置(常见为社区综合服务用房每百户不少于 30 平方米)。标准按生效日期分版本保存,各地区取本级或上级最新生效的版本。"</p>
                {move || current.get().map(|r| match r {
                    Ok(v) => view! { <DataTable testid="facility-standards" rows=rows(&v.versions) headers=HEADERS empty="尚未录入配置标准。" /> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
            </section>
            {move || can_add.get().then(|| view! { <NewStandard current /> })}
        </RequireMenu>
    }
}

const HEADERS: &[&str] = &[
    "标准名称",
    "辖区",
    "生效日期",
    "综合服务用房(每百户)",
    "养老服务用房·已建成社区(每百户)",
    "养老服务用房·新建项目(每百户)",
    "新建项目养老用房单处最小",
    "最高楼层",
    "建成时限",
];

fn rows(list: &[StandardView]) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|v| {
            let s = &v.standard;
            let state = v.in_force.then(|| view! { <span class="badge badge-ok">"现行"</span> });
            vec![
                Cell::View(view! { <div class="item-cell"><span>{s.version.clone()}</span>{state}</div> }.into_any()),
                Cell::Text(v.jurisdiction_name.clone()),
                Cell::Mono(s.effective_from.to_string()),
                num(s.service_per_100.to_string()),
                num(s.elderly_existing_per_100.to_string()),
                num(s.elderly_new_per_100.to_string()),
                num(s.elderly_new_min_site.to_string()),
                num(format!("{} 层", s.max_floor)),
                Cell::Text(format!("住宅交付 {}% 前建成", s.built_by_share_pct)),
            ]
        })
        .collect()
}

const FIELDS: &[&str] = &[
    "version",
    "effective_from",
    "service_per_100",
    "elderly_existing_per_100",
    "elderly_new_per_100",
    "elderly_new_min_site",
    "max_floor",
    "built_by_share_pct",
];

#[component]
fn NewStandard(current: RwSignal<Option<Result<StandardsView, ApiError>>>) -> impl IntoView {
    let v: [RwSignal<String>; 8] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [version, effective, service, existing, new, min_site, max_floor, share] = v;
    let input = move || StandardInput {
        version: version.get(),
        effective_from: effective.get(),
        service_per_100: service.get(),
        elderly_existing_per_100: existing.get(),
        elderly_new_per_100: new.get(),
        elderly_new_min_site: min_site.get(),
        max_floor: max_floor.get(),
        built_by_share_pct: share.get(),
    };
    let tried = RwSignal::new(false);
    let server = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { input().parse().err().unwrap_or_default() } else { vec![] },
        server: server.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &StandardInput| {
        let body = body.clone();
        async move { api::send::<_, StandardsView>("POST", "/api/facilities/standards", &body).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(view)) => {
            saved.set(Some(format!("已录入:{}", version.get_untracked())));
            v.iter().for_each(|s| s.set(String::new()));
            tried.set(false);
            current.set(Some(Ok(view)));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <section class="panel">
            <h2>"录入新版本"</h2>
            {move || saved.get().map(|t| view! { <p class="alert alert-ok" role="status" data-testid="standard-saved">{t}</p> })}
            <form class="form-grid wide-grid" on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                server.set(None);
                if input().parse().is_ok() {
                    send.dispatch(input());
                }
            } novalidate>
                <TextField id="version" label="标准名称" value=version error=err("version") />
                <TextField id="effective_from" label="生效日期" kind="date" value=effective error=err("effective_from") />
                <TextField id="service_per_100" label="社区综合服务用房(每百户平方米)" value=service error=err("service_per_100") />
                <TextField id="elderly_existing_per_100" label="已建成社区养老服务用房(每百户平方米)" value=existing error=err("elderly_existing_per_100") />
                <TextField id="elderly_new_per_100" label="新建住宅项目养老服务用房(每百户平方米)" value=new error=err("elderly_new_per_100") />
                <TextField id="elderly_new_min_site" label="新建项目养老服务用房单处最小面积(平方米)" value=min_site error=err("elderly_new_min_site") />
                <TextField id="max_floor" label="最高楼层" value=max_floor error=err("max_floor") />
                <TextField id="built_by_share_pct" label="须在住宅交付比例之前建成(%)" value=share error=err("built_by_share_pct") />
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(FIELDS))}</p>
                    <button class="btn btn-primary" type="submit">"录入"</button>
                </div>
            </form>
        </section>
    }
}
