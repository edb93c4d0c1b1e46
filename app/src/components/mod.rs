pub mod form;
pub mod guard;
pub mod shell;
