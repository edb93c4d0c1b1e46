//! Non-visual parts of the app: the API client, the session, the catalogue
//! of sections and the working-day calendar kept in step with the server.

pub mod api;
pub mod calendar;
pub mod capabilities;
pub mod fixed;
pub mod outbox;
pub mod session;
pub mod signout;
pub mod store;
