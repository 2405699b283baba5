//! Redis as a cache that makes things faster and nothing more. Every call has a deadline, every
//! failure is a miss (reads) or a no-op (writes), and after a few consecutive failures a circuit
//! breaker skips Redis entirely for a cool-down, then lets one probe decide. Nothing that must
//! not be lost is kept only here.
//!
//! The log says once "Redis connected", once "Redis unavailable: <reason>; running without
//! cache" and once "Redis back", never once per request and never the password; a rejected
//! password is reported as such (user, host) at most once a minute.
//!
//! A write or invalidation that fails leaves its key on a short list this process retries on its
//! next successful call, so an entry that missed its invalidation during an outage does not
//! outlive the outage by more than one call (or, if the process dies, its TTL).
//!
//! [`events`] carries notifications between processes (a job queued, the lexicon or the
//! plugins changed) over pub/sub; without Redis, processes poll the database instead.
//!
//! Metrics (through the `metrics` facade): `stocklens_redis_breaker_state` (0 closed, 1 open,
//! 2 half-open), `stocklens_redis_breaker_transitions_total{to}`,
//! `stocklens_redis_calls_total{outcome}` (ok, failed, skipped) and
//! `stocklens_cache_lookups_total{result}` (hit, miss).

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deadpool_redis::redis::{self, ConnectionAddr, IntoConnectionInfo};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub mod events;

pub use events::{Event, Listeners};

/// Keys whose invalidation failed, kept for a retry; beyond this many the rest are left to
/// their TTL.
const PENDING_MAX: usize = 10_000;

/// How Redis is used.
#[derive(Clone, Debug)]
pub struct RedisSettings {
    /// Longest a new connection may take.
    pub connect_timeout: Duration,
    /// Longest one command may take, waiting for a pooled connection included.
    pub command_timeout: Duration,
    /// Connections kept.
    pub pool_size: usize,
    /// Consecutive failures that open the breaker.
    pub failures_to_open: u32,
    /// How long an open breaker skips Redis before one probe.
    pub cool_down: Duration,
    /// TCP keepalive idle time: managed Redis behind a proxy drops idle connections silently.
    pub keepalive: Duration,
    /// Every key starts with `<prefix>:`, so deployments (and test runs) sharing a Redis never
    /// read each other's entries.
    pub prefix: String,
}

impl Default for RedisSettings {
    fn default() -> RedisSettings {
        RedisSettings {
            connect_timeout: Duration::from_secs(2),
            command_timeout: Duration::from_millis(250),
            pool_size: 16,
            failures_to_open: 3,
            cool_down: Duration::from_secs(5),
            keepalive: Duration::from_secs(30),
            prefix: "stocklens".into(),
        }
    }
}

/// A Redis URL that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("REDIS_URL is not usable: {0}")]
pub struct BadRedisUrl(String);

/// The breaker's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    /// Redis is used.
    Closed,
    /// Redis is skipped until the cool-down ends.
    Open,
    /// One probe is in flight; everything else skips Redis until it answers.
    HalfOpen,
}

/// Counters for metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub calls: u64,
    pub failures: u64,
    /// Calls that did not touch Redis because the breaker was open.
    pub skipped: u64,
    pub opened: u64,
    pub closed: u64,
    /// [`Cache::get`] calls that found an entry, and those that did not (Redis down included).
    pub hits: u64,
    pub misses: u64,
}

/// The cache. Cheap to clone; [`Cache::disabled`] when no Redis is configured.
#[derive(Clone)]
pub struct Cache {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    pool: deadpool_redis::Pool,
    /// For pub/sub, which needs a connection of its own.
    client: redis::Client,
    /// `host:port` for the log.
    target: String,
    user: String,
    tls: bool,
    settings: RedisSettings,
    breaker: Mutex<Breaker>,
    log: Mutex<LogState>,
    calls: AtomicU64,
    failures: AtomicU64,
    skipped: AtomicU64,
    opened: AtomicU64,
    closed: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
    /// Keys to delete once Redis answers again.
    pending: Mutex<HashSet<String>>,
    has_pending: AtomicBool,
}

#[derive(Debug)]
enum Breaker {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen,
}

