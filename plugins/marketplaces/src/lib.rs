//! The marketplaces report generator: marketplaces compared when the selected sales come from
//! more than one.
//!
//! Over the selected sales it sets the marketplaces side by side (sales, revenue per currency,
//! average per sale, assets sold, revenue per asset, shares), shows each one's share of sales
//! month by month, and matches the same work across marketplaces by its original file name: how
//! many works sell on several, the best works with their sales on each, and the best sellers of
//! one marketplace that never sold on another. The history is read only to tell "never sold
//! there" from "not sold in this period". With fewer than two marketplaces in the selection the
//! report is empty: there is nothing to compare. Currencies are never added together; memory
//! grows with distinct assets, works and months, not with sales.
//!
//! # Layout
//!
//! - `work_key`: the normalised file name that matches one work across marketplaces.
//! - `stats`: folds sales into totals per marketplace, asset and month, and links assets to works.
//! - `report`: builds the section and highlights from those totals.
//! - `lexicon`: every text, in both languages, and the marketplaces' display names.

mod lexicon;
mod report;
mod stats;
mod work_key;

use stocklens_plugin_sdk::{
    Analysis, Analyzer, PluginInfo, PluginKind, Report, Request, SaleRef, Scope, register_analyzer,
};

use crate::stats::Stats;

/// Stable plugin id.
pub const ID: &str = "marketplaces";
/// Plugin version; bump with any change in what a report says.
pub const VERSION: &str = "1.0.0";

/// The report generator.
pub struct Marketplaces;

impl Analyzer for Marketplaces {
    type Analysis = MarketplacesAnalysis;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Marketplaces".into(),
            version: VERSION.into(),
            kind: PluginKind::Analyzer,
            marketplace: None,
            description: "Marketplaces side by side, each one's share over time, and the same work's earnings on each.".into(),
        }
    }
}

/// One marketplaces report in progress.
pub struct MarketplacesAnalysis {
    request: Request,
    stats: Stats,
}

impl Analysis for MarketplacesAnalysis {
    fn new(request: Request) -> Self {
        MarketplacesAnalysis {
            request,
            stats: Stats::default(),
        }
    }

    fn feed(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        self.stats.add_batch(source, scope, sales);
    }

    fn finish(&mut self) -> Result<Report, String> {
        report::build(&self.stats, &self.request)
    }
}

register_analyzer!(Marketplaces);

#[cfg(test)]
mod tests;
