//! `test-spin`: a parser whose `feed` never returns, for the host's test that a call deadline
//! (epoch interruption) stops a looping plugin and fails only that job.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Detection, ParseError, ParseSession, ParseSummary, Parser, PluginInfo, PluginKind,
    register_parser,
};

/// The plugin.
pub struct TestSpin;

/// A session that spins in `feed`.
pub struct SpinSession;

impl Parser for TestSpin {
    type Session = SpinSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-spin".into(),
            name: "Test: endless loop".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Loops forever in feed(); for sandbox tests only.".into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

impl ParseSession for SpinSession {
    fn new(_file_name: &str) -> Self {
        SpinSession
    }

    fn feed(&mut self, _chunk: &[u8]) -> Result<Batch, ParseError> {
        // `black_box` keeps the optimiser from proving anything about the loop.
        let mut turns: u64 = 0;
        loop {
            turns = std::hint::black_box(turns.wrapping_add(1));
        }
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        Ok((Batch::default(), ParseSummary::default()))
    }
}

register_parser!(TestSpin);
