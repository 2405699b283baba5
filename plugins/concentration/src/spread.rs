//! The assets sold in the main currency, ranked by revenue, and what the report reads off the
//! ranking: the revenue of the best k assets, how many make half the revenue, the assets per
//! sales-count bucket, and the one asset that may dominate.
//!
//! Built once in `finish` with a single sort, O(assets log assets); it keeps only running sums
//! along the ranking, not the assets. It decides no wording: thresholds are here, texts are in
//! the lexicon.

use std::cmp::Reverse;

use stocklens_plugin_sdk::CurrencyId;

use crate::stats::{AssetRef, Stats};

/// The best shares of assets the KPI cards show, in percent of the assets sold.
pub const KPI_PERCENTS: [u32; 3] = [1, 10, 20];

/// The points of the cumulative-share curve, in percent of the assets sold: dense at the top,
/// where concentration shows, and ending at all assets (100 %).
pub const CURVE_PERCENTS: [u32; 6] = [1, 5, 10, 20, 50, 100];

/// One asset making more than `1 / DOMINANT_PARTS` of the revenue is worth a warning: with a
/// quarter of the income on one work, losing its sales (a rejected update, a competitor, a trend
/// passing) is a visible drop.
pub const DOMINANT_PARTS: i128 = 4;

/// Below this many assets, shares of assets move in big steps (one asset of four is 25 %), so
/// the spread is not judged.
pub const FEW_ASSETS: usize = 10;

/// Half the revenue from under this percentage of the assets sold reads as highly concentrated.
pub const CONCENTRATED_PERCENT: usize = 5;

/// Half the revenue from this percentage of the assets sold or more reads as widely spread;
/// between the two is the usual shape of a stock portfolio.
pub const WIDE_PERCENT: usize = 20;

/// Assets grouped by how many times each sold (net of reversals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Reversals cancelled every sale (or the rows carried no units).
    NoNetSales,
    /// Sold once: the long tail.
    One,
    /// 2 to 4 sales.
    TwoToFour,
    /// 5 to 9 sales.
    FiveToNine,
    /// 10 to 49 sales.
    TenToFortyNine,
    /// 50 sales or more.
    FiftyOrMore,
}

impl Bucket {
    /// Every bucket, in the order tables list them.
    pub const ALL: [Bucket; 6] = [
        Bucket::NoNetSales,
        Bucket::One,
        Bucket::TwoToFour,
        Bucket::FiveToNine,
        Bucket::TenToFortyNine,
        Bucket::FiftyOrMore,
    ];

