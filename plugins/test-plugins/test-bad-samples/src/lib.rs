//! `test-bad-samples`: a parser that counts lines as rows and ships a sample whose expected
//! totals are wrong (it promises five rows, 5 units and 4.95 USD; its three lines make three rows
//! and no sales), for the host's test that installing it is refused and the active version
//! stays.
//!
//! Not a real parser: it must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Detection, Money, ParseError, ParseSession, ParseSummary, Parser, PluginInfo,
    PluginKind, Sample, register_parser,
};

/// The plugin.
pub struct TestBadSamples;

/// A session that counts complete lines.
pub struct LineCounter {
    rows: u64,
}

impl Parser for TestBadSamples {
    type Session = LineCounter;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-bad-samples".into(),
            name: "Test: wrong samples".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Its own sample does not match; for install tests only.".into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }

    fn samples() -> Vec<Sample> {
        vec![Sample {
            file_name: "three-lines.csv".into(),
            content: b"one\ntwo\nthree\n".to_vec(),
            expected_rows: 5,
            expected_units: 5,
            expected_earnings: vec![Money {
                micros: 4_950_000,
                currency: "USD".into(),
            }],
        }]
    }
}

impl ParseSession for LineCounter {
    fn new(_file_name: &str) -> Self {
        LineCounter { rows: 0 }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
        self.rows += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(Batch::default())
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        Ok((
            Batch::default(),
            ParseSummary {
                rows: self.rows,
                rows_skipped: 0,
            },
        ))
    }
}

register_parser!(TestBadSamples);
