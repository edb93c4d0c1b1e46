//! 绑定身份验证器: enrol a second factor (administrators must), a panel of
//! the account's own page (修改密码, `/password`: no route of its own, which
//! would cost the office bundle several KB). The QR code is an SVG made by
//! the server; the recovery codes are shown once.
//!
//! Written with as few reactive closures as possible (one HTML closure, one
//! submit handler): the office bundle is at its budget, and each closure
//! costs code. The HTML holds only the server's SVG and the base32 secret and
//! recovery codes (letters and digits); messages go through a text node.

use gongzhi_api::{LoginRequest, SessionInfo};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::hooks::use_navigate;
use serde::Deserialize;

use crate::services::api;
use crate::services::session::use_session;

/// The enrolment's answer (`TotpEnrolment`) or the confirmation's
/// (`TotpConfirmed`), read into one shape.
#[derive(Clone, Default, Deserialize)]
struct Step {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    qr_svg: String,
    #[serde(default)]
    recovery_codes: Vec<String>,
}

fn html(s: &Step) -> String {
    if !s.recovery_codes.is_empty() {
        format!(
            "<p class=\"success\" role=\"status\">绑定成功。以下恢复码只显示这一次,请抄写后妥善保存;手机丢失时,每个恢复码可代替动态验证码登录一次。</p>\
             <pre class=\"recovery-codes\" data-testid=\"recovery-codes\">{}</pre>\
             <button class=\"btn btn-primary\" type=\"submit\">已保存恢复码,继续</button>",
            s.recovery_codes.join("\n")
        )
    } else if !s.secret.is_empty() {
        format!(
            "<p>用身份验证器扫描二维码,或手动输入密钥:</p><div class=\"qr\">{}</div>\
             <p><code data-testid=\"totp-secret\">{}</code></p>\
             <div class=\"field\"><label for=\"totp_code\">动态验证码</label>\
             <input id=\"totp_code\" autocomplete=\"one-time-code\" inputmode=\"numeric\"></div>\
             <button class=\"btn btn-primary\" type=\"submit\">确认绑定</button>",
            s.qr_svg, s.secret
        )
    } else {
        "<button class=\"btn btn-primary\" type=\"submit\">开始绑定</button>".into()
    }
}

#[component]
pub fn TotpPanel() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    // The panel's HTML and its message: signal types the app has already.
    let view_html = RwSignal::new(html(&Step::default()));
    let error = RwSignal::new(None::<String>);
    let step = StoredValue::new(Step::default());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (secret, done) = step.with_value(|s| (!s.secret.is_empty(), !s.recovery_codes.is_empty()));
        let navigate = navigate.clone();
        let code = document()
            .get_element_by_id("totp_code")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default();
        leptos::task::spawn_local(async move {
            if done {
                if let Ok(info) = api::get::<SessionInfo>("/api/auth/me").await {
                    session.set(Some(info));
                    navigate("/", Default::default());
                }
                return;
            }
            let path = if secret { "/api/auth/totp/confirm" } else { "/api/auth/totp/enrol" };
            let req = LoginRequest { code: code.as_str().into(), ..Default::default() };
            match api::send::<_, Step>("POST", path, &req).await {
                Ok(s) => {
                    step.update_value(|old| match s.recovery_codes.is_empty() {
                        true => *old = s,
                        false => old.recovery_codes = s.recovery_codes,
                    });
                    view_html.set(step.with_value(html));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <section class="panel narrow" id="totp">
            <h2>"绑定身份验证器"</h2>
            <p class="lead">"双因素认证:登录时除密码外,还须输入手机身份验证器上的动态验证码。管理员账号必须绑定。"</p>
            <form class="stack" on:submit=submit inner_html=view_html></form>
            <p class="form-error" role="alert">{error}</p>
        </section>
    }
}
