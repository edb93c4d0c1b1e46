//! 登录: sign in. Messages are the server's (wrong name or password read the
//! same; a lock names the Beijing time it lifts). An account with a second
//! factor then types the code from its authenticator app (or a recovery code);
//! an administrator who must enrol goes to 绑定身份验证器 (on `/password`).

use gongzhi_api::{LoginRequest, SessionInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::services::api;
use crate::services::session::use_session;

/// The page of this site named by `?next=` (never another site, nor `except`,
/// the page asking): where to go once this page is done.
pub fn next_page(except: &str) -> Option<String> {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("next")
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.starts_with(except))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    // Where to go after signing in: a page of this site (`?next=/seal`), so
    // that a tablet that was sent to sign in comes back to its street page;
    // else where the role starts (a resident: the rounds, their own bundle).
    let back_to = next_page("/login");
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // The password step passed; the code step is next.
    let pending = RwSignal::new(false);
    // One action for both steps (the path says which): one request shape.
    let login = Action::new_local(move |(path, req): &(&'static str, LoginRequest)| {
        let (path, req) = (*path, req.clone());
        async move {
            // The previous person's sign-out reaches the server first.
            crate::services::signout::finish().await;
            api::send::<_, SessionInfo>("POST", path, &req).await
        }
    });
    let done = move |info: SessionInfo| {
        if info.second_factor.as_deref() == Some(gongzhi_api::SECOND_FACTOR_REQUIRED) {
            api::set_csrf(&info.csrf_token);
            password.set(String::new());
            pending.set(true);
            return;
        }
        // Changing the initial password and binding an authenticator (administrators) are both on /password.
        let target = back_to.clone().unwrap_or_else(|| gongzhi_api::pages::landing(&info.account.role));
        // The password page offers the way on afterwards (a resident who came
        // from a round's link gets back to it).
        let next = if !(info.account.must_change_password || info.second_factor.is_some()) {
            target
        } else if target == "/" {
            "/password".to_string()
        } else {
            format!("/password?next={}", String::from(js_sys::encode_uri_component(&target)))
        };
        session.set(Some(info));
        navigate(&next, Default::default());
    };
    Effect::new(move |_| {
        if let Some(Ok(info)) = login.value().get() {
            done(info);
        }
    });
    let error = move || login.value().get().and_then(Result::err).map(|e| e.message);
    let busy = move || login.pending().get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let secret = password.get().as_str().into();
        login.dispatch(if pending.get_untracked() {
            ("/api/auth/totp/verify", LoginRequest { code: secret, ..Default::default() })
        } else {
            (
                "/api/auth/login",
                LoginRequest { username: username.get().as_str().into(), password: secret, code: Default::default() },
            )
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
                    // The code step reuses this field (the bundle is at its budget).
                    <label for="password">{move || if pending.get() { "动态验证码(6 位数字或恢复码)" } else { "登录密码" }}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <p class="form-error" role="alert" data-testid="login-error">{error}</p>
                <button class="btn btn-primary btn-block" type="submit" disabled=busy>
                    {move || if busy() { "正在登录…" } else { "登录" }}
                </button>
            </form>
        </section>
    }
}
