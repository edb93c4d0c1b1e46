//! The published result: the overall satisfaction rate in words, then for
//! 总体评价 and each dimension the count of each rating, as a bar (a width
//! from whole numbers) beside its number; the ballots by channel and the
//! paper forms' count.

use gongzhi_domain::ballot::{Rating, RatingTally};
use gongzhi_domain::review::ReviewResult;
use leptos::prelude::*;

/// 满意率 N% (none: no ballots).
fn rate(t: &RatingTally) -> String {
    t.satisfaction_pct.map(|p| format!("满意率 {p}%")).unwrap_or_else(|| "没有评议".into())
}

#[component]
pub fn ResultView(r: ReviewResult) -> impl IntoView {
    let each = r
        .dimensions
        .iter()
        .map(|(d, t)| {
            view! {
                <h3 style="font-size:1.1rem;margin:1rem 0 .25rem">{format!("{d}:{}", rate(t))}</h3>
                <Bars t=*t />
            }
        })
        .collect_view();
    let f = r.forms;
    view! {
        <section class="panel" data-testid="review-result">
            <h2>"评议结果"</h2>
            <p style="font-size:1.6rem;font-weight:700;margin:.25rem 0" data-testid="review-rate">
                {format!("总体{}", rate(&r.overall))}
            </p>
            <p class="hint" style="margin-top:0">"满意率 =(满意 + 基本满意)÷ 全部评议"</p>
            <h3 style="font-size:1.1rem;margin:1rem 0 .25rem">"总体评价"</h3>
            <Bars t=r.overall />
            {each}
            <h3 style="font-size:1.1rem;margin:1rem 0 .25rem">"评议份数"</h3>
            <p style="margin:.25rem 0" data-testid="review-channels">
                {format!("共 {} 份:网上评议 {} 份,纸质评议表 {} 份", r.online + r.paper, r.online, r.paper)}
            </p>
            <p style="margin:.25rem 0" data-testid="review-forms">
                {format!("纸质评议表:发出 {} 份,收回 {} 份,无效 {} 份", f.issued, f.returned, f.void)}
            </p>
        </section>
    }
}

/// One tally's three ratings: the word, a bar, the number.
#[component]
fn Bars(t: RatingTally) -> impl IntoView {
    let all = t.satisfied + t.fair + t.unsatisfied;
    let rows = Rating::ALL
        .into_iter()
        .map(|r| {
            let (n, colour) = match r {
                Rating::Satisfied => (t.satisfied, "#166534"),
                Rating::Fair => (t.fair, "#1e3a5f"),
                Rating::Unsatisfied => (t.unsatisfied, "#991b1b"),
            };
            let width = (n * 100).checked_div(all).unwrap_or(0);
            view! {
                <li style="display:grid;grid-template-columns:5.5em minmax(0,1fr) auto;gap:.5rem;align-items:center;margin:.2rem 0">
                    <span>{r.label()}</span>
                    <span aria-hidden="true" style="height:14px;border:1px solid #6b7280;border-radius:7px;background:#e5e7eb;overflow:hidden">
                        <span style=format!("display:block;height:100%;width:{width}%;background:{colour}")></span>
                    </span>
                    <strong>{format!("{n} 人")}</strong>
                </li>
            }
        })
        .collect_view();
    view! { <ul style="list-style:none;margin:0;padding:0;max-width:36em">{rows}</ul> }
}
