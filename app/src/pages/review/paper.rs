//! 录入纸质评议表: staff (a grid member or the leader) enter a paper form
//! handed back by a representative — the register id on it and the ratings
//! marked, in a compact form for a desk. Checked by the domain's
//! `ReviewBallotInput::parse` first; the server checks the representative.
//! After each form the id box takes the focus for the next one.

use gongzhi_api::review::{PaperReview, ReviewView};
use gongzhi_domain::review::Raters;
use gongzhi_domain::FieldError;
use leptos::html;
use leptos::prelude::*;

use super::{groups, sender, Marks, Shown};
use crate::components::form::Checks;

#[component]
pub fn PaperForm(v: ReviewView, s: Shown) -> impl IntoView {
    let n = v.dimensions.len();
    let marks = Marks::new(n);
    let who = Raters::from_code(&v.raters).unwrap_or(Raters::Representatives);
    let field = who.register_field();
    let resident = RwSignal::new(String::new());
    let local = move || -> Vec<FieldError> {
        let mut e: Vec<FieldError> = field.required_id(&resident.get()).err().into_iter().collect();
        e.extend(marks.input().parse(n).err().unwrap_or_default());
        e
    };
    let Checks { tried, server, errors } = Checks::new(local);
    let send = sender::<PaperReview>(v.id, "paper");
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => {
            s.entered.set(Some(format!("已录入,共 {} 份(网上和纸质合计)。请录入下一份。", v.ballots)));
            s.current.set(Some(Ok(v)));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let id_box = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let (Some(input), true) = (id_box.get(), s.entered.get_untracked().is_some()) {
            let _ = input.focus();
        }
    });
    let id_error = Signal::derive(move || errors.with(|e| e.for_field("resident_id")));
    view! {
        <section class="panel">
            <h2>"录入纸质评议表"</h2>
            <p class="hint" style="margin-top:0">{format!("照{0}交回的纸质评议表录入;每位{0}只计一份(网上评议过的不能再录入)。", who.one())}</p>
            {move || s.entered.get().map(|t| view! { <p class="alert alert-ok" role="status" data-testid="review-paper-done">{t}</p> })}
            <form data-testid="review-paper-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if send.pending().get_untracked() {
                    return;
                }
                tried.set(true);
                server.set(None);
                s.entered.set(None);
                if local().is_empty() {
                    send.dispatch(PaperReview { resident_id: resident.get_untracked().trim().into(), ballot: marks.input() });
                }
            }>
                <div class="field" style="max-width:20rem">
                    <label for="paper-resident">{field.label}</label>
                    <input id="paper-resident" name="resident_id" type="text" inputmode="numeric" autocomplete="off"
                        node_ref=id_box prop:value=move || resident.get() on:input=move |ev| resident.set(event_target_value(&ev))
                        aria-invalid=move || id_error.get().is_some().to_string() aria-describedby="paper-resident-error" />
                    <p id="paper-resident-error" class="field-error" role="alert">{move || id_error.get()}</p>
                </div>
                {groups("paper", &v.dimensions, marks, errors, true)}
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["resident_id", "overall", "ratings"]))}</p>
                <button type="submit" class="btn btn-primary" data-testid="review-paper-submit" disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "正在录入…" } else { "录入评议表" }}
                </button>
            </form>
        </section>
    }
}
