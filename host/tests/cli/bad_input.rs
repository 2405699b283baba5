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
    let run = analyze(&[
        path.to_str().expect("utf-8 path"),
        "--marketplace",
        "generic",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
