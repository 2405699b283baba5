//! Excel workbooks: every example saved as a real `.xlsx` (numbers, money and dates typed the
//! way Excel types them when it opens the CSV) must give the summary its CSV gives, and broken
//! or hostile workbooks get one clear line.

use std::io::{Cursor, Write};
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

use super::helpers::{analyze, repo, scratch_file};

/// The delimiter a CSV example uses: the most frequent candidate on its first line.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    [b'\t', b';', b'|', b',']
        .into_iter()
        .max_by_key(|&d| first.bytes().filter(|&b| b == d).count())
        .expect("four candidates")
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("UTF-8 example");
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes())
        .records()
        .map(|record| {
            record
                .expect("the example is valid CSV")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// What Excel makes of a cell when it opens a CSV: a plain number, a dollar amount, a date.
enum Typed {
    Number(f64),
    Dollars(f64),
    Date(u16, u8, u8),
    Text,
}

fn excel_type(cell: &str) -> Typed {
    let is_number = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && (whole == "0" || !whole.starts_with('0'))
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && whole.len() < 16
    };
    if is_number(cell) {
        return Typed::Number(cell.parse().expect("a number"));
    }
    if let Some(amount) = cell.strip_prefix('$').filter(|a| is_number(a)) {
        return Typed::Dollars(amount.parse().expect("a number"));
    }
    let numbers =
        |parts: Vec<&str>| -> Option<Vec<u16>> { parts.iter().map(|p| p.parse().ok()).collect() };
    // 03.03.2026 (Russian), 11/02/2025 (US), 2026-03-03, 04-ene-2016 (Spanish Getty).
    if let Some(p) = numbers(cell.split('.').collect()).filter(|p| p.len() == 3 && p[2] > 1999) {
        return Typed::Date(p[2], p[1] as u8, p[0] as u8);
    }
    if let Some(p) = numbers(cell.split('/').collect()).filter(|p| p.len() == 3 && p[2] > 1999) {
        return Typed::Date(p[2], p[0] as u8, p[1] as u8);
    }
    if let Some(p) = numbers(cell.split('-').collect()).filter(|p| p.len() == 3 && p[0] > 1999) {
        return Typed::Date(p[0], p[1] as u8, p[2] as u8);
    }
    const MONTHS: [&str; 12] = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ];
    if let [day, month, year] = cell.split('-').collect::<Vec<_>>()[..]
        && let (Ok(day), Some(month), Ok(year)) = (
            day.parse::<u8>(),
            MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month)),
            year.parse::<u16>(),
        )
    {
        return Typed::Date(year, month as u8 + 1, day);
    }
    Typed::Text
}

/// The rows as the first sheet of a workbook, typed as Excel types them.
fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let dollars = Format::new().set_num_format("$#,##0.00");
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let written = match excel_type(cell) {
                Typed::Number(n) => sheet.write_number(r, c, n).map(|_| ()),
                Typed::Dollars(n) => sheet
                    .write_number_with_format(r, c, n, &dollars)
                    .map(|_| ()),
                Typed::Date(y, m, d) => {
                    let day = ExcelDateTime::from_ymd(y, m, d).expect("a real date");
                    sheet
                        .write_datetime_with_format(r, c, &day, &date)
                        .map(|_| ())
                }
                Typed::Text if cell.is_empty() => Ok(()),
                Typed::Text => sheet.write_string(r, c, cell).map(|_| ()),
            };
            written.expect("cell written");
        }
    }
    book.save_to_buffer().expect("workbook saved")
}

/// The parts of a summary a workbook must reproduce.
fn essentials(summary: &Value) -> Value {
    let file = &summary["files"][0];
    serde_json::json!({
        "parser": file["parser"],
        "rows": file["rows"],
        "rows_skipped": file["rows_skipped"],
        "sales": summary["sales"],
        "revenue": summary["revenue"],
        "assets": summary["assets"],
        "period": summary["period"],
    })
}

