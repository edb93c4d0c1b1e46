//! "N 条待同步": what the tablet holds that the server has not yet
//! confirmed, on every street page; refused records are shown with the
//! server's reason until removed.

use leptos::prelude::*;

use crate::services::outbox::use_outbox;

#[component]
pub fn OutboxBar() -> impl IntoView {
    let outbox = use_outbox();
    let open = RwSignal::new(false);
    move || {
        let items = outbox.items.get();
        if items.is_empty() {
            return ().into_any();
        }
        let waiting = items.iter().filter(|x| x.refused.is_none()).count();
        let refused = items.len() - waiting;
        view! {
            <div class="outbox-bar" role="status" data-testid="outbox-bar">
                <span class="outbox-count">{format!("{waiting} 条待同步")}</span>
                {(refused > 0).then(|| view! { <span class="badge badge-danger">{format!("{refused} 条被退回")}</span> })}
                <span class="outbox-state">{move || if outbox.syncing.get() {
                    "正在同步…".to_string()
                } else {
                    outbox.stalled.get().unwrap_or_default()
                }}</span>
                <button class="btn btn-light btn-small" on:click=move |_| outbox.sync()>"立即同步"</button>
                <button class="btn btn-ghost btn-small" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "收起" } else { "查看" }}
                </button>
            </div>
            {move || open.get().then(|| view! {
                <ul class="outbox-list">
                    {outbox.items.get().into_iter().map(|x| {
                        let key = x.key.clone();
                        view! {
                            <li>
                                <span class="badge badge-none">{x.kind.label()}</span>
                                " "{x.recorded.clone()}" "{x.summary.clone()}
                                {x.refused.clone().map(|why| view! {
                                    <span class="form-error">{format!(" 被退回:{why}")}</span>
                                    <button class="btn btn-danger btn-small" on:click=move |_| outbox.discard(&key)>"删除此条"</button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        }
        .into_any()
    }
}
