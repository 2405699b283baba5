//! The concentration report generator: how dependent the contributor is on a few works.
//!
//! Over the selected sales (history is ignored) it ranks the assets sold by revenue and reports
//! how much of the revenue the best 1 %, 10 % and 20 % of them make, how many assets make half
//! of it, and the long tail of assets sold once; a chart and table of the cumulative share by
//! asset rank; a chart and table of assets by number of sales; a warning when one asset makes
//! more than a quarter of the revenue. An asset is its source plus its asset id. Figures are in
//! the main currency (the one most sales rows were paid in), and the section says so when sales
//! came in several: shares only mean something within one currency, and one concentration
//! figure per currency would say the same thing several times over.
//!
//! It must not keep sales: memory grows with distinct assets (one entry each), never with sales,
//! and `finish` is one sort of the assets.
//!
//! # Layout
//!
//! - `stats`: folds sales into one entry per asset (units, revenue per currency, a name).
//! - `spread`: ranks the assets at the end and works out shares, the half-revenue count and the
//!   sales-count buckets.
//! - `report`: builds the section and the highlights from the spread.
//! - `lexicon`: every text, in both languages.

mod lexicon;
mod report;
mod spread;
mod stats;

use stocklens_plugin_sdk::{
    Analysis, Analyzer, PluginInfo, PluginKind, Report, Request, SaleRef, Scope, register_analyzer,
};

use crate::stats::Stats;

/// Stable plugin id.
pub const ID: &str = "concentration";
/// Plugin version; bump with any change in what a report says.
pub const VERSION: &str = "1.0.0";

/// The report generator.
pub struct Concentration;

impl Analyzer for Concentration {
    type Analysis = ConcentrationAnalysis;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Concentration".into(),
            version: VERSION.into(),
            kind: PluginKind::Analyzer,
            marketplace: None,
            description: "How much of the revenue the best assets make, and the long tail of assets sold once.".into(),
        }
    }

    /// Only the selection: concentration is about the selection alone, so the host never feeds
    /// it the history.
    fn reads() -> Vec<Scope> {
        vec![Scope::Selected]
    }
}

/// One concentration report in progress.
pub struct ConcentrationAnalysis {
    request: Request,
    stats: Stats,
}

impl Analysis for ConcentrationAnalysis {
    fn new(request: Request) -> Self {
        ConcentrationAnalysis {
            request,
            stats: Stats::default(),
        }
    }

    fn feed(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        // Concentration is about the selection alone; history is dropped unread.
        if scope == Scope::Selected {
            self.stats.add_batch(source, sales);
        }
    }

    fn finish(&mut self) -> Result<Report, String> {
        // Every input makes a report, if only one saying there are no sales.
        Ok(report::build(&self.stats, &self.request))
    }
}

register_analyzer!(Concentration);

#[cfg(test)]
mod tests;
