//! Running totals per marketplace, per asset and per month: what the comparison is built from.
//!
//! Memory grows with distinct assets, works and months, never with the number of sales: each sale
//! costs one lookup of its asset id among its marketplace's (see [`AssetIds`]), which numbers the
//! asset's totals in a `Vec`. The file name is normalised once per asset too, and the asset
//! keeps the number of its work, so the map from file name to work is never touched again for it.
//! Per-work totals on each marketplace are summed from the assets at the end. Money is summed per
//! currency in `i128`: no sum overflows and no two currencies are ever added together.

use rustc_hash::FxHashMap;
use stocklens_plugin_sdk::{AssetIds, Currencies, CurrencyId, SaleRef, Scope};

use crate::work_key::{base_name, work_key};

/// Sales and revenue of one group: the SDK's.
pub use stocklens_plugin_sdk::Tally;

/// Units and rows of one marketplace in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthTally {
    /// Sum of units.
    pub units: i64,
    /// Rows, to tell a month of refunds from a month without sales.
    pub rows: u64,
}

/// What is known about an asset's file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// No sale of the asset has carried a file name yet.
    Unnamed,
    /// Its file name is no usable key (digits only, too short).
    Ignored,
    /// The number of its work in [`Stats::work_names`].
    Work(u32),
}

/// One asset on one marketplace, in one cache line: every sale touches its asset, and with tens
/// of thousands of assets that touch is the feed's main cost (a cache miss), so the fields are
/// packed to 64 bytes and aligned so that an asset never straddles two lines.
#[derive(Debug, Clone)]
#[repr(align(64))]
struct Asset {
    /// Revenue of its selected sales in currency 0. The per-currency sums are kept in these two
    /// fields rather than a [`PerCurrency`], whose padding would make the asset 72 bytes.
    revenue_first: i128,
    /// Revenue in currencies 1.., as long as the highest one it sold in.
    revenue_others: Vec<i128>,
    /// Units of its selected sales.
    units: i64,
    link: Link,
    /// Selected rows (saturating: only "any" and sums of a few matter).
    rows: u32,
    /// Bit `c` is set when it sold in currency `c` (currencies past 15 share the last bit): to
    /// count assets per currency for revenue per asset.
    currencies: u16,
    /// Whether it sold in the contributor's history outside the selection.
    sold_in_history: bool,
}

impl Asset {
    fn new() -> Asset {
        Asset {
            revenue_first: 0,
            revenue_others: Vec::new(),
            units: 0,
            link: Link::Unnamed,
            rows: 0,
            currencies: 0,
            sold_in_history: false,
        }
    }

    #[inline]
    fn add(&mut self, currency: CurrencyId, units: i64, micros: i128) {
        if currency == 0 {
            self.revenue_first += micros;
        } else {
            if self.revenue_others.len() < currency {
                self.revenue_others.resize(currency, 0);
            }
            self.revenue_others[currency - 1] += micros;
        }
        self.units += units;
        self.rows = self.rows.saturating_add(1);
        self.currencies |= currency_bit(currency);
    }

    /// Adds its selected sales to `tally`.
    fn add_to(&self, tally: &mut Tally) {
        tally.units += self.units;
        tally.rows += u64::from(self.rows);
        tally.revenue.add(0, self.revenue_first);
        for (index, &micros) in self.revenue_others.iter().enumerate() {
            tally.revenue.add(index + 1, micros);
        }
    }
}

/// The bit of `currency` in [`Asset::currencies`].
fn currency_bit(currency: CurrencyId) -> u16 {
    1 << currency.min(15)
}

/// One marketplace (parser id) and everything sold there.
#[derive(Debug, Default)]
struct Source {
    id: String,
    /// All its selected sales.
    totals: Tally,
    /// Units per currency, for the average per sale in each currency.
    units_by_currency: Vec<i64>,
    /// History rows seen: whether "never sold here" can look beyond the selection.
    history_rows: u64,
    /// The marketplace's asset ids, numbered.
    ids: AssetIds,
    /// Per asset, by its number in `ids`.
    assets: Vec<Asset>,
    /// Keyed by [`stocklens_plugin_sdk::Date::month_number`].
    months: FxHashMap<i32, MonthTally>,
}

