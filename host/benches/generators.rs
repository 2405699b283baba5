//! Every built-in report generator on 1,000,000 sales of 50,000 assets (issue 7), through the
//! WebAssembly boundary exactly as the pipeline feeds them: batches of 4,096 packed sales, split
//! into the selection (the last six of eighteen months) and the history, then `finish`.
//!
//! Run with `cargo bench -p stocklens --bench generators -- [--runs N]`. Prints a Markdown table:
//! per generator the time to feed every batch, the time to finish, and their sum (best and
//! median of the runs), the sum over all generators, and the wall time of all of them fed at
//! once as the pipeline feeds them (`pipeline::fan_out`: half on a second thread). The same sales fed natively are
//! measured by `native-bench analyzers` in plugins/bench (docs/performance.md). Asserts nothing
//! but that every generator returns a report with sections.

use std::sync::Arc;
use std::time::{Duration, Instant};

use stocklens::pipeline::{self, Part};
use stocklens::plugin::analyzer_types::{Filters, PortfolioFacts, Request, Scope, UploadLimit};
use stocklens::plugin::types::{Date, MediaType, PackedSale, SaleBatch, TextRef};
use stocklens::plugin::{Registry, Runtime, RuntimeConfig};

/// Sales in all.
const SALES: usize = 1_000_000;
/// Distinct assets the sales fall on.
const ASSETS: usize = 50_000;
/// Sales per batch, as parsers return them.
const BATCH: usize = 4096;
/// Runs unless `--runs` says otherwise.
const DEFAULT_RUNS: usize = 3;

/// The first day of the eighteen months of sales, and the first day of the selection.
const FIRST_DAY: Date = Date {
    year: 2024,
    month: 7,
    day: 1,
};
const SELECTED_FROM: Date = Date {
    year: 2025,
    month: 7,
    day: 1,
};
const LAST_DAY: Date = Date {
    year: 2025,
    month: 12,
    day: 31,
};

fn main() {
    let runs = arguments();
    let (batches, selected) = sales();
    println!(
        "{SALES} sales of {ASSETS} assets in {} batches, {selected} selected; best and median of {runs} runs\n",
        batches.len()
    );
    let runtime = Runtime::new(RuntimeConfig::default()).expect("the plugin runtime starts");
    let registry = Registry::builtin(&runtime).expect("the built-in plugins load");
    let request = Request {
        locale: "en".into(),
        filters: Filters {
            from: Some(SELECTED_FROM),
            to: Some(LAST_DAY),
            media: None,
        },
        facts: PortfolioFacts {
            portfolio_size: Some(60_000),
            upload_limit: Some(UploadLimit {
                count: 500,
                per: stocklens::plugin::analyzer_types::LimitPeriod::Week,
            }),
            uploads_in_period: Some(4_000),
            acceptance_rate: Some(71.5),
            main_content: None,
        },
        today: Date {
            year: 2026,
            month: 1,
            day: 2,
        },
    };

    println!("| generator | feed | finish | total (best) | total (median) |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut best_total = Duration::ZERO;
    let mut median_total = Duration::ZERO;
    for plugin in registry.analyzers() {
        let mut feeds = Vec::new();
        let mut finishes = Vec::new();
        let mut totals = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let mut instance = runtime.analyzer(plugin).expect("instantiates");
            instance.begin(&request).expect("begins");
            for (source, scope, batch) in &batches {
                instance.feed(source, *scope, batch).expect("takes a batch");
            }
            let fed = start.elapsed();
            let report = instance
                .finish()
                .expect("finishes")
                .unwrap_or_else(|why| panic!("{} declined: {why}", plugin.label()));
            let total = start.elapsed();
            assert!(
                !report.sections.is_empty(),
                "{} made no section",
                plugin.label()
            );
            feeds.push(fed);
            finishes.push(total - fed);
            totals.push(total);
        }
        let best = |times: &[Duration]| times.iter().min().copied().unwrap_or_default();
        let median = |times: &[Duration]| {
            let mut sorted = times.to_vec();
            sorted.sort();
            sorted.get(sorted.len() / 2).copied().unwrap_or_default()
        };
        best_total += best(&totals);
        median_total += median(&totals);
        println!(
            "| {} | {} | {} | {} | {} |",
            plugin.label(),
            ms(best(&feeds)),
            ms(best(&finishes)),
            ms(best(&totals)),
            ms(median(&totals))
        );
    }
    println!(
        "| **all generators, one after another** | | | **{}** | **{}** |",
        ms(best_total),
        ms(median_total)
    );

    // All of them at once as the pipeline feeds them: half on this thread, half on a helper.
    let mut walls = Vec::new();
    for _ in 0..runs {
        let parts: Vec<Part> = batches
            .iter()
            .map(|(source, scope, batch)| Part {
                source: Arc::from(*source),
                scope: *scope,
                batch: batch.clone(),
            })
            .collect();
        let start = Instant::now();
        let mut instances: Vec<(String, _)> = registry
            .analyzers()
            .iter()
            .map(|plugin| {
                let mut instance = runtime.analyzer(plugin).expect("instantiates");
                instance.begin(&request).expect("begins");
                (plugin.label(), instance)
            })
            .collect();
        pipeline::fan_out(&mut instances, |fanout| {
            for part in parts {
                fanout.feed(part)?;
            }
            Ok(())
        })
        .expect("every generator takes every batch");
        for (label, instance) in &mut instances {
            let report = instance
                .finish()
                .expect("finishes")
                .unwrap_or_else(|why| panic!("{label} declined: {why}"));
            assert!(!report.sections.is_empty(), "{label} made no section");
        }
        walls.push(start.elapsed());
    }
    walls.sort();
    println!(
        "| **all generators, fed on two threads as the pipeline does** | | | **{}** | **{}** |",
        ms(walls[0]),
        ms(walls[walls.len() / 2])
    );
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

fn arguments() -> usize {
    let mut runs = DEFAULT_RUNS;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--runs takes a number");
        }
    }
    runs.max(1)
}

