//! Runs a built-in parser (Adobe Stock's unless told otherwise) and the overview analyzer
//! natively, the way the host drives their components: the file in fixed-size chunks to one parse
//! session, each returned batch of sales to one analysis. Times each phase separately.

use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use stocklens_plugin_sdk::{
    Analysis, Date, DecimalStyle, Filters, ParseSession, PortfolioFacts, Request, Sale, Scope,
    format_micros,
};

/// Bytes per `feed` call, as the host reads uploads.
pub const CHUNK_BYTES: usize = 1 << 20;

/// Most sales per analyzer `feed` call: a parser batch (about 8,700 sales per MiB of Activity
/// export) is passed on in slices of at most this many, as the host does.
pub const ANALYZE_BATCH_SALES: usize = 8_192;

/// What a run measured.
#[derive(Debug)]
pub struct Measurement {
    pub rows: u64,
    pub rows_skipped: u64,
    pub issues: usize,
    pub sales: usize,
    pub parse: Duration,
    pub analyze: Duration,
    /// Sum of earnings per currency, exact.
    pub revenue: Vec<(String, i128)>,
    pub report_sections: usize,
}

/// Parses `data` as `file_name` with the Adobe Stock parser and analyzes the result (see
/// [`run_with`]).
pub fn run(file_name: &str, data: &[u8]) -> Result<Measurement> {
    run_with::<adobe_stock::AdobeSession>(adobe_stock::ID, file_name, data)
}

/// Parses `data` as `file_name` with the parse session `S` of the parser `source` and analyzes the
/// result, streaming: each batch of sales goes to the analysis as soon as the parser returns it,
/// so memory stays flat as in the host. Each phase's clock runs only around its own calls.
pub fn run_with<S: ParseSession>(
    source: &str,
    file_name: &str,
    data: &[u8],
) -> Result<Measurement> {
    let (mut parse, mut analyze) = (Duration::ZERO, Duration::ZERO);
    let mut revenue: Vec<(String, i128)> = Vec::new();
    let (mut sales, mut issues) = (0usize, 0usize);

    let started = Instant::now();
    let mut analysis = overview::OverviewAnalysis::new(Request {
        locale: "en".into(),
        filters: Filters::default(),
        facts: PortfolioFacts::default(),
        today: Date {
            year: 2025,
            month: 10,
            day: 1,
        },
    });
    analyze += started.elapsed();

    let mut session = S::new(file_name);
    let mut chunks = data.chunks(CHUNK_BYTES);
    let summary = loop {
        let started = Instant::now();
        let (batch, summary) = match chunks.next() {
            Some(chunk) => (
                session
                    .feed(chunk)
                    .map_err(|e| anyhow!("parse failed: {e}"))?,
                None,
            ),
            None => {
                let (batch, summary) =
                    session.finish().map_err(|e| anyhow!("parse failed: {e}"))?;
                (batch, Some(summary))
            }
        };
        parse += started.elapsed();

        issues += batch.issues.len();
        sales += batch.sales.len();
        add_revenue(&mut revenue, &batch.sales);
        for slice in batch.sales.chunks(ANALYZE_BATCH_SALES) {
            let started = Instant::now();
            let borrowed: Vec<_> = slice.iter().map(Sale::as_ref).collect();
            analysis.feed(source, Scope::Selected, &borrowed);
            analyze += started.elapsed();
        }
        if let Some(summary) = summary {
            break summary;
        }
    };

    let started = Instant::now();
    let report = analysis
        .finish()
        .map_err(|e| anyhow!("analysis failed: {e}"))?;
    analyze += started.elapsed();

    Ok(Measurement {
        rows: summary.rows,
        rows_skipped: summary.rows_skipped,
        issues,
        sales,
        parse,
        analyze,
        revenue,
        report_sections: report.sections.len(),
    })
}

/// Adds `sales`' earnings to the exact per-currency sums.
fn add_revenue(revenue: &mut Vec<(String, i128)>, sales: &[Sale]) {
    for sale in sales {
        let micros = i128::from(sale.earnings.micros);
        match revenue
            .iter_mut()
            .find(|(code, _)| *code == sale.earnings.currency)
        {
            Some((_, sum)) => *sum += micros,
            None => revenue.push((sale.earnings.currency.clone(), micros)),
        }
    }
}

/// The baseline: the same bytes through the `csv` crate, reading every record with no mapping.
/// What a plain CSV program costs, to compare the parser with.
pub fn csv_baseline(data: &[u8]) -> Result<(u64, Duration)> {
    let started = Instant::now();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut record = csv::StringRecord::new();
    let mut rows = 0u64;
    while reader.read_record(&mut record)? {
        rows += 1;
    }
    Ok((rows, started.elapsed()))
}

impl Measurement {
    /// A human-readable summary, one fact per line.
    pub fn lines(&self, bytes: usize) -> Vec<String> {
        let megabytes = bytes as f64 / 1e6;
        let mut lines = vec![
            format!(
                "rows:          {} ({} skipped, {} issues)",
                self.rows, self.rows_skipped, self.issues
            ),
            format!("sales:         {}", self.sales),
            format!(
                "parse:         {:.3} s ({:.0} MB/s, {:.0} ns/row)",
                self.parse.as_secs_f64(),
                megabytes / self.parse.as_secs_f64(),
                self.parse.as_nanos() as f64 / self.rows.max(1) as f64
            ),
            format!(
                "analyze:       {:.3} s ({} sections)",
                self.analyze.as_secs_f64(),
                self.report_sections
            ),
        ];
        for (currency, micros) in &self.revenue {
            lines.push(format!(
                "revenue {currency}:   {}",
                format_micros(*micros, DecimalStyle::PLAIN)
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quarter_example_runs_end_to_end() {
        let data = include_bytes!("../../../examples/adobe-stock/activity-2025-q3.csv");
        let measurement = run("activity-2025-q3.csv", data).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (
                measurement.rows,
                measurement.rows_skipped,
                measurement.sales
            ),
            (40, 0, 40)
        );
        assert_eq!(measurement.revenue, [("USD".to_string(), 220_140_000)]);
        // Overview, top assets, license and media mix (months are the trends generator's).
        assert_eq!(measurement.report_sections, 3);
    }

    #[test]
    fn the_header_example_runs_end_to_end() {
        let data = include_bytes!("../../../examples/adobe-stock/activity-with-header.csv");
        let measurement = run("activity-with-header.csv", data).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (
                measurement.rows,
                measurement.rows_skipped,
                measurement.issues
            ),
            (15, 1, 1)
        );
        assert_eq!(
            measurement.revenue,
            [
                ("USD".to_string(), 52_210_000),
                ("EUR".to_string(), 1_500_000)
            ]
        );
    }

    #[test]
    fn the_baseline_counts_every_record() {
        let data = b"a,\"b,c\"\n1,2\n";
        assert_eq!(csv_baseline(data).map(|(rows, _)| rows).ok(), Some(2));
    }
}
