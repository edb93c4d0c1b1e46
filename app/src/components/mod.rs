pub mod form;
pub mod guard;
pub mod keys;
pub mod loading;
pub mod shell;
pub mod table;
