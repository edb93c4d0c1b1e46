//! Keyboard work on a list page, for reviewers who live in the queue:
//! `/` goes to the search box, `J`/`K` or `↓`/`↑` move through the rows,
//! `Enter` opens the row's first link. Typing in a field is left alone.

use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// The rows of the table with `data-testid=testid`.
fn rows(testid: &str) -> Vec<web_sys::Element> {
    let Some(list) = document().and_then(|d| d.query_selector_all(&format!("[data-testid='{testid}'] tbody tr")).ok())
    else {
        return vec![];
    };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<web_sys::Element>().ok()).collect()
}

/// Installs the keys for table `testid` and search box `#search_id` while the
/// calling component lives.
pub fn list_keys(testid: &'static str, search_id: &'static str) {
    let current = RwSignal::new(None::<usize>);
    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let rows = rows(testid);
        let step = |delta: isize| {
            if rows.is_empty() {
                return;
            }
            let next = match current.get_untracked() {
                None => 0,
                Some(i) => (i as isize + delta).clamp(0, rows.len() as isize - 1) as usize,
            };
            for (i, row) in rows.iter().enumerate() {
                let _ = if i == next {
                    row.set_attribute("aria-selected", "true")
                } else {
                    row.remove_attribute("aria-selected")
                };
            }
            rows[next].scroll_into_view_with_bool(false);
            current.set(Some(next));
        };
        match e.key().as_str() {
            "/" => {
                e.prevent_default();
                if let Some(el) = document().and_then(|d| d.get_element_by_id(search_id)) {
                    let _ = el.dyn_into::<web_sys::HtmlElement>().map(|h| h.focus());
                }
            }
            "j" | "J" | "ArrowDown" => {
                e.prevent_default();
                step(1);
            }
            "k" | "K" | "ArrowUp" => {
                e.prevent_default();
                step(-1);
            }
            "Enter" => {
                if let Some(link) = current
                    .get_untracked()
                    .and_then(|i| rows.get(i).cloned())
                    .and_then(|row| row.query_selector("a").ok().flatten())
                {
                    let _ = link.dyn_into::<web_sys::HtmlElement>().map(|h| h.click());
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}
