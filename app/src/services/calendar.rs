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
use serde::Deserialize;

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

/// What the shell holds: the server's schedules as they came (JSON text),
/// read only for their version and reminder. The calendar itself is built
/// when a page first asks for it ([`use_calendar`]): only the calendar pages
/// call that, so the calendar's code (the schedules' parsing, the bundled
/// data set's, the working-day rules) lives in their chunks, not in the main
/// module every first visit downloads.
#[derive(Clone)]
struct Feed {
    /// The server's answer (`SchedulesResponse` as JSON); none: the bundled
    /// schedules only.
    text: Option<String>,
    source: CalendarSource,
    reminder: Option<String>,
    /// Counts the answers taken, so the built calendar knows it is stale.
    generation: u32,
}

/// The two fields of [`SchedulesResponse`] the shell needs.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    version: String,
    #[serde(default)]
    reminder: Option<String>,
}

#[derive(Clone)]
struct CalendarHolder {
    feed: RwSignal<Feed>,
    /// The shell's owner: the calendar built for a page outlives the page.
    owner: Owner,
    built: StoredValue<Option<(RwSignal<CalendarState>, StoredValue<u32>)>>,
}

fn bundled_state() -> CalendarState {
    CalendarState {
        calendar: WorkingDayCalendar::from_schedules(bundled_schedules()),
        source: CalendarSource::Bundled,
        version: String::new(),
        reminder: None,
    }
}

fn state_of(feed: &Feed) -> CalendarState {
    let Some(fresh) = feed.text.as_deref().and_then(|text| serde_json::from_str::<SchedulesResponse>(text).ok()) else {
        return bundled_state();
    };
    let mut calendar = WorkingDayCalendar::from_schedules(bundled_schedules().into_iter().chain(fresh.schedules));
    calendar.set_statutory(fresh.statutory);
    CalendarState { calendar, source: feed.source, version: fresh.version, reminder: fresh.reminder }
}

/// Provides the calendar to every page; call once in the shell.
pub fn provide_calendar() {
    let cached = LocalStorage::raw().get_item(CACHE_KEY).ok().flatten();
    let initial = match cached.as_deref().map(serde_json::from_str::<Head>) {
        Some(Ok(head)) => Feed { text: cached, source: CalendarSource::Cached, reminder: head.reminder, generation: 0 },
        _ => Feed { text: None, source: CalendarSource::Bundled, reminder: None, generation: 0 },
    };
    let feed = RwSignal::new(initial);
    provide_context(CalendarHolder {
        feed,
        owner: Owner::current().expect("the shell has an owner"),
        built: StoredValue::new(None),
    });
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok((text, head)) = fetch_schedules().await {
                let _ = LocalStorage::raw().set_item(CACHE_KEY, &text);
                super::api::calendar_seen(&head.version);
                feed.update(|f| {
                    *f = Feed {
                        text: Some(text),
                        source: CalendarSource::Server,
                        reminder: head.reminder,
                        generation: f.generation.wrapping_add(1),
                    }
                });
            }
        })
    };
    super::api::on_calendar_change(Box::new(refresh));
    refresh();
    // A page left open (the calculator) asks again when it comes back into
    // view.
    let _ = window_event_listener(leptos::ev::focus, move |_| refresh());
}

/// The calendar, built on the first call from what the shell holds and
/// rebuilt whenever the shell takes a new answer from the server.
pub fn use_calendar() -> RwSignal<CalendarState> {
    let holder = expect_context::<CalendarHolder>();
    if let Some((state, _)) = holder.built.get_value() {
        return state;
    }
    let feed = holder.feed;
    let built = holder.owner.with(|| {
        let (state, generation) = feed.with_untracked(|f| (RwSignal::new(state_of(f)), StoredValue::new(f.generation)));
        Effect::new(move |_| {
            let stale = feed.with(|f| f.generation != generation.get_value());
            if stale {
                let (next, g) = feed.with_untracked(|f| (state_of(f), f.generation));
                generation.set_value(g);
                state.set(next);
            }
        });
        (state, generation)
    });
    holder.built.set_value(Some(built));
    built.0
}

/// The server's schedules as text, with the fields the shell reads.
async fn fetch_schedules() -> Result<(String, Head), ()> {
    let response = gloo_net::http::Request::get("/api/calendar/schedules").send().await.map_err(|_| ())?;
    if !response.ok() {
        return Err(());
    }
    let text = response.text().await.map_err(|_| ())?;
    let head = serde_json::from_str::<Head>(&text).map_err(|_| ())?;
    Ok((text, head))
}

/// The reminder that a year's schedule is missing (from 1 November for next
/// year), for the administrator's home page and the reviewers' queue.
#[component]
pub fn ScheduleReminder() -> impl IntoView {
    let calendar = expect_context::<CalendarHolder>();
    move || {
        calendar.feed.with(|f| f.reminder.clone()).map(|text| {
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
