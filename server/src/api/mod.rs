//! API handlers, one module per capability.

pub mod calendar;
pub mod system;
