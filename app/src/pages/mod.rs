pub mod calendar;
pub mod capability;
pub mod home;
pub mod not_found;
