//! The parser side of the interface: the [`Parser`] and [`ParseSession`] traits a marketplace
//! parser implements, and the records of the WIT `parser` interface.
//!
//! A parser never sees the file as a whole: the host feeds decoded UTF-8 in chunks of any size,
//! and the parser returns the sales of the rows each chunk completes. [`crate::RowReader`] does the
//! CSV part of that, so an implementation only maps one row to one [`Sale`].

use std::fmt;

use crate::types::{Money, PluginInfo, RowIssue, Sale};

/// How sure a parser is that it can read a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// 0 (certainly not) to 100 (certainly yes).
    pub confidence: u8,
    /// A short English reason, shown to the user, e.g. "9 columns, ISO dates, $ amounts".
    pub reason: String,
}

impl Detection {
    /// A detection with `confidence` (clamped to 100) and `reason`.
    pub fn new(confidence: u8, reason: impl Into<String>) -> Detection {
        Detection {
            confidence: confidence.min(100),
            reason: reason.into(),
        }
    }
}

/// Sales and row issues produced by one step of a parse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// Sales of the rows completed by this step.
    pub sales: Vec<Sale>,
    /// Rows of this step that were skipped or repaired.
    pub issues: Vec<RowIssue>,
}

/// Why a parse gave up on the whole file.
///
/// ```
/// use stocklens_plugin_sdk::ParseError;
/// let error = ParseError::at_line(1, "no column holds the royalty");
/// assert_eq!(error.to_string(), "line 1: no column holds the royalty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The line where it gave up, if one line is to blame.
    pub line: Option<u64>,
    /// What is wrong, in English, e.g. "no column holds the royalty".
    pub message: String,
}

impl ParseError {
    /// An error that no single line is to blame for.
    pub fn new(message: impl Into<String>) -> ParseError {
        ParseError {
            line: None,
            message: message.into(),
        }
    }

    /// An error caused by `line`.
    pub fn at_line(line: u64, message: impl Into<String>) -> ParseError {
        ParseError {
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// Totals a parser reports when its session finishes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseSummary {
    /// Data rows seen (header and blank lines not counted).
    pub rows: u64,
    /// Rows skipped because they could not be read (each has a row issue).
    pub rows_skipped: u64,
}

/// A file the parser ships as its own test, with the totals its parse must give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The name the host parses it under.
    pub file_name: String,
    /// The file's bytes, UTF-8.
    pub content: Vec<u8>,
    /// Data rows the parse must report.
    pub expected_rows: u64,
    /// Sum of units over all sales.
    pub expected_units: i64,
    /// Sum of earnings per currency.
    pub expected_earnings: Vec<Money>,
}

/// A marketplace parser. Implement it on a unit struct and pass that to
/// [`register_parser!`](crate::register_parser).
///
/// ```
/// use stocklens_plugin_sdk::*;
///
/// struct Example;
/// struct ExampleSession;
///
/// impl Parser for Example {
///     type Session = ExampleSession;
///     fn info() -> PluginInfo {
///         PluginInfo {
///             id: "example".into(),
///             name: "Example export".into(),
///             version: "1.0.0".into(),
///             kind: PluginKind::Parser,
///             marketplace: Some("Example".into()),
///             description: "Reads nothing.".into(),
///         }
///     }
///     fn detect(_file_name: &str, _head: &[u8]) -> Detection {
///         Detection::new(0, "never")
///     }
/// }
///
/// impl ParseSession for ExampleSession {
///     fn new(_file_name: &str) -> Self {
///         ExampleSession
///     }
///     fn feed(&mut self, _chunk: &[u8]) -> Result<Batch, ParseError> {
///         Ok(Batch::default())
///     }
///     fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
///         Ok((Batch::default(), ParseSummary::default()))
///     }
/// }
///
/// register_parser!(Example);
/// ```
pub trait Parser {
    /// One parse of one file.
    type Session: ParseSession;

    /// Describes the plugin. Must return the same value on every call.
    fn info() -> PluginInfo;

    /// Scores a file: `file_name` is the original name without directories; `head` is at most
    /// the first 64 KiB of the decoded UTF-8 text, possibly cut in the middle of a line or of a
    /// character.
    fn detect(file_name: &str, head: &[u8]) -> Detection;

    /// Sample files with their expected totals, which the host parses before activating the
    /// plugin.
    fn samples() -> Vec<Sample> {
        Vec::new()
    }
}

/// One parse of one file: fed chunk by chunk, then finished once.
pub trait ParseSession: Sized + 'static {
    /// Starts a parse of the file called `file_name`.
    fn new(file_name: &str) -> Self;

    /// Takes the next chunk (it may end in the middle of a line or of a character) and returns
    /// the sales of the rows it completes. An error ends the whole parse.
    fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError>;

    /// Ends the input: returns the sales of the last row, if any, and the totals.
    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError>;
}

/// `text` without surrounding whitespace, like [`str::trim`] but without scanning when the first
/// and last bytes are visible ASCII, as nearly every cell of a big export is.
///
/// ```
/// use stocklens_plugin_sdk::trim_cell;
/// assert_eq!(trim_cell(" $0.99\u{a0}"), "$0.99");
/// assert_eq!(trim_cell("photos"), "photos");
/// ```
#[inline]
pub fn trim_cell(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// Longest excerpt of a cell that [`excerpt`] keeps, in characters: enough to recognise the
/// value in a warning, short enough that a garbage megabyte-long cell cannot flood the report.
pub const EXCERPT_CHARS: usize = 40;

/// A cell's text for a row-issue message, cut to [`EXCERPT_CHARS`] characters with an ellipsis,
/// and on one line: a quoted cell may hold line breaks and tabs, which become spaces, so that a
/// message quoting it is still one line (the host shows the first row issue in its one-line
/// answer when too many rows are unreadable).
///
/// ```
/// use stocklens_plugin_sdk::excerpt;
/// assert_eq!(excerpt("n/a"), "n/a");
/// assert_eq!(excerpt(&"x".repeat(100)).chars().count(), 41);
/// assert_eq!(excerpt("two\r\nlines\tand\0"), "two  lines and ");
/// ```
pub fn excerpt(text: &str) -> String {
    let cut = match text.char_indices().nth(EXCERPT_CHARS) {
        None => text,
        Some((cut, _)) => &text[..cut],
    };
    let mut out: String = cut
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if cut.len() < text.len() {
        out.push('…');
    }
    out
}
