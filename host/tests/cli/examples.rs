//! Every example under `examples/` analyzed through the release-shaped pipeline, with the JSON
//! summary checked against the hand-computed expectations beside it.

use serde_json::Value;

use super::helpers::{analyze, repo};

/// Checks that every field in `expected` has the same value in `actual` (objects recursively,
/// arrays element by element); fields `expected` does not name are not checked.
fn assert_subset(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                let got = got
                    .get(key)
                    .unwrap_or_else(|| panic!("{path}.{key} is missing in {actual}"));
                assert_subset(value, got, &format!("{path}.{key}"));
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            assert_eq!(want.len(), got.len(), "{path} length: {actual}");
            for (index, (w, g)) in want.iter().zip(got).enumerate() {
                assert_subset(w, g, &format!("{path}[{index}]"));
            }
        }
        _ => assert_eq!(expected, actual, "at {path}"),
    }
}

#[test]
fn every_example_matches_its_expected_summary() {
    let mut checked = 0;
    let examples = repo().join("examples");
    for marketplace in std::fs::read_dir(&examples).expect("examples/ exists") {
        let dir = marketplace.expect("readable entry").path();
        if !dir.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&dir).expect("readable example dir") {
            let path = entry.expect("readable entry").path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(stem) = name.strip_suffix(".expected.json") else {
                continue;
            };
            let expected: Value = serde_json::from_str(
                &std::fs::read_to_string(&path).expect("readable expectation"),
            )
            .unwrap_or_else(|err| panic!("{name} is not JSON: {err}"));
            let input = dir.join(stem);
            let relative = input
                .strip_prefix(repo())
                .expect("inside the repo")
                .to_string_lossy()
                .into_owned();
            let run = analyze(&[&relative, "--json"]);
            assert_eq!(run.code, 0, "{relative}: stderr {}", run.stderr);
            assert_subset(&expected, &run.json(), stem);
            checked += 1;
        }
    }
    assert!(
        checked >= 2,
        "expected at least two examples with expectations, found {checked}"
    );
}

#[test]
fn summary_names_the_plugins_and_the_report() {
    let run = analyze(&["examples/adobe-stock/activity-2025-q3.csv", "--json"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let json = run.json();
    assert_eq!(json["files"][0]["marketplace"], "adobe-stock");
    assert_eq!(json["files"][0]["parser"], "adobe-stock@1.0.0");
    assert!(json["files"][0]["confidence"].as_u64().expect("confidence") >= 90);
    assert_eq!(
        json["analyzers"],
        serde_json::json!([
            "overview@1.1.0",
            "trends@1.0.0",
            "portfolio-health@1.0.0",
            "concentration@1.0.0",
            "marketplaces@1.0.0"
        ])
    );
    let report = json["report"].as_str().expect("report path");
    assert!(report.ends_with("report.html"), "{report}");
    assert!(
        run.stderr.is_empty(),
        "nothing on stderr on success: {}",
        run.stderr
    );
}

#[test]
fn period_and_content_type_narrow_the_selection() {
    let all = analyze(&["examples/adobe-stock/activity-2025-q3.csv", "--json"]).json();
    let august = analyze(&[
        "examples/adobe-stock/activity-2025-q3.csv",
        "--json",
        "--period",
        "2025-08",
    ])
    .json();
    assert_eq!(
        august["period"]["from"].as_str().map(|d| &d[..7]),
        Some("2025-08")
    );
    assert_eq!(
        august["period"]["to"].as_str().map(|d| &d[..7]),
        Some("2025-08")
    );
    assert!(august["sales"].as_i64() < all["sales"].as_i64());
    let photos = analyze(&[
        "examples/adobe-stock/activity-2025-q3.csv",
        "--json",
        "--content-type",
        "photo",
    ])
    .json();
    assert!(photos["sales"].as_i64() < all["sales"].as_i64());
    assert!(photos["sales"].as_i64() > Some(0));
    // Rows outside the selection are not lost: they are still counted as read.
    assert_eq!(photos["files"][0]["rows"], all["files"][0]["rows"]);
}

#[test]
fn the_same_file_twice_is_counted_once() {
    let once = analyze(&["examples/adobe-stock/activity-2025-q3.csv", "--json"]).json();
    let twice = analyze(&[
        "examples/adobe-stock/activity-2025-q3.csv",
        "examples/adobe-stock/activity-2025-q3.csv",
        "--json",
    ])
    .json();
    assert_eq!(once["sales"], twice["sales"]);
    assert_eq!(once["revenue"], twice["revenue"]);
    assert_eq!(
        twice["files"][1]["duplicate_of"],
        "examples/adobe-stock/activity-2025-q3.csv"
    );
}

#[test]
fn two_files_make_one_report() {
    let first = analyze(&["examples/adobe-stock/activity-2025-q3.csv", "--json"]).json();
    let second = analyze(&["examples/adobe-stock/activity-with-header.csv", "--json"]).json();
    let both = analyze(&[
        "examples/adobe-stock/activity-2025-q3.csv",
        "examples/adobe-stock/activity-with-header.csv",
        "--json",
    ])
    .json();
    let sum = first["sales"].as_i64().expect("sales") + second["sales"].as_i64().expect("sales");
    assert_eq!(both["sales"].as_i64(), Some(sum));
    assert_eq!(both["files"].as_array().map(Vec::len), Some(2));
}
