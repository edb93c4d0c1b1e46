//! Importing grids (GeoJSON) and households with their residents (CSV).
//!
//! Files come from other systems and from Excel; each problem is reported by
//! row (or feature) and field in Chinese, and nothing is imported until the
//! whole file is clean. Decoding the bytes (UTF-8 or GBK) is the caller's;
//! this module takes text rows.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field, FieldError, FieldErrorKind};
use crate::org::SpecialGroup;
use crate::pii::{IdNumber, PhoneNumber};

use super::boundary::{GridBoundary, Position};

/// One problem in a file: where, which field, what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// Line in the file (the header is line 1), or feature number from 1.
    pub row: usize,
    /// The column's name as in the file's header, or the property's.
    pub column: String,
    /// The problem's stable code, e.g. `field_required`.
    pub code: String,
    /// What is wrong, in Chinese, naming the column.
    pub message: String,
}

impl RowProblem {
    /// A problem on `row` from a field error (its label becomes the column).
    pub fn new(row: usize, e: &FieldError) -> Self {
        Self { row, column: e.label.to_string(), code: e.code().to_string(), message: e.message() }
    }
}

/// The largest household file accepted: a district's (about 300,000
/// residents in 50 MB) with room to spare.
pub const MAX_HOUSEHOLD_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The problem reported for a file over [`MAX_HOUSEHOLD_FILE_BYTES`], by the
/// import and by the command line alike.
pub fn too_large() -> RowProblem {
    RowProblem::file(&ImportFileError::TooLarge)
}

/// What is wrong with a household file as a whole (row 0, column 文件).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFileError {
    /// Larger than [`MAX_HOUSEHOLD_FILE_BYTES`].
    TooLarge,
    /// The server stopped while the import ran; its final transaction never
    /// committed, so nothing was written.
    Interrupted,
}

impl DomainError for ImportFileError {
    fn code(&self) -> &'static str {
        match self {
            ImportFileError::TooLarge => "import_too_large",
            ImportFileError::Interrupted => "import_interrupted",
        }
    }

    fn message(&self) -> String {
        match self {
            ImportFileError::TooLarge => {
                format!("文件超过 {} MB,请按街道或社区分批导入。", MAX_HOUSEHOLD_FILE_BYTES / (1024 * 1024))
            }
            ImportFileError::Interrupted => "已中断,未写入任何数据,请重新导入。".into(),
        }
    }
}

impl RowProblem {
    /// A problem of the whole file.
    pub fn file(e: &dyn DomainError) -> Self {
        Self { row: 0, column: "文件".into(), code: e.code().to_string(), message: e.message() }
    }
}

/// Where a background household import stands. Codes are stored
/// (`import_jobs.status`) and sent; labels are what the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportPhase {
    /// Decoding the bytes and reading the CSV rows.
    Reading,
    /// Checking every row, against the database too.
    Checking,
    /// Writing: staged in short transactions, then applied in one.
    Writing,
    /// Written and committed.
    Done,
    /// Refused with problems (or an error): nothing written.
    Failed,
    /// The server stopped while it ran: nothing written.
    Interrupted,
}

impl ImportPhase {
    /// Every phase, in order.
    pub const ALL: [ImportPhase; 6] = [
        ImportPhase::Reading,
        ImportPhase::Checking,
        ImportPhase::Writing,
        ImportPhase::Done,
        ImportPhase::Failed,
        ImportPhase::Interrupted,
    ];

    /// Stable code, as stored in `import_jobs.status`.
    pub fn code(self) -> &'static str {
        match self {
            ImportPhase::Reading => "reading",
            ImportPhase::Checking => "checking",
            ImportPhase::Writing => "writing",
            ImportPhase::Done => "done",
            ImportPhase::Failed => "failed",
            ImportPhase::Interrupted => "interrupted",
        }
    }

    /// The Chinese label the import page shows.
    pub fn label(self) -> &'static str {
        match self {
            ImportPhase::Reading => "读取",
            ImportPhase::Checking => "校验",
            ImportPhase::Writing => "写入",
            ImportPhase::Done => "完成",
            ImportPhase::Failed => "失败",
            ImportPhase::Interrupted => "已中断",
        }
    }

    /// The phase of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Whether the job has ended (its report is final).
    pub fn is_final(self) -> bool {
        matches!(self, ImportPhase::Done | ImportPhase::Failed | ImportPhase::Interrupted)
    }
}