impl Source {
    /// The totals of the asset `id`, added if new; `None` only past `u32` assets.
    #[inline]
    fn asset(&mut self, id: &str) -> Option<&mut Asset> {
        let number = self.ids.number(id)? as usize;
        if number == self.assets.len() {
            self.assets.push(Asset::new());
        }
        self.assets.get_mut(number)
    }
}

/// One marketplace's totals, as the report reads them.
#[derive(Debug, Clone)]
pub struct Marketplace<'a> {
    /// Its index among the sources, as [`Work::on`] takes it.
    pub source: usize,
    /// The parser id.
    pub id: &'a str,
    /// All its selected sales.
    pub totals: &'a Tally,
    /// Units per currency (shorter than the currency list when later currencies never occurred).
    pub units_by_currency: &'a [i64],
    /// Assets with selected sales.
    pub assets: usize,
    /// Assets with selected sales in each currency, indexed by [`CurrencyId`].
    pub assets_by_currency: Vec<usize>,
    /// Selected assets whose file name gave a work key.
    pub named_assets: usize,
    /// Selected assets whose file name was refused as a key.
    pub ignored_names: usize,
    /// Whether the history had sales from it.
    pub has_history: bool,
}

impl Marketplace<'_> {
    /// Units sold in `currency`.
    pub fn units_in(&self, currency: CurrencyId) -> i64 {
        self.units_by_currency.get(currency).copied().unwrap_or(0)
    }

    /// Assets sold in `currency`.
    pub fn assets_in(&self, currency: CurrencyId) -> usize {
        self.assets_by_currency.get(currency).copied().unwrap_or(0)
    }

    /// Whether any of its sales was paid in `currency`.
    pub fn paid_in(&self, currency: CurrencyId) -> bool {
        self.assets_in(currency) > 0
    }
}

/// One work's sales on one marketplace.
#[derive(Debug, Clone, Default)]
pub struct WorkCell {
    /// Selected sales of every asset of the marketplace with this work's key.
    pub selected: Tally,
    /// Whether one of those assets sold in the history.
    pub sold_in_history: bool,
}

/// One work, matched across marketplaces by its file name.
#[derive(Debug, Clone)]
pub struct Work<'a> {
    /// The first file name seen for it, without directories.
    pub name: &'a str,
    /// Its sales per marketplace, by source index, in source order.
    pub cells: Vec<(usize, WorkCell)>,
}

impl Work<'_> {
    /// Its sales on marketplace `source`, if it has any there (selected or in the history).
    pub fn on(&self, source: usize) -> Option<&WorkCell> {
        self.cells
            .iter()
            .find(|(index, _)| *index == source)
            .map(|(_, cell)| cell)
    }

    /// Whether it ever sold on `source`, in the selection or the history.
    pub fn ever_sold_on(&self, source: usize) -> bool {
        self.on(source)
            .is_some_and(|cell| cell.selected.rows > 0 || cell.sold_in_history)
    }

    /// Marketplaces where it has selected sales.
    pub fn marketplace_count(&self) -> usize {
        self.cells
            .iter()
            .filter(|(_, cell)| cell.selected.rows > 0)
            .count()
    }

    /// All its selected sales together.
    pub fn total(&self) -> Tally {
        let mut total = Tally::default();
        for (_, cell) in &self.cells {
            total.merge(&cell.selected);
        }
        total
    }
}

/// Everything the report needs, folded from the sales.
#[derive(Debug, Default)]
pub struct Stats {
    currencies: Currencies,
    /// Selected rows per currency, to tell the main currency.
    rows_by_currency: Vec<u64>,
    /// Sources in order of first appearance.
    sources: Vec<Source>,
    /// Work number per key (see [`work_key`]).
    works: FxHashMap<String, u32>,
    /// The first file name seen for each work, by work number, as the sale carried it.
    work_names: Vec<String>,
}

