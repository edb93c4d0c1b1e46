//! What the residents' pages of a round share: the round's id from the path,
//! its detail from the server, money in 元, the phase's badge and the
//! breadcrumb (a load error: `components::loading::failed`). Kept small:
//! every page's chunk carries it.

use gongzhi_api::participation::RoundDetail;
use gongzhi_api::ApiError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::services::api;
use crate::services::session::use_session;

/// A round's detail as loaded: `None` while it loads.
pub type Loaded = RwSignal<Option<Result<RoundDetail, ApiError>>>;

/// “12,000.00 元”.
pub fn yuan(fen: i64) -> String {
    format!("{} 元", gongzhi_domain::funding::fen_label(fen))
}

/// The `:id` of the path (0 when it is not a number: the server answers 404).
pub fn round_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default())
}

/// Loads the round's detail into a signal, again whenever the id changes.
pub fn load_round(id: Memo<i64>) -> Loaded {
    let detail: Loaded = RwSignal::new(None);
    Effect::new(move |_| {
        let id = id.get();
        // Another round: nothing of the last one shows while it loads.
        detail.set(None);
        leptos::task::spawn_local(async move {
            detail.set(Some(api::get(&format!("/api/participation/rounds/{id}")).await));
        });
    });
    detail
}

/// The signed-in account's role code (`resident`, `grid_member`, …).
pub fn role() -> String {
    use_session().info().map(|i| i.account.role).unwrap_or_default()
}

/// The phase's badge: a word, and a colour for those who see it.
pub fn phase_badge(status: &str) -> &'static str {
    match status {
        "proposing" | "voting" => "badge badge-warn",
        "counted" => "badge badge-ok",
        _ => "badge badge-none",
    }
}

/// 百姓定实事 / the round / `here`.
#[component]
pub fn Crumb(id: i64, #[prop(into)] here: String) -> impl IntoView {
    view! {
        <p class="breadcrumb">
            <A href="/participation">"百姓定实事"</A>" / "
            <A href=format!("/participation/rounds/{id}")>"本轮详情"</A>" / "{here}
        </p>
    }
}
