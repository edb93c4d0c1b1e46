//! Funding follows the work (费随事转、事费配套): what each community is owed for
//! each admitted item, period by period, what was paid, the shortfall and how
//! late — plan §二(一)1 "将匹配的经费及时足额拨付给社区".
//!
//! Sums are whole fen (`i64`); payments may be corrected by negative entries,
//! so ledger arithmetic is signed, while every amount a person types is a
//! [`Money`].

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::admission::FundingPeriod;
use crate::calendar::{CalendarError, WorkingDayCalendar};
use crate::due::parse_date;
use crate::error::{DomainError, Field, FieldError, FieldErrorKind, Problems};
use crate::money::Money;

/// One funding period of an item: the `index`-th (from 1), its first and last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Which period, from 1.
    pub index: u32,
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
}

impl Period {
    /// `第 2 期(2027-04-04 至 2027-07-03)`
    pub fn label(&self) -> String {
        format!("第 {} 期({} 至 {})", self.index, self.start, self.end)
    }
}

/// The periods of an item that starts on `start` and runs `months` months,
/// funded every `period`. A last period shorter than the others still counts.
pub fn periods(start: NaiveDate, months: u32, period: FundingPeriod) -> Vec<Period> {
    let step = match period {
        FundingPeriod::Month => 1,
        FundingPeriod::Quarter => 3,
        FundingPeriod::Year => 12,
        FundingPeriod::Once => months.max(1),
    };
    let end_all = start.checked_add_months(Months::new(months.max(1))).and_then(|d| d.pred_opt()).unwrap_or(start);
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < months.max(1) {
        let Some(s) = start.checked_add_months(Months::new(offset)) else { break };
        let e = start
            .checked_add_months(Months::new(offset + step))
            .and_then(|d| d.pred_opt())
            .map(|e| e.min(end_all))
            .unwrap_or(end_all);
        out.push(Period { index: out.len() as u32 + 1, start: s, end: e });
        offset += step;
    }
    out
}

/// When a period's money must have reached the community.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", content = "working_days", rename_all = "snake_case")]
pub enum DueRule {
    /// By the period's first day (the work starts with the money).
    PeriodStart,
    /// This many working days before the period's first day.
    WorkingDaysBefore(u32),
}

impl DueRule {
    /// The day `period`'s money is due, on `calendar`.
    pub fn due(self, calendar: &WorkingDayCalendar, period: &Period) -> Result<NaiveDate, CalendarError> {
        match self {
            DueRule::PeriodStart => Ok(period.start),
            DueRule::WorkingDaysBefore(n) => calendar.subtract_working_days(period.start, n),
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> String {
        match self {
            DueRule::PeriodStart => "每期开始之日前拨付到位".into(),
            DueRule::WorkingDaysBefore(n) => format!("每期开始前 {n} 个工作日拨付到位"),
        }
    }
}

/// Where one item × community × period stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingState {
    /// Not due yet (and not yet paid in full).
    NotDue,
    /// Paid in full by the due date.
    Paid,
    /// Paid in full, after the due date.
    PaidLate,
    /// Due, partly paid.
    Partial,
    /// Due, nothing paid.
    Unpaid,
}

impl FundingState {
    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            FundingState::NotDue => "not_due",
            FundingState::Paid => "paid",
            FundingState::PaidLate => "paid_late",
            FundingState::Partial => "partial",
            FundingState::Unpaid => "unpaid",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            FundingState::NotDue => "未到期",
            FundingState::Paid => "按时足额",
            FundingState::PaidLate => "足额但逾期",
            FundingState::Partial => "未足额",
            FundingState::Unpaid => "未拨付",
        }
    }

    /// Every value, in display order.
    pub const ALL: [FundingState; 5] =
        [FundingState::NotDue, FundingState::Paid, FundingState::PaidLate, FundingState::Partial, FundingState::Unpaid];

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Needs attention: owed and short, or paid late.
    pub fn is_problem(self) -> bool {
        matches!(self, FundingState::PaidLate | FundingState::Partial | FundingState::Unpaid)
    }
}

/// The account of one item × community × period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// What the period requires, in fen (分).
    pub required_fen: i64,
    /// What has been paid for it, in fen.
    pub paid_fen: i64,
    /// What is still owed now that it is due (0 before the due date).
    pub shortfall_fen: i64,
    /// Working days after the due date that the money arrived in full, or —
    /// when it has not — that have passed so far.
    pub late_working_days: u32,
    /// Paid, owed, late or not yet due.
    pub state: FundingState,
}

