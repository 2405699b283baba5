//! The jobs table: claims are exclusive and leased, failures back off, the last one is dead.

use std::collections::HashSet;
use std::time::Duration;

use stocklens::store::{Backoff, JobState, ManualClock, NewJob, Retry, Store, StoreError};

const LEASE: Duration = Duration::from_secs(30);

pub async fn claimed_job_is_leased_and_counted(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let job = store
        .enqueue_job(&NewJob::new("analysis", "{}"))
        .await
        .expect("enqueue");
    assert_eq!((job.state, job.attempts), (JobState::Queued, 0));

    let claimed = store
        .claim_job("worker-a", LEASE)
        .await
        .expect("claim")
        .expect("a job");
    assert_eq!(claimed.id, job.id);
    assert_eq!((claimed.state, claimed.attempts), (JobState::Running, 1));
    assert_eq!(claimed.lease_owner.as_deref(), Some("worker-a"));
    assert_eq!(claimed.lease_until, Some(clock.now_ms() + 30_000));
    assert_eq!(
        store.claim_job("worker-b", LEASE).await.expect("claim"),
        None
    );

    store
        .complete_job(job.id, "worker-a")
        .await
        .expect("complete");
    let done = store.job(job.id).await.expect("read");
    assert_eq!((done.state, done.lease_owner), (JobState::Done, None));
    assert!(matches!(
        store.complete_job(job.id, "worker-a").await,
        Err(StoreError::LeaseLost { .. })
    ));
    assert_eq!(
        store.count_jobs().await.expect("count"),
        vec![(JobState::Done, 1)]
    );
}

pub async fn concurrent_claimers_never_get_the_same_job(store: Store) {
    const JOBS: usize = 200;
    for i in 0..JOBS {
        store
            .enqueue_job(&NewJob::new("analysis", i.to_string()))
            .await
            .expect("enqueue");
    }
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let owner = format!("worker-{w}");
                let mut claimed = Vec::new();
                while let Some(job) = store.claim_job(&owner, LEASE).await.expect("claim") {
                    store.complete_job(job.id, &owner).await.expect("complete");
                    claimed.push(job.id);
                }
                claimed
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut busy_workers = 0;
    for worker in workers {
        let claimed = worker.await.expect("worker");
        busy_workers += usize::from(!claimed.is_empty());
        all.extend(claimed);
    }
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), JOBS, "every job claimed exactly once");
    assert_eq!(unique.len(), JOBS);
    assert!(busy_workers > 1, "claims were spread over workers");
    assert_eq!(
        store.count_jobs().await.expect("count"),
        vec![(JobState::Done, JOBS as i64)]
    );
}

pub async fn expired_lease_is_reclaimed_by_another_worker(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let job = store
        .enqueue_job(&NewJob::new("analysis", "{}"))
        .await
        .expect("enqueue");
    store
        .claim_job("worker-a", LEASE)
        .await
        .expect("claim")
        .expect("job");

    clock.advance(LEASE + Duration::from_secs(1));
    let reclaimed = store
        .claim_job("worker-b", LEASE)
        .await
        .expect("claim")
        .expect("reclaimed");
    assert_eq!(reclaimed.id, job.id);
    assert_eq!(reclaimed.attempts, 2);
    assert_eq!(reclaimed.lease_owner.as_deref(), Some("worker-b"));

    // The first worker wakes up: every change it tries is refused.
    for result in [
        store.heartbeat_job(job.id, "worker-a", LEASE).await,
        store.complete_job(job.id, "worker-a").await,
        store.release_job(job.id, "worker-a").await,
    ] {
        assert!(matches!(result, Err(StoreError::LeaseLost { job_id }) if job_id == job.id));
    }
    assert!(matches!(
        store
            .fail_job(job.id, "worker-a", "late", Retry::Never)
            .await,
        Err(StoreError::LeaseLost { .. })
    ));
    store
        .complete_job(job.id, "worker-b")
        .await
        .expect("complete");
}

pub async fn heartbeat_keeps_the_lease(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let job = store
        .enqueue_job(&NewJob::new("analysis", "{}"))
        .await
        .expect("enqueue");
    store
        .claim_job("worker-a", LEASE)
        .await
        .expect("claim")
        .expect("job");
    for _ in 0..3 {
        clock.advance(Duration::from_secs(20));
        store
            .heartbeat_job(job.id, "worker-a", LEASE)
            .await
            .expect("heartbeat");
        assert_eq!(
            store.claim_job("worker-b", LEASE).await.expect("claim"),
            None
        );
    }
    assert_eq!(
        store.job(job.id).await.expect("read").lease_until,
        Some(clock.now_ms() + 30_000)
    );
}

