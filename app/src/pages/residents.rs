//! 居民信息: residents in the caller's scope, ID and phone numbers masked. A
//! grid member may open one resident's full numbers; that read is audited.

use gongzhi_api::ResidentView;
use std::time::Duration;

use leptos::leptos_dom::helpers::{set_timeout_with_handle, TimeoutHandle};
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

/// GET one page of the register: its residents and the total the server
/// counted (`X-Total-Count`). Here, not in `services::api`, so the bundles
/// without this page do not carry it.
async fn get_page(path: &str) -> Result<(Vec<ResidentView>, u64), gongzhi_api::ApiError> {
    let response = gloo_net::http::Request::get(path).send().await.map_err(|_| api::network_error())?;
    let total = response.headers().get("x-total-count").and_then(|v| v.parse().ok());
    let items: Vec<ResidentView> = api::parse(&api::answer(response).await?)?;
    let total = total.unwrap_or(items.len() as u64);
    Ok((items, total))
}

/// Residents a page at a time.
const PER_PAGE: u64 = 50;

#[component]
fn ResidentsBody() -> impl IntoView {
    let session = use_session();
    let special_only = RwSignal::new(false);
    // What is typed, and what is searched: the search follows the typing
    // after a pause, so each key does not ask the server.
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let on_type = move |value: String| {
        typed.set(value);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                search.set(typed.get_untracked().trim().to_string());
                page.set(1);
            },
            Duration::from_millis(300),
        );
        pending.set_value(handle.ok());
    };
    let residents = LocalResource::new(move || {
        let (only, q, p) = (special_only.get(), search.get(), page.get());
        async move {
            let query = api::query_string(&[
                ("special_only", only.to_string()),
                ("q", q),
                ("page", p.to_string()),
                ("per_page", PER_PAGE.to_string()),
            ]);
            get_page(&format!("/api/residents?{query}")).await
        }
    });
    let may_reveal = move || session.info().is_some_and(|i| i.account.role == "grid_member");
    // Names are searched only where they are shown in full (the server agrees).
    let hint = move || if may_reveal() { "姓名、楼栋或门牌" } else { "楼栋或门牌" };
    view! {
        <section class="panel">
            <h1>"居民信息"</h1>
            <p class="lead">"证件号码与电话默认脱敏显示。查看完整信息会记入审计日志,请仅在工作需要时使用。"</p>
            <div class="filters">
                <div>
                    <label for="residents-search">"搜索"</label>
                    <input id="residents-search" type="search" data-testid="residents-search" maxlength="50"
                        placeholder=hint prop:value=move || typed.get()
                        on:input=move |ev| on_type(event_target_value(&ev)) />
                </div>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || special_only.get()
                    on:change=move |ev| { special_only.set(event_target_checked(&ev)); page.set(1); } />
                " 只看特殊群体"
            </label>
            {move || residents.get().map(|r| match r {
                    Ok((list, total)) => {
                        let shown = list.len() as u64;
                        let rows = list.into_iter().map(|r| resident_row(r, may_reveal())).collect();
                        view! {
                            <Pager total shown page />
                            <DataTable testid="residents-table"
                                headers=&["姓名", "公民身份号码", "联系电话", "住址", "特殊群体", "所属网格", ""] rows />
                        }.into_any()
                    }
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
        </section>
    }
}

/// “共 N 人,第 a–b 人” with the previous and next pages: no list stops
/// without saying so.
#[component]
fn Pager(total: u64, shown: u64, page: RwSignal<u64>) -> impl IntoView {
    let p = page.get_untracked();
    let first = (p - 1) * PER_PAGE + 1;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let summary = match total {
        0 => "没有符合条件的居民。".to_string(),
        _ if pages == 1 => format!("共 {total} 人。"),
        _ => format!("共 {total} 人,本页第 {first}–{} 人(第 {p}/{pages} 页)。", first + shown.saturating_sub(1)),
    };
    view! {
        // The page's existing row of actions: no style of its own (every
        // bundle's first load carries the one stylesheet).
        <div class="actions" data-testid="residents-pager">
            <p role="status"><strong>{summary}</strong></p>
            {(pages > 1).then(|| view! {
                <button type="button" class="btn" disabled={p <= 1} on:click=move |_| page.update(|p| *p -= 1)>"上一页"</button>
                <button type="button" class="btn" disabled={p >= pages} on:click=move |_| page.update(|p| *p += 1)>"下一页"</button>
            })}
        </div>
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
