//! Running totals per asset over the selected sales: what the ranking is made from.
//!
//! One entry per asset (source plus asset id), never one per sale: each sale is folded in and
//! dropped, and its title or file name is moved into the entry only when the asset has no name
//! yet. Money is summed per currency in `i128`, so no sum overflows and no two currencies are
//! added together; which currency the report uses is decided only at the end, when the main one
//! is known. A sale costs one lookup of its asset id ([`AssetIds`], usually stored inline).

use stocklens_plugin_sdk::{AssetIds, Currencies, CurrencyId, PerCurrency, SaleRef};

/// One asset's totals and how to name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asset {
    /// The title, else the file name, of the first sale that had one: only the top asset is ever
    /// named, but which one that is shows only at the end.
    pub name: Option<String>,
    /// Net units: reversals count negative.
    pub units: i64,
    /// Net revenue per currency.
    pub revenue: PerCurrency,
    /// The currencies it was sold in, one bit per [`CurrencyId`], so that main-currency figures
    /// count exactly the assets sold in it (an asset sold and refunded nets to zero but was
    /// sold). Ids from 63 up share the last bit: exports carry one to three currencies.
    currencies: u64,
}

impl Asset {
    /// Whether any of its sales was paid in `currency`.
    pub fn sold_in(&self, currency: CurrencyId) -> bool {
        self.currencies & currency_bit(currency) != 0
    }
}

fn currency_bit(currency: CurrencyId) -> u64 {
    1 << currency.min(63)
}

/// An asset with its source and id, for ranking and naming.
#[derive(Debug, Clone, Copy)]
pub struct AssetRef<'a> {
    /// The parser id of its marketplace.
    pub source: &'a str,
    /// The marketplace's asset id.
    pub id: &'a str,
    /// Its totals.
    pub asset: &'a Asset,
}

impl AssetRef<'_> {
    /// Its title, else its file name, else its id.
    pub fn name(&self) -> &str {
        self.asset.name.as_deref().unwrap_or(self.id)
    }
}

/// Everything the report needs, folded from the selected sales.
#[derive(Debug, Default)]
pub struct Stats {
    currencies: Currencies,
    /// Rows per currency, to tell the main currency.
    rows_by_currency: Vec<u64>,
    /// Assets per source (parser id): their ids numbered, and their totals by number.
    sources: Vec<(String, AssetIds, Vec<Asset>)>,
}

