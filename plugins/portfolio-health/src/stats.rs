//! Running totals over every sale fed, selected or not: what the indicators are computed from.
//!
//! Memory grows with distinct assets, days with selected sales, and (only when a portfolio size
//! is given) distinct asset-months, never with the number of sales: each sale is folded in and
//! dropped, its asset id moved into a map the first time the asset is seen. History sales only
//! tell when each asset first sold; totals count selected sales alone. Money is summed per
//! currency in `i128`, so no sum overflows and no two currencies are added together.

use rustc_hash::{FxHashMap, FxHashSet};
use stocklens_plugin_sdk::{Currencies, CurrencyId, Date, PerCurrency, SaleRef, Scope};

/// Sales and revenue of one group: the SDK's.
pub use stocklens_plugin_sdk::Tally;

/// One asset: a marketplace's asset id on one source. Small on purpose: with its key it fills
/// one 64-byte cache line, the one random memory access a sale costs.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Day number of its earliest sale in any scope: when it first sold, for telling new work.
    pub first_sale: i32,
    /// Order in which it was first seen across all sources: its identity in
    /// [`MonthCounter::far`].
    serial: u32,
    /// Months with a selected sale with units, as bits from [`MonthCounter::base`]: counts the
    /// asset once per month in any sale order without a set lookup per sale.
    months: u64,
    /// Net units of its selected sales.
    pub units: i64,
    /// Revenue of its selected sales.
    pub revenue: AssetRevenue,
}

/// An asset's revenue per currency, exact: the first currency inline as two 64-bit halves (an
/// `i128` field would align the asset to 16 bytes and push its bucket past a cache line), the
/// others boxed, since nearly every export has one currency.
#[derive(Debug, Clone, Default)]
pub struct AssetRevenue {
    first_low: u64,
    first_high: i64,
    others: Option<Box<PerCurrency>>,
}

impl AssetRevenue {
    #[inline]
    fn add(&mut self, currency: CurrencyId, micros: i128) {
        if currency == 0 {
            // Each sale adds at most 2^63 to a sum of i128: no overflow is reachable.
            let sum = self.get(0) + micros;
            self.first_low = sum as u64;
            self.first_high = (sum >> 64) as i64;
        } else {
            self.others
                .get_or_insert_with(Box::default)
                .add(currency, micros);
        }
    }

    /// The sum in `currency`, zero if it never occurred.
    pub fn get(&self, currency: CurrencyId) -> i128 {
        match currency {
            0 => (i128::from(self.first_high) << 64) | i128::from(self.first_low),
            _ => self
                .others
                .as_ref()
                .map_or(0, |others| others.get(currency)),
        }
    }
}
/// One source (parser id) and what is known of its assets.
#[derive(Debug)]
pub struct Source {
    /// The parser id, e.g. "adobe-stock".
    pub name: String,
    /// Its assets by asset id, short ids stored in the key itself. The asset lives in the map's
    /// bucket, so a sale costs one random memory access for the lookup and the update together.
    short: FxHashMap<InlineId, Asset>,
    /// Assets whose id is longer than [`INLINE_ID_BYTES`].
    long: FxHashMap<String, Asset>,
    /// Day number of its earliest sale in any scope: how far back its data reaches.
    pub earliest: Option<i32>,
    /// Selected sales per day, in order of first appearance: the sales of any window (the last
    /// 3 months) are summed from it once the period's end is known.
    days: Vec<(i32, Tally)>,
    /// Where each day number is in `days`.
    day_index: FxHashMap<i32, usize>,
    /// The last day looked up: exports are sorted by date, so most sales hit it.
    last_day: Option<(i32, usize)>,
}

impl Source {
    fn new(name: &str) -> Source {
        Source {
            name: name.to_owned(),
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            earliest: None,
            days: Vec::new(),
            day_index: FxHashMap::default(),
            last_day: None,
        }
    }

    /// The selected sales from day number `first` to `last`, both included.
    pub fn window(&self, first: i32, last: i32) -> Tally {
        let mut total = Tally::default();
        for (_, tally) in self
            .days
            .iter()
            .filter(|(day, _)| (first..=last).contains(day))
        {
            total.merge(tally);
        }
        total
    }

