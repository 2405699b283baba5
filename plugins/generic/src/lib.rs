//! The generic parser: a low-confidence fallback for any sales table with a header row that no
//! marketplace parser claims.
//!
//! It finds its columns by header names in English, Russian, Spanish, German, French and
//! Portuguese: a date and earnings are required, and an asset id (or, failing that, a title that
//! stands for the asset), a currency, units, license, media type, title, file name and country
//! are used where present. Fields may be separated by `,` `;` tab or `|` (sniffed); amounts may
//! use a decimal comma, thousands separators, currency symbols or codes; dates may be ISO,
//! `d.m.Y`, `d/m/Y` or `m/d/Y` (told apart over the file) or use month names. It says which
//! columns it used, in its detection reason and in one informational row issue at the header's
//! line, so the user can check its reading. A row that cannot be read is skipped with a row
//! issue naming its line; a row without an asset id is skipped too, never given a made-up id.
//!
//! # Layout
//!
//! - `columns`: the header aliases and which column plays which role.
//! - `survey`: what the head says about delimiter, decimal mark and date order.
//! - `session`: the chunked parse and the mapping of one row to one sale.
//! - `detect`: how sure the fallback is, capped well below any marketplace parser.

mod columns;
mod detect;
mod session;
mod survey;

use stocklens_plugin_sdk::{
    Detection, Money, Parser, PluginInfo, PluginKind, Sample, register_parser,
};

pub use detect::MAX_CONFIDENCE;
pub use session::GenericSession;

/// Stable plugin id.
pub const ID: &str = "generic";
/// Plugin version; bump with any change in what a file parses to.
pub const VERSION: &str = "1.0.0";

/// The sample shipped with the plugin and checked by the host before activation.
const SAMPLE: &[u8] = include_bytes!("../samples/ventas-sample.csv");

/// The parser.
pub struct Generic;

impl Parser for Generic {
    type Session = GenericSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Generic sales table".into(),
            version: VERSION.into(),
            kind: PluginKind::Parser,
            marketplace: Some("Other (generic table)".into()),
            description: "A low-confidence fallback for any sales table with a header row: \
                          finds the date, earnings, asset id and other columns by name in six \
                          languages, and says which columns it used. Not tied to any \
                          marketplace's export, so verification against a real file does not \
                          apply."
                .into(),
        }
    }

    fn detect(file_name: &str, head: &[u8]) -> Detection {
        detect::detect(file_name, head)
    }

    fn samples() -> Vec<Sample> {
        vec![Sample {
            file_name: "generic-ventas-sample.csv".into(),
            content: SAMPLE.to_vec(),
            expected_rows: 5,
            expected_units: 8,
            expected_earnings: vec![Money {
                micros: 19_200_000,
                currency: "EUR".into(),
            }],
        }]
    }
}

register_parser!(Generic);

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::testing::{Totals, totals};
    use stocklens_plugin_sdk::{Money, ParseSummary, RowIssue};

    /// What a file parses to.
    #[test]
    fn the_shipped_sample_parses_to_its_expected_totals() {
        for sample in Generic::samples() {
            let got = totals::<GenericSession>(&sample.file_name, &sample.content, 100);
            assert_eq!(got.summary.rows, sample.expected_rows);
            assert_eq!(got.summary.rows_skipped, 0);
            assert_eq!(got.units, sample.expected_units);
            assert_eq!(got.earnings, sample.expected_earnings);
            // Only the note on the columns used.
            assert_eq!(got.issues.len(), 1);
        }
        assert_eq!(Generic::detect("sample.csv", SAMPLE).confidence, 55);
    }

    #[test]
    fn the_russian_example_parses_to_its_documented_totals() {
        let content = include_bytes!("../../../examples/generic/sales-ru-2026-03.csv");
        assert!(content.starts_with(b"\xEF\xBB\xBF"));
        for chunk_size in [1 << 20, 1000, 7] {
            assert_eq!(
                totals::<GenericSession>("table.csv", content, chunk_size),
                Totals {
                    summary: ParseSummary {
                        rows: 14,
                        rows_skipped: 2
                    },
                    units: 14,
                    earnings: vec![
                        Money {
                            micros: 2_970_000,
                            currency: "EUR".into()
                        },
                        Money {
                            micros: 1_875_500_000,
                            currency: "RUB".into()
                        },
                        Money {
                            micros: 253_650_000,
                            currency: "USD".into()
                        }
                    ],
                    assets: 6,
                    first: "2026-03-03".into(),
                    last: "2026-03-31".into(),
                    issues: vec![
                        RowIssue::new(
                            1,
                            "generic parser used columns: date=Дата, earnings=Доход, asset=ID, \
                             currency=Валюта, units=Продажи, license=Лицензия, type=Тип, \
                             title=Название"
                        ),
                        RowIssue::new(7, "the asset id is empty"),
                        RowIssue::new(12, "earnings 'н/д' is not an amount"),
                    ],
                }
            );
        }
        assert_eq!(
            Generic::detect("sales-ru-2026-03.csv", content).confidence,
            55
        );
    }

    #[test]
    fn the_english_pipe_example_parses_to_its_documented_totals() {
        let content = include_bytes!("../../../examples/generic/sales-2025-11.csv");
        for chunk_size in [1 << 20, 1000, 7] {
            assert_eq!(
                totals::<GenericSession>("table.csv", content, chunk_size),
                Totals {
                    summary: ParseSummary {
                        rows: 10,
                        rows_skipped: 1
                    },
                    units: 11,
                    earnings: vec![Money {
                        micros: 1_287_200_000,
                        currency: "USD".into()
                    }],
                    assets: 6,
                    first: "2025-11-02".into(),
                    last: "2025-11-30".into(),
                    issues: vec![
                        RowIssue::new(
                            1,
                            "generic parser used columns: date=Sale Date, earnings=Revenue, \
                             asset=Media ID, units=Quantity, license=License, type=Media Type, \
                             title=Description"
                        ),
                        RowIssue::new(
                            9,
                            "no currency is named (no currency column, symbol or code); amounts \
                             are read as USD"
                        ),
                        RowIssue::new(10, "number of sales 'two' is not a whole number"),
                    ],
                }
            );
        }
        assert_eq!(Generic::detect("sales-2025-11.csv", content).confidence, 55);
    }
}
