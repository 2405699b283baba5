//! For a parser's own tests: parse a file the way the host feeds it, in chunks of several sizes,
//! and compare what came out with totals computed by hand.
//!
//! ```
//! use stocklens_plugin_sdk::testing::{Totals, assert_totals};
//! # use stocklens_plugin_sdk::{Batch, ParseError, ParseSession, ParseSummary};
//! # struct Nothing;
//! # impl ParseSession for Nothing {
//! #     fn new(_: &str) -> Self { Nothing }
//! #     fn feed(&mut self, _: &[u8]) -> Result<Batch, ParseError> { Ok(Batch::default()) }
//! #     fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
//! #         Ok((Batch::default(), ParseSummary::default()))
//! #     }
//! # }
//! // A file without sales parses to nothing, whatever the chunk size.
//! assert_totals::<Nothing>("empty.csv", b"", &Totals::default());
//! ```

use std::collections::{BTreeMap, BTreeSet};

use crate::{Money, ParseError, ParseSession, ParseSummary, Record, RowIssue, RowReader, Sale};

/// Chunk sizes [`assert_totals`] feeds a file in: whole, a typical buffer, and small enough to
/// split characters and quoted fields.
pub const CHUNK_SIZES: [usize; 3] = [1 << 20, 1000, 7];

/// What a file parses to, in the terms an expected summary uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// The session's own totals.
    pub summary: ParseSummary,
    /// Units over all sales (refunds count negative).
    pub units: i64,
    /// Earnings per currency, in currency order: what a sample's `expected_earnings` lists.
    pub earnings: Vec<Money>,
    /// Distinct asset ids.
    pub assets: usize,
    /// The first sale date, `YYYY-MM-DD` (empty without sales).
    pub first: String,
    /// The last sale date, `YYYY-MM-DD` (empty without sales).
    pub last: String,
    /// Every row issue, in order.
    pub issues: Vec<RowIssue>,
}

/// Parses `content` as the file `file_name`, fed in chunks of `chunk_size` bytes: every sale and
/// row issue in order, and the session's totals; the first error ends it.
pub fn parse<S: ParseSession>(
    file_name: &str,
    content: &[u8],
    chunk_size: usize,
) -> Result<(Vec<Sale>, Vec<RowIssue>, ParseSummary), ParseError> {
    let mut session = S::new(file_name);
    let (mut sales, mut issues) = (Vec::new(), Vec::new());
    for chunk in content.chunks(chunk_size.max(1)) {
        let batch = session.feed(chunk)?;
        sales.extend(batch.sales);
        issues.extend(batch.issues);
    }
    let (batch, summary) = session.finish()?;
    sales.extend(batch.sales);
    issues.extend(batch.issues);
    Ok((sales, issues, summary))
}

/// Calls `f` with the first record of `line` split on `delimiter`, as a header or row test
/// needs; `None` if the line holds no record.
pub fn first_record<T>(line: &str, delimiter: u8, f: impl FnOnce(&Record<'_>) -> T) -> Option<T> {
    let mut reader = RowReader::new(delimiter);
    let mut f = Some(f);
    let mut out = None;
    let mut take = |record: Record<'_>| {
        if let Some(f) = f.take() {
            out = Some(f(&record));
        }
        Ok(())
    };
    let fed = reader.feed(line.as_bytes(), &mut take);
    let finished = reader.finish(&mut take);
    fed.and(finished).ok().and(out)
}

/// [`parse`] summed up. A parse that fails counts as no sales, so a test sees it as totals that
/// differ.
pub fn totals<S: ParseSession>(file_name: &str, content: &[u8], chunk_size: usize) -> Totals {
    let (sales, issues, summary) = parse::<S>(file_name, content, chunk_size).unwrap_or_default();
    let assets: BTreeSet<&str> = sales.iter().map(|s| s.asset_id.as_str()).collect();
    let mut earnings = BTreeMap::<&str, i64>::new();
    for sale in &sales {
        *earnings.entry(sale.earnings.currency.as_str()).or_default() += sale.earnings.micros;
    }
    let dates: BTreeSet<String> = sales
        .iter()
        .map(|s| format!("{:04}-{:02}-{:02}", s.date.year, s.date.month, s.date.day))
        .collect();
    Totals {
        summary,
        units: sales.iter().map(|s| i64::from(s.units)).sum(),
        earnings: earnings
            .into_iter()
            .map(|(currency, micros)| Money {
                micros,
                currency: currency.to_owned(),
            })
            .collect(),
        assets: assets.len(),
        first: dates.first().cloned().unwrap_or_default(),
        last: dates.last().cloned().unwrap_or_default(),
        issues,
    }
}

/// Asserts that `content` parses to `expected` in every one of [`CHUNK_SIZES`].
#[track_caller]
pub fn assert_totals<S: ParseSession>(file_name: &str, content: &[u8], expected: &Totals) {
    for chunk_size in CHUNK_SIZES {
        assert_eq!(
            &totals::<S>(file_name, content, chunk_size),
            expected,
            "{file_name} in chunks of {chunk_size}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Batch, Date};

    /// One sale per line: `id,micros`.
    struct Lines(Vec<u8>, ParseSummary);

    impl Lines {
        fn take(&mut self, batch: &mut Batch) {
            while let Some(end) = self.0.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.0.drain(..=end).collect();
                let text = String::from_utf8_lossy(&line[..end]).into_owned();
                let (id, micros) = text.split_once(',').unwrap_or((&text, "0"));
                self.1.rows += 1;
                batch.sales.push(Sale {
                    date: Date {
                        year: 2026,
                        month: 1,
                        day: 2,
                    },
                    time: None,
                    asset_id: id.to_owned(),
                    title: None,
                    file_name: None,
                    license: None,
                    media: crate::MediaType::Other,
                    units: 1,
                    earnings: Money {
                        micros: micros.parse().unwrap_or_default(),
                        currency: "USD".into(),
                    },
                    country: None,
                });
            }
        }
    }

    impl ParseSession for Lines {
        fn new(_: &str) -> Self {
            Lines(Vec::new(), ParseSummary::default())
        }
        fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
            self.0.extend_from_slice(chunk);
            let mut batch = Batch::default();
            self.take(&mut batch);
            Ok(batch)
        }
        fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
            self.0.push(b'\n');
            let mut batch = Batch::default();
            if self.0.len() > 1 {
                self.take(&mut batch);
            }
            Ok((batch, self.1))
        }
    }

    #[test]
    fn totals_add_up_whatever_the_chunks() {
        let expected = Totals {
            summary: ParseSummary {
                rows: 3,
                rows_skipped: 0,
            },
            units: 3,
            earnings: vec![Money {
                micros: 6,
                currency: "USD".into(),
            }],
            assets: 2,
            first: "2026-01-02".into(),
            last: "2026-01-02".into(),
            issues: Vec::new(),
        };
        assert_totals::<Lines>("t.csv", b"a,1\nb,2\na,3", &expected);
    }

    #[test]
    fn the_first_record_of_a_line() {
        let cells = |line: &str| {
            first_record(line, b';', |r| {
                r.iter().map(str::to_owned).collect::<Vec<_>>()
            })
        };
        assert_eq!(cells("a;\"b;c\"\nd"), Some(vec!["a".into(), "b;c".into()]));
        assert_eq!(cells("x;y"), Some(vec!["x".into(), "y".into()]));
        assert_eq!(cells(""), None);
    }
}

mod report;
pub use report::{
    HISTORY, SELECTED, all_text, analyze, borrowed, charts, column, day, kpi, kpis, money, notes,
    percent, request, sale, section, table, tables,
};
