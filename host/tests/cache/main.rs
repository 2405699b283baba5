//! Redis as a cache, against private `redis-server` processes this suite starts, kills, pauses
//! and restarts: reads fail open, writes are best effort, nothing hangs past its deadline, the
//! breaker skips a dead Redis, and the log says each change once and never the password.

mod server;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use server::RedisServer;
use stocklens::cache::{BreakerState, Cache, RedisSettings};

/// Settings with a short cool-down so a suite run does not wait long for probes.
fn settings() -> RedisSettings {
    RedisSettings {
        connect_timeout: Duration::from_millis(500),
        command_timeout: Duration::from_millis(250),
        cool_down: Duration::from_millis(500),
        ..RedisSettings::default()
    }
}

/// Everything logged while `f` runs on this thread.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }

    fn count(&self, needle: &str) -> usize {
        self.text().matches(needle).count()
    }
}

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture() -> (Log, tracing::subscriber::DefaultGuard) {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .finish();
    (log, tracing::subscriber::set_default(subscriber))
}

/// Fails the test if `f` takes longer than `limit`: a hang, not a speed check (the limit is
/// many times the deadline under test).
async fn no_hang<T>(limit: Duration, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, f).await.expect("the call hung")
}

#[tokio::test]
async fn without_redis_everything_misses_quietly() {
    let (log, _guard) = capture();
    let cache = Cache::disabled();
    assert!(!cache.is_enabled());
    cache.set("k", "v", Duration::from_secs(1)).await;
    assert_eq!(cache.get("k").await, None);
    assert_eq!(cache.incr("c", Duration::from_secs(1)).await, None);
    assert_eq!(cache.state(), BreakerState::Closed);
    assert_eq!(log.text(), "");
}

#[tokio::test]
async fn a_live_redis_caches_and_counts() {
    let server = RedisServer::start(None);
    let (log, _guard) = capture();
    let cache = Cache::connect(&server.url(None), settings()).expect("cache");
    cache
        .set("user:1", "{\"plan\":\"PRO\"}", Duration::from_secs(60))
        .await;
    assert_eq!(
        cache.get("user:1").await.as_deref(),
        Some("{\"plan\":\"PRO\"}")
    );
    cache.delete(&["user:1"]).await;
    assert_eq!(cache.get("user:1").await, None);
    assert_eq!(
        cache.incr("uploads:1", Duration::from_secs(60)).await,
        Some(1)
    );
    assert_eq!(
        cache.incr("uploads:1", Duration::from_secs(60)).await,
        Some(2)
    );
    let ttl: i64 = server
        .cli(&["PTTL", "stocklens:uploads:1"])
        .trim()
        .parse()
        .expect("a ttl");
    assert!(ttl > 0 && ttl <= 60_000, "the counter expires: {ttl}");
    assert_eq!(
        log.count("Redis connected (127.0.0.1:"),
        1,
        "{}",
        log.text()
    );
    assert!(log.text().contains("TLS off"));
    assert_eq!(cache.stats().failures, 0);
}

#[tokio::test]
async fn a_killed_redis_opens_the_breaker_and_a_restarted_one_closes_it() {
    let mut server = RedisServer::start(None);
    let (log, _guard) = capture();
    let cache = Cache::connect(&server.url(None), settings()).expect("cache");
    cache.set("k", "v", Duration::from_secs(60)).await;
    assert_eq!(cache.get("k").await.as_deref(), Some("v"));
    server.kill();
    for _ in 0..3 {
        assert_eq!(no_hang(Duration::from_secs(10), cache.get("k")).await, None);
    }
    assert_eq!(cache.state(), BreakerState::Open);
    let calls = cache.stats().calls;
    // While open: no Redis call at all.
    for _ in 0..100 {
        assert_eq!(cache.get("k").await, None);
        cache.set("k", "v", Duration::from_secs(1)).await;
    }
    assert_eq!(cache.stats().calls, calls, "an open breaker makes no call");
    assert_eq!(cache.stats().skipped, 200);
    assert_eq!(log.count("Redis unavailable"), 1, "{}", log.text());

    // Back on the same port: after the cool-down one probe closes the breaker.
    server.restart();
    let started = Instant::now();
    loop {
        cache.set("k", "again", Duration::from_secs(60)).await;
        if cache.get("k").await.as_deref() == Some("again") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never reconnected: {}",
            log.text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(cache.state(), BreakerState::Closed);
    assert_eq!(log.count("Redis back"), 1, "{}", log.text());
    assert_eq!(log.count("Redis unavailable"), 1, "{}", log.text());
    let stats = cache.stats();
    assert!(stats.opened >= 1 && stats.closed >= 1, "{stats:?}");
}

#[tokio::test]
async fn a_paused_redis_costs_a_deadline_not_a_hang() {
    let server = RedisServer::start(None);
    let (log, _guard) = capture();
    let cache = Cache::connect(&server.url(None), settings()).expect("cache");
    cache.set("k", "v", Duration::from_secs(60)).await;
    server.pause();
    for _ in 0..5 {
        assert_eq!(no_hang(Duration::from_secs(10), cache.get("k")).await, None);
    }
    assert_eq!(cache.state(), BreakerState::Open);
    assert_eq!(log.count("Redis unavailable"), 1, "{}", log.text());
    server.resume();
}

#[tokio::test]
async fn a_wrong_password_is_named_as_such_and_never_printed() {
    let server = RedisServer::start(Some("s3cret-right"));
    let (log, _guard) = capture();
    let cache = Cache::connect(&server.url(Some(("stocklens", "s3cret-wrong"))), settings())
        .expect("cache");
    for _ in 0..10 {
        assert_eq!(no_hang(Duration::from_secs(10), cache.get("k")).await, None);
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    let text = log.text();
    assert_eq!(
        log.count("rejected the password of user stocklens at 127.0.0.1:"),
        1,
        "{text}"
    );
    assert!(
        !text.contains("s3cret"),
        "the password never prints: {text}"
    );
    // The right password works.
    let good =
        Cache::connect(&server.url(Some(("default", "s3cret-right"))), settings()).expect("cache");
    good.set("k", "v", Duration::from_secs(60)).await;
    assert_eq!(good.get("k").await.as_deref(), Some("v"));
    assert!(!log.text().contains("s3cret"));
}

#[tokio::test]
async fn a_wrong_host_or_tls_against_plain_redis_runs_without_cache() {
    let server = RedisServer::start(None);
    let (log, _guard) = capture();
    let nowhere = Cache::connect(
        &format!("redis://127.0.0.1:{}", server::free_port()),
        settings(),
    )
    .expect("cache");
    let tls = Cache::connect(
        &server.url(None).replace("redis://", "rediss://"),
        settings(),
    )
    .expect("cache");
    for _ in 0..5 {
        assert_eq!(
            no_hang(Duration::from_secs(10), nowhere.get("k")).await,
            None
        );
        assert_eq!(no_hang(Duration::from_secs(10), tls.get("k")).await, None);
    }
    assert_eq!(log.count("Redis unavailable"), 2, "{}", log.text());
    assert!(Cache::connect("http://example.com", settings()).is_err());
}
