//! 节假日安排 (system administrator, a section of the 工作日计算 page): the
//! years the calendar holds, and the
//! upload of a newly published year's schedule in holiday-cn format.
//! "检查文件" sends it with `?dry_run=true`: the server checks it with the
//! domain crate (`calendar_upload::check_upload`) and lists every problem in
//! Chinese, naming the field and the date, or the deadlines that would move;
//! "导入" puts it in force at once for everyone and corrects every provisional
//! (暂定) deadline. The check runs on the server only, to keep the office
//! bundle within its budget.

use gongzhi_api::ScheduleUploadResponse;
use leptos::prelude::*;

use crate::services::api;
use crate::services::calendar::{use_calendar, ScheduleReminder};

/// The system administrator's part of the 工作日计算 page (no route of its
/// own: a route costs the office bundle more than this section).
#[component]
pub fn HolidayAdmin() -> impl IntoView {
    let calendar = use_calendar();
    let years = move || {
        calendar.with(|c| {
            let list = |ys: Vec<i32>| ys.iter().map(|y| format!("{y} 年")).collect::<Vec<_>>().join("、");
            format!(
                "已公布并载入:{}。未公布、按法定节假日暂定计算:{}。",
                list(c.calendar.known_years()),
                list(c.calendar.provisional_years())
            )
        })
    };
    view! {
        <section class="panel" id="holidays" data-testid="holiday-upload">
            <h2>"节假日安排"</h2>
            <p class="lead">
                "国务院办公厅公布新一年节假日安排后,在此导入(holiday-cn 格式的 JSON 文件)。导入后立即生效,无需重启;"
                "按法定节假日暂定的截止日期自动重新计算,日期变动的逐件记录并审计。"
            </p>
            <ScheduleReminder />
            <p data-testid="holiday-years">{years}</p>
            <Upload />
        </section>
    }
}

type Outcome = Option<Result<ScheduleUploadResponse, Vec<String>>>;

/// Sends the chosen file: a check (`dry_run`) or the import. `file`: read it
/// first (just picked). One future type for both keeps the bundle small.
async fn send(
    file: Option<web_sys::File>,
    dry_run: bool,
    chosen: RwSignal<Option<(String, String)>>,
    result: RwSignal<Outcome>,
    busy: RwSignal<bool>,
) {
    busy.set(true);
    if let Some(file) = file {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
        chosen.set(Some((file.name(), text.unwrap_or_default())));
    }
    let text = chosen.get_untracked().map(|(_, t)| t).unwrap_or_default();
    let path = format!("/api/calendar/schedules?dry_run={dry_run}");
    let answer = api::post_text::<ScheduleUploadResponse>(&path, "application/json", text).await.map_err(|e| {
        if e.errors.is_empty() {
            vec![e.message]
        } else {
            e.errors.into_iter().map(|p| p.message).collect()
        }
    });
    result.set(Some(answer));
    busy.set(false);
}

#[component]
fn Upload() -> impl IntoView {
    let chosen = RwSignal::new(None::<(String, String)>);
    let result = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        result.set(None);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let file = input.files().and_then(|f| f.get(0));
        if file.is_some() {
            leptos::task::spawn_local(send(file, true, chosen, result, busy));
        }
    };
    let ready = move || matches!(result.get(), Some(Ok(ref r)) if !r.imported);
    view! {
        <div>
            <h3>"导入一年的节假日安排"</h3>
            <p class="hint">
                "文件格式:{\"year\": 2027, \"papers\": [\"通知网址\"], \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true}, …]}。"
                "days 只列与周一至周五不同的日子:放假日(isOffDay 为 true)和调休上班日(false)。"
                "选择文件后自动检查:每个日期都在该年内、不重复、有节日名称,法定节假日均列为放假日。"
            </p>
            <div class="field file-field">
                <label class="btn btn-light" for="holiday-file">"选择文件"</label>
                <input id="holiday-file" class="file-input" type="file" accept=".json,application/json" on:change=on_change />
                <span class="file-name">{move || chosen.with(|c| c.as_ref().map(|(n, _)| n.clone())).unwrap_or_else(|| "未选择文件".into())}</span>
            </div>
            <div class="form-actions">
                <button class="btn btn-primary" disabled=move || !ready() || busy.get()
                    on:click=move |_| leptos::task::spawn_local(send(None, false, chosen, result, busy))>"导入"</button>
            </div>
            {move || result.get().map(|r| match r {
                Ok(done) => done_view(done),
                Err(problems) => view! {
                    <div class="alert alert-error" role="alert" data-testid="holiday-problems">
                        <p><strong>{format!("发现 {} 处问题,不能导入:", problems.len())}</strong></p>
                        <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
            })}
        </div>
    }
}

fn done_view(done: ScheduleUploadResponse) -> AnyView {
    let head = if done.imported {
        format!(
            "已导入 {} 年节假日安排({} 天)并立即生效。重新计算暂定截止日期 {} 件,其中日期变动 {} 件(已记入各件并审计):",
            done.year,
            done.days,
            done.recomputed,
            done.changes.len()
        )
    } else {
        format!(
            "检查通过:{} 年,共 {} 天。导入后将重新计算暂定截止日期 {} 件,其中日期变动 {} 件:",
            done.year,
            done.days,
            done.recomputed,
            done.changes.len()
        )
    };
    let testid = if done.imported { "holiday-result" } else { "holiday-check" };
    view! {
        <div class="alert alert-ok" role="status" data-testid=testid>
            <p>{head}</p>
            <ul>{done.changes.into_iter().map(|c| view! {
                <li>{format!("{}:{} → {}{}", c.label, c.old_due, c.new_due, if c.still_provisional { "(仍为暂定)" } else { "" })}</li>
            }).collect_view()}</ul>
        </div>
    }
    .into_any()
}
