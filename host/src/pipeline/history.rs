//! The contributor's stored history as report generators receive it: sales from earlier uploads,
//! packed into batches like a parser's, and fed after the job's own files with the `history`
//! scope, for comparisons with earlier periods, first sales of assets and the like.
//!
//! Stored sales never join the selection: the report is about the files of this analysis, and
//! its headline figures must match them. Where the job's files cover a marketplace's dates, the
//! stored sales of those dates are left out (they are these files' own sales, or an older export
//! of the same days), so no sale is counted twice. Nothing here reads the store.

use rustc_hash::FxHashMap;

use super::selection::date_key;
use crate::plugin::types::{Date, MediaType, PackedSale, SaleBatch, TextRef};

/// Sales per batch: the size parsers' batches have, so a generator sees history as it sees files.
pub const SALES_PER_BATCH: usize = 4096;

/// One batch of stored sales of one marketplace (`source` is the parser id that read them).
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryBatch {
    pub source: String,
    pub batch: SaleBatch,
}

/// One stored sale, borrowed from wherever it was read.
#[derive(Clone, Copy, Debug)]
pub struct StoredSale<'a> {
    pub source: &'a str,
    pub date: Date,
    pub asset_id: &'a str,
    pub title: Option<&'a str>,
    pub file_name: Option<&'a str>,
    pub media: MediaType,
    pub license: Option<&'a str>,
    pub units: i32,
    pub earnings_micros: i64,
    pub currency: &'a str,
    pub country: Option<&'a str>,
}

/// Packs stored sales into batches of one source each, in the order given. The time of day is
/// not kept: the store writes it as text and no report compares times across uploads.
pub fn pack<'a>(sales: impl IntoIterator<Item = StoredSale<'a>>) -> Vec<HistoryBatch> {
    let mut open: FxHashMap<String, Builder> = FxHashMap::default();
    let mut done = Vec::new();
    for sale in sales {
        let builder = match open.get_mut(sale.source) {
            Some(builder) => builder,
            None => open.entry(sale.source.to_owned()).or_default(),
        };
        builder.push(&sale);
        if builder.sales.len() >= SALES_PER_BATCH {
            let full = std::mem::take(builder);
            done.push(full.finish(sale.source));
        }
    }
    let mut rest: Vec<_> = open
        .into_iter()
        .filter(|(_, builder)| !builder.sales.is_empty())
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    done.extend(rest.into_iter().map(|(source, b)| b.finish(&source)));
    done
}

#[derive(Default)]
struct Builder {
    text: String,
    sales: Vec<PackedSale>,
    /// The last currency written: a batch has one or two, so most sales share its range.
    currency: Option<(String, TextRef)>,
}

impl Builder {
    fn text(&mut self, text: &str) -> TextRef {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        TextRef {
            start,
            len: text.len() as u32,
        }
    }

    fn push(&mut self, sale: &StoredSale<'_>) {
        let currency = match &self.currency {
            Some((code, range)) if code == sale.currency => *range,
            _ => {
                let range = self.text(sale.currency);
                self.currency = Some((sale.currency.to_owned(), range));
                range
            }
        };
        let packed = PackedSale {
            date: sale.date,
            time: None,
            asset_id: self.text(sale.asset_id),
            title: sale.title.map(|t| self.text(t)),
            file_name: sale.file_name.map(|t| self.text(t)),
            media: sale.media,
            license: sale.license.map(|t| self.text(t)),
            units: sale.units,
            earnings_micros: sale.earnings_micros,
            currency,
            country: sale.country.map(|t| self.text(t)),
        };
        self.sales.push(packed);
    }

    fn finish(self, source: &str) -> HistoryBatch {
        HistoryBatch {
            source: source.to_owned(),
            batch: SaleBatch {
                text: self.text,
                sales: self.sales,
            },
        }
    }
}

/// The first and last date of the job's own sales, per source: stored sales inside these spans
/// are the files' own.
#[derive(Debug, Default)]
pub struct Spans(FxHashMap<String, (Date, Date)>);

