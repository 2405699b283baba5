//! The iStock / Getty Images parser: reads the contributor royalty statement export into sales.
//!
//! The statement is tab-separated text with a header row and 60-odd columns, one row per
//! transaction; the Connect program's statements have the same shape, possibly with another
//! subset or order of columns, so every column is found by its header name. A sale is read from
//! `Sales Date` (in the account's language: `04-ene-2016`, `05-Mar-2026`, `2016年1月4日`),
//! `Asset Number`, `Asset Description` (the title, after Getty's `<asset number>-` prefix),
//! `Product Type` (the license), `Collection`, `Sales Territory` (the country) and
//! `Gross Royalty in USD` (the earnings). The repeated `StatementSummary_*` columns are the
//! statement's totals, never sales. A row that cannot be read is skipped with a row issue naming
//! its line and what is wrong, never silently.
//!
//! Decisions a reader may look for:
//! - media type: video, illustration, vector or music when `Product Type` or `Collection` says
//!   so, else photo (iStock and Getty sell mostly photos and name their other collections);
//! - units: a `Quantity` column where a variant has one, else one per row, and -1 for a row with
//!   a negative royalty (a refund takes its sale back);
//! - file name: `Alternate Asset Number` when it looks like one (`IMG_0038.jpg`);
//! - a row with neither asset number, sales date nor royalty carries only the statement summary:
//!   it is passed over like the header, not counted as a row and not an issue.
//!
//! # Layout
//!
//! - `columns`: which header cell holds which value.
//! - `sales_date`: localized sales dates, including what the SDK's date reader lacks (Japanese).
//! - `session`: the chunked parse and the mapping of one row to one sale.
//! - `detect`: how sure the parser is that a file is a royalty statement.

mod columns;
mod detect;
mod sales_date;
mod session;

use stocklens_plugin_sdk::{
    Detection, Money, Parser, PluginInfo, PluginKind, Sample, register_parser,
};

pub use session::GettySession;

/// Stable plugin id.
pub const ID: &str = "istock-getty";
/// Plugin version; bump with any change in what a file parses to.
pub const VERSION: &str = "1.0.0";

/// The sample shipped with the plugin and checked by the host before activation: the real
/// statement's 65-column header with five transactions and a summary row.
const SAMPLE: &[u8] = include_bytes!("../samples/royalty-statement-sample.txt");

/// The parser.
pub struct IstockGetty;

impl Parser for IstockGetty {
    type Session = GettySession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "iStock / Getty Images royalty statement".into(),
            version: VERSION.into(),
            kind: PluginKind::Parser,
            marketplace: Some("iStock / Getty Images".into()),
            description: "Reads the tab-separated royalty statement of the iStock / Getty Images \
                          contributor portal (also Connect statements): one row per transaction, \
                          Gross Royalty in USD, sales dates in the account's language. Layout \
                          verified against a public real statement."
                .into(),
        }
    }

    fn detect(file_name: &str, head: &[u8]) -> Detection {
        detect::detect(file_name, head)
    }

    fn samples() -> Vec<Sample> {
        vec![Sample {
            file_name: "202603-123456-all.txt".into(),
            content: SAMPLE.to_vec(),
            expected_rows: 5,
            expected_units: 3,
            expected_earnings: vec![Money {
                micros: 41_250_000,
                currency: "USD".into(),
            }],
        }]
    }
}

register_parser!(IstockGetty);

#[cfg(test)]
mod tests;