#[derive(Debug, Default)]
struct LogState {
    connected_once: bool,
    down: bool,
    /// When the last failure was recorded: a success of a call that started before it is old
    /// news (an answer already on its way when Redis died) and proves nothing.
    failed_at: Option<Instant>,
    last_wrongpass: Option<Instant>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            Some(inner) => f
                .debug_struct("Cache")
                .field("target", &inner.target)
                .field("tls", &inner.tls)
                .finish_non_exhaustive(),
            None => f.write_str("Cache(disabled)"),
        }
    }
}

/// What a call may do.
enum Admit {
    Yes,
    Probe,
    No,
}

impl Cache {
    /// No Redis: every read misses, every write does nothing.
    pub fn disabled() -> Cache {
        Cache { inner: None }
    }

    /// A cache on the Redis at `url` (`redis://` or `rediss://`, user, password and database
    /// from the URL). Connects lazily: a Redis that is down now costs nothing at start.
    pub fn connect(url: &str, settings: RedisSettings) -> Result<Cache, BadRedisUrl> {
        let info = url
            .into_connection_info()
            .map_err(|e| BadRedisUrl(e.to_string()))?;
        let (target, tls) = match info.addr() {
            ConnectionAddr::Tcp(host, port) => (format!("{host}:{port}"), false),
            ConnectionAddr::TcpTls { host, port, .. } => (format!("{host}:{port}"), true),
            other => (format!("{other:?}"), false),
        };
        let user = info
            .redis_settings()
            .username()
            .unwrap_or("default")
            .to_owned();
        let keepalive = socket2::TcpKeepalive::new().with_time(settings.keepalive);
        let info =
            info.set_tcp_settings(redis::io::tcp::TcpSettings::default().set_keepalive(keepalive));
        let connection = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(settings.connect_timeout))
            .set_response_timeout(Some(settings.command_timeout));
        let client = redis::Client::open(info.clone()).map_err(|e| BadRedisUrl(e.to_string()))?;
        let manager = deadpool_redis::Manager::new_with_config(info, connection)
            .map_err(|e| BadRedisUrl(e.to_string()))?;
        let pool = deadpool_redis::Pool::builder(manager)
            .max_size(settings.pool_size)
            .runtime(deadpool_redis::Runtime::Tokio1)
            .wait_timeout(Some(settings.command_timeout))
            .create_timeout(Some(settings.connect_timeout))
            .recycle_timeout(Some(settings.command_timeout))
            .build()
            .map_err(|e| BadRedisUrl(e.to_string()))?;
        Ok(Cache {
            inner: Some(Arc::new(Inner {
                pool,
                client,
                target,
                user,
                tls,
                settings,
                breaker: Mutex::new(Breaker::Closed { failures: 0 }),
                log: Mutex::default(),
                calls: AtomicU64::new(0),
                failures: AtomicU64::new(0),
                skipped: AtomicU64::new(0),
                opened: AtomicU64::new(0),
                closed: AtomicU64::new(0),
                hits: AtomicU64::new(0),
                misses: AtomicU64::new(0),
                pending: Mutex::default(),
                has_pending: AtomicBool::new(false),
            })),
        })
    }

    /// One round trip, so the log says at start whether Redis is there.
    pub async fn ping(&self) -> bool {
        let pong: Option<String> = self.run(&mut redis::cmd("PING")).await;
        pong.is_some()
    }

    /// Whether a Redis is configured at all.
    pub fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// The breaker's state (`Closed` when no Redis is configured).
    pub fn state(&self) -> BreakerState {
        match &self.inner {
            Some(inner) => match *lock(&inner.breaker) {
                Breaker::Closed { .. } => BreakerState::Closed,
                Breaker::Open { .. } => BreakerState::Open,
                Breaker::HalfOpen => BreakerState::HalfOpen,
            },
            None => BreakerState::Closed,
        }
    }

    /// Counters since start.
    pub fn stats(&self) -> CacheStats {
        let Some(inner) = &self.inner else {
            return CacheStats::default();
        };
        CacheStats {
            calls: inner.calls.load(Ordering::Relaxed),
            failures: inner.failures.load(Ordering::Relaxed),
            skipped: inner.skipped.load(Ordering::Relaxed),
            opened: inner.opened.load(Ordering::Relaxed),
            closed: inner.closed.load(Ordering::Relaxed),
            hits: inner.hits.load(Ordering::Relaxed),
            misses: inner.misses.load(Ordering::Relaxed),
        }
    }

    fn key(&self, key: &str) -> String {
        match &self.inner {
            Some(inner) => format!("{}:{key}", inner.settings.prefix),
            None => key.to_owned(),
        }
    }

    /// The value at `key`; `None` on a miss, and on any trouble.
    pub async fn get(&self, key: &str) -> Option<String> {
        let inner = self.inner.as_ref()?;
        let value: Option<String> = self
            .run(redis::cmd("GET").arg(self.key(key)))
            .await
            .flatten();
        let (counter, result) = match value {
            Some(_) => (&inner.hits, "hit"),
            None => (&inner.misses, "miss"),
        };
        counter.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("stocklens_cache_lookups_total", "result" => result).increment(1);
        value
    }

    /// The JSON value at `key`; `None` on a miss, on any trouble, and for an entry that does not
    /// read as a `T` (written by another version, say: it is dropped).
    pub async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let text = self.get(key).await?;
        match serde_json::from_str(&text) {
            Ok(value) => Some(value),
            Err(_) => {
                self.delete(&[key]).await;
                None
            }
        }
    }

    /// Stores `value` at `key` for `ttl`; best effort. If Redis cannot take it, whatever `key`
    /// held is deleted as soon as Redis answers again.
    pub async fn set(&self, key: &str, value: &str, ttl: Duration) {
        let Some(inner) = &self.inner else { return };
        let full = self.key(key);
        let done: Option<()> = self
            .run(
                redis::cmd("SET")
                    .arg(&full)
                    .arg(value)
                    .arg("PX")
                    .arg(millis(ttl)),
            )
            .await;
        if done.is_none() {
            inner.remember([full]);
        }
    }

    /// Stores `value` as JSON at `key` for `ttl`; best effort, as [`Cache::set`].
    pub async fn set_json<T: Serialize>(&self, key: &str, value: &T, ttl: Duration) {
        if self.inner.is_none() {
            return;
        }
        match serde_json::to_string(value) {
            Ok(text) => self.set(key, &text, ttl).await,
            Err(_) => self.delete(&[key]).await,
        }
    }

    /// Removes keys; best effort: if Redis cannot take it now, it is retried once Redis answers
    /// again (and a stale entry lives at most until its TTL meanwhile).
    pub async fn delete(&self, keys: &[&str]) {
        let Some(inner) = &self.inner else { return };
        if keys.is_empty() {
            return;
        }
        let keys: Vec<String> = keys.iter().map(|k| self.key(k)).collect();
        let done: Option<i64> = self.run(redis::cmd("DEL").arg(&keys)).await;
        if done.is_none() {
            inner.remember(keys);
        }
    }

    /// Removes every key matching the glob `pattern` (under the prefix); best effort, for rare
    /// changes that touch many entries (a plan's limits). Scans, so never on a request path.
    pub async fn delete_matching(&self, pattern: &str) {
        let Some(inner) = &self.inner else { return };
        let pattern = self.key(pattern);
        let mut cursor: u64 = 0;
        loop {
            let page: Option<(u64, Vec<String>)> = self
                .run(
                    redis::cmd("SCAN")
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(&pattern)
                        .arg("COUNT")
                        .arg(500),
                )
                .await;
            let Some((next, keys)) = page else {
                // Cannot finish: entries left behind expire with their TTL.
                tracing::debug!(redis = %inner.target, "cannot scan for stale entries; leaving them to their TTL");
                return;
            };
            if !keys.is_empty() {
                let _: Option<i64> = self.run(redis::cmd("DEL").arg(&keys)).await;
            }
            if next == 0 {
                return;
            }
            cursor = next;
        }
    }

    /// Runs a Lua script with `keys` (prefixed here) and `args`; `None` on any trouble. EVALSHA
    /// first, the script's text only when Redis does not know it yet.
    pub async fn eval<T: redis::FromRedisValue>(
        &self,
        script: &redis::Script,
        keys: &[&str],
        args: &[String],
    ) -> Option<T> {
        let inner = self.inner.as_ref()?;
        let mut invocation = script.prepare_invoke();
        for key in keys {
            invocation.key(self.key(key));
        }
        for arg in args {
            invocation.arg(arg);
        }
        let query = async {
            let mut conn = inner.pool.get().await.map_err(Failure::from_pool)?;
            invocation
                .invoke_async::<T>(&mut conn)
                .await
                .map_err(Failure::Redis)
        };
        self.settled(inner.guarded(query).await)
    }

    /// Publishes `message` on `channel`; best effort.
    pub async fn publish(&self, channel: &str, message: &str) {
        let channel = self.key(channel);
        let _: Option<i64> = self
            .run(redis::cmd("PUBLISH").arg(channel).arg(message))
            .await;
    }

    async fn run<T: redis::FromRedisValue>(&self, cmd: &mut redis::Cmd) -> Option<T> {
        let inner = self.inner.as_ref()?;
        let query = async {
            let mut conn = inner.pool.get().await.map_err(Failure::from_pool)?;
            cmd.query_async::<T>(&mut conn)
                .await
                .map_err(Failure::Redis)
        };
        self.settled(inner.guarded(query).await)
    }

    /// Passes a call's outcome on; after a success, sends the invalidations Redis missed.
    fn settled<T>(&self, value: Option<T>) -> Option<T> {
        if value.is_some() {
            self.flush_pending();
        }
        value
    }

    /// Deletes, in the background, the keys whose invalidation failed while Redis was away.
    fn flush_pending(&self) {
        let Some(inner) = &self.inner else { return };
        if !inner.has_pending.swap(false, Ordering::AcqRel) {
            return;
        }
        let keys: Vec<String> = lock(&inner.pending).drain().collect();
        if keys.is_empty() {
            return;
        }
        let cache = self.clone();
        tokio::spawn(async move {
            let Some(inner) = &cache.inner else { return };
            for chunk in keys.chunks(500) {
                let done: Option<i64> = cache.run(redis::cmd("DEL").arg(chunk)).await;
                if done.is_none() {
                    inner.remember(chunk.iter().cloned());
                    return;
                }
            }
            tracing::debug!(
                keys = keys.len(),
                "stale cache entries from the outage removed"
            );
        });
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// Why a call failed.
enum Failure {
    Redis(redis::RedisError),
    Pool(String),
    TimedOut,
}

impl Failure {
    fn from_pool(err: deadpool_redis::PoolError) -> Failure {
        match err {
            deadpool_redis::PoolError::Backend(err) => Failure::Redis(err),
            deadpool_redis::PoolError::Timeout(_) => Failure::TimedOut,
            other => Failure::Pool(other.to_string()),
        }
    }

    fn is_wrong_password(&self) -> bool {
        match self {
            Failure::Redis(err) => {
                err.kind() == redis::ErrorKind::AuthenticationFailed
                    || err.code() == Some("WRONGPASS")
                    || err.to_string().contains("invalid username-password pair")
            }
            _ => false,
        }
    }

    fn reason(&self) -> String {
        match self {
            Failure::Redis(err) => err.to_string(),
            Failure::Pool(why) => why.clone(),
            Failure::TimedOut => "timed out".into(),
        }
    }
}

impl Inner {
    /// Keeps full keys for deletion once Redis answers again.
    fn remember(&self, keys: impl IntoIterator<Item = String>) {
        let mut pending = lock(&self.pending);
        for key in keys {
            if pending.len() >= PENDING_MAX {
                break;
            }
            pending.insert(key);
        }
        if !pending.is_empty() {
            self.has_pending.store(true, Ordering::Release);
        }
    }

    /// Runs `query` if the breaker lets it, under the command deadline, and records the outcome.
    async fn guarded<T>(
        &self,
        query: impl std::future::Future<Output = Result<T, Failure>>,
    ) -> Option<T> {
        match self.admit() {
            Admit::No => {
                self.skipped.fetch_add(1, Ordering::Relaxed);
                metrics::counter!("stocklens_redis_calls_total", "outcome" => "skipped")
                    .increment(1);
                return None;
            }
            Admit::Yes | Admit::Probe => {}
        }
        self.calls.fetch_add(1, Ordering::Relaxed);
        // The connect deadline covers a first connection; a pooled one only the command's.
        let deadline = self
            .settings
            .connect_timeout
            .max(self.settings.command_timeout);
        let started = Instant::now();
        let result = match tokio::time::timeout(deadline, query).await {
            Ok(result) => result,
            Err(_) => Err(Failure::TimedOut),
        };
        match result {
            Ok(value) => {
                metrics::counter!("stocklens_redis_calls_total", "outcome" => "ok").increment(1);
                self.succeeded(started);
                Some(value)
            }
            Err(failure) => {
                metrics::counter!("stocklens_redis_calls_total", "outcome" => "failed")
                    .increment(1);
                self.failed(&failure);
                None
            }
        }
    }

    fn admit(&self) -> Admit {
        let mut breaker = lock(&self.breaker);
        match *breaker {
            Breaker::Closed { .. } => Admit::Yes,
            Breaker::Open { until } if Instant::now() >= until => {
                *breaker = Breaker::HalfOpen;
                metrics::gauge!("stocklens_redis_breaker_state").set(2.0);
                metrics::counter!("stocklens_redis_breaker_transitions_total", "to" => "half-open")
                    .increment(1);
                Admit::Probe
            }
            Breaker::Open { .. } | Breaker::HalfOpen => Admit::No,
        }
    }

    /// Records the success of a call that started at `started`.
    fn succeeded(&self, started: Instant) {
        if lock(&self.log).failed_at.is_some_and(|at| started < at) {
            return;
        }
        let mut breaker = lock(&self.breaker);
        if !matches!(*breaker, Breaker::Closed { .. }) {
            self.closed.fetch_add(1, Ordering::Relaxed);
            metrics::gauge!("stocklens_redis_breaker_state").set(0.0);
            metrics::counter!("stocklens_redis_breaker_transitions_total", "to" => "closed")
                .increment(1);
        }
        *breaker = Breaker::Closed { failures: 0 };
        drop(breaker);
        let mut log = lock(&self.log);
        if !log.connected_once {
            log.connected_once = true;
            tracing::info!(redis = %self.target, tls = self.tls, "Redis connected ({}, TLS {})", self.target, if self.tls { "on" } else { "off" });
        } else if log.down {
            tracing::info!(redis = %self.target, "Redis back");
        }
        log.down = false;
    }

    fn failed(&self, failure: &Failure) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        let mut breaker = lock(&self.breaker);
        let open = match *breaker {
            Breaker::Closed { failures } => failures + 1 >= self.settings.failures_to_open,
            Breaker::HalfOpen | Breaker::Open { .. } => true,
        };
        if open {
            if !matches!(*breaker, Breaker::Open { .. }) {
                self.opened.fetch_add(1, Ordering::Relaxed);
                metrics::gauge!("stocklens_redis_breaker_state").set(1.0);
                metrics::counter!("stocklens_redis_breaker_transitions_total", "to" => "open")
                    .increment(1);
            }
            *breaker = Breaker::Open {
                until: Instant::now() + self.settings.cool_down,
            };
        } else if let Breaker::Closed { failures } = &mut *breaker {
            *failures += 1;
        }
        drop(breaker);
        let mut log = lock(&self.log);
        log.failed_at = Some(Instant::now());
        if failure.is_wrong_password() {
            let due = log
                .last_wrongpass
                .is_none_or(|at| at.elapsed() >= Duration::from_secs(60));
            if due {
                log.last_wrongpass = Some(Instant::now());
                tracing::error!(
                    redis = %self.target,
                    user = %self.user,
                    "Redis rejected the password of user {} at {} (WRONGPASS): check REDIS_URL (a trailing newline in a secret is a common cause); running without cache",
                    self.user,
                    self.target
                );
            }
            log.down = true;
        } else if !log.down {
            log.down = true;
            let timed_out = match failure {
                Failure::TimedOut => true,
                Failure::Redis(err) => err.is_timeout(),
                Failure::Pool(_) => false,
            };
            let hint = if self.tls && timed_out {
                " (TLS was asked for by rediss://: does this server speak TLS?)"
            } else {
                ""
            };
            tracing::warn!(redis = %self.target, "Redis unavailable: {}{hint}; running without cache", failure.reason());
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
