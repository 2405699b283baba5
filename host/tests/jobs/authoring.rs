//! A plugin author's path, end to end: `stocklens plugin new` scaffolds a parser, it builds for
//! wasm32-wasip2, `plugin test` passes on its samples and fails with a diff once an expected
//! total is wrong, and once installed into a running server through the admin API it reads a
//! contributor's file.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use stocklens::store::AnalysisStatus;

use crate::helpers::{Env, wait_until};

/// Hang guard: the first build of a scaffolded plugin compiles the SDK for wasm.
const LIMIT: Duration = Duration::from_secs(600);

const TOKEN: &str = "authoring-test-admin-token";

/// Environment of this test's own build that must not reach the plugin's build.
const LEAKY_ENV: &[&str] = &[
    "CARGO_ENCODED_RUSTFLAGS",
    "RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET",
    "CARGO_MAKEFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    "CARGO_INCREMENTAL",
    "RUSTC_WORKSPACE_WRAPPER",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scaffolded_parser_builds_tests_installs_and_reads_a_file() {
    let env = Env::sqlite();
    env.migrate();
    let crate_dir = env.dir.path().join("acme-stock");
    let out = env.ok(&[
        "plugin",
        "new",
        "--kind",
        "parser",
        "acme-stock",
        "--path",
        &crate_dir.to_string_lossy(),
    ]);
    assert!(out.contains("created the parser acme-stock"), "{out}");

    // Built like an author would, in a target directory kept between runs.
    let target_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/scaffold");
    let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    build
        .current_dir(&crate_dir)
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-wasip2",
            "--target-dir",
        ])
        .arg(&target_dir);
    for name in LEAKY_ENV {
        build.env_remove(name);
    }
    let built = tokio::task::spawn_blocking(move || build.output())
        .await
        .expect("join")
        .expect("run cargo");
    assert!(
        built.status.success(),
        "the scaffold builds: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let wasm = target_dir.join("wasm32-wasip2/release/acme_stock.wasm");
    let wasm = wasm.to_string_lossy().into_owned();
    let samples = crate_dir.join("samples");
    let samples_arg = samples.to_string_lossy().into_owned();

    let out = env.ok(&["plugin", "test", &wasm, "--samples", &samples_arg]);
    assert!(out.contains("2 of 2 sample(s) match"), "{out}");
    let out = env.ok(&["plugin", "inspect", &wasm]);
    assert!(out.contains("installable: yes"), "{out}");

    // One expected total wrong: the test fails and says where.
    let expected = samples.join("example.csv.expected.json");
    let text = std::fs::read_to_string(&expected).expect("expected summary");
    std::fs::write(&expected, text.replace("\"42.07\"", "\"42.08\"")).expect("edit");
    let failed = env.run(&["plugin", "test", &wasm, "--samples", &samples_arg]);
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(4), "{stdout}");
    assert!(
        stdout.contains(r#"revenue.USD: expected "42.08", got "42.07""#),
        "{stdout}"
    );
    assert!(stdout.contains("1 of 2 sample(s) match"), "{stdout}");
    std::fs::write(&expected, text).expect("restore");

    // Into a running server through its admin API, then a contributor's file through it.
    let address = crate::web::free_address();
    let listen = address.to_string();
    let mut server = env.worker(
        "authoring",
        &["--roles", "worker,web", "--web-listen", &listen],
        &[("STOCKLENS_ADMIN_TOKEN", TOKEN)],
    );
    let server_url = format!("http://{address}");
    wait_until("the web role", LIMIT, || async {
        crate::web::get(address, "/healthz").is_some()
    })
    .await;
    let installed = env
        .command(&[
            "plugin",
            "install",
            &wasm,
            "--activate",
            "--server",
            &server_url,
        ])
        .env("STOCKLENS_ADMIN_TOKEN", TOKEN)
        .output()
        .expect("plugin install");
    let stdout = String::from_utf8_lossy(&installed.stdout);
    assert!(
        installed.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&installed.stderr)
    );
    assert!(stdout.contains("installed acme-stock@0.1.0"), "{stdout}");

    env.ok(&["plan", "set", "BIG", "--analyses", "10"]);
    env.ok(&["user", "set-plan", "9001", "BIG", "--until", "2999-12-31"]);
    let analysis = env.submit(9001, &samples.join("example.csv"));
    let store = env.store().await;
    wait_until("the analysis", LIMIT, || async {
        matches!(store.analysis(analysis).await, Ok(a) if a.status == AnalysisStatus::Done)
    })
    .await;
    let report = store.report_of_analysis(analysis).await.expect("report");
    let summary: serde_json::Value = serde_json::from_str(&report.summary).expect("summary");
    assert_eq!(
        summary["files"][0]["parser"], "acme-stock@0.1.0",
        "{summary}"
    );
    assert_eq!(summary["revenue"]["USD"], "42.07", "{summary}");
    assert!(
        report.html.contains("Acme Stock"),
        "the report names the marketplace"
    );
    assert!(server.terminate(LIMIT));
}
