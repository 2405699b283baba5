//! The real exports from public sources in `../shared/samples/` parse to the right totals.

use std::path::PathBuf;

use super::helpers::{analyze, repo, scratch_file};

fn shared_sample(name: &str) -> PathBuf {
    let path = repo().join("../shared/samples").join(name);
    assert!(
        path.is_file(),
        "the shared sample {} is there",
        path.display()
    );
    path
}

#[test]
fn the_real_istock_statement_parses_to_its_one_sale() {
    let path = shared_sample("istock-getty_royalty-statement_201601.txt");
    let run = analyze(&[path.to_str().expect("utf-8 path"), "--json"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let json = run.json();
    assert_eq!(json["files"][0]["marketplace"], "istock-getty");
    assert_eq!(json["files"][0]["rows"], 1);
    assert_eq!(json["files"][0]["rows_skipped"], 0);
    assert_eq!(json["sales"], 1);
    assert_eq!(json["revenue"], serde_json::json!({"USD": "3.00"}));
    assert_eq!(json["assets"], 1);
    assert_eq!(
        json["period"],
        serde_json::json!({"from": "2016-01-04", "to": "2016-01-04"})
    );
}

#[test]
fn the_real_freepik_report_parses_under_the_name_freepik_gives_it() {
    let content =
        std::fs::read(shared_sample("freepik_assets_report_sample.csv")).expect("readable");
    let (_dir, path) = scratch_file("assets_report_05_2026.csv", &content);
    let run = analyze(&[path.to_str().expect("utf-8 path"), "--json"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let json = run.json();
    assert_eq!(json["files"][0]["marketplace"], "freepik");
    assert_eq!(json["files"][0]["rows"], 2);
    assert_eq!(json["sales"], 83);
    assert_eq!(json["revenue"], serde_json::json!({"EUR": "3.9734"}));
    assert_eq!(json["assets"], 2);
    assert_eq!(
        json["period"],
        serde_json::json!({"from": "2026-05-01", "to": "2026-05-01"})
    );
}

#[test]
fn a_freepik_report_without_its_month_in_the_name_says_how_to_fix_it() {
    let path = shared_sample("freepik_assets_report_sample.csv");
    analyze(&[path.to_str().expect("utf-8 path")])
        .assert_fails(3, "the month is not in the file name");
}
