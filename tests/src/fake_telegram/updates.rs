//! The update queue and `getUpdates`: updates wait here, in order, until the bot confirms them
//! (by asking with a higher `offset`) or the webhook sender delivers them.
//!
//! Updates are serialized once when queued and sent as stored bytes, so a long poll answering
//! a hundred updates does no JSON work. A waiting poll sleeps on a watch channel, never on a timer
//! loop.

use std::{collections::BTreeMap, sync::Arc, sync::atomic::Ordering, time::Duration};

use bytes::{BufMut, Bytes, BytesMut};
use serde_json::{Value, json};

use super::{
    bot_api::ApiError,
    params::Params,
    state::{Shared, lock},
};

/// Telegram starts a bot's update ids at an arbitrary large number; any start works for teloxide.
const FIRST_UPDATE_ID: i64 = 100_000_000;

/// Telegram's maximum `limit`.
const MAX_LIMIT: usize = 100;

/// Longest long poll honoured; Telegram itself stops around 50 s.
const MAX_POLL_TIMEOUT: Duration = Duration::from_secs(50);

#[derive(Debug)]
pub struct PendingUpdate {
    pub chat_id: i64,
    /// The update's field name: `message`, `callback_query`.
    pub kind: &'static str,
    /// The whole update as JSON.
    pub body: Bytes,
}

#[derive(Debug)]
pub struct UpdateQueue {
    next_id: i64,
    pending: BTreeMap<i64, PendingUpdate>,
    /// The last `allowed_updates` the bot gave (getUpdates or setWebhook); Telegram remembers it.
    pub allowed: Option<Vec<String>>,
}

impl UpdateQueue {
    pub fn new() -> Self {
        Self {
            next_id: FIRST_UPDATE_ID,
            pending: BTreeMap::new(),
            allowed: None,
        }
    }

    /// Queues `{"update_id": N, kind: payload}` and returns N. The caller wakes the waiters.
    pub fn push(&mut self, chat_id: i64, kind: &'static str, payload: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut update = json!({ "update_id": id });
        update[kind] = payload;
        let body = Bytes::from(update.to_string());
        self.pending.insert(
            id,
            PendingUpdate {
                chat_id,
                kind,
                body,
            },
        );
        id
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    pub fn get(&self, id: i64) -> Option<&PendingUpdate> {
        self.pending.get(&id)
    }

    pub fn remove(&mut self, id: i64) {
        self.pending.remove(&id);
    }

    /// Ids and chats of updates from `from` on, in order.
    pub fn ids_from(&self, from: i64) -> Vec<(i64, i64)> {
        self.pending
            .range(from..)
            .map(|(id, u)| (*id, u.chat_id))
            .collect()
    }

    /// Applies getUpdates' `offset`: everything below a positive offset is confirmed and
    /// forgotten; a negative offset keeps only the last `-offset` updates.
    fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            self.pending = self.pending.split_off(&offset);
        } else if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            while self.pending.len() > keep {
                self.pending.pop_first();
            }
        }
    }

    fn allows(&self, kind: &str) -> bool {
        match &self.allowed {
            Some(allowed) if !allowed.is_empty() => allowed.iter().any(|a| a == kind),
            _ => true,
        }
    }

    /// Up to `limit` allowed updates as a JSON array.
    fn take_batch(&self, limit: usize) -> Option<Bytes> {
        let mut out = BytesMut::new();
        let mut count = 0;
        for update in self
            .pending
            .values()
            .filter(|u| self.allows(u.kind))
            .take(limit)
        {
            out.put_u8(if count == 0 { b'[' } else { b',' });
            out.extend_from_slice(&update.body);
            count += 1;
        }
        if count == 0 {
            return None;
        }
        out.put_u8(b']');
        Some(out.freeze())
    }
}

impl Default for UpdateQueue {
    fn default() -> Self {
        Self::new()
    }
}

fn webhook_conflict() -> ApiError {
    ApiError::conflict(
        "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    )
}

/// `getUpdates`: answers the JSON `result` array as raw bytes.
pub async fn get_updates(shared: &Arc<Shared>, params: &Params) -> Result<Bytes, ApiError> {
    if shared.webhook_active() {
        return Err(webhook_conflict());
    }
    let generation = shared.poll_generation.fetch_add(1, Ordering::SeqCst) + 1;
    let mut wake = shared.wake.subscribe();
    shared.wake();
    wake.borrow_and_update();

    let limit = params.i64("limit").map_or(MAX_LIMIT, |l| {
        usize::try_from(l.clamp(1, MAX_LIMIT as i64)).unwrap_or(MAX_LIMIT)
    });
    let timeout = params
        .f64("timeout")
        .filter(|t| t.is_finite() && *t > 0.0)
        .map_or(Duration::ZERO, |t| {
            Duration::from_secs_f64(t).min(MAX_POLL_TIMEOUT)
        });
    let allowed: Option<Vec<String>> = params
        .json("allowed_updates")
        .and_then(|v| serde_json::from_value(v).ok());
    {
        let mut queue = lock(&shared.updates);
        if let Some(offset) = params.i64("offset") {
            queue.confirm(offset);
        }
        if let Some(allowed) = allowed {
            queue.allowed = Some(allowed);
        }
    }

    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if shared.poll_generation.load(Ordering::SeqCst) != generation {
            return Err(ApiError::conflict(
                "terminated by other getUpdates request; make sure that only one bot instance is running",
            ));
        }
        if shared.webhook_active() {
            return Err(webhook_conflict());
        }
        if let Some(batch) = lock(&shared.updates).take_batch(limit) {
            return Ok(batch);
        }
        tokio::select! {
            changed = wake.changed() => {
                if changed.is_err() {
                    return Ok(Bytes::from_static(b"[]"));
                }
            }
            () = tokio::time::sleep_until(deadline) => return Ok(Bytes::from_static(b"[]")),
        }
    }
}
