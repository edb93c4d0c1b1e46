//! **The one transition write** (状态迁移), shared by every capability whose
//! records move through statuses: move record `id` of a table from a status
//! in `from` to `to` only if it is unchanged, set the columns the step
//! records, write the step row (when the table keeps steps) and the audit
//! entry — all in the caller's transaction, which the caller commits.
//!
//! The move is one conditional `UPDATE … WHERE id = $n AND status IN (…)`:
//! when another request moved the record first, nothing is written and the
//! answer is [`Outcome::Changed`] with the status it has now (the handler
//! answers 409 and drops the transaction); a record that does not exist is
//! [`Outcome::NotFound`]. Statuses are the domain's enums, written by their
//! stable codes ([`Status`]); a table is typed by its status enum
//! ([`Table`]), so a request cannot be moved with an event's status. The SQL
//! is the same on SQLite and PostgreSQL (`$n` placeholders, integers and
//! text only).

use std::fmt::Write as _;
use std::marker::PhantomData;

use gongzhi_domain::audit::AuditAction;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};

use crate::audit::{self, Event, Who};

/// A domain status enum as stored: its stable code, and back.
pub trait Status: Copy + PartialEq + std::fmt::Debug + Send + Sync + 'static {
    /// The stable code, as stored in the `status` column.
    fn code(self) -> &'static str;
    /// The value stored as `code`.
    fn from_code(code: &str) -> Option<Self>;
}

/// The domain's status enums, each by its own `code` and `from_code`.
macro_rules! statuses {
    ($($t:ty),* $(,)?) => {$(
        impl Status for $t {
            fn code(self) -> &'static str {
                <$t>::code(self)
            }
            fn from_code(code: &str) -> Option<Self> {
                <$t>::from_code(code)
            }
        }
    )*};
}

statuses!(
    gongzhi_domain::admission::AdmissionStatus,
    gongzhi_domain::cleanup::CampaignStatus,
    gongzhi_domain::cleanup::EntryStatus,
    gongzhi_domain::consultation::FollowUpStatus,
    gongzhi_domain::consultation::MatterStatus,
    gongzhi_domain::consultation::MeetingStatus,
    gongzhi_domain::facilities::community::RemedyStatus,
    gongzhi_domain::grid::event::EventStatus,
    gongzhi_domain::participation::RoundStatus,
    gongzhi_domain::poll::PollStatus,
    gongzhi_domain::purchase::PurchaseStatus,
    gongzhi_domain::review::ReviewStatus,
    gongzhi_domain::seal::SealStatus,
);

/// A table whose records move through the statuses `S`: its name, the name
/// its records go by in the audit trail (`object:id`), and its step table.
pub struct Table<S> {
    pub name: &'static str,
    pub object: &'static str,
    pub steps: Option<StepTable>,
    status: PhantomData<fn() -> S>,
}

/// A table of steps, one row per move: its name and the column naming the
/// record moved.
pub struct StepTable {
    pub name: &'static str,
    pub record: &'static str,
}

impl<S: Status> Table<S> {
    pub const fn new(name: &'static str, object: &'static str, steps: Option<StepTable>) -> Self {
        Self { name, object, steps, status: PhantomData }
    }

    /// The audit trail's name for record `id`.
    pub fn object(&self, id: i64) -> String {
        format!("{}:{id}", self.object)
    }
}

/// A value written with a move: an integer or a text, either may be NULL.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value<'_> {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Text(Some(v))
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(v: &'a String) -> Self {
        Value::Text(Some(v))
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Value::Text(v)
    }
}

/// A column a move writes beside the status.
#[derive(Clone, Copy, Debug)]
pub struct Set<'a> {
    column: &'static str,
    value: Value<'a>,
    /// NULL keeps what the column holds (`COALESCE`).
    keep_when_null: bool,
}

impl<'a> Set<'a> {
    /// `column = value`.
    pub fn to(column: &'static str, value: impl Into<Value<'a>>) -> Self {
        Self { column, value: value.into(), keep_when_null: false }
    }

    /// `column = value` when a value is given; NULL leaves the column as it is.
    pub fn if_given(column: &'static str, value: impl Into<Value<'a>>) -> Self {
        Self { column, value: value.into(), keep_when_null: true }
    }
}

