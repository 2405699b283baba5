//! `test-huge-output`: a parser whose `feed` returns [`ISSUE_COUNT`] row issues of
//! [`ISSUE_BYTES`] each (24 MiB, half again the host's default output limit of 16 MiB), for the
//! host's test that one call's output is capped and only that job fails.
//!
//! Row issues are used because nothing else bounds them: the host already refuses more sales
//! than bytes fed and over-long sale texts, but a parse may legitimately report many issues.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Detection, ParseError, ParseSession, ParseSummary, Parser, PluginInfo, PluginKind,
    RowIssue, register_parser,
};

/// Bytes of each issue's message.
pub const ISSUE_BYTES: usize = 1024 * 1024;

/// Issues returned by each `feed`.
pub const ISSUE_COUNT: usize = 24;

/// The plugin.
pub struct TestHugeOutput;

/// A session that answers each `feed` with megabytes of issues.
pub struct HugeOutputSession;

impl Parser for TestHugeOutput {
    type Session = HugeOutputSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-huge-output".into(),
            name: "Test: huge output".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Returns 24 MiB of row issues from feed(); for sandbox tests only.".into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

impl ParseSession for HugeOutputSession {
    fn new(_file_name: &str) -> Self {
        HugeOutputSession
    }

    fn feed(&mut self, _chunk: &[u8]) -> Result<Batch, ParseError> {
        let issues = (1..=ISSUE_COUNT as u64)
            .map(|line| RowIssue::new(line, "x".repeat(ISSUE_BYTES)))
            .collect();
        Ok(Batch {
            sales: Vec::new(),
            issues,
        })
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        Ok((Batch::default(), ParseSummary::default()))
    }
}

register_parser!(TestHugeOutput);
