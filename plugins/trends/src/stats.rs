//! Running totals per calendar day: everything the trends are built from.
//!
//! Memory grows with distinct days, sources and currencies, never with the number of sales: a sale
//! is folded into its day and dropped (none of its strings is kept). Money is summed per currency
//! in `i128`, so no sum overflows and no two currencies are ever added together. Nothing here
//! knows about periods or texts; it only answers "what was sold on which days".

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use stocklens_plugin_sdk::{Currencies, CurrencyId, MediaType, SaleRef, Scope};

/// Sales and revenue of one group (see the SDK's `Tally`).
pub use stocklens_plugin_sdk::Tally as Totals;

/// Totals per calendar day, keyed by [`Date::day_number`](stocklens_plugin_sdk::Date::day_number).
#[derive(Debug, Default)]
pub struct Days {
    days: Vec<(i32, Totals)>,
    /// Where each day is in `days`.
    index: FxHashMap<i32, usize>,
    /// The day looked up last: exports are sorted by date, so most sales hit it without hashing.
    last: Option<(i32, usize)>,
}

impl Days {
    /// The totals of `day`, added empty if new.
    #[inline]
    fn entry(&mut self, day: i32) -> &mut Totals {
        let index = match self.last {
            Some((last, index)) if last == day => index,
            _ => {
                let index = *self.index.entry(day).or_insert_with(|| {
                    self.days.push((day, Totals::default()));
                    self.days.len() - 1
                });
                self.last = Some((day, index));
                index
            }
        };
        &mut self.days[index].1
    }

    /// Every day with its totals, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (i32, &Totals)> {
        self.days.iter().map(|(day, totals)| (*day, totals))
    }

    /// The earliest day seen.
    pub fn first(&self) -> Option<i32> {
        self.days.iter().map(|(day, _)| *day).min()
    }

    /// The latest day seen.
    pub fn last(&self) -> Option<i32> {
        self.days.iter().map(|(day, _)| *day).max()
    }

    /// How many distinct days were seen.
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// Whether no day was seen.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// Everything sold from day `from` to day `to`, both included.
    pub fn sum(&self, from: i32, to: i32) -> Totals {
        let mut sum = Totals::default();
        for (_, totals) in self
            .days
            .iter()
            .filter(|(day, _)| (from..=to).contains(day))
        {
            sum.merge(totals);
        }
        sum
    }

    /// Whether any day from `from` to `to` was seen, even with nothing counted on it.
    pub fn any_in(&self, from: i32, to: i32) -> bool {
        self.days.iter().any(|(day, _)| (from..=to).contains(day))
    }

    /// Adds every day of `other`.
    fn merge(&mut self, other: &Days) {
        for (day, totals) in other.iter() {
            self.entry(day).merge(totals);
        }
    }
}

/// One marketplace's selected sales, kept apart so that exports dated by month can be left out of
/// weeks and weekdays.
#[derive(Debug)]
pub struct Source {
    /// The parser id.
    pub name: String,
    /// Whether any of its sales (in either scope) is dated other than the 1st of a month. A source
    /// without one dates its sales by month only (Freepik, monthly statements).
    pub daily: bool,
    /// Its selected sales per day.
    pub selected: Days,
    /// Its history sales per day (of the selected media type, as [`Stats::history`]): whether its
    /// own exports reach an earlier period, so a comparison adds up like with like.
    pub history: Days,
}

/// Everything the report needs, folded from both scopes.
#[derive(Debug, Default)]
pub struct Stats {
    currencies: Currencies,
    /// Selected rows per currency: picks the main currency, and which currencies tables show
    /// (a currency seen only in history gets no column).
    selected_rows: Vec<u64>,
    sources: Vec<Source>,
    /// History sales of the selected media type (every type when the request has no media
    /// filter): what comparisons with earlier periods add up. A day with history sales of other
    /// types only is kept with zero totals: it still shows which days the history reaches.
    pub history: Days,
    /// The request's media filter: history sales carry every type, the selection only this one.
    media: Option<MediaType>,
}

impl Stats {
    /// Totals that count history sales of `media` only (all of them when `None`).
    pub fn new(media: Option<MediaType>) -> Stats {
        Stats {
            media,
            ..Stats::default()
        }
    }

    /// Folds in one batch from `source`.
    pub fn add_batch(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        let source_index = match self.sources.iter().position(|s| s.name == source) {
            Some(index) => index,
            None => {
                self.sources.push(Source {
                    name: source.to_owned(),
                    daily: false,
                    selected: Days::default(),
                    history: Days::default(),
                });
                self.sources.len() - 1
            }
        };
        let mut last_currency: Option<CurrencyId> = None;
        for sale in sales {
            let currency = match last_currency {
                Some(id) if self.currencies.code(id) == sale.currency => id,
                _ => self.currency_id(sale.currency),
            };
            last_currency = Some(currency);
            let source = &mut self.sources[source_index];
            source.daily |= sale.date.day != 1;
            let day = sale.date.day_number();
            let units = i64::from(sale.units);
            let micros = i128::from(sale.micros);
            match scope {
                Scope::Selected => {
                    source.selected.entry(day).add(currency, units, micros);
                    self.selected_rows[currency] += 1;
                }
                Scope::History => {
                    let totals = self.history.entry(day);
                    let own = source.history.entry(day);
                    if self.media.is_none_or(|media| media == sale.media) {
                        totals.add(currency, units, micros);
                        own.add(currency, units, micros);
                    }
                }
            }
        }
    }

    fn currency_id(&mut self, code: &str) -> CurrencyId {
        let id = self.currencies.id(code);
        if self.selected_rows.len() <= id {
            self.selected_rows.resize(id + 1, 0);
        }
        id
    }

