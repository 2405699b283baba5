//! How sure the parser is that a file is a Freepik assets report, from its header and name.
//!
//! The header is distinctive (`Freepik Asset ID`, `Freepik Downloads`, `Freepik Earnings EUR`);
//! a file name in Freepik's `assets_report_MM_YYYY` pattern adds a little. Detection reads only
//! the first non-blank row of the head and must never fail, whatever the head holds.

use stocklens_plugin_sdk::{Detection, Record, RowReader, header_matches};

use crate::columns::{ALL, ASSET_ID, DOWNLOADS, EARNINGS};
use crate::period::month_from_file_name;

/// Added when the file name carries the month the way Freepik writes it.
const NAME_BONUS: u8 = 5;

/// What the first non-blank row says.
#[derive(Debug, Default)]
struct Header {
    /// Report columns present, of the seven.
    known: usize,
    /// Whether the three columns a sale needs are there.
    required: bool,
}

fn read_header(head: &[u8]) -> Option<Header> {
    let mut reader = RowReader::new(b',');
    let mut header = None;
    let mut take = |record: Record<'_>| {
        if header.is_none() && !record.is_blank() {
            let has = |aliases: &[&str]| {
                record
                    .iter()
                    .any(|cell| aliases.iter().any(|alias| header_matches(cell, alias)))
            };
            header = Some(Header {
                known: ALL.iter().filter(|aliases| has(aliases)).count(),
                required: [ASSET_ID, DOWNLOADS, EARNINGS].iter().all(|a| has(a)),
            });
        }
        Ok(())
    };
    let _ = reader.feed(head, &mut take);
    let _ = reader.finish(&mut take);
    header
}

/// Scores a file from its name and `head`, its first bytes.
pub fn detect(file_name: &str, head: &[u8]) -> Detection {
    let month = month_from_file_name(file_name);
    let name_note = match month {
        Some(date) => format!("month {:02}/{} in the file name", date.month, date.year),
        None => "no month in the file name".to_string(),
    };
    let bonus = if month.is_some() { NAME_BONUS } else { 0 };
    match read_header(head) {
        Some(header) if header.known == ALL.len() => Detection::new(
            95 + bonus,
            format!("Freepik assets report header, {name_note}"),
        ),
        Some(header) if header.required => Detection::new(
            70 + bonus,
            format!(
                "Freepik asset id, downloads and earnings columns ({} of 7), {name_note}",
                header.known
            ),
        ),
        _ if month.is_some() && file_name.to_ascii_lowercase().contains("assets_report") => {
            Detection::new(10, "named like a Freepik assets report, but another header")
        }
        _ => Detection::new(0, "no Freepik assets report header"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Asset type,File name,Description,Asset public URL,Freepik Asset ID,Freepik Downloads,Freepik Earnings EUR\n";

    fn confidence(file_name: &str, head: &str) -> u8 {
        detect(file_name, head.as_bytes()).confidence
    }

    #[test]
    fn is_sure_of_the_report_header_and_surer_with_its_name() {
        assert_eq!(confidence("export.csv", HEADER), 95);
        assert_eq!(confidence("assets_report_05_2026.csv", HEADER), 100);
        assert_eq!(
            detect(
                "assets_report_05_2026.csv",
                format!("\u{feff}{HEADER}").as_bytes()
            )
            .reason,
            "Freepik assets report header, month 05/2026 in the file name"
        );
        assert_eq!(
            detect("sample.csv", HEADER.trim_end().as_bytes()).reason,
            "Freepik assets report header, no month in the file name"
        );
    }

    #[test]
    fn is_fairly_sure_of_a_partial_header() {
        assert_eq!(
            confidence(
                "x.csv",
                "Freepik Asset ID,Freepik Downloads,Freepik Earnings EUR\n"
            ),
            70
        );
    }

    #[test]
    fn doubts_other_files() {
        assert_eq!(confidence("x.csv", ""), 0);
        assert_eq!(
            confidence("x.csv", "Date,Asset ID,Royalty\n2025-01-01,1,0.99\n"),
            0
        );
        assert_eq!(
            confidence("assets_report_05_2026.csv", "Date,Asset ID,Royalty\n"),
            10
        );
        assert!(confidence("x.csv", "\u{0}\u{1}garbage\"\n\n,,,") < 20);
    }
}