    /// The tally of day number `day`, added if new.
    #[inline]
    fn day(&mut self, day: i32) -> &mut Tally {
        let index = match self.last_day {
            Some((last, index)) if last == day => index,
            _ => {
                let days = &mut self.days;
                let index = *self.day_index.entry(day).or_insert_with(|| {
                    days.push((day, Tally::default()));
                    days.len() - 1
                });
                self.last_day = Some((day, index));
                index
            }
        };
        &mut self.days[index].1
    }
}

/// Longest asset id kept inside its map key: marketplace ids are numbers of 8 to 10 digits or
/// short codes; longer ones go to a map keyed by `String`. With the length byte the key is 16
/// bytes, and key plus [`Asset`] one cache line.
pub const INLINE_ID_BYTES: usize = 15;

/// An asset id of at most [`INLINE_ID_BYTES`] bytes stored in place, its length in the last
/// byte. Comparing keys then stays inside the map's own memory instead of following a pointer to
/// each stored string: over tens of thousands of assets in random order, one cache miss fewer
/// per sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct InlineId([u8; INLINE_ID_BYTES + 1]);

impl InlineId {
    fn new(id: &str) -> Option<InlineId> {
        let bytes = id.as_bytes();
        if bytes.len() > INLINE_ID_BYTES {
            return None;
        }
        let mut key = [0; INLINE_ID_BYTES + 1];
        key[..bytes.len()].copy_from_slice(bytes);
        key[INLINE_ID_BYTES] = bytes.len() as u8;
        Some(InlineId(key))
    }

    fn as_bytes(&self) -> &[u8] {
        let len = usize::from(self.0[INLINE_ID_BYTES]).min(INLINE_ID_BYTES);
        &self.0[..len]
    }
}

/// Bits in [`Asset::months`]: 64 months from the base cover any period the bot offers.
const MONTH_BITS: i32 = 64;

/// Months before the first selected sale that the bits reach, so that an export listed newest
/// first still falls within them.
const MONTHS_BEFORE_FIRST: i32 = 31;

/// Counts distinct (asset, month) pairs of selected sales with units: the works sold in each
/// month, summed over the months.
#[derive(Debug, Default)]
struct MonthCounter {
    /// Month number of bit 0 of every asset's `months`, fixed at the first sale counted.
    base: Option<i32>,
    /// Pairs more than 64 months from the base, as (serial, month number): only very long
    /// selections reach here.
    far: FxHashSet<u64>,
    /// Distinct pairs counted.
    pairs: u64,
}

impl MonthCounter {
    #[inline]
    fn add(&mut self, asset: &mut Asset, month: i32) {
        let base = *self.base.get_or_insert(month - MONTHS_BEFORE_FIRST);
        let offset = month - base;
        let new = if (0..MONTH_BITS).contains(&offset) {
            let bit = 1u64 << offset;
            let new = asset.months & bit == 0;
            asset.months |= bit;
            new
        } else {
            // Serials and month numbers both fit 32 bits: one u64 key, no tuple hashing.
            self.far
                .insert((u64::from(asset.serial) << 32) | u64::from(month as u32))
        };
        self.pairs += u64::from(new);
    }
}

/// Everything the indicators need, folded from the sales.
#[derive(Debug, Default)]
pub struct Stats {
    /// Currency codes of selected sales, in order of first appearance.
    pub currencies: Currencies,
    /// All selected sales together.
    pub selected: Tally,
    /// Earliest selected sale.
    pub first: Option<Date>,
    /// Latest selected sale.
    pub last: Option<Date>,
    /// Sources in order of first appearance.
    pub sources: Vec<Source>,
    /// Assets seen across all sources, for serial numbers.
    asset_count: u32,
    /// Whether to count works sold per month: only the monthly share of the portfolio sold
    /// needs it, so without a portfolio size nothing is spent on it.
    count_months: bool,
    months: MonthCounter,
}

impl Stats {
    /// Totals that count works sold per month when `count_months` is set.
    pub fn new(count_months: bool) -> Stats {
        Stats {
            count_months,
            ..Stats::default()
        }
    }

