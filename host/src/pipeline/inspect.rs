//! What one file holds, before any report is asked for: whose export it is, how many sales, what
//! they earned, over which months and media types.
//!
//! The bot answers an upload with this ("Adobe Stock activity export, 1,234 sales, July 2025")
//! and offers the months found as its period question. The file goes through the very decode →
//! detect → parse steps of an analysis ([`super::parse`]) with the same limits, so a file
//! described here is read the same way by the worker later, and a file refused here is refused
//! with the same [`AnalyzeError`] values. No report generator runs, the parse stays on the
//! calling thread, and what is kept grows with months, currencies and media types, never with
//! sales.

use std::collections::BTreeMap;

use super::parse::{self, ReadOptions};
use super::{AnalyzeError, Input, InputProblem, MAX_SKIPPED_PERCENT, Warning, widen};
use crate::plugin::text_of;
use crate::plugin::types::{Date, MediaType, SaleBatch};
use crate::plugin::{Registry, Runtime};

/// What a file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// The parser's id, e.g. "adobe-stock": what a later analysis's `marketplace` takes to skip
    /// detection.
    pub parser: String,
    pub parser_version: String,
    /// The marketplace's display name from the parser's plugin info, e.g. "Adobe Stock".
    pub marketplace: String,
    /// The parser's detection score, 0 to 100; 100 when the marketplace was given.
    pub confidence: u8,
    /// Other parsers that claimed the file too, as (id, marketplace name), best first: what the
    /// bot can offer if the contributor says the guess is wrong. Empty when the marketplace was
    /// given, since the other parsers are then not asked.
    pub alternatives: Vec<(String, String)>,
    /// Data rows the parser saw (header and blank lines not counted).
    pub rows: u64,
    /// Rows that could not be read; each has a warning.
    pub skipped_rows: u64,
    /// Sum of units over the sales: the figure the report calls "Sales" and the summary's
    /// `sales`. Signed because a reversal row counts -1; sale rows of aggregated exports (Freepik
    /// downloads) count many.
    pub sales: i64,
    /// Exact earnings per ISO 4217 currency, in millionths, ordered by currency code. Refunds
    /// are subtracted; currencies are never added together.
    pub earnings: Vec<(String, i128)>,
    /// First day with a sale.
    pub first: Option<Date>,
    /// Last day with a sale.
    pub last: Option<Date>,
    /// Every month with at least one sale row, ascending: the months a period can choose from.
    pub months: Vec<MonthCount>,
    /// Each media type present, with its sales (units), most first.
    pub media: Vec<(MediaType, i64)>,
    /// The first row warnings, as an analysis's summary keeps them.
    pub warnings: Vec<Warning>,
}

/// The sales of one calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthCount {
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// Sum of units, as [`Inspection::sales`].
    pub sales: i64,
}

/// Reads `input` through detection (or the parser `marketplace` names) and its parser, and
/// describes what it holds. `today` is the date implausible sale dates are judged against.
///
/// Fails as an analysis of the file alone would: [`AnalyzeError::Input`] for a file that cannot
/// be read, is not text, has an unknown or ambiguous format, is rejected by its parser, has too
/// many unreadable rows ([`MAX_SKIPPED_PERCENT`]) or no rows at all;
/// [`AnalyzeError::UnknownMarketplace`] for an unknown `marketplace`; [`AnalyzeError::Plugin`]
/// for a parser that fails.
pub fn inspect(
    runtime: &Runtime,
    registry: &Registry,
    input: &Input,
    marketplace: Option<&str>,
    today: Date,
) -> Result<Inspection, AnalyzeError> {
    let options = ReadOptions {
        marketplace,
        today,
        max_skipped_percent: MAX_SKIPPED_PERCENT,
    };
    let mut tally = Tally::default();
    let read = parse::file(runtime, registry, input, &options, &mut |_, batch| {
        tally.add(&batch);
        Ok(())
    })?;
    if read.rows == 0 {
        return Err(AnalyzeError::Input {
            file: input.name.clone(),
            problem: InputProblem::NoRows,
        });
    }

    let mut media = tally.media;
    // Stable: equal counts keep the order they were first seen in.
    media.sort_by_key(|&(_, sales)| std::cmp::Reverse(sales));
    Ok(Inspection {
        parser: read.plugin.info.id.clone(),
        parser_version: read.plugin.info.version.clone(),
        marketplace: read.marketplace(),
        confidence: if marketplace.is_some() {
            100
        } else {
            read.confidence
        },
        alternatives: read
            .alternatives
            .into_iter()
            .map(|c| (c.parser, c.marketplace))
            .collect(),
        rows: read.rows,
        skipped_rows: read.rows_skipped,
        sales: tally.sales,
        earnings: tally.earnings.into_iter().collect(),
        first: tally.range.map(|(first, _)| first),
        last: tally.range.map(|(_, last)| last),
        months: tally
            .months
            .into_iter()
            .map(|((year, month), sales)| MonthCount { year, month, sales })
            .collect(),
        media,
        warnings: read.warnings,
    })
}

/// Counters folded over the sales as they stream past.
#[derive(Default)]
struct Tally {
    sales: i64,
    earnings: BTreeMap<String, i128>,
    range: Option<(Date, Date)>,
    months: BTreeMap<(u16, u8), i64>,
    /// At most one entry per media type (seven), so a list beats a map.
    media: Vec<(MediaType, i64)>,
}

impl Tally {
    fn add(&mut self, batch: &SaleBatch) {
        for sale in &batch.sales {
            let units = i64::from(sale.units);
            self.sales += units;
            let currency = text_of(batch, sale.currency);
            match self.earnings.get_mut(currency) {
                Some(sum) => *sum += i128::from(sale.earnings_micros),
                None => {
                    self.earnings
                        .insert(currency.to_owned(), i128::from(sale.earnings_micros));
                }
            }
            widen(&mut self.range, sale.date);
            *self
                .months
                .entry((sale.date.year, sale.date.month))
                .or_default() += units;
            match self
                .media
                .iter_mut()
                .find(|(media, _)| *media == sale.media)
            {
                Some((_, sales)) => *sales += units,
                None => self.media.push((sale.media, units)),
            }
        }
    }
}