/// Settles one line: `payments` are (date, signed fen), in any order.
pub fn settle(
    calendar: &WorkingDayCalendar,
    required_fen: i64,
    payments: &[(NaiveDate, i64)],
    due: NaiveDate,
    today: NaiveDate,
) -> Result<Settlement, CalendarError> {
    let mut sorted = payments.to_vec();
    sorted.sort();
    let paid_fen: i64 = sorted.iter().map(|p| p.1).sum();
    // The day the running total first covered what was required (and stayed so).
    let mut running = 0;
    let mut covered_on = None;
    for (date, fen) in &sorted {
        running += fen;
        if running >= required_fen {
            covered_on.get_or_insert(*date);
        } else {
            covered_on = None;
        }
    }
    let is_due = today >= due;
    let (state, late) = match covered_on {
        Some(day) if day <= due => (FundingState::Paid, 0),
        Some(day) => (FundingState::PaidLate, calendar.working_days_between(due, day)?),
        None if !is_due => (FundingState::NotDue, 0),
        None => {
            let late = calendar.working_days_between(due, today)?;
            (if paid_fen > 0 { FundingState::Partial } else { FundingState::Unpaid }, late)
        }
    };
    let shortfall_fen = if is_due { (required_fen - paid_fen).max(0) } else { 0 };
    Ok(Settlement { required_fen, paid_fen, shortfall_fen, late_working_days: late, state })
}

/// Totals of many lines (a department, a street, a district, the city).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Everything planned, due or not.
    pub planned_fen: i64,
    /// What is due by today.
    pub due_fen: i64,
    /// What has been paid.
    pub paid_fen: i64,
    /// What is due and not paid.
    pub shortfall_fen: i64,
    /// Lines paid late or still owed after their due date.
    pub late_lines: u32,
    /// How many lines were added.
    pub lines: u32,
}

impl Totals {
    /// Adds one line's settlement.
    pub fn add(&mut self, s: &Settlement) {
        self.planned_fen += s.required_fen;
        if s.state != FundingState::NotDue {
            self.due_fen += s.required_fen;
        }
        self.paid_fen += s.paid_fen;
        self.shortfall_fen += s.shortfall_fen;
        self.late_lines += u32::from(s.late_working_days > 0);
        self.lines += 1;
    }
}

/// Why a total cannot be split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SplitError {
    /// No community, or every weight is zero.
    NoWeight,
}

impl DomainError for SplitError {
    fn code(&self) -> &'static str {
        "funding_split_no_weight"
    }

    fn message(&self) -> String {
        "无法分配:参与分配的社区户数(权重)合计为 0,请先维护社区户数或改为逐个社区登记。".into()
    }
}

/// Splits `total_fen` over `weights` in proportion, exactly to the fen: each
/// share is the floor of its exact share, and the fen left over go one each
/// to the largest remainders (ties to the earlier entry). Zero weights get 0;
/// the shares sum to the total.
pub fn split_by_weight(total_fen: i64, weights: &[u64]) -> Result<Vec<i64>, SplitError> {
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 || total_fen < 0 {
        return Err(SplitError::NoWeight);
    }
    let total = total_fen as u128;
    let mut shares: Vec<i64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = total * u128::from(*w);
        shares.push((exact / sum) as i64);
        remainders.push((exact % sum, i));
    }
    let left = total_fen - shares.iter().sum::<i64>();
    // Largest remainder first; on equal remainders the earlier entry first.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().filter(|(_, i)| weights[*i] > 0).take(left as usize) {
        shares[i] += 1;
    }
    Ok(shares)
}

/// `1,200.50`, with a minus sign for negative sums (corrections).
pub fn fen_label(fen: i64) -> String {
    let m = crate::money::yuan_text(fen.unsigned_abs());
    if fen < 0 {
        format!("-{m}")
    } else {
        m
    }
}

