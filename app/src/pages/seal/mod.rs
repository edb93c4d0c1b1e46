//! 社区印章: certificate requests, their decision, and the register of use.
//!
//! - [`form`]: a new request, decided as it is typed.
//! - [`request`]: one request, its actions, the printable certificate or
//!   refusal letter.
//! - [`register`]: the community's 用印登记簿.

mod form;
mod register;
mod request;

use gongzhi_api::SealRequestView;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::components::table::{Cell, DataTable};
use crate::services::api;

pub use register::SealRegisterPage;
pub use request::SealRequestPage;

/// `YYYY-MM-DD` in Beijing time for a stored UTC instant.
fn beijing_date(rfc3339: &str) -> String {
    gongzhi_domain::time::parse_utc(rfc3339)
        .map(|t| gongzhi_domain::time::shanghai_date(t).to_string())
        .unwrap_or_default()
}

/// The badge modifier for a request status.
fn status_badge(status: &str) -> &'static str {
    match status {
        "stamped" => "ok",
        "refused" => "off",
        _ => "warn",
    }
}

#[component]
pub fn SealPage() -> impl IntoView {
    let requests = LocalResource::new(|| async { api::get::<Vec<SealRequestView>>("/api/seal/requests").await });
    view! {
        <RequireMenu slug="seal">
            <div class="panel-head">
                <h1>"社区印章"</h1>
                <div class="actions"><A href="/seal/register" attr:class="btn">"用印登记簿"</A></div>
            </div>
            <p class="lead">"依法自治、明晰责任、规范用印。证明事项须有法律法规的具体条款依据;涉及经济担保或连带责任、属于申请单位自身职责或列入国家不应出具清单的,一律不予出具。"</p>
            <form::NewRequestForm />
            <section class="panel" aria-labelledby="requests-title">
                <h2 id="requests-title">"本社区证明申请"</h2>
                {move || requests.get().map(|r| match r {
                        Ok(list) => {
                            let rows = list.into_iter().map(|q| vec![
                                Cell::Mono(beijing_date(&q.created_at)),
                                q.requester_name.into(),
                                q.resident_name.into(),
                                q.matter_name.into(),
                                Cell::Badge(status_badge(&q.status), q.status_label),
                                Cell::Mono(q.register_no.unwrap_or_default()),
                                Cell::View(view! { <A href=format!("/seal/requests/{}", q.id)>"查看"</A> }.into_any()),
                            ]).collect();
                            view! {
                                <DataTable testid="seal-requests" rows
                                    headers=&["登记日期", "申请单位", "居民", "证明事项", "状态", "登记编号", ""] />
                            }.into_any()
                        }
                        Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                    }).unwrap_or_else(loading)}
            </section>
        </RequireMenu>
    }
}
