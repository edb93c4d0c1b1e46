//! The few things the command line does outside the domain crate mirror what
//! the server does outside it (composing the calendar, decoding and splitting
//! a household file, the import's wording and size limit). Until the server
//! takes them from the domain as well, these tests read the server's source
//! (without building it) and fail when the two drift apart.

use std::path::PathBuf;

fn server_source(path: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../server/src").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn cli_source(path: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src").join(path)).unwrap()
}

#[test]
fn the_statutory_years_are_the_servers() {
    let holidays = server_source("holidays.rs");
    let ahead = format!("pub const STATUTORY_AHEAD: i32 = {};", gongzhi_domain::statutory::YEARS_AHEAD);
    assert!(holidays.contains(&ahead), "server/src/holidays.rs no longer says `{ahead}`");
    assert!(holidays.contains("statutory_schedules(FIRST_YEAR..=today.year() + STATUTORY_AHEAD)"));
    // Bundled schedules first, then the data directory's files in name order.
    assert!(holidays.contains("WorkingDayCalendar::from_schedules(bundled_schedules())"));
    assert!(holidays.contains("files.sort();"));
}

#[test]
fn households_are_decoded_split_and_limited_as_the_import_does() {
    let import = server_source("api/grid_import.rs");
    let cli = cli_source("households.rs");
    for line in [
        r#"let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);"#,
        "let (text, _, _) = encoding_rs::GB18030.decode(bytes);",
        "csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());",
    ] {
        assert!(import.contains(line), "the server's import no longer has: {line}");
        assert!(cli.contains(line), "the CLI no longer has: {line}");
    }
    // The limit and its message are the domain's, used by both.
    assert!(import.contains("pub const MAX_IMPORT_BYTES: usize = MAX_HOUSEHOLD_FILE_BYTES;"));
    assert!(import.contains("gongzhi_domain::grid::import::too_large()"));
}

#[test]
fn coverage_findings_read_as_the_import_words_them() {
    use gongzhi_domain::grid::coverage::overlap_message;
    let import = server_source("api/grid_import.rs");
    // The server fills the same template with the grids' labels and the area.
    let template = overlap_message("{}", "{}", 0.0).replace("0 平方米", "{:.0} 平方米");
    assert!(import.contains(&template), "the server words overlaps otherwise than `{template}`");
    for text in ["社区内约 {:.0} 平方米({:.1}%)未被任何网格覆盖。", "网格有约 {:.0} 平方米超出社区边界。"]
    {
        assert!(import.contains(text), "the server no longer says `{text}`");
    }
    let coverage = include_str!("../../domain/src/grid/coverage.rs");
    assert!(coverage.contains("社区内约 {:.0} 平方米({:.1}%)未被任何网格覆盖。"));
    assert!(coverage.contains("网格有约 {:.0} 平方米超出社区边界。"));
}
