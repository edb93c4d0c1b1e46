//! The leader publishes an item: the period (the one owed, filled in), the
//! title, the text and the documents posted with it; a financial item can
//! start from the system's own figures. Checked in the browser by the
//! domain's `PublicationInput::parse`, so the messages are the server's.

use gongzhi_api::disclosure::{DirectoryItemView, DisclosureBoard, DisclosureFigures};
use gongzhi_domain::disclosure::{Frequency, PublicationInput};
use leptos::prelude::*;

use super::board::{Board, H3, LINE};
use crate::components::form::{Checks, Input, Text};
use crate::services::api;
use crate::services::calendar::today_in_shanghai;

const FIELDS: &[&str] = &["item_id", "period", "title", "body", "attachments"];

#[component]
pub fn PublishForm(i: DirectoryItemView, b: Board) -> impl IntoView {
    let id = i.id;
    let frequency = Frequency::from_code(&i.frequency).unwrap_or(Frequency::AtOnce);
    let today = today_in_shanghai();
    let period = RwSignal::new(i.owed_key.clone().unwrap_or_default());
    let v: [RwSignal<String>; 3] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [title, body, attachments] = v;
    let input = move || PublicationInput {
        item_id: id.to_string(),
        period: if frequency == Frequency::AtOnce { String::new() } else { period.get() },
        title: title.get(),
        body: body.get(),
        attachments: attachments.get(),
    };
    let Checks { tried, server, errors } =
        Checks::new(move || input().parse(frequency, today).err().unwrap_or_default());
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.for_field(f)));
    let send = Action::new_local(move |body: &PublicationInput| {
        let body = body.clone();
        async move { api::send::<_, DisclosureBoard>("POST", "/api/disclosure/publications", &body).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(d)) => {
            let t = title.get_untracked().trim().to_string();
            b.publishing.set(None);
            b.done(d, format!("item-{id}"), format!("已公开:{t}"));
        }
        Some(Err(e)) => server.set(Some(e)),
        None => {}
    });
    // The system's own figures, to start from (an item without any: 404).
    let note = RwSignal::new(None::<String>);
    let figures = Action::new_local(move |_: &()| async move {
        api::get::<DisclosureFigures>(&format!("/api/disclosure/items/{id}/figures")).await
    });
    Effect::new(move |_| match figures.value().get() {
        Some(Ok(f)) => {
            title.set(f.title);
            body.set(f.body);
            note.set(Some("已用系统中的数据填写标题和内容,请核对、补充后再发布。".into()));
        }
        Some(Err(e)) if e.code == "not_found" => note.set(Some("系统中没有这一事项的数据,请自己填写。".into())),
        Some(Err(e)) => note.set(Some(e.message)),
        None => {}
    });
    let hint = match frequency {
        Frequency::Monthly => "按月公开:写“年-月”,例如 2026-11",
        Frequency::Quarterly => "按季度公开:写“年-Q季度”,例如 2026-Q3",
        _ => "按年公开:写年份,例如 2026",
    };
    let owed = i.owed_label.clone().map(|l| view! { <p style=LINE>{format!("本次应公开:{l}")}</p> });
    let period_field = (frequency != Frequency::AtOnce).then(|| {
        view! { <Input id=format!("pub-{id}-period") label="公开期间" value=period error=err("period") hint /> }
    });
    view! {
        <form class="form-grid" data-testid="disclosure-publish-form" novalidate style="margin-top:.75rem"
            aria-label=format!("发布“{}”的公开内容", i.item)
            on:submit=move |ev| {
                ev.prevent_default();
                if send.pending().get_untracked() {
                    return;
                }
                tried.set(true);
                server.set(None);
                if input().parse(frequency, today).is_ok() {
                    send.dispatch(input());
                }
            }>
            <div class="field-wide">
                <h4 style=H3>"发布公开内容"</h4>
                {owed}
                <p class="hint" style="font-size:1rem">"公开后不能修改;如需更正,请另发一条更正说明。"</p>
            </div>
            {period_field}
            <Input id=format!("pub-{id}-title") label="公开标题" value=title error=err("title") />
            <div class="field-wide">
                <button type="button" class="btn" data-testid="disclosure-figures" disabled=move || figures.pending().get()
                    on:click=move |_| { note.set(None); figures.dispatch(()); }>
                    {move || if figures.pending().get() { "正在读取…" } else { "用系统数据填写" }}
                </button>
                <p class="hint" role="status" style="font-size:1rem">{move || note.get()}</p>
            </div>
            <Text id=format!("pub-{id}-body") label="公开内容" value=body error=err("body") rows=8 />
            <Text id=format!("pub-{id}-attachments") label="附件(每行一个文件名或文号)" value=attachments
                error=err("attachments") />
            <div class="form-actions actions">
                <p class="form-error field-wide" role="alert" style="flex-basis:100%">{move || errors.with(|e| e.general(FIELDS))}</p>
                <button type="submit" class="btn btn-primary btn-large" data-testid="disclosure-publish-submit"
                    disabled=move || send.pending().get()>
                    {move || if send.pending().get() { "正在发布…" } else { "公开发布" }}
                </button>
                <button type="button" class="btn btn-large" on:click=move |_| b.publishing.set(None)>"取消"</button>
            </div>
        </form>
    }
}
