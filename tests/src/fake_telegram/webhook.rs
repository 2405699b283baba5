//! Webhooks: `setWebhook`, `deleteWebhook`, `getWebhookInfo`, and the sender that POSTs queued
//! updates to the bot.
//!
//! Like Telegram, the sender keeps up to `max_connections` deliveries in flight, keeps one chat's
//! updates in order (the next update of a chat waits until the previous one got a 2xx), and
//! retries a failed delivery with growing delays until it succeeds or the webhook changes. An
//! update leaves the queue only once delivered, so deleting the webhook hands undelivered updates
//! back to getUpdates.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};
use tokio::sync::Semaphore;

use super::{
    bot_api::ApiError,
    params::Params,
    state::{Shared, lock, unix_now},
};

/// How long the sender waits for the bot to answer one update.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);
/// First delay after a failed delivery; doubled up to [`MAX_RETRY_DELAY`]. Short, because the
/// failures tests provoke on purpose should not slow them down.
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(50);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(2);
/// Telegram's default and maximum `max_connections`.
const DEFAULT_MAX_CONNECTIONS: u32 = 40;
const MAX_MAX_CONNECTIONS: u32 = 100;
/// Header carrying `secret_token` on every delivery.
pub const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub secret_token: Option<String>,
    pub max_connections: u32,
}

#[derive(Debug, Default)]
pub struct WebhookState {
    pub current: Option<Webhook>,
    /// Bumped on every set or delete; a sender whose generation is stale stops.
    pub generation: u64,
    pub last_error: Option<(i64, String)>,
}

impl Shared {
    pub fn webhook_active(&self) -> bool {
        lock(&self.webhook).current.is_some()
    }

    fn webhook_is(&self, generation: u64) -> bool {
        let state = lock(&self.webhook);
        state.current.is_some() && state.generation == generation
    }

    pub fn pending_updates(&self) -> usize {
        lock(&self.updates).len()
    }
}

