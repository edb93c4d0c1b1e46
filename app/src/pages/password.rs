//! 修改密码: change one's own password (required after an administrator set it),
//! and bind an authenticator app (required for administrators).

use gongzhi_api::{ChangePasswordRequest, SessionInfo};
use gongzhi_domain::auth::{Password, Username, FIELD_NEW_PASSWORD};
use gongzhi_domain::{Field, FieldErrorKind, Role};
use leptos::prelude::*;

use crate::components::form::{FormErrors, TextField};
use crate::services::api;
use crate::services::session::use_session;

/// The office page: the password, and the authenticator app (administrators
/// enrol here).
#[component]
pub fn PasswordPage() -> impl IntoView {
    view! {
        <PasswordForm />
        <crate::pages::totp::TotpPanel />
    }
}

/// The tablet bundle's page: the password only. Binding an authenticator is
/// done once on the office page, so the street bundle does not carry it.
#[component]
pub fn FieldPasswordPage() -> impl IntoView {
    view! {
        <PasswordForm />
        <p class="hint">"如需绑定身份验证器(动态验证码),请在电脑上登录后打开“修改密码”页面。"</p>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(false);
    // Where the person was going when a required change stopped them (login.rs).
    let next = super::login::next_page("/password");
    let save = Action::new_local(move |req: &ChangePasswordRequest| {
        let req = req.clone();
        async move { api::send::<_, SessionInfo>("POST", "/api/auth/password", &req).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(info)) => {
            session.set(Some(info));
            done.set(true);
            errors.set(FormErrors::default());
        }
        Some(Err(e)) => errors.update(|f| f.server = Some(e)),
        None => {}
    });
    let role = move || session.info().and_then(|i| Role::from_code(&i.account.role));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let username = session.info().and_then(|i| Username::parse(&i.account.username).ok());
        let mut local = vec![];
        if let Err(e) = Password::parse(FIELD_NEW_PASSWORD, &new.get(), username.as_ref(), role()) {
            local.push(e);
        }
        if new.get() != confirm.get() {
            local.push(
                Field::new("confirm", "确认新密码")
                    .error(FieldErrorKind::InvalidFormat { expected: "两次输入的新密码不一致" }),
            );
        }
        errors.set(FormErrors { local: local.clone(), server: None });
        if local.is_empty() {
            save.dispatch(ChangePasswordRequest {
                current_password: current.get().as_str().into(),
                new_password: new.get().as_str().into(),
            });
        }
    };
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let hint = move || {
        format!(
            "至少 {} 位,含大写字母、小写字母、数字、符号中的至少 3 类,不含登录名,不用常见密码",
            Password::min_len(role())
        )
    };
    view! {
        <section class="panel narrow">
            <h1>"修改密码"</h1>
            {move || session.info().filter(|i| i.account.must_change_password).map(|_| view! {
                <p class="notice" role="status">"首次登录或密码被重置后,须先修改密码才能使用其他功能。"</p>
            })}
            <form class="stack" on:submit=submit novalidate>
                <TextField id="current_password" label="当前密码" kind="password" value=current error=err("current_password") />
                // Re-made when the session arrives: administrators need 12 characters.
                {move || view! {
                    <TextField id="new_password" label="新密码" kind="password" value=new error=err("new_password")
                        hint=hint() />
                }}
                <TextField id="confirm" label="确认新密码" kind="password" value=confirm error=err("confirm") />
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["current_password", "new_password"]))}</p>
                {move || done.get().then(|| view! { <p class="success" role="status">"密码已修改。"</p> })}
                {move || done.get().then(|| next.clone()).flatten().map(|href| view! {
                    <leptos_router::components::A href=href attr:class="btn btn-primary btn-block" attr:data-testid="password-next">"继续"</leptos_router::components::A>
                })}
                <button class="btn btn-primary" type="submit">"保存新密码"</button>
            </form>
        </section>
    }
}
