//! The directory (公开目录): a card per item — what it discloses, on what
//! basis, how often, where and by whom, and what it owes today. The leader
//! adopts the common directory, adds items and opens an item's publication
//! form.

use gongzhi_api::disclosure::{DirectoryItemView, DisclosureBoard};
use gongzhi_domain::disclosure::{DirectoryItemInput, DisclosureChannel, Frequency};
use leptos::prelude::*;

use super::board::{mark, Board, H3, LINE};
use super::publish::PublishForm;
use crate::components::form::{Area, Checks, Choice, TextField};
use crate::services::api;

const FIELDS: &[&str] = &["item", "content", "basis", "frequency", "channels", "owner"];

#[component]
pub fn Directory(b: Board) -> impl IntoView {
    let items = move || b.with(|d| d.items.clone()).unwrap_or_default();
    let empty = b.flag(|d| d.items.is_empty());
    let adopt = b.flag(|d| d.can_manage && !d.has_directory);
    let manage = b.flag(|d| d.can_manage);
    view! {
        <section class="panel" data-testid="disclosure-directory">
            <h2>"公开目录"</h2>
            <p class="hint" style="font-size:1rem;margin:0 0 .75rem">"每一项写明公开什么、依据什么、多久公开一次、在哪里公开、由谁负责,以及现在是否按时公开了。"</p>
            {move || (empty.get() && !adopt.get()).then(|| view! { <p class="empty">"本社区还没有建立公开目录。"</p> })}
            {move || adopt.get().then(|| view! { <Adopt b /> })}
            {b.notice_at("directory".into())}
            <ul class="grid-cards" style="list-style:none;margin:0;padding:0">
                <For
                    each=items
                    key=|i| (i.id, i.owed_key.clone(), i.overdue, i.due_on, i.last_published_on)
                    children=move |i| view! { <ItemCard i b /> }
                />
            </ul>
        </section>
        {move || manage.get().then(|| view! { <AddItem b /> })}
    }
}

/// What an item owes today, in words (the overdue ones red, marked and
/// saying 逾期).
fn state_line(i: &DirectoryItemView) -> AnyView {
    let due = format!(
        "{}{}",
        i.due_on.map(|d| d.to_string()).unwrap_or_default(),
        if i.due_provisional { "(暂定)" } else { "" }
    );
    let last = i.last_published_on;
    let (text, style) = match (&i.owed_label, i.overdue) {
        (Some(owed), true) => {
            return view! {
                <p data-testid="disclosure-item-state" data-state="overdue"
                    style="margin:.3rem 0;color:#991b1b;font-weight:700">
                    {mark()}{format!("已逾期:{owed} 应于 {due} 前公开")}
                </p>
            }
            .into_any();
        }
        (Some(owed), false) => (format!("应公开:{owed},截止 {due}"), "owed"),
        (None, _) if i.frequency == Frequency::AtOnce.code() => (
            match last {
                Some(d) => format!("即时公开(最近 {d})"),
                None => "即时公开".to_string(),
            },
            "at_once",
        ),
        (None, _) => (
            match last {
                Some(d) => format!("已按期公开(最近 {d})"),
                None => "第一个公开期间还没有结束".to_string(),
            },
            "done",
        ),
    };
    let colour = if style == "owed" { "color:#92400e;font-weight:700" } else { "color:#166534;font-weight:600" };
    view! {
        <p data-testid="disclosure-item-state" data-state=style style=format!("margin:.3rem 0;{colour}")>{text}</p>
    }
    .into_any()
}

#[component]
fn ItemCard(i: DirectoryItemView, b: Board) -> impl IntoView {
    let id = i.id;
    let open = Memo::new(move |_| b.publishing.get() == Some(id));
    let manage = untrack(|| b.with(|d| d.can_manage)).unwrap_or(false);
    let state = state_line(&i);
    let facts = view! {
        <dl class="facts" style="margin:.5rem 0;gap:.25rem .75rem;overflow-wrap:anywhere">
            <dt>"应公开内容"</dt><dd>{i.content.clone()}</dd>
            <dt>"公开依据"</dt><dd>{i.basis.clone()}</dd>
            <dt>"公开频次"</dt><dd>{i.frequency_label.clone()}</dd>
            <dt>"公开渠道"</dt><dd>{i.channels_label.clone()}</dd>
            <dt>"责任人"</dt><dd>{i.owner.clone()}</dd>
        </dl>
    };
    let (heading, title) = (i.item.clone(), i.item.clone());
    let publish = manage.then_some(move || {
        if open.get() {
            view! { <PublishForm i=i.clone() b /> }.into_any()
        } else {
            let label = format!("发布“{title}”的公开内容");
            view! {
                <button type="button" class="btn btn-primary btn-block" data-testid="disclosure-publish" aria-label=label
                    on:click=move |_| { b.quiet(); b.publishing.set(Some(id)); }>"发布"</button>
            }
            .into_any()
        }
    });
    view! {
        <li class="grid-card" data-testid="disclosure-item" data-item-id=id.to_string()
            style=move || if open.get() { "grid-column:1/-1;min-width:0" } else { "min-width:0" }>
            <h3 style=H3>{heading}</h3>
            {state}
            {facts}
            {b.notice_at(format!("item-{id}"))}
            {publish}
        </li>
    }
}

