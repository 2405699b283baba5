//! Token buckets standing in for Telegram's flood control: one per chat and one for the bot.
//!
//! Telegram does not publish its algorithm; a bucket reproduces the documented behaviour (a short
//! burst passes, a sustained rate above the limit gets 429 with `retry_after`). It must not sleep:
//! an over-limit call is refused at once, as Telegram refuses it.

use std::time::Instant;

use super::events::RateLimit;

#[derive(Debug, Clone)]
pub struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    refilled_at: Instant,
}

impl TokenBucket {
    pub fn new(limit: RateLimit, now: Instant) -> Self {
        Self {
            limit,
            tokens: f64::from(limit.burst),
            refilled_at: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.tokens =
            (self.tokens + elapsed * self.limit.per_second).min(f64::from(self.limit.burst));
        self.refilled_at = now;
    }

    /// `None` if a call may pass now, else the whole seconds to wait (at least 1, as Telegram's
    /// `retry_after` is an integer).
    pub fn check(&mut self, now: Instant) -> Option<u32> {
        self.refill(now);
        if self.tokens >= 1.0 {
            return None;
        }
        if self.limit.per_second <= 0.0 {
            return Some(u32::MAX);
        }
        let wait = (1.0 - self.tokens) / self.limit.per_second;
        // Saturating float-to-int conversion; a wait that long means "never".
        Some((wait.ceil() as u32).max(1))
    }

    /// Takes one token; call only after [`check`](Self::check) allowed it.
    pub fn take(&mut self) {
        self.tokens -= 1.0;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn burst_passes_then_waits_for_refill() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(
            RateLimit {
                burst: 2,
                per_second: 0.5,
            },
            start,
        );
        for _ in 0..2 {
            assert_eq!(bucket.check(start), None);
            bucket.take();
        }
        assert_eq!(bucket.check(start), Some(2));
        assert_eq!(bucket.check(start + Duration::from_secs(2)), None);
    }
}