/// Field `application_id`, labelled “准入事项” in forms and messages.
pub const FIELD_APPLICATION: Field = Field::new("application_id", "准入事项");
/// Field `community`, labelled “社区” in forms and messages.
pub const FIELD_COMMUNITY: Field = Field::new("community", "社区");
/// Field `period`, labelled “拨付期次” in forms and messages.
pub const FIELD_PERIOD: Field = Field::new("period", "拨付期次");
/// Field `paid_on`, labelled “拨付日期” in forms and messages.
pub const FIELD_PAID_ON: Field = Field::new("paid_on", "拨付日期");
/// Field `amount`, labelled “拨付金额(元)” in forms and messages.
pub const FIELD_AMOUNT: Field = Field::new("amount", "拨付金额(元)");
/// Field `voucher_no`, labelled “凭证号” in forms and messages.
pub const FIELD_VOUCHER: Field = Field::new("voucher_no", "凭证号");
/// Field `note`, labelled “更正说明” in forms and messages.
pub const FIELD_NOTE: Field = Field::new("note", "更正说明");

/// A payment as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentInput {
    /// 准入事项.
    pub application_id: String,
    /// Community code; empty for a split over all the item's communities.
    pub community: String,
    /// 拨付期次.
    pub period: String,
    /// 拨付日期.
    pub paid_on: String,
    /// 拨付金额(元).
    pub amount: String,
    /// 凭证号.
    pub voucher_no: String,
}

/// A valid payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    /// 准入事项.
    pub application_id: i64,
    /// 社区.
    pub community: Option<String>,
    /// 拨付期次.
    pub period: u32,
    /// 拨付日期.
    pub paid_on: NaiveDate,
    /// 拨付金额(元).
    pub amount: Money,
    /// 凭证号.
    pub voucher_no: String,
}

impl PaymentInput {
    /// `periods`: how many periods the item has. A payment is dated, not in
    /// the future, and for a positive amount.
    pub fn parse(&self, periods: u32, today: NaiveDate) -> Result<Payment, Vec<FieldError>> {
        let mut p = Problems::new();
        let application_id = p.take(FIELD_APPLICATION.required_id(&self.application_id));
        let community = self.community.trim();
        let raw = self.period.trim();
        let period = p.take(if raw.is_empty() {
            Err(FIELD_PERIOD.error(FieldErrorKind::Required))
        } else {
            raw.parse::<u32>().ok().filter(|n| (1..=periods.max(1)).contains(n)).ok_or_else(|| {
                FIELD_PERIOD.error(FieldErrorKind::OutOfRange { min: 1, max: periods.max(1).into(), raw: raw.into() })
            })
        });
        let paid_on =
            p.take(parse_date((FIELD_PAID_ON.name, FIELD_PAID_ON.label), Some(&self.paid_on)).and_then(|d| {
                if d > today {
                    Err(FIELD_PAID_ON.error(FieldErrorKind::DateInFuture { raw: d.to_string() }))
                } else {
                    Ok(d)
                }
            }));
        let amount = p.take(Money::parse(FIELD_AMOUNT, &self.amount).and_then(|m| {
            if m.is_zero() {
                Err(FIELD_AMOUNT.error(FieldErrorKind::InvalidAmount { raw: self.amount.trim().into() }))
            } else {
                Ok(m)
            }
        }));
        let voucher_no = p.take(FIELD_VOUCHER.required_text(&self.voucher_no, 50));
        p.into_result(|| {
            Some(Payment {
                application_id: application_id?,
                community: (!community.is_empty()).then(|| community.to_string()),
                period: period?,
                paid_on: paid_on?,
                amount: amount?,
                voucher_no: voucher_no?,
            })
        })
    }
}

