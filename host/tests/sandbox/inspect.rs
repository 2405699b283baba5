//! `pipeline::inspect` with the built-in parsers: what the bot says about a file before asking
//! for a period, checked against the summaries `stocklens analyze` makes of the same files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use stocklens::pipeline::{
    self, AnalyzeError, InputProblem, Inspection, MAX_SKIPPED_PERCENT, MonthCount, format_micros,
    iso_date,
};
use stocklens::pipeline::{Input, Source};
use stocklens::plugin::types::{Date, MediaType};
use stocklens::plugin::{Registry, Runtime};

use super::{repo, runtime};

const TODAY: Date = Date {
    year: 2026,
    month: 7,
    day: 1,
};

fn builtins() -> (Runtime, Registry) {
    let runtime = runtime(None);
    let registry = Registry::builtin(&runtime).expect("built-ins load");
    (runtime, registry)
}

fn file_input(path: &Path) -> Input {
    Input {
        name: path
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned(),
        display: path.display().to_string(),
        source: Source::Path(path.to_owned()),
    }
}

fn bytes_input(name: &str, bytes: &[u8]) -> Input {
    Input {
        name: name.to_owned(),
        display: name.to_owned(),
        source: Source::Bytes(Arc::from(bytes)),
    }
}

fn inspect_example(marketplace: Option<&str>, example: &str) -> Inspection {
    let (runtime, registry) = builtins();
    let input = file_input(&repo().join("examples").join(example));
    pipeline::inspect(&runtime, &registry, &input, marketplace, TODAY)
        .unwrap_or_else(|err| panic!("{example} inspects: {err}"))
}

