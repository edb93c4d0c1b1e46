//! 居民信息: residents in the caller's scope, ID and phone numbers masked. A
//! grid member may open one resident's full numbers; that read is audited.

use gongzhi_api::ResidentView;
use leptos::prelude::*;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::session::use_session;

#[component]
pub fn ResidentsPage() -> impl IntoView {
    view! {
        <RequireMenu slug="residents">
            <ResidentsBody />
        </RequireMenu>
    }
}

#[component]
fn ResidentsBody() -> impl IntoView {
    let session = use_session();
    let special_only = RwSignal::new(false);
    let residents = LocalResource::new(move || {
        let only = special_only.get();
        async move { api::get::<Vec<ResidentView>>(&format!("/api/residents?special_only={only}")).await }
    });
    let may_reveal = move || session.info().is_some_and(|i| i.account.role == "grid_member");
    view! {
        <section class="panel">
            <h1>"居民信息"</h1>
            <p class="lead">"证件号码与电话默认脱敏显示。查看完整信息会记入审计日志,请仅在工作需要时使用。"</p>
            <label class="check">
                <input type="checkbox" prop:checked=move || special_only.get() on:change=move |ev| special_only.set(event_target_checked(&ev)) />
                " 只看特殊群体"
            </label>
            {move || residents.get().map(|r| match r {
                    Ok(list) => {
                        let rows = list.into_iter().map(|r| resident_row(r, may_reveal())).collect();
                        view! {
                            <DataTable testid="residents-table"
                                headers=&["姓名", "公民身份号码", "联系电话", "住址", "特殊群体", "所属网格", ""] rows />
                        }.into_any()
                    }
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
        </section>
    }
}

/// One resident's row; the ID and phone cells update when revealed.
fn resident_row(resident: ResidentView, may_reveal: bool) -> Vec<Cell> {
    let shown = RwSignal::new(resident.clone());
    let id = resident.id;
    let reveal = Action::new_local(move |_: &()| async move {
        api::get::<ResidentView>(&format!("/api/residents/{id}?reveal=true")).await
    });
    Effect::new(move |_| {
        if let Some(Ok(full)) = reveal.value().get() {
            shown.set(full);
        }
    });
    let button = may_reveal.then(|| {
        view! {
            <button class="btn btn-small" disabled=move || !shown.get().masked on:click=move |_| { reveal.dispatch(()); }>
                "查看完整信息"
            </button>
        }
    });
    vec![
        resident.name.into(),
        Cell::View(view! { <span class="mono">{move || shown.get().id_number}</span> }.into_any()),
        Cell::View(view! { <span class="mono">{move || shown.get().phone.unwrap_or_default()}</span> }.into_any()),
        resident.address.into(),
        match resident.special_group_label {
            Some(g) => Cell::Badge("warn", g),
            None => "".into(),
        },
        resident.org_node_name.into(),
        Cell::View(button.into_any()),
    ]
}
