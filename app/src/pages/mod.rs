pub mod accounts;
pub mod admission;
pub mod audit;
pub mod calendar;
pub mod capability;
pub mod cleanup;
pub mod disclosure;
pub mod events;
pub mod facilities;
pub mod funding;
pub mod grid;
pub mod holidays;
pub mod home;
pub mod lazy;
pub mod login;
pub mod not_found;
pub mod open311_keys;
pub mod org;
pub mod participation;
pub mod password;
// 民意调查 is the residents' bundle's only: compiled into no other bundle, so
// it cannot move their first loads (it did: /admission 190.0 → 190.3 br).
#[cfg(feature = "resident")]
pub mod poll;
// 物业联建 likewise: the residents' bundle's only.
#[cfg(feature = "resident")]
pub mod property;
pub mod purchases;
// Only the field bundle has the register's page: compiled into no other
// bundle, so its changes cannot move their first loads.
#[cfg(feature = "field")]
pub mod residents;
pub mod review;
pub mod seal;
pub mod seal_catalog;
pub mod security;
pub mod self_government;
pub mod totp;
