//! How sure the parser is that a file is a Getty / iStock royalty statement, from its header.
//!
//! The statement's header is distinctive: tab-separated, with `Gross Royalty in USD` and
//! `Asset Number` among 60-odd columns. Detection reads only the first non-blank row of the head
//! and must never fail, whatever the head holds.

use stocklens_plugin_sdk::{Detection, Record, RowReader, header_matches};

use crate::columns::{ASSET_ID, DATE, ROYALTY};

/// What the first non-blank row says.
#[derive(Debug, Default, PartialEq, Eq)]
struct Header {
    royalty: bool,
    asset_id: bool,
    date: bool,
    /// `StatementSummary_*` columns: only Getty statements have them.
    summary_columns: bool,
    fields: usize,
}

impl Header {
    fn read(record: &Record<'_>) -> Header {
        let has = |aliases: &[&str]| {
            record
                .iter()
                .any(|cell| aliases.iter().any(|alias| header_matches(cell, alias)))
        };
        Header {
            royalty: has(ROYALTY),
            asset_id: has(ASSET_ID),
            date: has(DATE),
            summary_columns: record
                .iter()
                .any(|cell| cell.trim().starts_with("StatementSummary_")),
            fields: record.len(),
        }
    }
}

/// The first non-blank row of `head`, split on `delimiter`, also when the head is that row alone
/// without its line break.
fn first_row(head: &[u8], delimiter: u8) -> Option<Header> {
    let mut reader = RowReader::new(delimiter);
    let mut header = None;
    let mut take = |record: Record<'_>| {
        if header.is_none() && !record.is_blank() {
            header = Some(Header::read(&record));
        }
        Ok(())
    };
    let _ = reader.feed(head, &mut take);
    let _ = reader.finish(&mut take);
    header
}

/// Scores `head`, the first bytes of a file.
pub fn detect(_file_name: &str, head: &[u8]) -> Detection {
    match first_row(head, b'\t') {
        Some(header) if header.royalty && header.asset_id => {
            let extra = if header.date { ", Sales Date" } else { "" };
            Detection::new(
                95,
                format!(
                    "tab-separated header with Gross Royalty in USD, Asset Number{extra} ({} columns)",
                    header.fields
                ),
            )
        }
        Some(header) if header.summary_columns && header.asset_id => {
            Detection::new(40, "Getty statement columns, but no Gross Royalty in USD")
        }
        _ => match first_row(head, b',').or_else(|| first_row(head, b';')) {
            Some(header) if header.royalty && header.asset_id => Detection::new(
                20,
                "Getty statement columns, but not tab-separated as Getty exports them",
            ),
            _ => Detection::new(0, "no Getty royalty statement header"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confidence(head: &str) -> u8 {
        detect("statement.txt", head.as_bytes()).confidence
    }

    #[test]
    fn is_sure_of_the_statement_header() {
        let head = "\u{feff}Name\tSales Date\tAsset Number\tGross Royalty in USD\r\nx\t04-ene-2016\t1\t3.0\r\n";
        assert_eq!(confidence(head), 95);
        assert_eq!(
            detect("x.txt", head.as_bytes()).reason,
            "tab-separated header with Gross Royalty in USD, Asset Number, Sales Date (4 columns)"
        );
        // A head cut inside the header row still shows it.
        assert_eq!(confidence("asset number\tGROSS ROYALTY IN USD\tSales"), 95);
    }

    #[test]
    fn doubts_other_files() {
        assert_eq!(confidence(""), 0);
        assert_eq!(confidence("\r\n\r\n"), 0);
        assert_eq!(confidence("Date,Asset ID,Royalty\n2025-01-01,1,0.99\n"), 0);
        assert_eq!(
            confidence("Asset Number,Gross Royalty in USD\n1,2.00\n"),
            20
        );
        assert_eq!(
            confidence("Asset Number\tStatementSummary_US_Gross\n1\t2\n"),
            40
        );
        assert!(confidence("\u{0}\u{1}garbage\"\n\n\t\t,,") < 20);
    }

    #[test]
    fn the_real_sample_is_detected() {
        let sample = include_bytes!("../samples/royalty-statement-sample.txt");
        assert_eq!(detect("statement.txt", sample).confidence, 95);
    }
}
