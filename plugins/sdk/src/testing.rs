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
///
/// ```
/// # use stocklens_plugin_sdk::*;
/// # struct Rows(ParseSummary);
/// # impl RowHandler for Rows {
/// #     const DELIMITER: u8 = b',';
/// #     fn start(_: &str) -> Self {
/// #         Rows(ParseSummary::default())
/// #     }
/// #     fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
/// #         if record.line() == 1 || record.is_blank() {
/// #             return Ok(());
/// #         }
/// #         self.0.rows += 1;
/// #         let cell = |i| record.trimmed(i).unwrap_or("");
/// #         match (parse_date(cell(0), DateOrder::DayFirst), parse_money(cell(2))) {
/// #             (Ok(date), Ok(amount)) => batch.sales.push(Sale {
/// #                 date,
/// #                 time: None,
/// #                 asset_id: cell(1).into(),
/// #                 title: None,
/// #                 file_name: None,
/// #                 media: MediaType::Photo,
/// #                 license: None,
/// #                 units: 1,
/// #                 earnings: Money {
/// #                     micros: amount.micros,
/// #                     currency: amount.currency.map_or("USD".into(), |c| c.to_string()),
/// #                 },
/// #                 country: None,
/// #             }),
/// #             _ => {
/// #                 self.0.rows_skipped += 1;
/// #                 batch.issues.push(RowIssue::new(record.line(), "unreadable row"));
/// #             }
/// #         }
/// #         Ok(())
/// #     }
/// #     fn summary(&self) -> ParseSummary {
/// #         self.0
/// #     }
/// # }
/// use stocklens_plugin_sdk::RowSession;
/// use stocklens_plugin_sdk::testing::{CHUNK_SIZES, totals};
/// // `Rows` is a `RowHandler` for `date,id,royalty` files (hidden here).
/// let file = "date,id,royalty\n14.07.2025,A1,$0.99\n15.07.2025,A2,\"1,98 €\"\n".as_bytes();
/// let whole = totals::<RowSession<Rows>>("export.csv", file, file.len());
/// for chunk_size in CHUNK_SIZES {
///     assert_eq!(totals::<RowSession<Rows>>("export.csv", file, chunk_size), whole);
/// }
/// ```
pub const CHUNK_SIZES: [usize; 3] = [1 << 20, 1000, 7];

