//! Redis as a cache, against private `redis-server` processes this suite starts, kills, pauses
//! and restarts: reads fail open, writes are best effort, nothing hangs past its deadline, the
//! breaker skips a dead Redis, and the log says each change once and never the password.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use stocklens::cache::{BreakerState, Cache, RedisSettings};
use stocklens_tests::redis_server::{self as server, RedisServer};

/// The key prefix of [`settings`].
const PREFIX: &str = "stocklens";

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
    cache.set_json("j", &[1, 2], Duration::from_secs(1)).await;
    assert_eq!(cache.get_json::<Vec<i32>>("j").await, None);
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
    cache
        .set_json("quota:1", &[3, 4], Duration::from_secs(60))
        .await;
    assert_eq!(
        cache.get_json::<Vec<i32>>("quota:1").await,
        Some(vec![3, 4])
    );
    // An entry that does not read as the type asked for is a miss, and is dropped.
    assert_eq!(cache.get_json::<String>("quota:1").await, None);
    assert_eq!(cache.get("quota:1").await, None);
    cache.set("uploads:1", "2", Duration::from_secs(60)).await;
    let ttl: i64 = server
        .cli(&["PTTL", "stocklens:uploads:1"])
        .trim()
        .parse()
        .expect("a ttl");
    assert!(ttl > 0 && ttl <= 60_000, "the entry expires: {ttl}");
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

#[tokio::test]
async fn an_invalidation_missed_in_an_outage_is_made_when_redis_returns() {
    let server = RedisServer::start(None);
    let cache = Cache::connect(&server.url(None), settings()).expect("cache");
    let key = format!("{PREFIX}:user:7");
    cache
        .set("user:7", "{\"plan\":\"FREE\"}", Duration::from_secs(600))
        .await;
    // Redis keeps its data but turns the service away: a password appears and every connection
    // is dropped, so the change the service makes next cannot reach the entry.
    let auth = ["-a", "tmp-pass", "--no-auth-warning"];
    server.cli(&["CONFIG", "SET", "requirepass", "tmp-pass"]);
    server.cli(&[&auth[..], &["CLIENT", "KILL", "TYPE", "normal"]].concat());
    cache.delete(&["user:7"]).await;
    assert_eq!(
        server.cli(&[&auth[..], &["EXISTS", &key]].concat()).trim(),
        "1"
    );
    server.cli(&[&auth[..], &["CONFIG", "SET", "requirepass", ""]].concat());
    // The next call that reaches Redis sends the missed deletion along.
    let started = Instant::now();
    loop {
        cache.set("other", "x", Duration::from_secs(60)).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        if server.cli(&["EXISTS", &key]).trim() == "0" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the stale entry outlived the outage"
        );
    }
}

