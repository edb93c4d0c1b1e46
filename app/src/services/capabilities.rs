//! The capabilities of the work plan and the menu entries: one table,
//! `gongzhi_api::pages`, shared with the server.

pub use gongzhi_api::pages::{capability_path, find_capability as find, section, Capability, CAPABILITIES};
