//! Per-contributor limits: uploads per hour (a sliding window) and a flood guard on messages (a
//! token bucket refilled at the contributor's own sending pace).
//!
//! With Redis the counters live there, shared by every bot replica, each check one Lua script
//! run atomically. Without Redis, or while it is unreachable, each process counts on its own, so
//! across processes the limits are then approximate (a contributor whose updates land on two
//! replicas gets up to twice the allowance). A limit never fails a request: a Redis that cannot
//! answer means the local count decides.

use std::collections::{HashMap, VecDeque};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use deadpool_redis::redis;

use crate::cache::Cache;

/// The sliding window of uploads: drops entries older than the window, then adds this upload if
/// there is room (returns -1) or says in how many milliseconds there will be.
/// KEYS[1] the window; ARGV: now (ms), window (ms), limit, a unique member.
static UPLOAD_WINDOW: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return -1
",
    )
});

/// The flood guard's token bucket: 0 allowed, 1 warn, 2 ignore.
/// KEYS[1] the bucket; ARGV: burst, tokens per second, sent at (s), TTL (ms).
static FLOOD_BUCKET: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local burst, rate, sent = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'warned')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or sent
local warned = b[3] == '1'
tokens = math.min(burst, tokens + math.max(0, sent - at) * rate)
at = math.max(at, sent)
local verdict = 0
if tokens >= 1 then
  tokens = tokens - 1
  warned = false
elseif warned then
  verdict = 2
else
  warned = true
  verdict = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at), 'warned', warned and '1' or '0')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return verdict
",
    )
});

/// How often the maps drop contributors who have gone quiet.
const PRUNE_EVERY: u32 = 1024;

/// Sliding-window and token-bucket limits per contributor.
#[derive(Debug)]
pub struct Limits {
    uploads_per_hour: u32,
    flood_burst: f64,
    flood_per_sec: f64,
    /// Where the shared counters live; the local `state` counts when it cannot answer.
    cache: Cache,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    uploads: HashMap<i64, VecDeque<Instant>>,
    flood: HashMap<i64, Bucket>,
    calls: u32,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    /// When the last message was sent (Unix seconds, Telegram's clock).
    at: f64,
    /// When this process last saw the contributor, for pruning.
    seen: Instant,
    /// Whether the contributor was told they are flooding since the bucket last emptied.
    warned: bool,
}

/// What the flood guard says about one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flood {
    Allowed,
    /// Over the limit: answer once with a warning...
    Warn,
    /// ...then ignore until the bucket refills.
    Ignore,
}

const HOUR: Duration = Duration::from_secs(3600);

impl Limits {
    pub fn new(uploads_per_hour: u32, flood_burst: u32, flood_per_sec: f64) -> Limits {
        Limits {
            uploads_per_hour,
            flood_burst: f64::from(flood_burst.max(1)),
            flood_per_sec: flood_per_sec.max(0.01),
            cache: Cache::disabled(),
            state: Mutex::default(),
        }
    }

    /// The same limits, counted in `cache` (shared by every process using it) when it answers.
    pub fn shared(mut self, cache: Cache) -> Limits {
        self.cache = cache;
        self
    }

    /// Counts an upload of `user` if the hour's allowance has room; otherwise says how long
    /// until it has. Shared across processes through Redis when it answers.
    pub async fn upload(&self, user: i64) -> Result<(), Duration> {
        if self.cache.is_enabled() {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis();
            let mut nonce = [0u8; 6];
            let _ = getrandom::fill(&mut nonce);
            let args = [
                now.to_string(),
                HOUR.as_millis().to_string(),
                self.uploads_per_hour.to_string(),
                format!("{now}-{}", hex::encode(nonce)),
            ];
            let key = format!("limit:uploads:{user}");
            match self.cache.eval::<i64>(&UPLOAD_WINDOW, &[&key], &args).await {
                Some(wait) if wait < 0 => return Ok(()),
                Some(wait) => return Err(Duration::from_millis(wait.unsigned_abs())),
                None => {}
            }
        }
        self.upload_here(user)
    }