impl Stats {
    /// Folds in one batch of sales from `source` (the parser id).
    pub fn add_batch(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        if sales.is_empty() {
            return;
        }
        let index = match self.sources.iter().position(|s| s.id == source) {
            Some(index) => index,
            None => {
                self.sources.push(Source {
                    id: source.to_owned(),
                    ..Source::default()
                });
                self.sources.len() - 1
            }
        };
        let Stats {
            currencies,
            rows_by_currency,
            sources,
            works,
            work_names,
        } = self;
        let mut linker = Linker { works, work_names };
        let source = &mut sources[index];
        if scope == Scope::History {
            source.history_rows += sales.len() as u64;
            for sale in sales {
                if let Some(asset) = source.asset(sale.asset_id) {
                    asset.sold_in_history = true;
                    linker.link(asset, sale.file_name);
                }
            }
            return;
        }

        let mut last_currency: Option<CurrencyId> = None;
        // Exports are sorted by date, so a month's units are summed here and stored once per run.
        let mut month: Option<(i32, MonthTally)> = None;
        for sale in sales {
            let &SaleRef {
                date,
                asset_id,
                file_name,
                units,
                micros,
                currency: code,
                ..
            } = sale;
            let currency = match last_currency {
                Some(id) if same_code(currencies.code(id), code) => id,
                _ => currencies.id(code),
            };
            last_currency = Some(currency);
            if rows_by_currency.len() <= currency {
                rows_by_currency.resize(currency + 1, 0);
            }
            rows_by_currency[currency] += 1;
            if source.units_by_currency.len() <= currency {
                source.units_by_currency.resize(currency + 1, 0);
            }
            let units = i64::from(units);
            let micros = i128::from(micros);
            source.totals.add(currency, units, micros);
            source.units_by_currency[currency] += units;

            let key = date.month_number();
            match &mut month {
                Some((current, tally)) if *current == key => {
                    tally.units += units;
                    tally.rows += 1;
                }
                _ => {
                    if let Some((done, tally)) = month.take() {
                        store_month(&mut source.months, done, tally);
                    }
                    month = Some((key, MonthTally { units, rows: 1 }));
                }
            }

            if let Some(asset) = source.asset(asset_id) {
                asset.add(currency, units, micros);
                if asset.link == Link::Unnamed {
                    linker.link(asset, file_name);
                }
            }
        }
        if let Some((done, tally)) = month {
            store_month(&mut source.months, done, tally);
        }
    }

    /// Currency codes, indexed by [`CurrencyId`].
    pub fn currencies(&self) -> &[String] {
        self.currencies.codes()
    }

    /// The code of `currency`.
    pub fn code(&self, currency: CurrencyId) -> &str {
        self.currencies.code(currency)
    }

    /// The currency most selected sales were paid in (the first seen on a tie).
    pub fn main_currency(&self) -> CurrencyId {
        let mut best = 0;
        for (id, &rows) in self.rows_by_currency.iter().enumerate() {
            if rows > self.rows_by_currency.get(best).copied().unwrap_or(0) {
                best = id;
            }
        }
        best
    }

