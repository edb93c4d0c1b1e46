//! A horizontal bar chart drawn as SVG: no chart service, no library. Used
//! for shortfalls by department and by street.

use leptos::prelude::*;

/// One bar: its label, its value in fen.
pub struct Bar {
    pub label: String,
    pub fen: i64,
}

#[component]
pub fn BarChart(title: &'static str, bars: Vec<Bar>, testid: &'static str) -> impl IntoView {
    let max = bars.iter().map(|b| b.fen).max().unwrap_or(0).max(1);
    let row = 34.0;
    let height = (bars.len().max(1) as f64) * row + 8.0;
    // Label column, bar area and value column, in SVG user units.
    let (label_w, bar_w) = (190.0, 200.0);
    let summary = bars
        .iter()
        .map(|b| format!("{} {} 元", b.label, gongzhi_domain::funding::fen_label(b.fen)))
        .collect::<Vec<_>>()
        .join(";");
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title}</figcaption>
            {if bars.iter().all(|b| b.fen == 0) {
                view! { <p class="empty">"没有缺口。"</p> }.into_any()
            } else {
                view! {
                    <svg viewBox=format!("0 0 520 {height}") role="img" aria-label=format!("{title}:{summary}") preserveAspectRatio="xMinYMin meet">
                        {bars.into_iter().enumerate().map(|(i, b)| {
                            let y = i as f64 * row + 4.0;
                            let w = (b.fen as f64 / max as f64 * bar_w).max(if b.fen > 0 { 2.0 } else { 0.0 });
                            view! {
                                <g>
                                    <text x=label_w - 8.0 y=y + 21.0 text-anchor="end" class="chart-label">{b.label}</text>
                                    <rect x=label_w y=y + 4.0 width=w height=row - 10.0 rx="3" class="chart-bar" />
                                    <text x=label_w + w + 6.0 y=y + 21.0 class="chart-value">{format!("{} 元", gongzhi_domain::funding::fen_label(b.fen))}</text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                }.into_any()
            }}
        </figure>
    }
}
