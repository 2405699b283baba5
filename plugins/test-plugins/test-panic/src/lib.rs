//! `test-panic`: a parser whose `feed` panics with a known message, for the host's test that a
//! trapping plugin fails only that job and its message reaches the log.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Detection, ParseError, ParseSession, ParseSummary, Parser, PluginInfo, PluginKind,
    register_parser,
};

/// What `feed` panics with; the host's test looks for it in the plugin's stderr.
pub const PANIC_MESSAGE: &str = "test-panic: feed() panics on purpose";

/// The plugin.
pub struct TestPanic;

/// A session that panics in `feed`.
pub struct PanicSession;

impl Parser for TestPanic {
    type Session = PanicSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-panic".into(),
            name: "Test: panic".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Panics in feed(); for sandbox tests only.".into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

impl ParseSession for PanicSession {
    fn new(_file_name: &str) -> Self {
        PanicSession
    }

    fn feed(&mut self, _chunk: &[u8]) -> Result<Batch, ParseError> {
        panic!("{PANIC_MESSAGE}");
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        Ok((Batch::default(), ParseSummary::default()))
    }
}

register_parser!(TestPanic);
