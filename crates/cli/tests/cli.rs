//! Drives the `gongzhi` binary as a street office would: the fixtures under
//! `tests/fixtures/`, the output read as text, the exit codes checked
//! (0 ok, 1 findings, 2 usage or I/O error).

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).to_string_lossy().into_owned()
}

/// Runs `gongzhi args…` with "today" pinned, as the server's tests pin it.
fn gongzhi(args: &[&str]) -> (i32, String, String) {
    let Output { status, stdout, stderr } = Command::new(env!("CARGO_BIN_EXE_gongzhi"))
        .args(args)
        .env("GONGZHI_TODAY", "2026-11-24")
        .output()
        .expect("the binary runs");
    (
        status.code().expect("exited, not killed"),
        String::from_utf8(stdout).expect("UTF-8 output"),
        String::from_utf8(stderr).expect("UTF-8 errors"),
    )
}

fn scratch(name: &str, contents: &[u8]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gongzhi-cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn due_across_the_national_day_holiday() {
    let (code, out, _) = gongzhi(&["due", "2026-09-28", "15"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("截止日期:2026-10-23(星期五)"), "{out}");
    // 国庆节 1–7 October is passed over; Saturday 10 October is worked and counted.
    assert!(out.contains("跨越的节假日(7 天,不计):2026-10-01(星期四,国庆节)"), "{out}");
    assert!(out.contains("调休上班日(1 天,计入):2026-10-10(星期六,国庆节)"), "{out}");
    assert!(out.contains("共 25 个自然日,其中周末 3 天不计"), "{out}");
}

#[test]
fn due_into_an_unpublished_year_is_refused_unless_provisional() {
    let (code, out, _) = gongzhi(&["due", "2026-12-21", "15"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("2027 年的国务院节假日安排尚未发布或尚未导入"), "{out}");
    assert!(out.contains("--provisional"), "{out}");
    // The same answer as GET /api/calendar/due?…&provisional=allow (server/tests/calendar_api.rs).
    let (code, out, _) = gongzhi(&["due", "2026-12-21", "15", "--provisional"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("截止日期:2027-01-12(星期二)"), "{out}");
    assert!(out.contains("暂定:按法定节假日暂定,待国务院公布 2027 年安排后自动更正"), "{out}");
}

#[test]
fn due_reads_a_schedule_from_a_holidays_directory() {
    // A 2027 schedule as an administrator would import it: 元旦 off, Sunday 10 January worked.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gongzhi-cli-holidays");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("2027.json"),
        r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-10","isOffDay":false}]}"#,
    )
    .unwrap();
    let (code, out, _) = gongzhi(&["due", "2026-12-21", "15", "--holidays", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("截止日期:2027-01-11(星期一)"), "{out}");
    assert!(out.contains("调休上班日(1 天,计入):2027-01-10(星期日,元旦)"), "{out}");
    assert!(!out.contains("暂定"), "{out}");
}

#[test]
fn due_usage_errors_name_the_argument() {
    let (code, _, err) = gongzhi(&["due", "2026-02-30", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("起算日期“2026-02-30”不是有效日期"), "{err}");
    assert!(err.contains("工作日天数必须在 1 到 1000 之间"), "{err}");
    let (code, _, err) = gongzhi(&["due", "2026-09-28"]);
    assert_eq!((code, err.lines().next()), (2, Some("错误:缺少参数“工作日天数”。")));
    let (code, _, err) = gongzhi(&["due", "2026-09-28", "15", "--fast"]);
    assert_eq!(code, 2);
    assert!(err.contains("子命令 due 没有选项“--fast”。") && err.contains("gongzhi due --help"), "{err}");
    let (code, _, err) = gongzhi(&["due", "2026-09-28", "15", "--holidays", "/nonexistent/holidays"]);
    assert_eq!(code, 2);
    assert!(err.contains("无法读取目录“/nonexistent/holidays”:文件不存在"), "{err}");
}

#[test]
fn a_seal_request_for_the_police_own_duty_without_an_article_is_refused() {
    let (code, out, _) = gongzhi(&["seal-check", &fixture("seal-refused.json")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("证明事项:户籍证明(household_registration)"), "{out}");
    assert!(out.contains("结论:不予出具。理由(2 条)"), "{out}");
    assert!(out.contains("[seal_no_article]") && out.contains("[seal_requester_own_duty]"), "{out}");
    assert!(out.contains("该证明事项属于申请单位(gaj)自身职责范围"), "{out}");
}

#[test]
fn a_seal_request_within_the_community_duty_with_its_article_is_allowed() {
    let (code, out, _) = gongzhi(&["seal-check", &fixture("seal-allowed.json")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("结论:可以出具"), "{out}");
}

#[test]
fn seal_field_errors_and_unreadable_json() {
    let path = scratch("seal-fields.json", r#"{"requester_kind":"department","matter":"no_such_matter"}"#.as_bytes());
    let (code, out, _) = gongzhi(&["seal-check", &path]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("请求有 7 处问题,无法判断"), "{out}");
    assert!(out.contains("申请部门(requester_department)"), "{out}");
    assert!(out.contains("证明事项(matter)"), "{out}");
    let path = scratch("seal-broken.json", b"{\"matter\": ");
    let (code, _, err) = gongzhi(&["seal-check", &path]);
    assert_eq!(code, 2);
    assert!(err.contains("seal-broken.json") && err.contains("第 1 行"), "{err}");
    let (code, _, err) = gongzhi(&["seal-check", "/nonexistent/request.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("无法读取文件“/nonexistent/request.json”:文件不存在"), "{err}");
}

#[test]
fn a_gbk_household_file_reports_its_bad_row_and_column() {
    let (code, out, _) = gongzhi(&["check-households", &fixture("households-bad-gbk.csv")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("发现 1 处问题,未导入任何数据。请改正后重新上传(文件编码:GBK)。"), "{out}");
    // Decoded from GBK: the column's Chinese name is read back correctly.
    assert!(out.contains("3\t公民身份号码\t公民身份号码校验位不正确"), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).count(), 1, "{out}");
}

#[test]
fn a_household_file_over_the_limit_is_refused_as_the_import_refuses_it() {
    let limit = gongzhi_domain::grid::import::MAX_HOUSEHOLD_FILE_BYTES;
    let mut big = std::fs::read(fixture("households-good.csv")).unwrap();
    big.resize(limit + 1, b'\n');
    let path = scratch("households-big.csv", &big);
    let (code, out, _) = gongzhi(&["check-households", &path]);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("—\t文件\t文件超过 64 MB,请按街道或社区分批导入。"), "{out}");
}

/// The file of the server's own import test (server/tests/grid_api.rs,
/// `a_gbk_household_file_with_errors_imports_nothing_and_a_clean_one_imports`):
/// the CLI reports the same problems the API answers.
#[test]
fn the_servers_gbk_import_test_file_gets_the_same_report() {
    let bad = "网格编码,户编号,地址,楼栋,经度,纬度,姓名,公民身份号码,联系电话,特殊群体,纳入日期\n\
        DX-CD-XF-01,NEW-1,幸福社区 99 栋 101 室,99 栋,116.6005,28.2405,赵大爷,11010519491231002X,,独居老人,2026-01-01\n\
        DX-CD-XF-01,NEW-2,幸福社区 99 栋 102 室,99 栋,116.6035,28.2405,钱大妈,110105194912310021,,孤寡,\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(bad);
    let path = scratch("server-test-bad.csv", &gbk);
    let (code, out, _) = gongzhi(&["check-households", &path]);
    assert_eq!(code, 1, "{out}");
    let problems: Vec<(&str, &str)> =
        out.lines().skip(2).filter_map(|l| l.split('\t').collect::<Vec<_>>().get(0..2).map(|c| (c[0], c[1]))).collect();
    assert_eq!(problems, [("3", "公民身份号码"), ("3", "特殊群体")], "{out}");
    assert!(out.contains("“孤寡”") && out.contains("(文件编码:GBK)"), "{out}");
    let good = bad.replace("110105194912310021,,孤寡", "110105195001010012,,低保对象");
    let (gbk, _, _) = encoding_rs::GBK.encode(&good);
    let (code, out, _) = gongzhi(&["check-households", &scratch("server-test-good.csv", &gbk)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("检查通过:共 2 行(2 户,2 人)"), "{out}");
}

#[test]
fn a_good_utf8_household_file_passes() {
    let (code, out, _) = gongzhi(&["check-households", &fixture("households-good.csv")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("检查通过:共 3 行(2 户,3 人),可以导入(文件编码:UTF-8)。"), "{out}");
    assert!(out.contains("未给出 --grids"), "{out}");
}

#[test]
fn households_against_a_grid_file_check_codes_and_positions() {
    let good = std::fs::read_to_string(fixture("households-good.csv")).unwrap();
    // H2 says 第一网格 but stands in 第二网格; H3 names a grid the file does not have.
    let moved = good.replace("G-02,H2", "G-01,H2") + "G-09,H3,幸福路 9 栋,,116.001,39.901,赵六,110105199001010010,,,\n";
    let path = scratch("households-moved.csv", moved.as_bytes());
    let (code, out, _) = gongzhi(&["check-households", &path, "--grids", &fixture("grids-clean.geojson")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("发现 1 处问题"), "{out}");
    assert!(out.contains("5\t网格编码\t网格编码“G-09”"), "{out}");
    let path = scratch("households-moved-only.csv", good.replace("G-02,H2", "G-01,H2").as_bytes());
    let (code, out, _) = gongzhi(&["check-households", &path, "--grids", &fixture("grids-clean.geojson")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("户 H2(幸福路 2 栋 201)的位置不在网格 G-01 的边界内,请核对经纬度。"), "{out}");
}

#[test]
fn two_overlapping_grids_are_reported_with_areas() {
    let (code, out, _) = gongzhi(&["check-grids", &fixture("grids-overlap.geojson")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("社区 C-XF(幸福社区):2 个网格"), "{out}");
    // 0.0005° of the community's 0.004° width overlaps, a quarter is bare.
    let overlap = out.lines().find(|l| l.contains("重叠:网格“G-01”与“G-02”重叠约")).expect("overlap line");
    let area: f64 = overlap.split("重叠约 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!((area - 75962.0 / 8.0).abs() < 5.0, "{overlap}");
    assert!(out.contains("请留意:社区内约 18990 平方米(25.0%)未被任何网格覆盖。"), "{out}");
    assert!(out.contains("覆盖:75.0%"), "{out}");
}

#[test]
fn grids_that_tile_their_community_pass() {
    let (code, out, _) = gongzhi(&["check-grids", &fixture("grids-clean.geojson")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("覆盖:100.0%") && out.contains("检查通过:3 个要素"), "{out}");
    assert!(!out.contains("重叠:"), "{out}");
}

#[test]
fn a_community_named_on_the_command_line_holds_the_grids_that_name_none() {
    // Existing grids re-imported with their community's boundary carry no `community` property.
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("grids-clean.geojson")).unwrap()).unwrap();
    for f in file["features"].as_array_mut().unwrap() {
        f["properties"].as_object_mut().unwrap().remove("community");
    }
    let unnamed = file.to_string();
    assert!(!unnamed.contains("\"community\""), "{unnamed}");
    let path = scratch("grids-unnamed.geojson", unnamed.as_bytes());
    // Without --community the community's boundary is one more grid, overlapping both.
    let (code, out, _) = gongzhi(&["check-grids", &path]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("发现 2 处网格重叠"), "{out}");
    let (code, out, _) = gongzhi(&["check-grids", &path, "--community", "C-XF"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("社区 C-XF(幸福社区):2 个网格") && out.contains("覆盖:100.0%"), "{out}");
}

#[test]
fn a_broken_grid_file_is_reported_per_feature() {
    let path = scratch(
        "grids-broken.geojson",
        br#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[116,39.9],[116.001,39.9],[116.001,39.901],[116,39.9]]]}},
            {"type":"Feature","properties":{"code":"G-02"},"geometry":{"type":"Point","coordinates":[116,39.9]}}]}"#,
    );
    let (code, out, _) = gongzhi(&["check-grids", &path]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("发现 2 处问题"), "{out}");
    assert!(out.contains("1\t编码(code)\t") && out.contains("2\t边界(geometry)\t"), "{out}");
}

#[test]
fn help_is_chinese_and_exit_codes_hold() {
    let (code, out, _) = gongzhi(&["--help"]);
    assert_eq!(code, 0);
    for cmd in ["due", "seal-check", "check-households", "check-grids"] {
        assert!(out.contains(cmd), "{cmd}: {out}");
    }
    assert!(out.contains("退出码"), "{out}");
    let (code, out, _) = gongzhi(&["seal-check", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"resident_id_number\"") && out.contains("requester_kind"), "{out}");
    let (code, _, err) = gongzhi(&["stamp"]);
    assert_eq!((code, err.lines().next()), (2, Some("错误:未知的子命令“stamp”。")));
    let (code, _, err) = gongzhi(&[]);
    assert_eq!(code, 2);
    assert!(err.contains("缺少子命令"), "{err}");
}

#[test]
fn seal_check_composes_the_province_and_city_files_as_the_server_does() {
    let dir = tempfile_dir();
    let province = dir.join("province.json");
    std::fs::write(
        &province,
        r#"{"level":"province","region":"湖北省","version":"HB-2026.1","effective_from":"2026-03-01",
            "source":"省级清单","matters":[{"code":"school_transfer","name":"转学证明","initials":"zxzm","national_list":true}]}"#,
    )
    .unwrap();
    let request = dir.join("request.json");
    std::fs::write(
        &request,
        r#"{"requester_kind":"public_institution","requester_name":"某小学","resident_name":"王秀英",
            "resident_id_number":"11010519491231002X","matter":"school_transfer","purpose":"转学","content":"兹证明……",
            "basis_law":"某条例","basis_article":"第三条","basis_text":"……"}"#,
    )
    .unwrap();
    // Without the province's file the matter is unknown, as on a server without that edition.
    let (code, out, _) = gongzhi(&["seal-check", request.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("证明事项(matter)"), "{out}");
    let (code, out, _) = gongzhi(&["seal-check", "--province", province.to_str().unwrap(), request.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("目录版本:CN-2026.1+HB-2026.1"), "{out}");
    assert!(out.contains("[seal_local_list]") && out.contains("省级"), "{out}");
    // A city file given as the province's is refused, naming the option.
    let (code, _, err) = gongzhi(&["seal-check", "--city", province.to_str().unwrap(), request.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--city") && err.contains("应为 city"), "{err}");
    // A matter outside the catalogue, with its article: passed to people.
    let outside = dir.join("outside.json");
    std::fs::write(
        &outside,
        r#"{"requester_kind":"public_institution","requester_name":"某小学","resident_name":"王秀英",
            "resident_id_number":"11010519491231002X","matter_name":"房屋租赁居住情况证明","purpose":"入学","content":"兹证明……",
            "basis_law":"某条例","basis_article":"第三条","basis_text":"……"}"#,
    )
    .unwrap();
    let (code, out, _) = gongzhi(&["seal-check", outside.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("房屋租赁居住情况证明(目录外事项)") && out.contains("分别写明判断理由"), "{out}");
}

/// A fresh directory for files a test writes.
fn tempfile_dir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("gongzhi-cli-{}-{:?}", std::process::id(), std::thread::current().id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