/// The sales, in date order, as (source, scope, batch); and how many are selected. Asset `k`
/// sells with a weight falling off with `k` (a long tail), appears on Adobe Stock and, for a
/// third of the assets, on Shutterstock under the same file name; ids grow with `k`.
fn sales() -> (Vec<(&'static str, Scope, SaleBatch)>, usize) {
    let days = day_number(LAST_DAY) - day_number(FIRST_DAY) + 1;
    let selected_from = day_number(SELECTED_FROM);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = move || {
        // xorshift64*: deterministic, and fast enough not to show in the figures.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut out = Vec::new();
    let mut selected = 0;
    let mut builders: [(&'static str, Scope, Builder); 4] = [
        ("adobe-stock", Scope::Selected, Builder::default()),
        ("adobe-stock", Scope::History, Builder::default()),
        ("shutterstock", Scope::Selected, Builder::default()),
        ("shutterstock", Scope::History, Builder::default()),
    ];
    for n in 0..SALES {
        let day = day_number(FIRST_DAY) + (n as i64 * days / SALES as i64);
        // Squaring a uniform number favours low asset numbers: a few best sellers, a long tail.
        let u = (random() % 1_000_000) as f64 / 1_000_000.0;
        let asset = ((u * u) * ASSETS as f64) as usize % ASSETS;
        let on_shutterstock = asset.is_multiple_of(3) && random().is_multiple_of(4);
        let in_selection = day >= selected_from;
        selected += usize::from(in_selection);
        let slot = usize::from(on_shutterstock) * 2 + usize::from(!in_selection);
        let (source, scope, builder) = &mut builders[slot];
        builder.push(date(day), asset, random() % 100);
        if builder.sales.len() == BATCH {
            out.push((*source, *scope, std::mem::take(builder).finish()));
        }
    }
    for (source, scope, builder) in builders {
        if !builder.sales.is_empty() {
            out.push((source, scope, builder.finish()));
        }
    }
    (out, selected)
}

#[derive(Default)]
struct Builder {
    text: String,
    sales: Vec<PackedSale>,
}

impl Builder {
    fn text(&mut self, text: &str) -> TextRef {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        TextRef {
            start,
            len: text.len() as u32,
        }
    }

    fn push(&mut self, date: Date, asset: usize, price: u64) {
        let asset_id = self.text(&(600_000_000 + asset * 37).to_string());
        let title = self.text(&format!(
            "Stock photo number {asset}, a title of some length"
        ));
        let file_name = self.text(&format!("IMG_{asset:06}.jpg"));
        let license = self.text(if price < 90 { "subscription" } else { "custom" });
        let currency = self.text("USD");
        let earnings_micros = if price < 90 { 330_000 } else { 9_900_000 };
        self.sales.push(PackedSale {
            date,
            time: None,
            asset_id,
            title: Some(title),
            file_name: Some(file_name),
            media: if asset.is_multiple_of(10) {
                MediaType::Video
            } else {
                MediaType::Photo
            },
            license: Some(license),
            units: 1,
            earnings_micros,
            currency,
            country: None,
        });
    }

    fn finish(self) -> SaleBatch {
        SaleBatch {
            text: self.text,
            sales: self.sales,
        }
    }
}

/// Days since 1970-01-01.
fn day_number(date: Date) -> i64 {
    let civil = jiff::civil::date(date.year as i16, date.month as i8, date.day as i8);
    i64::from(
        civil
            .since(jiff::civil::date(1970, 1, 1))
            .map_or(0, |span| span.get_days()),
    )
}

/// The date of day number `days`.
fn date(days: i64) -> Date {
    let civil = jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .expect("a date in range");
    Date {
        year: civil.year() as u16,
        month: civil.month() as u8,
        day: civil.day() as u8,
    }
}