/// One move, as [`apply`] writes it.
pub struct Transition<'a, S: Status> {
    pub table: &'a Table<S>,
    pub id: i64,
    /// The statuses it may move from (what the caller checked it against).
    pub from: &'a [S],
    pub to: S,
    /// Columns written beside the status.
    pub set: Vec<Set<'a>>,
    /// The step row's columns besides the record's id; written when the
    /// table keeps steps.
    pub step: Vec<(&'static str, Value<'a>)>,
    /// The audit entry: its action (object: the table's name for the record).
    pub action: AuditAction,
    pub detail: serde_json::Value,
}

/// What became of a move.
#[must_use]
#[derive(Debug, PartialEq)]
pub enum Outcome<S> {
    /// Moved, its step and audit entry written (the entry's sequence number).
    Moved { audit_seq: i64 },
    /// Not moved: another request changed it first; its status now. Nothing
    /// was written.
    Changed { now: S },
    /// No such record. Nothing was written.
    NotFound,
}

impl<S> Outcome<S> {
    pub fn is_moved(&self) -> bool {
        matches!(self, Outcome::Moved { .. })
    }
}

fn bind<'q>(q: Query<'q, Any, AnyArguments<'q>>, v: Value<'q>) -> Query<'q, Any, AnyArguments<'q>> {
    match v {
        Value::Int(i) => q.bind(i),
        Value::Text(t) => q.bind(t),
    }
}

/// **The transition write**: see the module's documentation. Runs in the
/// caller's (write) transaction; on anything but [`Outcome::Moved`] the
/// caller answers without committing.
pub async fn apply<S: Status>(
    conn: &mut AnyConnection,
    who: &Who,
    t: Transition<'_, S>,
) -> Result<Outcome<S>, sqlx::Error> {
    assert!(!t.from.is_empty(), "a move from no status");
    let table = t.table.name;
    // UPDATE t SET status = $1, c = $2, d = COALESCE($3, d) WHERE id = $4 AND status IN ($5, …)
    let mut sql = format!("UPDATE {table} SET status = $1");
    let mut n = 1;
    for s in &t.set {
        n += 1;
        let c = s.column;
        if s.keep_when_null {
            let _ = write!(sql, ", {c} = COALESCE(${n}, {c})");
        } else {
            let _ = write!(sql, ", {c} = ${n}");
        }
    }
    n += 1;
    let _ = write!(sql, " WHERE id = ${n} AND status IN (");
    for i in 0..t.from.len() {
        n += 1;
        let _ = write!(sql, "{}${n}", if i == 0 { "" } else { ", " });
    }
    sql.push(')');
    let mut q = sqlx::query(&sql).bind(t.to.code());
    for s in &t.set {
        q = bind(q, s.value);
    }
    q = q.bind(t.id);
    for s in t.from {
        q = q.bind(s.code());
    }
    let done = q.execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        let now: Option<String> = sqlx::query_scalar(&format!("SELECT status FROM {table} WHERE id = $1"))
            .bind(t.id)
            .fetch_optional(&mut *conn)
            .await?;
        return match now {
            None => Ok(Outcome::NotFound),
            Some(code) => S::from_code(&code)
                .map(|now| Outcome::Changed { now })
                .ok_or_else(|| sqlx::Error::Decode(format!("{table} {}: unknown status {code:?}", t.id).into())),
        };
    }
    if let Some(steps) = &t.table.steps {
        let mut columns = steps.record.to_string();
        let mut values = "$1".to_string();
        for (i, (c, _)) in t.step.iter().enumerate() {
            let _ = write!(columns, ", {c}");
            let _ = write!(values, ", ${}", i + 2);
        }
        let sql = format!("INSERT INTO {} ({columns}) VALUES ({values})", steps.name);
        let mut q = sqlx::query(&sql).bind(t.id);
        for (_, v) in &t.step {
            q = bind(q, *v);
        }
        q.execute(&mut *conn).await?;
    }
    let event = Event::success(t.action, t.table.object(t.id)).detail(t.detail);
    let audit_seq = audit::append(&mut *conn, who, &event).await?;
    Ok(Outcome::Moved { audit_seq })
}
