//! What the tablet keeps in the browser's storage so a walk works without
//! network: the last copy of a page's data, read back when offline.

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

/// GETs `path`; keeps the answer, and gives the kept copy when the network
/// is down (`true` in the pair says the data is a kept copy).
pub async fn get_kept<T: Serialize + DeserializeOwned>(path: &str) -> Result<(T, bool), gongzhi_api::ApiError> {
    let key = format!("gongzhi.cache.{path}");
    match crate::services::api::get::<T>(path).await {
        Ok(v) => {
            keep(&key, &v);
            Ok((v, false))
        }
        Err(e) if is_offline(&e) => kept::<T>(&key).map(|v| (v, true)).ok_or(e),
        Err(e) => Err(e),
    }
}

/// Drops every kept copy (at sign-out: the next person on this tablet must
/// not read the last one's grid).
pub fn forget_kept() {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
    let len = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..len).filter_map(|i| storage.key(i).ok().flatten()).collect();
    for k in keys.into_iter().filter(|k| k.starts_with("gongzhi.cache.")) {
        let _ = storage.remove_item(&k);
    }
}
