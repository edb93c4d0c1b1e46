//! 百姓定实事 (residents decide the practical projects), plan §二(二)3. These
//! pages are the residents' bundle's (`app/src/resident.rs`): a resident opens
//! them on a phone (360 px and up), community staff on a desktop.
//!
//! - [`rounds`]: `/participation`, the rounds the account can see.
//! - [`round`]: `/participation/rounds/:id`, one round: its phase, proposals
//!   and their outcomes, candidates, result and the delivered projects (with
//!   progress and ratings).
//! - [`propose`]: `/participation/rounds/:id/propose`, a proposal (a resident,
//!   or a grid member on a resident's behalf).
//! - [`ballot`]: `/participation/rounds/:id/ballot`, a resident's ballot.
//! - `shared`: the round's id and detail, money in 元, the breadcrumb.
//! - [`staff`]: the staff pages behind one route type (new round, screening,
//!   paper ballots, delivery).

pub mod ballot;
pub mod propose;
pub mod round;
pub mod rounds;
mod shared;
pub mod staff;
