//! `/self-government/reviews/new`: the leader starts a 民主评议 — its name,
//! who is reviewed, their 述职报告, what is rated (one per line; none: the
//! three usual ones) and the closing day. Checked in the browser by the
//! domain's `ReviewInput::parse`, so the messages are the server's; once
//! saved, the review's page opens and says so.

use gongzhi_api::review::ReviewView;
use gongzhi_domain::review::{ReviewInput, SubjectKind};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{crumb, SLUG};
use crate::components::form::{Area, Checks, TextField};
use crate::components::guard::RequireMenu;
use crate::services::api;
use crate::services::calendar::today_in_shanghai;
use crate::services::session::role;

const FIELDS: &[&str] = &["title", "subject_kind", "subject_name", "report", "dimensions", "until"];

#[component]
pub fn NewPage() -> impl IntoView {
    view! {
        <RequireMenu slug=SLUG>
            {crumb("发起民主评议")}
            <section class="panel">
                <h1>"发起民主评议"</h1>
                {move || if role() == "community_leader" {
                    view! { <NewForm /> }.into_any()
                } else {
                    view! { <p class="notice" role="status">"民主评议由社区负责人发起。"</p> }.into_any()
                }}
            </section>
        </RequireMenu>
    }
}

#[component]
fn NewForm() -> impl IntoView {
    let [title, kind, name, report, dimensions, until] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let input = move || ReviewInput {
        title: title.get(),
        subject_kind: kind.get(),
        subject_name: name.get(),
        report: report.get(),
        dimensions: dimensions.get(),
        until: until.get(),
    };
    let today = today_in_shanghai();
    let Checks { tried, server, errors } = Checks::new(move || input().parse(today).err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &ReviewInput| {
        let body = body.clone();
        async move { api::send::<_, ReviewView>("POST", "/api/reviews", &body).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => navigate(&format!("/self-government/reviews/{}?new=1", v.id), Default::default()),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let kinds = SubjectKind::ALL
        .iter()
        .map(|k| {
            let code = k.code();
            view! {
                <label class="choice">
                    <input type="radio" name="subject_kind" value=code prop:checked=move || kind.get() == code
                        on:change=move |_| kind.set(code.into()) />
                    {k.label()}
                </label>
            }
        })
        .collect_view();
    view! {
        <p class="lead">"发起后,本社区的居民代表可以在截止日期前在网上评议;交回的纸质评议表由工作人员录入。"</p>
        <form class="form-grid" data-testid="review-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            if input().parse(today).is_ok() {
                send.dispatch(input());
            }
        }>
            <TextField id="title" label="评议名称" value=title error=err("title") hint="不超过 60 个字,例如“2026 年度居委会民主评议”" />
            <fieldset class="field-wide" style="border:0;margin:0;padding:0" aria-describedby="subject_kind-error">
                <legend style="font-weight:600;margin:0 0 .3rem;padding:0">"评议对象类型"</legend>
                <div class="choice-row">{kinds}</div>
                <p id="subject_kind-error" class="field-error" role="alert">{move || err("subject_kind").get()}</p>
            </fieldset>
            <TextField id="subject_name" label="评议对象" value=name error=err("subject_name")
                hint="居委会、社区工作者的姓名或物业服务企业的名称" />
            <Area id="report" label="述职报告" value=report error=err("report") rows=10 />
            <Area id="dimensions" label="评议内容(每行一项)" value=dimensions error=err("dimensions") rows=4 />
            <p class="hint field-wide" style="margin-top:-.5rem">"每行一项,不填则为:工作态度、工作效率、廉洁自律"</p>
            <TextField id="until" label="评议截止日期" kind="date" value=until error=err("until") />
            <div class="form-actions">
                <p class="form-error" role="alert" data-testid="review-error">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="review-submit"
                    disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "正在提交…" } else { "发起民主评议" }}
                </button>
            </div>
        </form>
    }
}
