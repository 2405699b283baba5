//! Every built-in report generator compiled natively, on the same 1,000,000 sales of 50,000
//! assets as the host's `generators` bench (host/benches/generators.rs: same formula, same
//! order, same batches), for the native column beside the WebAssembly figures in
//! docs/performance.md. Times each generator's feeding and finishing; the sales are built once
//! and lent to every generator, as the SDK lends a batch's strings to a component's generator.
//!
//! Usage: `native-generators [--runs N]`

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use bench::args::Args;
use bench::generators::{self, Dataset};
use stocklens_plugin_sdk::{Analysis, Report, Request, Sale, SaleRef, Scope};

fn main() -> Result<()> {
    let args = Args::parse(std::env::args().skip(1), &[])?;
    args.only(&["--runs"])
        .context("usage: native-generators [--runs N]")?;
    let runs: usize = match args.value(&["--runs"]) {
        Some(n) => n.parse().context("--runs takes a number")?,
        None => 3,
    };
    let data = generators::dataset();
    println!(
        "{} sales of {} assets in {} batches, {} selected; best and median of {runs} runs\n",
        generators::SALES,
        generators::ASSETS,
        data.batches.len(),
        data.selected
    );
    println!("| generator | total (best) | total (median) |");
    println!("| --- | ---: | ---: |");
    let mut best_total = Duration::ZERO;
    let mut median_total = Duration::ZERO;
    // What every generator pays before it computes anything: receiving the borrowed sales.
    let floor = {
        let mut times = time::<Floor>(&data, runs)?;
        times.sort();
        times[times.len() / 2]
    };
    println!(
        "| (receiving the sales, computing nothing) | {} | |",
        ms(floor)
    );
    let timings = [
        ("overview", time::<overview::OverviewAnalysis>(&data, runs)),
        ("trends", time::<trends::TrendsAnalysis>(&data, runs)),
        (
            "portfolio-health",
            time::<portfolio_health::PortfolioHealthAnalysis>(&data, runs),
        ),
        (
            "concentration",
            time::<concentration::ConcentrationAnalysis>(&data, runs),
        ),
        (
            "marketplaces",
            time::<marketplaces::MarketplacesAnalysis>(&data, runs),
        ),
    ];
    for (name, times) in timings {
        let mut times = times?;
        times.sort();
        let (best, median) = (times[0], times[times.len() / 2]);
        best_total += best;
        median_total += median;
        println!("| {name} | {} | {} |", ms(best), ms(median));
    }
    println!(
        "| **all generators** | **{}** | **{}** |",
        ms(best_total),
        ms(median_total)
    );
    Ok(())
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

/// A generator that computes nothing: the floor of receiving the sales.
struct Floor(usize);

impl Analysis for Floor {
    fn new(_: Request) -> Self {
        Floor(0)
    }
    fn feed(&mut self, _: &str, _: Scope, sales: &[SaleRef<'_>]) {
        self.0 += sales.len();
    }
    fn finish(&mut self) -> Result<Report, String> {
        Ok(Report {
            sections: vec![stocklens_plugin_sdk::Section {
                id: "floor".into(),
                title: self.0.to_string(),
                blocks: Vec::new(),
            }],
            highlights: Vec::new(),
        })
    }
}

/// `runs` timings of one generator over the whole dataset.
fn time<A: Analysis>(data: &Dataset, runs: usize) -> Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let request: Request = data.request.clone();
        let start = Instant::now();
        let mut analysis = A::new(request);
        for (source, scope, sales) in &data.batches {
            let borrowed: Vec<SaleRef<'_>> = sales.iter().map(Sale::as_ref).collect();
            analysis.feed(source, *scope, &borrowed);
        }
        let report: Report = analysis.finish().map_err(anyhow::Error::msg)?;
        times.push(start.elapsed());
        anyhow::ensure!(!report.sections.is_empty(), "a generator made no section");
    }
    Ok(times)
}