/// “采用常用公开目录”: the common directory, for a community without one.
#[component]
fn Adopt(b: Board) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let send = Action::new_local(|_: &()| async {
        api::send::<_, DisclosureBoard>("POST", "/api/disclosure/directory/defaults", &serde_json::Map::new()).await
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let n = d.items.len();
            b.done(d, "directory".into(), format!("已采用常用公开目录,共 {n} 项。可以再增加本社区的事项。"));
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    view! {
        <div class="notice" style="margin-bottom:.75rem" data-testid="disclosure-adopt-panel">
            <p style=LINE>"常用公开目录包括居委会成员分工、居民会议决定、社区经费收支、准入事项及经费、民生实事、社会救助、协商议事结果和公益设施收益等事项。采用后可以再增加事项。"</p>
            <button type="button" class="btn btn-primary btn-large" style="white-space:normal;margin-top:.5rem"
                data-testid="disclosure-adopt" disabled=move || send.pending().get()
                on:click=move |_| { error.set(None); b.quiet(); send.dispatch(()); }>
                {move || if send.pending().get() { "正在采用…" } else { "采用常用公开目录" }}
            </button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// “增加公开事项”: one more item of the directory.
#[component]
fn AddItem(b: Board) -> impl IntoView {
    let v: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [item, content, basis, frequency, owner] = v;
    let all = || DisclosureChannel::ALL.iter().map(|c| c.code().to_string()).collect::<Vec<_>>();
    let channels = RwSignal::new(all());
    let input = move || DirectoryItemInput {
        item: item.get(),
        content: content.get(),
        basis: basis.get(),
        frequency: frequency.get(),
        channels: channels.get(),
        owner: owner.get(),
    };
    let Checks { tried, server, errors } = Checks::new(move || input().parse().err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &DirectoryItemInput| {
        let body = body.clone();
        async move { api::send::<_, DisclosureBoard>("POST", "/api/disclosure/items", &body).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let name = item.get_untracked().trim().to_string();
            for s in v {
                s.set(String::new());
            }
            channels.set(all());
            tried.set(false);
            b.done(d, "add".into(), format!("已增加公开事项“{name}”。"));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    let frequencies =
        Signal::derive(|| Frequency::ALL.iter().map(|f| (f.code().to_string(), f.label().to_string())).collect());
    let boxes = DisclosureChannel::ALL
        .iter()
        .map(|c| {
            let code = c.code();
            view! {
                <label class="choice">
                    <input type="checkbox" name="channels" value=code
                        prop:checked=move || channels.with(|v| v.iter().any(|x| x == code))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let now = channels.get_untracked();
                            channels.set(
                                DisclosureChannel::ALL
                                    .iter()
                                    .map(|c| c.code())
                                    .filter(|x| if *x == code { on } else { now.iter().any(|n| n == x) })
                                    .map(str::to_string)
                                    .collect(),
                            );
                        } />
                    {c.label()}
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="panel" data-testid="disclosure-add-item">
            <h2>"增加公开事项"</h2>
            {b.notice_at("add".into())}
            <form class="form-grid" data-testid="disclosure-item-form" novalidate on:submit=move |ev| {
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
                <TextField id="item" label="公开事项" value=item error=err("item") hint="例如“社区停车收费收支”" />
                <TextField id="owner" label="责任人(部门)" value=owner error=err("owner") hint="例如“社区报账员”" />
                <Area id="content" label="应公开内容" value=content error=err("content") rows=3 />
                <TextField id="basis" label="公开依据" value=basis error=err("basis") hint="法律、政策或居民会议决定" />
                <Choice id="frequency".to_string() label="公开频次" value=frequency options=frequencies error=err("frequency") blank=true />
                <fieldset class="field-wide" aria-describedby="channels-error" style="border:0;padding:0;margin:0;min-width:0">
                    <legend style="font-weight:600;margin-bottom:.3rem">"公开渠道(可多选)"</legend>
                    <div class="choice-row">{boxes}</div>
                    <p id="channels-error" class="field-error" role="alert">{move || err("channels").get()}</p>
                </fieldset>
                <div class="form-actions">
                    <p class="form-error" role="alert">{move || errors.with(|e| e.general(FIELDS))}</p>
                    <button type="submit" class="btn btn-primary btn-large" data-testid="disclosure-item-submit"
                        disabled=move || send.pending().get()>
                        {move || if send.pending().get() { "正在保存…" } else { "增加到公开目录" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
