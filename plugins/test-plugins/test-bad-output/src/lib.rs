//! `test-bad-output`: a parser that returns values the WIT's types allow but its contract
//! forbids, for the host's tests that it validates what plugins return: a confidence of 250, a
//! sale dated month 13 with an empty asset id and the currency "dollars".
//!
//! Not a real parser: it must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Date, Detection, MediaType, Money, ParseError, ParseSession, ParseSummary, Parser,
    PluginInfo, PluginKind, Sale, register_parser,
};

/// The plugin.
pub struct TestBadOutput;

/// A session that returns one invalid sale per `feed`.
pub struct BadOutputSession {
    /// Sales returned so far, reported as rows in the summary.
    rows: u64,
}

impl Parser for TestBadOutput {
    type Session = BadOutputSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-bad-output".into(),
            name: "Test: invalid output".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description:
                "Returns an out-of-range confidence and an invalid sale; for sandbox tests only."
                    .into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        // Built directly: `Detection::new` would clamp it to 100.
        Detection {
            confidence: 250,
            reason: "test plugin claims more than certainty".into(),
        }
    }
}

/// The sale every `feed` returns: month 13, empty asset id, a currency that is not ISO 4217.
pub fn invalid_sale() -> Sale {
    Sale {
        date: Date {
            year: 2025,
            month: 13,
            day: 1,
        },
        time: None,
        asset_id: String::new(),
        title: Some("Invalid sale".into()),
        file_name: None,
        media: MediaType::Photo,
        license: None,
        units: 1,
        earnings: Money {
            micros: 990_000,
            currency: "dollars".into(),
        },
        country: None,
    }
}

impl ParseSession for BadOutputSession {
    fn new(_file_name: &str) -> Self {
        BadOutputSession { rows: 0 }
    }

    fn feed(&mut self, _chunk: &[u8]) -> Result<Batch, ParseError> {
        self.rows += 1;
        Ok(Batch {
            sales: vec![invalid_sale()],
            issues: Vec::new(),
        })
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

register_parser!(TestBadOutput);
