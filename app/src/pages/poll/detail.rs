//! `/self-government/polls/:id`: one poll — whom it asks, its status and
//! closing day, why it asks; a resident's questionnaire (or the word that
//! they have answered), the count, and staff's ways in: 录入问卷, 导出 and the
//! leader's 结束调查 (asked first: nobody can answer after it).

use gongzhi_api::poll::PollView;
use gongzhi_api::ApiError;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::questionnaire::{fields, Answers, Questionnaire};
use super::{badge, crumb, staff, SLUG};
use crate::components::confirm::ConfirmButton;
use crate::components::form::Checks;
use crate::components::guard::RequireMenu;
use crate::components::loading::{failed, loading};
use crate::services::api;

/// The poll shown and the line confirming what was just done.
#[derive(Clone, Copy)]
struct Shown {
    current: RwSignal<Option<Result<PollView, ApiError>>>,
    notice: RwSignal<Option<String>>,
}

impl Shown {
    fn done(&self, v: PollView, notice: String) {
        self.current.set(Some(Ok(v)));
        self.notice.set(Some(notice));
    }
}

#[component]
pub fn PollPage() -> impl IntoView {
    let at = crate::pages::self_government::path_id("/self-government/polls/");
    let id = Memo::new(move |_| at.get().unwrap_or_default());
    // “Just started” is said once, for the poll the form opened.
    let fresh = StoredValue::new(use_query_map().get_untracked().get("new").is_some());
    let s = Shown { current: RwSignal::new(None), notice: RwSignal::new(None) };
    Effect::new(move |_| {
        let id = id.get();
        s.current.set(None);
        s.notice.set(None);
        leptos::task::spawn_local(async move {
            let v = api::get::<PollView>(&format!("/api/polls/{id}")).await;
            // A slow answer for a poll no longer shown is dropped.
            if at.get_untracked().unwrap_or_default() != id {
                return;
            }
            if let (true, Ok(v)) = (fresh.get_value(), &v) {
                s.notice.set(Some(format!("民意调查“{}”已发起,{} 截止。", v.title, v.until)));
            }
            fresh.set_value(false);
            s.current.set(Some(v));
        });
    });
    // The confirmation is brought into view: the questionnaire sent may be long.
    let shown = NodeRef::<html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = shown.get() {
            p.scroll_into_view();
        }
    });
    view! {
        <RequireMenu slug=SLUG>
            {crumb("调查详情")}
            {move || s.notice.get().map(|n| view! {
                <p class="alert alert-ok" role="status" data-testid="poll-notice" node_ref=shown>{n}</p>
            })}
            {move || match s.current.get() {
                None => loading(),
                Some(Err(e)) => failed("民意调查", e),
                Some(Ok(v)) => view! { <Body v s /> }.into_any(),
            }}
        </RequireMenu>
    }
}

