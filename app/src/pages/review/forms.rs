//! The leader's part while a review is open: 登记纸质评议表 (how many paper
//! forms were issued, returned and void — the valid ones returned must be
//! the paper ballots entered, which the server checks), then 公布结果 after a
//! confirmation.

use gongzhi_api::review::ReviewView;
use gongzhi_domain::review::FormsInput;
use leptos::prelude::*;

use super::{sender, Shown};
use crate::components::form::{Checks, Input};

#[derive(Clone, serde::Serialize)]
struct Empty {}

#[component]
pub fn Manage(v: ReviewView, s: Shown) -> impl IntoView {
    view! {
        <FormsForm v=v.clone() s />
        <Publish id=v.id counted=v.forms.is_some() s />
    }
}

#[component]
fn FormsForm(v: ReviewView, s: Shown) -> impl IntoView {
    let now = v.forms;
    let text = |f: fn(&gongzhi_domain::review::Forms) -> u32| {
        RwSignal::new(now.as_ref().map(f).map(|n| n.to_string()).unwrap_or_default())
    };
    let (issued, returned, void) = (text(|f| f.issued), text(|f| f.returned), text(|f| f.void));
    let input = move || FormsInput { issued: issued.get(), returned: returned.get(), void: void.get() };
    // The browser checks how the numbers stand to each other; whether the
    // valid forms are the paper ballots entered is the server's to say.
    let local = move || {
        let i = input();
        let n = |raw: &str| raw.trim().parse::<u32>().unwrap_or(0);
        i.parse(n(&i.returned).saturating_sub(n(&i.void))).err().unwrap_or_default()
    };
    let Checks { tried, server, errors } = Checks::new(local);
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = sender::<FormsInput>(v.id, "forms");
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => {
            let f = v.forms.unwrap_or_default();
            let text = format!("已登记纸质评议表:发出 {} 份,收回 {} 份,无效 {} 份。", f.issued, f.returned, f.void);
            s.done(v, text);
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let id = v.id;
    view! {
        <section class="panel">
            <h2>"登记纸质评议表"</h2>
            {now.map(|f| view! {
                <p data-testid="review-forms-now">{format!("已登记:发出 {} 份,收回 {} 份,无效 {} 份。", f.issued, f.returned, f.void)}</p>
            })}
            <p class="hint" style="margin-top:0">"收回的份数减去无效的份数,应等于已录入的纸质评议表份数。"</p>
            <form class="form-grid" data-testid="review-forms-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if send.pending().get_untracked() {
                    return;
                }
                tried.set(true);
                server.set(None);
                if local().is_empty() {
                    send.dispatch(input());
                }
            }>
                <Input id=format!("issued-{id}") label="发出评议表(份)" value=issued error=err("issued") kind="number" />
                <Input id=format!("returned-{id}") label="收回评议表(份)" value=returned error=err("returned") kind="number" />
                <Input id=format!("void-{id}") label="无效评议表(份)" value=void error=err("void") kind="number" />
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["issued", "returned", "void"]))}</p>
                    <button type="submit" class="btn btn-primary" data-testid="review-forms-submit" disabled=move || send.pending().get()>"登记"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn Publish(id: i64, counted: bool, s: Shown) -> impl IntoView {
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let send = sender::<Empty>(id, "publish");
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => s.done(v, "评议结果已公布。".into()),
        Some(Err(e)) => {
            asking.set(false);
            error.set(Some(e.message));
        }
        None => {}
    });
    let ask = move || {
        if asking.get() {
            view! {
                <div role="group" aria-label="确认公布结果">
                    <p><strong>"公布后不能再评议、录入或修改,确认公布评议结果?"</strong></p>
                    <div class="actions">
                        <button type="button" class="btn btn-primary btn-large" data-testid="review-publish-confirm"
                            disabled=move || send.pending().get() on:click=move |_| {
                                error.set(None);
                                send.dispatch(Empty {});
                            }>"确认公布"</button>
                        <button type="button" class="btn btn-large" on:click=move |_| asking.set(false)>"取消"</button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="btn btn-primary btn-large" data-testid="review-publish"
                    on:click=move |_| asking.set(true)>"公布结果"</button>
            }
            .into_any()
        }
    };
    view! {
        <section class="panel">
            <h2>"公布结果"</h2>
            {(!counted).then(|| view! { <p class="hint" style="margin-top:0">"请先登记纸质评议表的发出、收回和无效份数,再公布结果。"</p> })}
            {ask}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </section>
    }
}