/// Every example export beside its `*.expected.json`.
fn examples() -> Vec<(PathBuf, serde_json::Value)> {
    let mut found = Vec::new();
    for dir in std::fs::read_dir(repo().join("examples")).expect("examples/") {
        for entry in std::fs::read_dir(dir.expect("an entry").path()).expect("a folder") {
            let path = entry.expect("an entry").path();
            let expected = PathBuf::from(format!("{}.expected.json", path.display()));
            if expected.is_file() {
                let text = std::fs::read_to_string(&expected).expect("expected.json reads");
                found.push((
                    path,
                    serde_json::from_str(&text).expect("expected.json parses"),
                ));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn every_example_is_described_as_its_analysis_summary_says() {
    let (runtime, registry) = builtins();
    let examples = examples();
    assert!(examples.len() >= 10, "examples found: {}", examples.len());
    for (path, expected) in examples {
        let name = path.display();
        let inspection = pipeline::inspect(&runtime, &registry, &file_input(&path), None, TODAY)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        let file = &expected["files"][0];
        assert_eq!(
            format!("{}@{}", inspection.parser, inspection.parser_version),
            file["parser"].as_str().expect("parser"),
            "{name}"
        );
        assert!(!inspection.marketplace.is_empty(), "{name}");
        assert!(inspection.confidence >= 50, "{name}: {inspection:?}");
        assert_eq!(inspection.rows, file["rows"], "{name}");
        assert_eq!(inspection.skipped_rows, file["rows_skipped"], "{name}");
        assert_eq!(inspection.sales, expected["sales"], "{name}");
        let earnings: BTreeMap<String, String> = inspection
            .earnings
            .iter()
            .map(|(currency, micros)| (currency.clone(), format_micros(*micros)))
            .collect();
        let revenue: BTreeMap<String, String> =
            serde_json::from_value(expected["revenue"].clone()).expect("revenue");
        assert_eq!(earnings, revenue, "{name}");
        assert_eq!(
            inspection.first.map(iso_date).as_deref(),
            expected["period"]["from"].as_str(),
            "{name}"
        );
        assert_eq!(
            inspection.last.map(iso_date).as_deref(),
            expected["period"]["to"].as_str(),
            "{name}"
        );
        if let Some(warnings) = file["warnings"].as_array() {
            let messages: Vec<&str> = inspection
                .warnings
                .iter()
                .map(|w| w.message.as_str())
                .collect();
            let expected: Vec<&str> = warnings
                .iter()
                .map(|w| w["message"].as_str().expect("message"))
                .collect();
            assert_eq!(messages, expected, "{name}");
        }

        let months: Vec<(u16, u8)> = inspection
            .months
            .iter()
            .map(|m| (m.year, m.month))
            .collect();
        assert!(
            months.is_sorted() && !months.is_empty(),
            "{name}: {months:?}"
        );
        let first = inspection.first.expect("a first sale");
        let last = inspection.last.expect("a last sale");
        assert_eq!(months.first(), Some(&(first.year, first.month)), "{name}");
        assert_eq!(months.last(), Some(&(last.year, last.month)), "{name}");
        let by_month: i64 = inspection.months.iter().map(|m| m.sales).sum();
        assert_eq!(by_month, inspection.sales, "{name}");
        let by_media: i64 = inspection.media.iter().map(|(_, sales)| sales).sum();
        assert_eq!(by_media, inspection.sales, "{name}");
        assert!(
            inspection.media.is_sorted_by(|a, b| a.1 >= b.1),
            "{name}: most first: {:?}",
            inspection.media
        );
    }
}

#[test]
fn a_quarter_of_adobe_sales_is_three_months_of_photos() {
    let inspection = inspect_example(None, "adobe-stock/activity-2025-q3.csv");
    assert_eq!(inspection.parser, "adobe-stock");
    assert_eq!(inspection.marketplace, "Adobe Stock");
    assert!(inspection.alternatives.is_empty(), "{inspection:?}");
    let months: Vec<(u16, u8)> = inspection
        .months
        .iter()
        .map(|m| (m.year, m.month))
        .collect();
    assert_eq!(months, [(2025, 7), (2025, 8), (2025, 9)]);
    assert_eq!(inspection.media[0].0, MediaType::Photo);
}

#[test]
fn a_table_the_generic_parser_also_reads_lists_it_as_an_alternative() {
    // With a header row the generic parser maps the columns too (its cap is 55), but Adobe
    // Stock's parser is more than the tie margin ahead, so it wins and generic is offered.
    let inspection = inspect_example(None, "adobe-stock/activity-with-header.csv");
    assert_eq!(inspection.parser, "adobe-stock");
    assert_eq!(
        inspection.alternatives,
        [("generic".to_owned(), "Other (generic table)".to_owned())]
    );
    assert_eq!(
        inspection.months,
        [
            MonthCount {
                year: 2025,
                month: 8,
                sales: 4
            },
            MonthCount {
                year: 2025,
                month: 9,
                sales: 10
            },
        ]
    );
    let envato = inspect_example(None, "envato-market/statement-2026-05.csv");
    assert_eq!(envato.parser, "envato-market");
    assert_eq!(envato.alternatives[0].0, "generic");
}

#[test]
fn a_forced_marketplace_is_used_without_asking_the_others() {
    let inspection = inspect_example(Some("generic"), "envato-market/statement-2026-05.csv");
    assert_eq!(inspection.parser, "generic");
    assert_eq!(inspection.confidence, 100);
    assert!(inspection.alternatives.is_empty());

    let (runtime, registry) = builtins();
    let input = file_input(&repo().join("examples/adobe-stock/activity-2025-q3.csv"));
    match pipeline::inspect(&runtime, &registry, &input, Some("nowhere"), TODAY) {
        Err(AnalyzeError::UnknownMarketplace { id, known }) => {
            assert_eq!(id, "nowhere");
            assert!(known.iter().any(|k| k == "adobe-stock"), "{known:?}");
        }
        other => panic!("expected an unknown marketplace, got {other:?}"),
    }
}

#[test]
fn files_an_analysis_would_refuse_are_refused_with_the_same_problem() {
    let (runtime, registry) = builtins();
    let problem = |marketplace: Option<&str>, name: &str, bytes: &[u8]| {
        let input = bytes_input(name, bytes);
        match pipeline::inspect(&runtime, &registry, &input, marketplace, TODAY) {
            Err(AnalyzeError::Input { file, problem }) => {
                assert_eq!(file, name);
                problem
            }
            other => panic!("{name}: expected an input problem, got {other:?}"),
        }
    };

    let unknown = problem(None, "weather.csv", b"city,temperature\nOslo,3\nLima,19\n");
    assert!(
        matches!(unknown, InputProblem::UnknownFormat { .. }),
        "{unknown:?}"
    );
    let image = problem(None, "sales.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert!(matches!(image, InputProblem::NotText(_)), "{image:?}");
    let header =
        b"Date,Asset ID,Title,License,Royalty,Media Type,Original File Name,Contributor,Size\n";
    let empty = problem(Some("adobe-stock"), "activity.csv", header);
    assert!(matches!(empty, InputProblem::NoRows), "{empty:?}");
    let mostly_bad = "\
2025-07-01T10:00:00+00:00,1001,\"Sunset\",subscription,$0.99,photos,a.jpg,Jane,XXL
2025-07-02T10:00:00+00:00,1002,\"Forest\",subscription,n/a,photos,b.jpg,Jane,XXL
2025-07-03T10:00:00+00:00,1003,\"Lake\",subscription,oops,photos,c.jpg,Jane,XXL
";
    let bad_rows = problem(Some("adobe-stock"), "activity.csv", mostly_bad.as_bytes());
    assert!(
        matches!(
            bad_rows,
            InputProblem::TooManyBadRows {
                skipped: 2,
                rows: 3,
                limit_percent: MAX_SKIPPED_PERCENT,
                ..
            }
        ),
        "{bad_rows:?}"
    );
}