#[component]
fn Body(v: PollView, s: Shown) -> impl IntoView {
    let open = v.status == "open";
    let mine = match v.answered {
        Some(false) if open => Some(view! { <Answer v=v.clone() s /> }.into_any()),
        Some(true) => Some(
            view! {
                <section class="panel">
                    <h2>"我的问卷"</h2>
                    <p class="alert alert-ok" role="status" style="font-size:1.15rem" data-testid="poll-done">"您已填写,谢谢参与!"</p>
                    {open.then_some(view! { <p>"每人只填一次(网上、纸质问卷或入户填写)。调查结束后可在这里看到结果。"</p> })}
                </section>
            }
            .into_any(),
        ),
        _ => None,
    };
    let result = v.result.clone().map(|r| view! { <super::result::ResultView r /> });
    // Why there is no count yet: it would tell a watcher one person's answers.
    let pending = open.then(|| view! {
        <p class="notice" data-testid="poll-result-later">
            {format!("已收问卷 {} 份。调查结束后公布统计结果:进行中公布,会让人从变化中推算出个人的答案。", v.responses)}
        </p>
    });
    let id = v.id;
    let close = Action::new_local(move |_: &()| async move {
        api::send::<_, PollView>("POST", &format!("/api/polls/{id}/close"), &serde_json::json!({})).await
    });
    Effect::new(move |_| match close.value().get() {
        Some(Ok(v)) => s.done(v, "调查已结束,结果已向本社区居民公开。".into()),
        Some(Err(e)) => s.notice.set(Some(e.message)),
        None => {}
    });
    let tools = staff().then(|| {
        let question = format!("结束后居民不能再填写,已收到的 {} 份问卷的统计结果将向本社区居民公开。", v.responses);
        view! {
            <section class="panel">
                <h2>"调查工作"</h2>
                <p class="actions" style="display:flex;flex-wrap:wrap;gap:.75rem;align-items:center">
                    {v.can_enter.then(|| view! {
                        <A href=format!("/self-government/polls/{id}/entry") attr:class="btn btn-primary" attr:data-testid="poll-to-entry">
                            "录入问卷(纸质 / 入户)"
                        </A>
                    })}
                    {(!open).then(|| view! {
                        <a class="btn" href=format!("/api/polls/{id}/export") download="民意调查结果.xlsx" data-testid="poll-export">"导出结果(Excel)"</a>
                    })}
                    {v.can_manage.then(|| view! {
                        <ConfirmButton label="结束调查" question confirm="确认结束调查"
                            on_confirm=Callback::new(move |_| { close.dispatch(()); }) />
                    })}
                </p>
            </section>
        }
    });
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>{v.title.clone()}</h1>
                <span class=badge(&v.status) data-testid="poll-status">{v.status_label.clone()}</span>
            </div>
            <dl class="facts">
                <dt>"调查对象"</dt><dd>{v.audience_label.clone()}</dd>
                <dt>"社区"</dt><dd>{v.community_name.clone()}</dd>
                <dt>"截止日期"</dt><dd>{v.until.to_string()}</dd>
                <dt>"已收问卷"</dt><dd data-testid="poll-responses">{format!("{} 份", v.responses)}</dd>
            </dl>
            {(!v.intro.is_empty()).then(|| view! {
                <p style="white-space:pre-wrap;overflow-wrap:anywhere;font-size:1.05rem">{v.intro.clone()}</p>
            })}
        </section>
        {mine}
        {pending}
        {result}
        {tools}
    }
}

/// A resident's questionnaire: checked by the domain before it is sent, once.
#[component]
fn Answer(v: PollView, s: Shown) -> impl IntoView {
    let n = v.questions.len();
    let answers = Answers::new(n);
    let questions = StoredValue::new(v.questions.clone());
    let Checks { tried, server, errors } =
        Checks::new(move || answers.input().parse(&questions.get_value()).err().unwrap_or_default());
    let id = v.id;
    let send = Action::new_local(move |body: &gongzhi_domain::poll::ResponseInput| {
        let body = body.clone();
        async move { api::send::<_, PollView>("POST", &format!("/api/polls/{id}/responses"), &body).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(v)) => s.done(v, "您的问卷已提交,谢谢参与!".into()),
        // Answered already (a grid member came by, say): the page as it stands, and why.
        Some(Err(e)) if e.code == "poll_already_answered" => leptos::task::spawn_local(async move {
            if let Ok(v) = api::get::<PollView>(&format!("/api/polls/{id}")).await {
                s.done(v, e.message);
            }
        }),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <section class="panel" data-testid="poll-form">
            <h2>"填写问卷"</h2>
            <p class="lead" style="margin-bottom:.75rem">"问卷不记名。提交后不能修改,每人只填一次。"</p>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                if send.pending().get_untracked() {
                    return;
                }
                tried.set(true);
                server.set(None);
                match answers.input().parse(&questions.get_value()) {
                    Ok(_) => {
                        send.dispatch(answers.input());
                    }
                    Err(e) => crate::components::form::focus_first_error(&e, |f| format!("poll-{f}")),
                }
            }>
                <Questionnaire prefix="poll" questions=v.questions.clone() answers errors />
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&fields(n)))}</p>
                <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="poll-submit"
                    disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "正在提交…" } else { "提交问卷" }}
                </button>
            </form>
        </section>
    }
}
