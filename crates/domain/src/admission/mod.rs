//! Work-item admission (社区工作事项准入) — plan §二(一)1.
//!
//! Departments that want to push a work item into communities apply with the
//! form 《xx市职能部门工作进入城市社区准入审批表》 to the organisation and
//! civil-affairs departments at their level; after consulting related
//! departments and soliciting opinions, the community-governance leading group
//! decides, and the answer reaches the applicant within 15 working days
//! ("原则上"). Items that law, regulation or rules — or the higher-level party
//! committee or government — expressly require are registered (备案) instead.
//! After admission the department sends staff to guide and train community
//! workers.
//!
//! - [`application`]: the form, parsed ([`AdmissionApplication`]).
//! - [`flow`]: the lifecycle state machine ([`AdmissionStatus`], [`check`]).
//! - [`clock`]: the 15-working-day clock, extensions, due-soon and overdue.
//! - [`negative_list`]: matters communities must not take on (负面清单).
//! - [`steps`]: the small forms of the review (opinions, decision, training).

pub mod application;
pub mod clock;
pub mod flow;
pub mod negative_list;
pub mod steps;

pub use application::{
    AdmissionApplication, AdmissionApplicationInput, AdmissionPath, CommunityScope, ExemptGround, FundingPeriod,
    FundingPlan, ParseContext, Trainer, APPLICATION_FIELDS,
};
pub use clock::{AdmissionClock, DueState, Extension, ExtensionInput};
pub use flow::{
    actions_for, allowed_actions, check, AdmissionAction, AdmissionFlowError, AdmissionStatus, FileFacts, Standing,
};
pub use negative_list::{NegativeList, NegativeMatch};
