//! Quota: reservations are atomic, never exceed the plan, and settle once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Barrier;

use stocklens::store::{
    AnalysisStatus, JobState, ManualClock, NewAnalysis, NewJob, QuotaState, Store, StoreError,
};

use crate::helpers::user_on_plan;

/// A request for an analysis of no uploads (the quota does not care which).
pub fn analysis_of(user_id: i64) -> NewAnalysis {
    NewAnalysis {
        user_id,
        upload_ids: Vec::new(),
        answers: r#"{"period":"all"}"#.into(),
        filters: "{}".into(),
        closes_dialogue_of: None,
    }
}

pub async fn reservations_stop_at_the_plan_limit(store: Store) {
    let user = user_on_plan(&store, 1, "ULTRA").await;
    let first = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("first");
    let second = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("second");
    assert_eq!(first.status, AnalysisStatus::Queued);
    assert_eq!(first.answers, r#"{"period":"all"}"#);
    assert_ne!(first.id, second.id);

    let err = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect_err("third exceeds ULTRA");
    assert!(matches!(err, StoreError::QuotaExceeded { ref plan, limit: 2 } if plan == "ULTRA"));
    // Nothing of the refused request was written.
    assert_eq!(
        store
            .analyses_of_user(user.id, 10)
            .await
            .expect("list")
            .len(),
        2
    );

    let usage = store.quota_usage(user.id).await.expect("usage");
    assert_eq!(
        (usage.reserved, usage.consumed, usage.remaining()),
        (2, 0, 0)
    );
    let entry = store.quota_entry(first.id).await.expect("entry");
    assert_eq!(
        (entry.state, entry.plan.as_str()),
        (QuotaState::Reserved, "ULTRA")
    );
}

pub async fn released_quota_frees_a_slot_and_consumed_quota_stays_spent(store: Store) {
    let user = user_on_plan(&store, 2, "PRO").await;
    let failed = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("first");
    assert!(matches!(
        store.request_analysis(&analysis_of(user.id)).await,
        Err(StoreError::QuotaExceeded { .. })
    ));

    let analysis = store
        .fail_analysis(failed.id, "unreadable_file", "no parser matched")
        .await
        .expect("fail");
    assert_eq!(analysis.status, AnalysisStatus::Failed);
    assert_eq!(analysis.error_kind.as_deref(), Some("unreadable_file"));
    assert_eq!(
        store.quota_entry(failed.id).await.expect("entry").state,
        QuotaState::Released
    );
    // Failing again changes nothing; releasing again reports it was already done.
    store
        .fail_analysis(failed.id, "other", "x")
        .await
        .expect("fail twice");
    assert!(!store.release_quota(failed.id).await.expect("release twice"));
    assert!(matches!(
        store.consume_quota(failed.id).await,
        Err(StoreError::Conflict { .. })
    ));

    let delivered = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("slot freed");
    assert!(store.consume_quota(delivered.id).await.expect("consume"));
    assert!(
        !store
            .consume_quota(delivered.id)
            .await
            .expect("consume twice")
    );
    assert!(matches!(
        store.release_quota(delivered.id).await,
        Err(StoreError::Conflict { .. })
    ));
    let usage = store.quota_usage(user.id).await.expect("usage");
    assert_eq!(
        (usage.reserved, usage.consumed, usage.remaining()),
        (0, 1, 0)
    );
    assert!(matches!(
        store.request_analysis(&analysis_of(user.id)).await,
        Err(StoreError::QuotaExceeded { .. })
    ));
    assert!(matches!(
        store.consume_quota(-1).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Runs `n` futures `make` makes, released all at once; their results.
async fn all_at_once<T, Fut>(n: usize, make: impl Fn() -> Fut) -> Vec<T>
where
    T: Send + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let start = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let start = Arc::clone(&start);
            let request = make();
            tokio::spawn(async move {
                start.wait().await;
                request.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}

/// How many `results` were granted and how many refused as `refused` says; any other error
/// fails the test.
fn granted_and<T>(
    results: Vec<Result<T, StoreError>>,
    refused: impl Fn(&StoreError) -> bool,
) -> (usize, usize) {
    let (mut granted, mut refusals) = (0, 0);
    for result in results {
        match result {
            Ok(_) => granted += 1,
            Err(e) if refused(&e) => refusals += 1,
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    (granted, refusals)
}

pub async fn twenty_concurrent_requests_against_a_quota_of_two_yield_two(store: Store) {
    // Several rounds, each with a fresh user and all requests released at once: a race that
    // slips through one round rarely slips through all of them.
    for round in 0..5 {
        let user = user_on_plan(&store, 100 + round, "ULTRA").await;
        let results = all_at_once(20, || {
            let store = store.clone();
            async move { store.request_analysis(&analysis_of(user.id)).await }
        })
        .await;
        let (granted, refused) =
            granted_and(results, |e| matches!(e, StoreError::QuotaExceeded { .. }));
        assert_eq!((granted, refused), (2, 18), "round {round}");
        assert_eq!(
            store
                .analyses_of_user(user.id, 100)
                .await
                .expect("list")
                .len(),
            2
        );
    }
}

pub async fn quota_window_rolls_forward(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let user = user_on_plan(&store, 4, "PRO").await;
    store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("first");
    clock.advance(Duration::from_secs(29 * 86_400));
    assert!(matches!(
        store.request_analysis(&analysis_of(user.id)).await,
        Err(StoreError::QuotaExceeded { .. })
    ));
    clock.advance(Duration::from_secs(2 * 86_400));
    store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("next window");
}

pub async fn analysis_and_its_job_are_created_together_or_not_at_all(store: Store) {
    let user = user_on_plan(&store, 5, "PRO").await;
    let (analysis, job) = store
        .request_analysis_with_job(&analysis_of(user.id), |id| {
            NewJob::new("analysis", format!(r#"{{"analysis_id":{id}}}"#))
        })
        .await
        .expect("request");
    assert_eq!(job.payload, format!(r#"{{"analysis_id":{}}}"#, analysis.id));
    assert_eq!(job.state, JobState::Queued);

    let err = store
        .request_analysis_with_job(&analysis_of(user.id), |id| {
            NewJob::new("analysis", id.to_string())
        })
        .await
        .expect_err("over quota");
    assert!(matches!(err, StoreError::QuotaExceeded { .. }));
    assert_eq!(
        store.list_jobs(None, 10).await.expect("jobs").len(),
        1,
        "no job for a refused request"
    );
}

pub async fn upload_of_another_user_is_refused(store: Store) {
    let owner = user_on_plan(&store, 6, "ULTRA").await;
    let other = user_on_plan(&store, 7, "ULTRA").await;
    let mine = store
        .save_upload(owner.id, "a.csv", b"x")
        .await
        .expect("upload");
    let theirs = store
        .save_upload(other.id, "b.csv", b"y")
        .await
        .expect("upload");

    let mut request = analysis_of(owner.id);
    request.upload_ids = vec![mine.id, theirs.id];
    assert!(matches!(
        store.request_analysis(&request).await,
        Err(StoreError::NotFound { what: "upload" })
    ));
    assert!(
        store
            .analyses_of_user(owner.id, 10)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        store.quota_usage(owner.id).await.expect("usage").reserved,
        0
    );

    request.upload_ids = vec![mine.id];
    let analysis = store.request_analysis(&request).await.expect("own upload");
    assert_eq!(
        store.analysis_upload_ids(analysis.id).await.expect("ids"),
        vec![mine.id]
    );
}

/// A failed analysis owes its contributor a notice: held for the worker that failed it, then
/// claimable by one sweep at a time, gone once told; a reopened analysis owes none; and an
/// owed notice is dropped after the give-up age.
pub async fn failure_notices_are_owed_claimed_once_and_cleared(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let hold = Duration::from_secs(30);
    let user = user_on_plan(&store, 7, "ULTRA").await;
    let first = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("first");
    let second = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("second");
    assert_eq!(store.notices_owed().await.expect("owed"), 0);

    let failed = store
        .fail_analysis_now(first.id, "unknown_format", "x", hold)
        .await
        .expect("fail")
        .expect("this call failed it");
    assert_eq!(failed.error_kind.as_deref(), Some("unknown_format"));
    assert_eq!(store.notices_owed().await.expect("owed"), 1);
    // Failing it again is not this call's failure, and owes nothing more.
    assert!(
        store
            .fail_analysis_now(first.id, "other", "x", hold)
            .await
            .expect("again")
            .is_none()
    );
    assert!(
        store
            .claim_due_notices(10, hold)
            .await
            .expect("claim")
            .is_empty(),
        "held for the worker that failed it"
    );

    clock.advance(hold + Duration::from_millis(1));
    let claimed = store.claim_due_notices(10, hold).await.expect("claim");
    assert_eq!(
        claimed.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    assert!(
        store
            .claim_due_notices(10, hold)
            .await
            .expect("claim again")
            .is_empty(),
        "a claimed notice is held for its sweep"
    );
    // The sweep was killed before telling: due again after its hold.
    clock.advance(hold + Duration::from_millis(1));
    assert_eq!(
        store
            .claim_due_notices(10, hold)
            .await
            .expect("claim")
            .len(),
        1
    );
    store.notice_told(first.id).await.expect("told");
    assert_eq!(store.notices_owed().await.expect("owed"), 0);
    clock.advance(hold * 2);
    assert!(
        store
            .claim_due_notices(10, hold)
            .await
            .expect("claim")
            .is_empty()
    );

    // Reopened by the operator before anyone told: the retry's outcome is told instead.
    store
        .fail_analysis_now(second.id, "gave_up", "x", Duration::ZERO)
        .await
        .expect("fail")
        .expect("failed now");
    store.reopen_analysis(second.id).await.expect("reopen");
    assert_eq!(store.notices_owed().await.expect("owed"), 0);

    // Owed for longer than the give-up age: dropped, and said how many.
    store
        .fail_analysis_now(second.id, "gave_up", "x", Duration::ZERO)
        .await
        .expect("fail")
        .expect("failed again");
    let day = Duration::from_secs(24 * 60 * 60);
    assert_eq!(store.drop_stale_notices(day).await.expect("drop"), 0);
    clock.advance(day + Duration::from_secs(1));
    assert_eq!(store.drop_stale_notices(day).await.expect("drop"), 1);
    assert_eq!(store.notices_owed().await.expect("owed"), 0);
    assert!(
        store
            .claim_due_notices(10, hold)
            .await
            .expect("claim")
            .is_empty()
    );
}

/// An analysis that closes the chat's open request is made once: ten presses at once of the
/// request's last button give one analysis, one job and one reservation, and the others a
/// conflict; with no open request (already submitted, or expired) nothing is made.
pub async fn a_request_closed_by_its_analysis_is_submitted_once(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    store
        .set_plan_analyses("ULTRA", 10)
        .await
        .expect("room for every round");
    let user = user_on_plan(&store, 9, "ULTRA").await;
    let chat = 9_000;
    let closing = NewAnalysis {
        closes_dialogue_of: Some(chat),
        ..analysis_of(user.id)
    };
    let job = |id: i64| NewJob::new("analysis", format!(r#"{{"analysis_id":{id}}}"#));
    for round in 0..3 {
        store
            .set_dialogue(chat, r#"{"step":"last"}"#, Some(Duration::from_secs(600)))
            .await
            .expect("open request");
        let results = all_at_once(10, || {
            let store = store.clone();
            let closing = closing.clone();
            async move { store.request_analysis_with_job(&closing, job).await }
        })
        .await;
        let (made, refused) = granted_and(results, |e| matches!(e, StoreError::Conflict { .. }));
        assert_eq!((made, refused), (1, 9), "round {round}");
        assert_eq!(store.dialogue(chat).await.expect("dialogue"), None);
    }
    let usage = store.quota_usage(user.id).await.expect("usage");
    assert_eq!(usage.reserved, 3, "one reservation per request");
    assert_eq!(
        store
            .analyses_of_user(user.id, 100)
            .await
            .expect("list")
            .len(),
        3
    );
    assert_eq!(store.list_jobs(None, 100).await.expect("jobs").len(), 3);

    // An expired request is not submitted either.
    store
        .set_dialogue(chat, r#"{"step":"last"}"#, Some(Duration::from_secs(60)))
        .await
        .expect("open request");
    clock.advance(Duration::from_secs(61));
    assert!(matches!(
        store.request_analysis_with_job(&closing, job).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(store.list_jobs(None, 100).await.expect("jobs").len(), 3);
}