/// The year of a period, for roll-ups by year.
pub fn period_year(p: &Period) -> i32 {
    p.start.year()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cal() -> WorkingDayCalendar {
        crate::bundled::calendar()
    }

    #[test]
    fn periods_cover_the_duration() {
        let q = periods(d("2026-01-31"), 12, FundingPeriod::Quarter);
        assert_eq!(q.len(), 4);
        assert_eq!((q[0].start, q[0].end), (d("2026-01-31"), d("2026-04-29")));
        assert_eq!(q[3].end, d("2027-01-30"));
        assert_eq!(periods(d("2026-03-01"), 7, FundingPeriod::Quarter).last().unwrap().end, d("2026-09-30"));
        assert_eq!(periods(d("2026-03-01"), 24, FundingPeriod::Once).len(), 1);
        assert_eq!(periods(d("2026-03-01"), 3, FundingPeriod::Month)[2].label(), "第 3 期(2026-05-01 至 2026-05-31)");
    }

    #[test]
    fn lateness_counts_working_days_across_holidays() {
        let cal = cal();
        // Due Wednesday 2026-09-30; paid in full Friday 2026-10-09, after the
        // National Day holiday (10-01..10-07): two working days late (10-08, 10-09).
        let s = settle(&cal, 100_000, &[(d("2026-10-09"), 100_000)], d("2026-09-30"), d("2026-11-24")).unwrap();
        assert_eq!((s.state, s.late_working_days, s.shortfall_fen), (FundingState::PaidLate, 2, 0));
        // Half paid on time, the rest never: partial, short, still late.
        let s = settle(&cal, 100_000, &[(d("2026-09-01"), 50_000)], d("2026-09-30"), d("2026-10-12")).unwrap();
        assert_eq!(
            (s.state, s.shortfall_fen, s.late_working_days),
            (FundingState::Partial, 50_000, 4) // 10-08, 10-09, 10-10 (make-up Saturday), 10-12
        );
        // A correction that takes money back reopens the line.
        let s = settle(
            &cal,
            100_000,
            &[(d("2026-09-01"), 100_000), (d("2026-09-20"), -100_000), (d("2026-10-09"), 100_000)],
            d("2026-09-30"),
            d("2026-11-24"),
        )
        .unwrap();
        assert_eq!(s.state, FundingState::PaidLate);
        // Not due yet: nothing is short.
        let s = settle(&cal, 100_000, &[], d("2026-12-01"), d("2026-11-24")).unwrap();
        assert_eq!((s.state, s.shortfall_fen), (FundingState::NotDue, 0));
    }

    #[test]
    fn a_rule_may_ask_for_the_money_before_the_period() {
        let p = Period { index: 1, start: d("2026-10-08"), end: d("2026-12-31") };
        assert_eq!(DueRule::WorkingDaysBefore(2).due(&cal(), &p).unwrap(), d("2026-09-29"));
        assert_eq!(DueRule::PeriodStart.due(&cal(), &p).unwrap(), d("2026-10-08"));
    }

    #[test]
    fn splits_are_exact() {
        assert_eq!(split_by_weight(100, &[1, 1, 1]).unwrap(), vec![34, 33, 33]);
        assert_eq!(split_by_weight(1000, &[0, 3, 0, 1]).unwrap(), vec![0, 750, 0, 250]);
        assert_eq!(split_by_weight(1, &[5]).unwrap(), vec![1]);
        assert_eq!(split_by_weight(100, &[0, 0]), Err(SplitError::NoWeight));
        assert_eq!(split_by_weight(100, &[]), Err(SplitError::NoWeight));
    }

    #[test]
    fn payments_say_what_is_wrong() {
        let input = PaymentInput {
            application_id: "7".into(),
            community: "DX-CD-XF".into(),
            period: "5".into(),
            paid_on: "2026-11-25".into(),
            amount: "0".into(),
            voucher_no: "".into(),
        };
        let errs = input.parse(4, d("2026-11-24")).unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.field, e.code())).collect();
        assert_eq!(
            codes,
            vec![
                ("period", "field_out_of_range"),
                ("paid_on", "field_date_in_future"),
                ("amount", "field_invalid_amount"),
                ("voucher_no", "field_required")
            ]
        );
    }

    proptest! {
        /// Shares sum to the total, zero weights get nothing, and each share is
        /// within one fen of its exact proportional share.
        #[test]
        fn split_sums_to_the_total(total in 0i64..10_000_000_000, weights in proptest::collection::vec(0u64..5_000, 1..40)) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let shares = split_by_weight(total, &weights).unwrap();
            prop_assert_eq!(shares.iter().sum::<i64>(), total);
            let sum: u64 = weights.iter().sum();
            for (s, w) in shares.iter().zip(&weights) {
                if *w == 0 { prop_assert_eq!(*s, 0); }
                let exact = total as f64 * *w as f64 / sum as f64;
                prop_assert!((*s as f64 - exact).abs() < 1.0 + 1e-6);
            }
        }

        /// Paying more never makes a line later or shorter-paid.
        #[test]
        fn more_money_never_hurts(extra in 1i64..100_000, paid in 0i64..200_000) {
            let cal = cal();
            let base = settle(&cal, 100_000, &[(d("2026-10-09"), paid)], d("2026-09-30"), d("2026-11-24")).unwrap();
            let more = settle(&cal, 100_000, &[(d("2026-10-09"), paid + extra)], d("2026-09-30"), d("2026-11-24")).unwrap();
            prop_assert!(more.shortfall_fen <= base.shortfall_fen);
            prop_assert!(more.late_working_days <= base.late_working_days);
        }
    }
}
