//! Talking to the Gongzhi API: JSON in and out, the CSRF token on every
//! state change, and every failure as an [`ApiError`] with a Chinese message.

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder, Response};
use gongzhi_api::ApiError;
use gongzhi_domain::RequestError;
use serde::de::DeserializeOwned;
use serde::Serialize;

thread_local! {
    /// The session's CSRF token (the app is single-threaded in the browser).
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
    /// The server's calendar version last seen, and what to do when it changes.
    static CALENDAR_SEEN: RefCell<String> = const { RefCell::new(String::new()) };
    static ON_CALENDAR_CHANGE: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Called once by the calendar service: `refresh` runs when an answer names
/// another calendar version than the one held.
pub fn on_calendar_change(refresh: Box<dyn Fn()>) {
    ON_CALENDAR_CHANGE.with(|c| *c.borrow_mut() = Some(refresh));
}

/// The calendar version now held.
pub fn calendar_seen(version: &str) {
    CALENDAR_SEEN.with(|c| *c.borrow_mut() = version.to_string());
}

fn check_calendar(response: &Response) {
    let Some(version) = response.headers().get(gongzhi_api::CALENDAR_VERSION_HEADER) else { return };
    let changed = CALENDAR_SEEN.with(|c| {
        let mut held = c.borrow_mut();
        (*held != version).then(|| *held = version)
    });
    if changed.is_some() {
        ON_CALENDAR_CHANGE.with(|c| {
            if let Some(refresh) = c.borrow().as_ref() {
                refresh();
            }
        });
    }
}

/// The session's CSRF token, for requests built by hand (file uploads).
pub fn csrf() -> String {
    CSRF.with(|c| c.borrow().clone())
}

pub fn set_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_string());
}

/// An error answer without a readable body.
pub fn http_error(response: &Response) -> ApiError {
    ApiError::from_domain(&RequestError::Http { status: response.status() })
}

pub fn network_error() -> ApiError {
    ApiError::from_domain(&RequestError::Network)
}

/// The answer's body as text, or the error the server gave. Not generic, so
/// every page shares one copy: only [`parse`] is made once per answer type
/// (a generic reader was about 6 KB raw per type, in every page's chunk).
pub(crate) async fn answer(response: Response) -> Result<String, ApiError> {
    check_calendar(&response);
    let status = response.status();
    let text = response.text().await;
    if response.ok() {
        return text.map_err(|_| ApiError::from_domain(&RequestError::BadResponse));
    }
    Err(text
        .ok()
        .and_then(|t| serde_json::from_str::<ApiError>(&t).ok())
        .unwrap_or_else(|| ApiError::from_domain(&RequestError::Http { status })))
}

/// Sends a request and reads its answer's text (not generic, as [`answer`]).
async fn exchange(request: Result<Request, ApiError>) -> Result<String, ApiError> {
    let response = request?.send().await.map_err(|_| network_error())?;
    answer(response).await
}

pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| ApiError::from_domain(&RequestError::BadResponse))
}

/// A fresh idempotency key (a UUID) for one record the user is creating: a
/// retried submit sends the same key, so the server creates one record.
pub fn new_key() -> String {
    web_sys::window().map(|w| w.crypto().map(|c| c.random_uuid()).unwrap_or_default()).unwrap_or_default()
}

/// `k=v&k=v` from the pairs whose value is not blank, values URI-encoded.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(v.trim()))))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    parse(&get_text(path).await?)
}

async fn get_text(path: &str) -> Result<String, ApiError> {
    let response = Request::get(path).send().await.map_err(|_| network_error())?;
    answer(response).await
}

fn with_csrf(builder: RequestBuilder) -> RequestBuilder {
    builder.header("X-CSRF-Token", &CSRF.with(|c| c.borrow().clone()))
}

/// POST or PUT a JSON body.
pub async fn send<B: Serialize, T: DeserializeOwned>(method: &str, path: &str, body: &B) -> Result<T, ApiError> {
    let builder = match method {
        "PUT" => Request::put(path),
        _ => Request::post(path),
    };
    let request = with_csrf(builder).json(body).map_err(|_| ApiError::from_domain(&RequestError::Unsendable));
    parse(&exchange(request).await?)
}

/// POST a file's text as it is (a holiday-cn schedule), JSON answer.
pub async fn post_text<T: DeserializeOwned>(path: &str, content_type: &str, text: String) -> Result<T, ApiError> {
    let request = with_csrf(Request::post(path))
        .header("Content-Type", content_type)
        .body(text)
        .map_err(|_| ApiError::from_domain(&RequestError::Unsendable));
    parse(&exchange(request).await?)
}

/// POST with no answer body expected (logout).
pub async fn post_empty(path: &str) -> Result<(), ApiError> {
    let response = with_csrf(Request::post(path)).send().await.map_err(|_| network_error())?;
    if response.ok() {
        Ok(())
    } else {
        Err(response.json::<ApiError>().await.unwrap_or_else(|_| http_error(&response)))
    }
}