    /// The code of `currency`.
    pub fn code(&self, currency: CurrencyId) -> &str {
        self.currencies.code(currency)
    }

    /// Currencies of the selected sales, in order of first appearance.
    pub fn selected_currencies(&self) -> Vec<CurrencyId> {
        (0..self.selected_rows.len())
            .filter(|&id| self.selected_rows[id] > 0)
            .collect()
    }

    /// The currency most selected sales were paid in (the first seen on a tie): what
    /// single-currency figures (changes, best month, estimate) use.
    pub fn main_currency(&self) -> CurrencyId {
        let mut best = 0;
        for (id, &rows) in self.selected_rows.iter().enumerate() {
            if rows > self.selected_rows.get(best).copied().unwrap_or(0) {
                best = id;
            }
        }
        best
    }

    /// The sources that sent selected sales.
    pub fn selected_sources(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter().filter(|s| !s.selected.is_empty())
    }

    /// Selected sales per day over the sources that pass `keep`.
    pub fn selected_days(&self, keep: impl Fn(&Source) -> bool) -> Days {
        let mut days = Days::default();
        for source in self.sources.iter().filter(|s| keep(s)) {
            days.merge(&source.selected);
        }
        days
    }

    /// Selected and history sales (of the selected media type) per month number (see
    /// [`Date::month_number`](stocklens_plugin_sdk::Date::month_number)): what comparisons of
    /// months across years read.
    pub fn months_with_history(&self, selected: &Days) -> BTreeMap<i32, Totals> {
        let mut months: BTreeMap<i32, Totals> = BTreeMap::new();
        for (day, totals) in selected.iter().chain(self.history.iter()) {
            let month = stocklens_plugin_sdk::Date::from_day_number(day).month_number();
            months.entry(month).or_default().merge(totals);
        }
        months
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::Sale;
    use stocklens_plugin_sdk::testing::borrowed;

    use stocklens_plugin_sdk::testing::{day, sale};

    impl Stats {
        fn add_owned(&mut self, source: &str, scope: Scope, sales: Vec<Sale>) {
            self.add_batch(source, scope, &borrowed(&sales));
        }
    }

    #[test]
    fn keeps_currencies_apart_and_picks_the_main_one() {
        let mut stats = Stats::new(None);
        stats.add_owned(
            "a",
            Scope::History,
            vec![sale("2025-01-02", "1", 1, 5, "GBP")],
        );
        stats.add_owned(
            "a",
            Scope::Selected,
            vec![
                sale("2025-07-01", "1", 1, 990_000, "EUR"),
                sale("2025-07-02", "1", 1, 1_500_000, "USD"),
                sale("2025-07-02", "2", 2, 330_000, "USD"),
            ],
        );
        // GBP is 0, EUR 1, USD 2; USD has two selected rows, EUR one, GBP none.
        assert_eq!(stats.selected_currencies(), [1, 2]);
        assert_eq!(stats.main_currency(), 2);
        let days = stats.selected_days(|_| true);
        let july_2 = days.sum(
            day("2025-07-02").day_number(),
            day("2025-07-02").day_number(),
        );
        assert_eq!((july_2.units, july_2.revenue.get(2)), (3, 1_830_000));
    }

    #[test]
    fn history_of_other_media_marks_days_but_counts_nothing() {
        let mut stats = Stats::new(Some(MediaType::Video));
        let mut video = sale("2025-03-10", "v", 1, 7_000_000, "USD");
        video.media = MediaType::Video;
        stats.add_owned(
            "a",
            Scope::History,
            vec![video, sale("2025-03-11", "p", 1, 1_000_000, "USD")],
        );
        let (from, to) = (
            day("2025-03-11").day_number(),
            day("2025-03-31").day_number(),
        );
        assert!(stats.history.any_in(from, to));
        assert_eq!(stats.history.sum(from, to).rows, 0);
        let march = stats.history.sum(day("2025-03-01").day_number(), to);
        assert_eq!((march.units, march.revenue.get(0)), (1, 7_000_000));
    }

    #[test]
    fn a_source_dated_only_on_the_first_is_monthly() {
        let mut stats = Stats::new(None);
        stats.add_owned(
            "freepik",
            Scope::Selected,
            vec![sale("2025-07-01", "1", 3, 3, "USD")],
        );
        stats.add_owned(
            "adobe",
            Scope::Selected,
            vec![sale("2025-07-01", "1", 1, 1, "USD")],
        );
        stats.add_owned(
            "adobe",
            Scope::History,
            vec![sale("2025-06-17", "1", 1, 1, "USD")],
        );
        let daily: Vec<(&str, bool)> = stats
            .selected_sources()
            .map(|s| (s.name.as_str(), s.daily))
            .collect();
        assert_eq!(daily, [("freepik", false), ("adobe", true)]);
        assert_eq!(stats.selected_days(|s| s.daily).sum(0, i32::MAX).units, 1);
    }

    #[test]
    fn months_add_history_to_the_selection() {
        let mut stats = Stats::new(None);
        stats.add_owned(
            "a",
            Scope::History,
            vec![
                sale("2024-07-03", "1", 1, 2_000_000, "USD"),
                sale("2024-07-30", "1", 1, 1_000_000, "USD"),
            ],
        );
        stats.add_owned(
            "a",
            Scope::Selected,
            vec![sale("2025-07-03", "1", 1, 4_000_000, "USD")],
        );
        let months = stats.months_with_history(&stats.selected_days(|_| true));
        let revenue: Vec<(i32, i128)> =
            months.iter().map(|(m, t)| (*m, t.revenue.get(0))).collect();
        // July 2024 is month 2024 * 12 + 6 = 24294, July 2025 is 24306.
        assert_eq!(revenue, [(24_294, 3_000_000), (24_306, 4_000_000)]);
    }
}
