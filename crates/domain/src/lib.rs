//! # gongzhi-domain — the rules of Gongzhi (共治)
//!
//! Pure domain logic for the city's community-governance system. This crate
//! does **no I/O** and knows no HTTP, SQL or DOM: it is compiled both into the
//! browser app (`wasm32-unknown-unknown`) and into the API server, so that a
//! rule — and the Chinese message it gives when broken — is decided by the same
//! code on both sides.
//!
//! Modules:
//! - [`error`]: the [`DomainError`] trait every error enum implements (stable
//!   code, field, Chinese message) and [`FieldError`], the shared vocabulary of
//!   "this field is wrong" with its Chinese texts in one place.
//! - [`calendar`]: the working-day calendar (工作日历) on the State Council
//!   holiday schedule, including weekend make-up working days (调休).
//!   Years without a published schedule get provisional (暂定) answers on the
//!   statutory holidays, always flagged ([`calendar::Reckoned`]).
//! - [`calendar_upload`]: checking a year's schedule uploaded by the administrator.
//! - `statutory` (feature `statutory`): the statutory holidays of a year from
//!   《全国年节及纪念日放假办法》, lunar dates by `tyme4rs`.
//! - [`bundled`]: the State Council schedules shipped with the system.
//! - [`org`]: the organisation tree 市 → 县(区) → 乡镇(街道) → 社区 → 网格, roles
//!   (三员分立 among them) and scope by [`org::OrgPath`].
//! - [`auth`]: password policy, lockout, session lifetimes, login errors.
//! - [`pii`]: resident ID numbers (GB 11643) and phone numbers, parsed and masked.
//! - [`chain`]: hash chains (tamper-evident append-only logs) and their verifier.
//! - [`audit`]: the audit trail's entries on a chain.
//! - [`seal`]: community seal (社区印章) rules: the certificate-matter catalogue and
//!   the decision with every reason to refuse.
//! - [`admission`]: work-item admission (社区工作事项准入): the application form,
//!   its lifecycle, the 15-working-day clock and the negative list.
//! - [`funding`]: funding follows the work (费随事转): periods, settlement of what
//!   is owed and paid, lateness on the calendar, exact splits by weight.
//! - [`cleanup`]: registers of work items, bodies, ledgers and plaques per community,
//!   and campaigns that keep, merge or remove them (清理).
//! - [`purchase`]: the purchase-of-services list (购买服务事项清单).
//! - [`money`]: amounts in yuan to the fen ([`money::Money`]), never floats.
//! - [`time`]: Asia/Shanghai civil dates and clock times.
//! - [`due`]: parsing a "due date after N working days" request, as typed by a
//!   person in the browser or sent to the API.
//! - [`grid`]: the all-element grid (全要素网格): boundaries, locating a
//!   position, coverage (overlaps and gaps), visits, the event loop, imports.
//! - [`account`], [`totp`]: account forms and two-factor sign-in.
//!
//! ## As a library
//!
//! Other tools use the crate as the server does: the `gongzhi` command line
//! (`crates/cli`) checks files with these functions before anyone uploads
//! them. The crate has no default features and builds as it is
//! (`--no-default-features` included); enable `statutory` for provisional
//! answers on the statutory holidays (it pulls in `tyme4rs`). Runnable
//! examples are in `examples/` (`cargo run -p gongzhi-domain --example
//! due_across_holiday`, `seal_decision`, `household_csv_check`,
//! `locate_grid`); changes are listed in `CHANGELOG.md`.
//!
//! ```
//! use chrono::NaiveDate;
//! use gongzhi_domain::bundled;
//!
//! let calendar = bundled::calendar();
//! let from = NaiveDate::from_ymd_opt(2026, 9, 28).unwrap();
//! // 15 working days across 国庆节 (1–7 October), Saturday 10 October worked.
//! let due = calendar.due_date(from, 15).unwrap();
//! assert_eq!(due.due, NaiveDate::from_ymd_opt(2026, 10, 23).unwrap());
//! assert_eq!(due.make_up_working_days.len(), 1);
//! ```

#![warn(missing_docs)]

pub mod account;
pub mod admission;
pub mod audit;
pub mod auth;
pub mod ballot;
pub mod bundled;
pub mod calendar;
pub mod calendar_upload;
pub mod chain;
pub mod cleanup;
pub mod consultation;
pub mod disclosure;
pub mod due;
pub mod error;
pub mod facilities;
pub mod funding;
pub mod grid;
pub mod money;
pub mod open311;
pub mod org;
pub mod participation;
pub mod pii;
pub mod poll;
pub mod property;
pub mod purchase;
pub mod review;
pub mod seal;
pub mod seal_layers;
#[cfg(feature = "statutory")]
pub mod statutory;
pub mod time;
pub mod totp;
pub mod vocabulary;

pub use calendar::{CalendarError, DayKind, DueDate, HolidaySchedule, Reckoned, WorkingDayCalendar};
pub use due::{DueQuery, WorkingDays};
pub use error::{ConflictError, DomainError, Field, FieldError, FieldErrorKind, Problems, RequestError};
pub use org::{OrgLevel, OrgPath, Role};
