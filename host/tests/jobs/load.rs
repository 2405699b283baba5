//! 1,000 jobs through 4 worker processes on Postgres: every job done exactly once, none twice,
//! none lost, counted in the outbox and in the database.

use std::time::Duration;

use stocklens::jobs::{AnalysisRequest, analysis};

use crate::helpers::{Env, small_export, user_on_plan, wait_until};

const JOBS: usize = 1000;
const WORKERS: usize = 4;

/// Hang guard for the whole stream; it takes well under this on two shared cores.
const LIMIT: Duration = Duration::from_secs(600);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_jobs_through_four_workers_on_postgres_run_exactly_once() {
    let env = Env::postgres().await;
    env.migrate();
    env.ok(&["plan", "set", "LOAD", "--analyses", &JOBS.to_string()]);
    let store = env.store().await;
    let user = user_on_plan(&store, 5001, "LOAD").await;

    let mut workers: Vec<_> = (0..WORKERS)
        .map(|n| env.worker(&format!("worker-{n}"), &["--concurrency", "2"], &[]))
        .collect();
    let bytes = std::fs::read(small_export()).expect("example");
    let files = vec![("activity.csv".to_owned(), bytes)];
    let request = AnalysisRequest::default();
    let mut ids = Vec::with_capacity(JOBS);
    for _ in 0..JOBS {
        let (analysis, _) = analysis::submit(&store, user.id, &files, &request)
            .await
            .expect("submit");
        ids.push(analysis.id);
    }

    // The store has no raw-SQL API by design; the test counts through its own pool.
    let url = env.database_url.clone().expect("a Postgres case");
    let pool = sqlx::PgPool::connect(&url).await.expect("connect");
    let count = |sql: &'static str| {
        let pool = &pool;
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(pool)
                .await
                .expect(sql)
        }
    };
    wait_until("every job to be done", LIMIT, || async {
        count("SELECT COUNT(*) FROM jobs WHERE state = 'done'").await == JOBS as i64
    })
    .await;
    for worker in &mut workers {
        assert!(worker.terminate(Duration::from_secs(120)));
    }

    ids.sort_unstable();
    assert_eq!(
        env.outbox_reports(),
        ids,
        "one report file per analysis, none missing"
    );
    let calls = env.delivery_calls();
    assert_eq!(calls.len(), JOBS, "every analysis handed to the outbox");
    assert!(calls.values().all(|&n| n == 1), "none handed over twice");
    assert_eq!(
        count("SELECT COUNT(*) FROM reports WHERE delivered_at IS NOT NULL").await,
        JOBS as i64
    );
    assert_eq!(count("SELECT COUNT(*) FROM reports").await, JOBS as i64);
    assert_eq!(
        count("SELECT COUNT(*) FROM analyses WHERE status = 'done'").await,
        JOBS as i64
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM quota_ledger WHERE state = 'consumed'").await,
        JOBS as i64
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM jobs WHERE attempts <> 1").await,
        0,
        "no job ran twice"
    );
    pool.close().await;
    store.close().await;
    env.cleanup().await;
}
