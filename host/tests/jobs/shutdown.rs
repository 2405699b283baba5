//! SIGTERM: a worker stops claiming, waits out the grace period for a running job, releases it
//! without spending its attempt, and exits 0; another worker then finishes it.

use std::time::Duration;

use stocklens::jobs::failpoint;
use stocklens::store::{AnalysisStatus, JobState};

use crate::helpers::{Env, small_export, wait_for_file, wait_until};

const LIMIT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_releases_a_job_that_outlives_the_grace_period() {
    let env = Env::sqlite();
    env.migrate();
    let id = env.submit(3001, &small_export());
    let marker = env.dir.path().join("stuck");
    let marker_text = marker.to_string_lossy().into_owned();
    let mut stuck = env.worker(
        "stuck",
        &["--grace-secs", "1", "--lease-secs", "60"],
        &[
            ("STOCKLENS_FAILPOINT", failpoint::AFTER_REPORT_SAVED),
            ("STOCKLENS_FAILPOINT_MARKER", &marker_text),
        ],
    );
    wait_for_file(&marker, LIMIT).await;
    assert!(stuck.terminate(LIMIT), "exits 0 after SIGTERM");
    assert!(
        stuck.log_text().contains("released unfinished job"),
        "{}",
        stuck.log_text()
    );

    let store = env.store().await;
    let job = store.list_jobs(None, 1).await.expect("jobs").remove(0);
    assert_eq!(
        job.state,
        JobState::Queued,
        "released, not left to a 60 s lease"
    );
    assert_eq!(job.attempts, 0, "a released attempt is not counted");

    let mut next = env.worker("next", &[], &[]);
    wait_until("the next worker to deliver", LIMIT, || async {
        matches!(store.analysis(id).await, Ok(a) if a.status == AnalysisStatus::Done)
    })
    .await;
    assert!(next.terminate(LIMIT));
    assert_eq!(env.outbox_reports(), vec![id]);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_worker_stops_cleanly_on_sigterm() {
    let env = Env::sqlite();
    env.migrate();
    let mut worker = env.worker("idle", &[], &[]);
    let log = worker.log.clone();
    wait_until("the worker to start", LIMIT, || async {
        std::fs::read_to_string(&log).is_ok_and(|t| t.contains("worker started"))
    })
    .await;
    assert!(worker.terminate(LIMIT));
    assert!(worker.log_text().contains("worker stopped"));
}
