//! The Envato Market parser: reads an author's monthly statement CSV into sales.
//!
//! A statement lists every movement of the author's balance, one row each, under a header row:
//! the older one has seven columns (`Date, Order ID, Type, Detail, Item ID, Price, Amount`), the
//! newer sixteen (adding `Document`, `EU VAT`, `US RWT`, `US BWT`, `Site` and the buyer's
//! country, region, city and zip code). Columns are found by name, so either works.
//!
//! One order yields several rows: a `Sale`, its `Author Fee` (negative), possibly a
//! `Referral Cut` and later a `Sale Reversal`. Revenue is the author's net from sales, so all of
//! these become sales: a `Sale` stands for one unit, a `Sale Reversal` for minus one, fees and
//! cuts for none, and the earnings are the row's `Amount` in US dollars. Deposits, purchases,
//! withdrawals and adjustments are rows of the statement but not sales: they are counted as rows
//! and passed over without a warning. A row that cannot be read (bad date or amount, missing item
//! id, a type Envato is not known to write) is skipped with a row issue naming its line.
//!
//! # Layout
//!
//! - `columns`: the two known headers and where each value sits.
//! - `session`: the chunked parse, the row types and the mapping of one row to one sale.
//! - `detect`: how sure the parser is that a file is a statement, from its header.

mod columns;
mod detect;
mod session;

use stocklens_plugin_sdk::{
    Detection, Money, Parser, PluginInfo, PluginKind, Sample, register_parser,
};

pub use session::EnvatoSession;

/// Stable plugin id.
pub const ID: &str = "envato-market";
/// Plugin version; bump with any change in what a file parses to.
pub const VERSION: &str = "1.0.0";

/// The sample shipped with the plugin and checked by the host before activation.
const SAMPLE: &[u8] = include_bytes!("../samples/statement-sample.csv");

/// The parser.
pub struct EnvatoMarket;

impl Parser for EnvatoMarket {
    type Session = EnvatoSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Envato Market statement".into(),
            version: VERSION.into(),
            kind: PluginKind::Parser,
            marketplace: Some("Envato Market".into()),
            description: "Reads the Envato Market author statement CSV (older 7-column and newer \
                          16-column headers): sales, author fees, reversals and referral cuts \
                          make the revenue, in US dollars. The 16-column header is verified \
                          against a public sample; the rows and the 7-column layout are built \
                          from public descriptions."
                .into(),
        }
    }

    fn detect(file_name: &str, head: &[u8]) -> Detection {
        detect::detect(file_name, head)
    }

    fn samples() -> Vec<Sample> {
        vec![Sample {
            file_name: "envato-market-statement-sample.csv".into(),
            content: SAMPLE.to_vec(),
            expected_rows: 8,
            expected_units: 2,
            expected_earnings: vec![Money {
                micros: 22_800_000,
                currency: "USD".into(),
            }],
        }]
    }
}

register_parser!(EnvatoMarket);

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::testing::{Totals, totals};
    use stocklens_plugin_sdk::{Money, ParseSummary, RowIssue};

    /// What a file parses to.
    #[test]
    fn the_shipped_sample_parses_to_its_expected_totals() {
        for sample in EnvatoMarket::samples() {
            let got = totals::<EnvatoSession>(&sample.file_name, &sample.content, 100);
            assert_eq!(got.summary.rows, sample.expected_rows);
            assert_eq!(got.summary.rows_skipped, 0);
            assert_eq!(got.units, sample.expected_units);
            assert_eq!(got.earnings, sample.expected_earnings);
        }
        assert_eq!(EnvatoMarket::detect("sample.csv", SAMPLE).confidence, 95);
    }

    #[test]
    fn the_sixteen_column_example_parses_to_its_documented_totals() {
        let content = include_bytes!("../../../examples/envato-market/statement-2026-05.csv");
        for chunk_size in [1 << 20, 1000, 7] {
            assert_eq!(
                totals::<EnvatoSession>("statement.csv", content, chunk_size),
                Totals {
                    summary: ParseSummary {
                        rows: 17,
                        rows_skipped: 0
                    },
                    units: 5,
                    earnings: vec![Money {
                        micros: 228_200_000,
                        currency: "USD".into()
                    }],
                    assets: 6,
                    first: "2026-05-01".into(),
                    last: "2026-05-30".into(),
                    issues: Vec::new(),
                }
            );
        }
        assert_eq!(
            EnvatoMarket::detect("statement-2026-05.csv", content).confidence,
            95
        );
    }

    #[test]
    fn the_seven_column_example_parses_to_its_documented_totals() {
        let content = include_bytes!("../../../examples/envato-market/statement-2019-03.csv");
        for chunk_size in [1 << 20, 1000, 7] {
            assert_eq!(
                totals::<EnvatoSession>("statement.csv", content, chunk_size),
                Totals {
                    summary: ParseSummary {
                        rows: 16,
                        rows_skipped: 1
                    },
                    units: 4,
                    earnings: vec![Money {
                        micros: 33_350_000,
                        currency: "USD".into()
                    }],
                    assets: 4,
                    first: "2019-03-02".into(),
                    last: "2019-03-31".into(),
                    issues: vec![RowIssue::new(13, "the amount is empty")],
                }
            );
        }
        assert_eq!(
            EnvatoMarket::detect("statement-2019-03.csv", content).confidence,
            95
        );
    }
}
