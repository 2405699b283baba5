//! The parser side of the interface: the [`Parser`] and [`ParseSession`] traits a marketplace
//! parser implements, and the records of the WIT `parser` interface.
//!
//! A parser never sees the file as a whole: the host feeds decoded UTF-8 in chunks of any size,
//! and the parser returns the sales of the rows each chunk completes. [`crate::RowReader`] does the
//! CSV part of that, so an implementation only maps one row to one [`Sale`].

use std::fmt;

use crate::types::{Money, PluginInfo, RowIssue, Sale};

/// How sure a parser is that it can read a file.
///
/// ```
/// use stocklens_plugin_sdk::{Detection, find_column};
/// let detect = |header: &[&str]| match find_column(header, &["content id"]) {
///     Some(_) => Detection::new(90, "a Content ID column"),
///     None => Detection::new(0, "no Content ID column"),
/// };
/// assert_eq!(detect(&["Date", "Content ID", "Royalty"]).confidence, 90);
/// assert_eq!(detect(&["Date", "Royalty"]).reason, "no Content ID column");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// 0 (certainly not) to 100 (certainly yes).
    pub confidence: u8,
    /// A short English reason, shown to the user, e.g. "9 columns, ISO dates, $ amounts".
    pub reason: String,
}

impl Detection {
    /// A detection with `confidence` (clamped to 100) and `reason`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Detection;
    /// let detection = Detection::new(250, "every column matches");
    /// assert_eq!(detection, Detection { confidence: 100, reason: "every column matches".into() });
    /// ```
    pub fn new(confidence: u8, reason: impl Into<String>) -> Detection {
        Detection {
            confidence: confidence.min(100),
            reason: reason.into(),
        }
    }
}

/// Sales and row issues produced by one step of a parse.
///
/// ```
/// use stocklens_plugin_sdk::testing::sale;
/// use stocklens_plugin_sdk::{Batch, RowIssue};
/// let mut batch = Batch::default();
/// batch.sales.push(sale("2025-07-14", "A1", 1, 990_000, "USD"));
/// batch.issues.push(RowIssue::new(3, "the royalty 'n/a' has no digits"));
/// assert_eq!((batch.sales.len(), batch.issues[0].line), (1, 3));
/// ```
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
    ///
    /// ```
    /// use stocklens_plugin_sdk::ParseError;
    /// let error = ParseError::new("the file has no header");
    /// assert_eq!(error.line, None);
    /// assert_eq!(error.to_string(), "the file has no header");
    /// ```
    pub fn new(message: impl Into<String>) -> ParseError {
        ParseError {
            line: None,
            message: message.into(),
        }
    }

    /// An error caused by `line`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::ParseError;
    /// let error = ParseError::at_line(12, "the row has 3 fields, the header 9");
    /// assert_eq!(error.line, Some(12));
    /// assert_eq!(error.to_string(), "line 12: the row has 3 fields, the header 9");
    /// ```
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
///
/// ```
/// use stocklens_plugin_sdk::ParseSummary;
/// let summary = ParseSummary { rows: 120, rows_skipped: 3 };
/// let read = summary.rows - summary.rows_skipped;
/// assert_eq!(read, 117);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseSummary {
    /// Data rows seen (header and blank lines not counted).
    pub rows: u64,
    /// Rows skipped because they could not be read (each has a row issue).
    pub rows_skipped: u64,
}

/// A file the parser ships as its own test, with the totals its parse must give.
///
/// ```
/// use stocklens_plugin_sdk::{Money, Sample, parse_money};
/// let sample = Sample {
///     file_name: "sample.csv".into(),
///     content: b"date,id,royalty\n2025-07-14,A1,$0.99\n2025-07-15,A2,$1.98\n".to_vec(),
///     expected_rows: 2,
///     expected_units: 2,
///     expected_earnings: vec![Money { micros: 2_970_000, currency: "USD".into() }],
/// };
/// // The expected totals are written by hand; they must agree with the content.
/// let text = String::from_utf8_lossy(&sample.content);
/// let micros: i64 = text
///     .lines()
///     .skip(1)
///     .filter_map(|line| parse_money(line.rsplit(',').next()?).ok())
///     .map(|amount| amount.micros)
///     .sum();
/// assert_eq!(micros, sample.expected_earnings[0].micros);
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::parse;
/// use stocklens_plugin_sdk::*;
///
/// /// Reads `date,id,royalty` rows after a header. ([`RowSession`] is this, ready-made.)
/// struct Session {
///     reader: RowReader,
///     summary: ParseSummary,
/// }
///
/// fn read(summary: &mut ParseSummary, record: Record<'_>, batch: &mut Batch) {
///     if record.line() == 1 {
///         return; // the header
///     }
///     summary.rows += 1;
///     let cell = |i| record.trimmed(i).unwrap_or("");
///     match (parse_date(cell(0), DateOrder::DayFirst), parse_money(cell(2))) {
///         (Ok(date), Ok(amount)) => batch.sales.push(Sale {
///             date,
///             time: None,
///             asset_id: cell(1).into(),
///             title: None,
///             file_name: None,
///             media: MediaType::Photo,
///             license: None,
///             units: 1,
///             earnings: Money { micros: amount.micros, currency: "USD".into() },
///             country: None,
///         }),
///         _ => {
///             summary.rows_skipped += 1;
///             let message = format!("'{}' is not a royalty", excerpt(cell(2)));
///             batch.issues.push(RowIssue::new(record.line(), message));
///         }
///     }
/// }
///
/// impl ParseSession for Session {
///     fn new(_file_name: &str) -> Self {
///         Session { reader: RowReader::new(b','), summary: ParseSummary::default() }
///     }
///     fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
///         let (mut batch, summary) = (Batch::default(), &mut self.summary);
///         self.reader.feed(chunk, |record| {
///             read(summary, record, &mut batch);
///             Ok(())
///         })?;
///         Ok(batch)
///     }
///     fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
///         let (mut batch, summary) = (Batch::default(), &mut self.summary);
///         self.reader.finish(|record| {
///             read(summary, record, &mut batch);
///             Ok(())
///         })?;
///         Ok((batch, self.summary))
///     }
/// }
///
/// let file = b"date,id,royalty\n14.07.2025,A1,$0.99\n15.07.2025,A2,n/a";
/// let (sales, issues, summary) = parse::<Session>("export.csv", file, 7)?;
/// assert_eq!(sales[0].earnings.micros, 990_000);
/// assert_eq!(issues, [RowIssue::new(3, "'n/a' is not a royalty")]);
/// assert_eq!(summary, ParseSummary { rows: 2, rows_skipped: 1 });
/// # Ok::<(), ParseError>(())
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::{EXCERPT_CHARS, excerpt};
/// let fits = "x".repeat(EXCERPT_CHARS);
/// assert_eq!(excerpt(&fits), fits);
/// assert_eq!(excerpt(&format!("{fits}y")), format!("{fits}…"));
/// ```
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
