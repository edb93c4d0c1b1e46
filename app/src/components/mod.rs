pub mod form;
pub mod guard;
pub mod shell;
pub mod table;
