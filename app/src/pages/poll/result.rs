//! The count: questionnaires by channel, then for each question its
//! options (or scores) with a bar and the number and share of those who
//! answered it, a rating's average, and — for staff — the short answers.

use gongzhi_domain::poll::{self, PollResult, QuestionKind, QuestionResult};
use leptos::prelude::*;

#[component]
pub fn ResultView(r: PollResult) -> impl IntoView {
    let channels =
        r.by_channel.iter().map(|(c, n)| format!("{} {n} 份", poll::channel_label(*c))).collect::<Vec<_>>().join(",");
    let each = r.questions.iter().enumerate().map(|(i, q)| view! { <Question i q=q.clone() /> }).collect_view();
    view! {
        <section class="panel" data-testid="poll-result">
            <h2>"调查结果"</h2>
            <p style="font-size:1.3rem;font-weight:700;margin:.25rem 0" data-testid="poll-total">
                {format!("共收到问卷 {} 份", r.responses)}
            </p>
            <p class="hint" style="margin-top:0" data-testid="poll-channels">{channels}</p>
            {each}
        </section>
    }
}

#[component]
fn Question(i: usize, q: QuestionResult) -> impl IntoView {
    let answered = q.answered;
    let rows = q
        .counts
        .iter()
        .map(|(label, n)| {
            // Rounded to the nearest whole per cent.
            let share = (n * 200 + answered).checked_div(answered * 2).unwrap_or(0);
            view! {
                <li style="display:grid;grid-template-columns:minmax(6em,14em) minmax(0,1fr) 7.5em;gap:.5rem;align-items:center;margin:.25rem 0">
                    <span style="overflow-wrap:anywhere">{label.clone()}</span>
                    <span aria-hidden="true" style="height:14px;border:1px solid #6b7280;border-radius:7px;background:#e5e7eb;overflow:hidden">
                        <span style=format!("display:block;height:100%;width:{share}%;background:#1e3a5f")></span>
                    </span>
                    <strong style="white-space:nowrap;text-align:right">{format!("{n} 人({share}%)")}</strong>
                </li>
            }
        })
        .collect_view();
    let average = q.average_tenths.map(|a| {
        view! { <p style="margin:.25rem 0;font-weight:700" data-testid="poll-average">{format!("平均 {}.{} 分", a / 10, a % 10)}</p> }
    });
    let texts = (q.kind == QuestionKind::Text).then(|| {
        if q.texts.is_empty() {
            view! { <p class="hint">"简答内容仅工作人员可见。"</p> }.into_any()
        } else {
            // The same answer given by several: once, with how many (the list is sorted).
            let mut same: Vec<(String, u32)> = Vec::new();
            for t in &q.texts {
                match same.last_mut() {
                    Some((last, n)) if last == t => *n += 1,
                    _ => same.push((t.clone(), 1)),
                }
            }
            let items = same
                .into_iter()
                .map(|(t, n)| view! { <li>{t}{(n > 1).then(|| format!("({n} 人)"))}</li> })
                .collect_view();
            view! {
                <p class="hint">"仅工作人员可见:"</p>
                <ul style="margin:.25rem 0;overflow-wrap:anywhere" data-testid="poll-texts">{items}</ul>
            }
            .into_any()
        }
    });
    let multiple = (q.kind == QuestionKind::Multiple).then_some("(多选,各项之和可超过 100%)");
    view! {
        <h3 style="font-size:1.1rem;margin:1.25rem 0 .25rem">{format!("{}. {}", i + 1, q.text)}</h3>
        <p class="hint" style="margin:0">{format!("{} 人作答", answered)}{multiple}</p>
        {average}
        {(!q.counts.is_empty()).then(|| view! { <ul style="list-style:none;margin:0;padding:0;max-width:40em">{rows}</ul> })}
        {texts}
    }
}
