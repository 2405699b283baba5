//! The plugin as a whole: its shipped sample and the example reports under `examples/`, each
//! parsed in chunks of several sizes to the totals their `.expected.json` documents.

use stocklens_plugin_sdk::testing::{Totals, assert_totals, totals};
use stocklens_plugin_sdk::{Money, ParseSession, ParseSummary, Parser, RowIssue};

use crate::{Freepik, FreepikSession, SAMPLE};

#[test]
fn the_shipped_sample_parses_to_its_expected_totals() {
    for sample in Freepik::samples() {
        let totals = totals::<FreepikSession>(&sample.file_name, &sample.content, 100);
        assert_eq!(totals.summary.rows, sample.expected_rows);
        assert_eq!(totals.summary.rows_skipped, 0);
        assert_eq!(totals.units, sample.expected_units);
        assert_eq!(totals.earnings, sample.expected_earnings);
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
    assert_totals::<FreepikSession>(
        "assets_report_05_2026.csv",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 8,
                rows_skipped: 1,
            },
            units: 140,
            earnings: vec![Money {
                micros: 8_201_350,
                currency: "EUR".into(),
            }],
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
    assert_totals::<FreepikSession>(
        "assets_report_06_2026.csv",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 8,
                rows_skipped: 1,
            },
            units: 101,
            earnings: vec![Money {
                micros: 4_376_300,
                currency: "EUR".into(),
            }],
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
