//! Gongzhi (共治) browser app, built as two bundles from one library:
//!
//! - the office bundle (`src/main.rs`, [`app::App`]): every page;
//! - the tablet bundle (`src/bin/gongzhi-field.rs`, [`field::FieldApp`]): only
//!   the pages a community worker uses in the street, so that a tablet on a
//!   slow network downloads far less. The server serves it for the paths in
//!   [`gongzhi_api::FIELD_PATHS`]; any other page is loaded from the server,
//!   which answers with the office bundle.

pub mod app;
pub mod components;
pub mod field;
pub mod pages;
pub mod services;
