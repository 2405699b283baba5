//! `test-stack-overflow`: a parser whose `feed` recurses without end, for the host's test that
//! overflowing the engine's stack is stopped, reported as a stack overflow and fails only that
//! job.
//!
//! Each frame keeps its state in WebAssembly locals, so it is the engine's own stack (not the
//! shadow stack in linear memory) that runs out: the trap wasmtime reports as a stack overflow.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Detection, ParseError, ParseSession, ParseSummary, Parser, PluginInfo, PluginKind,
    register_parser,
};

/// The plugin.
pub struct TestStackOverflow;

/// A session that recurses in `feed`.
pub struct RecursingSession;

impl Parser for TestStackOverflow {
    type Session = RecursingSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-stack-overflow".into(),
            name: "Test: stack overflow".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Recurses without end in feed(); for sandbox tests only.".into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

/// Recurses until the stack runs out. `black_box` on the argument and on the result keeps the
/// optimiser from turning the recursion into a loop; the depth test only keeps the compiler from
/// calling the recursion unconditional (it is never true in practice).
fn descend(depth: u64) -> u64 {
    if depth == u64::MAX {
        return depth;
    }
    let below = descend(std::hint::black_box(depth + 1));
    std::hint::black_box(below).wrapping_add(depth)
}

impl ParseSession for RecursingSession {
    fn new(_file_name: &str) -> Self {
        RecursingSession
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
        let depth = descend(chunk.len() as u64);
        Err(ParseError::new(format!("came back from depth {depth}")))
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        Ok((Batch::default(), ParseSummary::default()))
    }
}

register_parser!(TestStackOverflow);