pub fn set_webhook(shared: &Arc<Shared>, params: &Params) -> Result<Value, ApiError> {
    let url = params.str("url").unwrap_or_default();
    if url.is_empty() {
        return delete_webhook(shared, params);
    }
    // Telegram demands HTTPS on a few ports; the fake takes any http(s) URL so tests can listen
    // on a random local port.
    match reqwest::Url::parse(&url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {}
        _ => {
            return Err(ApiError::bad_request(
                "bad webhook: Failed to resolve host: Name or service not known",
            ));
        }
    }
    let secret_token = params.str("secret_token").filter(|s| !s.is_empty());
    if let Some(secret) = &secret_token
        && (secret.len() > 256
            || !secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    {
        return Err(ApiError::bad_request(
            "secret token contains unallowed characters",
        ));
    }
    let max_connections = params
        .i64("max_connections")
        .map_or(DEFAULT_MAX_CONNECTIONS, |n| {
            u32::try_from(n.clamp(1, i64::from(MAX_MAX_CONNECTIONS)))
                .unwrap_or(DEFAULT_MAX_CONNECTIONS)
        });
    {
        let mut queue = lock(&shared.updates);
        if params.bool("drop_pending_updates") {
            queue.clear();
        }
        if let Some(allowed) = params
            .json("allowed_updates")
            .and_then(|v| serde_json::from_value(v).ok())
        {
            queue.allowed = Some(allowed);
        }
    }
    let webhook = Webhook {
        url,
        secret_token,
        max_connections,
    };
    let generation = {
        let mut state = lock(&shared.webhook);
        state.generation += 1;
        state.current = Some(webhook.clone());
        state.last_error = None;
        state.generation
    };
    tokio::spawn(send_updates(shared.clone(), generation, webhook));
    shared.wake();
    Ok(json!(true))
}

pub fn delete_webhook(shared: &Arc<Shared>, params: &Params) -> Result<Value, ApiError> {
    if params.bool("drop_pending_updates") {
        lock(&shared.updates).clear();
    }
    {
        let mut state = lock(&shared.webhook);
        state.generation += 1;
        state.current = None;
        state.last_error = None;
    }
    shared.wake();
    Ok(json!(true))
}

pub fn get_webhook_info(shared: &Shared) -> Value {
    let pending = shared.pending_updates();
    let allowed = lock(&shared.updates).allowed.clone();
    let state = lock(&shared.webhook);
    let mut info = json!({
        "url": state.current.as_ref().map_or("", |w| w.url.as_str()),
        "has_custom_certificate": false,
        "pending_update_count": pending,
    });
    if let Some(webhook) = &state.current {
        info["max_connections"] = json!(webhook.max_connections);
        if let Some(allowed) = allowed {
            info["allowed_updates"] = json!(allowed);
        }
    }
    if let Some((date, message)) = &state.last_error {
        info["last_error_date"] = json!(date);
        info["last_error_message"] = json!(message);
    }
    info
}

/// Chats with a delivery in flight, each with the updates waiting behind it.
type InFlight = Arc<Mutex<HashMap<i64, VecDeque<i64>>>>;

/// The sender for one webhook generation: hands each queued update to its chat's delivery chain.
async fn send_updates(shared: Arc<Shared>, generation: u64, webhook: Webhook) {
    let webhook = Arc::new(webhook);
    let permits = Arc::new(Semaphore::new(webhook.max_connections as usize));
    let in_flight: InFlight = Arc::default();
    let mut wake = shared.wake.subscribe();
    let mut next = i64::MIN;
    loop {
        wake.borrow_and_update();
        if !shared.webhook_is(generation) {
            return;
        }
        let fresh = lock(&shared.updates).ids_from(next);
        for (id, chat_id) in fresh {
            next = id + 1;
            let mut chains = lock(&in_flight);
            if let Some(waiting) = chains.get_mut(&chat_id) {
                waiting.push_back(id);
                continue;
            }
            chains.insert(chat_id, VecDeque::new());
            tokio::spawn(deliver_chat(
                shared.clone(),
                generation,
                webhook.clone(),
                permits.clone(),
                in_flight.clone(),
                chat_id,
                id,
            ));
        }
        if wake.changed().await.is_err() {
            return;
        }
    }
}

/// Delivers `first` and then whatever queued up behind it for the same chat.
async fn deliver_chat(
    shared: Arc<Shared>,
    generation: u64,
    webhook: Arc<Webhook>,
    permits: Arc<Semaphore>,
    in_flight: InFlight,
    chat_id: i64,
    first: i64,
) {
    let mut update_id = first;
    loop {
        if !deliver(&shared, generation, &webhook, &permits, update_id).await {
            return;
        }
        let mut chains = lock(&in_flight);
        match chains.get_mut(&chat_id).and_then(VecDeque::pop_front) {
            Some(next) => update_id = next,
            None => {
                chains.remove(&chat_id);
                return;
            }
        }
    }
}

/// POSTs one update until the bot answers 2xx. `false` if the webhook changed meanwhile.
async fn deliver(
    shared: &Shared,
    generation: u64,
    webhook: &Webhook,
    permits: &Semaphore,
    update_id: i64,
) -> bool {
    let mut delay = FIRST_RETRY_DELAY;
    loop {
        if !shared.webhook_is(generation) {
            return false;
        }
        let Some(body) = lock(&shared.updates).get(update_id).map(|u| u.body.clone()) else {
            // Dropped meanwhile (drop_pending_updates): nothing to deliver.
            return true;
        };
        let result = {
            let Ok(_permit) = permits.acquire().await else {
                return false;
            };
            let mut request = shared
                .http
                .post(&webhook.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
            if let Some(secret) = &webhook.secret_token {
                request = request.header(SECRET_HEADER, secret);
            }
            request.send().await
        };
        let error = match result {
            Ok(response) if response.status().is_success() => {
                lock(&shared.updates).remove(update_id);
                shared.count_webhook(true);
                return true;
            }
            Ok(response) => format!("Wrong response from the webhook: {}", response.status()),
            Err(e) if e.is_timeout() => "Timeout expired".to_owned(),
            Err(e) if e.is_connect() => "Connection refused".to_owned(),
            Err(e) => format!("Connection failed: {e}"),
        };
        shared.count_webhook(false);
        {
            let mut state = lock(&shared.webhook);
            if state.generation == generation {
                state.last_error = Some((unix_now(), error));
            }
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(MAX_RETRY_DELAY);
    }
}
