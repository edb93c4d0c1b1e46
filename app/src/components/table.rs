//! One table for every list in the app. Rows are plain data (`Cell`s), so a
//! single rendering path serves all pages — which also keeps the WASM bundle
//! small (each hand-written table is its own generic view type).

use leptos::prelude::*;

/// What a table cell shows.
pub enum Cell {
    Text(String),
    /// Numbers and codes that must line up (ID numbers, phones, hashes).
    Mono(String),
    /// A coloured status label: (CSS modifier, text), e.g. `("ok", "正常")`.
    Badge(&'static str, String),
    /// Anything else (buttons, links).
    View(AnyView),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

fn render(cell: Cell) -> AnyView {
    match cell {
        Cell::Text(t) => view! { <td>{t}</td> }.into_any(),
        Cell::Mono(t) => view! { <td class="mono">{t}</td> }.into_any(),
        Cell::Badge(kind, t) => view! { <td><span class=format!("badge badge-{kind}")>{t}</span></td> }.into_any(),
        Cell::View(v) => view! { <td>{v}</td> }.into_any(),
    }
}

/// The name of a table's scrolling frame, for screen readers.
pub const SCROLL_LABEL: &str = "表格(可左右滚动)";

#[component]
pub fn DataTable(
    /// `data-testid` of the table, for tests.
    testid: &'static str,
    headers: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
    /// Shown instead of an empty table.
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty" data-testid=testid>{empty.unwrap_or("暂无记录。")}</p> }.into_any();
    }
    // A table wider than the screen scrolls sideways inside its frame; the
    // frame takes the focus so a keyboard can scroll it too (WCAG 2.1.1).
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=SCROLL_LABEL>
            <table class="data-table" data-testid=testid>
                <thead><tr>{headers.iter().map(|h| view! { <th>{*h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <tr>{row.into_iter().map(render).collect_view()}</tr> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
