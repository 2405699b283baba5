//! Running totals over the selected sales: what the report's sections are built from.
//!
//! Memory grows with distinct assets, licenses and currencies, never with the number of
//! sales: every sale is folded in and dropped, its strings moved into a map only the first time
//! its asset or license is seen. Money is summed per currency in `i128`, so no sum can overflow
//! and no two currencies are ever added together.

use rustc_hash::FxHashMap;
use stocklens_plugin_sdk::{AssetIds, Date, MediaType, PerCurrency, SaleRef};

pub use stocklens_plugin_sdk::CurrencyId;

/// Sales and revenue of one group: a media type, a license, an asset, a source.
pub use stocklens_plugin_sdk::Tally as Mix;

/// One asset's totals and how to name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// First title seen.
    pub title: Option<String>,
    /// First file name seen, for assets without a title.
    pub file_name: Option<String>,
    /// Media type of its first sale.
    pub media: MediaType,
    /// Its sales.
    pub totals: Mix,
}

/// An asset with where it was sold and its id, for ranking.
#[derive(Debug, Clone, Copy)]
pub struct AssetRef<'a> {
    /// The parser id of its marketplace.
    pub source: &'a str,
    /// The marketplace's asset id.
    pub id: &'a str,
    /// Its totals.
    pub asset: &'a Asset,
}

/// A license as the export names it, with its totals.
#[derive(Debug, Clone)]
pub struct License {
    /// The first spelling seen; `None` where exports did not say.
    pub name: Option<String>,
    /// Its sales.
    pub totals: Mix,
}

/// Everything the report needs, folded from the selected sales.
#[derive(Debug, Default)]
pub struct Stats {
    /// Currency codes in order of first appearance.
    currencies: Vec<String>,
    /// All selected sales together.
    pub all: Mix,
    /// Units per currency, for averages per sale in each currency.
    pub units_by_currency: Vec<i64>,
    /// Rows per currency, to tell the main currency.
    rows_by_currency: Vec<u64>,
    /// Rows with negative earnings, and their sum per currency.
    pub refund_rows: u64,
    /// Sum of negative earnings per currency.
    pub refunds: PerCurrency,
    /// Earliest and latest sale date.
    pub first: Option<Date>,
    /// Latest sale date.
    pub last: Option<Date>,
    /// Assets per source (parser id). Asset identity is source plus asset id.
    /// Asset ids per source numbered (see [`AssetIds`]), with the assets by number.
    sources: Vec<(String, AssetIds, Vec<Asset>)>,
    /// Totals per source, in the order of `sources`: revenue per download for marketplaces that
    /// count downloads.
    source_totals: Vec<Mix>,
    /// Per license, keyed by the export's exact spelling; merged case-insensitively at the end.
    licenses: FxHashMap<String, Mix>,
    no_license: Mix,
    /// Licenses beyond [`MAX_LICENSES`] distinct names, together.
    other_licenses: Mix,
    /// Per media type, indexed by [`MediaType::index`].
    pub media: [Mix; 7],
}