// Columns of the household file. The header may use these Chinese names (as
// a clerk types them) or the English names in brackets.
/// Column “网格编码” (`grid_code`) of the household file.
pub const COL_GRID: Field = Field::new("grid_code", "网格编码");
/// Column “户编号” (`household_code`) of the household file.
pub const COL_HOUSEHOLD: Field = Field::new("household_code", "户编号");
/// Column “地址” (`address`) of the household file.
pub const COL_ADDRESS: Field = Field::new("address", "地址");
/// Column “楼栋” (`building`) of the household file.
pub const COL_BUILDING: Field = Field::new("building", "楼栋");
/// Column “经度” (`lon`) of the household file.
pub const COL_LON: Field = Field::new("lon", "经度");
/// Column “纬度” (`lat`) of the household file.
pub const COL_LAT: Field = Field::new("lat", "纬度");
/// Column “姓名” (`name`) of the household file.
pub const COL_NAME: Field = Field::new("name", "姓名");
/// Column “公民身份号码” (`id_number`) of the household file.
pub const COL_ID_NUMBER: Field = Field::new("id_number", "公民身份号码");
/// Column “联系电话” (`phone`) of the household file.
pub const COL_PHONE: Field = Field::new("phone", "联系电话");
/// Column “特殊群体” (`special_group`) of the household file.
pub const COL_GROUP: Field = Field::new("special_group", "特殊群体");
/// Column “纳入日期” (`since`) of the household file.
pub const COL_SINCE: Field = Field::new("since", "纳入日期");

/// Every column the household file may have, in the usual order.
pub const HOUSEHOLD_COLUMNS: [Field; 11] = [
    COL_GRID,
    COL_HOUSEHOLD,
    COL_ADDRESS,
    COL_BUILDING,
    COL_LON,
    COL_LAT,
    COL_NAME,
    COL_ID_NUMBER,
    COL_PHONE,
    COL_GROUP,
    COL_SINCE,
];
const REQUIRED: [Field; 7] = [COL_GRID, COL_HOUSEHOLD, COL_ADDRESS, COL_LON, COL_LAT, COL_NAME, COL_ID_NUMBER];

/// A household (住户) as imported.
#[derive(Clone, Debug, PartialEq)]
pub struct HouseholdRecord {
    /// 网格编码.
    pub grid_code: String,
    /// 户编号.
    pub code: String,
    /// 地址.
    pub address: String,
    /// 楼栋.
    pub building: String,
    /// Where the household stands (WGS-84).
    pub position: Position,
    /// Its residents, in file order.
    pub residents: Vec<ResidentRecord>,
}

/// A resident (居民) as imported.
#[derive(Clone, Debug, PartialEq)]
pub struct ResidentRecord {
    /// Line in the file, for problems found later (such as scope).
    pub line: usize,
    /// 姓名.
    pub name: String,
    /// 公民身份号码.
    pub id_number: IdNumber,
    /// 联系电话.
    pub phone: Option<PhoneNumber>,
    /// 特殊群体.
    pub special_group: Option<SpecialGroup>,
    /// 纳入日期.
    pub since: Option<NaiveDate>,
}

/// Reads the household file: `rows[0]` is the header. `grids` are the grid
/// codes the importer may write to. One row per resident; the household's
/// columns repeat on each of its residents' rows and must agree.
pub fn parse_households(
    rows: &[Vec<String>],
    grids: &HashSet<String>,
) -> Result<Vec<HouseholdRecord>, Vec<RowProblem>> {
    parse_households_with(rows, |code| grids.contains(code))
}

