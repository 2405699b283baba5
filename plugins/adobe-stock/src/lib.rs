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
    use stocklens_plugin_sdk::{ParseSession, ParseSummary, RowIssue};

    #[test]
    fn the_shipped_sample_parses_to_its_expected_totals() {
        for sample in AdobeStock::samples() {
            let mut session = AdobeSession::new(&sample.file_name);
            let mut sales = Vec::new();
            for chunk in sample.content.chunks(100) {
                sales.extend(session.feed(chunk).map(|b| b.sales).unwrap_or_default());
            }
            let (batch, summary) = session.finish().unwrap_or_default();
            sales.extend(batch.sales);
            assert_eq!(summary.rows, sample.expected_rows);
            assert_eq!(summary.rows_skipped, 0);
            assert_eq!(
                sales.iter().map(|s| i64::from(s.units)).sum::<i64>(),
                sample.expected_units
            );
            let total: i64 = sales.iter().map(|s| s.earnings.micros).sum();
            assert_eq!(
                vec![Money {
                    micros: total,
                    currency: "USD".into()
                }],
                sample.expected_earnings
            );
        }
    }

    /// What an example file parses to.
    #[derive(Debug, PartialEq)]
    struct Totals {
        summary: ParseSummary,
        units: i64,
        /// Earnings per currency in micros, in order of first appearance.
        earnings: Vec<(String, i64)>,
        assets: usize,
        first: String,
        last: String,
        issues: Vec<RowIssue>,
    }

    /// Parses `content` in chunks of `chunk_size` bytes.
    fn totals(content: &[u8], chunk_size: usize) -> Totals {
        let (sales, issues, summary) = stocklens_plugin_sdk::testing::parse::<AdobeSession>(
            "example.csv",
            content,
            chunk_size,
        )
        .unwrap_or_default();
        let mut earnings: Vec<(String, i64)> = Vec::new();
        for sale in &sales {
            match earnings
                .iter_mut()
                .find(|(c, _)| *c == sale.earnings.currency)
            {
                Some((_, sum)) => *sum += sale.earnings.micros,
                None => earnings.push((sale.earnings.currency.clone(), sale.earnings.micros)),
            }
        }
        let assets: std::collections::BTreeSet<&str> =
            sales.iter().map(|s| s.asset_id.as_str()).collect();
        let dates: Vec<String> = sales
            .iter()
            .map(|s| format!("{:04}-{:02}-{:02}", s.date.year, s.date.month, s.date.day))
            .collect();
        Totals {
            summary,
            units: sales.iter().map(|s| i64::from(s.units)).sum(),
            earnings,
            assets: assets.len(),
            first: dates.iter().min().cloned().unwrap_or_default(),
            last: dates.iter().max().cloned().unwrap_or_default(),
            issues,
        }
    }

    #[test]
    fn the_quarter_example_parses_to_its_documented_totals() {
        let content = include_bytes!("../../../examples/adobe-stock/activity-2025-q3.csv");
        assert!(content.starts_with(b"\xEF\xBB\xBF"));
        for chunk_size in [1 << 20, 1000, 7] {
            assert_eq!(
                totals(content, chunk_size),
                Totals {
                    summary: ParseSummary {
                        rows: 40,
                        rows_skipped: 0
                    },
                    units: 40,
                    earnings: vec![("USD".into(), 220_140_000)],
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
                totals(content, chunk_size),
                Totals {
                    summary: ParseSummary {
                        rows: 15,
                        rows_skipped: 1
                    },
                    units: 14,
                    earnings: vec![("USD".into(), 52_210_000), ("EUR".into(), 1_500_000)],
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
