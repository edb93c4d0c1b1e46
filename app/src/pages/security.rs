//! 安全策略 (security administrator): lockout and session lifetimes.

use gongzhi_api::{PolicyRequest, PolicyView};
use gongzhi_domain::auth::{SecurityPolicy, POLICY_FIELDS};
use leptos::prelude::*;

use crate::components::form::{FormErrors, TextField};
use crate::components::guard::RequireMenu;
use crate::services::api;

#[component]
pub fn SecurityPage() -> impl IntoView {
    view! {
        <RequireMenu slug="security">
            <SecurityBody />
        </RequireMenu>
    }
}

#[component]
fn SecurityBody() -> impl IntoView {
    let values: [RwSignal<String>; 4] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let errors = RwSignal::new(FormErrors::default());
    let saved = RwSignal::new(false);
    let fill = move |p: SecurityPolicy| {
        for (s, v) in values.iter().zip([p.max_failures, p.lock_minutes, p.idle_minutes, p.absolute_hours]) {
            s.set(v.to_string());
        }
    };
    leptos::task::spawn_local(async move {
        match api::get::<PolicyView>("/api/security/policy").await {
            Ok(p) => fill(p),
            Err(e) => errors.set(FormErrors { local: vec![], server: Some(e) }),
        }
    });
    let save = Action::new_local(move |req: &PolicyRequest| {
        let req = req.clone();
        async move { api::send::<_, PolicyView>("PUT", "/api/security/policy", &req).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(p)) => {
            fill(p);
            saved.set(true);
        }
        Some(Err(e)) => errors.set(FormErrors { local: vec![], server: Some(e) }),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let raw = values.map(|s| s.get());
        match SecurityPolicy::parse([&raw[0], &raw[1], &raw[2], &raw[3]].map(String::as_str)) {
            Ok(_) => {
                errors.set(FormErrors::default());
                save.dispatch(PolicyRequest {
                    max_failures: raw[0].as_str().into(),
                    lock_minutes: raw[1].as_str().into(),
                    idle_minutes: raw[2].as_str().into(),
                    absolute_hours: raw[3].as_str().into(),
                });
            }
            Err(local) => errors.set(FormErrors { local, server: None }),
        }
    };
    view! {
        <section class="panel narrow">
            <h1>"安全策略"</h1>
            <p class="lead">"账号锁定与会话时长。修改立即生效,并记入审计日志。"</p>
            <form class="stack" on:submit=submit novalidate>
                {POLICY_FIELDS.iter().zip(values).map(|((field, min, max), value)| {
                    let name = field.name;
                    let hint = format!("允许范围 {min}–{max}");
                    view! {
                        <TextField id=name label=field.label kind="number" value=value hint=hint
                            error=Signal::derive(move || errors.with(|e| e.for_field(name))) />
                    }
                }).collect_view()}
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&POLICY_FIELDS.map(|(f, _, _)| f.name)))}</p>
                {move || saved.get().then(|| view! { <p class="success" role="status">"安全策略已保存。"</p> })}
                <button class="btn btn-primary" type="submit">"保存"</button>
            </form>
        </section>
    }
}
