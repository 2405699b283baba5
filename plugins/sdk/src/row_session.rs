//! A ready-made parse session for row-oriented exports: the SDK's [`RowReader`] feeds each
//! record to the author's [`RowHandler`], which turns it into sales or row issues.
//!
//! Most marketplace exports are one sale per row of a delimited text file; with this the whole
//! session of such a parser is its `RowHandler` (how one row maps, and the totals), and the
//! chunk handling, batch sizing and end of input are written once here.

use crate::parser::{Batch, ParseError, ParseSession, ParseSummary};
use crate::row_reader::{Record, RowReader};

/// How one parser reads its rows.
///
/// ```
/// use stocklens_plugin_sdk::*;
///
/// struct Rows(ParseSummary);
///
/// impl RowHandler for Rows {
///     const DELIMITER: u8 = b',';
///     fn start(_file_name: &str) -> Self {
///         Rows(ParseSummary::default())
///     }
///     fn read(&mut self, record: &Record<'_>, _batch: &mut Batch) -> Result<(), ParseError> {
///         if !record.is_blank() {
///             self.0.rows += 1;
///         }
///         Ok(())
///     }
///     fn summary(&self) -> ParseSummary {
///         self.0
///     }
/// }
///
/// let mut session = RowSession::<Rows>::new("export.csv");
/// session.feed(b"a,b\nc,").unwrap_or_default();
/// let (_, summary) = session.finish().unwrap_or_default();
/// assert_eq!(summary.rows, 2);
/// ```
pub trait RowHandler: Sized + 'static {
    /// The field delimiter of the export.
    const DELIMITER: u8;
    /// Typical bytes per row, to size each batch's sales without regrowing it.
    const TYPICAL_ROW_BYTES: usize = 128;
    /// Starts reading the file called `file_name` (some exports carry their period in it).
    fn start(file_name: &str) -> Self;
    /// Reads one record (possibly blank), adding sales or row issues to `batch`; an error stops
    /// the whole parse.
    fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError>;
    /// The totals so far.
    fn summary(&self) -> ParseSummary;
}

/// A [`ParseSession`] made of a [`RowReader`] and a [`RowHandler`]: use
/// `type Session = RowSession<MyRows>;` in a [`Parser`](crate::Parser) implementation.
pub struct RowSession<H> {
    reader: RowReader,
    rows: H,
}

impl<H: RowHandler> ParseSession for RowSession<H> {
    fn new(file_name: &str) -> Self {
        RowSession {
            reader: RowReader::new(H::DELIMITER),
            rows: H::start(file_name),
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
        let mut batch = Batch {
            sales: Vec::with_capacity(chunk.len() / H::TYPICAL_ROW_BYTES.max(1) + 1),
            issues: Vec::new(),
        };
        let rows = &mut self.rows;
        self.reader
            .feed(chunk, |record| rows.read(&record, &mut batch))?;
        Ok(batch)
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        let mut batch = Batch::default();
        let rows = &mut self.rows;
        self.reader
            .finish(|record| rows.read(&record, &mut batch))?;
        Ok((batch, self.rows.summary()))
    }
}
