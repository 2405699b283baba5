//! The HTML report written by `analyze`: self-contained, safe, in both languages.

use super::helpers::{analyze, scratch_file};

#[test]
fn the_report_is_self_contained_and_names_its_plugins() {
    let run = analyze(&["examples/adobe-stock/activity-2025-q3.csv"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let html = run.report();
    assert!(!html.to_lowercase().contains("<script"), "no scripts");
    for attr in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "url(http",
        "@import",
    ] {
        assert!(!html.contains(attr), "no external resource ({attr})");
    }
    assert!(
        html.contains("adobe-stock@1.0.0"),
        "names the parser version"
    );
    assert!(
        html.contains("overview@1.1.0") && html.contains("trends@1.0.0"),
        "names the generator version"
    );
}

#[test]
fn a_hostile_title_is_escaped() {
    let content = "\
2025-07-01T10:00:00+00:00,1001,\"<script>alert('x')</script> & <b>bold</b>\",subscription,$0.99,photos,a.jpg,Jane,XXL
2025-07-02T10:00:00+00:00,1001,\"<script>alert('x')</script> & <b>bold</b>\",subscription,$0.99,photos,a.jpg,Jane,XXL
";
    let (_dir, path) = scratch_file("activity.csv", content.as_bytes());
    let run = analyze(&[
        path.to_str().expect("utf-8 path"),
        "--marketplace",
        "adobe-stock",
    ]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let html = run.report();
    assert!(!html.contains("<script>alert"), "the title must be escaped");
    assert!(
        !html.contains("<b>bold</b>"),
        "markup in a title must be escaped"
    );
    assert!(
        html.contains("&lt;script&gt;alert("),
        "the escaped title is shown"
    );
}

#[test]
fn the_report_speaks_russian_when_asked() {
    let run = analyze(&["examples/adobe-stock/activity-2025-q3.csv", "--lang", "ru"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let html = run.report();
    assert!(html.contains("lang=\"ru\""));
    assert!(
        html.contains("Продажи") || html.contains("продаж"),
        "Russian headings"
    );
}

#[test]
fn portfolio_facts_from_flags_reach_the_report() {
    // 8 assets of the example sold, out of 80 online; "ai" filters nothing.
    let run = analyze(&[
        "examples/adobe-stock/activity-2025-q3.csv",
        "--content-type",
        "ai",
        "--portfolio-size",
        "80",
        "--upload-limit",
        "100/week",
        "--uploads",
        "40",
        "--acceptance-rate",
        "65%",
        "--json",
    ]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.json()["sales"], 40);
    assert!(run.report().contains("10.0% of the portfolio"));
}
