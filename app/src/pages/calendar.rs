//! 工作日计算: the due date N working days after a date, computed in the
//! browser by the domain crate as the user types — with the very messages the
//! API gives for the same input. A date reaching a year without a published
//! schedule is computed on its statutory holidays and shown as 暂定, naming
//! the year (as `GET /api/calendar/due?provisional=allow` answers).

use chrono::{Datelike, NaiveDate};
use gongzhi_domain::calendar::ScheduleDay;
use gongzhi_domain::{CalendarError, DomainError, DueDate, DueQuery, FieldError, Reckoned};
use leptos::prelude::*;

use crate::services::calendar::{today_in_shanghai, use_calendar};

/// What the form currently shows.
#[derive(Clone, PartialEq)]
enum Outcome {
    Invalid(Vec<FieldError>),
    Unknown(CalendarError),
    Due(Reckoned<DueDate>),
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let calendar = use_calendar();
    let session = crate::services::session::use_session();
    let from = RwSignal::new(today_in_shanghai().to_string());
    let days = RwSignal::new("15".to_string());

    let outcome = Memo::new(move |_| {
        let query = match DueQuery::parse(Some(&from.get()), Some(&days.get())) {
            Ok(q) => q,
            Err(errors) => return Outcome::Invalid(errors),
        };
        calendar.with(|c| match c.calendar.reckon(|cal| query.evaluate(cal)) {
            Ok(due) => Outcome::Due(due),
            Err(e) => Outcome::Unknown(e),
        })
    });
    let field_message = move |field: &'static str| {
        move || match outcome.get() {
            Outcome::Invalid(errors) => errors.iter().find(|e| e.field == field).map(DomainError::message),
            _ => None,
        }
    };
    let from_error = field_message("from");
    let days_error = field_message("working_days");

    view! {
        <section class="panel">
            <h1>"工作日计算"</h1>
            <p class="lead">
                "按国务院办公厅节假日安排计算:法定节假日不计,周末调休上班日计入;"
                "起算当日不计入,第 1 个工作日为其后的第一个工作日(《民法典》第二百零一条)。"
            </p>
            <form class="form-grid" on:submit=|ev| ev.prevent_default() novalidate>
                <div class="field">
                    <label for="from">"起算日期"</label>
                    <input
                        id="from"
                        name="from"
                        type="date"
                        prop:value=move || from.get()
                        on:input=move |ev| from.set(event_target_value(&ev))
                        aria-invalid=move || from_error().is_some().to_string()
                        aria-describedby="from-hint from-error"
                    />
                    <p id="from-hint" class="hint">"如受理日期;当日不计入"</p>
                    <p id="from-error" class="field-error" role="alert">{from_error}</p>
                </div>
                <div class="field">
                    <label for="working_days">"工作日天数"</label>
                    <input
                        id="working_days"
                        name="working_days"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="1000"
                        prop:value=move || days.get()
                        on:input=move |ev| days.set(event_target_value(&ev))
                        aria-invalid=move || days_error().is_some().to_string()
                        aria-describedby="days-hint days-error"
                    />
                    <p id="days-hint" class="hint">"准入审批时限为 15 个工作日"</p>
                    <p id="days-error" class="field-error" role="alert">{days_error}</p>
                </div>
            </form>
            <div class="result" aria-live="polite">{move || render_outcome(outcome.get())}</div>
            <LoadedYears />
        </section>
        {move || session.has_menu("holidays").then(|| view! { <crate::pages::holidays::HolidayAdmin /> })}
    }
}

