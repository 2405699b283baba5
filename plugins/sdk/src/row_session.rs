//! A ready-made parse session for row-oriented exports: the SDK's [`RowReader`] feeds each
//! record to the author's [`RowHandler`], which turns it into sales or row issues.
//!
//! Most marketplace exports are one sale per row of a delimited text file; with this the whole
//! session of such a parser is its `RowHandler` (how one row maps, and the totals), and the
//! chunk handling, batch sizing and end of input are written once here.

use crate::parser::{Batch, ParseError, ParseSession, ParseSummary};
use crate::row_reader::{Record, RowReader};
use crate::types::{RowIssue, Sale};

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
///
/// ```
/// use stocklens_plugin_sdk::testing::{parse, sale};
/// use stocklens_plugin_sdk::*;
///
/// /// One sale per line, the line being the asset id.
/// struct Ids(ParseSummary);
///
/// impl RowHandler for Ids {
///     const DELIMITER: u8 = b',';
///     fn start(_file_name: &str) -> Self {
///         Ids(ParseSummary::default())
///     }
///     fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
///         self.0.rows += 1;
///         let id = record.get(0).unwrap_or("");
///         batch.sales.push(sale("2025-07-14", id, 1, 990_000, "USD"));
///         Ok(())
///     }
///     fn summary(&self) -> ParseSummary {
///         self.0
///     }
/// }
///
/// // A parser would say `type Session = RowSession<Ids>;`.
/// let file = format!("A1\n{}\nA3\n", "9".repeat(MAX_ASSET_ID_BYTES + 1));
/// let (sales, issues, summary) = parse::<RowSession<Ids>>("ids.csv", file.as_bytes(), 1000)?;
/// // The sale the host would refuse became a row issue, and its row counts as skipped.
/// assert_eq!(sales.len(), 2);
/// assert_eq!(issues[0].line, 2);
/// assert_eq!(summary, ParseSummary { rows: 3, rows_skipped: 1 });
/// # Ok::<(), ParseError>(())
/// ```
pub struct RowSession<H> {
    reader: RowReader,
    rows: H,
    /// Rows whose sale the host would refuse (see [`Sale::fit`]): skipped here, on top of the
    /// handler's own count.
    unfit: u64,
}

impl<H: RowHandler> ParseSession for RowSession<H> {
    fn new(file_name: &str) -> Self {
        RowSession {
            reader: RowReader::new(H::DELIMITER),
            rows: H::start(file_name),
            unfit: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
        let mut batch = Batch {
            sales: Vec::with_capacity(chunk.len() / H::TYPICAL_ROW_BYTES.max(1) + 1),
            issues: Vec::new(),
        };
        let (rows, unfit) = (&mut self.rows, &mut self.unfit);
        self.reader
            .feed(chunk, |record| read_fit(rows, &record, &mut batch, unfit))?;
        Ok(batch)
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        let mut batch = Batch::default();
        let (rows, unfit) = (&mut self.rows, &mut self.unfit);
        self.reader
            .finish(|record| read_fit(rows, &record, &mut batch, unfit))?;
        let mut summary = self.rows.summary();
        summary.rows_skipped = (summary.rows_skipped + self.unfit).min(summary.rows);
        Ok((batch, summary))
    }
}

/// Reads one record through the handler, then fits the sales it made to the host's limits: a
/// sale that cannot be fitted becomes a row issue on the record's line, and its row is counted
/// as skipped.
fn read_fit<H: RowHandler>(
    rows: &mut H,
    record: &Record<'_>,
    batch: &mut Batch,
    unfit: &mut u64,
) -> Result<(), ParseError> {
    let before = batch.sales.len();
    rows.read(record, batch)?;
    if let Some(message) = fit_sales(&mut batch.sales, before) {
        *unfit += 1;
        batch.issues.push(RowIssue::new(record.line(), message));
    }
    Ok(())
}

/// Fits `sales[from..]` to the host's limits (see [`Sale::fit`]), removing those that cannot
/// be; returns why the first of those could not, if any was removed.
pub(crate) fn fit_sales(sales: &mut Vec<Sale>, from: usize) -> Option<String> {
    let mut first = None;
    let mut index = from;
    while index < sales.len() {
        match sales[index].fit() {
            Ok(()) => index += 1,
            Err(message) => {
                sales.remove(index);
                first.get_or_insert(message);
            }
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Date, MAX_TEXT_BYTES, MediaType, Money};

    /// One sale per row: the first cell is the asset id, the second the title.
    struct Echo(ParseSummary);

    impl RowHandler for Echo {
        const DELIMITER: u8 = b',';
        fn start(_file_name: &str) -> Self {
            Echo(ParseSummary::default())
        }
        fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
            self.0.rows += 1;
            batch.sales.push(Sale {
                date: Date {
                    year: 2026,
                    month: 1,
                    day: 1,
                },
                time: None,
                asset_id: record.get(0).unwrap_or_default().to_owned(),
                title: record.get(1).map(str::to_owned),
                file_name: None,
                media: MediaType::Photo,
                license: None,
                units: 1,
                earnings: Money {
                    micros: 1,
                    currency: "USD".into(),
                },
                country: None,
            });
            Ok(())
        }
        fn summary(&self) -> ParseSummary {
            self.0
        }
    }

    #[test]
    fn sales_the_host_would_refuse_are_fitted_or_become_row_issues() {
        let input = format!(
            "1,ok\n{},too long an id\n3,{}\n",
            "9".repeat(300),
            "t".repeat(5000)
        );
        let mut session = RowSession::<Echo>::new("t.csv");
        let batch = session.feed(input.as_bytes()).unwrap_or_default();
        let (_, summary) = session.finish().unwrap_or_default();
        let ids: Vec<&str> = batch.sales.iter().map(|s| s.asset_id.as_str()).collect();
        assert_eq!(ids, ["1", "3"]);
        assert_eq!(
            batch.sales[1].title.as_ref().map(String::len),
            Some(MAX_TEXT_BYTES)
        );
        assert_eq!(batch.issues.len(), 1);
        assert_eq!(batch.issues[0].line, 2);
        assert!(batch.issues[0].message.contains("longer than 256 bytes"));
        assert_eq!(
            summary,
            ParseSummary {
                rows: 3,
                rows_skipped: 1
            }
        );
    }
}
