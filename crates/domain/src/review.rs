//! Democratic review (民主评议), plan §二(二)4: residents' representatives
//! review the residents' committee, one of its staff, or a property company.
//! The reviewed present a report (述职); each representative rates 满意 /
//! 基本满意 / 不满意 overall and on each dimension (configurable, e.g.
//! 工作态度, 工作效率, 廉洁自律), once — online or on a paper form entered by
//! staff; paper forms are counted as issued, returned and void; the result
//! is published with [`crate::ballot::rate`] per dimension.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ballot::{rate, Rating, RatingTally};
use crate::due::parse_date;
use crate::error::{Field, FieldError, FieldErrorKind, Problems};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// Who is reviewed.
    SubjectKind {
        /// 社区居民委员会.
        Committee = ("committee", "社区居委会"),
        /// 社区工作者 (one person, named).
        Staff = ("staff", "社区工作者"),
        /// 物业服务企业.
        Property = ("property", "物业服务企业"),
    }
}

vocabulary! {
    /// Where a review stands.
    ReviewStatus {
        /// 评议中: ballots are taken.
        Open = ("open", "评议中"),
        /// 已公布结果.
        Published = ("published", "已公布结果"),
    }
}

vocabulary! {
    /// Who rates: the community's residents' representatives (民主评议), or
    /// the residents of the households in the grids of a property company's
    /// estates (物业服务满意度测评, [`crate::property`]).
    Raters {
        /// 居民代表.
        Representatives = ("representatives", "本社区居民代表"),
        /// 所服务小区的居民.
        EstateResidents = ("estate_residents", "所服务小区的居民"),
    }
}

impl Raters {
    /// One rater, as the pages say it (“每位居民代表只能评议一次”).
    pub fn one(self) -> &'static str {
        match self {
            Raters::Representatives => "居民代表",
            Raters::EstateResidents => "居民",
        }
    }

    /// The field of a paper form's register id: the representatives' register
    /// or the residents' (the same name, `resident_id`, labelled for whom).
    pub fn register_field(self) -> Field {
        match self {
            Raters::Representatives => Field::new("resident_id", "居民代表名册编号"),
            Raters::EstateResidents => Field::new("resident_id", "居民名册编号"),
        }
    }
}

/// The dimensions a review rates when the organiser names none.
pub const DEFAULT_DIMENSIONS: [&str; 3] = ["工作态度", "工作效率", "廉洁自律"];

/// Field `title`, labelled “评议名称”.
pub const FIELD_TITLE: Field = Field::new("title", "评议名称");
/// Field `subject_kind`, labelled “评议对象类型”.
pub const FIELD_SUBJECT_KIND: Field = Field::new("subject_kind", "评议对象类型");
/// Field `subject_name`, labelled “评议对象”.
pub const FIELD_SUBJECT_NAME: Field = Field::new("subject_name", "评议对象");
/// Field `report`, labelled “述职报告”.
pub const FIELD_REPORT: Field = Field::new("report", "述职报告");
/// Field `dimensions`, labelled “评议内容(每行一项)”.
pub const FIELD_DIMENSIONS: Field = Field::new("dimensions", "评议内容(每行一项)");
/// Field `until`, labelled “评议截止日期”.
pub const FIELD_UNTIL: Field = Field::new("until", "评议截止日期");

/// A review as typed by the organiser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewInput {
    /// 评议名称, e.g. “2026 年度居委会民主评议”.
    pub title: String,
    /// A [`SubjectKind`] code.
    pub subject_kind: String,
    /// Whom: the committee's, the person's or the company's name.
    pub subject_name: String,
    /// 述职报告.
    pub report: String,
    /// The dimensions, one per line (empty: [`DEFAULT_DIMENSIONS`]).
    pub dimensions: String,
    /// 评议截止日期.
    pub until: String,
}

/// A review, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// 评议名称.
    pub title: String,
    /// Who is reviewed.
    pub subject_kind: SubjectKind,
    /// Its name.
    pub subject_name: String,
    /// 述职报告.
    pub report: String,
    /// 评议内容, at least one, each named once.
    pub dimensions: Vec<String>,
    /// 评议截止日期.
    pub until: NaiveDate,
}

