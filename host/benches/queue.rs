//! Queue figures for docs/performance.md: enqueue-to-claim latency with database polling and
//! with Redis wake-ups, and jobs per second through four claimers with a trivial job.
//!
//! Uses the real `Queue` (the worker's claim loop), the real store and the real Redis listener.
//! `cargo bench -p stocklens --bench queue`; `BENCH_DATABASE_URL=postgres://...` runs it on
//! Postgres instead of a fresh SQLite file, `BENCH_REDIS_URL` picks the Redis (default the
//! machine's, 127.0.0.1:6379). Prints a table; asserts nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use stocklens::cache::{Cache, Event, Listeners, RedisSettings, events};
use stocklens::jobs::queue::Queue;
use stocklens::store::{NewJob, Store};
use tokio_util::sync::CancellationToken;

/// Jobs per latency scenario: enough for a p99 that means something, few enough to finish in
/// about half a minute with polling.
const LATENCY_JOBS: usize = 60;
/// Jobs for the throughput run.
const THROUGHPUT_JOBS: usize = 2000;
const LEASE: Duration = Duration::from_secs(30);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn store(dir: &std::path::Path) -> Store {
    let url = std::env::var("BENCH_DATABASE_URL").ok();
    let store = Store::connect(url.as_deref(), dir).await.expect("database");
    store.migrate().await.expect("migrations");
    store
}

/// Enqueues jobs at random moments and measures how long each waits before a claimer has it.
async fn latency(store: &Store, poll: Duration, redis: Option<&str>) -> Vec<Duration> {
    let queue = Queue::new(store.clone(), poll);
    let stop = CancellationToken::new();
    let cache = match redis {
        Some(url) => Cache::connect(url, RedisSettings::default()).expect("redis url"),
        None => Cache::disabled(),
    };
    if cache.is_enabled() {
        let listeners = Listeners {
            jobs: Some(queue.waker()),
            ..Listeners::default()
        };
        tokio::spawn(events::listen(cache.clone(), listeners, stop.clone()));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let enqueued: Arc<Mutex<HashMap<i64, Instant>>> = Arc::default();
    let waits: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let claimer = {
        let (queue, stop, store) = (queue.clone(), stop.clone(), store.clone());
        let (enqueued, waits) = (Arc::clone(&enqueued), Arc::clone(&waits));
        tokio::spawn(async move {
            while let Some(job) = queue.claim("bench", LEASE, &stop).await {
                let claimed = Instant::now();
                let start = enqueued.lock().expect("lock").get(&job.id).copied();
                if let Some(start) = start {
                    waits.lock().expect("lock").push(claimed - start);
                }
                store.complete_job(job.id, "bench").await.expect("complete");
            }
        })
    };
    for i in 0..LATENCY_JOBS {
        // Spread arrivals over the poll cycle so polling shows its real average.
        let pause = Duration::from_millis(137 + (i as u64 * 71) % 400);
        tokio::time::sleep(pause).await;
        let job = store
            .enqueue_job(&NewJob::new("bench", "{}"))
            .await
            .expect("enqueue");
        enqueued
            .lock()
            .expect("lock")
            .insert(job.id, Instant::now());
        cache.announce(Event::JobQueued).await;
    }
    while waits.lock().expect("lock").len() < LATENCY_JOBS {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.cancel();
    let _ = claimer.await;
    let mut waits = waits.lock().expect("lock").clone();
    waits.sort();
    waits
}

/// Four claimers empty a queue of trivial jobs; returns jobs per second.
async fn throughput(store: &Store) -> f64 {
    for _ in 0..THROUGHPUT_JOBS {
        store
            .enqueue_job(&NewJob::new("bench", "{}"))
            .await
            .expect("enqueue");
    }
    let started = Instant::now();
    let stop = CancellationToken::new();
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut claimers = Vec::new();
    for worker in 0..4 {
        let queue = Queue::new(store.clone(), Duration::from_millis(50));
        let (stop, store, done) = (stop.clone(), store.clone(), Arc::clone(&done));
        claimers.push(tokio::spawn(async move {
            let owner = format!("bench-{worker}");
            while let Some(job) = queue.claim(&owner, LEASE, &stop).await {
                store.complete_job(job.id, &owner).await.expect("complete");
                if done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == THROUGHPUT_JOBS {
                    stop.cancel();
                }
            }
        }));
    }
    for claimer in claimers {
        let _ = claimer.await;
    }
    THROUGHPUT_JOBS as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = store(dir.path()).await;
        let backend = format!("{:?}", store.backend());
        let redis = std::env::var("BENCH_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
        println!("backend: {backend}; {LATENCY_JOBS} jobs per latency case, {THROUGHPUT_JOBS} for throughput");
        println!("| case | p50 | p99 | max |");
        println!("| --- | --- | --- | --- |");
        for (name, poll, wake) in [
            ("polling every 500 ms (default)", Duration::from_millis(500), None),
            ("Redis wake-ups (poll 500 ms as fallback)", Duration::from_millis(500), Some(redis.as_str())),
        ] {
            let waits = latency(&store, poll, wake).await;
            println!(
                "| {name} | {:.1} ms | {:.1} ms | {:.1} ms |",
                percentile(&waits, 0.5).as_secs_f64() * 1e3,
                percentile(&waits, 0.99).as_secs_f64() * 1e3,
                waits.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
            );
        }
        let rate = throughput(&store).await;
        println!("throughput, 4 claimers, trivial job: {rate:.0} jobs/s");
        store.close().await;
    });
}
