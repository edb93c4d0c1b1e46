//! Layers of the seal catalogue (证明事项目录分级): the national list ships with
//! Gongzhi; a province (省) and the city (市) add their own matters, each layer
//! a versioned data file with the date it takes effect. The catalogue a
//! decision uses is the layers composed for that day ([`compose`]): a city
//! entry overrides a province entry of the same code, which overrides the
//! national one — except that no layer may take a matter off the national
//! list of certificates communities should not issue.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind, Problems};
use crate::seal::{Catalog, CertificateMatter, LegalBasis};

/// Who issued a layer of the catalogue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogLevel {
    /// 国家: 民发〔2020〕20号 and the matters Gongzhi ships with.
    #[default]
    National,
    /// 省: a province's list, loaded by the city's system administrator.
    Province,
    /// 市: the city's own additions, kept by its system administrator.
    City,
}

impl CatalogLevel {
    /// Every level, from the broadest.
    pub const ALL: [CatalogLevel; 3] = [CatalogLevel::National, CatalogLevel::Province, CatalogLevel::City];

    /// Stable code, as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            CatalogLevel::National => "national",
            CatalogLevel::Province => "province",
            CatalogLevel::City => "city",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            CatalogLevel::National => "国家",
            CatalogLevel::Province => "省级",
            CatalogLevel::City => "市级",
        }
    }

    /// The level of a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// One layer: a data file of matters with its version and effective date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogLayer {
    /// Which level issued it.
    pub level: CatalogLevel,
    /// The issuing region, e.g. `湖北省`.
    #[serde(default)]
    pub region: String,
    /// This edition's name, unique per level, e.g. `HB-2026.1`.
    pub version: String,
    /// The first day it applies (Asia/Shanghai civil date).
    pub effective_from: NaiveDate,
    /// The document it rests on, e.g. a provincial notice and its number.
    #[serde(default)]
    pub source: Option<String>,
    /// The matters it adds or overrides (by code).
    #[serde(default)]
    pub matters: Vec<CertificateMatter>,
}

/// Largest layer file accepted.
pub const MAX_LAYER_BYTES: usize = 256 * 1024;
/// Most matters one layer may hold.
pub const MAX_LAYER_MATTERS: usize = 500;

/// What is wrong with a layer file. Every problem is listed at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerProblem {
    /// Larger than [`MAX_LAYER_BYTES`].
    TooLarge {
        /// The file's size in bytes.
        bytes: usize,
    },
    /// Not JSON of the layer's shape.
    NotALayer {
        /// What the JSON reader found wrong.
        detail: String,
    },
    /// The national layer ships with the system and is not uploaded.
    NationalNotUploadable,
    /// `version` is empty, too long or not letters, digits, `.` `-` `_`.
    VersionInvalid,
    /// `region` is empty or longer than 40 characters.
    RegionInvalid,
    /// More than [`MAX_LAYER_MATTERS`] matters.
    TooManyMatters {
        /// How many matters the file holds.
        count: usize,
    },
    /// `matters[index].code` is not 1–60 of `a-z`, `0-9`, `_`.
    CodeInvalid {
        /// The entry's place in `matters`, from 0.
        index: usize,
    },
    /// Two entries share a code.
    DuplicateCode {
        /// The entry's place in `matters`, from 0.
        index: usize,
        /// The repeated code.
        code: String,
    },
    /// `matters[index].name` is empty or longer than 60 characters.
    NameInvalid {
        /// The entry's place in `matters`, from 0.
        index: usize,
    },
    /// `matters[index].initials` is not one lowercase letter per character.
    InitialsInvalid {
        /// The entry's place in `matters`, from 0.
        index: usize,
        /// The entry's name.
        name: String,
    },
    /// A matter both within the community's duties and forbidden.
    Contradictory {
        /// The entry's place in `matters`, from 0.
        index: usize,
        /// The entry's name.
        name: String,
    },
    /// A community-duty matter without the article usually cited.
    BasisMissing {
        /// The entry's place in `matters`, from 0.
        index: usize,
        /// The entry's name.
        name: String,
    },
    /// An entry that would take a matter off the national list.
    NationalListOverride {
        /// The entry's place in `matters`, from 0.
        index: usize,
        /// The entry's name.
        name: String,
    },
    /// `matters[index].effective_from` is earlier than the layer's own date.
    EntryBeforeLayer {
        /// The entry's place in `matters`, from 0.
        index: usize,
        /// The entry's name.
        name: String,
    },
}

