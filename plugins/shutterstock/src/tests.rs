//! The plugin as a whole: its shipped samples and the example exports under `examples/`, each
//! parsed in chunks of several sizes to the totals their `.expected.json` documents.

use stocklens_plugin_sdk::testing::{Totals, assert_totals, totals};
use stocklens_plugin_sdk::{Money, ParseSummary, Parser, RowIssue};

use crate::session::MONTHLY_NOTE;
use crate::{Shutterstock, ShutterstockSession};

#[test]
fn the_shipped_samples_parse_to_their_expected_totals() {
    for sample in Shutterstock::samples() {
        let totals = totals::<ShutterstockSession>(&sample.file_name, &sample.content, 100);
        assert_eq!(
            totals.summary.rows, sample.expected_rows,
            "{}",
            sample.file_name
        );
        assert_eq!(totals.summary.rows_skipped, 0, "{}", sample.file_name);
        assert_eq!(totals.units, sample.expected_units, "{}", sample.file_name);
        assert_eq!(
            totals.earnings, sample.expected_earnings,
            "{}",
            sample.file_name
        );
        let found = Shutterstock::detect(&sample.file_name, &sample.content);
        assert!(found.confidence >= 90, "{}: {found:?}", sample.file_name);
    }
}

#[test]
fn the_may_export_parses_to_its_documented_totals() {
    let content = include_bytes!("../../../examples/shutterstock/2026_5_earnings_by_month.csv");
    assert!(content.starts_with(b"\xEF\xBB\xBF"));
    assert_totals::<ShutterstockSession>(
        "2026_5_earnings_by_month.csv",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 31,
                rows_skipped: 1,
            },
            units: 30,
            earnings: vec![Money {
                micros: 31_590_000,
                currency: "USD".into(),
            }],
            assets: 8,
            first: "2026-05-01".into(),
            last: "2026-05-30".into(),
            issues: vec![
                RowIssue::new(2, MONTHLY_NOTE),
                RowIssue::new(
                    19,
                    "Subscriptions '0.1O' is not an amount: 'O' is not a known currency",
                ),
            ],
        },
    );
    assert_eq!(
        Shutterstock::detect("2026_5_earnings_by_month.csv", content).confidence,
        100
    );
}

#[test]
fn the_march_export_with_dollar_signs_and_lf_parses_to_its_documented_totals() {
    let content = include_bytes!("../../../examples/shutterstock/2026_3_earnings_by_month.csv");
    assert_totals::<ShutterstockSession>(
        "2026_3_earnings_by_month.csv",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 31,
                rows_skipped: 0,
            },
            units: 13,
            earnings: vec![Money {
                micros: 66_220_000,
                currency: "USD".into(),
            }],
            assets: 5,
            first: "2026-03-02".into(),
            last: "2026-03-31".into(),
            issues: vec![RowIssue::new(2, MONTHLY_NOTE)],
        },
    );
}

#[test]
fn the_june_per_asset_table_parses_to_its_documented_totals() {
    let content =
        include_bytes!("../../../examples/shutterstock/shutterstock-earnings-2026-06.csv");
    assert_totals::<ShutterstockSession>(
        "shutterstock-earnings-2026-06.csv",
        content,
        &Totals {
            summary: ParseSummary {
                rows: 14,
                rows_skipped: 1,
            },
            units: 15,
            earnings: vec![Money {
                micros: 80_550_000,
                currency: "USD".into(),
            }],
            assets: 8,
            first: "2026-06-01".into(),
            last: "2026-06-22".into(),
            issues: vec![RowIssue::new(12, "earnings '#VALUE!' is not an amount")],
        },
    );
    assert_eq!(
        Shutterstock::detect("shutterstock-earnings-2026-06.csv", content).confidence,
        90
    );
    assert_eq!(Shutterstock::detect("june.csv", content).confidence, 85);
}

#[test]
fn info_names_the_marketplace_version_and_what_is_verified() {
    let info = Shutterstock::info();
    assert_eq!(
        (info.id.as_str(), info.version.as_str()),
        ("shutterstock", "1.0.0")
    );
    assert_eq!(info.marketplace.as_deref(), Some("Shutterstock"));
    assert!(
        info.description
            .contains("Neither layout is verified against a real file")
    );
}