impl ReviewInput {
    /// Checks the form; the closing day is today or later.
    pub fn parse(&self, today: NaiveDate) -> Result<Review, Vec<FieldError>> {
        let mut p = Problems::new();
        let title = p.take(FIELD_TITLE.required_text(&self.title, 60));
        let subject_kind = p.take(SubjectKind::parse(FIELD_SUBJECT_KIND, &self.subject_kind));
        let subject_name = p.take(FIELD_SUBJECT_NAME.required_text(&self.subject_name, 60));
        let report = p.take(FIELD_REPORT.required_text(&self.report, 10000));
        let mut dimensions = crate::consultation::split_list(&self.dimensions);
        if dimensions.is_empty() {
            dimensions = DEFAULT_DIMENSIONS.iter().map(|d| d.to_string()).collect();
        }
        let dimensions = p.take(if dimensions.len() > 8 || dimensions.iter().any(|d| d.chars().count() > 20) {
            Err(FIELD_DIMENSIONS
                .error(FieldErrorKind::InvalidFormat { expected: "最多 8 项,每项不超过 20 个字" }))
        } else {
            Ok(dimensions)
        });
        let until = p.take(parse_date((FIELD_UNTIL.name, FIELD_UNTIL.label), Some(&self.until)).and_then(|d| {
            if d < today {
                Err(FIELD_UNTIL.error(FieldErrorKind::DateTooEarly { earliest: today.to_string() }))
            } else {
                Ok(d)
            }
        }));
        p.into_result(|| {
            Some(Review {
                title: title?,
                subject_kind: subject_kind?,
                subject_name: subject_name?,
                report: report?,
                dimensions: dimensions?,
                until: until?,
            })
        })
    }
}

/// Field `overall`, labelled “总体评价”.
pub const FIELD_OVERALL: Field = Field::new("overall", "总体评价");
/// Field `ratings`, labelled “分项评价”.
pub const FIELD_RATINGS: Field = Field::new("ratings", "分项评价");

/// One representative's ballot as sent: an overall rating and one per
/// dimension, in the review's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewBallotInput {
    /// A [`Rating`] code.
    pub overall: String,
    /// [`Rating`] codes, one per dimension.
    pub ratings: Vec<String>,
}

/// A ballot, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewBallot {
    /// 总体评价.
    pub overall: Rating,
    /// 分项评价, one per dimension.
    pub ratings: Vec<Rating>,
}

fn rating(field: Field, raw: &str) -> Result<Rating, FieldError> {
    match raw.trim() {
        "" => Err(field.error(FieldErrorKind::Required)),
        t => Rating::from_code(t).ok_or_else(|| field.error(FieldErrorKind::UnknownOption { raw: t.to_string() })),
    }
}

impl ReviewBallotInput {
    /// Checks a ballot for a review of `dimensions` dimensions: every one rated.
    pub fn parse(&self, dimensions: usize) -> Result<ReviewBallot, Vec<FieldError>> {
        let mut p = Problems::new();
        let overall = p.take(rating(FIELD_OVERALL, &self.overall));
        let ratings = if self.ratings.len() != dimensions || self.ratings.iter().any(|r| r.trim().is_empty()) {
            p.push(FIELD_RATINGS.error(FieldErrorKind::InvalidFormat { expected: "每一项都要评价" }));
            None
        } else {
            self.ratings.iter().map(|r| p.take(rating(FIELD_RATINGS, r))).collect::<Option<Vec<_>>>()
        };
        p.into_result(|| Some(ReviewBallot { overall: overall?, ratings: ratings? }))
    }
}

/// Field `issued`, labelled “发出评议表(份)”.
pub const FIELD_ISSUED: Field = Field::new("issued", "发出评议表(份)");
/// Field `returned`, labelled “收回评议表(份)”.
pub const FIELD_RETURNED: Field = Field::new("returned", "收回评议表(份)");
/// Field `void`, labelled “无效评议表(份)”.
pub const FIELD_VOID: Field = Field::new("void", "无效评议表(份)");

