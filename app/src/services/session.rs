//! Who is signed in, shared by every page.

use gongzhi_api::SessionInfo;
use leptos::prelude::*;

use crate::services::{api, signout, store};

/// Where the last session is kept for offline use.
const KEPT: &str = "gongzhi.session";

/// The session: `None` until known, then `Some(None)` when signed out.
#[derive(Clone, Copy)]
pub struct SessionState(pub RwSignal<Option<Option<SessionInfo>>>);

impl SessionState {
    pub fn info(&self) -> Option<SessionInfo> {
        self.0.get().flatten()
    }

    pub fn set(&self, info: Option<SessionInfo>) {
        match &info {
            Some(i) => {
                api::set_csrf(&i.csrf_token);
                store::keep(KEPT, i);
                // Copies another person kept on this tablet are not for this one.
                store::set_owner(&i.account.username);
                store::forget_kept_except(&i.account.username);
            }
            None => {
                store::forget(KEPT);
                store::forget_kept_except("");
                store::set_owner("");
            }
        }
        self.0.set(Some(info));
    }

    /// Whether the signed-in role works in section `slug`.
    pub fn has_menu(&self, slug: &str) -> bool {
        self.0.with(|s| s.as_ref().and_then(Option::as_ref).is_some_and(|i| i.menus.iter().any(|m| m == slug)))
    }

    pub fn is_known(&self) -> bool {
        self.0.with(Option::is_some)
    }
}

/// Provides the session and asks the server who is signed in.
pub fn provide_session() {
    let state = SessionState(RwSignal::new(None));
    provide_context(state);
    // A sign-out that could not reach the server is finished when the
    // network comes back; until then nobody is signed in.
    let on_online = window_event_listener(leptos::ev::online, move |_| {
        if signout::pending() {
            leptos::task::spawn_local(async move {
                signout::finish().await;
            });
        }
    });
    std::mem::forget(on_online);
    leptos::task::spawn_local(async move {
        if signout::pending() {
            signout::finish().await;
            state.set(None);
            return;
        }
        // Offline, the tablet goes on with the last known session; the server
        // still checks the real one when the outbox is sent.
        match api::get::<SessionInfo>("/api/auth/me").await {
            // A session still waiting for its code signs in again.
            Ok(info) if info.second_factor.as_deref() == Some(gongzhi_api::SECOND_FACTOR_REQUIRED) => state.set(None),
            Ok(info) => state.set(Some(info)),
            Err(e) if store::is_offline(&e) => state.set(store::kept::<SessionInfo>(KEPT)),
            Err(_) => {
                store::forget(KEPT);
                state.set(None);
            }
        }
    });
}

pub fn use_session() -> SessionState {
    expect_context()
}

/// The signed-in account's role code (`resident`, `grid_member`, …).
pub fn role() -> String {
    use_session().info().map(|i| i.account.role).unwrap_or_default()
}
