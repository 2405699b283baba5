//! A worker killed with SIGKILL while parsing, after saving the report, and after delivering it:
//! in every case a second worker finishes the job and the contributor gets exactly one report,
//! with the quota consumed once. A worker killed before telling a contributor their analysis
//! failed leaves the notice to another worker.

use std::time::Duration;

use stocklens::jobs::failpoint;
use stocklens::store::{AnalysisStatus, JobState, QuotaState};

use crate::helpers::{Env, small_export, wait_for_file, wait_until};

/// Hang guard for one crash scenario: process starts, a lease expiry and a job.
const LIMIT: Duration = Duration::from_secs(120);

/// Kills a worker at `point`, lets another finish, and checks there is one report. Returns how
/// many times the outbox was handed the report.
async fn killed_at(point: &str) -> usize {
    let env = Env::sqlite();
    env.migrate();
    let id = env.submit(1001, &small_export());
    let marker = env.dir.path().join("failpoint.reached");
    let marker_text = marker.to_string_lossy().into_owned();
    let mut first = env.worker(
        "first",
        &[],
        &[
            ("STOCKLENS_FAILPOINT", point),
            ("STOCKLENS_FAILPOINT_MARKER", &marker_text),
        ],
    );
    wait_for_file(&marker, LIMIT).await;
    first.kill();

    let store = env.store().await;
    let mut second = env.worker("second", &[], &[]);
    wait_until("the second worker to deliver", LIMIT, || async {
        matches!(store.analysis(id).await, Ok(a) if a.status == AnalysisStatus::Done)
    })
    .await;
    let jobs = store.list_jobs(None, 10).await.expect("jobs");
    let job_id = jobs[0].id;
    wait_until("the job to be done", LIMIT, || async {
        matches!(store.job(job_id).await, Ok(j) if j.state == JobState::Done)
    })
    .await;
    assert!(second.terminate(LIMIT), "second worker stops cleanly");

    assert_eq!(env.outbox_reports(), vec![id], "exactly one report file");
    let report = store.report_of_analysis(id).await.expect("report");
    let html = std::fs::read_to_string(env.outbox().join(format!("{id}.html"))).expect("html");
    assert_eq!(html, report.html, "the delivered file is the stored report");
    assert!(report.delivered_at.is_some());
    assert_eq!(
        store.quota_entry(id).await.expect("quota").state,
        QuotaState::Consumed
    );
    let analysis = store.analysis(id).await.expect("analysis");
    let usage = store.quota_usage(analysis.user_id).await.expect("usage");
    assert_eq!(
        (usage.consumed, usage.reserved),
        (1, 0),
        "quota consumed once"
    );
    assert_eq!(jobs.len(), 1);
    let calls = env.delivery_calls();
    store.close().await;
    calls.get(&id).copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_arrives_once_after_worker_is_killed_while_parsing() {
    assert_eq!(killed_at(failpoint::PARSING).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_arrives_once_after_worker_is_killed_between_saving_and_delivering() {
    assert_eq!(killed_at(failpoint::AFTER_REPORT_SAVED).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_arrives_once_after_worker_is_killed_between_delivering_and_marking() {
    // Handed over twice (the second worker cannot know the first one did), one file: the
    // outbox's idempotence is what the contributor sees.
    assert_eq!(killed_at(failpoint::AFTER_DELIVERY).await, 2);
}

/// A worker killed after failing an analysis for good and before telling its contributor: the
/// analysis stays failed with its quota released, and another worker's sweep sends the notice
/// once the first worker's hold on it (one lease) has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failure_notice_is_sent_after_worker_is_killed_before_telling() {
    let env = Env::sqlite();
    env.migrate();
    let junk = env.unreadable_file();
    let id = env.submit(1004, &junk);
    let marker = env.dir.path().join("failpoint.reached");
    let marker_text = marker.to_string_lossy().into_owned();
    let mut first = env.worker(
        "first",
        &[],
        &[
            ("STOCKLENS_FAILPOINT", failpoint::BEFORE_FAILURE_NOTICE),
            ("STOCKLENS_FAILPOINT_MARKER", &marker_text),
        ],
    );
    wait_for_file(&marker, LIMIT).await;
    first.kill();

    let store = env.store().await;
    let notice = env.outbox().join(format!("{id}.failed.json"));
    let analysis = store.analysis(id).await.expect("analysis");
    assert_eq!(analysis.status, AnalysisStatus::Failed);
    assert_eq!(
        store.quota_entry(id).await.expect("quota").state,
        QuotaState::Released,
        "the quota is released when the analysis fails, told or not"
    );
    assert!(!notice.exists(), "the killed worker told nobody");
    assert_eq!(store.notices_owed().await.expect("owed"), 1);

    let mut second = env.worker("second", &[], &[]);
    wait_until("the notice to be sent and recorded", LIMIT, || async {
        notice.exists() && matches!(store.notices_owed().await, Ok(0))
    })
    .await;
    let jobs = store.list_jobs(None, 10).await.expect("jobs");
    wait_until("the job to fail", LIMIT, || async {
        matches!(store.job(jobs[0].id).await, Ok(j) if j.state == JobState::Failed)
    })
    .await;
    assert!(second.terminate(LIMIT), "second worker stops cleanly");
    let sent: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&notice).expect("notice")).expect("JSON");
    assert_eq!(sent["analysis_id"], id);
    assert_eq!(sent["kind"], "unknown_format");
    assert_eq!(sent["reference"], format!("A{id}"));
    assert!(
        env.outbox_reports().is_empty(),
        "no report for a failed analysis"
    );
    store.close().await;
}
