//! A household CSV check (住户导入): the rows of a household file, checked
//! whole, every problem by line and column in Chinese — the report the
//! import page and `gongzhi check-households` give. Decoding the file (UTF-8
//! or GBK) and splitting it into cells is the caller's; here the cells are
//! split on commas.
//!
//! `cargo run -p gongzhi-domain --example household_csv_check`

use std::collections::HashSet;

use gongzhi_domain::grid::import::parse_households;

const FILE: &str = "\
网格编码,户编号,地址,楼栋,经度,纬度,姓名,公民身份号码,联系电话,特殊群体,纳入日期
G-01,H1,幸福路 1 栋 101,1 栋,116.0005,39.9005,王秀英,11010519491231002X,13900001111,独居老人,2025-03-01
G-01,H1,幸福路 1 栋 101,1 栋,116.0005,39.9005,李建国,110105195001010013,,,
G-07,H2,幸福路 2 栋 201,2 栋,116.0025,39.9005,张敏,110105198003030029,12345,,
";

fn report() -> String {
    let rows: Vec<Vec<String>> = FILE.lines().map(|l| l.split(',').map(String::from).collect()).collect();
    // The grids the importer may write to (the server reads them from its scope).
    let grids: HashSet<String> = ["G-01".to_string()].into();
    match parse_households(&rows, &grids) {
        Ok(households) => format!("检查通过:{} 户\n", households.len()),
        Err(problems) => {
            let mut out = format!("发现 {} 处问题,未导入任何数据:\n", problems.len());
            for p in problems {
                out += &format!("  第 {} 行 {}:{}\n", p.row, p.column, p.message);
            }
            out
        }
    }
}

fn main() {
    print!("{}", report());
}

#[test]
fn the_example_reports_each_bad_cell() {
    let out = report();
    assert!(out.starts_with("发现 3 处问题"), "{out}");
    assert!(out.contains("第 3 行 公民身份号码:"), "{out}");
    assert!(out.contains("第 4 行 网格编码:") && out.contains("第 4 行 联系电话:"), "{out}");
}
