//! 账号管理 (system administrator): accounts in scope, create, disable/enable.

use gongzhi_api::{AccountView, DepartmentView, NewAccountRequest, OrgNodeView};
use gongzhi_domain::account::{check_binding, check_manageable, NewAccount};
use gongzhi_domain::{OrgLevel, Role};
use leptos::prelude::*;

use crate::components::confirm::ConfirmButton;
use crate::components::form::{FormErrors, TextField};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;
use crate::services::session::use_session;

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <RequireMenu slug="accounts">
            <AccountsBody />
        </RequireMenu>
    }
}

#[component]
fn AccountsBody() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let accounts = LocalResource::new(move || {
        reload.track();
        async move { api::get::<Vec<AccountView>>("/api/accounts").await }
    });
    let toggle = Action::new_local(move |(id, disable): &(i64, bool)| {
        let path = format!("/api/accounts/{id}/{}", if *disable { "disable" } else { "enable" });
        async move { api::send::<_, AccountView>("POST", &path, &()).await }
    });
    Effect::new(move |_| {
        if toggle.value().get().is_some() {
            reload.update(|n| *n += 1);
        }
    });
    let toggle_error = move || toggle.value().get().and_then(Result::err).map(|e| e.message);

    view! {
        <section class="panel">
            <h1>"账号管理"</h1>
            <p class="lead">"一人一号,不得共用。新账号首次登录须修改初始密码;停用账号会立即结束其所有登录。"</p>
            <p class="form-error" role="alert">{toggle_error}</p>
            {move || accounts.get().map(|r| match r {
                    Ok(list) => view! { <AccountTable list toggle /> }.into_any(),
                    Err(e) => view! { <p class="form-error">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
        </section>
        <NewAccountForm on_created=move || reload.update(|n| *n += 1) />
    }
}

#[component]
fn AccountTable(
    list: Vec<AccountView>,
    toggle: Action<(i64, bool), Result<AccountView, gongzhi_api::ApiError>>,
) -> impl IntoView {
    // One's own account is never offered for disabling (the server refuses it too).
    let me = use_session().info().map(|s| s.account.id);
    let rows = list
        .into_iter()
        .map(|a| {
            let status = if a.disabled {
                Cell::Badge("off", "已停用".into())
            } else if let Some(until) = &a.locked_until {
                Cell::Badge("warn", format!("已锁定至 {}", local_time(until)))
            } else if a.must_change_password {
                Cell::Badge("warn", "待修改初始密码".into())
            } else {
                Cell::Badge("ok", "正常".into())
            };
            let (id, disabled) = (a.id, a.disabled);
            let protected = Role::from_code(&a.role).is_some_and(|r| check_manageable(r).is_err());
            let button = if me == Some(id) {
                view! { <span class="hint">"本人账号"</span> }.into_any()
            } else if protected {
                // 三员分立: those accounts are managed on the server console only.
                view! { <span class="hint" title="三员账号只在服务器上用 install-admin 命令创建和重置">"三员账号"</span> }
                    .into_any()
            } else if disabled {
                view! { <button class="btn btn-small" on:click=move |_| { toggle.dispatch((id, false)); }>"启用"</button> }
                    .into_any()
            } else {
                let question = format!("停用“{}”({})的账号后,其所有登录立即结束,直到重新启用。", a.display_name, a.username);
                view! {
                    <ConfirmButton label="停用" question confirm="确认停用" on_confirm=Callback::new(move |_| { toggle.dispatch((id, true)); }) />
                }
                .into_any()
            };
            vec![
                a.username.into(),
                a.display_name.into(),
                a.role_label.into(),
                a.org_node_name.into(),
                a.department_name.unwrap_or_default().into(),
                status,
                Cell::View(button),
            ]
        })
        .collect();
    view! {
        <DataTable testid="accounts-table" headers=&["登录名", "姓名", "角色", "所属单位", "职能部门", "状态", "操作"] rows />
    }
}

/// `2026-11-24T09:15:00+00:00` → `17:15` (Beijing time).
fn local_time(rfc3339: &str) -> String {
    gongzhi_domain::time::parse_utc(rfc3339)
        .map(gongzhi_domain::time::shanghai_hh_mm)
        .unwrap_or_else(|| rfc3339.to_string())
}

const FORM_FIELDS: [&str; 6] = ["username", "display_name", "role", "org_node_id", "department_id", "password"];

#[component]
fn NewAccountForm(on_created: impl Fn() + Clone + 'static) -> impl IntoView {
    let nodes =
        LocalResource::new(|| async { api::get::<Vec<OrgNodeView>>("/api/org/tree").await.unwrap_or_default() });
    let departments =
        LocalResource::new(|| async { api::get::<Vec<DepartmentView>>("/api/departments").await.unwrap_or_default() });
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let node = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let server_error = RwSignal::new(None::<gongzhi_api::ApiError>);
    let created = RwSignal::new(None::<String>);

    // The same parsing the server does, on every keystroke once the person
    // has tried to submit.
    let local = Memo::new(move |_| {
        let parsed = NewAccount::parse(
            &username.get(),
            &display_name.get(),
            &role.get(),
            &node.get(),
            &department.get(),
            &password.get(),
        );
        let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
        if let (Ok(a), Some(nodes)) = (&parsed, nodes.get()) {
            let level = nodes.iter().find(|n| n.id == a.org_node_id).and_then(|n| OrgLevel::from_code(&n.level));
            if let Some(Err(e)) = level.map(|l| check_binding(a.role, l)) {
                errors.push(e);
            }
        }
        errors
    });
    let errors = Memo::new(move |_| FormErrors {
        local: if tried.get() { local.get() } else { vec![] },
        server: server_error.get(),
    });
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));

    let create = Action::new_local(move |req: &NewAccountRequest| {
        let req = req.clone();
        async move { api::send::<_, AccountView>("POST", "/api/accounts", &req).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(a)) => {
            created.set(Some(format!("已创建账号 {}({}),首次登录须修改初始密码。", a.username, a.display_name)));
            for s in [username, display_name, password] {
                s.set(String::new());
            }
            tried.set(false);
            server_error.set(None);
            on_created();
        }
        Some(Err(e)) => server_error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        server_error.set(None);
        created.set(None);
        if local.get().is_empty() {
            create.dispatch(NewAccountRequest {
                username: username.get().as_str().into(),
                display_name: display_name.get().as_str().into(),
                role: role.get().as_str().into(),
                org_node_id: node.get().as_str().into(),
                department_id: department.get().as_str().into(),
                password: password.get().as_str().into(),
            });
        }
    };

    view! {
        <section class="panel" aria-labelledby="new-account">
            <h2 id="new-account">"新建账号"</h2>
            <form class="form-grid" on:submit=submit novalidate>
                <TextField id="username" label="登录名" value=username error=err("username") hint="英文字母开头,3–32 位" />
                <TextField id="display_name" label="姓名" value=display_name error=err("display_name") />
                <div class="field">
                    <label for="role">"角色"</label>
                    <select id="role" on:change=move |ev| role.set(event_target_value(&ev)) prop:value=move || role.get()>
                        <option value="">"请选择"</option>
                        {Role::ALL.iter().filter(|r| check_manageable(**r).is_ok()).map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || err("role").get()}</p>
                </div>
                <div class="field">
                    <label for="org_node_id">"所属单位"</label>
                    <select id="org_node_id" on:change=move |ev| node.set(event_target_value(&ev)) prop:value=move || node.get()>
                        <option value="">"请选择"</option>
                        {move || nodes.get().unwrap_or_default().into_iter().map(|n| {
                            let indent = "  ".repeat(n.path.matches('/').count().saturating_sub(2));
                            view! { <option value=n.id.to_string()>{format!("{indent}{}({})", n.name, n.level_label)}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || err("org_node_id").get()}</p>
                </div>
                <div class="field">
                    <label for="department_id">"职能部门"</label>
                    <select id="department_id" on:change=move |ev| department.set(event_target_value(&ev)) prop:value=move || department.get()>
                        <option value="">"(无)"</option>
                        {move || departments.get().unwrap_or_default().into_iter().map(|d| view! {
                            <option value=d.id.to_string()>{d.name}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint">"职能部门经办人必填"</p>
                    <p class="field-error" role="alert">{move || err("department_id").get()}</p>
                </div>
                <TextField id="password" label="初始密码" kind="password" value=password error=err("password")
                    hint="至少 8 位,含大写、小写、数字、符号中的 3 类" />
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(&FORM_FIELDS))}</p>
                    <p class="success" role="status">{move || created.get()}</p>
                    <button class="btn btn-primary" type="submit">"创建账号"</button>
                </div>
            </form>
        </section>
    }
}
