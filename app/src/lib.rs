//! Gongzhi (共治) browser app, built as three bundles from one library:
//!
//! - the office bundle (`src/main.rs`, [`app::App`]): every office page;
//! - the tablet bundle (`src/bin/gongzhi-field.rs`, [`field::FieldApp`]): only
//!   the pages a community worker uses in the street, so that a tablet on a
//!   slow network downloads far less. The server serves it for the paths in
//!   [`gongzhi_api::bundle_of`], from the page table; any other page is loaded from the server,
//!   which answers with the office bundle;
//! - the residents' bundle (`src/bin/gongzhi-resident.rs`,
//!   [`resident::ResidentApp`]): the pages residents open on a phone (and the
//!   staff pages of the same work), so that a resident's first page stays
//!   small however many office pages there are.
//!
//! Every page is a lazy route (`pages::lazy`), split into its own wasm chunk
//! by `scripts/split-wasm.sh`; the pages are listed once, in
//! `gongzhi_api::pages`. The features `office`, `field` and `resident` choose the
//! bundle a build carries.

#[cfg(feature = "office")]
pub mod app;
pub mod components;
#[cfg(feature = "field")]
pub mod field;
pub mod pages;
#[cfg(feature = "resident")]
pub mod resident;
pub mod services;