/// [`parse_households`] with the importer's grids given as a test on the
/// grid code: a tool without the database (the `gongzhi` command line) checks
/// every other rule and accepts any grid code, or the codes of a boundary file.
pub fn parse_households_with(
    rows: &[Vec<String>],
    known_grid: impl Fn(&str) -> bool,
) -> Result<Vec<HouseholdRecord>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let Some(header) = rows.first() else {
        return Err(vec![RowProblem {
            row: 1,
            column: "表头".into(),
            code: "import_empty".into(),
            message: "文件为空,第一行应为表头。".into(),
        }]);
    };
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        if let Some(f) = HOUSEHOLD_COLUMNS.iter().find(|f| f.label == h || f.name == h) {
            index.insert(f.name, i);
        }
    }
    for f in REQUIRED {
        if !index.contains_key(f.name) {
            problems.push(RowProblem {
                row: 1,
                column: f.label.into(),
                code: "import_column_missing".into(),
                message: format!("表头缺少“{}”列。", f.label),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    fn cell<'r>(index: &HashMap<&'static str, usize>, row: &'r [String], f: Field) -> &'r str {
        index.get(f.name).and_then(|&i| row.get(i)).map(|s| s.trim()).unwrap_or("")
    }
    let cell = |row: &'_ Vec<String>, f: Field| -> String { cell(&index, row, f).to_string() };

    let mut households: Vec<HouseholdRecord> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut ids_seen: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let line = i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut push = |e: FieldError| problems.push(RowProblem::new(line, &e));
        let text = |f: Field, max: usize| f.required_text(&cell(row, f), max);

        let grid = match text(COL_GRID, 40) {
            Ok(g) if known_grid(&g) => Some(g),
            Ok(g) => {
                push(COL_GRID.error(FieldErrorKind::UnknownOption { raw: g }));
                None
            }
            Err(e) => {
                push(e);
                None
            }
        };
        let code = text(COL_HOUSEHOLD, 40).map_err(&mut push).ok();
        let address = text(COL_ADDRESS, 120).map_err(&mut push).ok();
        let building = cell(row, COL_BUILDING).chars().take(40).collect::<String>();
        let position = match Position::parse(&cell(row, COL_LON), &cell(row, COL_LAT)) {
            Ok(p) => Some(p),
            Err(errs) => {
                for e in errs {
                    // Report under the file's own column names.
                    let f = if e.field == "lon" { COL_LON } else { COL_LAT };
                    push(FieldError::new(f.name, f.label, e.kind));
                }
                None
            }
        };
        let name = text(COL_NAME, 40).map_err(&mut push).ok();
        let id_number = match IdNumber::parse(COL_ID_NUMBER, &cell(row, COL_ID_NUMBER)) {
            Ok(id) => {
                if let Some(first) = ids_seen.insert(id.expose().to_string(), line) {
                    push(COL_ID_NUMBER.error(FieldErrorKind::Duplicate { raw: format!("与第 {first} 行") }));
                }
                Some(id)
            }
            Err(e) => {
                push(e);
                None
            }
        };
        let phone = match cell(row, COL_PHONE).as_str() {
            "" => Some(None),
            raw => PhoneNumber::parse(COL_PHONE, raw).map(Some).map_err(&mut push).ok(),
        };
        let group = match cell(row, COL_GROUP).as_str() {
            "" | "无" => Some(None),
            raw => match SpecialGroup::ALL.into_iter().find(|g| g.label() == raw || g.code() == raw) {
                Some(g) => Some(Some(g)),
                None => {
                    push(COL_GROUP.error(FieldErrorKind::UnknownOption { raw: raw.into() }));
                    None
                }
            },
        };
        let since = match cell(row, COL_SINCE).as_str() {
            "" => Some(None),
            raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(raw, "%Y/%m/%d"))
            {
                Ok(d) => Some(Some(d)),
                Err(_) => {
                    push(COL_SINCE.error(FieldErrorKind::InvalidDate { raw: raw.into() }));
                    None
                }
            },
        };
        let (
            Some(grid),
            Some(code),
            Some(address),
            Some(position),
            Some(name),
            Some(id_number),
            Some(phone),
            Some(group),
            Some(since),
        ) = (grid, code, address, position, name, id_number, phone, group, since)
        else {
            continue;
        };
        let resident = ResidentRecord { line, name, id_number, phone, special_group: group, since };
        match by_code.get(&code) {
            Some(&h) => {
                let existing = &mut households[h];
                if existing.grid_code != grid || existing.address != address {
                    push(COL_HOUSEHOLD.error(FieldErrorKind::InvalidFormat {
                        expected: "同一户编号的各行,网格编码和地址须一致",
                    }));
                    continue;
                }
                existing.residents.push(resident);
            }
            None => {
                by_code.insert(code.clone(), households.len());
                households.push(HouseholdRecord {
                    grid_code: grid,
                    code,
                    address,
                    building,
                    position,
                    residents: vec![resident],
                });
            }
        }
    }
    if households.is_empty() && problems.is_empty() {
        problems.push(RowProblem {
            row: 2,
            column: "数据".into(),
            code: "import_empty".into(),
            message: "文件中没有数据行。".into(),
        });
    }
    if problems.is_empty() {
        Ok(households)
    } else {
        Err(problems)
    }
}

/// A grid's (or community's) boundary as imported.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundaryFeature {
    /// Feature number, from 1.
    pub number: usize,
    /// Code of the grid or community (org node) it belongs to.
    pub code: String,
    /// A new name, if given.
    pub name: Option<String>,
    /// For a grid not yet known: the community it belongs to.
    pub community: Option<String>,
    /// The boundary, validated.
    pub boundary: GridBoundary,
}