    /// The flood guard's verdict on one more message from `user`, sent at `sent_at` (Unix
    /// seconds, from the message itself). Shared across processes through Redis when it
    /// answers.
    pub async fn message(&self, user: i64, sent_at: f64) -> Flood {
        if self.cache.is_enabled() {
            // The bucket outlives a full refill, so a returning flooder starts full anyway.
            let ttl = Duration::from_secs_f64(self.flood_burst / self.flood_per_sec + 60.0);
            let args = [
                self.flood_burst.to_string(),
                self.flood_per_sec.to_string(),
                sent_at.to_string(),
                ttl.as_millis().to_string(),
            ];
            let key = format!("limit:flood:{user}");
            match self.cache.eval::<i64>(&FLOOD_BUCKET, &[&key], &args).await {
                Some(0) => return Flood::Allowed,
                Some(1) => return Flood::Warn,
                Some(_) => return Flood::Ignore,
                None => {}
            }
        }
        self.message_here(user, sent_at)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.calls = state.calls.wrapping_add(1);
        if state.calls.is_multiple_of(PRUNE_EVERY) {
            let now = Instant::now();
            state
                .uploads
                .retain(|_, times| times.back().is_some_and(|&t| now - t < HOUR));
            let full = self.flood_burst / self.flood_per_sec;
            state
                .flood
                .retain(|_, bucket| now.duration_since(bucket.seen).as_secs_f64() < full);
        }
        state
    }

    /// [`Limits::upload`] counted in this process only.
    fn upload_here(&self, user: i64) -> Result<(), Duration> {
        let now = Instant::now();
        let mut state = self.state();
        let times = state.uploads.entry(user).or_default();
        while times.front().is_some_and(|&t| now - t >= HOUR) {
            times.pop_front();
        }
        if times.len() >= self.uploads_per_hour as usize {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(HOUR.saturating_sub(now - oldest));
        }
        times.push_back(now);
        Ok(())
    }

    /// [`Limits::message`] counted in this process only. The rate is the contributor's sending
    /// rate, not the rate this process gets to the messages: a burst queued behind a slow reply
    /// still counts as a burst.
    fn message_here(&self, user: i64, sent_at: f64) -> Flood {
        let burst = self.flood_burst;
        let rate = self.flood_per_sec;
        let mut state = self.state();
        let bucket = state.flood.entry(user).or_insert(Bucket {
            tokens: burst,
            at: sent_at,
            seen: Instant::now(),
            warned: false,
        });
        let refill = (sent_at - bucket.at).max(0.0) * rate;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = bucket.at.max(sent_at);
        bucket.seen = Instant::now();
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            bucket.warned = false;
            Flood::Allowed
        } else if bucket.warned {
            Flood::Ignore
        } else {
            bucket.warned = true;
            Flood::Warn
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_stop_at_the_hourly_allowance_per_user() {
        let limits = Limits::new(3, 10, 1.0);
        for _ in 0..3 {
            assert_eq!(limits.upload_here(1), Ok(()));
        }
        let wait = limits.upload_here(1).err().unwrap_or_default();
        assert!(wait > Duration::from_secs(3500) && wait <= HOUR, "{wait:?}");
        assert_eq!(limits.upload_here(2), Ok(()));
    }

    #[test]
    fn a_flood_is_warned_once_then_ignored() {
        let limits = Limits::new(10, 2, 1.0);
        assert_eq!(limits.message_here(1, 100.0), Flood::Allowed);
        assert_eq!(limits.message_here(1, 100.0), Flood::Allowed);
        assert_eq!(limits.message_here(1, 100.0), Flood::Warn);
        assert_eq!(limits.message_here(1, 100.0), Flood::Ignore);
        assert_eq!(limits.message_here(2, 100.0), Flood::Allowed);
        // The contributor's own pace refills it, however late the messages are read.
        assert_eq!(limits.message_here(1, 101.5), Flood::Allowed);
        assert_eq!(limits.message_here(1, 101.5), Flood::Warn);
    }
}