impl Stats {
    /// Folds in one batch of selected sales from `source`.
    pub fn add_batch(&mut self, source: &str, sales: &[SaleRef<'_>]) {
        let source_index = match self.sources.iter().position(|(name, ..)| name == source) {
            Some(index) => index,
            None => {
                self.sources
                    .push((source.to_owned(), AssetIds::default(), Vec::new()));
                self.sources.len() - 1
            }
        };
        // A batch is nearly always in one currency: compare with the last one before scanning.
        let mut last: Option<CurrencyId> = None;
        for sale in sales {
            let currency = match last {
                Some(id) if self.currencies.code(id) == sale.currency => id,
                _ => self.currency_id(sale.currency),
            };
            last = Some(currency);
            self.add_sale(source_index, currency, sale);
        }
    }

    fn currency_id(&mut self, code: &str) -> CurrencyId {
        let id = self.currencies.id(code);
        if self.rows_by_currency.len() <= id {
            self.rows_by_currency.resize(id + 1, 0);
        }
        id
    }

    fn add_sale(&mut self, source_index: usize, currency: CurrencyId, sale: &SaleRef<'_>) {
        let &SaleRef {
            asset_id,
            title,
            file_name,
            units,
            micros,
            ..
        } = sale;
        self.rows_by_currency[currency] += 1;
        let (_, ids, assets) = &mut self.sources[source_index];
        // Past four billion assets of one marketplace (no real export) a sale is not ranked.
        let Some(number) = ids.number(asset_id) else {
            return;
        };
        let number = number as usize;
        if number == assets.len() {
            assets.push(Asset::default());
        }
        let Some(asset) = assets.get_mut(number) else {
            return;
        };
        if asset.name.is_none() {
            asset.name = title.or(file_name).map(str::to_owned);
        }
        asset.units += i64::from(units);
        asset.revenue.add(currency, i128::from(micros));
        asset.currencies |= currency_bit(currency);
    }

    /// Currency codes, indexed by [`CurrencyId`].
    pub fn currencies(&self) -> &Currencies {
        &self.currencies
    }

    /// The currency most sales rows were paid in (the first seen on a tie), or `None` without
    /// sales.
    pub fn main_currency(&self) -> Option<CurrencyId> {
        let mut best: Option<(CurrencyId, u64)> = None;
        for (id, &rows) in self.rows_by_currency.iter().enumerate() {
            if best.is_none_or(|(_, most)| rows > most) {
                best = Some((id, rows));
            }
        }
        best.map(|(id, _)| id)
    }

    /// Every asset, in no particular order.
    pub fn assets(&self) -> impl Iterator<Item = AssetRef<'_>> {
        self.sources.iter().flat_map(|(source, ids, assets)| {
            assets
                .iter()
                .enumerate()
                .map(move |(number, asset)| AssetRef {
                    source,
                    id: ids.id(number as u32),
                    asset,
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::Sale;
    use stocklens_plugin_sdk::testing::borrowed;

    use stocklens_plugin_sdk::testing::sale;

    impl Stats {
        fn add_owned(&mut self, source: &str, sales: Vec<Sale>) {
            self.add_batch(source, &borrowed(&sales));
        }
    }

    #[test]
    fn an_asset_is_its_source_and_id() {
        let mut stats = Stats::default();
        stats.add_owned("adobe-stock", vec![sale("2025-07-01", "1", 1, 5, "USD")]);
        stats.add_owned("shutterstock", vec![sale("2025-07-01", "1", 1, 7, "USD")]);
        stats.add_owned("adobe-stock", vec![sale("2025-07-02", "1", 2, 9, "USD")]);
        let mut assets: Vec<(&str, i64, i128)> = stats
            .assets()
            .map(|a| (a.source, a.asset.units, a.asset.revenue.get(0)))
            .collect();
        assets.sort();
        // adobe-stock/1: 1 + 2 units, 5 + 9 micros; shutterstock/1: 1 unit, 7 micros.
        assert_eq!(assets, [("adobe-stock", 3, 14), ("shutterstock", 1, 7)]);
    }

    #[test]
    fn short_and_long_ids_are_found_again() {
        let mut stats = Stats::default();
        let ids = [
            "1234567890123456789012",  // 22 bytes: inline
            "12345678901234567890123", // 23 bytes: on the heap
            "пейзаж-закат-море-01",    // 36 bytes of UTF-8: on the heap
            "",
        ];
        for round in 1..=2 {
            let sales = ids
                .iter()
                .map(|id| sale("2025-07-01", id, round, 1, "USD"))
                .collect();
            stats.add_owned("a", sales);
        }
        let mut assets: Vec<(&str, i64)> = stats.assets().map(|a| (a.id, a.asset.units)).collect();
        assets.sort();
        // Each id folded twice: 1 + 2 units.
        assert_eq!(
            assets,
            [
                ("", 3),
                ("1234567890123456789012", 3),
                ("12345678901234567890123", 3),
                ("пейзаж-закат-море-01", 3)
            ]
        );
    }

    #[test]
    fn the_main_currency_has_the_most_rows_and_the_first_wins_a_tie() {
        let mut stats = Stats::default();
        assert_eq!(stats.main_currency(), None);
        stats.add_owned(
            "a",
            vec![
                sale("2025-07-01", "1", 1, 5, "EUR"),
                sale("2025-07-01", "2", 1, 5, "USD"),
            ],
        );
        assert_eq!(stats.main_currency(), Some(0));
        stats.add_owned("a", vec![sale("2025-07-01", "2", 1, 5, "USD")]);
        assert_eq!(stats.main_currency(), Some(1));
    }

    #[test]
    fn keeps_the_first_name_seen_and_remembers_currencies() {
        let mut stats = Stats::default();
        let mut nameless = sale("2025-07-01", "1", 1, 5, "USD");
        nameless.title = None;
        nameless.file_name = None;
        let mut file_only = sale("2025-07-02", "1", 1, 5, "EUR");
        file_only.title = None;
        let titled = sale("2025-07-03", "1", 1, 5, "USD");
        stats.add_owned("a", vec![nameless, file_only, titled]);
        let asset = stats
            .assets()
            .next()
            .map(|a| (a.name().to_owned(), a.asset.clone()));
        let (name, asset) = asset.unwrap_or_default();
        assert_eq!(name, "1.jpg");
        assert!(asset.sold_in(0) && asset.sold_in(1) && !asset.sold_in(2));
    }
}