pub async fn transient_failure_backs_off_then_dies_after_the_last_attempt(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let mut new = NewJob::new("analysis", "{}");
    new.max_attempts = 3;
    let job = store.enqueue_job(&new).await.expect("enqueue");
    let backoff = Duration::from_secs(60);

    for attempt in 1..=3 {
        let claimed = store
            .claim_job("w", LEASE)
            .await
            .expect("claim")
            .expect("due");
        assert_eq!(claimed.attempts, attempt);
        let state = store
            .fail_job(
                job.id,
                "w",
                &format!("database gone {attempt}"),
                Retry::After(backoff),
            )
            .await
            .expect("fail");
        let stored = store.job(job.id).await.expect("read");
        assert_eq!(
            stored.last_error.as_deref(),
            Some(format!("database gone {attempt}").as_str())
        );
        if attempt < 3 {
            assert_eq!(state, JobState::Queued);
            assert_eq!(
                stored.run_at,
                clock.now_ms() + 60_000,
                "run_at moved into the future"
            );
            assert_eq!(
                store.claim_job("w", LEASE).await.expect("claim"),
                None,
                "not before run_at"
            );
            clock.advance(backoff);
        } else {
            assert_eq!(state, JobState::Dead);
        }
    }
    clock.advance(backoff * 10);
    assert_eq!(
        store.claim_job("w", LEASE).await.expect("claim"),
        None,
        "dead jobs stay dead"
    );
    let dead = store
        .list_jobs(Some(JobState::Dead), 10)
        .await
        .expect("list");
    assert_eq!(dead.iter().map(|j| j.id).collect::<Vec<_>>(), vec![job.id]);

    let retried = store.retry_job(job.id).await.expect("retry");
    assert_eq!((retried.state, retried.attempts), (JobState::Queued, 0));
    assert!(store.claim_job("w", LEASE).await.expect("claim").is_some());
    assert!(matches!(
        store.retry_job(job.id).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        store.retry_job(-1).await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn permanent_failure_is_not_retried(store: Store) {
    let job = store
        .enqueue_job(&NewJob::new("analysis", "{}"))
        .await
        .expect("enqueue");
    store
        .claim_job("w", LEASE)
        .await
        .expect("claim")
        .expect("job");
    let state = store
        .fail_job(job.id, "w", "file cannot be parsed", Retry::Never)
        .await
        .expect("fail");
    assert_eq!(state, JobState::Failed);
    assert_eq!(store.claim_job("w", LEASE).await.expect("claim"), None);
    assert_eq!(
        store
            .list_jobs(Some(JobState::Failed), 10)
            .await
            .expect("list")
            .len(),
        1
    );
    assert!(
        store
            .list_jobs(Some(JobState::Queued), 10)
            .await
            .expect("list")
            .is_empty()
    );
}

pub async fn expired_last_attempt_is_buried(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let mut new = NewJob::new("analysis", "{}");
    new.max_attempts = 1;
    let job = store.enqueue_job(&new).await.expect("enqueue");
    store
        .claim_job("w", LEASE)
        .await
        .expect("claim")
        .expect("job");
    assert!(
        store
            .expired_last_attempts()
            .await
            .expect("look")
            .is_empty(),
        "lease still valid"
    );
    assert!(!store.bury_expired_job(job.id).await.expect("bury"));

    clock.advance(LEASE * 2);
    assert_eq!(
        store.claim_job("v", LEASE).await.expect("claim"),
        None,
        "no attempt left"
    );
    let expired = store.expired_last_attempts().await.expect("look");
    assert_eq!(
        expired.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![job.id]
    );
    assert!(store.bury_expired_job(job.id).await.expect("bury"));
    assert_eq!(store.job(job.id).await.expect("job").state, JobState::Dead);
    assert!(
        !store.bury_expired_job(job.id).await.expect("bury again"),
        "buried once"
    );
    assert!(
        store
            .expired_last_attempts()
            .await
            .expect("look again")
            .is_empty()
    );
}

pub async fn released_job_returns_without_spending_an_attempt(store: Store) {
    let job = store
        .enqueue_job(&NewJob::new("analysis", "{}"))
        .await
        .expect("enqueue");
    store
        .claim_job("w", LEASE)
        .await
        .expect("claim")
        .expect("job");
    store.release_job(job.id, "w").await.expect("release");
    let released = store.job(job.id).await.expect("read");
    assert_eq!(
        (released.state, released.attempts, released.lease_owner),
        (JobState::Queued, 0, None)
    );
    let again = store
        .claim_job("v", LEASE)
        .await
        .expect("claim")
        .expect("claimable");
    assert_eq!(again.attempts, 1);
}

#[test]
fn backoff_doubles_up_to_its_cap_with_jitter_in_the_upper_half() {
    let backoff = Backoff {
        base: Duration::from_secs(2),
        max: Duration::from_secs(60),
    };
    for (attempt, full) in [(1, 2), (2, 4), (3, 8), (5, 32), (6, 60), (40, 60)] {
        for _ in 0..50 {
            let delay = backoff.delay(attempt);
            let full = Duration::from_secs(full);
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempt}: {delay:?}"
            );
        }
    }
}