    /// The bucket of an asset with `units` net sales.
    pub fn of(units: i64) -> Bucket {
        match units {
            ..=0 => Bucket::NoNetSales,
            1 => Bucket::One,
            2..=4 => Bucket::TwoToFour,
            5..=9 => Bucket::FiveToNine,
            10..=49 => Bucket::TenToFortyNine,
            _ => Bucket::FiftyOrMore,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Assets and their revenue (refunded assets at zero).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Group {
    /// How many assets.
    pub assets: usize,
    /// Their revenue in the main currency, micros.
    pub revenue: i128,
}

/// How spread the revenue is, for the note that interprets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One asset sold.
    Single,
    /// Fewer than [`FEW_ASSETS`] assets.
    Few,
    /// Half the revenue from under [`CONCENTRATED_PERCENT`] of the assets.
    Concentrated,
    /// Between the two.
    Moderate,
    /// Half the revenue from [`WIDE_PERCENT`] of the assets or more.
    Wide,
}

/// The ranking in the main currency.
#[derive(Debug)]
pub struct Spread<'a> {
    /// The main currency.
    pub currency: CurrencyId,
    /// The best asset, if any.
    best: Option<AssetRef<'a>>,
    /// Revenue of the best 1, 2, ... n assets, refunded assets counted at zero: the curve the
    /// chart draws, and what shares are taken of (its last value is the whole).
    cumulative: Vec<i128>,
    /// Net revenue of the assets in the ranking, refunds included: shares are shown only when it
    /// is positive.
    pub net: i128,
    /// Assets whose refunds exceed their sales in the period.
    pub refunded: usize,
    /// Assets sold only in other currencies, left out.
    pub other_currencies: usize,
    /// Per [`Bucket`], in [`Bucket::ALL`] order.
    buckets: [Group; 6],
}

impl<'a> Spread<'a> {
    /// Ranks the assets sold in the main currency; `None` without sales.
    pub fn new(stats: &'a Stats) -> Option<Spread<'a>> {
        let currency = stats.main_currency()?;
        let mut ranked: Vec<(i128, AssetRef<'a>)> = Vec::new();
        let mut spread = Spread {
            currency,
            best: None,
            cumulative: Vec::new(),
            net: 0,
            refunded: 0,
            other_currencies: 0,
            buckets: [Group::default(); 6],
        };
        for asset in stats.assets() {
            if !asset.asset.sold_in(currency) {
                spread.other_currencies += 1;
                continue;
            }
            let net = asset.asset.revenue.get(currency);
            spread.net += net;
            if net < 0 {
                spread.refunded += 1;
            }
            let revenue = net.max(0);
            let bucket = &mut spread.buckets[Bucket::of(asset.asset.units).index()];
            bucket.assets += 1;
            bucket.revenue += revenue;
            ranked.push((revenue, asset));
        }
        // Ties go by asset id, then source, so the same sales always rank the same way whatever
        // order they came in; the keys are unique, so an unstable sort is deterministic.
        ranked.sort_unstable_by_key(|(revenue, asset)| (Reverse(*revenue), asset.id, asset.source));
        spread.best = ranked.first().map(|&(_, asset)| asset);
        let mut sum = 0;
        spread.cumulative = ranked
            .iter()
            .map(|&(revenue, _)| {
                sum += revenue;
                sum
            })
            .collect();
        Some(spread)
    }

    /// Assets sold in the main currency.
    pub fn assets(&self) -> usize {
        self.cumulative.len()
    }

    /// Revenue of all of them, refunded assets at zero: the whole that shares are of.
    pub fn total(&self) -> i128 {
        self.cumulative.last().copied().unwrap_or(0)
    }

    /// Whether shares of revenue mean anything: the net revenue is positive.
    pub fn has_shares(&self) -> bool {
        self.net > 0
    }

    /// How many assets the best `percent` % of them is, rounded up (at least one).
    pub fn top_count(&self, percent: u32) -> usize {
        let n = self.assets() as u128;
        let count = (n * u128::from(percent)).div_ceil(100).max(1);
        usize::try_from(count)
            .unwrap_or(usize::MAX)
            .min(self.assets())
    }

    /// Revenue of the best `count` assets.
    pub fn top_revenue(&self, count: usize) -> i128 {
        match count.min(self.assets()) {
            0 => 0,
            count => self.cumulative[count - 1],
        }
    }

    /// The fewest best assets whose revenue reaches half the total (zero when the total is not
    /// positive).
    pub fn half(&self) -> usize {
        let total = self.total();
        if total <= 0 {
            return 0;
        }
        let short = self.cumulative.partition_point(|&sum| sum * 2 < total);
        (short + 1).min(self.assets())
    }

    /// The assets and revenue of one bucket.
    pub fn bucket(&self, bucket: Bucket) -> Group {
        self.buckets[bucket.index()]
    }

    /// The best asset and its revenue.
    pub fn best(&self) -> Option<(AssetRef<'a>, i128)> {
        self.best.map(|asset| (asset, self.top_revenue(1)))
    }

    /// The best asset, if it makes more than `1 / DOMINANT_PARTS` of the revenue.
    pub fn dominant(&self) -> Option<(AssetRef<'a>, i128)> {
        let total = self.total();
        self.best()
            .filter(|&(_, revenue)| self.has_shares() && revenue * DOMINANT_PARTS > total)
    }

    /// How spread the revenue is (meaningful only with shares).
    pub fn shape(&self) -> Shape {
        let n = self.assets();
        let half = self.half();
        if n <= 1 {
            Shape::Single
        } else if n < FEW_ASSETS {
            Shape::Few
        } else if half * 100 < CONCENTRATED_PERCENT * n {
            Shape::Concentrated
        } else if half * 100 < WIDE_PERCENT * n {
            Shape::Moderate
        } else {
            Shape::Wide
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::testing::{borrowed, sale};

    #[test]
    fn buckets_follow_net_sales() {
        let buckets: Vec<Bucket> = [-1, 0, 1, 2, 4, 5, 9, 10, 49, 50, 1_000_000]
            .into_iter()
            .map(Bucket::of)
            .collect();
        use Bucket::*;
        assert_eq!(
            buckets,
            [
                NoNetSales,
                NoNetSales,
                One,
                TwoToFour,
                TwoToFour,
                FiveToNine,
                FiveToNine,
                TenToFortyNine,
                TenToFortyNine,
                FiftyOrMore,
                FiftyOrMore
            ]
        );
    }

    #[test]
    fn counts_round_up_and_half_is_reached_exactly() {
        let mut stats = Stats::default();
        let sales: Vec<_> = (1..=50)
            .map(|i| sale("2025-07-01", &format!("a{i:02}"), 1, 1_000_000, "USD"))
            .collect();
        stats.add_batch("a", &borrowed(&sales));
        let spread = Spread::new(&stats);
        let spread = spread.as_ref().map(|s| {
            (
                s.top_count(1),
                s.top_count(10),
                s.top_count(20),
                s.top_count(100),
                s.half(),
            )
        });
        // 50 equal assets: 1 % of 50 = 0.5 → 1, 10 % = 5, 20 % = 10; half of $50 is reached
        // by the 25th dollar.
        assert_eq!(spread, Some((1, 5, 10, 50, 25)));
    }
}