    /// Marketplaces with selected sales, in order of first appearance.
    pub fn marketplaces(&self) -> Vec<Marketplace<'_>> {
        let currencies = self.currencies.len();
        self.sources
            .iter()
            .enumerate()
            .filter(|(_, source)| source.totals.rows > 0)
            .map(|(index, source)| {
                let mut marketplace = Marketplace {
                    source: index,
                    id: &source.id,
                    totals: &source.totals,
                    units_by_currency: &source.units_by_currency,
                    assets: 0,
                    assets_by_currency: vec![0; currencies],
                    named_assets: 0,
                    ignored_names: 0,
                    has_history: source.history_rows > 0,
                };
                for asset in source.assets.iter().filter(|a| a.rows > 0) {
                    marketplace.assets += 1;
                    for (currency, count) in marketplace.assets_by_currency.iter_mut().enumerate() {
                        if asset.currencies & currency_bit(currency) != 0 {
                            *count += 1;
                        }
                    }
                    match asset.link {
                        Link::Work(_) => marketplace.named_assets += 1,
                        Link::Ignored => marketplace.ignored_names += 1,
                        Link::Unnamed => {}
                    }
                }
                marketplace
            })
            .collect()
    }

    /// Months with selected sales, in order, each with every source's units and rows (indexed
    /// by source index, zeros where a source sold nothing that month).
    pub fn months(&self) -> Vec<(i32, Vec<MonthTally>)> {
        let mut keys: Vec<i32> = self
            .sources
            .iter()
            .flat_map(|source| source.months.keys().copied())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .map(|key| {
                let cells = self
                    .sources
                    .iter()
                    .map(|source| source.months.get(&key).copied().unwrap_or_default())
                    .collect();
                (key, cells)
            })
            .collect()
    }

    /// Works with selected sales on at least one marketplace, in order of first appearance.
    pub fn works(&self) -> Vec<Work<'_>> {
        let mut works: Vec<Work<'_>> = self
            .work_names
            .iter()
            .map(|name| Work {
                name: base_name(name),
                cells: Vec::new(),
            })
            .collect();
        for (index, source) in self.sources.iter().enumerate() {
            for asset in source.assets.iter() {
                let Link::Work(number) = asset.link else {
                    continue;
                };
                let Some(work) = works.get_mut(number as usize) else {
                    continue;
                };
                // Sources are walked in turn, so this source's cell, if any, is the last one.
                let cell = match work.cells.last_mut() {
                    Some((last, cell)) if *last == index => cell,
                    _ => {
                        work.cells.push((index, WorkCell::default()));
                        match work.cells.last_mut() {
                            Some((_, cell)) => cell,
                            None => continue,
                        }
                    }
                };
                asset.add_to(&mut cell.selected);
                cell.sold_in_history |= asset.sold_in_history;
            }
        }
        works.retain(|work| work.marketplace_count() > 0);
        works
    }
}

/// Assigns assets to works by file name; borrows the work tables apart from the sources.
struct Linker<'a> {
    works: &'a mut FxHashMap<String, u32>,
    work_names: &'a mut Vec<String>,
}

impl Linker<'_> {
    /// Links `asset` to the work its `file_name` names, if the name is a key.
    fn link(&mut self, asset: &mut Asset, file_name: Option<&str>) {
        if asset.link != Link::Unnamed {
            return;
        }
        let Some(file_name) = file_name else {
            return;
        };
        let Some(key) = work_key(file_name) else {
            asset.link = Link::Ignored;
            return;
        };
        let number = match self.works.get(&key) {
            Some(&number) => number,
            None => {
                let Ok(number) = u32::try_from(self.work_names.len()) else {
                    // Four billion distinct works is no real portfolio; stop matching new ones.
                    return;
                };
                self.works.insert(key, number);
                self.work_names.push(file_name.to_owned());
                number
            }
        };
        asset.link = Link::Work(number);
    }
}

