//! The outbox (待同步): visits and events recorded on the tablet wait here,
//! in the browser's storage, until the server confirms them.
//!
//! - Each item carries the UUID made when it was recorded, as idempotency
//!   key: however often it is sent, the server stores it once.
//! - An item leaves the outbox only when the server answers 200/201 for it.
//! - The outbox is in `localStorage`, so it survives a reload, a closed tab
//!   and an app update; the app asks the browser to keep its storage
//!   (`navigator.storage.persist()`).
//! - It is sent on start, when the network comes back (`online`), after
//!   each new item, and every 30 seconds while anything waits.

use gongzhi_api::ApiError;
use leptos::prelude::*;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

/// A request body as JSON text, kept and sent as it is, never taken apart: a
/// `serde_json::Value` would bring its parser, printer and maps into the
/// tablet's main module (the outbox is read at start). `raw_value` is a
/// feature of the tablet bundle only (`field`): in the office bundle it would
/// make every other JSON answer's parsing larger, and the office bundle never
/// starts the outbox.
#[cfg(feature = "field")]
pub type Body = Box<serde_json::value::RawValue>;
#[cfg(not(feature = "field"))]
pub type Body = serde_json::Value;

#[cfg(feature = "field")]
fn to_body<B: Serialize>(body: &B) -> Body {
    serde_json::value::to_raw_value(body)
        .unwrap_or_else(|_| serde_json::value::RawValue::from_string("null".to_string()).expect("null is JSON"))
}
#[cfg(not(feature = "field"))]
fn to_body<B: Serialize>(body: &B) -> Body {
    serde_json::to_value(body).unwrap_or_default()
}

#[cfg(feature = "field")]
fn body_text(body: &Body) -> &str {
    body.get()
}
#[cfg(not(feature = "field"))]
fn body_text(body: &Body) -> String {
    body.to_string()
}

use crate::services::api;
use crate::services::session::{use_session, SessionState};
use crate::services::store::{is_offline, keep, kept};

const KEY: &str = "gongzhi.outbox";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Visit,
    Event,
}

impl Kind {
    fn path(&self) -> &'static str {
        match self {
            Kind::Visit => "/api/visits",
            Kind::Event => "/api/events",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Kind::Visit => "走访",
            Kind::Event => "事件",
        }
    }
}

/// One record waiting for the server.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Item {
    pub key: String,
    pub kind: Kind,
    /// The request body, idempotency key included.
    pub body: Body,
    /// A line for the person: whom or what it was about.
    pub summary: String,
    /// Shanghai time it was recorded, `MM-DD HH:MM`.
    pub recorded: String,
    /// The server refused it (a field was wrong): it stays, shown with the
    /// reason, until the person removes it — nothing is dropped silently.
    pub refused: Option<String>,
    /// For visits: the household, so the map shows it as visited meanwhile.
    pub household_id: Option<i64>,
    /// Who recorded it: sent only under that person's session, so a record
    /// is never attributed to whoever signs in next on a shared tablet.
    #[serde(default)]
    pub owner: String,
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
            && self.kind == other.kind
            && body_text(&self.body) == body_text(&other.body)
            && self.summary == other.summary
            && self.recorded == other.recorded
            && self.refused == other.refused
            && self.household_id == other.household_id
            && self.owner == other.owner
    }
}

impl Item {
    /// A record made at `at`; `key` is its idempotency key, also in `body`.
    pub fn new<B: Serialize>(
        kind: Kind,
        key: String,
        body: &B,
        summary: String,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let label = gongzhi_domain::time::shanghai_datetime(at);
        let body = to_body(body);
        Self {
            key,
            kind,
            body,
            summary,
            recorded: label.get(5..).unwrap_or(&label).to_string(),
            refused: None,
            household_id: None,
            owner: String::new(),
        }
    }
}

fn load() -> Vec<Item> {
    kept::<Vec<Item>>(KEY).unwrap_or_default()
}

fn save(items: &[Item]) {
    keep(KEY, &items);
}

/// The items of `owner` among `all`: each person on a shared tablet sees
/// only what they recorded (names, special groups, addresses), never
/// another's queue; the others' items wait, unshown, for their owner.
fn mine(all: &[Item], owner: &str) -> Vec<Item> {
    all.iter().filter(|x| !owner.is_empty() && x.owner == owner).cloned().collect()
}