#[test]
fn every_example_as_a_workbook_gives_the_same_summary() {
    let mut checked = 0;
    for marketplace in std::fs::read_dir(repo().join("examples")).expect("examples/") {
        let dir = marketplace.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&dir).expect("example dir") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).expect("name");
            if name.ends_with(".expected.json") {
                continue;
            }
            let from_text = analyze(&[path.to_str().expect("UTF-8 path"), "--json"]);
            assert_eq!(from_text.code, 0, "{name}: {}", from_text.stderr);
            let stem = Path::new(name)
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("stem");
            let (_dir, xlsx) = scratch_file(&format!("{stem}.xlsx"), &workbook(&rows(&path)));
            let from_workbook = analyze(&[xlsx.to_str().expect("UTF-8 path"), "--json"]);
            assert_eq!(
                from_workbook.code, 0,
                "{name}.xlsx: {}",
                from_workbook.stderr
            );
            let summary = from_workbook.json();
            assert_eq!(
                essentials(&summary),
                essentials(&from_text.json()),
                "{name} as a workbook"
            );
            assert_eq!(summary["files"][0]["encoding"], "XLSX", "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} examples");
}

#[test]
fn a_sheet_of_many_rows_reads_as_its_csv() {
    // About a megabyte of cells: read on the workbook's own thread in several pieces.
    let mut csv = String::new();
    for i in 0..8_000u32 {
        csv.push_str(&format!(
            "2025-{:02}-{:02}T10:{:02}:00+00:00,{},\"Title {i}, with a comma\",subscription,${}.{:02},photos,IMG_{i}.jpg,Jane Doe,XXL\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 60,
            600_000_000 + i % 700,
            i % 3,
            i % 100,
        ));
    }
    let (_csv_dir, csv_path) = scratch_file("activity.csv", csv.as_bytes());
    let (_dir, xlsx) = scratch_file("activity.xlsx", &workbook(&rows(&csv_path)));
    let from_text = analyze(&[csv_path.to_str().expect("UTF-8 path"), "--json"]);
    let from_workbook = analyze(&[xlsx.to_str().expect("UTF-8 path"), "--json"]);
    assert_eq!(from_workbook.code, 0, "{}", from_workbook.stderr);
    assert_eq!(from_workbook.json()["sales"], 8_000);
    assert_eq!(
        essentials(&from_workbook.json()),
        essentials(&from_text.json())
    );
}