/// The paper forms' count as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormsInput {
    /// 发出.
    pub issued: String,
    /// 收回.
    pub returned: String,
    /// 无效.
    pub void: String,
}

/// The paper forms' count, checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forms {
    /// 发出.
    pub issued: u32,
    /// 收回.
    pub returned: u32,
    /// 无效.
    pub void: u32,
}

impl FormsInput {
    /// Checks the count: returned ≤ issued, void ≤ returned, and the valid
    /// forms returned (returned − void) are the `entered` paper ballots.
    pub fn parse(&self, entered: u32) -> Result<Forms, Vec<FieldError>> {
        let mut p = Problems::new();
        let n = |f: Field, raw: &str| f.whole_number(raw, 0, 100_000).map(|n| n as u32);
        let issued = p.take(n(FIELD_ISSUED, &self.issued));
        let returned = p.take(n(FIELD_RETURNED, &self.returned).and_then(|r| match issued {
            Some(i) if r > i => {
                Err(FIELD_RETURNED.error(FieldErrorKind::OutOfRange { min: 0, max: i.into(), raw: r.to_string() }))
            }
            _ => Ok(r),
        }));
        let void = p.take(n(FIELD_VOID, &self.void).and_then(|v| match returned {
            Some(r) if v > r => {
                Err(FIELD_VOID.error(FieldErrorKind::OutOfRange { min: 0, max: r.into(), raw: v.to_string() }))
            }
            Some(r) if r - v != entered => Err(FIELD_VOID.error(FieldErrorKind::InvalidFormat {
                expected: "收回减去无效的份数,应等于已录入的纸质评议表份数",
            })),
            _ => Ok(v),
        }));
        p.into_result(|| Some(Forms { issued: issued?, returned: returned?, void: void? }))
    }
}

/// A review's published result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewResult {
    /// 总体评价.
    pub overall: RatingTally,
    /// Each dimension's name and tally, in the review's order.
    pub dimensions: Vec<(String, RatingTally)>,
    /// Ballots counted, by channel: online, paper.
    pub online: u32,
    /// Paper ballots counted.
    pub paper: u32,
    /// The paper forms' count.
    pub forms: Forms,
}

/// Counts `ballots` (each with whether it came on paper) for a review of
/// `dimensions`; a ballot whose ratings do not match the dimensions is left
/// out (it cannot be stored: [`ReviewBallotInput::parse`]).
pub fn count(dimensions: &[String], ballots: &[(bool, ReviewBallot)], forms: Forms) -> ReviewResult {
    let fit: Vec<&(bool, ReviewBallot)> = ballots.iter().filter(|b| b.1.ratings.len() == dimensions.len()).collect();
    ReviewResult {
        overall: rate(fit.iter().map(|b| b.1.overall)),
        dimensions: dimensions
            .iter()
            .enumerate()
            .map(|(i, d)| (d.clone(), rate(fit.iter().map(|b| b.1.ratings[i]))))
            .collect(),
        online: fit.iter().filter(|b| !b.0).count() as u32,
        paper: fit.iter().filter(|b| b.0).count() as u32,
        forms,
    }
}

/// Refusals of review moves, each with a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewError {
    /// The review's result is published: no more ballots or counts.
    Closed,
    /// This representative has a ballot in already (online or on paper).
    AlreadyRated,
    /// The person is no residents' representative of the community.
    NotARepresentative,
    /// The paper forms are not counted yet.
    FormsNotCounted,
}

