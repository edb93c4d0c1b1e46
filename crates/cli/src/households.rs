//! `gongzhi check-households file.csv`: the household file checked by the
//! domain's import check (`grid::import::parse_households_with`), decoded and
//! split into rows as the server's import does, and reported by row and
//! column as the import page shows it.

use std::collections::HashSet;

use gongzhi_domain::grid::import::{
    parse_boundaries, parse_households_with, too_large, RowProblem, MAX_HOUSEHOLD_FILE_BYTES,
};
use gongzhi_domain::grid::locate::{GridIndex, BORDER_TOLERANCE_M};

use crate::args::{Args, Opt};
use crate::{Failure, Outcome};

const COMMAND: &str = "check-households";

const HELP: &str = "\
gongzhi check-households —— 检查住户与居民导入文件(CSV)

用法:
  gongzhi check-households <住户.csv> [--grids <网格.geojson>]

文件为 UTF-8(可带 BOM)或 GBK 编码(Excel 另存的 CSV):合法的 UTF-8 按 UTF-8 读取,
否则按 GBK(GB 18030)读取。每行一位居民,第一行为表头,列名用中文或英文:
  网格编码(grid_code)、户编号(household_code)、地址(address)、经度(lon)、
  纬度(lat)、姓名(name)、公民身份号码(id_number) 必填;
  楼栋(building)、联系电话(phone)、特殊群体(special_group)、纳入日期(since) 可选。
同一户编号的各行,网格编码和地址须一致。

检查规则与“网格数据导入”页面完全相同,问题按行、列列出。

选项:
  --grids <网格.geojson>  只接受该边界文件中的网格编码,并提示位置不在所填网格内的住户
                          (未给出时不核对网格编码:导入时以系统中您管辖的网格为准)
  -h, --help              显示本帮助

退出码:0 检查通过;1 文件有问题;2 无法读取文件。
";

/// Text of a CSV file: UTF-8 (with or without BOM) if it is valid UTF-8,
/// otherwise GBK (GB 18030), as the server's import decodes it.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            (text.into_owned(), "gbk")
        }
    }
}

/// Prints problems as the import page's table: row, column, problem.
pub fn print_problems(problems: &[RowProblem]) {
    out!("行\t列\t问题");
    for p in problems {
        let row = if p.row == 0 { "—".to_string() } else { p.row.to_string() };
        out!("{row}\t{}\t{}", p.column, p.message);
    }
}

/// Runs the subcommand.
pub fn run(args: Args) -> Result<Outcome, Failure> {
    let parsed = args.parse(COMMAND, &[Opt { name: "--grids", value: Some("网格边界文件(GeoJSON)") }])?;
    if parsed.help {
        out!("{}", HELP.trim_end());
        return Ok(Outcome::Ok);
    }
    let [path]: [String; 1] = parsed.positionals(COMMAND, &["住户.csv"])?.try_into().expect("one positional");
    let grids = match parsed.value("--grids") {
        Some(grids_path) => Some(read_grids(grids_path)?),
        None => None,
    };
    let bytes = crate::read_input(&path)?;
    if bytes.len() > MAX_HOUSEHOLD_FILE_BYTES {
        out!("发现 1 处问题,未导入任何数据。请改正后重新上传。");
        print_problems(&[too_large()]);
        return Ok(Outcome::Findings);
    }
    let (text, encoding) = decode(&bytes);
    let encoding = format!("(文件编码:{})", encoding.to_uppercase());
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        match rec {
            Ok(rec) => rows.push(rec.iter().map(String::from).collect()),
            Err(e) => {
                let message =
                    format!("第 {} 行无法按 CSV 读取:{}", i + 1, e.to_string().chars().take(60).collect::<String>());
                out!("发现 1 处问题,未导入任何数据。请改正后重新上传{encoding}。");
                print_problems(&[RowProblem { row: 0, column: "文件".into(), code: "import_csv".into(), message }]);
                return Ok(Outcome::Findings);
            }
        }
    }
    let data_rows = rows.len().saturating_sub(1);
    let known = |code: &str| grids.as_ref().is_none_or(|(codes, _)| codes.iter().any(|c| c == code));
    let households = match parse_households_with(&rows, known) {
        Ok(h) => h,
        Err(problems) => {
            out!("发现 {} 处问题,未导入任何数据。请改正后重新上传{encoding}。", problems.len());
            print_problems(&problems);
            return Ok(Outcome::Findings);
        }
    };
    let residents: usize = households.iter().map(|h| h.residents.len()).sum();
    out!("检查通过:共 {data_rows} 行({} 户,{residents} 人),可以导入{encoding}。", households.len());
    match &grids {
        None => out!("未给出 --grids:网格编码未核对,导入时以系统中您管辖的网格为准。"),
        Some((codes, index)) => {
            // As the server warns: a household standing outside its grid's boundary.
            let mut warnings = Vec::new();
            for h in &households {
                let hits = index.locate(h.position, BORDER_TOLERANCE_M);
                if !hits.is_empty() && !hits.iter().any(|hit| codes[hit.key] == h.grid_code) {
                    warnings.push(format!(
                        "户 {}({})的位置不在网格 {} 的边界内,请核对经纬度。",
                        h.code, h.address, h.grid_code
                    ));
                }
            }
            warnings.truncate(50);
            if !warnings.is_empty() {
                out!("请留意:");
                for w in warnings {
                    out!("  {w}");
                }
            }
        }
    }
    Ok(Outcome::Ok)
}

/// The grids' codes, and their boundaries indexed by position in that list.
type Grids = (Vec<String>, GridIndex<usize>);

/// The grid codes and boundaries of a boundary file (communities it names
/// left out). A file with problems stops the run: check it with check-grids.
fn read_grids(path: &str) -> Result<Grids, Failure> {
    let bytes = crate::read_input(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| Failure::Input(format!("网格文件“{path}”应为 UTF-8 编码。")))?;
    let features = parse_boundaries(text).map_err(|problems| {
        let first = problems.first().map(|p| p.message.clone()).unwrap_or_default();
        Failure::Input(format!(
            "网格文件“{path}”有 {} 处问题(第一处:{first}),请先运行 gongzhi check-grids {path}。",
            problems.len()
        ))
    })?;
    let communities: HashSet<String> = features.iter().filter_map(|f| f.community.clone()).collect();
    let grids: Vec<_> = features.into_iter().filter(|f| !communities.contains(&f.code)).collect();
    let codes = grids.iter().map(|f| f.code.clone()).collect();
    let index = GridIndex::new(grids.into_iter().enumerate().map(|(i, f)| (i, f.boundary)).collect());
    Ok((codes, index))
}
