//! Where each value sits in a row: the Activity export's fixed nine columns, or the columns a
//! header row names.
//!
//! Header matching runs once per file; the resulting [`Columns`] is a handful of indexes that the
//! per-row code reads without further lookups.

use stocklens_plugin_sdk::{ParseError, Record, header_matches, match_columns, parse_date_time};

use crate::session::DATE_ORDER;

/// Columns of the Activity export, which has no header row.
pub const ACTIVITY_COLUMNS: usize = 9;

/// Header cells that must match known names before a first row counts as a header: one match
/// could be a title that happens to say "Date".
const MIN_HEADER_MATCHES: usize = 3;

// Names a header row may give each value, compared with `header_matches` (case, spacing and a
// trailing unit like "(USD)" do not matter); earlier names win when several cells match.
const DATE: &[&str] = &[
    "date",
    "sale date",
    "sales date",
    "date time",
    "datetime",
    "date and time",
    "sale time",
    "sold",
    "sold at",
    "sold on",
    "timestamp",
    "time",
    "download date",
    "activity date",
    "transaction date",
];
const ASSET_ID: &[&str] = &[
    "asset id",
    "content id",
    "file id",
    "media id",
    "stock id",
    "adobe stock id",
    "asset number",
    "id",
    "asset",
];
const TITLE: &[&str] = &["title", "asset title", "content title", "description"];
const LICENSE: &[&str] = &[
    "license",
    "license plan",
    "license type",
    "licence",
    "licence plan",
    "licence type",
    "plan",
    "sale type",
    "product",
];
const ROYALTY: &[&str] = &[
    "royalty",
    "royalties",
    "your royalty",
    "earnings",
    "earning",
    "your earnings",
    "commission",
    "revenue",
    "payout",
    "amount",
];
const MEDIA: &[&str] = &[
    "media type",
    "asset type",
    "content type",
    "file type",
    "type",
    "media",
];
const FILE_NAME: &[&str] = &[
    "original file name",
    "original filename",
    "original name",
    "file name",
    "filename",
    "file",
];
const CONTRIBUTOR: &[&str] = &[
    "contributor",
    "contributor name",
    "artist",
    "author",
    "creator",
];
const SIZE: &[&str] = &[
    "size",
    "size label",
    "license size",
    "resolution",
    "dimensions",
];

// Columns another sales table has and the Activity export never does: one row is one sale, and
// the currency is in the amount. A header that names one belongs to another table, which this
// parser would misread (a quantity of 3 counted as one sale), so detection steps aside.
const FOREIGN: &[&str] = &[
    "quantity",
    "qty",
    "units",
    "downloads",
    "sales",
    "count",
    "currency",
];

/// The first header cell that names a column the Activity export does not have.
pub fn foreign_column<'a>(record: &Record<'a>) -> Option<&'a str> {
    record
        .iter()
        .find(|cell| FOREIGN.iter().any(|name| header_matches(cell, name)))
}

/// Indexes of the values in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub date: usize,
    pub asset_id: usize,
    pub title: Option<usize>,
    pub license: Option<usize>,
    pub royalty: usize,
    pub media: Option<usize>,
    pub file_name: Option<usize>,
    /// Fields a row must have.
    pub width: usize,
}

impl Columns {
    /// The Activity export as the portal writes it.
    pub const ACTIVITY: Columns = Columns {
        date: 0,
        asset_id: 1,
        title: Some(2),
        license: Some(3),
        royalty: 4,
        media: Some(5),
        file_name: Some(6),
        width: ACTIVITY_COLUMNS,
    };

    /// How many of the Activity export's values the columns name (three are always named).
    pub fn named(&self) -> usize {
        3 + [self.title, self.license, self.media, self.file_name]
            .iter()
            .filter(|column| column.is_some())
            .count()
    }

    /// The columns a header row names, or an error naming the value no column holds.
    pub fn from_header(record: &Record<'_>) -> Result<Columns, ParseError> {
        let cells: Vec<&str> = record.iter().collect();
        let [date, asset_id, royalty, title, license, media, file_name] = match_columns(
            &cells,
            [DATE, ASSET_ID, ROYALTY, TITLE, LICENSE, MEDIA, FILE_NAME],
        );
        let missing =
            |what: &str| ParseError::at_line(record.line(), format!("no column holds the {what}"));
        Ok(Columns {
            date: date.ok_or_else(|| missing("sale date"))?,
            asset_id: asset_id.ok_or_else(|| missing("asset id"))?,
            royalty: royalty.ok_or_else(|| missing("royalty"))?,
            title,
            license,
            media,
            file_name,
            width: cells.len(),
        })
    }
}

/// Whether a record is a header row: its first cell is not a date and several cells carry known
/// column names.
pub fn is_header(record: &Record<'_>) -> bool {
    let first = record.get(0).unwrap_or("");
    if parse_date_time(first, DATE_ORDER).is_ok() {
        return false;
    }
    let known = [
        DATE,
        ASSET_ID,
        TITLE,
        LICENSE,
        ROYALTY,
        MEDIA,
        FILE_NAME,
        CONTRIBUTOR,
        SIZE,
    ];
    let matches = record
        .iter()
        .filter(|cell| {
            known
                .iter()
                .any(|aliases| aliases.iter().any(|alias| header_matches(cell, alias)))
        })
        .count();
    matches >= MIN_HEADER_MATCHES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_record<T>(line: &str, f: impl FnOnce(&Record<'_>) -> T) -> Option<T> {
        stocklens_plugin_sdk::testing::first_record(line, b',', f)
    }

    #[test]
    fn reads_columns_from_a_header_in_any_order() {
        let header =
            "Royalty (USD),Title,Asset ID,Sale Date,Media Type,License Plan,Original File Name";
        let columns = with_record(header, Columns::from_header).and_then(Result::ok);
        let expected = Columns {
            date: 3,
            asset_id: 2,
            title: Some(1),
            license: Some(5),
            royalty: 0,
            media: Some(4),
            file_name: Some(6),
            width: 7,
        };
        assert_eq!(columns, Some(expected));
    }

    #[test]
    fn a_header_without_royalty_is_an_error() {
        let error = with_record("Date,Asset ID,Title", Columns::from_header).and_then(Result::err);
        assert_eq!(
            error.map(|e| e.message),
            Some("no column holds the royalty".into())
        );
    }

    #[test]
    fn data_rows_are_not_headers() {
        let row = "2025-07-31T23:08:22+00:00,123,\"Date, title, license\",custom,$0.99,photos,a.jpg,Jane,XXL";
        assert_eq!(with_record(row, is_header), Some(false));
        assert_eq!(
            with_record("Date,ID,Title,License,Royalty", is_header),
            Some(true)
        );
        assert_eq!(with_record("hello,world", is_header), Some(false));
    }
}
