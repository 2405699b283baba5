//! Where each value sits in a royalty statement row, found by header name.
//!
//! Getty's statement has 60-odd columns whose order differs between the iStock, Getty and Connect
//! exports, so nothing here relies on a position: every column is found by its header cell,
//! forgiving case and spacing. The `StatementSummary_*` columns repeat the statement's totals on
//! every row; they are never read as sales. This module only reads the header; mapping a row is
//! the session's job.

use stocklens_plugin_sdk::{ParseError, Record, match_columns};

/// The earnings column: the contributor's share of the sale, always in dollars.
pub const ROYALTY: &[&str] = &["gross royalty in usd"];
/// The asset id column.
pub const ASSET_ID: &[&str] = &["asset number"];
/// The sale date column, written in the account's language (`04-ene-2016`).
pub const DATE: &[&str] = &["sales date"];
/// The title: Getty writes `<asset number>-<title>`.
const TITLE: &[&str] = &["asset description"];
/// The product or license ("Premium Access Time Limited", "Royalty Free").
const LICENSE: &[&str] = &["product type"];
/// "Moment Open", "iStock Essentials", "Getty Images Video"...
const COLLECTION: &[&str] = &["collection"];
/// The buyer's territory ("NEW YORK", "SPAIN").
const COUNTRY: &[&str] = &["sales territory"];
/// The contributor's own reference, usually the original file name.
const ALTERNATE_ID: &[&str] = &["alternate asset number"];
/// Not in the files seen so far; read where a variant carries it, else each row is one sale.
const QUANTITY: &[&str] = &["quantity", "units", "number of units", "downloads"];

/// Column indexes in a statement row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub royalty: usize,
    pub asset_id: usize,
    pub date: usize,
    pub title: Option<usize>,
    pub license: Option<usize>,
    pub collection: Option<usize>,
    pub country: Option<usize>,
    pub alternate_id: Option<usize>,
    pub quantity: Option<usize>,
    /// Fields in the header row, to tell a shifted row from a good one.
    pub width: usize,
}

impl Columns {
    /// Reads the header row; fails naming the first required column it lacks.
    pub fn from_header(record: &Record<'_>) -> Result<Columns, ParseError> {
        let cells: Vec<&str> = record.iter().collect();
        let [
            royalty,
            asset_id,
            date,
            title,
            license,
            collection,
            country,
            alternate_id,
            quantity,
        ] = match_columns(
            &cells,
            [
                ROYALTY,
                ASSET_ID,
                DATE,
                TITLE,
                LICENSE,
                COLLECTION,
                COUNTRY,
                ALTERNATE_ID,
                QUANTITY,
            ],
        );
        let missing = |name: &str| {
            ParseError::at_line(
                record.line(),
                format!(
                    "the first row is not a Getty royalty statement header: no '{name}' column"
                ),
            )
        };
        Ok(Columns {
            royalty: royalty.ok_or_else(|| missing("Gross Royalty in USD"))?,
            asset_id: asset_id.ok_or_else(|| missing("Asset Number"))?,
            date: date.ok_or_else(|| missing("Sales Date"))?,
            title,
            license,
            collection,
            country,
            alternate_id,
            quantity,
            width: cells.len(),
        })
    }

    /// Fields a row needs so that every required column is there.
    pub fn required_width(&self) -> usize {
        self.royalty.max(self.asset_id).max(self.date) + 1
    }
}

/// Whether a row repeats the header, as statements pasted together do.
pub fn is_header(record: &Record<'_>) -> bool {
    let has = |aliases: &[&str]| {
        record.iter().any(|cell| {
            aliases
                .iter()
                .any(|alias| stocklens_plugin_sdk::header_matches(cell, alias))
        })
    };
    has(ROYALTY) && has(ASSET_ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_record<T>(line: &str, f: impl FnOnce(&Record<'_>) -> T) -> Option<T> {
        stocklens_plugin_sdk::testing::first_record(line, b'\t', f)
    }

    #[test]
    fn finds_columns_by_name_in_any_order_and_case() {
        let header = "StatementSummary_US_Gross\tgross royalty in usd\tSALES DATE\tAsset  Number\tSales_Territory\tQuantity";
        let columns = with_record(header, Columns::from_header).and_then(Result::ok);
        assert_eq!(
            columns,
            Some(Columns {
                royalty: 1,
                asset_id: 3,
                date: 2,
                title: None,
                license: None,
                collection: None,
                country: Some(4),
                alternate_id: None,
                quantity: Some(5),
                width: 6,
            })
        );
    }

    #[test]
    fn a_header_without_the_royalty_is_an_error() {
        let error = with_record("Asset Number\tSales Date\tRoyalty", Columns::from_header)
            .and_then(Result::err);
        assert_eq!(
            error.map(|e| e.message),
            Some(
                "the first row is not a Getty royalty statement header: no 'Gross Royalty in USD' column"
                    .into()
            )
        );
    }

    #[test]
    fn the_alternate_asset_number_is_not_the_asset_number() {
        let header = "Alternate Asset Number\tAsset Number\tSales Date\tGross Royalty in USD";
        let columns = with_record(header, Columns::from_header).and_then(Result::ok);
        assert_eq!(
            columns.map(|c| (c.asset_id, c.alternate_id)),
            Some((1, Some(0)))
        );
    }
}
