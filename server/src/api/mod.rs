//! API handlers, one module per capability.

pub mod accounts;
pub mod admission;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cleanup;
pub mod consultation;
pub mod disclosure;
pub mod events;
pub mod facilities;
pub mod funding;
pub mod grid;
pub mod grid_import;
pub mod open311;
pub mod open311_keys;
pub mod org;
pub mod participation;
pub mod poll;
pub mod purchase;
pub mod residents;
pub mod review;
pub mod seal;
pub mod seal_catalog;
pub mod security;
pub mod system;
pub mod visits;
