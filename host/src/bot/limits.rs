//! Per-contributor limits kept in this process: uploads per hour and a flood guard on messages.
//! Several bot processes each count their own, so across processes the limits are approximate
//! (a contributor whose updates land on two replicas gets up to twice the allowance).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often the maps drop contributors who have gone quiet.
const PRUNE_EVERY: u32 = 1024;

/// Sliding-window and token-bucket limits per contributor.
#[derive(Debug)]
pub struct Limits {
    uploads_per_hour: u32,
    flood_burst: f64,
    flood_per_sec: f64,
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
            state: Mutex::default(),
        }
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

    /// Counts an upload of `user` if the hour's allowance has room; otherwise says how long
    /// until it has.
    pub fn upload(&self, user: i64) -> Result<(), Duration> {
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

    /// The flood guard's verdict on one more message from `user`, sent at `sent_at` (Unix
    /// seconds, from the message itself). The rate is the contributor's sending rate, not the
    /// rate this process gets to the messages: a burst queued behind a slow reply still counts
    /// as a burst.
    pub fn message(&self, user: i64, sent_at: f64) -> Flood {
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
            assert_eq!(limits.upload(1), Ok(()));
        }
        let wait = limits.upload(1).err().unwrap_or_default();
        assert!(wait > Duration::from_secs(3500) && wait <= HOUR, "{wait:?}");
        assert_eq!(limits.upload(2), Ok(()));
    }

    #[test]
    fn a_flood_is_warned_once_then_ignored() {
        let limits = Limits::new(10, 2, 1.0);
        assert_eq!(limits.message(1, 100.0), Flood::Allowed);
        assert_eq!(limits.message(1, 100.0), Flood::Allowed);
        assert_eq!(limits.message(1, 100.0), Flood::Warn);
        assert_eq!(limits.message(1, 100.0), Flood::Ignore);
        assert_eq!(limits.message(2, 100.0), Flood::Allowed);
        // The contributor's own pace refills it, however late the messages are read.
        assert_eq!(limits.message(1, 101.5), Flood::Allowed);
        assert_eq!(limits.message(1, 101.5), Flood::Warn);
    }
}