/// Property `code` of a boundary feature, reported as “编码(code)”.
pub const PROP_CODE: Field = Field::new("code", "编码(code)");
/// Property `name` of a boundary feature, reported as “名称(name)”.
pub const PROP_NAME: Field = Field::new("name", "名称(name)");
/// Property `geometry` of a boundary feature, reported as “边界(geometry)”.
pub const PROP_GEOMETRY: Field = Field::new("geometry", "边界(geometry)");

/// At most this many features in one boundary file (a district has a few
/// hundred grids): bounds the work of the overlap checks.
pub const MAX_BOUNDARY_FEATURES: usize = 2_000;
/// At most this many vertices in one feature, and in the whole file.
pub const MAX_FEATURE_VERTICES: usize = 10_000;
/// At most this many vertices in the whole file.
pub const MAX_FILE_VERTICES: usize = 200_000;

/// How many positions a GeoJSON geometry holds.
fn vertex_count(value: &geojson::GeometryValue) -> usize {
    use geojson::GeometryValue as V;
    match value {
        V::Point { .. } => 1,
        V::MultiPoint { coordinates } | V::LineString { coordinates } => coordinates.len(),
        V::MultiLineString { coordinates } | V::Polygon { coordinates } => coordinates.iter().map(Vec::len).sum(),
        V::MultiPolygon { coordinates } => coordinates.iter().flatten().map(Vec::len).sum(),
        V::GeometryCollection { geometries } => geometries.iter().map(|g| vertex_count(&g.value)).sum(),
    }
}

