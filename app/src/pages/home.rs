//! Home: what the system covers, one card per capability.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::services::calendar::ScheduleReminder;
use crate::services::capabilities::{capability_path, section, CAPABILITIES};
use crate::services::session::use_session;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let mine = move || {
        session.info().map(|info| {
            view! {
                <section class="my-work" aria-labelledby="my-work-title" data-testid="my-work">
                    {info.menus.iter().any(|m| m == "holidays").then(|| view! { <ScheduleReminder /> })}
                    <h2 id="my-work-title" class="section-title">
                        {format!("{},您好。您的工作:", info.account.display_name)}
                    </h2>
                    <div class="quick-links">
                        {info.menus.iter().filter_map(|m| section(m)).map(|(title, href)| view! {
                            <A href=href attr:class="btn btn-primary">{title}</A>
                        }).collect_view()}
                    </div>
                </section>
            }
        })
    };
    view! {
        {mine}
        <section class="hero">
            <h1>"城市社区治理平台"</h1>
            <p>"社区事项准入、经费保障、设施布点、全要素网格、印章管理与居民自治,一个平台办理。"</p>
        </section>
        <section aria-labelledby="caps-title">
            <h2 id="caps-title" class="section-title">"业务板块"</h2>
            <ul class="card-grid">
                {CAPABILITIES
                    .iter()
                    .map(|c| {
                        view! {
                            <li class="card">
                                <A href=capability_path(c.slug)>
                                    <h3>{c.title}</h3>
                                    <p>{c.summary}</p>
                                    <span class="card-basis">{c.basis}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
                <li class="card card-ready">
                    <A href="/calendar">
                        <h3>"工作日计算"</h3>
                        <p>"按国务院节假日安排(含调休上班日)计算办理期限,如准入审批的 15 个工作日。"</p>
                        <span class="card-basis">"已上线"</span>
                    </A>
                </li>
            </ul>
        </section>
    }
}
