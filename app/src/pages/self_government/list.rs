//! `/self-government`: 居民议事, the matters the account can see, one card
//! each — its status, co-signers while it collects, the planned meeting's
//! day and its follow-up items (with how many are late). The leader also
//! sets how many residents must co-sign a residents' matter.

use gongzhi_api::consultation::{ConsultationSettings, MatterSummary, SettingsInput};
use gongzhi_api::ApiError;
use gongzhi_domain::consultation::parse_cosigners;
use leptos::prelude::*;
use leptos_router::components::A;

use super::{status_badge, SLUG};
use crate::components::form::{Checks, Input};
use crate::components::guard::RequireMenu;
use crate::components::loading::loading;
use crate::services::api;
use crate::services::session::role;

/// Cards one under another on a phone, side by side on a desk.
const CARDS: &str = "list-style:none;margin:0;padding:0";
/// A line inside a card.
const LINE: &str = "margin:.3rem 0";

#[component]
pub fn ListPage() -> impl IntoView {
    let matters: RwSignal<Option<Result<Vec<MatterSummary>, ApiError>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move { matters.set(Some(api::get("/api/consultation/matters").await)) });
    view! {
        <RequireMenu slug=SLUG>
            <section class="panel">
                <div class="panel-head">
                    <h1>"居民议事"</h1>
                    <A href="/self-government/new" attr:class="btn btn-primary" attr:data-testid="new-matter">"发起议题"</A>
                </div>
                <p class="lead">
                    "居民关心的公共事务,可以发起议题,邻居联名支持后,社区组织协商议事会、恳谈会或听证会共同商量,结果和落实情况在这里公开。"
                </p>
                <p class="quick-links" style="margin:0 0 1rem">
                    <A href="/self-government/polls" attr:class="btn" attr:data-testid="to-polls">"民意调查"</A>
                    <A href="/self-government/reviews" attr:class="btn" attr:data-testid="to-reviews">"民主评议"</A>
                    <A href="/self-government/disclosure" attr:class="btn" attr:data-testid="to-disclosure">"居务公开"</A>
                    <A href="/self-government/property" attr:class="btn" attr:data-testid="to-property">"物业联建"</A>
                </p>
                {move || matters.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty" data-testid="no-matters">"还没有议题。有想和邻居一起商量的事,可以点“发起议题”。"</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="grid-cards" style=CARDS>
                            {list.into_iter().map(|m| view! { <MatterCard m /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }).unwrap_or_else(loading)}
            </section>
            // Only the leader may read the settings (others get 403); read
            // once the session is known.
            {move || (role() == "community_leader").then(|| view! { <Settings /> })}
        </RequireMenu>
    }
}

#[component]
fn MatterCard(m: MatterSummary) -> impl IntoView {
    let page = format!("/self-government/matters/{}", m.id);
    let staff = role() != "resident";
    let cosigning = (m.status == "collecting").then(|| {
        view! { <p style=LINE data-testid="matter-cosigners">{format!("联名 {} 人 / 需 {} 人", m.cosigners, m.cosigners_needed)}</p> }
    });
    let meeting = m.meeting_on.map(|on| view! { <p style=LINE>{format!("协商会议:{on}")}</p> });
    let follow_ups = (m.follow_ups > 0).then(|| {
        view! {
            <p style=LINE>
                {format!("落实事项 {} 项", m.follow_ups)}
                {(m.late > 0).then(|| view! {
                    <strong class="form-error" data-testid="matter-late">{format!(" ⚠ 其中 {} 项逾期", m.late)}</strong>
                })}
            </p>
        }
    });
    view! {
        <li class="grid-card" data-testid="matter-card">
            <h2><A href=page.clone()>{m.title.clone()}</A></h2>
            <p style=LINE>
                <span class=status_badge(&m.status) data-testid="matter-status">{m.status_label.clone()}</span>
                {staff.then(|| format!(" {}", m.kind_label))}
            </p>
            <p class="hint" style=LINE>{format!("{} · {} · {}", m.community_name, m.origin_label, m.raised_on)}</p>
            {cosigning}
            {meeting}
            {follow_ups}
            {(m.cosigned == Some(true)).then(|| view! {
                <p class="alert alert-ok" style="margin:.5rem 0 0;padding:.6rem 1rem" data-testid="cosigned">"您已联名"</p>
            })}
            <p style="margin:.5rem 0 0"><A href=page>"查看详情"</A></p>
        </li>
    }
}

/// The leader's setting: how many residents (the raiser included) must
/// co-sign before a residents' matter is taken up.
#[component]
fn Settings() -> impl IntoView {
    let now = RwSignal::new(None::<ConsultationSettings>);
    let value = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        if let Ok(s) = api::get::<ConsultationSettings>("/api/consultation/settings").await {
            value.set(s.cosigners_needed.to_string());
            now.set(Some(s));
        }
    });
    let input = move || SettingsInput { cosigners_needed: value.get() };
    let Checks { tried, server, errors } =
        Checks::new(move || parse_cosigners(&value.get()).err().into_iter().collect());
    let send = Action::new_local(move |body: &SettingsInput| {
        let body = body.clone();
        async move { api::send::<_, ConsultationSettings>("PUT", "/api/consultation/settings", &body).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(s)) => {
            saved.set(Some(format!("已保存:{}今后发起的居民议题需 {} 人联名。", s.community_name, s.cosigners_needed)));
            value.set(s.cosigners_needed.to_string());
            now.set(Some(s));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    move || {
        now.get().map(|s| {
            view! {
                <section class="panel" data-testid="consultation-settings">
                    <h2>"议事规则"</h2>
                    <p class="hint">{format!("{}:居民发起的议题,连同发起人在内达到这个人数联名后,进入协商。", s.community_name)}</p>
                    {move || saved.get().map(|t| view! { <p class="alert alert-ok" role="status">{t}</p> })}
                    <form class="form-grid" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        tried.set(true);
                        server.set(None);
                        saved.set(None);
                        if parse_cosigners(&value.get_untracked()).is_ok() && !send.pending().get_untracked() {
                            send.dispatch(input());
                        }
                    }>
                        <Input id="cosigners_needed".to_string() label="居民联名人数" value
                            error=Signal::derive(move || errors.with(|e| e.for_field("cosigners_needed")))
                            hint="1 至 200 人,已发起的议题不受影响" />
                        <div class="form-actions">
                            <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["cosigners_needed"]))}</p>
                            <button type="submit" class="btn btn-primary" disabled=move || send.pending().get()>"保存"</button>
                        </div>
                    </form>
                </section>
            }
        })
    }
}
