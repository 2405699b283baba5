//! Bad input gets exit 3 (or 2 for bad usage) and one specific `error:` line, never a panic.

use super::helpers::{Run, analyze, scratch_file, stocklens};

const EXAMPLE: &str = "examples/adobe-stock/activity-2025-q3.csv";

#[test]
fn a_missing_file_is_an_input_problem() {
    analyze(&["no/such/export.csv"]).assert_fails(3, "cannot read the file");
}

#[test]
fn an_empty_file_is_refused() {
    let (_dir, path) = scratch_file("empty.csv", b"");
    analyze(&[path.to_str().expect("utf-8 path")]).assert_fails(3, "empty");
}

#[test]
fn a_png_is_named_as_such() {
    let (_dir, path) = scratch_file("sales.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    analyze(&[path.to_str().expect("utf-8 path")]).assert_fails(3, "PNG image");
}

#[test]
fn an_unknown_table_is_not_guessed() {
    let (_dir, path) = scratch_file("weather.csv", b"city,temperature\nOslo,3\nLima,19\n");
    analyze(&[path.to_str().expect("utf-8 path")]).assert_fails(3, "not recognised");
}

#[test]
fn an_unknown_marketplace_lists_the_known_ones() {
    analyze(&[EXAMPLE, "--marketplace", "nowhere"]).assert_fails(3, "adobe-stock");
}

#[test]
fn a_period_without_sales_says_where_the_sales_are() {
    analyze(&[EXAMPLE, "--period", "2019-01"]).assert_fails(3, "no sales in the selected period");
}

#[test]
fn malformed_options_are_usage_errors() {
    for (args, fragment) in [
        (
            vec![EXAMPLE, "--period", "last-year"],
            "period \"last-year\" is not understood",
        ),
        (
            vec![EXAMPLE, "--content-type", "sculpture"],
            "content type \"sculpture\"",
        ),
        (vec![EXAMPLE, "--lang", "fr"], "use en or ru"),
        (
            vec![EXAMPLE, "--acceptance-rate", "140"],
            "not a percentage",
        ),
        (vec![EXAMPLE, "--upload-limit", "0/week"], "at least 1"),
        (vec![EXAMPLE, "--main-content", "sculpture"], "main content"),
        (
            vec![EXAMPLE, "--content-type", "ai", "--main-content", "photo"],
            "mainly ai",
        ),
        (vec![EXAMPLE, "--no-such-flag"], "--no-such-flag"),
    ] {
        analyze(&args).assert_fails(2, fragment);
    }
    let output = stocklens().arg("analyze").output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "no files is a usage error");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
}

#[test]
fn mostly_unreadable_rows_are_refused_with_the_first_reason() {
    let content = "\
2025-07-01T10:00:00+00:00,1001,\"Sunset\",subscription,$0.99,photos,a.jpg,Jane,XXL
2025-07-02T10:00:00+00:00,1002,\"Forest\",subscription,n/a,photos,b.jpg,Jane,XXL
2025-07-03T10:00:00+00:00,1003,\"Lake\",subscription,oops,photos,c.jpg,Jane,XXL
";
    let (_dir, path) = scratch_file("activity.csv", content.as_bytes());
    analyze(&[
        path.to_str().expect("utf-8 path"),
        "--marketplace",
        "adobe-stock",
    ])
    .assert_fails(3, "could not be read");
}

#[test]
fn a_report_that_cannot_be_written_is_reported() {
    let output = stocklens()
        .current_dir(super::helpers::repo())
        .args(["analyze", EXAMPLE, "-o", "/proc/no-such-dir/report.html"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot write the report"),
        "{stderr}"
    );
}

/// A database the command cannot use is one line naming the server and the cause, never the
/// URL's password and never the same cause twice.
#[test]
fn an_unusable_database_is_one_line_with_its_cause_and_no_password() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let jobs_on = |url: &str| {
        let mut command = stocklens();
        command
            .env("DATABASE_URL", url)
            .env_remove("REDIS_URL")
            .args(["jobs", "list"]);
        Run::of(command, tempfile::tempdir().expect("scratch"))
    };

    // Nothing listens: the pool's "timed out" becomes the server and what refused it.
    let refused = jobs_on(&format!(
        "postgres://postgres:hunter2sesame@127.0.0.1:{port}/x"
    ));
    refused.assert_fails(1, &format!("cannot reach Postgres at 127.0.0.1:{port}"));
    assert!(refused.stderr.contains("refused"), "{}", refused.stderr);
    assert!(
        !refused.stderr.contains("hunter2sesame"),
        "{}",
        refused.stderr
    );

    // A database that does not exist is said once.
    let missing = jobs_on("postgres://postgres:hunter2sesame@127.0.0.1:5432/no_such_stocklens_db");
    missing.assert_fails(1, "\"no_such_stocklens_db\" does not exist");
    assert_eq!(
        missing.stderr.matches("does not exist").count(),
        1,
        "{}",
        missing.stderr
    );
    assert!(
        !missing.stderr.contains("hunter2sesame"),
        "{}",
        missing.stderr
    );
}