impl crate::error::DomainError for ReviewError {
    fn code(&self) -> &'static str {
        match self {
            ReviewError::Closed => "review_closed",
            ReviewError::AlreadyRated => "review_already_rated",
            ReviewError::NotARepresentative => "review_not_a_representative",
            ReviewError::FormsNotCounted => "review_forms_not_counted",
        }
    }

    fn message(&self) -> String {
        match self {
            ReviewError::Closed => "评议结果已公布,不能再评议或修改。".into(),
            ReviewError::AlreadyRated => "这位居民代表已经评议过了(网上或纸质),每人只能评议一次。".into(),
            ReviewError::NotARepresentative => "只有本社区的居民代表可以参加民主评议。".into(),
            ReviewError::FormsNotCounted => "请先登记纸质评议表的发出、收回和无效份数,再公布结果。".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        crate::due::civil_date(s).unwrap()
    }

    #[test]
    fn a_review_names_its_subject_and_dimensions() {
        let r = ReviewInput {
            title: "2026 年度居委会民主评议".into(),
            subject_kind: "committee".into(),
            subject_name: "幸福社区居民委员会".into(),
            report: "一年来,居委会……".into(),
            dimensions: String::new(),
            until: "2026-12-20".into(),
        };
        let ok = r.parse(d("2026-12-02")).unwrap();
        assert_eq!(ok.dimensions, DEFAULT_DIMENSIONS);
        let e = ReviewInput { until: "2026-11-30".into(), subject_kind: "mayor".into(), ..r }
            .parse(d("2026-12-02"))
            .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subject_kind", "until"]);
    }

    #[test]
    fn every_dimension_is_rated() {
        let b = ReviewBallotInput {
            overall: "satisfied".into(),
            ratings: vec!["fair".into(), "".into(), "satisfied".into()],
        };
        assert_eq!(b.parse(3).unwrap_err()[0].field, "ratings");
        let b = ReviewBallotInput { ratings: vec!["fair".into(), "unsatisfied".into(), "satisfied".into()], ..b };
        assert_eq!(b.parse(3).unwrap().ratings[1], Rating::Unsatisfied);
        assert!(b.parse(2).is_err());
        assert_eq!(ReviewBallotInput::default().parse(0).unwrap_err()[0].message(), "请填写总体评价。");
    }

    #[test]
    fn raters_are_representatives_or_estate_residents() {
        assert_eq!(Raters::from_code("estate_residents"), Some(Raters::EstateResidents));
        assert_eq!(Raters::Representatives.label(), "本社区居民代表");
    }

    #[test]
    fn paper_forms_add_up() {
        let f = FormsInput { issued: "30".into(), returned: "28".into(), void: "2".into() };
        assert_eq!(f.parse(26), Ok(Forms { issued: 30, returned: 28, void: 2 }));
        let e = f.parse(25).unwrap_err();
        assert_eq!(e[0].field, "void");
        let e = FormsInput { returned: "31".into(), ..f }.parse(29).unwrap_err();
        assert_eq!(e[0].field, "returned");
        assert!(ReviewError::AlreadyRated.message().contains("只能评议一次"));
        assert_eq!(ReviewError::Closed.code(), "review_closed");
    }

    proptest! {
        /// Each ballot counts once in the overall tally and once in every
        /// dimension, whatever the order; the channels add up.
        #[test]
        fn the_count_takes_each_ballot_once(marks in proptest::collection::vec((any::<bool>(), 0usize..3, 0usize..3), 0..60)) {
            let dims = vec!["态度".to_string(), "效率".to_string()];
            let ballots: Vec<(bool, ReviewBallot)> = marks
                .iter()
                .map(|(paper, a, b)| (*paper, ReviewBallot { overall: Rating::ALL[*a], ratings: vec![Rating::ALL[*a], Rating::ALL[*b]] }))
                .collect();
            let r = count(&dims, &ballots, Forms::default());
            let total = |t: &RatingTally| t.satisfied + t.fair + t.unsatisfied;
            prop_assert_eq!(total(&r.overall), ballots.len() as u32);
            prop_assert_eq!(r.online + r.paper, ballots.len() as u32);
            for (_, t) in &r.dimensions {
                prop_assert_eq!(total(t), ballots.len() as u32);
            }
            let mut reversed = ballots.clone();
            reversed.reverse();
            prop_assert_eq!(count(&dims, &reversed, Forms::default()), r);
        }
    }
}
