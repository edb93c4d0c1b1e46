//! The working-day calendar as the browser holds it.
//!
//! It starts from the schedules bundled into the app (so it works at once and
//! offline), then takes the server's schedules — which may include a year an
//! operator added after this bundle was built — and remembers them in
//! LocalStorage for the next offline start.

use gloo_storage::{LocalStorage, Storage};
use gongzhi_api::SchedulesResponse;
use gongzhi_domain::bundled::bundled_schedules;
use gongzhi_domain::WorkingDayCalendar;
use leptos::prelude::*;

const CACHE_KEY: &str = "gongzhi.calendar.schedules.v1";

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
}

/// Provides the calendar to every page; call once in the shell.
pub fn provide_calendar() {
    let initial = match LocalStorage::get::<SchedulesResponse>(CACHE_KEY) {
        Ok(cached) => CalendarState {
            calendar: WorkingDayCalendar::from_schedules(bundled_schedules().into_iter().chain(cached.schedules)),
            source: CalendarSource::Cached,
        },
        Err(_) => CalendarState {
            calendar: WorkingDayCalendar::from_schedules(bundled_schedules()),
            source: CalendarSource::Bundled,
        },
    };
    let state = RwSignal::new(initial);
    provide_context(state);
    leptos::task::spawn_local(async move {
        if let Ok(fresh) = fetch_schedules().await {
            let _ = LocalStorage::set(CACHE_KEY, &fresh);
            state.set(CalendarState {
                calendar: WorkingDayCalendar::from_schedules(bundled_schedules().into_iter().chain(fresh.schedules)),
                source: CalendarSource::Server,
            });
        }
    });
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

/// Today's civil date in Asia/Shanghai (UTC+8, no daylight saving), whatever
/// the device's own time zone.
pub fn today_in_shanghai() -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64)
        .map(gongzhi_domain::time::shanghai_date)
        .unwrap_or_default()
}