impl Stats {
    /// Folds in one batch of selected sales from `source`.
    pub fn add_batch(&mut self, source: &str, sales: &[SaleRef<'_>]) {
        let source_index = match self.sources.iter().position(|(name, ..)| name == source) {
            Some(index) => index,
            None => {
                self.sources
                    .push((source.to_owned(), AssetIds::default(), Vec::new()));
                self.source_totals.push(Mix::default());
                self.sources.len() - 1
            }
        };
        let mut last_currency: Option<CurrencyId> = None;
        for sale in sales {
            let currency = match last_currency {
                Some(id) if self.currencies[id] == sale.currency => id,
                _ => self.currency_id(sale.currency),
            };
            last_currency = Some(currency);
            self.add_sale(source_index, currency, sale);
        }
    }

    fn currency_id(&mut self, code: &str) -> CurrencyId {
        if let Some(id) = self.currencies.iter().position(|known| known == code) {
            return id;
        }
        self.currencies.push(code.to_owned());
        self.units_by_currency.push(0);
        self.rows_by_currency.push(0);
        self.currencies.len() - 1
    }

    fn add_sale(&mut self, source_index: usize, currency: CurrencyId, sale: &SaleRef<'_>) {
        let &SaleRef {
            date,
            asset_id,
            title,
            file_name,
            media,
            license,
            units,
            micros,
            ..
        } = sale;
        let units = i64::from(units);
        let micros = i128::from(micros);

        self.all.add(currency, units, micros);
        self.source_totals[source_index].add(currency, units, micros);
        self.units_by_currency[currency] += units;
        self.rows_by_currency[currency] += 1;
        if micros < 0 {
            self.refund_rows += 1;
            self.refunds.add(currency, micros);
        }
        self.first = Some(self.first.map_or(date, |first| first.min(date)));
        self.last = Some(self.last.map_or(date, |last| last.max(date)));
        self.media[media.index()].add(currency, units, micros);
        let full = self.licenses.len() >= MAX_LICENSES;
        match license {
            None => self.no_license.add(currency, units, micros),
            Some(name) => match self.licenses.get_mut(name) {
                Some(mix) => mix.add(currency, units, micros),
                None if full => self.other_licenses.add(currency, units, micros),
                None => self
                    .licenses
                    .entry(name.to_owned())
                    .or_default()
                    .add(currency, units, micros),
            },
        }

        let (_, ids, assets) = &mut self.sources[source_index];
        // Past four billion assets of one marketplace (no real export) a sale is not ranked.
        let Some(number) = ids.number(asset_id) else {
            return;
        };
        let number = number as usize;
        if number == assets.len() {
            assets.push(Asset {
                title: None,
                file_name: None,
                media,
                totals: Mix::default(),
            });
        }
        let Some(asset) = assets.get_mut(number) else {
            return;
        };
        asset.totals.add(currency, units, micros);
        if asset.title.is_none() {
            asset.title = title.map(str::to_owned);
        }
        if asset.file_name.is_none() {
            asset.file_name = file_name.map(str::to_owned);
        }
    }

    /// Currency codes, indexed by [`CurrencyId`].
    pub fn currencies(&self) -> &[String] {
        &self.currencies
    }

    /// The currency most sales were paid in (the first seen on a tie): what single-currency
    /// figures such as the highlights use.
    pub fn main_currency(&self) -> CurrencyId {
        let mut best = 0;
        for (id, &rows) in self.rows_by_currency.iter().enumerate() {
            if rows > self.rows_by_currency[best] {
                best = id;
            }
        }
        best
    }

    /// Whether no sale was selected.
    pub fn is_empty(&self) -> bool {
        self.all.rows == 0
    }

    /// Distinct assets (source plus asset id).
    pub fn asset_count(&self) -> usize {
        self.sources.iter().map(|(_, _, assets)| assets.len()).sum()
    }

    /// Number of sources that sent sales.
    pub fn source_count(&self) -> usize {
        self.sources
            .iter()
            .filter(|(_, _, assets)| !assets.is_empty())
            .count()
    }

    /// The totals of `source` (a parser id), if it sent sales.
    pub fn source_totals(&self, source: &str) -> Option<&Mix> {
        let index = self.sources.iter().position(|(name, ..)| name == source)?;
        self.source_totals.get(index).filter(|mix| mix.rows > 0)
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

    /// Licenses merged regardless of case and surrounding spaces, shown in their most common
    /// spelling, most sales first, then "not stated" if any sale had no license.
    pub fn licenses(&self) -> Vec<License> {
        // Per merged key: the totals, and the spelling with the most rows so far.
        let mut merged: FxHashMap<String, (License, u64)> = FxHashMap::default();
        let mut spellings: Vec<(&String, &Mix)> = self.licenses.iter().collect();
        // Sorted so that ties between spellings resolve the same way on every run.
        spellings.sort_by(|a, b| a.0.cmp(b.0));
        for (name, mix) in spellings {
            let (license, best_rows) =
                merged.entry(name.trim().to_lowercase()).or_insert_with(|| {
                    (
                        License {
                            name: None,
                            totals: Mix::default(),
                        },
                        0,
                    )
                });
            if mix.rows > *best_rows {
                license.name = Some(name.trim().to_owned());
                *best_rows = mix.rows;
            }
            license.totals.merge(mix);
        }
        let mut licenses: Vec<License> = merged.into_values().map(|(license, _)| license).collect();
        licenses.sort_by(|a, b| {
            b.totals
                .units
                .cmp(&a.totals.units)
                .then_with(|| a.name.cmp(&b.name))
        });
        if self.other_licenses.rows > 0 {
            let totals = self.other_licenses.clone();
            licenses.push(License {
                name: Some(OTHER_LICENSES.to_owned()),
                totals,
            });
        }
        if self.no_license.rows > 0 {
            licenses.push(License {
                name: None,
                totals: self.no_license.clone(),
            });
        }
        licenses
    }
}

/// Distinct license names kept apart: real exports have a handful; a broken one with a different
/// "license" on every row must not make memory grow with its rows.
pub const MAX_LICENSES: usize = 256;

/// The name under which licenses past [`MAX_LICENSES`] are counted together.
pub const OTHER_LICENSES: &str = "…";

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::Sale;
    use stocklens_plugin_sdk::testing::borrowed;

    use stocklens_plugin_sdk::Money;

    impl Stats {
        fn add_owned(&mut self, source: &str, sales: Vec<Sale>) {
            self.add_batch(source, &borrowed(&sales));
        }
    }

    fn sale(
        date: (u16, u8, u8),
        asset: &str,
        license: Option<&str>,
        micros: i64,
        currency: &str,
    ) -> Sale {
        Sale {
            date: Date {
                year: date.0,
                month: date.1,
                day: date.2,
            },
            time: None,
            asset_id: asset.into(),
            title: Some(format!("Title {asset}")),
            file_name: None,
            media: MediaType::Photo,
            license: license.map(str::to_owned),
            units: 1,
            earnings: Money {
                micros,
                currency: currency.into(),
            },
            country: None,
        }
    }

    #[test]
    fn keeps_currencies_apart() {
        let mut stats = Stats::default();
        stats.add_owned(
            "adobe-stock",
            vec![
                sale((2025, 7, 1), "1", None, 990_000, "USD"),
                sale((2025, 7, 2), "1", None, 1_500_000, "EUR"),
                sale((2025, 7, 3), "2", None, 330_000, "USD"),
            ],
        );
        assert_eq!(stats.currencies(), ["USD", "EUR"]);
        assert_eq!(
            (stats.all.revenue.get(0), stats.all.revenue.get(1)),
            (1_320_000, 1_500_000)
        );
        assert_eq!(stats.units_by_currency, [2, 1]);
        assert_eq!(stats.main_currency(), 0);
    }

    #[test]
    fn an_asset_is_its_source_and_id() {
        let mut stats = Stats::default();
        stats.add_owned("adobe-stock", vec![sale((2025, 7, 1), "1", None, 1, "USD")]);
        stats.add_owned(
            "shutterstock",
            vec![sale((2025, 7, 1), "1", None, 1, "USD")],
        );
        stats.add_owned("adobe-stock", vec![sale((2025, 7, 1), "1", None, 1, "USD")]);
        assert_eq!(stats.asset_count(), 2);
        assert_eq!(stats.source_count(), 2);
    }

    #[test]
    fn merges_license_spellings_and_counts_missing_ones() {
        let mut stats = Stats::default();
        stats.add_owned(
            "a",
            vec![
                sale((2025, 7, 1), "1", Some("Custom"), 1, "USD"),
                sale((2025, 7, 1), "1", Some("custom "), 1, "USD"),
                sale((2025, 7, 1), "1", Some("extended"), 1, "USD"),
                sale((2025, 7, 1), "1", None, 1, "USD"),
            ],
        );
        let licenses: Vec<(Option<String>, i64)> = stats
            .licenses()
            .into_iter()
            .map(|l| (l.name, l.totals.units))
            .collect();
        assert_eq!(
            licenses,
            [
                (Some("Custom".into()), 2),
                (Some("extended".into()), 1),
                (None, 1)
            ]
        );
        // "Custom" and "custom " tie at one row each: the first in sort order is shown.
    }

    #[test]
    fn folds_licenses_past_the_limit_together() {
        let mut stats = Stats::default();
        let sales = (0..MAX_LICENSES + 5)
            .map(|i| sale((2025, 7, 1), "1", Some(&format!("plan {i}")), 1, "USD"))
            .collect();
        stats.add_owned("a", sales);
        let licenses = stats.licenses();
        assert_eq!(licenses.len(), MAX_LICENSES + 1);
        let other = licenses
            .iter()
            .find(|l| l.name.as_deref() == Some(OTHER_LICENSES))
            .map(|l| l.totals.units);
        assert_eq!(other, Some(5));
    }

    #[test]
    fn counts_refunds() {
        let mut stats = Stats::default();
        stats.add_owned(
            "a",
            vec![
                sale((2025, 7, 1), "1", None, 990_000, "USD"),
                sale((2025, 7, 2), "1", None, -990_000, "USD"),
            ],
        );
        assert_eq!(
            (
                stats.refund_rows,
                stats.refunds.get(0),
                stats.all.revenue.get(0)
            ),
            (1, -990_000, 0)
        );
    }
}
