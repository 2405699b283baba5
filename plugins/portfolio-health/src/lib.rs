//! The portfolio-health report generator: the indicators the old Python bot showed, with its
//! interpretation bands, and better measures beside them.
//!
//! It reports the share of the portfolio sold (distinct works sold ÷ portfolio size, and the old
//! bot's sales ÷ portfolio size, labelled as such), the share of sales from new work (told from
//! the history, or estimated from asset ids), upload-limit usage and the acceptance rate, each
//! with its band and one sentence of advice, a reference table of the bands and three
//! highlights. The portfolio facts come with the request; a fact that is absent leaves its
//! indicator out with a note on how to give it, and a zero is a real zero. History sales only
//! tell when each work first sold. Memory grows with distinct assets, never with sales.
//!
//! # Layout
//!
//! - `stats`: folds every sale into per-asset first sales and selected totals.
//! - `period`: the selected period, its length in days, weeks and months.
//! - `new_work`: which selected sales come from work uploaded in the last 3 months.
//! - `bands`: the thresholds of each indicator's bands and which band a value is in.
//! - `indicators`: the four indicators from the totals and the facts, or why one is missing.
//! - `report`: the section and highlights built from the indicators.
//! - `lexicon`: every text, in both languages.

mod bands;
mod indicators;
mod lexicon;
mod new_work;
mod period;
mod report;
mod stats;

use stocklens_plugin_sdk::{
    Analysis, Analyzer, PluginInfo, PluginKind, Report, Request, SaleRef, Scope, register_analyzer,
};

use crate::stats::Stats;

/// Stable plugin id.
pub const ID: &str = "portfolio-health";
/// Plugin version; bump with any change in what a report says.
pub const VERSION: &str = "1.0.0";

/// The report generator.
pub struct PortfolioHealth;

impl Analyzer for PortfolioHealth {
    type Analysis = PortfolioHealthAnalysis;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Portfolio health".into(),
            version: VERSION.into(),
            kind: PluginKind::Analyzer,
            marketplace: None,
            description: "Share of the portfolio sold, share of sales from new work, upload-limit use and acceptance rate, with bands and advice.".into(),
        }
    }
}

/// One report in progress.
pub struct PortfolioHealthAnalysis {
    request: Request,
    stats: Stats,
}

impl Analysis for PortfolioHealthAnalysis {
    fn new(request: Request) -> Self {
        // Works sold per month are only needed against a portfolio size.
        let count_months = request.facts.portfolio_size.is_some_and(|size| size > 0);
        PortfolioHealthAnalysis {
            request,
            stats: Stats::new(count_months),
        }
    }

    fn feed(&mut self, source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        self.stats.add_batch(source, scope, sales);
    }

    fn finish(&mut self) -> Result<Report, String> {
        report::build(&self.stats, &self.request)
    }
}

register_analyzer!(PortfolioHealth);

#[cfg(test)]
mod tests;
