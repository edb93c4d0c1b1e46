//! 社区设施布点 (四同步), plan §二(一)2: the dashboard of communities and new
//! residential projects, one project's four steps and their sign-offs, one
//! community's rooms and remedies, and the area standards.
//!
//! - [`dashboard`]: `/facilities`; [`map`]: its SVG map.
//! - [`new`]: `/facilities/new`, registering a project.
//! - [`project`]: `/facilities/projects/:id`, the file and its sign-offs.
//! - [`community`]: `/facilities/communities/:id`, rooms and remedies.
//! - [`standards`]: `/facilities/standards`, the versions of the standard.

mod community;
mod dashboard;
mod map;
mod new;
mod project;
mod standards;

use community::FacilityCommunityPage;
use dashboard::FacilitiesPage;
use new::NewFacilityProjectPage;
use project::FacilityProjectPage;
use standards::FacilityStandardsPage;

use gongzhi_api::facilities::{FlagView, ShortfallView};
use gongzhi_domain::facilities::Area;
use leptos::prelude::*;

use crate::components::table::Cell;

/// The five pages behind one lazy route (`app.rs`): the path picks the page.
/// A route type of its own would cost every first load of the app.
#[component]
pub fn FacilitiesPages() -> impl IntoView {
    // Each of the five paths is its own `<Route>`, so a view is made for one
    // of them and stays on it (only an `:id` changes under it): the path is
    // read once.
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    match path.trim_end_matches('/').strip_prefix("/facilities").unwrap_or_default() {
        "/new" => view! { <NewFacilityProjectPage /> }.into_any(),
        "/standards" => view! { <FacilityStandardsPage /> }.into_any(),
        p if p.starts_with("/projects/") => view! { <FacilityProjectPage /> }.into_any(),
        p if p.starts_with("/communities/") => view! { <FacilityCommunityPage /> }.into_any(),
        _ => view! { <FacilitiesPage /> }.into_any(),
    }
}

/// Inline, so that the stylesheet every first visit fetches stays as it was.
const NUM: &str = "display:block;text-align:right";
/// A badge whose long text wraps.
const WRAP: &str = "white-space:normal";

/// A figure that lines up on the right of its column.
fn num(text: String) -> Cell {
    Cell::View(view! { <span class="mono" style=NUM>{text}</span> }.into_any())
}

/// “达标” or “缺 146 ㎡”: a word as well as a colour (badge modifier, text).
fn short_label(short: Area) -> (&'static str, String) {
    if short == Area::ZERO {
        ("ok", "达标".into())
    } else {
        ("off", format!("缺 {short}"))
    }
}

fn short_cell(short: Area) -> Cell {
    let (kind, text) = short_label(short);
    Cell::Badge(kind, text)
}

/// The shortfall of one kind of room (`service`, `elderly_care`).
fn shortfall<'a>(list: &'a [ShortfallView], room_use: &str) -> Option<&'a ShortfallView> {
    list.iter().find(|s| s.room_use == room_use)
}

/// A flag's badge: red when the project is late or stuck, amber otherwise.
fn flag_badge(f: &FlagView) -> impl IntoView {
    let kind = match f.code.as_str() {
        "step_late" | "built_late" | "accepted_not_handed_over" => "off",
        _ => "warn",
    };
    view! { <span class=format!("badge badge-{kind}") style=WRAP>{f.message.clone()}</span> }
}

/// A labelled select over a vocabulary's `(code, label)` pairs.
#[component]
fn Choice(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()>
                <option value="">"请选择"</option>
                {options.into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
            </select>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// An “own entrance” checkbox.
#[component]
fn Check(id: &'static str, label: &'static str, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check" for=id>
            <input id=id type="checkbox" prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev)) />
            {label}
        </label>
    }
}