impl DomainError for LayerProblem {
    fn code(&self) -> &'static str {
        match self {
            LayerProblem::TooLarge { .. } => "seal_layer_too_large",
            LayerProblem::NotALayer { .. } => "seal_layer_not_a_layer",
            LayerProblem::NationalNotUploadable => "seal_layer_national",
            LayerProblem::VersionInvalid => "seal_layer_version_invalid",
            LayerProblem::RegionInvalid => "seal_layer_region_invalid",
            LayerProblem::TooManyMatters { .. } => "seal_layer_too_many",
            LayerProblem::CodeInvalid { .. } => "seal_layer_code_invalid",
            LayerProblem::DuplicateCode { .. } => "seal_layer_duplicate_code",
            LayerProblem::NameInvalid { .. } => "seal_layer_name_invalid",
            LayerProblem::InitialsInvalid { .. } => "seal_layer_initials_invalid",
            LayerProblem::Contradictory { .. } => "seal_layer_contradictory",
            LayerProblem::BasisMissing { .. } => "seal_layer_basis_missing",
            LayerProblem::NationalListOverride { .. } => "seal_layer_national_override",
            LayerProblem::EntryBeforeLayer { .. } => "seal_layer_entry_before_layer",
        }
    }

    fn field(&self) -> Option<&'static str> {
        Some(match self {
            LayerProblem::TooLarge { .. } | LayerProblem::NotALayer { .. } => "file",
            LayerProblem::NationalNotUploadable => "level",
            LayerProblem::VersionInvalid => "version",
            LayerProblem::RegionInvalid => "region",
            _ => "matters",
        })
    }

    fn message(&self) -> String {
        let at = |index: &usize| format!("第 {} 项", index + 1);
        match self {
            LayerProblem::TooLarge { bytes } => {
                format!("文件过大({} KB):目录文件不超过 {} KB。", bytes.div_ceil(1024), MAX_LAYER_BYTES / 1024)
            }
            LayerProblem::NotALayer { detail } => format!(
                "文件不是证明事项目录文件(需为 UTF-8 编码的 JSON,含 level、version、effective_from 和 matters):{detail}"
            ),
            LayerProblem::NationalNotUploadable => {
                "层级(level)只能是省级(province)或市级(city):国家清单随系统发布,不能上传替换。".into()
            }
            LayerProblem::VersionInvalid => {
                "版本号(version)应为 1 至 40 个字母、数字或 . - _ 组成的编号,例如 HB-2026.1。".into()
            }
            LayerProblem::RegionInvalid => "发布地区(region)不能为空,且不超过 40 个字。".into(),
            LayerProblem::TooManyMatters { count } => {
                format!("事项(matters)共 {count} 项,一个目录文件最多 {MAX_LAYER_MATTERS} 项。")
            }
            LayerProblem::CodeInvalid { index } => {
                format!("{}的事项代码(code)应为 1 至 60 个小写字母、数字或下划线。", at(index))
            }
            LayerProblem::DuplicateCode { index, code } => {
                format!("{}的事项代码(code){code} 与前面的事项重复。", at(index))
            }
            LayerProblem::NameInvalid { index } => format!("{}的事项名称(name)不能为空,且不超过 60 个字。", at(index)),
            LayerProblem::InitialsInvalid { index, name } => format!(
                "{}“{name}”的拼音首字母(initials)应为每个字一个小写字母;不填则只能按汉字查找。",
                at(index)
            ),
            LayerProblem::Contradictory { index, name } => format!(
                "{}“{name}”既标为社区法定职责(community_duty),又标为不应出具或涉及连带责任,二者不能同时成立。",
                at(index)
            ),
            LayerProblem::BasisMissing { index, name } => format!(
                "{}“{name}”标为社区法定职责(community_duty),应同时给出通常引用的条款(suggested_basis:法规名称、条款号、条文)。",
                at(index)
            ),
            LayerProblem::NationalListOverride { index, name } => format!(
                "{}“{name}”在国家不应由村(居)民委员会出具的证明事项清单(民发〔2020〕20号)中,省、市目录不能将其移出或改为社区职责。",
                at(index)
            ),
            LayerProblem::EntryBeforeLayer { index, name } => {
                format!("{}“{name}”的生效日期(effective_from)早于本目录的生效日期。", at(index))
            }
        }
    }
}

