//! `test-bad-utf8`: a parser that returns a sale whose title is not valid UTF-8, for the host's
//! test that such a string is refused as invalid output (naming the plugin) rather than
//! reported as an anonymous crash.
//!
//! A Rust plugin cannot do this by accident: it takes `unsafe` code that breaks `String`'s
//! promise. The bytes are only copied (into the batch's text, then across the boundary), never
//! read as characters, so the broken promise reaches the host intact; that is the point.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Date, Detection, MediaType, Money, ParseError, ParseSession, ParseSummary, Parser,
    PluginInfo, PluginKind, Sale, register_parser,
};

/// The title's bytes: "caf" and a lone byte that begins no UTF-8 character.
const INVALID_TITLE: &[u8] = b"caf\xff";

/// The plugin.
pub struct TestBadUtf8;

/// A session that returns one sale with an invalid title per `feed`.
pub struct BadUtf8Session;

impl Parser for TestBadUtf8 {
    type Session = BadUtf8Session;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-bad-utf8".into(),
            name: "Test: invalid UTF-8".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Returns a title that is not UTF-8; for sandbox tests only.".into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

/// A string holding bytes that are not UTF-8.
#[allow(unsafe_code)]
fn invalid_string() -> String {
    // SAFETY: deliberately broken: `String` requires UTF-8 and this is not. Nothing in this
    // plugin reads it as text (the SDK only compares and copies it), so the bytes travel as they
    // are to the host, whose refusal of them is what the test checks.
    unsafe { String::from_utf8_unchecked(INVALID_TITLE.to_vec()) }
}

impl ParseSession for BadUtf8Session {
    fn new(_file_name: &str) -> Self {
        BadUtf8Session
    }

    fn feed(&mut self, _chunk: &[u8]) -> Result<Batch, ParseError> {
        let sale = Sale {
            date: Date {
                year: 2025,
                month: 7,
                day: 1,
            },
            time: None,
            asset_id: "A1".into(),
            title: Some(invalid_string()),
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
        Ok((Batch::default(), ParseSummary::default()))
    }
}

register_parser!(TestBadUtf8);
