//! The bot's dialogue state per chat: an opaque JSON text with an optional expiry, kept in the
//! database rather than Redis (teloxide's Redis storage has no TTL, no key prefix and no
//! fallback). The store does not read the state; an expired one reads as absent. With Redis, the
//! state (or its absence) is also cached, written through on every change.

use std::time::Duration;

use super::cached::{DIALOGUE_TTL, dialogue_key};
use super::{Store, StoreError, millis};

/// One chat's stored dialogue state.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct DialogueState {
    pub chat_id: i64,
    /// The bot's state machine, serialized as JSON text.
    pub state: String,
    pub updated_at: i64,
    /// After this time (Unix ms) the state reads as absent; `None` for never.
    pub expires_at: Option<i64>,
}

impl Store {
    /// Stores a chat's dialogue state, replacing any previous one; it expires `ttl` from now
    /// (`None`: never).
    pub async fn set_dialogue(
        &self,
        chat_id: i64,
        state: &str,
        ttl: Option<Duration>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let expires_at = ttl.map(|ttl| now.saturating_add(millis(ttl)));
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO dialogue_states (chat_id, state, updated_at, expires_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (chat_id) DO UPDATE SET
                     state = excluded.state,
                     updated_at = excluded.updated_at,
                     expires_at = excluded.expires_at",
            )
            .bind(chat_id)
            .bind(state)
            .bind(now)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        let cached = Some(DialogueState {
            chat_id,
            state: state.to_owned(),
            updated_at: now,
            expires_at,
        });
        self.cache
            .set_json(&dialogue_key(chat_id), &cached, DIALOGUE_TTL)
            .await;
        Ok(())
    }

    /// A chat's dialogue state, or `None` if there is none or it has expired.
    pub async fn dialogue(&self, chat_id: i64) -> Result<Option<DialogueState>, StoreError> {
        let now = self.now();
        let key = dialogue_key(chat_id);
        // A cached `null` is a cached absence: most button presses happen with no request open.
        if let Some(cached) = self.cache.get_json::<Option<DialogueState>>(&key).await {
            return Ok(cached.filter(|s| s.expires_at.is_none_or(|at| at > now)));
        }
        let state = with_pool!(self, |pool| {
            sqlx::query_as::<_, DialogueState>(
                "SELECT chat_id, state, updated_at, expires_at FROM dialogue_states
                 WHERE chat_id = $1 AND (expires_at IS NULL OR expires_at > $2)",
            )
            .bind(chat_id)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        self.cache.set_json(&key, &state, DIALOGUE_TTL).await;
        Ok(state)
    }

    /// Forgets a chat's dialogue state; returns whether there was one.
    pub async fn clear_dialogue(&self, chat_id: i64) -> Result<bool, StoreError> {
        let deleted = with_pool!(self, |pool| {
            sqlx::query("DELETE FROM dialogue_states WHERE chat_id = $1")
                .bind(chat_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        self.cache
            .set_json(&dialogue_key(chat_id), &None::<DialogueState>, DIALOGUE_TTL)
            .await;
        Ok(deleted > 0)
    }

    /// Deletes every expired dialogue state; returns how many.
    pub async fn purge_expired_dialogues(&self) -> Result<u64, StoreError> {
        let now = self.now();
        let deleted = with_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM dialogue_states WHERE expires_at IS NOT NULL AND expires_at <= $1",
            )
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(deleted)
    }

    /// Removes and returns every expired dialogue state, so exactly one process (of several
    /// sharing the database) tells each contributor their request expired.
    pub async fn take_expired_dialogues(&self) -> Result<Vec<DialogueState>, StoreError> {
        let now = self.now();
        let taken = with_pool!(self, |pool| {
            sqlx::query_as::<_, DialogueState>(
                "DELETE FROM dialogue_states WHERE expires_at IS NOT NULL AND expires_at <= $1
                 RETURNING chat_id, state, updated_at, expires_at",
            )
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        let keys: Vec<String> = taken.iter().map(|s| dialogue_key(s.chat_id)).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        self.cache.delete(&keys).await;
        Ok(taken)
    }
}
