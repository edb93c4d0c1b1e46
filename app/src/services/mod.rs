//! Non-visual parts of the app: the catalogue of capabilities and the
//! working-day calendar kept in step with the server.

pub mod calendar;
pub mod capabilities;
