//! The publications (公开内容), newest first: each with its text as written
//! and its documents, then the residents' questions and objections (never
//! who asked) with the committee's public answers. A resident of the
//! community asks or objects; the leader answers.

use gongzhi_api::disclosure::{DisclosureBoard, PublicationView, QuestionView};
use gongzhi_domain::disclosure::{AnswerInput, QuestionInput, QuestionKind};
use leptos::prelude::*;

use super::board::{Board, H3, H4, ITEM, LINE, LIST, PRE};
use crate::components::form::{Checks, Text};
use crate::services::api;

#[component]
pub fn Publications(b: Board) -> impl IntoView {
    let list = move || b.with(|d| d.publications.clone()).unwrap_or_default();
    let empty = b.flag(|d| d.publications.is_empty());
    view! {
        <section class="panel" data-testid="disclosure-publications">
            <h2>"公开内容"</h2>
            {move || empty.get().then(|| view! { <p class="empty">"还没有公开的内容。"</p> })}
            <ul style=LIST>
                <For
                    each=list
                    key=|p| (p.id, p.questions.len(), p.questions.iter().filter(|q| q.answer.is_some()).count())
                    children=move |p| view! { <Publication p b /> }
                />
            </ul>
        </section>
    }
}

#[component]
fn Publication(p: PublicationView, b: Board) -> impl IntoView {
    let pid = p.id;
    let (ask, manage) = untrack(|| b.with(|d| (d.can_ask, d.can_manage))).unwrap_or_default();
    let when = match &p.period_label {
        Some(period) => format!("{} · {period} · {} 公开", p.item, p.published_on),
        None => format!("{} · {} 公开", p.item, p.published_on),
    };
    let attachments = (!p.attachments.is_empty()).then(|| {
        let items = p.attachments.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view();
        view! {
            <h4 style=H4>"附件"</h4>
            <ul style="margin:0;padding-left:1.25rem;overflow-wrap:anywhere" data-testid="disclosure-attachments">{items}</ul>
        }
    });
    let count = p.questions.len();
    let questions = if p.questions.is_empty() {
        view! { <p class="empty" style=LINE>"还没有居民留言。"</p> }.into_any()
    } else {
        let items = p.questions.into_iter().map(|q| view! { <Question q pid b manage /> }).collect_view();
        view! { <ul style=LIST>{items}</ul> }.into_any()
    };
    view! {
        <li style=ITEM data-testid="disclosure-publication" data-publication-id=pid.to_string()>
            <h3 style=H3>{p.title}</h3>
            <p style="margin:.3rem 0;color:var(--ink-soft)">{when}</p>
            <div style=PRE data-testid="disclosure-publication-body">{p.body}</div>
            {attachments}
            <h4 style=H4>{format!("居民提问和异议({count} 条)")}</h4>
            {questions}
            {b.notice_at(format!("pub-{pid}"))}
            {ask.then(|| view! { <Ask pid b /> })}
        </li>
    }
}

#[component]
fn Question(q: QuestionView, pid: i64, b: Board, manage: bool) -> impl IntoView {
    let badge = if q.kind == QuestionKind::Objection.code() { "badge badge-warn" } else { "badge badge-none" };
    let answer = match (q.answer, q.answered_on) {
        (Some(a), on) => view! {
            <p style=PRE data-testid="disclosure-answer">
                <strong>"社区答复:"</strong>{a}
                {on.map(|d| view! { <span style="color:var(--ink-soft)">{format!("({d})")}</span> })}
            </p>
        }
        .into_any(),
        (None, _) => view! {
            <p style=LINE><span class="badge badge-none" data-testid="disclosure-unanswered">"待答复"</span></p>
            {manage.then(|| view! { <Answer qid=q.id pid b /> })}
        }
        .into_any(),
    };
    view! {
        <li style="border-left:4px solid #d1d5db;padding:.25rem 0 .25rem .75rem;min-width:0" data-testid="disclosure-question">
            <p style=LINE><span class=badge>{q.kind_label}</span>{format!(" {} 提出", q.asked_on)}</p>
            <p style=PRE>{q.text}</p>
            {answer}
        </li>
    }
}

