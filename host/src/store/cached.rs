//! The rows a contributor's every button press reads, kept in Redis in front of the database:
//! the user record (by Telegram id), their quota usage, and their chat's dialogue state.
//!
//! The database stays the truth. Reads try the cache first and fall back to the database on a
//! miss or any Redis trouble; every change the store makes to one of these rows goes to the
//! database first and then refreshes or deletes the cached copy, so invalidation cannot be
//! forgotten by a caller. Decisions that must be exact (reserving quota, taking an expired
//! dialogue) always run against the database. TTLs are short, bounding how long a change made
//! behind the store's back (SQL by hand, a process without Redis) stays invisible.

use std::time::Duration;

use super::{Store, User};

/// How long a cached user record lives.
pub const USER_TTL: Duration = Duration::from_secs(300);
/// How long a cached quota usage lives: short, since usage also changes as reservations age out
/// of the plan's window, which no write announces.
pub const QUOTA_TTL: Duration = Duration::from_secs(60);
/// How long a cached dialogue state lives (its own expiry is checked on every read as well).
pub const DIALOGUE_TTL: Duration = Duration::from_secs(300);

pub(crate) fn user_key(telegram_id: i64) -> String {
    format!("user:{telegram_id}")
}

pub(crate) fn quota_key(user_id: i64) -> String {
    format!("quota:{user_id}")
}

pub(crate) fn dialogue_key(chat_id: i64) -> String {
    format!("dialogue:{chat_id}")
}

impl Store {
    /// After a change to `user`: the cached record is replaced, the cached quota (which depends
    /// on the plan) dropped.
    pub(crate) async fn user_changed(&self, user: &User) {
        if !self.cache.is_enabled() {
            return;
        }
        self.cache
            .set_json(&user_key(user.telegram_id), user, USER_TTL)
            .await;
        self.cache.delete(&[&quota_key(user.id)]).await;
    }

    /// After a change to a user's quota ledger.
    pub(crate) async fn quota_changed(&self, user_id: i64) {
        self.cache.delete(&[&quota_key(user_id)]).await;
    }

    /// After a change to the ledger entry of `analysis_id` (one extra lookup, only with a cache).
    pub(crate) async fn quota_changed_for_analysis(&self, analysis_id: i64) {
        if !self.cache.is_enabled() {
            return;
        }
        match self.quota_entry(analysis_id).await {
            Ok(entry) => self.quota_changed(entry.user_id).await,
            // No entry, no cached usage to correct; a database error leaves it to the TTL.
            Err(err) => {
                tracing::debug!(analysis_id, error = %err, "cannot find whose quota changed; the cached usage expires on its own")
            }
        }
    }

    /// After a plan's limits changed: every cached quota may be wrong (rare, operator-driven).
    pub(crate) async fn plans_changed(&self) {
        self.cache.delete_matching("quota:*").await;
    }
}