#[test]
fn sheet_rows_keep_their_numbers_in_warnings() {
    let rows: Vec<Vec<String>> = [
        "Date,Asset ID,Title,License,Royalty,Media Type,Original File Name,Contributor,Size",
        "2025-09-30T18:20:00+00:00,612004581,Coffee,subscription,$0.33,photos,a.jpg,Jane,XXL",
        "2025-09-29T18:20:00+00:00,612004582,Tea,subscription,oops,photos,b.jpg,Jane,XXL",
        "2025-09-28T18:20:00+00:00,612004583,Milk,subscription,$1.00,photos,c.jpg,Jane,XXL",
        "2025-09-27T18:20:00+00:00,612004584,Juice,subscription,$2.00,photos,d.jpg,Jane,XXL",
        "2025-09-26T18:20:00+00:00,612004585,Water,subscription,$3.00,photos,e.jpg,Jane,XXL",
    ]
    .iter()
    .map(|line| line.split(',').map(str::to_owned).collect())
    .collect();
    let (_dir, xlsx) = scratch_file("activity.xlsx", &workbook(&rows));
    let run = analyze(&[xlsx.to_str().expect("UTF-8 path"), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.json();
    assert_eq!(summary["sales"], 4);
    assert_eq!(summary["revenue"]["USD"], "6.33");
    let warning = &summary["files"][0]["warnings"][0];
    assert_eq!(warning["line"], 3, "Excel's row 3: {summary}");
}

/// A real workbook with one more part: 1.1 GB of zeros that deflate to about 1 MB.
fn bomb() -> Vec<u8> {
    let mut archive = zip::ZipWriter::new_append(Cursor::new(workbook(&[vec!["a".into()]])))
        .expect("the workbook is a ZIP");
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    archive.start_file(BOMB_PART, options).expect("new part");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1100 {
        archive.write_all(&zeros).expect("zeros");
    }
    let bomb = archive.finish().expect("archive").into_inner();
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    bomb
}

const BOMB_PART: &str = "xl/media/image1.bin";

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let (_dir, path) = scratch_file("sales.xlsx", &bomb());
    analyze(&[path.to_str().expect("UTF-8 path")]).assert_fails(
        3,
        "sales.xlsx: the Excel workbook unpacks to more than 1024 MB",
    );

    // The same bomb declaring 1,000 bytes in its local and central headers. The ZIP reader
    // refuses an entry that inflates past its declared size; were it to stop doing so, the
    // host's own count would refuse it as too large, and this line would say which.
    let mut liar = bomb();
    let name = BOMB_PART.as_bytes();
    let mut patched = 0;
    for at in 0..liar.len() - name.len() {
        if &liar[at..at + name.len()] != name {
            continue;
        }
        let size_at = match at.checked_sub(46).map(|h| &liar[h..h + 4]) {
            Some(b"PK\x01\x02") => at - 46 + 24,
            _ if at >= 30 && &liar[at - 30..at - 26] == b"PK\x03\x04" => at - 30 + 22,
            _ => continue,
        };
        liar[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
        patched += 1;
    }
    assert_eq!(patched, 2, "local and central header");
    let (_dir, path) = scratch_file("liar.xlsx", &liar);
    analyze(&[path.to_str().expect("UTF-8 path")])
        .assert_fails(3, "liar.xlsx: the Excel workbook cannot be read (");
}

/// A real workbook whose `part` (its sheet, its shared strings) is replaced by one that starts
/// as `xml` and goes on with 1.1 GB of spaces, deflated to about 1 MB: a bomb where calamine
/// would read first.
fn bomb_in(part: &str, xml: &str) -> Vec<u8> {
    let book = workbook(&[
        vec!["Date".into(), "Title".into()],
        vec!["2025-07-01".into(), "a".into()],
    ]);
    let mut source = zip::ZipArchive::new(Cursor::new(book)).expect("the workbook is a ZIP");
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut replaced = false;
    for index in 0..source.len() {
        let entry = source.by_index(index).expect("a part");
        if entry.name().expect("a part's name") != part {
            archive.raw_copy_file(entry).expect("copied");
            continue;
        }
        drop(entry);
        archive.start_file(part, options).expect("the bomb part");
        archive.write_all(xml.as_bytes()).expect("its start");
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..1100 {
            archive.write_all(&spaces).expect("spaces");
        }
        replaced = true;
    }
    assert!(replaced, "the workbook has {part}");
    let bomb = archive.finish().expect("archive").into_inner();
    assert!(bomb.len() < 4 << 20, "{} bytes", bomb.len());
    bomb
}

#[test]
fn a_bomb_in_the_sheet_or_the_shared_strings_is_refused_before_it_is_inflated() {
    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    for (part, start) in [
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"{XML}<worksheet xmlns="{MAIN}"><sheetData>"#),
        ),
        (
            "xl/sharedStrings.xml",
            format!(r#"{XML}<sst xmlns="{MAIN}" count="2" uniqueCount="2"><si><t>"#),
        ),
    ] {
        let (_dir, path) = scratch_file("sales.xlsx", &bomb_in(part, &start));
        analyze(&[path.to_str().expect("UTF-8 path")]).assert_fails(
            3,
            "sales.xlsx: the Excel workbook unpacks to more than 1024 MB",
        );
    }
}

#[test]
fn broken_and_empty_workbooks_say_so() {
    let whole = workbook(&[vec!["Date".into(), "Amount".into()]]);
    let (_dir, cut) = scratch_file("cut.xlsx", &whole[..whole.len() / 2]);
    analyze(&[cut.to_str().expect("UTF-8 path")])
        .assert_fails(3, "cut.xlsx: the Excel workbook cannot be read (");

    let mut book = Workbook::new();
    book.add_worksheet().set_name("Notes").expect("name");
    book.add_worksheet()
        .write_string(0, 0, "Date")
        .expect("cell");
    let (_dir, empty) = scratch_file("empty.xlsx", &book.save_to_buffer().expect("saved"));
    analyze(&[empty.to_str().expect("UTF-8 path")]).assert_fails(
        3,
        "empty.xlsx: the first sheet of the Excel workbook, \"Notes\", is empty",
    );
}

#[test]
fn an_opendocument_spreadsheet_is_named() {
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    archive.start_file("mimetype", stored).expect("part");
    archive
        .write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("mimetype");
    let ods = archive.finish().expect("archive").into_inner();
    let (_dir, path) = scratch_file("sales.ods", &ods);
    analyze(&[path.to_str().expect("UTF-8 path")])
        .assert_fails(3, "this looks like an OpenDocument spreadsheet (.ods)");
}
