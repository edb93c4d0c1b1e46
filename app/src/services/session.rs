//! Who is signed in, shared by every page.

use gongzhi_api::SessionInfo;
use leptos::prelude::*;

use crate::services::api;

/// The session: `None` until known, then `Some(None)` when signed out.
#[derive(Clone, Copy)]
pub struct SessionState(pub RwSignal<Option<Option<SessionInfo>>>);

impl SessionState {
    pub fn info(&self) -> Option<SessionInfo> {
        self.0.get().flatten()
    }

    pub fn set(&self, info: Option<SessionInfo>) {
        if let Some(i) = &info {
            api::set_csrf(&i.csrf_token);
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
    leptos::task::spawn_local(async move {
        state.set(api::get::<SessionInfo>("/api/auth/me").await.ok());
    });
}

pub fn use_session() -> SessionState {
    expect_context()
}
