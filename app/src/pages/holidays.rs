//! 节假日安排 (system administrator): the years the calendar holds, and the
//! upload of a newly published year's schedule in holiday-cn format. The file
//! is checked in the browser by the domain crate as soon as it is picked —
//! every problem in Chinese, naming the field and the date — and again by the
//! server on import, which puts it in force at once for everyone and corrects
//! every provisional (暂定) deadline.

use gongzhi_api::ScheduleUploadResponse;
use gongzhi_domain::calendar_upload::{check_upload, upload_year};
use gongzhi_domain::{DomainError, HolidaySchedule};
use leptos::prelude::*;

use crate::components::guard::RequireMenu;
use crate::services::api;
use crate::services::calendar::{use_calendar, ScheduleReminder};

#[component]
pub fn HolidaysPage() -> impl IntoView {
    view! {
        <RequireMenu slug="holidays">
            <section class="panel">
                <h1>"节假日安排"</h1>
                <p class="lead">
                    "国务院办公厅公布新一年节假日安排后,在此导入(holiday-cn 格式的 JSON 文件)。导入后立即生效,无需重启;"
                    "按法定节假日暂定的截止日期自动重新计算,日期变动的逐件记录并审计。"
                </p>
                <ScheduleReminder />
                <Years />
            </section>
            <Upload />
        </RequireMenu>
    }
}

/// One line per year: published, or provisional on the statutory holidays.
#[component]
fn Years() -> impl IntoView {
    let calendar = use_calendar();
    move || {
        calendar.with(|c| {
            let mut rows: Vec<(i32, String)> = c
                .calendar
                .schedules()
                .filter(|s| s.is_published())
                .map(|s| (s.year, format!("已公布:{} 个调整日", s.days.len())))
                .collect();
            rows.extend(
                c.calendar.provisional_years().into_iter().map(|y| (y, "未公布:按法定节假日暂定计算".to_string())),
            );
            rows.sort();
            view! {
                <ul class="reasons" data-testid="holiday-years">
                    {rows.into_iter().map(|(y, t)| view! { <li>{format!("{y} 年 · {t}")}</li> }).collect_view()}
                </ul>
            }
        })
    }
}

#[component]
fn Upload() -> impl IntoView {
    let calendar = use_calendar();
    let chosen = RwSignal::new(None::<(String, String)>);
    let checked = Memo::new(move |_| {
        chosen.with(|c| {
            c.as_ref().map(|(_, text)| {
                calendar.with(|cal| {
                    check_upload(text, upload_year(text).and_then(|y| cal.calendar.statutory_of(y)))
                        .map_err(|p| p.iter().map(DomainError::message).collect::<Vec<_>>())
                })
            })
        })
    });
    let result = RwSignal::new(None::<Result<ScheduleUploadResponse, Vec<String>>>);
    let import = Action::new_local(move |_: &()| {
        let text = chosen.get_untracked().map(|(_, t)| t).unwrap_or_default();
        async move {
            let answer = api::post_text::<ScheduleUploadResponse>("/api/calendar/schedules", "application/json", text)
                .await
                .map_err(|e| {
                    if e.errors.is_empty() {
                        vec![e.message]
                    } else {
                        e.errors.into_iter().map(|p| p.message).collect()
                    }
                });
            result.set(Some(answer));
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        result.set(None);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
            chosen.set(Some((file.name(), text.unwrap_or_default())));
        });
    };
    let valid = move || matches!(checked.get(), Some(Ok(_)));
    view! {
        <section class="panel" data-testid="holiday-upload">
            <h2>"导入一年的节假日安排"</h2>
            <p class="hint">
                "文件格式:{\"year\": 2027, \"papers\": [\"通知网址\"], \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true}, …]}。"
                "days 只列与周一至周五不同的日子:放假日(isOffDay 为 true)和调休上班日(false)。"
                "检查:每个日期都在该年内、不重复、有节日名称,法定节假日均列为放假日。"
            </p>
            <div class="field file-field">
                <label class="btn btn-light" for="holiday-file">"选择文件"</label>
                <input id="holiday-file" class="file-input" type="file" accept=".json,application/json" on:change=on_change />
                <span class="file-name">{move || chosen.with(|c| c.as_ref().map(|(n, _)| n.clone())).unwrap_or_else(|| "未选择文件".into())}</span>
            </div>
            {move || checked.get().map(|r| match r {
                Ok(s) => view! { <p class="alert alert-ok" role="status" data-testid="holiday-check">{summary(&s)}</p> }.into_any(),
                Err(problems) => problem_list(format!("发现 {} 处问题,不能导入:", problems.len()), problems),
            })}
            <div class="form-actions">
                <button class="btn btn-primary" disabled=move || !valid() || import.pending().get()
                    on:click=move |_| { import.dispatch(()); }>"导入"</button>
            </div>
            {move || result.get().map(|r| match r {
                Ok(done) => done_view(done),
                Err(problems) => problem_list("服务器拒绝导入:".into(), problems),
            })}
        </section>
    }
}

fn summary(s: &HolidaySchedule) -> String {
    let off = s.days.iter().filter(|d| d.is_off_day).count();
    format!("检查通过:{} 年,放假 {off} 天,调休上班 {} 天。可以导入。", s.year, s.days.len() - off)
}

fn problem_list(head: String, problems: Vec<String>) -> AnyView {
    view! {
        <div class="alert alert-error" role="alert" data-testid="holiday-problems">
            <p><strong>{head}</strong></p>
            <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
        </div>
    }
    .into_any()
}

fn done_view(done: ScheduleUploadResponse) -> AnyView {
    view! {
        <div class="alert alert-ok" role="status" data-testid="holiday-result">
            <p>{format!(
                "已导入 {} 年节假日安排并立即生效。重新计算暂定截止日期 {} 件,其中日期变动 {} 件(已记入各件并审计):",
                done.year, done.recomputed, done.changes.len()
            )}</p>
            <ul>{done.changes.into_iter().map(|c| view! {
                <li>{format!("{}:{} → {}{}", c.label, c.old_due, c.new_due, if c.still_provisional { "(仍为暂定)" } else { "" })}</li>
            }).collect_view()}</ul>
        </div>
    }
    .into_any()
}
