//! The Freepik parser: reads the contributor portal's per-asset monthly report into sales.
//!
//! The report is a comma-separated file with the header `Asset type,File name,Description,
//! Asset public URL,Freepik Asset ID,Freepik Downloads,Freepik Earnings EUR` and one row per
//! asset. It has no date column: the month comes from the file name, which Freepik writes as
//! `assets_report_MM_YYYY.csv`, and every sale is dated the first day of that month. A file
//! whose name carries no month fails with a message saying how to rename it, rather than being
//! given an invented date.
//!
//! Decisions a reader may look for:
//! - units are the month's downloads; earnings are euros kept exactly to the micro (`0.0009` is
//!   900 micros);
//! - a row with no downloads and no earnings is counted as a row but is neither a sale nor an
//!   issue: the report lists idle assets too;
//! - `Asset type` to media: see `session::media_type` (icon is vector, psd is template);
//! - columns are found by header name, so a reordered report still reads.
//!
//! # Layout
//!
//! - `columns`: which header cell holds which value.
//! - `period`: the report's month, from the file name.
//! - `session`: the chunked parse and the mapping of one row to one sale.
//! - `detect`: how sure the parser is that a file is an assets report.

mod columns;
mod detect;
mod period;
mod session;

use stocklens_plugin_sdk::{
    Detection, Money, Parser, PluginInfo, PluginKind, Sample, register_parser,
};

pub use session::FreepikSession;

/// Stable plugin id.
pub const ID: &str = "freepik";
/// Plugin version; bump with any change in what a file parses to.
pub const VERSION: &str = "1.0.0";

/// The sample shipped with the plugin and checked by the host before activation.
const SAMPLE: &[u8] = include_bytes!("../samples/assets_report_04_2026.csv");

/// The parser.
pub struct Freepik;

impl Parser for Freepik {
    type Session = FreepikSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Freepik assets report".into(),
            version: VERSION.into(),
            kind: PluginKind::Parser,
            marketplace: Some("Freepik".into()),
            description: "Reads the per-asset monthly report of the Freepik contributor portal \
                          (assets_report_MM_YYYY.csv): downloads and earnings in EUR per asset, \
                          dated by the month in the file name. Layout verified against a public \
                          real sample's header."
                .into(),
        }
    }

    fn detect(file_name: &str, head: &[u8]) -> Detection {
        detect::detect(file_name, head)
    }

    fn samples() -> Vec<Sample> {
        vec![Sample {
            file_name: "assets_report_04_2026.csv".into(),
            content: SAMPLE.to_vec(),
            expected_rows: 6,
            expected_units: 131,
            expected_earnings: vec![Money {
                micros: 6_421_300,
                currency: "EUR".into(),
            }],
        }]
    }
}

register_parser!(Freepik);

#[cfg(test)]
mod tests;
