//! `test-greedy`: a report generator that misbehaves when asked to, for the host's tests that the
//! memory cap and the output limit hold for report generators as they do for parsers. What it
//! does is chosen by the request's `portfolio_size`, a fact the test sets:
//!
//! - [`HOARD_MEMORY`]: `feed` allocates and writes memory until the cap stops it;
//! - [`HUGE_REPORT`]: `finish` returns a table of [`CELL_COUNT`] cells of [`CELL_BYTES`] each
//!   (24 MiB, half again the host's default output limit of 16 MiB);
//! - anything else: a one-figure report counting the selected sales.
//!
//! Not a real report generator: it must never be installed for contributors.

use stocklens_plugin_sdk::{
    Analysis, Analyzer, Block, Kpi, PluginInfo, PluginKind, Report, Request, SaleRef, Scope,
    Section, Table, Value, register_analyzer,
};

/// `portfolio_size` that makes `feed` hoard memory.
pub const HOARD_MEMORY: u32 = 1;

/// `portfolio_size` that makes `finish` return an oversized report.
pub const HUGE_REPORT: u32 = 2;

/// Bytes of each cell of the oversized report.
pub const CELL_BYTES: usize = 1024 * 1024;

/// Cells (one per row) of the oversized report.
pub const CELL_COUNT: usize = 24;

/// Bytes allocated per step while hoarding: the failure comes from the cap, not from one absurd
/// request.
const BLOCK_BYTES: usize = 1 << 20;

/// The plugin.
pub struct TestGreedy;

/// One report, in the mode the request chose.
pub struct GreedyAnalysis {
    mode: Option<u32>,
    sales: i64,
}

impl Analyzer for TestGreedy {
    type Analysis = GreedyAnalysis;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-greedy".into(),
            name: "Test: greedy report generator".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Analyzer,
            marketplace: None,
            description: "Hoards memory or returns a huge report on request; for sandbox tests \
                          only."
                .into(),
        }
    }
}

impl Analysis for GreedyAnalysis {
    fn new(request: Request) -> Self {
        GreedyAnalysis {
            mode: request.facts.portfolio_size,
            sales: 0,
        }
    }

    fn feed(&mut self, _source: &str, scope: Scope, sales: &[SaleRef<'_>]) {
        if self.mode == Some(HOARD_MEMORY) {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                // Filling every byte makes the memory real, not just reserved.
                hoard.push(std::hint::black_box(vec![0xA5u8; BLOCK_BYTES]));
            }
        }
        if scope == Scope::Selected {
            self.sales += sales.len() as i64;
        }
    }

    fn finish(&mut self) -> Result<Report, String> {
        let blocks = if self.mode == Some(HUGE_REPORT) {
            let rows = (0..CELL_COUNT)
                .map(|_| vec![Value::Text("x".repeat(CELL_BYTES))])
                .collect();
            vec![Block::Table(Table {
                title: None,
                columns: vec!["Filler".into()],
                rows,
            })]
        } else {
            vec![Block::Kpis(vec![Kpi {
                label: "Sales".into(),
                value: Value::Integer(self.sales),
                note: None,
            }])]
        };
        Ok(Report {
            sections: vec![Section {
                id: "test-greedy".into(),
                title: "Greedy".into(),
                blocks,
            }],
            highlights: Vec::new(),
        })
    }
}

register_analyzer!(TestGreedy);