/// Whether two currency codes are equal; inline, since every sale asks and codes are 3 bytes.
#[inline]
fn same_code(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

fn store_month(months: &mut FxHashMap<i32, MonthTally>, key: i32, tally: MonthTally) {
    let stored = months.entry(key).or_default();
    stored.units += tally.units;
    stored.rows += tally.rows;
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::Sale;
    use stocklens_plugin_sdk::testing::borrowed;

    use stocklens_plugin_sdk::testing::sale;

    impl Stats {
        fn add_owned(&mut self, source: &str, scope: Scope, sales: Vec<Sale>) {
            self.add_batch(source, scope, &borrowed(&sales));
        }
    }

    fn named(date: &str, asset: &str, file: Option<&str>, micros: i64, currency: &str) -> Sale {
        Sale {
            file_name: file.map(str::to_owned),
            ..sale(date, asset, 1, micros, currency)
        }
    }

    #[test]
    fn an_asset_is_its_marketplace_and_id() {
        let mut stats = Stats::default();
        stats.add_owned(
            "adobe-stock",
            Scope::Selected,
            vec![sale("2025-07-01", "1", 1, 1_000_000, "USD")],
        );
        stats.add_owned(
            "shutterstock",
            Scope::Selected,
            vec![sale("2025-07-02", "1", 2, 500_000, "USD")],
        );
        stats.add_owned(
            "adobe-stock",
            Scope::Selected,
            vec![sale("2025-08-01", "1", 1, 1_000_000, "USD")],
        );
        let marketplaces = stats.marketplaces();
        let summary: Vec<(&str, usize, i64, i128)> = marketplaces
            .iter()
            .map(|m| (m.id, m.assets, m.totals.units, m.totals.revenue.get(0)))
            .collect();
        assert_eq!(
            summary,
            [
                ("adobe-stock", 1, 2, 2_000_000),
                ("shutterstock", 1, 2, 500_000)
            ]
        );
    }

    #[test]
    fn months_are_summed_across_batches_and_runs() {
        let mut stats = Stats::default();
        stats.add_owned(
            "a",
            Scope::Selected,
            vec![
                sale("2025-07-01", "1", 1, 1, "USD"),
                sale("2025-08-01", "1", 2, 1, "USD"),
                sale("2025-07-09", "2", 3, 1, "USD"),
            ],
        );
        stats.add_owned(
            "b",
            Scope::Selected,
            vec![sale("2025-08-03", "1", 4, 1, "USD")],
        );
        let months: Vec<(i32, Vec<(i64, u64)>)> = stats
            .months()
            .into_iter()
            .map(|(key, cells)| (key, cells.iter().map(|c| (c.units, c.rows)).collect()))
            .collect();
        // July 2025 is month 2025 * 12 + 6 = 24306.
        assert_eq!(
            months,
            [
                (24_306, vec![(4, 2), (0, 0)]),
                (24_307, vec![(2, 1), (4, 1)])
            ]
        );
    }

    /// Per work: (source, units, revenue, sold in history) for each marketplace.
    type Cells = Vec<(usize, i64, i128, bool)>;

    #[test]
    fn works_sum_every_asset_with_their_key_per_marketplace() {
        let mut stats = Stats::default();
        stats.add_owned(
            "a",
            Scope::Selected,
            vec![
                named("2025-07-01", "1", Some("Sunset.jpg"), 1_000_000, "USD"),
                named("2025-07-01", "2", Some("sunset.eps"), 2_000_000, "USD"),
                // The asset's first sale had no name; a later one names it.
                named("2025-07-02", "3", None, 300_000, "USD"),
                named("2025-07-03", "3", Some("x/Beach.png"), 400_000, "USD"),
                named("2025-07-03", "4", Some("0042.jpg"), 1, "USD"),
            ],
        );
        stats.add_owned(
            "b",
            Scope::History,
            vec![named("2024-01-01", "9", Some("BEACH.tif"), 5, "USD")],
        );
        let works = stats.works();
        let summary: Vec<(&str, Cells)> = works
            .iter()
            .map(|w| {
                (
                    w.name,
                    w.cells
                        .iter()
                        .map(|(s, c)| {
                            (
                                *s,
                                c.selected.units,
                                c.selected.revenue.get(0),
                                c.sold_in_history,
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("Sunset.jpg", vec![(0, 2, 3_000_000, false)]),
                ("Beach.png", vec![(0, 2, 700_000, false), (1, 0, 0, true)]),
            ]
        );
        let a = &stats.marketplaces()[0];
        assert_eq!((a.named_assets, a.ignored_names), (3, 1));
        assert!(works[1].ever_sold_on(1) && !works[0].ever_sold_on(1));
    }

    #[test]
    fn an_asset_fills_one_cache_line() {
        assert_eq!(std::mem::size_of::<Asset>(), 64);
        assert!(same_code("USD", "USD") && !same_code("USD", "EUR") && !same_code("USD", "US"));
    }

    #[test]
    fn counts_assets_per_currency_and_picks_the_main_one() {
        let mut stats = Stats::default();
        stats.add_owned(
            "a",
            Scope::Selected,
            vec![
                sale("2025-07-01", "1", 1, 1, "EUR"),
                sale("2025-07-01", "1", 1, 1, "USD"),
                sale("2025-07-01", "2", 1, 1, "USD"),
            ],
        );
        assert_eq!(stats.currencies(), ["EUR", "USD"]);
        assert_eq!(stats.main_currency(), 1);
        let a = &stats.marketplaces()[0];
        assert_eq!(a.assets_by_currency, [1, 2]);
        assert_eq!((a.units_in(0), a.units_in(1), a.units_in(5)), (1, 2, 0));
    }
}