impl Spans {
    /// Widens `source`'s span to `date`.
    pub fn widen(&mut self, source: &str, date: Date) {
        match self.0.get_mut(source) {
            Some((first, last)) => {
                if date_key(&date) < date_key(first) {
                    *first = date;
                }
                if date_key(&date) > date_key(last) {
                    *last = date;
                }
            }
            None => {
                self.0.insert(source.to_owned(), (date, date));
            }
        }
    }

    /// Whether the job's files cover `date` for `source`.
    pub fn covers(&self, source: &str, date: Date) -> bool {
        let key = date_key(&date);
        self.0
            .get(source)
            .is_some_and(|(first, last)| date_key(first) <= key && key <= date_key(last))
    }
}

/// `batch` without the sales the job's files cover; the text is kept whole.
pub fn outside(spans: &Spans, history: &HistoryBatch) -> SaleBatch {
    SaleBatch {
        text: history.batch.text.clone(),
        sales: history
            .batch
            .sales
            .iter()
            .filter(|sale| !spans.covers(&history.source, sale.date))
            .copied()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::text_of;

    fn day(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    fn stored<'a>(
        source: &'a str,
        date: Date,
        asset: &'a str,
        currency: &'a str,
    ) -> StoredSale<'a> {
        StoredSale {
            source,
            date,
            asset_id: asset,
            title: Some("A title"),
            file_name: None,
            media: MediaType::Photo,
            license: None,
            units: 1,
            earnings_micros: 330_000,
            currency,
            country: None,
        }
    }

    #[test]
    fn packs_per_source_with_shared_currency_text() {
        let batches = pack([
            stored("adobe-stock", day(2025, 1, 2), "1", "USD"),
            stored("freepik", day(2025, 1, 3), "F", "EUR"),
            stored("adobe-stock", day(2025, 1, 4), "2", "USD"),
        ]);
        assert_eq!(batches.len(), 2);
        let adobe = &batches[0];
        assert_eq!(adobe.source, "adobe-stock");
        assert_eq!(adobe.batch.sales.len(), 2);
        assert_eq!(adobe.batch.sales[0].currency, adobe.batch.sales[1].currency);
        assert_eq!(text_of(&adobe.batch, adobe.batch.sales[1].asset_id), "2");
        let title = adobe.batch.sales[0].title.map(|t| text_of(&adobe.batch, t));
        assert_eq!(title, Some("A title"));
        assert_eq!(
            text_of(&batches[1].batch, batches[1].batch.sales[0].currency),
            "EUR"
        );
    }

    #[test]
    fn splits_long_histories_into_batches() {
        let dates: Vec<String> = (0..SALES_PER_BATCH + 5).map(|i| i.to_string()).collect();
        let batches = pack(
            dates
                .iter()
                .map(|id| stored("adobe-stock", day(2024, 5, 1), id, "USD")),
        );
        let sizes: Vec<usize> = batches.iter().map(|b| b.batch.sales.len()).collect();
        assert_eq!(sizes, [SALES_PER_BATCH, 5]);
    }

    #[test]
    fn leaves_out_the_days_the_files_cover_per_marketplace() {
        let mut spans = Spans::default();
        spans.widen("adobe-stock", day(2025, 7, 10));
        spans.widen("adobe-stock", day(2025, 9, 30));
        spans.widen("adobe-stock", day(2025, 7, 1));
        let history = pack([
            stored("adobe-stock", day(2025, 6, 30), "old", "USD"),
            stored("adobe-stock", day(2025, 7, 1), "same-file", "USD"),
            stored("adobe-stock", day(2025, 9, 30), "same-file", "USD"),
            stored("adobe-stock", day(2025, 10, 1), "later", "USD"),
        ]);
        let kept = outside(&spans, &history[0]);
        let ids: Vec<&str> = kept
            .sales
            .iter()
            .map(|s| text_of(&kept, s.asset_id))
            .collect();
        assert_eq!(ids, ["old", "later"]);
        // Another marketplace's sales of the same days are history, not the files' own.
        let other = pack([stored("freepik", day(2025, 8, 1), "F", "EUR")]);
        assert_eq!(outside(&spans, &other[0]).sales.len(), 1);
    }
}
