//! 外部系统接口 (system administrator): the API keys external tools use to
//! report street events through Open311 GeoReport v2 — issue one per tool
//! (name, scope, rate limit; the key is shown once), list, revoke.

use gongzhi_api::{IssuedOpen311Key, NewOpen311Key, Open311KeyView, OrgNodeView};
use gongzhi_domain::open311::{RATE_DEFAULT, RATE_MAX, RATE_MIN};
use leptos::prelude::*;

use crate::components::form::{FormErrors, TextField};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

#[component]
pub fn Open311KeysPage() -> impl IntoView {
    view! {
        <RequireMenu slug="open311-keys">
            <KeysBody />
        </RequireMenu>
    }
}

#[component]
fn KeysBody() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let keys = LocalResource::new(move || {
        reload.track();
        async move { api::get::<Vec<Open311KeyView>>("/api/open311-keys").await }
    });
    let revoke = Action::new_local(move |id: &i64| {
        let path = format!("/api/open311-keys/{id}/revoke");
        async move { api::send::<_, Open311KeyView>("POST", &path, &()).await }
    });
    Effect::new(move |_| {
        if revoke.value().get().is_some() {
            reload.update(|n| *n += 1);
        }
    });
    let revoke_error = move || revoke.value().get().and_then(Result::err).map(|e| e.message);
    view! {
        <section class="panel">
            <h1>"外部系统接口"</h1>
            <p class="lead">
                "外部系统(如市民热线、随手拍)通过 Open311 GeoReport v2 接口(/open311/v2/)上报事件,须持本页签发的接口密钥。"
                "每个系统一把密钥,只能上报授权范围内网格的事件,超过每分钟请求上限即被拒绝;每次使用都记入审计日志。"
            </p>
            <p class="form-error" role="alert">{revoke_error}</p>
            {move || keys.get().map(|r| match r {
                    Ok(list) => view! { <KeyTable list revoke /> }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
        </section>
        <IssueForm on_issued=move || reload.update(|n| *n += 1) />
    }
}

#[component]
fn KeyTable(
    list: Vec<Open311KeyView>,
    revoke: Action<i64, Result<Open311KeyView, gongzhi_api::ApiError>>,
) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|k| {
            let id = k.id;
            let name = k.name.clone();
            let (status, action) = match &k.revoked_at {
                Some(at) => {
                    (Cell::Badge("off", format!("已吊销({at})")), view! { <span class="hint">"—"</span> }.into_any())
                }
                None => (
                    Cell::Badge("ok", "有效".into()),
                    view! {
                        <button class="btn btn-small" aria-label=format!("吊销“{name}”的密钥")
                            on:click=move |_| { revoke.dispatch(id); }>
                            "吊销"
                        </button>
                    }
                    .into_any(),
                ),
            };
            vec![
                k.name.into(),
                k.org_node_name.into(),
                format!("{} 次/分钟", k.rate_per_minute).into(),
                format!("{}({})", k.issued_at, k.issued_by).into(),
                k.last_used_at.unwrap_or_else(|| "从未使用".into()).into(),
                status,
                Cell::View(action),
            ]
        })
        .collect();
    view! {
        <DataTable testid="open311-keys-table" headers=&["外部系统", "授权范围", "请求上限", "签发", "最近使用", "状态", "操作"] rows />
    }
}

const FORM_FIELDS: [&str; 3] = ["name", "org_node_id", "rate_per_minute"];

#[component]
fn IssueForm(on_issued: impl Fn() + Clone + 'static) -> impl IntoView {
    let nodes =
        LocalResource::new(|| async { api::get::<Vec<OrgNodeView>>("/api/org/tree").await.unwrap_or_default() });
    let name = RwSignal::new(String::new());
    let node = RwSignal::new(String::new());
    let rate = RwSignal::new(RATE_DEFAULT.to_string());
    let server_error = RwSignal::new(None::<gongzhi_api::ApiError>);
    let issued = RwSignal::new(None::<IssuedOpen311Key>);
    // The server checks the form (the domain's rules and messages); its
    // answer names every wrong field. (No local copy of the checks: this
    // page is rare and small, and the shared parsers would grow the chunks
    // other pages load.)
    let errors = Memo::new(move |_| FormErrors { local: vec![], server: server_error.get() });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let issue = Action::new_local(move |req: &NewOpen311Key| {
        let req = req.clone();
        async move { api::send::<_, IssuedOpen311Key>("POST", "/api/open311-keys", &req).await }
    });
    Effect::new(move |_| match issue.value().get() {
        Some(Ok(k)) => {
            issued.set(Some(k));
            name.set(String::new());
            server_error.set(None);
            on_issued();
        }
        Some(Err(e)) => server_error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        server_error.set(None);
        issued.set(None);
        issue.dispatch(NewOpen311Key {
            name: name.get(),
            org_node_id: node.get().as_str().into(),
            rate_per_minute: rate.get().as_str().into(),
        });
    };
    view! {
        <section class="panel" aria-labelledby="issue-key">
            <h2 id="issue-key">"签发接口密钥"</h2>
            {move || issued.get().map(|k| view! {
                <div class="notice" role="status" data-testid="issued-token">
                    <p>{format!("已为“{}”签发密钥。密钥只显示这一次,请立即交给对方系统的管理员妥善保存:", k.key.name)}</p>
                    <p><code>{k.token}</code></p>
                </div>
            })}
            <form class="form-grid" on:submit=submit novalidate>
                <TextField id="name" label="外部系统名称" value=name error=err("name") hint="如:12345 市民热线" />
                <div class="field">
                    <label for="org_node_id">"授权范围"</label>
                    <select id="org_node_id" aria-describedby="org_node_id-hint"
                        on:change=move |ev| node.set(event_target_value(&ev)) prop:value=move || node.get()>
                        <option value="">"请选择"</option>
                        {move || nodes.get().unwrap_or_default().into_iter().filter(|n| n.level != "grid").map(|n| {
                            let indent = "  ".repeat(n.path.matches('/').count().saturating_sub(2));
                            view! { <option value=n.id.to_string()>{format!("{indent}{}({})", n.name, n.level_label)}</option> }
                        }).collect_view()}
                    </select>
                    <p class="hint" id="org_node_id-hint">"只能上报该单位辖区内网格的事件"</p>
                    <p class="field-error" role="alert">{move || err("org_node_id").get()}</p>
                </div>
                <TextField id="rate_per_minute" label="每分钟请求上限" kind="number" value=rate error=err("rate_per_minute")
                    hint=format!("{RATE_MIN}–{RATE_MAX} 次") />
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(&FORM_FIELDS))}</p>
                    <button class="btn btn-primary" type="submit">"签发密钥"</button>
                </div>
            </form>
        </section>
    }
}