/// What a file parses to, in the terms an expected summary uses.
///
/// ```
/// # use stocklens_plugin_sdk::*;
/// # struct Rows(ParseSummary);
/// # impl RowHandler for Rows {
/// #     const DELIMITER: u8 = b',';
/// #     fn start(_: &str) -> Self {
/// #         Rows(ParseSummary::default())
/// #     }
/// #     fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
/// #         if record.line() == 1 || record.is_blank() {
/// #             return Ok(());
/// #         }
/// #         self.0.rows += 1;
/// #         let cell = |i| record.trimmed(i).unwrap_or("");
/// #         match (parse_date(cell(0), DateOrder::DayFirst), parse_money(cell(2))) {
/// #             (Ok(date), Ok(amount)) => batch.sales.push(Sale {
/// #                 date,
/// #                 time: None,
/// #                 asset_id: cell(1).into(),
/// #                 title: None,
/// #                 file_name: None,
/// #                 media: MediaType::Photo,
/// #                 license: None,
/// #                 units: 1,
/// #                 earnings: Money {
/// #                     micros: amount.micros,
/// #                     currency: amount.currency.map_or("USD".into(), |c| c.to_string()),
/// #                 },
/// #                 country: None,
/// #             }),
/// #             _ => {
/// #                 self.0.rows_skipped += 1;
/// #                 batch.issues.push(RowIssue::new(record.line(), "unreadable row"));
/// #             }
/// #         }
/// #         Ok(())
/// #     }
/// #     fn summary(&self) -> ParseSummary {
/// #         self.0
/// #     }
/// # }
/// use stocklens_plugin_sdk::testing::{Totals, assert_totals};
/// use stocklens_plugin_sdk::{Money, ParseSummary, RowIssue, RowSession};
/// // `Rows` is a `RowHandler` for `date,id,royalty` files (hidden here).
/// let file = b"date,id,royalty\n14.07.2025,A1,$0.99\n15.07.2025,A1,$0.99\n16.07.2025,A2,n/a\n";
/// let expected = Totals {
///     summary: ParseSummary { rows: 3, rows_skipped: 1 },
///     units: 2,
///     earnings: vec![Money { micros: 1_980_000, currency: "USD".into() }],
///     assets: 1,
///     first: "2025-07-14".into(),
///     last: "2025-07-15".into(),
///     issues: vec![RowIssue::new(4, "unreadable row")],
/// };
/// assert_totals::<RowSession<Rows>>("export.csv", file, &expected);
/// ```
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
///
/// ```
/// # use stocklens_plugin_sdk::*;
/// # struct Rows(ParseSummary);
/// # impl RowHandler for Rows {
/// #     const DELIMITER: u8 = b',';
/// #     fn start(_: &str) -> Self {
/// #         Rows(ParseSummary::default())
/// #     }
/// #     fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
/// #         if record.line() == 1 || record.is_blank() {
/// #             return Ok(());
/// #         }
/// #         self.0.rows += 1;
/// #         let cell = |i| record.trimmed(i).unwrap_or("");
/// #         match (parse_date(cell(0), DateOrder::DayFirst), parse_money(cell(2))) {
/// #             (Ok(date), Ok(amount)) => batch.sales.push(Sale {
/// #                 date,
/// #                 time: None,
/// #                 asset_id: cell(1).into(),
/// #                 title: None,
/// #                 file_name: None,
/// #                 media: MediaType::Photo,
/// #                 license: None,
/// #                 units: 1,
/// #                 earnings: Money {
/// #                     micros: amount.micros,
/// #                     currency: amount.currency.map_or("USD".into(), |c| c.to_string()),
/// #                 },
/// #                 country: None,
/// #             }),
/// #             _ => {
/// #                 self.0.rows_skipped += 1;
/// #                 batch.issues.push(RowIssue::new(record.line(), "unreadable row"));
/// #             }
/// #         }
/// #         Ok(())
/// #     }
/// #     fn summary(&self) -> ParseSummary {
/// #         self.0
/// #     }
/// # }
/// use stocklens_plugin_sdk::testing::parse;
/// use stocklens_plugin_sdk::{Money, ParseError, RowIssue, RowSession};
/// // `Rows` is a `RowHandler` for `date,id,royalty` files (hidden here).
/// let file = b"date,id,royalty\n14.07.2025,A1,$0.99\n15.07.2025,A2,n/a\n";
/// let (sales, issues, summary) = parse::<RowSession<Rows>>("export.csv", file, 7)?;
/// assert_eq!(sales[0].earnings, Money { micros: 990_000, currency: "USD".into() });
/// assert_eq!(issues, [RowIssue::new(3, "unreadable row")]);
/// assert_eq!((summary.rows, summary.rows_skipped), (2, 1));
/// # Ok::<(), ParseError>(())
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::find_column;
/// use stocklens_plugin_sdk::testing::first_record;
/// let royalty = first_record("Date;Content ID;Royalty (USD)", b';', |header| {
///     find_column(&header.iter().collect::<Vec<_>>(), &["royalty"])
/// });
/// assert_eq!(royalty, Some(Some(2)));
/// assert_eq!(first_record("", b';', |record| record.len()), None);
/// ```
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
///
/// ```
/// # use stocklens_plugin_sdk::*;
/// # struct Rows(ParseSummary);
/// # impl RowHandler for Rows {
/// #     const DELIMITER: u8 = b',';
/// #     fn start(_: &str) -> Self {
/// #         Rows(ParseSummary::default())
/// #     }
/// #     fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
/// #         if record.line() == 1 || record.is_blank() {
/// #             return Ok(());
/// #         }
/// #         self.0.rows += 1;
/// #         let cell = |i| record.trimmed(i).unwrap_or("");
/// #         match (parse_date(cell(0), DateOrder::DayFirst), parse_money(cell(2))) {
/// #             (Ok(date), Ok(amount)) => batch.sales.push(Sale {
/// #                 date,
/// #                 time: None,
/// #                 asset_id: cell(1).into(),
/// #                 title: None,
/// #                 file_name: None,
/// #                 media: MediaType::Photo,
/// #                 license: None,
/// #                 units: 1,
/// #                 earnings: Money {
/// #                     micros: amount.micros,
/// #                     currency: amount.currency.map_or("USD".into(), |c| c.to_string()),
/// #                 },
/// #                 country: None,
/// #             }),
/// #             _ => {
/// #                 self.0.rows_skipped += 1;
/// #                 batch.issues.push(RowIssue::new(record.line(), "unreadable row"));
/// #             }
/// #         }
/// #         Ok(())
/// #     }
/// #     fn summary(&self) -> ParseSummary {
/// #         self.0
/// #     }
/// # }
/// use stocklens_plugin_sdk::testing::totals;
/// use stocklens_plugin_sdk::{Money, RowSession};
/// // `Rows` is a `RowHandler` for `date,id,royalty` files (hidden here).
/// let file = "date,id,royalty\n14.07.2025,A1,$0.99\n15.07.2025,A2,\"1,98 €\"\n".as_bytes();
/// let got = totals::<RowSession<Rows>>("export.csv", file, 1000);
/// assert_eq!((got.units, got.assets, got.last.as_str()), (2, 2, "2025-07-15"));
/// // Earnings come in currency order.
/// let euros = Money { micros: 1_980_000, currency: "EUR".into() };
/// let dollars = Money { micros: 990_000, currency: "USD".into() };
/// assert_eq!(got.earnings, [euros, dollars]);
/// ```
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
///
/// ```
/// # use stocklens_plugin_sdk::*;
/// # struct Rows(ParseSummary);
/// # impl RowHandler for Rows {
/// #     const DELIMITER: u8 = b',';
/// #     fn start(_: &str) -> Self {
/// #         Rows(ParseSummary::default())
/// #     }
/// #     fn read(&mut self, record: &Record<'_>, batch: &mut Batch) -> Result<(), ParseError> {
/// #         if record.line() == 1 || record.is_blank() {
/// #             return Ok(());
/// #         }
/// #         self.0.rows += 1;
/// #         let cell = |i| record.trimmed(i).unwrap_or("");
/// #         match (parse_date(cell(0), DateOrder::DayFirst), parse_money(cell(2))) {
/// #             (Ok(date), Ok(amount)) => batch.sales.push(Sale {
/// #                 date,
/// #                 time: None,
/// #                 asset_id: cell(1).into(),
/// #                 title: None,
/// #                 file_name: None,
/// #                 media: MediaType::Photo,
/// #                 license: None,
/// #                 units: 1,
/// #                 earnings: Money {
/// #                     micros: amount.micros,
/// #                     currency: amount.currency.map_or("USD".into(), |c| c.to_string()),
/// #                 },
/// #                 country: None,
/// #             }),
/// #             _ => {
/// #                 self.0.rows_skipped += 1;
/// #                 batch.issues.push(RowIssue::new(record.line(), "unreadable row"));
/// #             }
/// #         }
/// #         Ok(())
/// #     }
/// #     fn summary(&self) -> ParseSummary {
/// #         self.0
/// #     }
/// # }
/// use stocklens_plugin_sdk::testing::{Totals, assert_totals};
/// use stocklens_plugin_sdk::{Money, ParseSummary, RowSession};
/// // `Rows` is a `RowHandler` for `date,id,royalty` files (hidden here).
/// assert_totals::<RowSession<Rows>>("empty.csv", b"date,id,royalty\n", &Totals::default());
/// let one_sale = Totals {
///     summary: ParseSummary { rows: 1, rows_skipped: 0 },
///     units: 1,
///     earnings: vec![Money { micros: 990_000, currency: "USD".into() }],
///     assets: 1,
///     first: "2025-07-14".into(),
///     last: "2025-07-14".into(),
///     issues: Vec::new(),
/// };
/// let file = b"date,id,royalty\n14.07.2025,A1,$0.99";
/// assert_totals::<RowSession<Rows>>("one.csv", file, &one_sale);
/// ```
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
