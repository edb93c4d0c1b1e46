//! 登录: sign in. Messages are the server's (wrong name or password read the
//! same; a lock names the Beijing time it lifts).

use gongzhi_api::{LoginRequest, SessionInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::services::api;
use crate::services::session::use_session;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    // Where to go after signing in: a page of this site (`?next=/seal`), so
    // that a tablet that was sent to sign in comes back to its street page.
    let query = leptos_router::hooks::use_query_map();
    let back_to = query
        .read_untracked()
        .get("next")
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.starts_with("/login"))
        .unwrap_or_else(|| "/".to_string());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = Action::new_local(move |req: &LoginRequest| {
        let req = req.clone();
        async move {
            // The previous person's sign-out reaches the server first.
            crate::services::signout::finish().await;
            api::send::<_, SessionInfo>("POST", "/api/auth/login", &req).await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(info)) = login.value().get() {
            let next = if info.account.must_change_password { "/password".to_string() } else { back_to.clone() };
            session.set(Some(info));
            navigate(&next, Default::default());
        }
    });
    let error = move || login.value().get().and_then(Result::err);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        login.dispatch(LoginRequest {
            username: username.get().as_str().into(),
            password: password.get().as_str().into(),
        });
    };
    view! {
        <section class="panel login-panel">
            <h1>"登录"</h1>
            <p class="lead">"请使用本人账号登录,不得共用账号。"</p>
            <form class="stack" on:submit=submit>
                <div class="field">
                    <label for="username">"登录名"</label>
                    <input id="username" name="username" autocomplete="username" autocapitalize="off"
                        prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="password">"登录密码"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <p class="form-error" role="alert" data-testid="login-error">
                    {move || error().map(|e| e.message)}
                </p>
                <button class="btn btn-primary btn-block" type="submit" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "正在登录…" } else { "登录" }}
                </button>
            </form>
        </section>
    }
}
