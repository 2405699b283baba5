//! The fake's world: chats with their messages and event logs, stored files, callback queries,
//! rate buckets, injected failures and counters, shared by the Bot API side, the control side and
//! the webhook sender.
//!
//! Everything a request touches is per chat (one mutex per chat), so thousands of simulated users
//! do not contend on one lock and no request scans other chats' messages. Lock order, where two
//! are held: a chat, then the update queue, rates, files or callbacks; never the reverse.

use std::{
    collections::{HashMap, VecDeque},
    fmt::Write as _,
    sync::{
        Arc, Mutex, MutexGuard, PoisonError, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::Context;
use bytes::Bytes;
use tokio::sync::{Notify, watch};

use super::{
    FakeConfig,
    events::{
        BotCommand, BotEvent, BotEventKind, Button, DocumentInfo, FailKind, MessageState,
        RateLimit, SimUser, Stats,
    },
    html::Parsed,
    rate::TokenBucket,
    updates::UpdateQueue,
    webhook::WebhookState,
};

/// Locks a mutex, ignoring poisoning: a panicking test thread must not take the fake down for the
/// other tests sharing it, and every critical section leaves the state consistent.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A file Telegram stores: uploaded by a user or sent by the bot.
#[derive(Debug)]
pub struct StoredFile {
    pub file_id: String,
    pub file_unique_id: String,
    pub file_path: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub bytes: Bytes,
}

impl StoredFile {
    pub fn info(&self) -> DocumentInfo {
        DocumentInfo {
            file_id: self.file_id.clone(),
            file_unique_id: self.file_unique_id.clone(),
            file_name: self.file_name.clone(),
            mime_type: self.mime_type.clone(),
            file_size: self.bytes.len() as u64,
        }
    }
}

/// A text as sent, and as Telegram parsed it.
#[derive(Debug, Clone)]
pub struct FormattedText {
    pub raw: String,
    pub parse_mode: Option<String>,
    pub parsed: Parsed,
}

#[derive(Debug, Clone)]
pub enum Content {
    Text(FormattedText),
    Document {
        file: Arc<StoredFile>,
        caption: Option<FormattedText>,
    },
    /// Sizes of one photo, smallest first, with their side in pixels.
    Photo {
        sizes: Vec<(Arc<StoredFile>, u32)>,
    },
    Sticker {
        file: Arc<StoredFile>,
        emoji: String,
    },
}

#[derive(Debug, Clone)]
pub struct StoredMessage {
    pub message_id: i32,
    pub from_bot: bool,
    pub date: i64,
    pub edit_date: Option<i64>,
    pub content: Content,
    pub buttons: Vec<Vec<Button>>,
    pub reply_to: Option<i32>,
}

impl StoredMessage {
    pub fn state(&self) -> MessageState {
        let (text, visible_text, parse_mode, caption, document) = match &self.content {
            Content::Text(t) => (
                Some(t.raw.clone()),
                Some(t.parsed.text.clone()),
                t.parse_mode.clone(),
                None,
                None,
            ),
            Content::Document { file, caption } => (
                None,
                None,
                caption.as_ref().and_then(|c| c.parse_mode.clone()),
                caption.as_ref().map(|c| c.parsed.text.clone()),
                Some(file.info()),
            ),
            Content::Photo { .. } | Content::Sticker { .. } => (None, None, None, None, None),
        };
        MessageState {
            message_id: self.message_id,
            from_bot: self.from_bot,
            text,
            visible_text,
            parse_mode,
            caption,
            document,
            buttons: self.buttons.clone(),
            edited: self.edit_date.is_some(),
        }
    }
}

/// One private chat.
#[derive(Debug)]
pub struct Chat {
    pub id: i64,
    state: Mutex<ChatState>,
    /// Woken on every new event, for `wait_for`.
    notify: Notify,
}

#[derive(Debug)]
pub struct ChatState {
    pub user: SimUser,
    pub blocked: bool,
    /// Message ids are per chat and shared by both sides, as in Telegram's private chats.
    next_message_id: i32,
    pub messages: HashMap<i32, StoredMessage>,
    pub events: Vec<BotEvent>,
    /// The chat's flood bucket and the rate generation it was built for (see `Rates`).
    bucket: Option<(u64, TokenBucket)>,
    /// Telegram's opaque per-chat `chat_instance` of callback queries.
    pub chat_instance: String,
}

impl ChatState {
    pub fn next_message_id(&mut self) -> i32 {
        self.next_message_id += 1;
        self.next_message_id
    }
}

impl Chat {
    pub fn lock(&self) -> MutexGuard<'_, ChatState> {
        lock(&self.state)
    }
}

#[derive(Debug)]
struct CallbackRecord {
    chat_id: i64,
    answered: bool,
}

#[derive(Debug, Default)]
struct Files {
    by_id: HashMap<String, Arc<StoredFile>>,
    by_path: HashMap<String, Arc<StoredFile>>,
    next: u64,
}

#[derive(Debug)]
struct Rates {
    chat: Option<RateLimit>,
    /// Bumped when `chat` changes, so each chat rebuilds its bucket lazily on its next call
    /// instead of this call walking every chat.
    chat_generation: u64,
    global: Option<TokenBucket>,
}

#[derive(Debug, Default)]
struct Commands {
    /// By (scope as JSON, language code).
    by_scope: HashMap<(String, String), Vec<BotCommand>>,
    last: Vec<BotCommand>,
}

pub struct Shared {
    pub config: FakeConfig,
    pub started: Instant,
    chats: RwLock<HashMap<i64, Arc<Chat>>>,
    pub updates: Mutex<UpdateQueue>,
    /// Bumped whenever a long poll or the webhook sender may have something new to look at:
    /// an update queued, a webhook set or deleted, a newer getUpdates superseding an older one.
    pub wake: watch::Sender<u64>,
    /// Incremented by every getUpdates; a waiting call that sees a newer one answers 409, as
    /// Telegram does when two bot instances poll.
    pub poll_generation: AtomicU64,
    pub webhook: Mutex<WebhookState>,
    files: RwLock<Files>,
    callbacks: Mutex<HashMap<String, CallbackRecord>>,
    next_callback: AtomicU64,
    rates: Mutex<Rates>,
    failures: Mutex<HashMap<String, VecDeque<FailKind>>>,
    stats: Mutex<Stats>,
    commands: Mutex<Commands>,
    /// Client for webhook deliveries.
    pub http: reqwest::Client,
}

impl Shared {
    pub fn new(config: FakeConfig) -> anyhow::Result<Self> {
        let now = Instant::now();
        let http = reqwest::Client::builder()
            .timeout(super::webhook::DELIVERY_TIMEOUT)
            .build()
            .context("building the webhook HTTP client")?;
        Ok(Self {
            started: now,
            chats: RwLock::default(),
            updates: Mutex::new(UpdateQueue::new()),
            wake: watch::Sender::new(0),
            poll_generation: AtomicU64::new(0),
            webhook: Mutex::default(),
            files: RwLock::default(),
            callbacks: Mutex::default(),
            next_callback: AtomicU64::new(0),
            rates: Mutex::new(Rates {
                chat: config.chat_rate,
                chat_generation: 0,
                global: config.global_rate.map(|limit| TokenBucket::new(limit, now)),
            }),
            failures: Mutex::default(),
            stats: Mutex::default(),
            commands: Mutex::default(),
            http,
            config,
        })
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    pub fn wake(&self) {
        self.wake.send_modify(|n| *n = n.wrapping_add(1));
    }

    // --- chats -------------------------------------------------------------------------------

    pub fn chat(&self, id: i64) -> Option<Arc<Chat>> {
        self.chats
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned()
    }

    /// The chat of `user`, created on first use. An existing chat keeps its profile unless
    /// `update_profile` is set.
    pub fn ensure_chat(&self, user: &SimUser, update_profile: bool) -> Arc<Chat> {
        if let Some(chat) = self.chat(user.id) {
            if update_profile {
                chat.lock().user = user.clone();
            }
            return chat;
        }
        let mut chats = self.chats.write().unwrap_or_else(PoisonError::into_inner);
        chats
            .entry(user.id)
            .or_insert_with(|| {
                Arc::new(Chat {
                    id: user.id,
                    state: Mutex::new(ChatState {
                        user: user.clone(),
                        blocked: false,
                        next_message_id: 0,
                        messages: HashMap::new(),
                        events: Vec::new(),
                        bucket: None,
                        chat_instance: format!(
                            "{}",
                            user.id.wrapping_mul(-7_046_029_254_386_353_131)
                        ),
                    }),
                    notify: Notify::new(),
                })
            })
            .clone()
    }

    /// Appends to a chat's event log and wakes its waiters.
    pub fn record(&self, chat: &Chat, state: &mut ChatState, kind: BotEventKind) {
        state.events.push(BotEvent {
            at: self.elapsed(),
            kind,
        });
        chat.notify.notify_waiters();
    }

    pub fn set_blocked(&self, user_id: i64, blocked: bool) -> anyhow::Result<()> {
        let chat = self
            .chat(user_id)
            .with_context(|| format!("no user {user_id}"))?;
        chat.lock().blocked = blocked;
        Ok(())
    }

    pub fn events(&self, chat_id: i64) -> Vec<BotEvent> {
        self.chat(chat_id)
            .map(|chat| chat.lock().events.clone())
            .unwrap_or_default()
    }

    pub fn message(&self, chat_id: i64, message_id: i32) -> Option<MessageState> {
        let chat = self.chat(chat_id)?;
        let state = chat.lock();
        state.messages.get(&message_id).map(StoredMessage::state)
    }

    /// Waits until `predicate` holds for the chat's events (`Ok` with them) or `deadline` passes
    /// (`Err` with them).
    pub async fn wait_until(
        &self,
        chat_id: i64,
        deadline: tokio::time::Instant,
        predicate: impl Fn(&[BotEvent]) -> bool,
    ) -> anyhow::Result<Result<Vec<BotEvent>, Vec<BotEvent>>> {
        let chat = self
            .chat(chat_id)
            .with_context(|| format!("no chat {chat_id}: register the user first"))?;
        loop {
            let notified = chat.notify.notified();
            tokio::pin!(notified);
            // Registered before looking, so an event recorded in between still wakes us.
            notified.as_mut().enable();
            {
                let state = chat.lock();
                if predicate(&state.events) {
                    return Ok(Ok(state.events.clone()));
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let state = chat.lock();
                return Ok(if predicate(&state.events) {
                    Ok(state.events.clone())
                } else {
                    Err(state.events.clone())
                });
            }
        }
    }

    // --- rates ------------------------------------------------------------------------------

    /// Takes a token from the chat's and the global bucket, or says how long to wait.
    pub fn admit(&self, state: &mut ChatState) -> Result<(), u32> {
        let now = Instant::now();
        let mut rates = lock(&self.rates);
        let generation = rates.chat_generation;
        let chat_limit = rates.chat;
        let mut bucket = match (&mut state.bucket, chat_limit) {
            (_, None) => None,
            (Some((built_for, bucket)), Some(_)) if *built_for == generation => Some(bucket),
            (slot, Some(limit)) => {
                *slot = Some((generation, TokenBucket::new(limit, now)));
                slot.as_mut().map(|(_, bucket)| bucket)
            }
        };
        let chat_wait = bucket.as_mut().and_then(|b| b.check(now));
        let global_wait = rates.global.as_mut().and_then(|b| b.check(now));
        if let Some(wait) = chat_wait.max(global_wait) {
            return Err(wait);
        }
        if let Some(bucket) = bucket {
            bucket.take();
        }
        if let Some(global) = &mut rates.global {
            global.take();
        }
        Ok(())
    }

    pub fn set_chat_rate(&self, limit: Option<RateLimit>) {
        let mut rates = lock(&self.rates);
        rates.chat = limit;
        rates.chat_generation += 1;
    }

    pub fn set_global_rate(&self, limit: Option<RateLimit>) {
        lock(&self.rates).global = limit.map(|limit| TokenBucket::new(limit, Instant::now()));
    }

    // --- failures and stats -----------------------------------------------------------------

    pub fn fail_next(&self, method: &str, count: u32, kind: FailKind) {
        let mut failures = lock(&self.failures);
        let queue = failures.entry(method.to_ascii_lowercase()).or_default();
        queue.extend(std::iter::repeat_n(kind, count as usize));
    }

    pub fn take_failure(&self, method: &str) -> Option<FailKind> {
        let mut failures = lock(&self.failures);
        let queue = failures.get_mut(&method.to_ascii_lowercase())?;
        queue.pop_front()
    }

    pub fn count_request(&self, method: &str) {
        *lock(&self.stats)
            .requests
            .entry(method.to_owned())
            .or_default() += 1;
    }

    /// Counts a refused call and, when it concerns a known chat, logs it there.
    pub fn count_rejection(
        &self,
        chat_id: Option<i64>,
        method: &str,
        code: u16,
        description: &str,
    ) {
        {
            let mut stats = lock(&self.stats);
            *stats.rejections.entry(method.to_owned()).or_default() += 1;
            *stats.rejections_by_code.entry(code).or_default() += 1;
        }
        if let Some(chat) = chat_id.and_then(|id| self.chat(id)) {
            let mut state = chat.lock();
            let kind = BotEventKind::Rejected {
                method: method.to_owned(),
                error_code: code,
                description: description.to_owned(),
            };
            self.record(&chat, &mut state, kind);
        }
    }

    pub fn count_webhook(&self, delivered: bool) {
        let mut stats = lock(&self.stats);
        if delivered {
            stats.webhook_deliveries += 1;
        } else {
            stats.webhook_failures += 1;
        }
    }

    pub fn stats(&self) -> Stats {
        lock(&self.stats).clone()
    }

    // --- files ------------------------------------------------------------------------------

    /// Stores a file under `folder/file_N.ext`, as Telegram lays out `file_path`s.
    pub fn store_file(
        &self,
        folder: &str,
        file_name: Option<String>,
        mime_type: Option<String>,
        bytes: Bytes,
    ) -> Arc<StoredFile> {
        let mut files = self.files.write().unwrap_or_else(PoisonError::into_inner);
        files.next += 1;
        let n = files.next;
        let extension = file_name
            .as_deref()
            .and_then(|name| name.rsplit_once('.'))
            .map(|(_, ext)| format!(".{ext}"))
            .unwrap_or_default();
        let file = Arc::new(StoredFile {
            file_id: format!("BQACAgIAAxkBAAI{n:08}fake"),
            file_unique_id: format!("AgAD{n:06}"),
            file_path: format!("{folder}/file_{n}{extension}"),
            file_name,
            mime_type,
            bytes,
        });
        files.by_id.insert(file.file_id.clone(), file.clone());
        files.by_path.insert(file.file_path.clone(), file.clone());
        file
    }

    pub fn file_by_id(&self, file_id: &str) -> Option<Arc<StoredFile>> {
        self.files
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .by_id
            .get(file_id)
            .cloned()
    }

    pub fn file_by_path(&self, path: &str) -> Option<Arc<StoredFile>> {
        self.files
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .by_path
            .get(path)
            .cloned()
    }

    // --- callback queries -------------------------------------------------------------------

    pub fn new_callback(&self, chat_id: i64) -> String {
        let n = self.next_callback.fetch_add(1, Ordering::Relaxed) + 1;
        // Telegram's ids are opaque decimal strings of about 19 digits.
        let id = format!("{}", 4_000_000_000_000_000_000u64 + n);
        lock(&self.callbacks).insert(
            id.clone(),
            CallbackRecord {
                chat_id,
                answered: false,
            },
        );
        id
    }

    pub fn callback_chat(&self, id: &str) -> Option<i64> {
        lock(&self.callbacks).get(id).map(|record| record.chat_id)
    }

    /// Marks a query answered; `None` if unknown or already answered (both are errors on
    /// Telegram).
    pub fn answer_callback(&self, id: &str) -> Option<i64> {
        let mut callbacks = lock(&self.callbacks);
        let record = callbacks.get_mut(id).filter(|record| !record.answered)?;
        record.answered = true;
        Some(record.chat_id)
    }

    pub fn callback_answered(&self, id: &str) -> bool {
        lock(&self.callbacks)
            .get(id)
            .is_some_and(|record| record.answered)
    }

    // --- commands ---------------------------------------------------------------------------

    pub fn set_commands(&self, scope: String, language: String, commands: Vec<BotCommand>) {
        let mut all = lock(&self.commands);
        all.last = commands.clone();
        all.by_scope.insert((scope, language), commands);
    }

    pub fn commands_for(&self, scope: String, language: String) -> Vec<BotCommand> {
        lock(&self.commands)
            .by_scope
            .get(&(scope, language))
            .cloned()
            .unwrap_or_default()
    }

    pub fn delete_commands(&self, scope: String, language: String) {
        lock(&self.commands).by_scope.remove(&(scope, language));
    }

    pub fn last_commands(&self) -> Vec<BotCommand> {
        lock(&self.commands).last.clone()
    }
}

/// A compact, one-line-per-event dump for timeout errors (document bytes left out).
pub fn describe(events: &[BotEvent]) -> String {
    let mut out = String::new();
    if events.is_empty() {
        out.push_str("  (no events)\n");
    }
    for (i, event) in events.iter().enumerate() {
        let ms = event.at.as_millis();
        let _ = match &event.kind {
            BotEventKind::Message {
                message_id,
                text,
                buttons,
                ..
            } => {
                writeln!(
                    out,
                    "  [{i}] {ms} ms message #{message_id}: {text:?}{}",
                    describe_buttons(buttons)
                )
            }
            BotEventKind::Edit {
                message_id,
                text,
                buttons,
                ..
            } => writeln!(
                out,
                "  [{i}] {ms} ms edit #{message_id}: {}{}",
                text.as_deref()
                    .map_or("(keyboard only)".to_owned(), |t| format!("{t:?}")),
                describe_buttons(buttons)
            ),
            BotEventKind::Document {
                message_id,
                file_name,
                bytes,
                caption,
                buttons,
                ..
            } => writeln!(
                out,
                "  [{i}] {ms} ms document #{message_id}: {file_name:?}, {} bytes, caption {caption:?}{}",
                bytes.len(),
                describe_buttons(buttons)
            ),
            BotEventKind::ChatAction { action } => {
                writeln!(out, "  [{i}] {ms} ms chat action {action}")
            }
            BotEventKind::Delete { message_id } => {
                writeln!(out, "  [{i}] {ms} ms delete #{message_id}")
            }
            BotEventKind::CallbackAnswer {
                callback_query_id,
                text,
                show_alert,
            } => writeln!(
                out,
                "  [{i}] {ms} ms callback answer {callback_query_id}: {text:?} (alert: {show_alert})"
            ),
            BotEventKind::Rejected {
                method,
                error_code,
                description,
            } => {
                writeln!(
                    out,
                    "  [{i}] {ms} ms REJECTED {method}: {error_code} {description}"
                )
            }
        };
    }
    out
}

fn describe_buttons(buttons: &[Vec<Button>]) -> String {
    if buttons.is_empty() {
        return String::new();
    }
    let rows: Vec<String> = buttons
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| match (&b.callback_data, &b.url) {
                    (Some(data), _) => format!("{:?}→{data}", b.text),
                    (None, Some(url)) => format!("{:?}→{url}", b.text),
                    (None, None) => format!("{:?}", b.text),
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    format!(" buttons [{}]", rows.join(" / "))
}
