//! A representative's ballot on a phone: 总体评价 and each dimension as a
//! group of three large choices (满意 / 基本满意 / 不满意); checked by the
//! domain's `ReviewBallotInput::parse` — the server's own check — before a
//! confirmation step lists the choices; only then is it sent, once.

use gongzhi_api::review::ReviewView;
use gongzhi_domain::review::ReviewBallotInput;
use leptos::html;
use leptos::prelude::*;

use super::{groups, sender, word, Marks, Shown};
use crate::components::form::Checks;
use crate::services::api;

#[component]
pub fn Ballot(v: ReviewView, s: Shown) -> impl IntoView {
    let n = v.dimensions.len();
    let marks = Marks::new(n);
    let confirming = RwSignal::new(false);
    let Checks { tried, server, errors } = Checks::new(move || marks.input().parse(n).err().unwrap_or_default());
    let id = v.id;
    let send = sender::<ReviewBallotInput>(id, "ballots");
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => s.done(v, "您的评议已提交,谢谢参与!".into()),
        // Rated already (on paper, say): the page as it now stands, and why.
        Some(Err(e)) if e.code == "review_already_rated" => leptos::task::spawn_local(async move {
            if let Ok(v) = api::get::<ReviewView>(&format!("/api/reviews/{id}")).await {
                s.done(v, e.message);
            }
        }),
        Some(Err(e)) => {
            confirming.set(false);
            server.set(Some(e));
        }
        None => {}
    });
    let dimensions = StoredValue::new(v.dimensions.clone());
    let one = super::one(&v);
    let choose = move || {
        view! {
            <p class="lead" style="margin-bottom:.75rem">"请听取述职报告后,对每一项选择“满意”“基本满意”或“不满意”。"</p>
            {groups("review", &dimensions.get_value(), marks, errors, false)}
            <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["overall", "ratings"]))}</p>
            <button type="button" class="btn btn-primary btn-large btn-block" data-testid="review-ballot-submit"
                on:click=move |_| {
                    tried.set(true);
                    server.set(None);
                    if marks.input().parse(n).is_ok() {
                        confirming.set(true);
                    }
                }>"提交评议"</button>
        }
    };
    view! {
        <section class="panel" data-testid="review-ballot">
            <h2>"我的评议"</h2>
            {move || if confirming.get() {
                view! { <Confirm dimensions=dimensions.get_value() one marks confirming send /> }.into_any()
            } else {
                choose().into_any()
            }}
        </section>
    }
}

#[component]
fn Confirm(
    dimensions: Vec<String>,
    /// One rater, as the page says it.
    one: &'static str,
    marks: Marks,
    confirming: RwSignal<bool>,
    send: Action<ReviewBallotInput, Result<ReviewView, gongzhi_api::ApiError>>,
) -> impl IntoView {
    let heading = NodeRef::<html::H3>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let body = marks.input();
    let lines = dimensions
        .iter()
        .zip(&body.ratings)
        .map(|(d, r)| view! { <li>{format!("{d}:")}<strong>{word(r)}</strong></li> })
        .collect_view();
    let pending = move || send.pending().get();
    view! {
        <div data-testid="review-summary">
            <h3 tabindex="-1" node_ref=heading style="font-size:1.15rem">"请确认您的评议"</h3>
            <ul style="font-size:1.15rem;line-height:2">
                <li>"总体评价:"<strong>{word(&body.overall)}</strong></li>
                {lines}
            </ul>
            <p class="notice">{format!("确认后评议即提交,不能修改。每位{}只能评议一次。", one)}</p>
            <div style="display:grid;gap:.75rem;margin-top:.75rem">
                <button type="button" class="btn btn-primary btn-large btn-block" data-testid="review-confirm"
                    disabled=pending on:click=move |_| {
                        send.dispatch(body.clone());
                    }>
                    {move || if pending() { "正在提交…" } else { "确认提交" }}
                </button>
                <button type="button" class="btn btn-large btn-block" disabled=pending
                    on:click=move |_| confirming.set(false)>"返回修改"</button>
            </div>
        </div>
    }
}
