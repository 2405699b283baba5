//! Permanent failures fail once, transient ones are retried until the job is dead, and the
//! operator can list dead jobs and bring one back.

use std::time::Duration;

use stocklens::jobs::failpoint;
use stocklens::store::{AnalysisStatus, JobState, QuotaState};

use crate::helpers::{Env, small_export, wait_until};

const LIMIT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_no_parser_reads_fails_once_without_retry_and_releases_quota() {
    let env = Env::sqlite();
    env.migrate();
    let junk = env.unreadable_file();
    let id = env.submit(2001, &junk);
    let store = env.store().await;
    let mut worker = env.worker("worker", &[], &[]);
    wait_until("the analysis to fail", LIMIT, || async {
        matches!(store.analysis(id).await, Ok(a) if a.status == AnalysisStatus::Failed)
    })
    .await;
    let job = store.list_jobs(None, 1).await.expect("jobs").remove(0);
    wait_until("the job to fail", LIMIT, || async {
        matches!(store.job(job.id).await, Ok(j) if j.state == JobState::Failed)
    })
    .await;
    assert!(worker.terminate(LIMIT));
    let job = store.job(job.id).await.expect("job");
    assert_eq!(job.attempts, 1, "a permanent failure is not retried");
    let analysis = store.analysis(id).await.expect("analysis");
    assert_eq!(analysis.error_kind.as_deref(), Some("unknown_format"));
    assert_eq!(
        store.quota_entry(id).await.expect("quota").state,
        QuotaState::Released
    );
    assert!(env.outbox_reports().is_empty());
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_job_is_listed_and_retry_revives_it() {
    let env = Env::sqlite();
    env.migrate();
    let id = env.submit(2002, &small_export());
    let store = env.store().await;
    let mut failing = env.worker(
        "failing",
        &["--backoff-base-ms", "20"],
        &[("STOCKLENS_FAILPOINT", failpoint::FAIL_DELIVERY)],
    );
    let job = store.list_jobs(None, 1).await.expect("jobs").remove(0);
    wait_until("the job to die", LIMIT, || async {
        matches!(store.job(job.id).await, Ok(j) if j.state == JobState::Dead)
    })
    .await;
    assert!(failing.terminate(LIMIT));
    let dead = store.job(job.id).await.expect("job");
    assert_eq!(dead.attempts, dead.max_attempts, "every attempt was used");
    let analysis = store.analysis(id).await.expect("analysis");
    assert_eq!(analysis.status, AnalysisStatus::Failed);
    assert_eq!(analysis.error_kind.as_deref(), Some("gave_up"));
    assert_eq!(
        store.quota_entry(id).await.expect("quota").state,
        QuotaState::Released
    );

    let listed = env.ok(&["jobs", "list", "--state", "dead"]);
    assert!(
        listed
            .lines()
            .any(|l| l.split_whitespace().next() == Some(&job.id.to_string())),
        "dead job listed:\n{listed}"
    );
    let retried = env.ok(&["jobs", "retry", &job.id.to_string()]);
    assert!(retried.contains("queued again"), "{retried}");
    let again = env.run(&["jobs", "retry", &job.id.to_string()]);
    assert_eq!(
        again.status.code(),
        Some(3),
        "a queued job cannot be retried"
    );

    let mut healthy = env.worker("healthy", &[], &[]);
    wait_until("the revived job to deliver", LIMIT, || async {
        matches!(store.analysis(id).await, Ok(a) if a.status == AnalysisStatus::Done)
    })
    .await;
    wait_until("the revived job to be done", LIMIT, || async {
        matches!(store.job(job.id).await, Ok(j) if j.state == JobState::Done)
    })
    .await;
    assert!(healthy.terminate(LIMIT));
    assert_eq!(env.outbox_reports(), vec![id]);
    assert_eq!(
        store.quota_entry(id).await.expect("quota").state,
        QuotaState::Consumed
    );
    store.close().await;
}

/// A failure notice the sink cannot take stays owed, and the worker's sweep sends it once the
/// sink works again: here the outbox cannot write the notice (a directory is in its place)
/// until the directory is removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_notice_the_sink_refused_is_sent_again_later() {
    let env = Env::sqlite();
    env.migrate();
    let junk = env.unreadable_file();
    let id = env.submit(2003, &junk);
    let notice = env.outbox().join(format!("{id}.failed.json"));
    std::fs::create_dir_all(notice.join("in-the-way")).expect("block the notice's path");
    let store = env.store().await;
    let mut worker = env.worker("worker", &[], &[]);
    let job = store.list_jobs(None, 1).await.expect("jobs").remove(0);
    wait_until("the job to fail", LIMIT, || async {
        matches!(store.job(job.id).await, Ok(j) if j.state == JobState::Failed)
    })
    .await;
    assert_eq!(
        store.notices_owed().await.expect("owed"),
        1,
        "the refused notice is still owed"
    );
    assert!(notice.is_dir());
    // A sweep or two while the sink still refuses: the notice stays owed.
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(store.notices_owed().await.expect("owed"), 1);

    std::fs::remove_dir_all(&notice).expect("unblock");
    wait_until("the notice to be sent and recorded", LIMIT, || async {
        notice.is_file() && matches!(store.notices_owed().await, Ok(0))
    })
    .await;
    assert!(worker.terminate(LIMIT));
    let sent: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&notice).expect("notice")).expect("JSON");
    assert_eq!(sent["analysis_id"], id);
    assert_eq!(sent["kind"], "unknown_format");
    let logs = worker.log_text();
    assert!(
        logs.contains("cannot tell the contributor the analysis failed; will try again"),
        "{logs}"
    );
    store.close().await;
}
