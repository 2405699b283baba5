//! The load generator's short runs (the long ones are benchmarks, see docs/performance.md): a
//! few dozen contributors against a real `stocklens serve` for a few seconds, every upload with
//! exactly one report and every interaction answered; and its refusals of bad arguments.

use std::process::Command;

fn load() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stocklens-load"))
}

#[test]
fn a_short_run_loses_nothing_and_reports_what_it_measured() {
    let dir = tempfile::tempdir().expect("scratch");
    let json = dir.path().join("load.json");
    let out = load()
        .args([
            "--users",
            "40",
            "--duration",
            "6",
            "--upload-share",
            "0.2",
            "--json",
        ])
        .arg(&json)
        .output()
        .expect("run stocklens-load");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("| upload to report |"), "{stdout}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("the JSON")).expect("JSON");
    assert_eq!(report["users"], 40);
    assert_eq!(report["uploads"], 8, "{report}");
    assert_eq!(report["reports"], 8, "{report}");
    assert_eq!(report["lost_reports"], 0);
    for kind in ["start", "button", "upload_question"] {
        let latencies = &report["interactions"][kind];
        assert!(latencies["count"].as_u64() > Some(0), "{kind}: {report}");
        assert_eq!(latencies["errors"], 0, "{kind}");
        assert_eq!(latencies["timeouts"], 0, "{kind}");
        assert!(latencies["p50_ms"].as_f64() <= latencies["max_ms"].as_f64());
    }
    assert_eq!(report["upload_to_report"]["count"], 8);
    assert!(
        report["service"]["peak_rss_mb"].as_f64() > Some(1.0),
        "{report}"
    );
    assert!(
        report["service"]["cpu_seconds"].as_f64() > Some(0.0),
        "{report}"
    );
}

#[test]
fn bad_arguments_exit_2_with_the_usage() {
    for args in [
        &["--users", "0", "--duration", "5"][..],
        &["--users", "10"],
        &["--users", "10", "--duration", "5", "--upload-share", "1.5"],
        &["--users", "ten", "--duration", "5"],
        &["--frobnicate"],
    ] {
        let out = load().args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("usage: stocklens-load"), "{stderr}");
    }
}
