//! The trends report generator: how sales move over time.
//!
//! It compares the selected period with the one just before it and with the same period a year
//! earlier (from the history the host sends, where the history reaches that far, and otherwise
//! says which export is missing), names the best and worst whole months, estimates next month's
//! revenue when three whole months or more allow it, and shows revenue and sales by month, by ISO
//! week and by weekday. All texts are English or Russian as the request asks; every number is a
//! typed value the host formats. Currencies are never added together. Memory grows with distinct
//! days and sources, not with sales.
//!
//! # Layout
//!
//! - `stats`: folds sales of both scopes into per-currency totals per day.
//! - `period`: calendar windows: the selected period, the earlier ones, whole months.
//! - `findings`: what can be claimed: comparisons, best and worst months, the estimate.
//! - `report`: builds the sections and highlights from the findings.
//! - `lexicon`: every text, in both languages.

mod findings;
mod lexicon;
mod period;
mod report;
mod stats;

use stocklens_plugin_sdk::{
    Analysis, Analyzer, PluginInfo, PluginKind, Report, Request, SaleRef, Scope, register_analyzer,
};

use crate::stats::Stats;

/// Stable plugin id.
pub const ID: &str = "trends";
/// Plugin version; bump with any change in what a report says.
pub const VERSION: &str = "1.0.0";

/// The report generator.
pub struct Trends;

impl Analyzer for Trends {
    type Analysis = TrendsAnalysis;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Trends".into(),
            version: VERSION.into(),
            kind: PluginKind::Analyzer,
            marketplace: None,
            description: "Revenue and sales by month, week and weekday, changes against earlier periods, and a next-month estimate.".into(),
        }
    }
}

/// One trends report in progress.
pub struct TrendsAnalysis {
    request: Request,
    stats: Stats,
}

impl Analysis for TrendsAnalysis {
    fn new(request: Request) -> Self {
        let stats = Stats::new(request.filters.media);
        TrendsAnalysis { request, stats }
    }

    fn feed(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        self.stats.add_batch(source, scope, sales);
    }

    fn finish(&mut self) -> Result<Report, String> {
        report::build(&self.stats, &self.request)
    }
}

register_analyzer!(Trends);

#[cfg(test)]
mod tests;
