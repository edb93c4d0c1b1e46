//! Signing out on a shared tablet (共用平板): the person's copies go at once,
//! and the server session is ended as soon as the network allows.
//!
//! Signing out writes a marker first, then forgets the session and every
//! kept copy, then asks the server to end the session. While the marker
//! stands (the tablet was offline), the app resumes no session: at the next
//! start, or when the network returns, it ends the server session the cookie
//! still names (reading its CSRF token from `/api/auth/me`), then removes the
//! marker. The cookie is HttpOnly, so only the server can end it.

use gongzhi_api::SessionInfo;

use crate::services::{api, store};

const PENDING: &str = "gongzhi.signout_pending";

/// Whether a sign-out still waits for the server.
pub fn pending() -> bool {
    store::kept::<bool>(PENDING).unwrap_or(false)
}

/// Marks the sign-out (before anything else is forgotten, so a reload in
/// between cannot resume the session).
pub fn mark() {
    store::keep(PENDING, &true);
}

/// Ends the server session named by the cookie, if a sign-out is pending.
/// Returns whether nothing is pending any more.
pub async fn finish() -> bool {
    if !pending() {
        return true;
    }
    match api::post_empty("/api/auth/logout").await {
        Ok(()) => {}
        Err(e) if store::is_offline(&e) => return false,
        // The token in memory may be stale (a restart): ask the session its own.
        Err(e) if e.code == "csrf_token_invalid" => match api::get::<SessionInfo>("/api/auth/me").await {
            Ok(info) => {
                api::set_csrf(&info.csrf_token);
                if let Err(e) = api::post_empty("/api/auth/logout").await {
                    if store::is_offline(&e) {
                        return false;
                    }
                }
            }
            Err(e) if store::is_offline(&e) => return false,
            Err(_) => {}
        },
        // Not signed in any more, or already expired: nothing to end.
        Err(_) => {}
    }
    api::set_csrf("");
    store::forget(PENDING);
    true
}
