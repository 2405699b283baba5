//! `test-membomb`: a parser whose `feed` allocates and writes memory until allocation fails, for
//! the host's test that the per-instance memory cap stops it and fails only that job.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Detection, ParseError, ParseSession, ParseSummary, Parser, PluginInfo, PluginKind,
    register_parser,
};

/// Bytes allocated per step: large enough to reach any cap in a few hundred steps, small enough
/// that the failure comes from the cap rather than from one absurd request.
const BLOCK_BYTES: usize = 1 << 20;

/// The plugin.
pub struct TestMembomb;

/// A session that hoards memory in `feed`.
pub struct MembombSession;

impl Parser for TestMembomb {
    type Session = MembombSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-membomb".into(),
            name: "Test: memory exhaustion".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Allocates memory in feed() until it runs out; for sandbox tests only."
                .into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

impl ParseSession for MembombSession {
    fn new(_file_name: &str) -> Self {
        MembombSession
    }

    fn feed(&mut self, _chunk: &[u8]) -> Result<Batch, ParseError> {
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            // Filling every byte makes the memory real, not just reserved; when the allocator
            // cannot grow memory any more, Rust aborts and the instance traps.
            let block = vec![0xA5u8; BLOCK_BYTES];
            hoard.push(std::hint::black_box(block));
        }
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        Ok((Batch::default(), ParseSummary::default()))
    }
}

register_parser!(TestMembomb);
