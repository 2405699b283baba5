//! The overview report generator: the first section of every report.
//!
//! Over the selected sales (comparisons with the history are the trends generator's) it reports
//! sales, revenue and average revenue per sale in each currency, revenue per download for
//! marketplaces that count downloads, assets sold, the best assets by revenue and by sales, and
//! the license and media-type mix, with two highlights. Months and weeks are the trends
//! generator's. All texts are English or Russian as the request asks; every number is a typed
//! value the host formats. Currencies are never added together. Memory grows with distinct
//! assets, not sales.
//!
//! # Layout
//!
//! - `stats`: folds sales into per-currency totals per asset, license, media type and source.
//! - `report`: builds the sections and highlights from those totals.
//! - `lexicon`: every text, in both languages.

mod lexicon;
mod report;
mod stats;

use stocklens_plugin_sdk::{
    Analysis, Analyzer, PluginInfo, PluginKind, Report, Request, SaleRef, Scope, register_analyzer,
};

use crate::stats::Stats;

/// Stable plugin id.
pub const ID: &str = "overview";
/// Plugin version; bump with any change in what a report says.
pub const VERSION: &str = "1.1.0";

/// The report generator.
pub struct Overview;

impl Analyzer for Overview {
    type Analysis = OverviewAnalysis;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Overview".into(),
            version: VERSION.into(),
            kind: PluginKind::Analyzer,
            marketplace: None,
            description:
                "Sales, revenue per currency and per download, best assets, and the license and media-type mix."
                    .into(),
        }
    }

    /// Only the selection: comparisons with history come in a later version, so until then the
    /// host is spared feeding it the history.
    fn reads() -> Vec<Scope> {
        vec![Scope::Selected]
    }
}

/// One overview report in progress.
pub struct OverviewAnalysis {
    request: Request,
    stats: Stats,
}

impl Analysis for OverviewAnalysis {
    fn new(request: Request) -> Self {
        OverviewAnalysis {
            request,
            stats: Stats::default(),
        }
    }

    fn feed(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        // Comparisons with history come in a later version; until then it is dropped unread.
        if scope == Scope::Selected {
            self.stats.add_batch(source, sales);
        }
    }

    fn finish(&mut self) -> Result<Report, String> {
        report::build(&self.stats, &self.request)
    }
}

register_analyzer!(Overview);

#[cfg(test)]
mod tests;
