//! Redis only wakes: an idle worker with a long poll interval starts a new job at once when
//! Redis announces it, and when Redis is killed in the middle of a stream every job still
//! completes by polling, with the outage logged once.

use std::time::Duration;

use stocklens::cache::{Cache, RedisSettings};
use stocklens::jobs::{AnalysisRequest, analysis};
use stocklens::store::AnalysisStatus;

use crate::helpers::{Env, Redis, small_export, user_on_plan, wait_until};

const LIMIT: Duration = Duration::from_secs(180);

async fn done(store: &stocklens::store::Store, ids: &[i64]) -> usize {
    let mut n = 0;
    for id in ids {
        if matches!(store.analysis(*id).await, Ok(a) if a.status == AnalysisStatus::Done) {
            n += 1;
        }
    }
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_keep_completing_through_polling_after_redis_is_killed() {
    let mut redis = Redis::start().await;
    let mut env = Env::sqlite();
    env.redis_url = Some(redis.url.clone());
    env.migrate();
    env.ok(&["plan", "set", "STREAM", "--analyses", "100"]);
    // The test's own store announces jobs through Redis, as the bot's does.
    let cache = Cache::connect(&redis.url, RedisSettings::default()).expect("cache");
    let store = env.store().await.with_cache(cache);
    let user = user_on_plan(&store, 6001, "STREAM").await;
    let mut workers: Vec<_> = (0..2)
        .map(|n| {
            env.worker(
                &format!("worker-{n}"),
                &["--poll-ms", "300", "--concurrency", "1"],
                &[],
            )
        })
        .collect();
    let bytes = std::fs::read(small_export()).expect("example");
    let files = vec![("activity.csv".to_owned(), bytes)];
    let request = AnalysisRequest::default();

    let mut ids = Vec::new();
    for _ in 0..10 {
        let (a, _) = analysis::submit(&store, user.id, &files, &request)
            .await
            .expect("submit");
        ids.push(a.id);
    }
    wait_until("half the stream", LIMIT, || async {
        done(&store, &ids).await >= 5
    })
    .await;
    redis.kill();
    for _ in 0..10 {
        // The announcement fails quietly; the jobs are in the database all the same.
        let (a, _) = analysis::submit(&store, user.id, &files, &request)
            .await
            .expect("submit while Redis is down");
        ids.push(a.id);
    }
    wait_until("every job, by polling", LIMIT, || async {
        done(&store, &ids).await == ids.len()
    })
    .await;
    for worker in &mut workers {
        assert!(worker.terminate(LIMIT));
        let log = worker.log_text();
        assert_eq!(
            log.matches("Redis unavailable").count(),
            1,
            "outage logged once:\n{log}"
        );
        assert!(!log.contains("redis://"), "the URL is never logged");
    }
    ids.sort_unstable();
    assert_eq!(env.outbox_reports(), ids);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_wakes_an_idle_worker_long_before_its_next_poll() {
    let redis = Redis::start().await;
    let mut env = Env::sqlite();
    env.redis_url = Some(redis.url.clone());
    env.migrate();
    let store = env.store().await;
    // The worker polls once at start, then only every ten minutes: only a wake-up can make it
    // claim within the hang guard below.
    let mut worker = env.worker("sleepy", &["--poll-ms", "600000"], &[]);
    let log = worker.log.clone();
    wait_until("the worker to subscribe", LIMIT, || async {
        std::fs::read_to_string(&log).is_ok_and(|t| t.contains("listening for Redis notifications"))
    })
    .await;
    let id = env.submit(6002, &small_export());
    wait_until(
        "the woken worker to deliver",
        Duration::from_secs(120),
        || async { matches!(store.analysis(id).await, Ok(a) if a.status == AnalysisStatus::Done) },
    )
    .await;
    assert!(worker.terminate(LIMIT));
    store.close().await;
}
