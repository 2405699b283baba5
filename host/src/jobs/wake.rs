//! Redis wake-ups: a PUBLISH on one channel per new job, and a listener per worker process that
//! turns each message into a [`Notify`] the claim loop waits on. Redis only ever wakes: a lost
//! message costs one poll interval, and a Redis that is down means polling until it is back.
//!
//! Every Redis operation runs under an explicit short timeout, and the log says once that Redis
//! went away and once that it is back, never once per attempt, and never prints the URL (it may
//! hold a password). This module must not hold job state; the database does.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use deadpool_redis::redis;
use futures_util::StreamExt;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// The pub/sub channel a new job is announced on (the message is the job id).
pub const CHANNEL: &str = "stocklens:jobs:wake";

/// Longest a Redis connect or command may take. A wake-up is only worth anything if it is
/// faster than the next poll (500 ms by default), so waiting longer than that buys nothing.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

/// Pause between attempts to reach a Redis that is down: often enough to resume wake-ups within
/// a second or two of Redis coming back, rarely enough to cost nothing while it is away.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Pooled connections a publisher keeps: a PUBLISH is one short round trip.
const PUBLISHER_POOL_SIZE: usize = 4;

/// Why Redis could not be used.
#[derive(Debug, thiserror::Error)]
pub enum WakeError {
    #[error("invalid REDIS_URL: {0}")]
    BadUrl(String),
}

/// Whether Redis was last seen up; logs each change once.
#[derive(Clone, Debug, Default)]
struct Health {
    down: Arc<AtomicBool>,
}

impl Health {
    fn down(&self, why: &dyn std::fmt::Display) {
        if !self.down.swap(true, Ordering::SeqCst) {
            tracing::warn!(error = %why, "Redis unavailable; polling the database until it is back");
        }
    }

    fn up(&self) {
        if self.down.swap(false, Ordering::SeqCst) {
            tracing::info!("Redis back; wake-ups resume");
        }
    }
}

/// Announces new jobs. Cheap to clone.
#[derive(Clone)]
pub struct WakePublisher {
    pool: deadpool_redis::Pool,
    health: Health,
}

impl std::fmt::Debug for WakePublisher {
    // The pool's config holds the URL, and with it maybe a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WakePublisher").finish_non_exhaustive()
    }
}

impl WakePublisher {
    /// A publisher to the Redis at `url` (`redis://` or `rediss://`). Connects lazily.
    pub fn new(url: &str) -> Result<WakePublisher, WakeError> {
        let mut config = deadpool_redis::Config::from_url(url);
        let mut pool = deadpool_redis::PoolConfig::new(PUBLISHER_POOL_SIZE);
        pool.timeouts = deadpool_redis::Timeouts {
            wait: Some(REDIS_TIMEOUT),
            create: Some(REDIS_TIMEOUT),
            recycle: Some(REDIS_TIMEOUT),
        };
        config.pool = Some(pool);
        let pool = config
            .create_pool(Some(deadpool_redis::Runtime::Tokio1))
            // The error names what is wrong with the URL, not the URL.
            .map_err(|err| WakeError::BadUrl(err.to_string()))?;
        Ok(WakePublisher {
            pool,
            health: Health::default(),
        })
    }

    /// Announces job `job_id`. Never fails: without Redis, workers find the job by polling.
    pub async fn job_enqueued(&self, job_id: i64) {
        let publish = async {
            let mut conn = self.pool.get().await.map_err(|e| e.to_string())?;
            redis::cmd("PUBLISH")
                .arg(CHANNEL)
                .arg(job_id)
                .query_async::<i64>(&mut conn)
                .await
                .map_err(|e| e.to_string())
        };
        match tokio::time::timeout(REDIS_TIMEOUT, publish).await {
            Ok(Ok(_)) => self.health.up(),
            Ok(Err(err)) => self.health.down(&err),
            Err(_) => self.health.down(&"timed out"),
        }
    }
}

/// Listens on [`CHANNEL`] until `stop`, waking `notify` once per message, reconnecting after
/// [`RECONNECT_DELAY`] whenever the connection fails. Returns at once for a malformed URL.
pub async fn listen(
    url: &str,
    notify: Arc<Notify>,
    stop: CancellationToken,
) -> Result<(), WakeError> {
    let client = redis::Client::open(url).map_err(|err| WakeError::BadUrl(err.to_string()))?;
    let health = Health::default();
    while !stop.is_cancelled() {
        let subscribed = async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(CHANNEL).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        match tokio::time::timeout(REDIS_TIMEOUT, subscribed).await {
            Ok(Ok(mut pubsub)) => {
                health.up();
                tracing::info!("listening for Redis wake-ups");
                // Jobs announced while we were away were missed: look at once.
                notify.notify_one();
                let mut messages = pubsub.on_message();
                loop {
                    tokio::select! {
                        message = messages.next() => match message {
                            Some(_) => notify.notify_one(),
                            None => {
                                health.down(&"connection closed");
                                break;
                            }
                        },
                        () = stop.cancelled() => return Ok(()),
                    }
                }
            }
            Ok(Err(err)) => health.down(&err),
            Err(_) => health.down(&"timed out"),
        }
        tokio::select! {
            () = tokio::time::sleep(RECONNECT_DELAY) => {}
            () = stop.cancelled() => {}
        }
    }
    Ok(())
}
