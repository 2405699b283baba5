//! The plugin as a whole: its shipped sample and the example statements under `examples/`, each
//! parsed in chunks of several sizes to the totals their `.expected.json` documents.

use std::collections::BTreeSet;

use stocklens_plugin_sdk::{Money, ParseSession, ParseSummary, Parser, RowIssue};

use crate::{GettySession, IstockGetty, SAMPLE};

/// Chunk sizes every file is fed in: whole, a typical buffer, and small enough to split
/// characters and tabs.
const CHUNK_SIZES: [usize; 3] = [1 << 20, 1000, 7];

/// What a file parses to.
#[derive(Debug, PartialEq)]
struct Totals {
    summary: ParseSummary,
    units: i64,
    micros: i64,
    assets: usize,
    first: String,
    last: String,
    issues: Vec<RowIssue>,
}

/// Parses `content` in chunks of `chunk_size` bytes.
fn totals(file_name: &str, content: &[u8], chunk_size: usize) -> Totals {
    let mut session = GettySession::new(file_name);
    let (mut sales, mut issues) = (Vec::new(), Vec::new());
    for chunk in content.chunks(chunk_size) {
        let batch = session.feed(chunk).unwrap_or_default();
        sales.extend(batch.sales);
        issues.extend(batch.issues);
    }
    let (batch, summary) = session.finish().unwrap_or_default();
    sales.extend(batch.sales);
    issues.extend(batch.issues);
    assert!(sales.iter().all(|s| s.earnings.currency == "USD"));
    let assets: BTreeSet<&str> = sales.iter().map(|s| s.asset_id.as_str()).collect();
    let dates: BTreeSet<String> = sales
        .iter()
        .map(|s| format!("{:04}-{:02}-{:02}", s.date.year, s.date.month, s.date.day))
        .collect();
    Totals {
        summary,
        units: sales.iter().map(|s| i64::from(s.units)).sum(),
        micros: sales.iter().map(|s| s.earnings.micros).sum(),
        assets: assets.len(),
        first: dates.first().cloned().unwrap_or_default(),
        last: dates.last().cloned().unwrap_or_default(),
        issues,
    }
}

fn assert_totals(file_name: &str, content: &[u8], expected: &Totals) {
    for chunk_size in CHUNK_SIZES {
        assert_eq!(
            &totals(file_name, content, chunk_size),
            expected,
            "{file_name} in chunks of {chunk_size}"
        );
    }
}

#[test]
fn the_shipped_sample_parses_to_its_expected_totals() {
    for sample in IstockGetty::samples() {
        let totals = totals(&sample.file_name, &sample.content, 100);
        assert_eq!(totals.summary.rows, sample.expected_rows);
        assert_eq!(totals.summary.rows_skipped, 0);
        assert_eq!(totals.units, sample.expected_units);
        assert_eq!(
            vec![Money {
                micros: totals.micros,
                currency: "USD".into()
            }],
            sample.expected_earnings
        );
    }
    assert_eq!(IstockGetty::detect("sample.txt", SAMPLE).confidence, 95);
}

#[test]
fn the_spanish_statement_parses_to_its_documented_totals() {
    let content = include_bytes!("../../../examples/istock-getty/202601-123456-all.txt");
    assert!(content.starts_with(b"\xEF\xBB\xBF"));
    assert_totals(
        "202601-123456-all.txt",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 9,
                rows_skipped: 1,
            },
            units: 6,
            micros: 17_580_000,
            assets: 5,
            first: "2016-01-04".into(),
            last: "2016-02-02".into(),
            issues: vec![RowIssue::new(9, "sales date 'n/d' is not a date")],
        },
    );
    assert_eq!(
        IstockGetty::detect("202601-123456-all.txt", content).confidence,
        95
    );
}

#[test]
fn the_german_connect_statement_parses_to_its_documented_totals() {
    let content = include_bytes!("../../../examples/istock-getty/202603-123456-connect.txt");
    assert_totals(
        "202603-123456-connect.txt",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 6,
                rows_skipped: 1,
            },
            units: 5,
            micros: 57_120_000,
            assets: 4,
            first: "2026-03-02".into(),
            last: "2026-03-31".into(),
            issues: vec![RowIssue::new(6, "gross royalty 'n. v.' is not an amount")],
        },
    );
    assert_eq!(
        IstockGetty::detect("202603-123456-connect.txt", content).confidence,
        95
    );
}

#[test]
fn info_names_the_marketplace_and_version() {
    let info = IstockGetty::info();
    assert_eq!(
        (info.id.as_str(), info.version.as_str()),
        ("istock-getty", "1.0.0")
    );
    assert_eq!(info.marketplace.as_deref(), Some("iStock / Getty Images"));
}
