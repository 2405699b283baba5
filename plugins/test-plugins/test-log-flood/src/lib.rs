//! `test-log-flood`: a parser whose `feed` writes [`FLOOD_BYTES`] to stdout in short lines and as
//! much again to stderr with no line break at all, taking turns in writes of 64 KiB (stdout
//! first), then returns one ordinary sale, for the host's test that the job still succeeds and
//! the host keeps no more of a plugin's output than its log limit.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use std::io::Write;

use stocklens_plugin_sdk::{
    Batch, Date, Detection, MediaType, Money, ParseError, ParseSession, ParseSummary, Parser,
    PluginInfo, PluginKind, Sale, register_parser,
};

/// Bytes written to each of stdout and stderr per `feed`.
pub const FLOOD_BYTES: usize = 25 * 1024 * 1024;

/// Bytes per write: the flood comes from two buffers of this size, so it costs no memory.
const WRITE_BYTES: usize = 64 * 1024;

/// The plugin.
pub struct TestLogFlood;

/// A session that floods its output in `feed`.
pub struct FloodSession {
    rows: u64,
}

impl Parser for TestLogFlood {
    type Session = FloodSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-log-flood".into(),
            name: "Test: log flood".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Writes 50 MiB to stdout and stderr; for sandbox tests only.".into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

/// Writes at most `left` bytes of `buffer` and returns how many; errors are ignored, as a
/// careless plugin would.
fn write_some(out: &mut impl Write, buffer: &[u8], left: usize) -> usize {
    let n = buffer.len().min(left);
    let _ = out.write_all(&buffer[..n]);
    let _ = out.flush();
    n
}

impl ParseSession for FloodSession {
    fn new(_file_name: &str) -> Self {
        FloodSession { rows: 0 }
    }

    fn feed(&mut self, _chunk: &[u8]) -> Result<Batch, ParseError> {
        const LINE: &[u8] = b"flooding the log with lines\n";
        let lines = LINE.repeat(WRITE_BYTES / LINE.len());
        let unbroken = vec![b'y'; WRITE_BYTES];
        let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
        let (mut stdout_left, mut stderr_left) = (FLOOD_BYTES, FLOOD_BYTES);
        while stdout_left > 0 || stderr_left > 0 {
            stdout_left -= write_some(&mut stdout, &lines, stdout_left);
            stderr_left -= write_some(&mut stderr, &unbroken, stderr_left);
        }
        self.rows += 1;
        let sale = Sale {
            date: Date {
                year: 2025,
                month: 7,
                day: 1,
            },
            time: None,
            asset_id: "A1".into(),
            title: Some("After the flood".into()),
            file_name: None,
            media: MediaType::Photo,
            license: None,
            units: 1,
            earnings: Money {
                micros: 990_000,
                currency: "USD".into(),
            },
            country: None,
        };
        Ok(Batch {
            sales: vec![sale],
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

register_parser!(TestLogFlood);