/// “我要提问 / 提出异议”, folded until opened; sent after a confirmation
/// that it is shown in public without the resident's name.
#[component]
fn Ask(pid: i64, b: Board) -> impl IntoView {
    let kind = RwSignal::new(QuestionKind::Question.code().to_string());
    let text = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let input = move || QuestionInput { kind: kind.get(), text: text.get() };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &QuestionInput| {
        let body = body.clone();
        async move {
            api::send::<_, DisclosureBoard>("POST", &format!("/api/disclosure/publications/{pid}/questions"), &body)
                .await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => b.done(
            d,
            format!("pub-{pid}"),
            "已提交。您的留言已在上面公开(不显示姓名),社区答复后也会显示在这里。".into(),
        ),
        Some(Err(e)) => {
            confirm.set(false);
            server.set(Some(e));
        }
        None => {}
    });
    let kind_id = format!("ask-{pid}-kind");
    let radios = QuestionKind::ALL
        .iter()
        .map(|k| {
            let code = k.code();
            view! {
                <label class="choice">
                    <input type="radio" name=kind_id.clone() value=code prop:checked=move || kind.get() == code
                        on:change=move |_| kind.set(code.into()) />
                    {k.label()}
                </label>
            }
        })
        .collect_view();
    let buttons = move || {
        if confirm.get() {
            view! {
                <p role="status" style="font-weight:600;margin:.5rem 0" data-testid="disclosure-question-confirm-text">
                    "您的留言会在本页公开显示,不会显示您的姓名。确认提交吗?"
                </p>
                <div class="actions">
                    <button type="submit" class="btn btn-primary btn-large" data-testid="disclosure-question-confirm"
                        disabled=move || send.pending().get()>
                        {move || if send.pending().get() { "正在提交…" } else { "确认提交" }}
                    </button>
                    <button type="button" class="btn btn-large" on:click=move |_| confirm.set(false)>"返回修改"</button>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button type="submit" class="btn btn-primary btn-large btn-block" data-testid="disclosure-question-submit">
                    "提交"
                </button>
            }
            .into_any()
        }
    };
    view! {
        <details style="margin-top:.75rem" data-testid="disclosure-ask">
            <summary class="btn" style="list-style:none;white-space:normal" data-testid="disclosure-ask-open">
                "我要提问 / 提出异议"
            </summary>
            <form data-testid="disclosure-question-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if send.pending().get_untracked() {
                    return;
                }
                tried.set(true);
                server.set(None);
                b.quiet();
                if input().parse().is_ok() {
                    if confirm.get_untracked() {
                        send.dispatch(input());
                    } else {
                        confirm.set(true);
                    }
                }
            }>
                <fieldset aria-describedby=format!("{kind_id}-error") style="border:0;padding:0;margin:0;min-width:0">
                    <legend style="font-weight:600;margin-bottom:.3rem">"类型"</legend>
                    <div class="choice-row">{radios}</div>
                    <p class="hint" style="font-size:1rem;margin:0">"看不明白、想了解更多,选“提问”;认为公开的内容不对,选“异议”。"</p>
                    <p id=format!("{kind_id}-error") class="field-error" role="alert">{move || err("kind").get()}</p>
                </fieldset>
                <Text id=format!("ask-{pid}-text") label="内容" value=text error=err("text") rows=4 />
                {buttons}
                <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["kind", "text"]))}</p>
            </form>
        </details>
    }
}

/// The committee's public answer to a question or objection.
#[component]
fn Answer(qid: i64, pid: i64, b: Board) -> impl IntoView {
    let answer = RwSignal::new(String::new());
    let input = move || AnswerInput { answer: answer.get() };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let send = Action::new_local(move |body: &AnswerInput| {
        let body = body.clone();
        async move {
            api::send::<_, DisclosureBoard>("POST", &format!("/api/disclosure/questions/{qid}/answer"), &body).await
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => b.done(d, format!("pub-{pid}"), "已公开答复。".into()),
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    view! {
        <form data-testid="disclosure-answer-form" novalidate style="margin-top:.25rem" on:submit=move |ev| {
            ev.prevent_default();
            if send.pending().get_untracked() {
                return;
            }
            tried.set(true);
            server.set(None);
            b.quiet();
            if input().parse().is_ok() {
                send.dispatch(input());
            }
        }>
            <Text id=format!("answer-{qid}") label="社区答复(公开显示)" value=answer
                error=Signal::derive(move || errors.with(|e| e.for_field("answer"))) />
            <p class="form-error" role="alert">{move || errors.with(|e| e.general(&["answer"]))}</p>
            <button type="submit" class="btn btn-primary" data-testid="disclosure-answer-submit"
                disabled=move || send.pending().get()>
                {move || if send.pending().get() { "正在提交…" } else { "公开答复" }}
            </button>
        </form>
    }
}
