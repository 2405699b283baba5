//! The load generator's short runs (the long ones are benchmarks, see docs/performance.md): a
//! few dozen contributors against a real `stocklens serve` for a few seconds, every upload with
//! exactly one report and every interaction answered; and its refusals of bad arguments.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn load() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stocklens-load"))
}

/// The `stocklens` binary, built beside the load generator by `cargo test --workspace`.
fn stocklens() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_stocklens-load")).with_file_name("stocklens")
}

/// Runs the load generator with `args` plus `--json`, and returns its report; fails the test
/// (with what it printed) unless it exits 0.
fn run_ok(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("scratch");
    let json = dir.path().join("load.json");
    let out = load()
        .args(args)
        .arg("--json")
        .arg(&json)
        .output()
        .expect("run stocklens-load");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{args:?}\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("| upload to report |"), "{stdout}");
    serde_json::from_str(&std::fs::read_to_string(&json).expect("the JSON")).expect("JSON")
}

/// Asserts every interaction kind was measured with nothing failed.
fn assert_all_answered(report: &serde_json::Value) {
    for kind in ["start", "button", "upload_question"] {
        let latencies = &report["interactions"][kind];
        assert!(latencies["count"].as_u64() > Some(0), "{kind}: {report}");
        assert_eq!(latencies["errors"], 0, "{kind}: {report}");
        assert_eq!(latencies["timeouts"], 0, "{kind}: {report}");
        assert!(latencies["p50_ms"].as_f64() <= latencies["max_ms"].as_f64());
    }
    assert_eq!(report["lost_reports"], 0, "{report}");
    assert_eq!(report["refused_calls"], 0, "{report}");
}

/// Child processes killed when the test ends, however it ends.
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn a_short_run_loses_nothing_and_reports_what_it_measured() {
    let report = run_ok(&["--users", "40", "--duration", "6", "--upload-share", "0.2"]);
    assert_all_answered(&report);
    assert_eq!(report["users"], 40);
    assert_eq!(report["uploads"], 8, "{report}");
    assert_eq!(report["reports"], 8, "{report}");
    assert_eq!(report["upload_to_report"]["count"], 8);
    assert_eq!(report["messages_per_sec"], 30);
    assert_eq!(report["attached"], false);
    assert!(
        report["service"]["peak_rss_mb"].as_f64() > Some(1.0),
        "{report}"
    );
    assert!(
        report["service"]["cpu_seconds"].as_f64() > Some(0.0),
        "{report}"
    );
}

/// The campaign's other shapes, short: Redis killed part-way (the service goes on without it),
/// a bigger overall message rate, and everyone arriving at once.
#[test]
fn a_run_with_redis_killed_half_way_loses_nothing() {
    let report = run_ok(&[
        "--users",
        "30",
        "--duration",
        "6",
        "--upload-share",
        "0.3",
        "--kill-redis-at",
        "3",
        "--messages-per-sec",
        "100",
        "--arrival",
        "0",
    ]);
    assert_all_answered(&report);
    assert_eq!(report["uploads"], 9, "{report}");
    assert_eq!(report["reports"], 9, "{report}");
    assert_eq!(report["messages_per_sec"], 100);
    let killed = report["redis_killed_at_s"]
        .as_f64()
        .expect("Redis was killed");
    assert!((3.0..6.0).contains(&killed), "{report}");
}

/// `--target`: the fake and the service started by hand, the load generator driving the fake
/// over its control API and measuring the service by its pid.
#[test]
fn a_run_attached_to_services_started_by_hand() {
    let data = tempfile::tempdir().expect("data dir");
    let mut processes = Processes(Vec::new());
    let mut fake = Command::new(env!("CARGO_BIN_EXE_stocklens-fake-telegram"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start stocklens-fake-telegram");
    let mut lines = BufReader::new(fake.stdout.take().expect("stdout")).lines();
    processes.0.push(fake);
    let mut setting = |name: &str| {
        let line = lines.next().expect("a line").expect("text");
        line.strip_prefix(&format!("{name}="))
            .unwrap_or_else(|| panic!("{name}=... expected, got {line:?}"))
            .to_owned()
    };
    let api_url = setting("TELEGRAM_API_URL");
    let token = setting("TELEGRAM_BOT_TOKEN");
    let web = std::net::SocketAddr::from(([127, 0, 0, 1], stocklens_tests::ports::free_port()));
    let service = Command::new(stocklens())
        .args([
            "serve",
            "--uploads-per-hour",
            "1000",
            "--flood-burst",
            "1000",
        ])
        .env("STOCKLENS_DATA_DIR", data.path())
        .env("STOCKLENS_WEB_LISTEN", web.to_string())
        .env("STOCKLENS_LOG", "warn")
        .env("TELEGRAM_API_URL", &api_url)
        .env("TELEGRAM_BOT_TOKEN", &token)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .stdout(Stdio::null())
        .spawn()
        .expect("start stocklens serve");
    let pid = service.id().to_string();
    processes.0.push(service);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = std::net::TcpStream::connect(web).is_ok_and(|mut stream| {
            let _ = write!(
                stream,
                "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            answer.starts_with("HTTP/1.1 200")
        });
        if ready {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "stocklens serve was not ready in 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let report = run_ok(&[
        "--users",
        "20",
        "--duration",
        "5",
        "--upload-share",
        "0.25",
        "--target",
        &api_url,
        "--service-pid",
        &pid,
    ]);
    assert_all_answered(&report);
    assert_eq!(report["attached"], true);
    assert_eq!(report["uploads"], 5, "{report}");
    assert_eq!(report["reports"], 5, "{report}");
    assert!(
        report["service"]["peak_rss_mb"].as_f64() > Some(1.0),
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
        &["--users", "10", "--duration", "5", "--arrival", "6"],
        &[
            "--users",
            "10",
            "--duration",
            "5",
            "--messages-per-sec",
            "0",
        ],
        &[
            "--users",
            "10",
            "--duration",
            "5",
            "--messages-per-sec",
            "5000",
        ],
        &["--users", "10", "--duration", "5", "--kill-redis-at", "5"],
        &[
            "--users",
            "10",
            "--duration",
            "5",
            "--kill-redis-at",
            "2",
            "--redis-url",
            "redis://127.0.0.1:6379",
        ],
        &[
            "--users",
            "10",
            "--duration",
            "5",
            "--target",
            "http://127.0.0.1:1",
            "--database-url",
            "postgres://x",
        ],
        &["--users", "10", "--duration", "5", "--service-pid", "1"],
        &[
            "--users",
            "10",
            "--duration",
            "5",
            "--big-upload",
            "/no/such/file.csv",
        ],
    ] {
        let out = load().args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("usage: stocklens-load"), "{stderr}");
    }
}
