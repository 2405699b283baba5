//! The Adobe Stock parser: reads the contributor portal's "Activity" export into sales.
//!
//! The export has no header row and nine columns: sale date-time (ISO-8601 with offset), asset
//! id, title, license plan, royalty (`$0.99`), media type (`photos`, `videos`...), original file
//! name, contributor name and size label (`XXL`, `HD1080`). A header row, where someone added one,
//! is recognised and used to find the columns. Every row is one sale; a row that cannot be read
//! is skipped with a row issue naming its line and what is wrong, never silently.
//!
//! It must stay fast: a million-row file is parsed in well under a second natively, so a row
//! costs only the allocations of the strings that go into its sale.
//!
//! # Layout
//!
//! - `columns`: where each value sits, by position or by a header row.
//! - `session`: the chunked parse and the mapping of one row to one sale.
//! - `detect`: how sure the parser is that a file is an Activity export.

mod columns;
mod detect;
mod session;

use stocklens_plugin_sdk::{
    Detection, Money, Parser, PluginInfo, PluginKind, Sample, register_parser,
};

pub use session::AdobeSession;

/// Stable plugin id.
pub const ID: &str = "adobe-stock";
/// Plugin version; bump with any change in what a file parses to.
pub const VERSION: &str = "1.0.0";

/// The sample shipped with the plugin and checked by the host before activation.
const SAMPLE: &[u8] = include_bytes!("../samples/activity-sample.csv");

/// The parser.
pub struct AdobeStock;

impl Parser for AdobeStock {
    type Session = AdobeSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Adobe Stock activity export".into(),
            version: VERSION.into(),
            kind: PluginKind::Parser,
            marketplace: Some("Adobe Stock".into()),
            description: "Reads the Activity export of the Adobe Stock contributor portal: one row per sale, \
                          nine columns, ISO date-times and royalties in dollars."
                .into(),
        }
    }

    fn detect(file_name: &str, head: &[u8]) -> Detection {
        detect::detect(file_name, head)
    }

    fn samples() -> Vec<Sample> {
        vec![Sample {
            file_name: "adobe-stock-activity-sample.csv".into(),
            content: SAMPLE.to_vec(),
            expected_rows: 8,
            expected_units: 8,
            expected_earnings: vec![Money {
                micros: 49_110_000,
                currency: "USD".into(),
            }],
        }]
    }
}

register_parser!(AdobeStock);

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::testing::{Totals, totals};
    use stocklens_plugin_sdk::{Money, ParseSummary, RowIssue};

    #[test]
    fn the_shipped_sample_parses_to_its_expected_totals() {
        for sample in AdobeStock::samples() {
            let got = totals::<AdobeSession>(&sample.file_name, &sample.content, 100);
            assert_eq!(got.summary.rows, sample.expected_rows);
            assert_eq!(got.summary.rows_skipped, 0);
            assert_eq!(got.units, sample.expected_units);
            assert_eq!(got.earnings, sample.expected_earnings);
        }
    }

    #[test]
    fn the_quarter_example_parses_to_its_documented_totals() {
        let content = include_bytes!("../../../examples/adobe-stock/activity-2025-q3.csv");
        assert!(content.starts_with(b"\xEF\xBB\xBF"));
        for chunk_size in [1 << 20, 1000, 7] {
            assert_eq!(
                totals::<AdobeSession>("example.csv", content, chunk_size),
                Totals {
                    summary: ParseSummary {
                        rows: 40,
                        rows_skipped: 0
                    },
                    units: 40,
                    earnings: vec![Money {
                        micros: 220_140_000,
                        currency: "USD".into()
                    }],
                    assets: 8,
                    first: "2025-07-01".into(),
                    last: "2025-09-29".into(),
                    issues: Vec::new(),
                }
            );
        }
        assert!(AdobeStock::detect("activity-2025-q3.csv", content).confidence >= 90);
    }

    #[test]
    fn the_header_example_parses_to_its_documented_totals() {
        let content = include_bytes!("../../../examples/adobe-stock/activity-with-header.csv");
        for chunk_size in [1 << 20, 1000, 7] {
            assert_eq!(
                totals::<AdobeSession>("example.csv", content, chunk_size),
                Totals {
                    summary: ParseSummary {
                        rows: 15,
                        rows_skipped: 1
                    },
                    units: 14,
                    earnings: vec![
                        Money {
                            micros: 1_500_000,
                            currency: "EUR".into()
                        },
                        Money {
                            micros: 52_210_000,
                            currency: "USD".into()
                        }
                    ],
                    assets: 8,
                    first: "2025-08-20".into(),
                    last: "2025-09-30".into(),
                    issues: vec![RowIssue::new(7, "royalty 'n/a' is not an amount")],
                }
            );
        }
        assert_eq!(
            AdobeStock::detect("activity-with-header.csv", content).confidence,
            70
        );
    }

    #[test]
    fn the_shipped_sample_is_detected_with_confidence() {
        assert!(AdobeStock::detect("sample.csv", SAMPLE).confidence >= 90);
    }
}
