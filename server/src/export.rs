//! CSV exports that open cleanly in Excel and WPS.
//!
//! UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF line ends, and
//! cells that would start a formula (`= + - @`, tab, CR) prefixed with `'`,
//! so a crafted value cannot run as a formula on the reader's machine.

/// An .xlsx workbook as a download named `filename` (ASCII, so every browser
/// keeps it).
pub fn xlsx_download(filename: &'static str, bytes: Vec<u8>) -> axum::response::Response {
    download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename, bytes)
}

/// A file download: its type, its name, its bytes.
pub fn download(content_type: &'static str, filename: &'static str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let disposition = format!("attachment; filename=\"{filename}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

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

/// A one-sheet .xlsx workbook: a bold header row and text cells. Every value
/// is written as a string cell, so nothing in it can run as a formula.
pub fn xlsx(sheet: &str, header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let typed: Vec<Vec<XCell>> = rows.iter().map(|r| r.iter().cloned().map(XCell::Text).collect()).collect();
    xlsx_typed(sheet, header, &typed)
}

/// A cell of an .xlsx export.
#[derive(Clone, Debug)]
pub enum XCell {
    /// Written as a string cell: never a formula, whatever it starts with.
    Text(String),
    /// An amount in fen, written as a number of yuan with two decimals
    /// (`#,##0.00`), so that Excel and WPS can add columns up.
    Yuan(i64),
    /// A whole number.
    Count(i64),
    /// An area in hundredths of a square metre, written as square metres
    /// with two decimals.
    Area(i64),
}

/// Like [`xlsx`], with numbers where they are numbers.
pub fn xlsx_typed(sheet: &str, header: &[&str], rows: &[Vec<XCell>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    workbook(&[Sheet { name: sheet, header, rows }])
}

/// One worksheet of a [`workbook`].
pub struct Sheet<'a> {
    pub name: &'a str,
    pub header: &'a [&'a str],
    pub rows: &'a [Vec<XCell>],
}

/// A workbook of several sheets, each with a bold, frozen header row.
pub fn workbook(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let money = Format::new().set_num_format("#,##0.00");
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    for sheet in sheets {
        let ws = workbook.add_worksheet();
        // Sheet names are at most 31 characters and may not contain []:*?/\ .
        let name: String = sheet.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        ws.set_name(&name)?;
        for (col, title) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, *title, &bold)?;
            ws.set_column_width(col as u16, 14.0 + title.chars().count() as f64)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, value) in row.iter().enumerate() {
                let col = col as u16;
                match value {
                    XCell::Text(t) => ws.write_string(r, col, t)?,
                    // Fen to yuan for display in the sheet; the exact amount is the fen.
                    XCell::Yuan(fen) => ws.write_number_with_format(r, col, *fen as f64 / 100.0, &money)?,
                    XCell::Count(n) => ws.write_number(r, col, *n as f64)?,
                    XCell::Area(centi) => ws.write_number_with_format(r, col, *centi as f64 / 100.0, &money)?,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
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

    #[test]
    fn xlsx_text_never_becomes_a_formula() {
        use calamine::{Data, Reader, Xlsx};
        let rows = vec![vec![XCell::Text("=HYPERLINK(\"http://x\",\"点我\")".into()), XCell::Yuan(120050)]];
        let bytes = xlsx_typed("测试", &["文本", "金额(元)"], &rows).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("测试").unwrap();
        assert_eq!(range.get((1, 0)), Some(&Data::String("=HYPERLINK(\"http://x\",\"点我\")".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::Float(1200.5)));
        // No formula was written anywhere.
        assert!(book.worksheet_formula("测试").unwrap().cells().all(|(_, _, f)| f.is_empty()));
    }
}
