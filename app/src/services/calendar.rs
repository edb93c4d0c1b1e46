//! The working-day calendar as the browser holds it.
//!
//! It starts from the schedules bundled into the app (so it works at once and
//! offline), then takes the server's schedules — which may include a year the
//! administrator loaded after this bundle was built, and the statutory
//! holidays the server computed for provisional (暂定) answers — and remembers
//! them in LocalStorage for the next offline start. Every API answer names the
//! server's calendar version (`X-Gongzhi-Calendar`): when it differs from the
//! one held, the schedules are fetched again, so a year loaded by the system
//! administrator reaches every open browser without a reload (at the next
//! API answer, or when the window regains focus).

use gloo_storage::{LocalStorage, Storage};
use gongzhi_api::SchedulesResponse;
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::WorkingDayCalendar;
use leptos::prelude::*;

const CACHE_KEY: &str = "gongzhi.calendar.schedules.v2";

/// Where the calendar in use came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarSource {
    /// Shipped inside the app.
    Bundled,
    /// The server's, remembered from an earlier visit.
    Cached,
    /// The server's, fetched just now.
    Server,
}

impl CalendarSource {
    pub fn label(self) -> &'static str {
        match self {
            CalendarSource::Bundled => "随程序发布的节假日安排(尚未与服务器同步)",
            CalendarSource::Cached => "上次从服务器同步的节假日安排(当前离线)",
            CalendarSource::Server => "服务器当前使用的节假日安排",
        }
    }
}

#[derive(Clone)]
pub struct CalendarState {
    pub calendar: WorkingDayCalendar,
    pub source: CalendarSource,
    /// The server's calendar version this copy was built from.
    pub version: String,
    /// The server's reminder of a year that should be loaded by now.
    pub reminder: Option<String>,
}

fn state_of(fresh: SchedulesResponse, source: CalendarSource) -> CalendarState {
    let mut calendar = WorkingDayCalendar::from_schedules(bundled_schedules().into_iter().chain(fresh.schedules));
    calendar.set_statutory(fresh.statutory);
    CalendarState { calendar, source, version: fresh.version, reminder: fresh.reminder }
}

/// Provides the calendar to every page; call once in the shell.
pub fn provide_calendar() {
    let initial = match LocalStorage::get::<SchedulesResponse>(CACHE_KEY) {
        Ok(cached) => state_of(cached, CalendarSource::Cached),
        Err(_) => CalendarState {
            calendar: WorkingDayCalendar::from_schedules(bundled_schedules()),
            source: CalendarSource::Bundled,
            version: String::new(),
            reminder: None,
        },
    };
    let state = RwSignal::new(initial);
    provide_context(state);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = fetch_schedules().await {
                let _ = LocalStorage::set(CACHE_KEY, &fresh);
                super::api::calendar_seen(&fresh.version);
                state.set(state_of(fresh, CalendarSource::Server));
            }
        })
    };
    super::api::on_calendar_change(Box::new(refresh));
    refresh();
    // A page left open (the calculator) asks again when it comes back into
    // view.
    let _ = window_event_listener(leptos::ev::focus, move |_| refresh());
}

pub fn use_calendar() -> RwSignal<CalendarState> {
    expect_context()
}

async fn fetch_schedules() -> Result<SchedulesResponse, gloo_net::Error> {
    let response = gloo_net::http::Request::get("/api/calendar/schedules").send().await?;
    if !response.ok() {
        return Err(gloo_net::Error::GlooError(format!("HTTP {}", response.status())));
    }
    response.json().await
}

/// The reminder that a year's schedule is missing (from 1 November for next
/// year), for the administrator's home page and the reviewers' queue.
#[component]
pub fn ScheduleReminder() -> impl IntoView {
    let calendar = use_calendar();
    move || {
        calendar.with(|c| c.reminder.clone()).map(|text| {
            view! { <div class="alert alert-warn" role="status" data-testid="schedule-reminder">{text}</div> }
        })
    }
}

/// Today's civil date in Asia/Shanghai (UTC+8, no daylight saving), whatever
/// the device's own time zone.
pub fn today_in_shanghai() -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64)
        .map(gongzhi_domain::time::shanghai_date)
        .unwrap_or_default()
}
