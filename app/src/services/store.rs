//! What the tablet keeps in the browser's storage so a walk works without
//! network: the last copy of a page's data, read back when offline.

use std::cell::RefCell;

use gloo_storage::{LocalStorage, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Keeps `value` under `key` (best effort: a full storage only loses the copy).
pub fn keep<T: Serialize>(key: &str, value: &T) {
    let _ = LocalStorage::set(key, value);
}

pub fn kept<T: DeserializeOwned>(key: &str) -> Option<T> {
    LocalStorage::get(key).ok()
}

pub fn forget(key: &str) {
    LocalStorage::delete(key);
}

/// Whether the error means "no network" rather than "the server said no".
pub fn is_offline(e: &gongzhi_api::ApiError) -> bool {
    e.code == "network_error"
}

thread_local! {
    /// Whose copies are read and written: the signed-in login name.
    static OWNER: RefCell<String> = const { RefCell::new(String::new()) };
}

const CACHE: &str = "gongzhi.cache.";

/// Sets whose copies [`get_kept`] keeps and reads (the signed-in person).
pub fn set_owner(username: &str) {
    OWNER.with(|o| *o.borrow_mut() = username.to_string());
}

/// GETs `path`; keeps the answer, and gives the kept copy when the network
/// is down (`true` in the pair says the data is a kept copy). Copies are
/// kept per person: one person never reads another's, even offline.
pub async fn get_kept<T: Serialize + DeserializeOwned>(path: &str) -> Result<(T, bool), gongzhi_api::ApiError> {
    let key = own_key(path);
    match crate::services::api::get::<T>(path).await {
        Ok(v) => {
            keep(&key, &v);
            Ok((v, false))
        }
        Err(e) if is_offline(&e) => kept::<T>(&key).map(|v| (v, true)).ok_or(e),
        Err(e) => Err(e),
    }
}

/// The storage key of the signed-in person's copy named `name`: dropped at
/// sign-out and when someone else signs in ([`forget_kept_except`]).
pub fn own_key(name: &str) -> String {
    OWNER.with(|o| format!("{CACHE}{}/{name}", o.borrow()))
}

/// Drops every kept copy but `owner`'s (all of them for `""`): at sign-out,
/// and when someone else signs in on the same tablet, so nobody reads the
/// previous person's grid (names, special groups, addresses).
pub fn forget_kept_except(owner: &str) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
    let len = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..len).filter_map(|i| storage.key(i).ok().flatten()).collect();
    let mine = format!("{CACHE}{owner}/");
    for k in keys.into_iter().filter(|k| k.starts_with(CACHE) && (owner.is_empty() || !k.starts_with(&mine))) {
        let _ = storage.remove_item(&k);
    }
}
