//! The bad-input corpus in `tests/bad-input/`: every broken or foreign file gets its exit code
//! and a specific message, never a panic or a hang. Files too big to commit are made here.

use serde_json::Value;

use super::helpers::{analyze, repo, scratch_file};

#[test]
fn every_case_in_the_corpus_gets_its_exit_code_and_message() {
    let dir = repo().join("tests/bad-input");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).expect("manifest"))
            .expect("JSON");
    let cases = manifest["cases"].as_array().expect("a list of cases");
    assert!(cases.len() >= 10, "the corpus covers the issue's cases");
    for case in cases {
        let file = dir.join(case["file"].as_str().expect("file"));
        let file = file.to_str().expect("utf-8 path").to_owned();
        let mut args = vec![file.as_str(), "--json"];
        let extra: Vec<&str> = case["args"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        args.extend(extra);
        let run = analyze(&args);
        let code = case["code"].as_i64().expect("code") as i32;
        if code != 0 {
            run.assert_fails(code, case["error"].as_str().expect("error fragment"));
            continue;
        }
        assert_eq!(run.code, 0, "{case}: {}", run.stderr);
        let json = run.json();
        if let Some(sales) = case.get("sales") {
            assert_eq!(&json["sales"], sales, "{case}");
        }
        if let Some(revenue) = case.get("revenue") {
            assert_eq!(&json["revenue"], revenue, "{case}");
        }
        if let Some(fragment) = case["warning"].as_str() {
            let warnings = json["files"][0]["warnings"].to_string();
            assert!(warnings.contains(fragment), "{case}: warnings {warnings}");
        }
    }
}

#[test]
fn a_fifty_megabyte_line_is_refused_quickly() {
    let (_dir, path) = scratch_file("one-line.csv", &vec![b'a'; 50 * 1024 * 1024]);
    analyze(&[path.to_str().expect("utf-8 path")]).assert_fails(3, "not recognised");
}

#[test]
fn a_fifty_megabyte_line_forced_through_a_parser_is_refused_too() {
    let mut content = b"2025-07-01T10:00:00+00:00,1001,\"".to_vec();
    content.extend(std::iter::repeat_n(b'x', 50 * 1024 * 1024));
    let (_dir, path) = scratch_file("one-line.csv", &content);
    let run = analyze(&[
        path.to_str().expect("utf-8 path"),
        "--marketplace",
        "adobe-stock",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn a_million_columns_are_refused() {
    let row = vec!["1"; 1_000_000].join(",");
    let (_dir, path) = scratch_file("wide.csv", format!("{row}\n{row}\n").as_bytes());
    analyze(&[path.to_str().expect("utf-8 path")]).assert_fails(3, "not recognised");
    // Forced through a parser, the row is refused at the 1,024-field cap, with its line.
    analyze(&[
        path.to_str().expect("utf-8 path"),
        "--marketplace",
        "generic",
    ])
    .assert_fails(
        3,
        "generic@1.0.0 cannot read it (line 1): the row has more than 1024 fields",
    );
}

/// The Adobe Stock example, then a sale whose title is `cell_bytes` of `x`, quoted or not.
fn example_with_a_huge_title(cell_bytes: usize, quoted: bool) -> Vec<u8> {
    let mut content =
        std::fs::read(repo().join("examples/adobe-stock/activity-2025-q3.csv")).expect("example");
    let quote: &[u8] = if quoted { b"\"" } else { b"" };
    content.extend_from_slice(b"2025-07-01T10:00:00+00:00,1001,");
    content.extend_from_slice(quote);
    content.extend(std::iter::repeat_n(b'x', cell_bytes));
    content.extend_from_slice(quote);
    content.extend_from_slice(b",subscription,$0.99,photos,a.jpg,Jane,XXL\n");
    content
}

#[test]
fn a_hundred_megabyte_cell_is_refused_with_its_line() {
    // Detected as Adobe Stock by its first rows; the parser stops at the 1 MiB row cap and the
    // rest of the file is never read.
    for quoted in [true, false] {
        let (_dir, path) = scratch_file(
            "activity.csv",
            &example_with_a_huge_title(100 * 1024 * 1024, quoted),
        );
        analyze(&[path.to_str().expect("utf-8 path")]).assert_fails(
            3,
            "activity.csv: adobe-stock@1.0.0 cannot read it (line 41): the row is longer than 1024 KiB",
        );
    }
}