#[tokio::test]
async fn two_processes_share_one_upload_allowance_through_redis() {
    use stocklens::bot::limits::{Flood, Limits};
    let server = RedisServer::start(None);
    let shared = || {
        Limits::new(3, 2, 1.0).shared(Cache::connect(&server.url(None), settings()).expect("cache"))
    };
    let (one, two) = (shared(), shared());
    assert_eq!(one.upload(1).await, Ok(()));
    assert_eq!(two.upload(1).await, Ok(()));
    assert_eq!(one.upload(1).await, Ok(()));
    let wait = two
        .upload(1)
        .await
        .expect_err("the fourth upload of the hour");
    assert!(
        wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
    assert_eq!(
        two.upload(2).await,
        Ok(()),
        "another contributor's own allowance"
    );
    // The flood guard too: a burst of two, whichever process reads the messages.
    assert_eq!(one.message(1, 100.0).await, Flood::Allowed);
    assert_eq!(two.message(1, 100.0).await, Flood::Allowed);
    assert_eq!(one.message(1, 100.0).await, Flood::Warn);
    assert_eq!(two.message(1, 100.0).await, Flood::Ignore);
    assert_eq!(one.message(1, 101.5).await, Flood::Allowed);
}

#[tokio::test]
async fn without_redis_each_process_counts_its_own() {
    use stocklens::bot::limits::Limits;
    let mut server = RedisServer::start(None);
    let limits = Limits::new(2, 5, 1.0)
        .shared(Cache::connect(&server.url(None), settings()).expect("cache"));
    server.kill();
    assert_eq!(limits.upload(1).await, Ok(()));
    assert_eq!(limits.upload(1).await, Ok(()));
    assert!(limits.upload(1).await.is_err(), "the local count decides");
}

#[tokio::test]
async fn events_reach_another_process_and_a_reconnect_wakes_everyone() {
    use std::sync::Arc;
    use stocklens::cache::{Event, Listeners, events};
    use tokio::sync::Notify;
    let mut server = RedisServer::start(None);
    let listener = Cache::connect(&server.url(None), settings()).expect("cache");
    let announcer = Cache::connect(&server.url(None), settings()).expect("cache");
    let (jobs, lexicon) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let listeners = Listeners {
        jobs: Some(Arc::clone(&jobs)),
        lexicon: Some(Arc::clone(&lexicon)),
        plugins: None,
    };
    let stop = tokio_util::sync::CancellationToken::new();
    let task = tokio::spawn(events::listen(listener, listeners, stop.clone()));
    // Subscribing wakes everyone once (whatever was announced before was missed).
    no_hang(Duration::from_secs(10), jobs.notified()).await;
    no_hang(Duration::from_secs(10), lexicon.notified()).await;
    announcer.announce(Event::LexiconChanged).await;
    no_hang(Duration::from_secs(10), lexicon.notified()).await;
    announcer.announce(Event::JobQueued).await;
    no_hang(Duration::from_secs(10), jobs.notified()).await;
    // A restart: the listener comes back by itself and says so by waking everyone.
    server.restart();
    no_hang(Duration::from_secs(20), jobs.notified()).await;
    announcer.announce(Event::JobQueued).await;
    no_hang(Duration::from_secs(20), jobs.notified()).await;
    stop.cancel();
    no_hang(Duration::from_secs(10), task)
        .await
        .expect("the listener ends");
}

#[test]
fn breaker_state_and_transitions_are_metrics() {
    use metrics_util::debugging::{DebugValue, DebuggingRecorder};
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    metrics::with_local_recorder(&recorder, || {
        runtime.block_on(async {
            let mut server = RedisServer::start(None);
            let cache = Cache::connect(&server.url(None), settings()).expect("cache");
            cache.set("k", "v", Duration::from_secs(60)).await;
            assert_eq!(cache.get("k").await.as_deref(), Some("v"));
            server.kill();
            for _ in 0..4 {
                let _ = cache.get("k").await;
            }
            assert_eq!(cache.state(), BreakerState::Open);
        });
    });
    let metrics: Vec<(String, Vec<String>, DebugValue)> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let key = key.key();
            let labels = key.labels().map(|l| format!("{}={}", l.key(), l.value()));
            (key.name().to_owned(), labels.collect(), value)
        })
        .collect();
    let find = |name: &str, label: &str| {
        metrics
            .iter()
            .find(|(n, l, _)| n == name && (label.is_empty() || l.iter().any(|x| x == label)))
            .map(|(_, _, v)| v)
            .unwrap_or_else(|| panic!("{name} {label} in {metrics:?}"))
    };
    assert_eq!(
        find("stocklens_redis_breaker_state", ""),
        &DebugValue::Gauge(1.0.into())
    );
    assert_eq!(
        find("stocklens_redis_breaker_transitions_total", "to=open"),
        &DebugValue::Counter(1)
    );
    assert_eq!(
        find("stocklens_cache_lookups_total", "result=hit"),
        &DebugValue::Counter(1)
    );
    assert!(matches!(
        find("stocklens_redis_calls_total", "outcome=skipped"),
        DebugValue::Counter(n) if *n >= 1
    ));
}