/// Reads a GeoJSON FeatureCollection of boundaries: each feature has
/// `properties.code` (a grid's or community's code), optional `name`, and
/// for a new grid `community`.
pub fn parse_boundaries(raw: &str) -> Result<Vec<BoundaryFeature>, Vec<RowProblem>> {
    let problem = |row, column: &str, code: &str, message: String| RowProblem {
        row,
        column: column.into(),
        code: code.into(),
        message,
    };
    let fc = match raw.trim_start_matches('\u{feff}').parse::<geojson::GeoJson>() {
        Ok(geojson::GeoJson::FeatureCollection(fc)) => fc,
        Ok(_) => {
            return Err(vec![problem(
                0,
                "文件",
                "import_not_feature_collection",
                "文件应为 GeoJSON FeatureCollection(要素集合)。".into(),
            )])
        }
        Err(e) => {
            return Err(vec![problem(
                0,
                "文件",
                "geometry_not_geojson",
                format!("文件不是有效的 GeoJSON:{}。", e.to_string().chars().take(80).collect::<String>()),
            )])
        }
    };
    if fc.features.len() > MAX_BOUNDARY_FEATURES {
        let message =
            format!("一个文件最多 {MAX_BOUNDARY_FEATURES} 个要素(本文件 {} 个),请分批导入。", fc.features.len());
        return Err(vec![problem(0, "文件", "import_too_many_features", message)]);
    }
    let counts: Vec<usize> =
        fc.features.iter().map(|f| f.geometry.as_ref().map_or(0, |g| vertex_count(&g.value))).collect();
    let total: usize = counts.iter().sum();
    if total > MAX_FILE_VERTICES {
        let message = format!("文件共有 {total} 个坐标点,超过 {MAX_FILE_VERTICES} 个,请简化边界或分批导入。");
        return Err(vec![problem(0, "文件", "import_too_many_vertices", message)]);
    }
    let too_detailed: Vec<RowProblem> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > MAX_FEATURE_VERTICES)
        .map(|(i, n)| {
            let message = format!("边界有 {n} 个坐标点,超过 {MAX_FEATURE_VERTICES} 个,请简化后再导入。");
            problem(i + 1, PROP_GEOMETRY.label, "import_too_many_vertices", message)
        })
        .collect();
    if !too_detailed.is_empty() {
        return Err(too_detailed);
    }
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut codes = HashSet::new();
    for (i, f) in fc.features.iter().enumerate() {
        let number = i + 1;
        let prop =
            |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let code = prop("code");
        match &code {
            None => problems.push(RowProblem::new(number, &PROP_CODE.error(FieldErrorKind::Required))),
            Some(c) if !codes.insert(c.clone()) => {
                problems.push(RowProblem::new(number, &PROP_CODE.error(FieldErrorKind::Duplicate { raw: c.clone() })))
            }
            _ => {}
        }
        let name = prop("name");
        if name.as_ref().is_some_and(|n| n.chars().count() > 40) {
            problems.push(RowProblem::new(number, &PROP_NAME.error(FieldErrorKind::TooLong { max: 40 })));
        }
        let boundary = match &f.geometry {
            None => Err(PROP_GEOMETRY.error(FieldErrorKind::Required)),
            Some(g) => GridBoundary::from_geometry(PROP_GEOMETRY, g).map_err(|e| {
                let message = e.message();
                let mut fe = e.into_field_error();
                fe.label = PROP_GEOMETRY.label;
                problems.push(RowProblem {
                    row: number,
                    column: PROP_GEOMETRY.label.into(),
                    code: fe.code().into(),
                    message,
                });
                fe
            }),
        };
        match (code, boundary) {
            (Some(code), Ok(boundary)) => {
                out.push(BoundaryFeature { number, code, name, community: prop("community"), boundary })
            }
            (_, Err(e)) if f.geometry.is_none() => problems.push(RowProblem::new(number, &e)),
            _ => {}
        }
    }
    if fc.features.is_empty() {
        problems.push(problem(0, "文件", "import_empty", "文件中没有任何要素。".into()));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn phases_have_stable_distinct_codes_and_labels() {
        use super::ImportPhase;
        let codes: std::collections::HashSet<_> = ImportPhase::ALL.iter().map(|p| p.code()).collect();
        let labels: std::collections::HashSet<_> = ImportPhase::ALL.iter().map(|p| p.label()).collect();
        assert_eq!((codes.len(), labels.len()), (6, 6));
        for p in ImportPhase::ALL {
            assert_eq!(ImportPhase::from_code(p.code()), Some(p));
        }
        assert_eq!(ImportPhase::Writing.label(), "写入");
        assert!(super::ImportFileError::TooLarge.message().contains("64 MB"));
    }

    use super::*;

    fn rows(csv: &str) -> Vec<Vec<String>> {
        csv.lines().map(|l| l.split(',').map(String::from).collect()).collect()
    }

    fn grids() -> HashSet<String> {
        ["G-01".to_string()].into()
    }

    const HEADER: &str = "网格编码,户编号,地址,楼栋,经度,纬度,姓名,公民身份号码,联系电话,特殊群体,纳入日期";

    #[test]
    fn a_clean_file_groups_residents_by_household() {
        let f = format!(
            "{HEADER}\nG-01,H1,1 栋 101,1 栋,116.0,39.9,王秀英,11010519491231002X,13900001111,独居老人,2025-03-01\nG-01,H1,1 栋 101,1 栋,116.0,39.9,李建国,110105195001010012,,,\nG-01,H2,1 栋 102,1 栋,116.0001,39.9,张敏,110105198003030029,,,\n"
        );
        let hh = parse_households(&rows(&f), &grids()).unwrap();
        assert_eq!(hh.len(), 2);
        assert_eq!(hh[0].residents.len(), 2);
        assert_eq!(hh[0].residents[0].special_group, Some(SpecialGroup::ElderlyAlone));
    }

    #[test]
    fn every_bad_cell_is_reported_by_line_and_column() {
        let f = format!(
            "{HEADER}\nG-99,H1,1 栋 101,,116.0,39.9,王秀英,110105194912310021,,独居,\nG-01,H2,,,abc,95,李建国,,12345,,2025-13-01\n"
        );
        let problems = parse_households(&rows(&f), &grids()).unwrap_err();
        let seen: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(
            seen,
            [
                (2, "网格编码"),
                (2, "公民身份号码"),
                (2, "特殊群体"),
                (3, "地址"),
                (3, "经度"),
                (3, "纬度"),
                (3, "公民身份号码"),
                (3, "联系电话"),
                (3, "纳入日期")
            ]
        );
        assert!(problems[0].message.contains("网格编码"), "{}", problems[0].message);
    }

    #[test]
    fn missing_columns_and_repeated_id_numbers_are_reported() {
        let p = parse_households(&rows("网格编码,地址\n"), &grids()).unwrap_err();
        assert!(p.iter().any(|p| p.column == "户编号" && p.code == "import_column_missing"));
        let f = format!(
            "{HEADER}\nG-01,H1,a,,116,39.9,甲,11010519491231002X,,,\nG-01,H2,b,,116,39.9,乙,11010519491231002X,,,\n"
        );
        let p = parse_households(&rows(&f), &grids()).unwrap_err();
        assert_eq!((p[0].row, p[0].code.as_str()), (3, "field_duplicate"));
    }

    #[test]
    fn boundaries_are_read_per_feature() {
        let good = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"G-01","name":"一网格"},"geometry":{"type":"Polygon","coordinates":[[[116,39.9],[116.001,39.9],[116.001,39.901],[116,39.9]]]}}]}"#;
        let f = parse_boundaries(good).unwrap();
        assert_eq!((f[0].code.as_str(), f[0].name.as_deref()), ("G-01", Some("一网格")));
        let bad = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[116,39.9],[116.001,39.9],[116.001,39.901],[116,39.9]]]}},
            {"type":"Feature","properties":{"code":"G-02"},"geometry":{"type":"Point","coordinates":[116,39.9]}}]}"#;
        let p = parse_boundaries(bad).unwrap_err();
        assert_eq!(
            p.iter().map(|p| (p.row, p.column.as_str())).collect::<Vec<_>>(),
            [(1, "编码(code)"), (2, "边界(geometry)")]
        );
        assert!(parse_boundaries("[]").is_err());
    }
}