/// The catalogue is kept at the city: an administrator bound to a district
/// or below may not change or read its upkeep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CityKeeperOnly;

impl DomainError for CityKeeperOnly {
    fn code(&self) -> &'static str {
        "seal_catalog_city_only"
    }

    fn message(&self) -> String {
        "证明事项目录由市级系统管理员维护;区(县)及以下的系统管理员不能加载或修改。".into()
    }
}

fn valid_code(code: &str) -> bool {
    (1..=60).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn valid_version(v: &str) -> bool {
    (1..=40).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

impl CatalogLayer {
    /// The national layer shipped with Gongzhi (`seal-catalog.json`), with
    /// where-to-go texts when `guidance` (the server's; the refusal letter
    /// quotes them).
    pub fn national(guidance: bool) -> Self {
        let c = if guidance { Catalog::bundled_with_guidance() } else { Catalog::bundled() };
        Self {
            level: CatalogLevel::National,
            region: "全国".into(),
            version: c.version,
            effective_from: NATIONAL_EFFECTIVE_FROM,
            // Each national entry names its own document.
            source: None,
            matters: c.matters,
        }
    }

    /// Reads and checks an uploaded province or city layer against the
    /// national one: every problem at once.
    pub fn parse(text: &str, national: &CatalogLayer) -> Result<CatalogLayer, Vec<LayerProblem>> {
        if text.len() > MAX_LAYER_BYTES {
            return Err(vec![LayerProblem::TooLarge { bytes: text.len() }]);
        }
        let layer: CatalogLayer = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| vec![LayerProblem::NotALayer { detail: e.to_string() }])?;
        layer.check(national).map(|()| layer)
    }

    /// The checks of [`CatalogLayer::parse`], on a layer already read (the
    /// city page builds one entry by entry).
    pub fn check(&self, national: &CatalogLayer) -> Result<(), Vec<LayerProblem>> {
        let mut problems = Vec::new();
        if self.level == CatalogLevel::National {
            problems.push(LayerProblem::NationalNotUploadable);
        }
        if !valid_version(&self.version) {
            problems.push(LayerProblem::VersionInvalid);
        }
        let region = self.region.trim();
        if region.is_empty() || region.chars().count() > 40 {
            problems.push(LayerProblem::RegionInvalid);
        }
        if self.matters.len() > MAX_LAYER_MATTERS {
            problems.push(LayerProblem::TooManyMatters { count: self.matters.len() });
            return Err(problems);
        }
        let mut seen = std::collections::HashSet::new();
        for (index, m) in self.matters.iter().enumerate() {
            let name = m.name.trim().to_string();
            if !valid_code(&m.code) {
                problems.push(LayerProblem::CodeInvalid { index });
            } else if !seen.insert(m.code.as_str()) {
                problems.push(LayerProblem::DuplicateCode { index, code: m.code.clone() });
            }
            if name.is_empty() || name.chars().count() > 60 {
                problems.push(LayerProblem::NameInvalid { index });
            }
            if !m.initials.is_empty()
                && (!m.initials.bytes().all(|b| b.is_ascii_lowercase()) || m.initials.len() != name.chars().count())
            {
                problems.push(LayerProblem::InitialsInvalid { index, name: name.clone() });
            }
            if m.community_duty && (m.national_list || m.joint_liability) {
                problems.push(LayerProblem::Contradictory { index, name: name.clone() });
            } else if m.community_duty && !m.suggested_basis.as_ref().is_some_and(|b| b.is_specific()) {
                problems.push(LayerProblem::BasisMissing { index, name: name.clone() });
            }
            let base = national.matters.iter().find(|n| n.code == m.code || n.name == name);
            if base.is_some_and(|n| n.national_list) && (!m.national_list || m.community_duty) {
                problems.push(LayerProblem::NationalListOverride { index, name: name.clone() });
            }
            if m.effective_from.is_some_and(|d| d < self.effective_from) {
                problems.push(LayerProblem::EntryBeforeLayer { index, name });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Whether this layer (as a whole) applies on `day`.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.effective_from <= day
    }
}

/// The date from which the national edition shipped with Gongzhi applies.
pub const NATIONAL_EFFECTIVE_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2026, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The catalogue in force on `day`: for each level, the newest edition
/// already in force (later in `layers` wins a tie), applied broadest first;
/// an entry replaces the one of the same code, except that a national-list
/// matter stays on the list. Entries not yet in force are left out. The
/// version names every edition used, e.g. `CN-2026.1+HB-2026.1+city-3`.
pub fn compose(national: &CatalogLayer, layers: &[CatalogLayer], day: NaiveDate) -> Catalog {
    let mut matters: Vec<CertificateMatter> = Vec::new();
    let mut versions = Vec::new();
    let mut apply = |layer: &CatalogLayer, matters: &mut Vec<CertificateMatter>| {
        versions.push(layer.version.clone());
        for m in layer.matters.iter().filter(|m| m.effective_from.is_none_or(|d| d <= day)) {
            let mut m = m.clone();
            m.level = layer.level;
            if m.source.is_none() {
                m.source.clone_from(&layer.source);
            }
            match matters.iter_mut().find(|e| e.code == m.code) {
                Some(existing) => {
                    let listed = existing.national_list && existing.level == CatalogLevel::National;
                    if m.obtain_from.is_none() {
                        m.obtain_from = existing.obtain_from.take();
                    }
                    *existing = m;
                    if listed {
                        existing.national_list = true;
                        existing.community_duty = false;
                    }
                }
                None => matters.push(m),
            }
        }
    };
    apply(national, &mut matters);
    for level in [CatalogLevel::Province, CatalogLevel::City] {
        if let Some(i) = edition_in_force(layers, level, day) {
            apply(&layers[i], &mut matters);
        }
    }
    Catalog { version: versions.join("+"), matters }
}

/// Which of `layers` is `level`'s edition in force on `day`: the newest
/// effective date not after it, the later in the list on a tie.
pub fn edition_in_force(layers: &[CatalogLayer], level: CatalogLevel, day: NaiveDate) -> Option<usize> {
    layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.level == level && l.in_force_on(day))
        .fold(None::<(usize, NaiveDate)>, |best, (i, l)| match best {
            Some((b, d)) if d > l.effective_from => Some((b, d)),
            _ => Some((i, l.effective_from)),
        })
        .map(|(i, _)| i)
}

/// What a city entry says of the matter (the form's one choice).
pub const CITY_MATTER_KINDS: [(&str, &str); 3] = [
    ("not_issued", "社区不应出具(列入本市清单)"),
    ("community_duty", "社区法定职责(须引用条款)"),
    ("department_duty", "属于某部门自身职责"),
];

/// The city administrator's form for one entry of the city layer (all text,
/// as typed; the parser names every wrong field).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CityMatterInput {
    /// Empty: made from the initials (or a number) by the server.
    pub code: String,
    /// 事项名称.
    pub name: String,
    /// 拼音首字母, one per character (optional).
    pub initials: String,
    /// One of [`CITY_MATTER_KINDS`].
    pub kind: String,
    /// The department's code, for `department_duty`.
    pub responsible_department: String,
    /// Carries economic joint liability (always refused).
    pub joint_liability: bool,
    /// The law usually cited (for `community_duty`).
    pub basis_law: String,
    /// Its article number.
    pub basis_article: String,
    /// The article's text.
    pub basis_text: String,
    /// The document and its number, e.g. `某市民政局〔2026〕5号`.
    pub source: String,
    /// Where the resident gets it instead.
    pub obtain_from: String,
    /// `YYYY-MM-DD`; empty: at once.
    pub effective_from: String,
}

/// The city form's field “事项名称”.
pub const FIELD_CITY_NAME: Field = Field::new("name", "事项名称");
/// The city form's field “拼音首字母”.
pub const FIELD_CITY_INITIALS: Field = Field::new("initials", "拼音首字母");
/// The city form's field “事项性质”.
pub const FIELD_CITY_KIND: Field = Field::new("kind", "事项性质");
/// The city form's field “负责部门”.
pub const FIELD_CITY_DEPARTMENT: Field = Field::new("responsible_department", "负责部门");
/// The city form's field “依据的法律法规名称”.
pub const FIELD_CITY_LAW: Field = Field::new("basis_law", "依据的法律法规名称");
/// The city form's field “条款号”.
pub const FIELD_CITY_ARTICLE: Field = Field::new("basis_article", "条款号");
/// The city form's field “条文内容”.
pub const FIELD_CITY_TEXT: Field = Field::new("basis_text", "条文内容");
/// The city form's field “依据文件及文号”.
pub const FIELD_CITY_SOURCE: Field = Field::new("source", "依据文件及文号");
/// The city form's field “居民办理途径”.
pub const FIELD_CITY_OBTAIN: Field = Field::new("obtain_from", "居民办理途径");
/// The city form's field “生效日期”.
pub const FIELD_CITY_EFFECTIVE: Field = Field::new("effective_from", "生效日期");

impl CityMatterInput {
    /// Parses the entry, every problem at once. `today` is the earliest
    /// effective date (an entry is never backdated).
    pub fn parse(&self, today: NaiveDate) -> Result<CertificateMatter, Vec<FieldError>> {
        let mut p = Problems::new();
        let name = p.take(FIELD_CITY_NAME.required_text(&self.name, 60));
        let initials = self.initials.trim().to_ascii_lowercase();
        if let Some(n) = &name {
            if !initials.is_empty()
                && (!initials.bytes().all(|b| b.is_ascii_lowercase()) || initials.len() != n.chars().count())
            {
                p.push(
                    FIELD_CITY_INITIALS
                        .error(FieldErrorKind::InvalidFormat { expected: "每个字一个拼音首字母" }),
                );
            }
        }
        let kind = p.take(match self.kind.trim() {
            "" => Err(FIELD_CITY_KIND.error(FieldErrorKind::Required)),
            k if CITY_MATTER_KINDS.iter().any(|(c, _)| *c == k) => Ok(k.to_string()),
            k => Err(FIELD_CITY_KIND.error(FieldErrorKind::UnknownOption { raw: k.to_string() })),
        });
        let department = self.responsible_department.trim().to_string();
        if kind.as_deref() == Some("department_duty") && department.is_empty() {
            p.push(FIELD_CITY_DEPARTMENT.error(FieldErrorKind::Required));
        }
        let basis = LegalBasis {
            law: self.basis_law.trim().to_string(),
            article: self.basis_article.trim().to_string(),
            text: self.basis_text.trim().to_string(),
        };
        if kind.as_deref() == Some("community_duty") {
            for (field, value) in
                [(FIELD_CITY_LAW, &basis.law), (FIELD_CITY_ARTICLE, &basis.article), (FIELD_CITY_TEXT, &basis.text)]
            {
                if value.is_empty() {
                    p.push(field.error(FieldErrorKind::Required));
                }
            }
        }
        let source = p.take(FIELD_CITY_SOURCE.required_text(&self.source, 100));
        let obtain = self.obtain_from.trim().to_string();
        if obtain.chars().count() > 200 {
            p.push(FIELD_CITY_OBTAIN.error(FieldErrorKind::TooLong { max: 200 }));
        }
        let effective = p.take(match self.effective_from.trim() {
            "" => Ok(None),
            raw => match crate::due::parse_date((FIELD_CITY_EFFECTIVE.name, FIELD_CITY_EFFECTIVE.label), Some(raw)) {
                Err(e) => Err(e),
                Ok(d) if d < today => {
                    Err(FIELD_CITY_EFFECTIVE.error(FieldErrorKind::DateTooEarly { earliest: today.to_string() }))
                }
                Ok(d) => Ok(Some(d).filter(|d| *d > today)),
            },
        });
        p.into_result(|| {
            let kind = kind?;
            Some(CertificateMatter {
                code: self.code.trim().to_string(),
                name: name?,
                community_duty: kind == "community_duty",
                responsible_department: (kind == "department_duty").then_some(department),
                national_list: kind == "not_issued",
                joint_liability: self.joint_liability,
                suggested_basis: (kind == "community_duty").then_some(basis),
                initials,
                source,
                obtain_from: Some(obtain).filter(|o| !o.is_empty()),
                effective_from: effective?,
                level: CatalogLevel::City,
            })
        })
    }
}

/// A code for a new city entry: `city_` and its initials, or a number when
/// those are taken or missing.
pub fn city_code(matter: &CertificateMatter, taken: impl Fn(&str) -> bool) -> String {
    let base = if matter.initials.is_empty() { "city".to_string() } else { format!("city_{}", matter.initials) };
    if !matter.initials.is_empty() && !taken(&base) {
        return base;
    }
    (1..).map(|n| format!("{base}_{n}")).find(|c| !taken(c)).expect("an unused code")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::{decide, CertificateRequestInput};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn matter(code: &str, name: &str) -> CertificateMatter {
        CertificateMatter { national_list: true, ..CertificateMatter::named(code, name, CatalogLevel::National) }
    }

    fn layer(level: CatalogLevel, version: &str, from: &str, matters: Vec<CertificateMatter>) -> CatalogLayer {
        CatalogLayer {
            level,
            region: "某地".into(),
            version: version.into(),
            effective_from: day(from),
            source: Some(format!("{version} 文件")),
            matters,
        }
    }

    #[test]
    fn a_city_entry_overrides_a_province_entry_and_both_add_to_the_national_list() {
        let national = CatalogLayer::national(false);
        let province = layer(
            CatalogLevel::Province,
            "HB-2026.1",
            "2026-03-01",
            vec![matter("fee_receipt_lost", "缴费票据遗失证明"), matter("school_transfer", "转学证明")],
        );
        let mut transfer = matter("school_transfer", "转学证明");
        transfer.national_list = false;
        transfer.responsible_department = Some("jyj".into());
        let city = layer(CatalogLevel::City, "city-1", "2026-06-01", vec![transfer]);
        let c = compose(&national, &[province.clone(), city.clone()], day("2026-12-01"));
        assert_eq!(c.version, "CN-2026.1+HB-2026.1+city-1");
        assert_eq!(c.matters.len(), national.matters.len() + 2);
        let t = c.find("school_transfer").unwrap();
        assert_eq!(
            (t.level, t.national_list, t.responsible_department.as_deref()),
            (CatalogLevel::City, false, Some("jyj"))
        );
        let f = c.find("fee_receipt_lost").unwrap();
        assert_eq!((f.level, f.source.as_deref()), (CatalogLevel::Province, Some("HB-2026.1 文件")));
        // Before the city's layer takes effect the province's entry stands.
        let c = compose(&national, &[province, city], day("2026-05-31"));
        assert_eq!(c.version, "CN-2026.1+HB-2026.1");
        assert!(c.find("school_transfer").unwrap().national_list);
        // Before either, the national list alone.
        assert_eq!(compose(&national, &[], day("2026-02-01")), Catalog::bundled());
    }

    #[test]
    fn an_entry_not_yet_in_force_does_not_apply_and_the_newest_edition_in_force_wins() {
        let national = CatalogLayer::national(false);
        let mut later = matter("school_transfer", "转学证明");
        later.effective_from = Some(day("2027-01-01"));
        let v1 = layer(CatalogLevel::City, "city-1", "2026-01-01", vec![matter("a", "甲证明")]);
        let v2 = layer(CatalogLevel::City, "city-2", "2026-10-01", vec![matter("b", "乙证明"), later]);
        let v3 = layer(CatalogLevel::City, "city-3", "2027-02-01", vec![]);
        let c = compose(&national, &[v1, v2, v3], day("2026-12-01"));
        assert_eq!(c.version, "CN-2026.1+city-2");
        assert!(c.find("a").is_none(), "an edition replaces the previous one whole");
        assert!(c.find("b").is_some());
        assert!(c.find("school_transfer").is_none(), "not in force before 2027-01-01");
    }

    #[test]
    fn no_layer_takes_a_matter_off_the_national_list() {
        let national = CatalogLayer::national(true);
        let mut death = matter("death", "死亡证明");
        death.national_list = false;
        death.community_duty = true;
        death.suggested_basis =
            Some(LegalBasis { law: "某条例".into(), article: "第一条".into(), text: "……".into() });
        let city = layer(CatalogLevel::City, "city-1", "2026-01-01", vec![death.clone()]);
        let problems = city.check(&national).unwrap_err();
        assert_eq!(problems.iter().map(|p| p.code()).collect::<Vec<_>>(), vec!["seal_layer_national_override"]);
        assert!(problems[0].message().contains("死亡证明"), "{}", problems[0].message());
        // Even if such a layer got in by another way, the list stands, and the
        // national pointer to where to go is kept.
        let c = compose(&national, &[city], day("2026-12-01"));
        let d = c.find("death").unwrap();
        assert!(d.national_list && !d.community_duty && d.obtain_from.is_some());
    }

    #[test]
    fn a_layer_file_is_checked_whole() {
        let national = CatalogLayer::national(false);
        let text = r#"{"level":"national","region":"","version":"bad version!","effective_from":"2026-01-01",
            "matters":[{"code":"Bad","name":""},{"code":"x","name":"甲","initials":"ab"},{"code":"x","name":"乙",
            "community_duty":true},{"code":"y","name":"丙","effective_from":"2025-12-31"}]}"#;
        let codes: Vec<_> = CatalogLayer::parse(text, &national).unwrap_err().iter().map(|p| p.code()).collect();
        assert_eq!(
            codes,
            vec![
                "seal_layer_national",
                "seal_layer_version_invalid",
                "seal_layer_region_invalid",
                "seal_layer_code_invalid",
                "seal_layer_name_invalid",
                "seal_layer_initials_invalid",
                "seal_layer_duplicate_code",
                "seal_layer_basis_missing",
                "seal_layer_entry_before_layer",
            ]
        );
        let e = CatalogLayer::parse("不是 JSON", &national).unwrap_err();
        assert_eq!(e[0].code(), "seal_layer_not_a_layer");
        assert_eq!(e[0].field(), Some("file"));
        let ok = r#"{"level":"province","region":"湖北省","version":"HB-2026.1","effective_from":"2026-03-01",
            "source":"示例","matters":[{"code":"school_transfer","name":"转学证明","initials":"zxzm","national_list":true}]}"#;
        assert_eq!(CatalogLayer::parse(ok, &national).unwrap().matters.len(), 1);
    }

    #[test]
    fn a_provincial_list_matter_is_refused_naming_the_province_document() {
        let national = CatalogLayer::national(false);
        let mut m = matter("school_transfer", "转学证明");
        m.obtain_from = Some("就读学校或教育行政部门".into());
        let province = layer(CatalogLevel::Province, "HB-2026.1", "2026-03-01", vec![m]);
        let c = compose(&national, &[province], day("2026-12-01"));
        let input = CertificateRequestInput {
            requester_kind: "public_institution".into(),
            requester_name: "某某小学".into(),
            resident_name: "王秀英".into(),
            resident_id_number: "11010519491231002X".into(),
            matter: "school_transfer".into(),
            purpose: "转学".into(),
            content: "兹证明……".into(),
            basis_law: "某条例".into(),
            basis_article: "第三条".into(),
            basis_text: "……".into(),
            ..Default::default()
        };
        let d = decide(&input.parse(&c).unwrap(), |c| c.to_string());
        assert_eq!(d.reasons.iter().map(|r| r.code()).collect::<Vec<_>>(), vec!["seal_local_list"]);
        let msg = d.reasons[0].message();
        assert!(msg.contains("省级") && msg.contains("HB-2026.1 文件") && msg.contains("就读学校"), "{msg}");
    }

    #[test]
    fn a_city_entry_is_parsed_from_the_form() {
        let today = day("2026-12-01");
        let errs = CityMatterInput {
            kind: "community_duty".into(),
            effective_from: "2026-11-30".into(),
            ..Default::default()
        }
        .parse(today)
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "basis_law", "basis_article", "basis_text", "source", "effective_from"]);
        let m = CityMatterInput {
            name: "转学证明".into(),
            initials: "ZXZM".into(),
            kind: "not_issued".into(),
            source: "某市民政局〔2026〕5号".into(),
            obtain_from: "就读学校".into(),
            effective_from: "2027-01-01".into(),
            ..Default::default()
        }
        .parse(today)
        .unwrap();
        assert!(m.national_list && !m.community_duty);
        assert_eq!((m.initials.as_str(), m.effective_from), ("zxzm", Some(day("2027-01-01"))));
        assert_eq!(city_code(&m, |_| false), "city_zxzm");
        assert_eq!(city_code(&m, |c| c == "city_zxzm"), "city_zxzm_1");
        let bad =
            CityMatterInput {
                name: "转学证明".into(), initials: "zx".into(), kind: "x".into(), ..Default::default()
            };
        let codes: Vec<_> = bad.parse(today).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(codes, vec!["initials", "kind", "source"]);
    }
}
