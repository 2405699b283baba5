//! Where each value sits in a report row, found by header name.
//!
//! The report's header is `Asset type,File name,Description,Asset public URL,Freepik Asset ID,
//! Freepik Downloads,Freepik Earnings EUR`. Columns are matched by name, forgiving case, spacing
//! and a unit in parentheses, so a reordered or re-saved report still reads. This module only
//! reads the header; mapping a row is the session's job.

use stocklens_plugin_sdk::{ParseError, Record, match_columns};

/// The asset id.
pub const ASSET_ID: &[&str] = &["freepik asset id", "asset id"];
/// Downloads in the month: the units.
pub const DOWNLOADS: &[&str] = &["freepik downloads", "downloads"];
/// Earnings in the month, in euros with up to four decimals.
pub const EARNINGS: &[&str] = &[
    "freepik earnings eur",
    "freepik earnings",
    "earnings eur",
    "earnings",
];
/// `photo`, `vector`, `psd`, `video`, `icon`...
pub const ASSET_TYPE: &[&str] = &["asset type", "type"];
/// The contributor's original file name.
pub const FILE_NAME: &[&str] = &["file name"];
/// The title.
pub const DESCRIPTION: &[&str] = &["description", "title"];
/// The asset's page; read by nothing, matched so detection can count it.
pub const URL: &[&str] = &["asset public url"];

/// Every column of the report, for detection.
pub const ALL: [&[&str]; 7] = [
    ASSET_TYPE,
    FILE_NAME,
    DESCRIPTION,
    URL,
    ASSET_ID,
    DOWNLOADS,
    EARNINGS,
];

/// Column indexes in a report row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub asset_id: usize,
    pub downloads: usize,
    pub earnings: usize,
    pub asset_type: Option<usize>,
    pub file_name: Option<usize>,
    pub description: Option<usize>,
    /// Fields in the header row: a row with more is one whose description lost its quotes.
    pub width: usize,
}

impl Columns {
    /// Reads the header row; fails naming the first required column it lacks.
    pub fn from_header(record: &Record<'_>) -> Result<Columns, ParseError> {
        let cells: Vec<&str> = record.iter().collect();
        let [
            asset_id,
            downloads,
            earnings,
            asset_type,
            file_name,
            description,
        ] = match_columns(
            &cells,
            [
                ASSET_ID,
                DOWNLOADS,
                EARNINGS,
                ASSET_TYPE,
                FILE_NAME,
                DESCRIPTION,
            ],
        );
        let missing = |name: &str| {
            ParseError::at_line(
                record.line(),
                format!("the first row is not a Freepik assets report header: no '{name}' column"),
            )
        };
        Ok(Columns {
            asset_id: asset_id.ok_or_else(|| missing("Freepik Asset ID"))?,
            downloads: downloads.ok_or_else(|| missing("Freepik Downloads"))?,
            earnings: earnings.ok_or_else(|| missing("Freepik Earnings EUR"))?,
            asset_type,
            file_name,
            description,
            width: cells.len(),
        })
    }
}

/// Whether a row repeats the header, as reports pasted together do.
pub fn is_header(record: &Record<'_>) -> bool {
    [ASSET_ID, DOWNLOADS, EARNINGS].iter().all(|aliases| {
        record.iter().any(|cell| {
            aliases
                .iter()
                .any(|alias| stocklens_plugin_sdk::header_matches(cell, alias))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_record<T>(line: &str, f: impl FnOnce(&Record<'_>) -> T) -> Option<T> {
        stocklens_plugin_sdk::testing::first_record(line, b',', f)
    }

    #[test]
    fn reads_the_report_header() {
        let header = "Asset type,File name,Description,Asset public URL,Freepik Asset ID,Freepik Downloads,Freepik Earnings EUR";
        let columns = with_record(header, Columns::from_header).and_then(Result::ok);
        assert_eq!(
            columns,
            Some(Columns {
                asset_id: 4,
                downloads: 5,
                earnings: 6,
                asset_type: Some(0),
                file_name: Some(1),
                description: Some(2),
                width: 7,
            })
        );
    }

    #[test]
    fn reads_a_reordered_header_with_units_in_parentheses() {
        let header = "freepik earnings (EUR),FREEPIK_ASSET_ID,Freepik  Downloads";
        let columns = with_record(header, Columns::from_header).and_then(Result::ok);
        assert_eq!(
            columns.map(|c| (c.asset_id, c.downloads, c.earnings, c.asset_type)),
            Some((1, 2, 0, None))
        );
    }

    #[test]
    fn a_header_without_earnings_is_an_error() {
        let error = with_record("Freepik Asset ID,Freepik Downloads", Columns::from_header)
            .and_then(Result::err);
        assert_eq!(
            error.map(|e| e.message),
            Some(
                "the first row is not a Freepik assets report header: no 'Freepik Earnings EUR' column"
                    .into()
            )
        );
    }
}
