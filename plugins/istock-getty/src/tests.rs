//! The plugin as a whole: its shipped sample and the example statements under `examples/`, each
//! parsed in chunks of several sizes to the totals their `.expected.json` documents.

use stocklens_plugin_sdk::testing::{Totals, assert_totals, totals};
use stocklens_plugin_sdk::{Money, ParseSummary, Parser, RowIssue};

use crate::{GettySession, IstockGetty, SAMPLE};

#[test]
fn the_shipped_sample_parses_to_its_expected_totals() {
    for sample in IstockGetty::samples() {
        let totals = totals::<GettySession>(&sample.file_name, &sample.content, 100);
        assert_eq!(totals.summary.rows, sample.expected_rows);
        assert_eq!(totals.summary.rows_skipped, 0);
        assert_eq!(totals.units, sample.expected_units);
        assert_eq!(totals.earnings, sample.expected_earnings);
    }
    assert_eq!(IstockGetty::detect("sample.txt", SAMPLE).confidence, 95);
}

#[test]
fn the_spanish_statement_parses_to_its_documented_totals() {
    let content = include_bytes!("../../../examples/istock-getty/202601-123456-all.txt");
    assert!(content.starts_with(b"\xEF\xBB\xBF"));
    assert_totals::<GettySession>(
        "202601-123456-all.txt",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 9,
                rows_skipped: 1,
            },
            units: 6,
            earnings: vec![Money {
                micros: 17_580_000,
                currency: "USD".into(),
            }],
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
    assert_totals::<GettySession>(
        "202603-123456-connect.txt",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 6,
                rows_skipped: 1,
            },
            units: 5,
            earnings: vec![Money {
                micros: 57_120_000,
                currency: "USD".into(),
            }],
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
