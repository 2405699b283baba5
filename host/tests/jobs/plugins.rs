//! Plugins change while the service runs: an analyzer swapped ten times under load across two
//! worker processes fails no job and every report names the version active when its job
//! started; a version that traps is rolled back automatically and its jobs retried on the one
//! before; bad components are refused with specific messages while the active version stays; a
//! `.wasm` dropped into the watched directory is installed and activated.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use stocklens::plugin::builtin::BUILD_ARTIFACT_DIR;
use stocklens::store::{AnalysisStatus, ChangeAction, ChoiceState, JobState, Store};

use crate::helpers::{Env, Redis, small_export, wait_until};

/// Hang guard for a case's waits.
const LIMIT: Duration = Duration::from_secs(240);

pub fn fixture(file: &str) -> PathBuf {
    let path = Path::new(BUILD_ARTIFACT_DIR).join(file);
    assert!(path.exists(), "test plugin {} was built", path.display());
    path
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The version of `id` each analysis's report was made with, and the registry generation its job
/// ran with, by analysis id.
async fn report_versions(
    store: &Store,
    analyses: &[i64],
    id: &str,
) -> HashMap<i64, (String, Option<i64>)> {
    let mut versions = HashMap::new();
    for &analysis in analyses {
        let report = store
            .report_of_analysis(analysis)
            .await
            .expect("every analysis has its report");
        let used: serde_json::Value =
            serde_json::from_str(&report.plugin_versions).expect("versions are JSON");
        if let Some(version) = used[id].as_str() {
            versions.insert(analysis, (version.to_owned(), report.plugin_generation));
        }
    }
    versions
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyzer_swapped_ten_times_under_load_fails_no_job() {
    let redis = Redis::start().await;
    let mut env = Env::postgres().await;
    env.redis_url = Some(redis.url.clone());
    env.migrate();
    env.ok(&["plan", "set", "LOAD", "--analyses", "100000"]);
    env.ok(&["user", "set-plan", "8001", "LOAD", "--until", "2999-12-31"]);
    let v1 = text(&fixture("test_probe_1.wasm"));
    let v2 = text(&fixture("test_probe_2.wasm"));
    let out = env.ok(&["plugin", "install", &v1, "--activate"]);
    assert!(out.contains("installed test-probe@1.0.0"), "{out}");
    let out = env.ok(&["plugin", "install", &v2]);
    assert!(out.contains("installed test-probe@2.0.0"), "{out}");

    let mut first = env.worker("swap-1", &["--concurrency", "2"], &[]);
    let mut second = env.worker("swap-2", &["--concurrency", "2"], &[]);

    // Jobs flow in from another thread the whole time.
    let env = Arc::new(env);
    let submitting = Arc::new(AtomicBool::new(true));
    let submitter = {
        let env = Arc::clone(&env);
        let submitting = Arc::clone(&submitting);
        std::thread::spawn(move || {
            let mut ids = Vec::new();
            while submitting.load(Ordering::Relaxed) {
                ids.push(env.submit(8001, &small_export()));
                std::thread::sleep(Duration::from_millis(100));
            }
            ids
        })
    };
    let mut redis = redis;
    let mut redis_killed_at = None;
    for swap in 0..10 {
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        if swap == 5 {
            // The last five swaps reach the workers by polling the database alone.
            redis.kill();
            redis_killed_at = Some(jiff::Timestamp::now().as_millisecond());
        }
        let target = if swap % 2 == 0 { "2.0.0" } else { "1.0.0" };
        let env = Arc::clone(&env);
        let out = tokio::task::spawn_blocking(move || {
            env.ok(&["plugin", "activate", &format!("test-probe@{target}")])
        })
        .await
        .expect("activate");
        assert!(
            out.contains(&format!("test-probe@{target} runs now")),
            "{out}"
        );
    }
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    submitting.store(false, Ordering::Relaxed);
    let analyses = tokio::task::spawn_blocking(move || submitter.join().expect("submitter"))
        .await
        .expect("join");
    assert!(
        analyses.len() >= 30,
        "jobs kept flowing: {}",
        analyses.len()
    );

    let store = env.store().await;
    wait_until("every analysis to finish", LIMIT, || async {
        let mut finished = true;
        for &id in &analyses {
            let status = store.analysis(id).await.expect("analysis").status;
            if matches!(status, AnalysisStatus::Queued | AnalysisStatus::Running) {
                finished = false;
                break;
            }
        }
        finished
    })
    .await;
    for &id in &analyses {
        let analysis = store.analysis(id).await.expect("analysis");
        assert_eq!(
            analysis.status,
            AnalysisStatus::Done,
            "analysis {id} failed: {:?} {:?}",
            analysis.error_kind,
            analysis.error_detail
        );
    }
    let versions = report_versions(&store, &analyses, "test-probe").await;
    assert_eq!(
        versions.len(),
        analyses.len(),
        "test-probe made every report"
    );
    // The activation history, oldest first: (generation, when, version).
    let mut history: Vec<(i64, i64, String)> = store
        .plugin_changes("test-probe")
        .await
        .expect("history")
        .into_iter()
        .map(|c| {
            (
                c.seq,
                c.changed_at,
                c.version.expect("an installed version"),
            )
        })
        .collect();
    history.reverse();
    assert_eq!(history.len(), 11, "one install-activation and ten swaps");
    let active_in = |generation: i64| {
        history
            .iter()
            .rev()
            .find(|(seq, _, _)| *seq <= generation)
            .map(|(_, _, v)| v.clone())
    };
    // Each report names the version active in the registry its job started with.
    let mut generations = std::collections::BTreeSet::new();
    for &id in &analyses {
        let (used, generation) = &versions[&id];
        let generation = generation.expect("the report records its registry generation");
        generations.insert(generation);
        assert_eq!(
            active_in(generation).as_deref(),
            Some(used.as_str()),
            "analysis {id} ran with {used} under generation {generation}"
        );
    }
    // The swaps reached the workers, with Redis and after it was killed: jobs ran under
    // generations from both halves, with both versions.
    let killed_at = redis_killed_at.expect("Redis was killed");
    let after_kill: Vec<&(i64, i64, String)> = history
        .iter()
        .filter(|(_, at, _)| *at > killed_at)
        .collect();
    assert_eq!(after_kill.len(), 5);
    let late = generations
        .iter()
        .filter(|g| after_kill.iter().any(|(seq, _, _)| seq == *g))
        .count();
    assert!(
        late >= 3,
        "jobs ran under at least 3 of the 5 generations activated without Redis: {generations:?}"
    );
    let used: std::collections::BTreeSet<&str> =
        versions.values().map(|(v, _)| v.as_str()).collect();
    assert_eq!(used.len(), 2, "both versions made reports");
    for worker in [&mut first, &mut second] {
        let log = worker.log_text();
        assert!(log.contains("plugins swapped"), "{log}");
        assert!(worker.terminate(LIMIT), "stops cleanly");
    }
    let env = Arc::into_inner(env).expect("the only owner");
    env.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_that_traps_is_rolled_back_and_its_jobs_retried() {
    let env = Env::sqlite();
    env.migrate();
    env.ok(&["plan", "set", "BIG", "--analyses", "100"]);
    env.ok(&["user", "set-plan", "8002", "BIG", "--until", "2999-12-31"]);
    env.ok(&[
        "plugin",
        "install",
        &text(&fixture("test_probe_1.wasm")),
        "--activate",
    ]);
    let out = env.ok(&[
        "plugin",
        "install",
        &text(&fixture("test_probe_trap.wasm")),
        "--activate",
    ]);
    assert!(
        out.contains("test-probe@3.0.0") && out.contains("runs now"),
        "{out}"
    );

    let address = crate::web::free_address();
    let listen = address.to_string();
    let mut worker = env.worker(
        "trap",
        &[
            "--roles",
            "worker,web",
            "--web-listen",
            &listen,
            "--backoff-base-ms",
            "200",
        ],
        &[],
    );
    let analyses: Vec<i64> = (0..4).map(|_| env.submit(8002, &small_export())).collect();
    let store = env.store().await;
    wait_until("every analysis to be done", LIMIT, || async {
        let mut done = true;
        for &id in &analyses {
            if store.analysis(id).await.expect("analysis").status != AnalysisStatus::Done {
                done = false;
            }
        }
        done
    })
    .await;

    let versions = report_versions(&store, &analyses, "test-probe").await;
    assert!(
        versions.values().all(|(v, _)| v == "1.0.0"),
        "every report was made on the version before: {versions:?}"
    );
    let retried = store
        .list_jobs(Some(JobState::Done), 100)
        .await
        .expect("jobs")
        .into_iter()
        .filter(|j| j.attempts > 1)
        .count();
    assert!(retried >= 1, "the jobs 3.0.0 failed were retried");
    let history = store.plugin_changes("test-probe").await.expect("history");
    let newest = &history[0];
    assert_eq!(newest.action, ChangeAction::AutoRollback);
    assert_eq!(
        (newest.state, newest.version.as_deref()),
        (ChoiceState::Active, Some("1.0.0"))
    );
    // Jobs already running on 3.0.0 when it was rolled back may fail too, and count.
    let record = store.plugin("test-probe", "3.0.0").await.expect("record");
    assert!(
        record.jobs >= 3 && record.failures == record.jobs,
        "{record:?}"
    );
    let reason = newest.reason.as_deref().unwrap_or_default();
    assert!(
        reason.starts_with("failed ") && reason.contains(" jobs (threshold 50 %)"),
        "{reason}"
    );

    let log = worker.log_text();
    assert!(
        log.contains("plugin version rolled back automatically"),
        "{log}"
    );
    let (status, _, metrics) = crate::web::get(address, "/metrics").expect("metrics");
    assert_eq!(status, 200);
    for expected in [
        r#"stocklens_plugin_auto_rollbacks_total{plugin="test-probe",version="3.0.0"} 1"#,
        r#"stocklens_plugin_call_failures_total{plugin="test-probe",version="3.0.0",kind="trap"}"#,
        r#"stocklens_plugin_call_seconds_count{plugin="test-probe",version="1.0.0"}"#,
        r#"stocklens_plugin_swaps_total"#,
        r#"stocklens_jobs{state="done"} 4"#,
        r#"stocklens_job_seconds_count{outcome="done"}"#,
    ] {
        assert!(metrics.contains(expected), "{expected} in:\n{metrics}");
    }
    assert!(worker.terminate(LIMIT), "stops cleanly");
}

/// `test_probe_2.wasm` as if built against a future `stocklens:plugin@9.9.9`: every interface
/// name rewritten in place (same length, so the binary stays valid).
fn future_interface(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut replaced = 0;
    for name in ["analyzer", "types"] {
        let from = format!("stocklens:plugin/{name}@1.1.0");
        let to = format!("stocklens:plugin/{name}@9.9.9");
        let mut start = 0;
        while let Some(at) = find(&out[start..], from.as_bytes()) {
            let at = start + at;
            out[at..at + to.len()].copy_from_slice(to.as_bytes());
            start = at + to.len();
            replaced += 1;
        }
    }
    assert!(replaced > 0, "the component names its interface");
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The same component with a custom section appended: other bytes, the same plugin.
fn rebuilt(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let name = b"rebuilt";
    let payload = b"another build of the same version";
    out.push(0); // custom section
    out.push((1 + name.len() + payload.len()) as u8);
    out.push(name.len() as u8);
    out.extend_from_slice(name);
    out.extend_from_slice(payload);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_plugins_are_refused_and_the_active_version_stays() {
    let env = Env::sqlite();
    env.migrate();
    let v1 = fixture("test_probe_1.wasm");
    env.ok(&["plugin", "install", &text(&v1), "--activate"]);
    let dir = env.dir.path();
    let v1_bytes = std::fs::read(&v1).expect("fixture");

    let not_wasm = dir.join("notes.wasm");
    std::fs::write(&not_wasm, b"this is a text file, not a plugin").expect("write");
    let core = dir.join("core.wasm");
    std::fs::write(&core, b"\0asm\x01\0\0\0").expect("write");
    let future = dir.join("future.wasm");
    std::fs::write(
        &future,
        future_interface(&std::fs::read(fixture("test_probe_2.wasm")).expect("fixture")),
    )
    .expect("write");
    let other_bytes = dir.join("rebuilt.wasm");
    std::fs::write(&other_bytes, rebuilt(&v1_bytes)).expect("write");
    let bad_samples = fixture("test_bad_samples.wasm");

    let cases: [(&Path, &[&str], i32, &str); 6] = [
        (
            &not_wasm,
            &[],
            4,
            "does not start with the WebAssembly magic bytes",
        ),
        (
            &core,
            &[],
            4,
            "it is a core WebAssembly module; build the plugin for the wasm32-wasip2 target",
        ),
        (
            &future,
            &[],
            4,
            "it speaks stocklens:plugin@9.9.9; this host runs 1.1.0, 1.0.0",
        ),
        (
            &bad_samples,
            &[],
            4,
            r#"test-bad-samples@1.0.0: its sample "three-lines.csv" parses to 3 rows, but it expects 5"#,
        ),
        (
            &other_bytes,
            &[],
            3,
            "test-probe@1.0.0 is already installed with different bytes",
        ),
        (
            &fixture("test_probe_2.wasm"),
            &["--id", "overview"],
            4,
            r#"test-probe@2.0.0 says its id is "test-probe", but it is being installed as "overview""#,
        ),
    ];
    for (file, extra, code, message) in cases {
        let mut args = vec!["plugin", "install"];
        let file = text(file);
        args.push(&file);
        args.push("--activate");
        args.extend_from_slice(extra);
        let out = env.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{file}: {stderr}");
        assert!(
            stderr.contains(message),
            "{file}: wanted {message:?} in {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    }

    // Nothing changed: 1.0.0 runs, and only it is installed.
    let listed = env.ok(&["plugin", "list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&listed).expect("JSON");
    let probe = listed
        .as_array()
        .expect("a list")
        .iter()
        .find(|p| p["id"] == "test-probe")
        .expect("test-probe is listed");
    assert_eq!(probe["version"], "1.0.0");
    assert_eq!(probe["installed"].as_array().map(Vec::len), Some(1));
    let history = env.ok(&["plugin", "history", "test-probe"]);
    assert_eq!(history.trim().lines().count(), 1, "{history}");

    // Installing the same bytes again is no change; rollback of the only change returns to
    // the built-in (test-probe has none, so it stops running), and activating an unknown
    // version names what there is.
    let again = env.ok(&["plugin", "install", &text(&v1)]);
    assert!(
        again.contains("already installed with these bytes"),
        "{again}"
    );
    let out = env.run(&["plugin", "activate", "overview@0.0.1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("overview@0.0.1 is not installed (the built-in version is"),
        "{stderr}"
    );
    let out = env.run(&["plugin", "rollback", "overview"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("overview: nothing to roll back to"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_dropped_into_the_watched_directory_is_installed_and_activated() {
    let env = Env::sqlite();
    env.migrate();
    let dir = env.dir.path().join("plugins");
    std::fs::create_dir(&dir).expect("plugin dir");
    let watched = text(&dir);
    let mut worker = env.worker("watch", &["--plugin-dir", &watched], &[]);
    std::fs::copy(
        fixture("test_probe_2.wasm"),
        dir.join("test-probe@2.0.0.wasm"),
    )
    .expect("copy");
    std::fs::write(dir.join("junk.wasm"), b"junk").expect("junk");
    let store = env.store().await;
    wait_until("the dropped plugin to run", LIMIT, || async {
        store
            .plugin_choices()
            .await
            .expect("choices")
            .iter()
            .any(|c| c.id == "test-probe" && c.version.as_deref() == Some("2.0.0"))
    })
    .await;
    let note = dir.join("junk.wasm.refused");
    wait_until("the refusal note", LIMIT, || async { note.exists() }).await;
    let why = std::fs::read_to_string(&note).expect("note");
    assert!(why.contains("magic bytes"), "{why}");
    let history = store.plugin_changes("test-probe").await.expect("history");
    assert_eq!(history[0].changed_by.as_deref(), Some("plugin-dir"));
    assert!(worker.terminate(LIMIT), "stops cleanly");
}
