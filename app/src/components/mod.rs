pub mod confirm;
pub mod form;
pub mod guard;
pub mod keys;
pub mod loading;
pub mod outbox_bar;
pub mod shell;
pub mod table;