/// The outbox as the pages see it.
#[derive(Clone, Copy)]
pub struct Outbox {
    session: SessionState,
    /// The signed-in person's items only.
    pub items: RwSignal<Vec<Item>>,
    pub syncing: RwSignal<bool>,
    /// Why the last sync stopped (offline, signed out), if it did.
    pub stalled: RwSignal<Option<String>>,
}

impl Outbox {
    pub fn waiting(&self) -> usize {
        self.items.with(|i| i.iter().filter(|x| x.refused.is_none()).count())
    }

    /// Adds a record (as the signed-in person's) and tries to send it at once.
    pub fn push(&self, mut item: Item) {
        item.owner = self.me();
        let mut all = load();
        if !all.iter().any(|x| x.key == item.key) {
            all.push(item);
        }
        save(&all);
        self.items.set(mine(&all, &self.me()));
        self.sync();
    }

    /// Removes a refused record the person has read.
    pub fn discard(&self, key: &str) {
        let mut all = load();
        all.retain(|x| x.key != key || x.owner != self.me());
        save(&all);
        self.items.set(mine(&all, &self.me()));
    }

    fn me(&self) -> String {
        self.session.0.with_untracked(|s| s.clone().flatten().map(|i| i.account.username).unwrap_or_default())
    }

    /// Sends what waits, oldest first; stops at the first network failure.
    pub fn sync(&self) {
        if self.syncing.get_untracked() {
            return;
        }
        let this = *self;
        let me = this.me();
        if me.is_empty() {
            return;
        }
        this.syncing.set(true);
        leptos::task::spawn_local(async move {
            let mut stalled = None;
            let pending = load();
            for item in pending.into_iter().filter(|x| x.refused.is_none() && x.owner == me) {
                let sent: Result<IgnoredAny, ApiError> = api::send("POST", item.kind.path(), &item.body).await;
                // Re-read: another tab may have changed the outbox meanwhile.
                let mut all = load();
                match sent {
                    Ok(_) => all.retain(|x| x.key != item.key),
                    Err(e) if is_offline(&e) => {
                        stalled = Some("网络未连接,恢复后自动同步。".to_string());
                    }
                    Err(e) if matches!(e.code.as_str(), "not_logged_in" | "session_expired" | "csrf_token_invalid") => {
                        stalled = Some("登录已过期,请重新登录后自动同步。".to_string());
                    }
                    Err(e) if e.code == "http_error" || e.code == "internal_error" || e.code == "bad_response" => {
                        stalled = Some(format!("服务器暂时无法处理({}),稍后自动重试。", e.message));
                    }
                    Err(e) => {
                        if let Some(x) = all.iter_mut().find(|x| x.key == item.key) {
                            x.refused = Some(e.message);
                        }
                    }
                }
                save(&all);
                this.items.set(mine(&all, &me));
                if stalled.is_some() {
                    break;
                }
            }
            this.stalled.set(stalled);
            this.syncing.set(false);
        });
    }
}

/// Provides the outbox, and sends it on start, on `online` and every 30 s.
pub fn provide_outbox() -> Outbox {
    let session = use_session();
    let outbox =
        Outbox { session, items: RwSignal::new(vec![]), syncing: RwSignal::new(false), stalled: RwSignal::new(None) };
    provide_context(outbox);
    ask_persistent_storage();
    let on_online = window_event_listener(leptos::ev::online, move |_| outbox.sync());
    // Kept for the app's lifetime.
    std::mem::forget(on_online);
    let interval = set_interval_with_handle(
        move || {
            if outbox.waiting() > 0 {
                outbox.sync();
            }
        },
        std::time::Duration::from_secs(30),
    );
    std::mem::forget(interval);
    // Show the signed-in person's items, and send them as soon as the
    // session is known (and again after each sign-in).
    Effect::new(move |_| {
        let me = session.info().map(|i| i.account.username).unwrap_or_default();
        outbox.items.set(mine(&load(), &me));
        if !me.is_empty() {
            outbox.sync();
        }
    });
    outbox
}

pub fn use_outbox() -> Outbox {
    expect_context()
}

/// Asks the browser not to evict this site's storage under pressure, so a
/// queue of unsent visits is not lost (Chrome grants it to installed or
/// much-used sites; refusing is not an error).
fn ask_persistent_storage() {
    if let Some(w) = web_sys::window() {
        let storage = w.navigator().storage();
        if let Ok(promise) = storage.persist() {
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}

/// The device's clock now (the time a record is made).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}