fn render_outcome(outcome: Outcome) -> AnyView {
    match outcome {
        Outcome::Invalid(_) => view! {
            <p class="result-empty">"请按提示更正上面的内容。"</p>
        }
        .into_any(),
        Outcome::Unknown(e) => view! {
            <div class="alert alert-error" role="alert" data-code=e.code()>
                <strong>"无法计算"</strong>
                <p class="alert-message">{e.message()}</p>
            </div>
        }
        .into_any(),
        Outcome::Due(reckoned) => {
            let note = reckoned.note();
            let provisional = note.is_some();
            let due = reckoned.value;
            let counted = due.working_days;
            let holidays = holiday_ranges(&due.skipped_holidays);
            let make_up = due
                .make_up_working_days
                .iter()
                .map(|d| format!("{}({})", month_day(d.date), d.name))
                .collect::<Vec<_>>()
                .join("、");
            view! {
                <div class="due-card" data-provisional=provisional.to_string()>
                    <p class="due-label">
                        "截止日期"
                        {provisional.then(|| view! { " "<span class="badge badge-warn">"暂定"</span> })}
                    </p>
                    <p class="due-date" data-due=due.due.to_string()>{long_date(due.due)}</p>
                    {note.map(|n| view! { <p class="alert alert-warn" data-testid="provisional-note">{n}</p> })}
                    <p class="due-sub">
                        {format!("自 {}(当日不计)起第 {} 个工作日", due.from, counted)}
                    </p>
                    <dl class="due-facts">
                        <dt>"跨越自然日"</dt>
                        <dd>{format!("{} 天", due.calendar_days)}</dd>
                        <dt>"跳过周末"</dt>
                        <dd>{format!("{} 天", due.skipped_weekend_days)}</dd>
                        <dt>"跳过法定节假日"</dt>
                        <dd>
                            {if holidays.is_empty() {
                                "无".to_string()
                            } else {
                                format!("{} 天:{}", due.skipped_holidays.len(), holidays.join(";"))
                            }}
                        </dd>
                        <dt>"计入的调休上班日"</dt>
                        <dd>{if make_up.is_empty() { "无".to_string() } else { make_up }}</dd>
                    </dl>
                </div>
            }
            .into_any()
        }
    }
}

/// "已载入的节假日安排" line: which years the calendar knows, and where from.
#[component]
fn LoadedYears() -> impl IntoView {
    let calendar = use_calendar();
    let text = move || {
        calendar.with(|c| {
            let known = c.calendar.known_years();
            let unpublished: Vec<i32> = c.calendar.schedules().filter(|s| !s.is_published()).map(|s| s.year).collect();
            let provisional = c.calendar.provisional_years();
            let mut line = format!(
                "已载入节假日安排的年份:{}。",
                known.iter().map(|y| format!("{y} 年")).collect::<Vec<_>>().join("、")
            );
            if !unpublished.is_empty() {
                let years = unpublished.iter().map(i32::to_string).collect::<Vec<_>>().join("、");
                line.push_str(&if unpublished.iter().all(|y| provisional.contains(y)) {
                    format!("{years} 年安排尚未发布,涉及该年的期限按法定节假日暂定计算,公布后自动更正。")
                } else {
                    format!("{years} 年安排尚未发布,涉及该年的期限暂不能计算。")
                });
            }
            (line, c.source.label())
        })
    };
    view! {
        <aside class="loaded-years" data-testid="loaded-years">
            <p>{move || text().0}</p>
            <p class="hint">"数据来源:"{move || text().1}</p>
        </aside>
    }
}

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

fn long_date(d: NaiveDate) -> String {
    format!(
        "{} 年 {} 月 {} 日 星期{}",
        d.year(),
        d.month(),
        d.day(),
        WEEKDAYS[d.weekday().num_days_from_monday() as usize]
    )
}

fn month_day(d: NaiveDate) -> String {
    format!("{} 月 {} 日", d.month(), d.day())
}

/// Runs of consecutive days of the same holiday: "国庆节 10 月 1 日至 10 月 7 日".
fn holiday_ranges(days: &[ScheduleDay]) -> Vec<String> {
    let mut runs: Vec<(String, NaiveDate, NaiveDate)> = Vec::new();
    for day in days {
        match runs.last_mut() {
            Some((name, _, end)) if *name == day.name && end.succ_opt() == Some(day.date) => *end = day.date,
            _ => runs.push((day.name.clone(), day.date, day.date)),
        }
    }
    runs.into_iter()
        .map(|(name, start, end)| {
            if start == end {
                format!("{name} {}", month_day(start))
            } else {
                format!("{name} {}至 {}", month_day(start), month_day(end))
            }
        })
        .collect()
}