    /// Folds in one batch of sales from `source`.
    pub fn add_batch(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        let source = match self.sources.iter().position(|s| s.name == source) {
            Some(index) => index,
            None => {
                self.sources.push(Source::new(source));
                self.sources.len() - 1
            }
        };
        let mut last_currency: Option<CurrencyId> = None;
        for sale in sales {
            let &SaleRef {
                date,
                asset_id,
                units,
                micros,
                currency: code,
                ..
            } = sale;
            let day = date.day_number();
            let selected = scope == Scope::Selected;
            let currency = if selected {
                let id = match last_currency {
                    Some(id) if self.currencies.code(id) == code => id,
                    _ => self.currencies.id(code),
                };
                last_currency = Some(id);
                id
            } else {
                0
            };
            let (units, micros) = (i64::from(units), i128::from(micros));

            let entry = &mut self.sources[source];
            entry.earliest = Some(entry.earliest.map_or(day, |earliest| earliest.min(day)));
            let count = &mut self.asset_count;
            let new_asset = || {
                let serial = *count;
                *count = count.saturating_add(1);
                Asset {
                    first_sale: day,
                    serial,
                    months: 0,
                    units: 0,
                    revenue: AssetRevenue::default(),
                }
            };
            let asset = match InlineId::new(asset_id) {
                Some(key) => entry.short.entry(key).or_insert_with(new_asset),
                // The id is copied only the first time its asset is seen.
                None => match entry.long.get_mut(asset_id) {
                    Some(asset) => asset,
                    None => entry
                        .long
                        .entry(asset_id.to_owned())
                        .or_insert_with(new_asset),
                },
            };
            asset.first_sale = asset.first_sale.min(day);
            if !selected {
                continue;
            }
            asset.units += units;
            asset.revenue.add(currency, micros);
            if self.count_months && units > 0 {
                self.months.add(asset, date.month_number());
            }
            entry.day(day).add(currency, units, micros);
            self.selected.add(currency, units, micros);
            self.first = Some(self.first.map_or(date, |first| first.min(date)));
            self.last = Some(self.last.map_or(date, |last| last.max(date)));
        }
    }

    /// Whether no sale was selected.
    pub fn is_empty(&self) -> bool {
        self.selected.rows == 0
    }

    /// Every asset with the index of its source and its id.
    pub fn assets(&self) -> impl Iterator<Item = (usize, &[u8], &Asset)> {
        self.sources.iter().enumerate().flat_map(|(index, source)| {
            let short = source
                .short
                .iter()
                .map(move |(id, asset)| (index, id.as_bytes(), asset));
            let long = source
                .long
                .iter()
                .map(move |(id, asset)| (index, id.as_bytes(), asset));
            short.chain(long)
        })
    }

    /// Assets whose selected sales net to at least one unit: a work refunded in full is not
    /// counted as sold.
    pub fn works_sold(&self) -> u64 {
        self.assets().filter(|(_, _, a)| a.units > 0).count() as u64
    }

    /// Works sold in each month, summed over the months (a work sold in three months counts
    /// three times); zero unless counting was asked for.
    pub fn works_sold_month_by_month(&self) -> u64 {
        self.months.pairs
    }
}

/// Longest run of digits read as an asset number: 19 digits always fit a `u64`.
pub const MAX_ID_DIGITS: usize = 19;

