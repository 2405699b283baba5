//! The plugin as a whole: its shipped sample and the example reports under `examples/`, each
//! parsed in chunks of several sizes to the totals their `.expected.json` documents.

use std::collections::BTreeSet;

use stocklens_plugin_sdk::{Money, ParseSession, ParseSummary, Parser, RowIssue};

use crate::{Freepik, FreepikSession, SAMPLE};

/// Chunk sizes every file is fed in: whole, a typical buffer, and small enough to split
/// characters and quoted fields.
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
    let mut session = FreepikSession::new(file_name);
    let (mut sales, mut issues) = (Vec::new(), Vec::new());
    for chunk in content.chunks(chunk_size) {
        let batch = session.feed(chunk).unwrap_or_default();
        sales.extend(batch.sales);
        issues.extend(batch.issues);
    }
    let (batch, summary) = session.finish().unwrap_or_default();
    sales.extend(batch.sales);
    issues.extend(batch.issues);
    assert!(sales.iter().all(|s| s.earnings.currency == "EUR"));
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
    for sample in Freepik::samples() {
        let totals = totals(&sample.file_name, &sample.content, 100);
        assert_eq!(totals.summary.rows, sample.expected_rows);
        assert_eq!(totals.summary.rows_skipped, 0);
        assert_eq!(totals.units, sample.expected_units);
        assert_eq!(
            vec![Money {
                micros: totals.micros,
                currency: "EUR".into()
            }],
            sample.expected_earnings
        );
    }
    assert_eq!(
        Freepik::detect("assets_report_04_2026.csv", SAMPLE).confidence,
        100
    );
}

#[test]
fn the_may_report_parses_to_its_documented_totals() {
    let content = include_bytes!("../../../examples/freepik/assets_report_05_2026.csv");
    assert!(content.starts_with(b"\xEF\xBB\xBF"));
    assert_totals(
        "assets_report_05_2026.csv",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 8,
                rows_skipped: 1,
            },
            units: 140,
            micros: 8_201_350,
            assets: 6,
            first: "2026-05-01".into(),
            last: "2026-05-01".into(),
            issues: vec![RowIssue::new(8, "expected 7 columns, found 8")],
        },
    );
    assert_eq!(
        Freepik::detect("assets_report_05_2026.csv", content).confidence,
        100
    );
}

#[test]
fn the_june_report_parses_to_its_documented_totals() {
    let content = include_bytes!("../../../examples/freepik/assets_report_06_2026.csv");
    assert_totals(
        "assets_report_06_2026.csv",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 8,
                rows_skipped: 1,
            },
            units: 101,
            micros: 4_376_300,
            assets: 6,
            first: "2026-06-01".into(),
            last: "2026-06-01".into(),
            issues: vec![RowIssue::new(8, "downloads '—' is not a whole number")],
        },
    );
}

#[test]
fn the_same_report_under_a_name_without_month_is_refused() {
    let content = include_bytes!("../../../examples/freepik/assets_report_06_2026.csv");
    let mut session = FreepikSession::new("report.csv");
    let error = session.feed(content).err().map(|e| e.message);
    assert!(error.is_some_and(|m| m.starts_with("the month is not in the file name 'report.csv'")));
}

#[test]
fn info_names_the_marketplace_and_version() {
    let info = Freepik::info();
    assert_eq!(
        (info.id.as_str(), info.version.as_str()),
        ("freepik", "1.0.0")
    );
    assert_eq!(info.marketplace.as_deref(), Some("Freepik"));
}
