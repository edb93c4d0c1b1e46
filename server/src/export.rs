//! CSV exports that open cleanly in Excel and WPS.
//!
//! UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF line ends, and
//! cells that would start a formula (`= + - @`, tab, CR) prefixed with `'`,
//! so a crafted value cannot run as a formula on the reader's machine.

/// One CSV cell.
pub fn cell(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// A whole CSV document from a header and rows.
pub fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| h.to_string()).collect()));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_escaped() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1+2"), "'-1+2");
        assert_eq!(cell("普通文本"), "普通文本");
        assert_eq!(cell("a,b"), "\"a,b\"");
        let doc = csv(&["序号"], [vec!["1".to_string()]]);
        assert!(doc.starts_with('\u{feff}'));
        assert!(doc.ends_with("1\r\n"));
    }
}