/// `id` as a number if it is all ASCII digits (and not too long); "A123" or "12-3" is none.
pub fn numeric_id(id: &[u8]) -> Option<u64> {
    let id = id.trim_ascii();
    if id.is_empty() || id.len() > MAX_ID_DIGITS || !id.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        id.iter()
            .fold(0u64, |n, digit| n * 10 + u64::from(digit - b'0')),
    )
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
    fn history_moves_first_sales_but_not_totals() {
        let mut stats = Stats::new(true);
        stats.add_owned(
            "adobe-stock",
            Scope::Selected,
            vec![sale("2025-08-03", "100", 2, 660_000, "USD")],
        );
        stats.add_owned(
            "adobe-stock",
            Scope::History,
            vec![sale("2025-01-10", "100", 1, 330_000, "USD")],
        );
        let assets: Vec<(&[u8], &Asset)> = stats.assets().map(|(_, id, a)| (id, a)).collect();
        assert_eq!(assets.len(), 1);
        assert_eq!(assets[0].0, b"100");
        assert_eq!(assets[0].1.first_sale, day("2025-01-10").day_number());
        assert_eq!(stats.selected.units, 2);
        assert_eq!(stats.selected.revenue.get(0), 660_000);
        assert_eq!(assets[0].1.revenue.get(0), 660_000);
        assert_eq!(
            stats.sources[0].earliest,
            Some(day("2025-01-10").day_number())
        );
    }

    #[test]
    fn an_asset_counts_once_per_month_however_the_sales_are_ordered() {
        let mut stats = Stats::new(true);
        stats.add_owned(
            "a",
            Scope::Selected,
            vec![
                sale("2025-07-01", "1", 1, 1, "USD"),
                sale("2025-08-01", "1", 1, 1, "USD"),
                sale("2025-07-20", "1", 1, 1, "USD"),
                sale("2025-07-21", "2", 1, 1, "USD"),
            ],
        );
        // July: "1", "2"; August: "1".
        assert_eq!(stats.works_sold_month_by_month(), 3);
        assert_eq!(stats.works_sold(), 2);
    }

    #[test]
    fn months_far_from_the_first_are_counted_exactly_too() {
        let mut stats = Stats::new(true);
        // The bits cover 31 months before the first sale and 32 after: 2025-07 is inside,
        // 2019-01 and 2031-01 are not, and each still counts once.
        let sales = [
            "2025-07-01",
            "2019-01-05",
            "2031-01-05",
            "2019-01-06",
            "2031-01-07",
        ]
        .iter()
        .map(|date| sale(date, "1", 1, 1, "USD"))
        .collect();
        stats.add_owned("a", Scope::Selected, sales);
        assert_eq!(stats.works_sold_month_by_month(), 3);
    }

    #[test]
    fn a_refunded_work_is_not_sold() {
        let mut stats = Stats::new(false);
        stats.add_owned(
            "a",
            Scope::Selected,
            vec![
                sale("2025-07-01", "1", 1, 990_000, "USD"),
                sale("2025-07-09", "1", -1, -990_000, "USD"),
                sale("2025-07-09", "2", 1, 330_000, "EUR"),
            ],
        );
        assert_eq!(stats.works_sold(), 1);
        assert_eq!(stats.currencies.codes(), ["USD", "EUR"]);
        assert_eq!(
            stats.works_sold_month_by_month(),
            0,
            "not counted without a size"
        );
    }

    #[test]
    fn an_asset_keeps_every_currency_exactly_in_one_cache_line() {
        assert!(std::mem::size_of::<(InlineId, Asset)>() <= 64);
        let mut revenue = AssetRevenue::default();
        revenue.add(0, i128::from(i64::MAX));
        revenue.add(0, i128::from(i64::MAX));
        revenue.add(0, -5);
        revenue.add(2, -7);
        assert_eq!(revenue.get(0), 2 * i128::from(i64::MAX) - 5);
        assert_eq!((revenue.get(1), revenue.get(2)), (0, -7));
        let mut negative = AssetRevenue::default();
        negative.add(0, i128::from(i64::MIN));
        negative.add(0, i128::from(i64::MIN));
        assert_eq!(negative.get(0), 2 * i128::from(i64::MIN));
    }

    #[test]
    fn only_plain_digits_are_asset_numbers() {
        assert_eq!(numeric_id(b"123456789"), Some(123_456_789));
        assert_eq!(
            numeric_id(b"9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(numeric_id(b"A123"), None);
        assert_eq!(numeric_id(b"12-3"), None);
        assert_eq!(numeric_id(b""), None);
        assert_eq!(numeric_id(b"99999999999999999999"), None);
    }

    #[test]
    fn long_ids_are_kept_apart_from_short_ones() {
        let long = "x".repeat(INLINE_ID_BYTES + 1);
        let mut stats = Stats::new(false);
        let sales = [long.as_str(), "x", long.as_str(), "x"]
            .iter()
            .map(|id| sale("2025-07-01", id, 1, 1, "USD"))
            .collect();
        stats.add_owned("a", Scope::Selected, sales);
        let mut units: Vec<(usize, i64)> = stats
            .assets()
            .map(|(_, id, a)| (id.len(), a.units))
            .collect();
        units.sort();
        assert_eq!(units, [(1, 2), (INLINE_ID_BYTES + 1, 2)]);
    }
}
