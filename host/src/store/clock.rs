//! Where the store's "now" comes from. Every timestamp, lease deadline and expiry the store
//! writes or compares is read from one [`Clock`], never from the database server's clock, so both
//! backends agree and tests move time forward instead of sleeping. It must not be used for
//! measuring durations (that is `Instant`'s job).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current time in Unix milliseconds.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    /// The machine's wall clock.
    #[default]
    System,
    /// A clock a test sets and advances by hand.
    Manual(ManualClock),
}

impl Clock {
    /// The current time in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => system_now_ms(),
            Clock::Manual(clock) => clock.now_ms(),
        }
    }
}

/// A clock that stands still until told to move; clones share the same time.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock standing at `ms` (Unix milliseconds).
    pub fn at(ms: i64) -> ManualClock {
        ManualClock(Arc::new(AtomicI64::new(ms)))
    }

    /// A clock standing at the wall clock's current time.
    pub fn starting_now() -> ManualClock {
        ManualClock::at(system_now_ms())
    }

    /// The time it stands at, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(super::millis(by), Ordering::SeqCst);
    }
}

impl From<ManualClock> for Clock {
    fn from(clock: ManualClock) -> Clock {
        Clock::Manual(clock)
    }
}

impl From<&ManualClock> for Clock {
    fn from(clock: &ManualClock) -> Clock {
        Clock::Manual(clock.clone())
    }
}

fn system_now_ms() -> i64 {
    // A clock set before 1970 reads as the epoch rather than failing every write.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(super::millis)
        .unwrap_or(0)
}
