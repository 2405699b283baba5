//! A fake Telegram Bot API server: a real HTTP server that speaks the Bot API as teloxide 0.17
//! calls it, simulates users, and records everything the bot does, per chat, for assertions.
//!
//! It is what every bot end-to-end test talks to, and what the load generator drives with
//! thousands of simulated users, so it keeps per-chat state (no request scans other chats),
//! wakes long polls and waiters through channels (no sleep loops), and runs on its own thread and
//! runtime. It must not be "helpful": it refuses what Telegram refuses, with Telegram's
//! descriptions, so the bot's error handling is exercised for real.
//!
//! # Starting
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use stocklens_tests::fake_telegram::{FakeConfig, FakeTelegram};
//! let fake = FakeTelegram::start(FakeConfig::default())?;
//! // teloxide: Bot::new(&fake.config().token).set_api_url(fake.api_url().parse()?)
//! let alice = fake.user(1001, "Alice", Some("en"));
//! fake.send_text(&alice, "/start");
//! let events = fake
//!     .wait_for(alice.id, std::time::Duration::from_secs(5), |events| !events.is_empty())
//!     .await?;
//! # let _ = events; Ok(()) }
//! ```
//!
//! # Bot API side
//!
//! `POST|GET /bot{token}/{method}` (method name case-insensitive; parameters from the query
//! string, a JSON, form or multipart body) and `GET /file/bot{token}/{file_path}` (`/` in the path
//! plain or `%2F`). Implemented: getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo,
//! sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery, sendDocument,
//! getFile, deleteMessage, sendChatAction, setMyCommands, getMyCommands, deleteMyCommands,
//! setChatMenuButton. Anything else answers 404 "Not Found" (teloxide: `InvalidToken`).
//!
//! Checked like Telegram: HTML markup (MarkdownV2 is accepted unchecked), text 1..=4096 and
//! caption ..=1024 UTF-16 units, inline buttons (non-empty text, exactly one of `callback_data`
//! of 1..=64 bytes or `url`), per-chat and global flood buckets on sendMessage, sendDocument and
//! the two edits (429 with `retry_after`), blocked users (403), upload and download size limits.
//!
//! # Control API over HTTP
//!
//! JSON in and out; errors are `{"error": "..."}` with a 4xx status.
//!
//! | Route | Body / query | Answer |
//! |---|---|---|
//! | `POST /control/users` | [`SimUser`] | the user |
//! | `POST /control/messages` | `{"user_id", "text"}` | `{"message_id", "at_ms"}` |
//! | `POST /control/documents?user_id=&file_name=&mime_type=` | raw file bytes (`mime_type` optional, guessed from the name) | `{"message_id", "at_ms"}` |
//! | `POST /control/photos`, `POST /control/stickers` | `{"user_id"}` | `{"message_id"}` |
//! | `POST /control/callbacks` | `{"user_id", "message_id", "data", "forged"?}` | `{"callback_query_id", "at_ms"}` (422 if no such button, unless `forged`) |
//! | `GET /control/callbacks/{id}` | | `{"answered": bool}` |
//! | `GET /control/events/{chat_id}?after=N&wait_ms=M` | waits up to M ms for more than N events | `{"events": [BotEvent...], "next": count}` |
//! | `GET /control/messages/{chat_id}/{message_id}` | | [`MessageState`] |
//! | `GET /control/commands` | | the last `setMyCommands` list |
//! | `POST /control/block/{user_id}`, `DELETE /control/block/{user_id}` | | 204 |
//! | `PUT /control/chat-rate`, `PUT /control/global-rate` | [`RateLimit`] or `null` (off) | 204 |
//! | `POST /control/failures` | `{"method", "count", "kind": {"status": 502} \| "reset" \| {"delay": 3000}}` (ms late, then as usual) | 204 |
//! | `GET /control/pending` | | `{"pending_updates"}` |
//! | `GET /control/stats` | | [`Stats`] |
//!
//! `at_ms` in an answer is when the update was offered to the bot, on the clock of the events'
//! `at_ms` (milliseconds since the fake started).
//!
//! Events serialize as `{"at_ms", "kind": "message" | "edit" | "document" | "chat_action" |
//! "delete" | "callback_answer" | "rejected", ...fields of [`BotEventKind`]}`, document bytes in
//! base64.

mod bot_api;
mod control;
mod events;
mod html;
mod params;
mod rate;
mod server;
mod state;
mod updates;
mod users;
mod webhook;
mod wire;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    thread::JoinHandle,
    time::Duration,
};

use anyhow::bail;
use axum::extract::DefaultBodyLimit;
use bytes::Bytes;
use tokio::sync::watch;

pub use events::{
    BotCommand, BotEvent, BotEventKind, Button, DocumentInfo, FailKind, MessageState, RateLimit,
    SimUser, Stats,
};
pub use webhook::SECRET_HEADER;

use state::{Shared, describe, lock};

/// Room for the non-file fields of a multipart upload on top of the file itself.
const MULTIPART_OVERHEAD: u64 = 1024 * 1024;

/// How the fake presents itself and which limits it enforces.
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// The token the bot must use; any other gets 401.
    pub token: String,
    pub bot_id: i64,
    pub bot_username: String,
    pub bot_first_name: String,
    /// getFile refuses larger files ("file is too big"), as Telegram does above 20 MB.
    pub max_download_bytes: u64,
    /// sendDocument refuses larger uploads with 413, as Telegram does above 50 MB.
    pub max_upload_bytes: u64,
    /// Flood limit per chat; `None` turns it off.
    pub chat_rate: Option<RateLimit>,
    /// Flood limit over all chats; `None` turns it off.
    pub global_rate: Option<RateLimit>,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            token: "1234567890:AAFakeStocklensTestTokenAAAAAAAAAAAA".to_owned(),
            bot_id: 1_234_567_890,
            bot_username: "stocklens_test_bot".to_owned(),
            bot_first_name: "Stocklens".to_owned(),
            max_download_bytes: 20 * 1024 * 1024,
            max_upload_bytes: 50 * 1024 * 1024,
            // Telegram: about one message per second in a chat, short bursts tolerated.
            chat_rate: Some(RateLimit {
                burst: 20,
                per_second: 1.0,
            }),
            // Telegram: about 30 messages per second overall.
            global_rate: Some(RateLimit {
                burst: 30,
                per_second: 30.0,
            }),
        }
    }
}

impl FakeConfig {
    /// The defaults with both flood limits off, for tests that are not about flood control.
    pub fn unlimited() -> Self {
        Self {
            chat_rate: None,
            global_rate: None,
            ..Self::default()
        }
    }
}

/// A running fake. Cheap to clone; the server stops when the last clone is dropped or on
/// [`shutdown`](Self::shutdown).
#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Handle>,
}

struct Handle {
    shared: Arc<Shared>,
    api_url: String,
    stop: watch::Sender<bool>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        // The thread winds down on its own; joining here could block a runtime thread.
        self.stop.send_replace(true);
    }
}

impl std::fmt::Debug for FakeTelegram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeTelegram")
            .field("api_url", &self.inner.api_url)
            .finish_non_exhaustive()
    }
}

impl FakeTelegram {
    /// Binds 127.0.0.1 on a free port and serves on a thread of its own.
    pub fn start(config: FakeConfig) -> anyhow::Result<Self> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Binds `listen` (port 0: a free one) and serves on a thread of its own: the standalone
    /// fake (`stocklens-fake-telegram`) that a load generator in another process drives.
    pub fn start_on(config: FakeConfig, listen: SocketAddr) -> anyhow::Result<Self> {
        let body_limit = config.max_upload_bytes.saturating_add(MULTIPART_OVERHEAD);
        let shared = Arc::new(Shared::new(config)?);
        let router = control::routes()
            .fallback(bot_api::handle)
            .layer(DefaultBodyLimit::max(
                usize::try_from(body_limit).unwrap_or(usize::MAX),
            ))
            .with_state(shared.clone());
        let (stop, stopped) = watch::channel(false);
        let (addr, thread) = server::spawn(router, listen, stopped)?;
        Ok(Self {
            inner: Arc::new(Handle {
                shared,
                api_url: format!("http://{addr}"),
                stop,
                thread: Mutex::new(Some(thread)),
            }),
        })
    }

    /// Stops serving and waits for the server thread. Blocks briefly; other clones become
    /// unusable over HTTP (the in-process API keeps answering from memory).
    pub fn shutdown(&self) {
        self.inner.stop.send_replace(true);
        if let Some(thread) = lock(&self.inner.thread).take() {
            let _ = thread.join();
        }
    }

    fn shared(&self) -> &Shared {
        &self.inner.shared
    }

    /// `http://127.0.0.1:PORT`, for teloxide's `Bot::set_api_url` and the control API.
    pub fn api_url(&self) -> &str {
        &self.inner.api_url
    }

    /// Time since the fake started, on the clock of [`BotEvent::at`]: to measure how long the
    /// bot took to answer something a test just sent.
    pub fn clock(&self) -> Duration {
        self.shared().started.elapsed()
    }

    pub fn config(&self) -> &FakeConfig {
        &self.shared().config
    }

    // --- simulated users ----------------------------------------------------------------------

    /// Registers (or updates) a user and returns it. Its private chat has the same id.
    pub fn user(&self, id: i64, first_name: &str, language_code: Option<&str>) -> SimUser {
        let mut user = SimUser::new(id, first_name);
        user.language_code = language_code.map(str::to_owned);
        self.register(user)
    }

    /// Registers (or updates) a fully described user.
    pub fn register(&self, user: SimUser) -> SimUser {
        self.shared().register_user(&user);
        user
    }

    /// A text message from `user`; a leading `/command` gets a `bot_command` entity.
    pub fn send_text(&self, user: &SimUser, text: &str) -> i32 {
        self.shared().send_text(user, text)
    }

    /// A document from `user`, stored for getFile and download.
    pub fn send_document(
        &self,
        user: &SimUser,
        file_name: &str,
        mime_type: &str,
        bytes: impl Into<Bytes>,
    ) -> i32 {
        self.shared()
            .send_document(user, file_name, mime_type, bytes.into())
    }

    pub fn send_photo(&self, user: &SimUser) -> i32 {
        self.shared().send_photo(user)
    }

    pub fn send_sticker(&self, user: &SimUser) -> i32 {
        self.shared().send_sticker(user)
    }

    /// Presses the button with `callback_data` on the bot's message; fails if that message has no
    /// such button now. Returns the callback query id.
    pub fn press(
        &self,
        user: &SimUser,
        message_id: i32,
        callback_data: &str,
    ) -> anyhow::Result<String> {
        self.shared().press(user, message_id, callback_data)
    }

    /// A callback query with any data on one of the bot's messages, whether or not such a
    /// button is there: what a modified client can send.
    pub fn press_forged(
        &self,
        user: &SimUser,
        message_id: i32,
        callback_data: &str,
    ) -> anyhow::Result<String> {
        self.shared().press_forged(user, message_id, callback_data)
    }

    pub fn block(&self, user_id: i64) -> anyhow::Result<()> {
        self.shared().set_blocked(user_id, true)
    }

    pub fn unblock(&self, user_id: i64) -> anyhow::Result<()> {
        self.shared().set_blocked(user_id, false)
    }

    // --- what the bot did ---------------------------------------------------------------------

    /// Everything the bot did in a chat, in order.
    pub fn events(&self, chat_id: i64) -> Vec<BotEvent> {
        self.shared().events(chat_id)
    }

    /// A message as it is now (after edits); `None` if unknown or deleted.
    pub fn message(&self, chat_id: i64, message_id: i32) -> Option<MessageState> {
        self.shared().message(chat_id, message_id)
    }

    pub fn callback_answered(&self, callback_query_id: &str) -> bool {
        self.shared().callback_answered(callback_query_id)
    }

    /// The list of the last `setMyCommands` call, whatever its scope and language.
    pub fn commands(&self) -> Vec<BotCommand> {
        self.shared().last_commands()
    }

    /// Updates not yet confirmed by getUpdates or delivered to the webhook.
    pub fn pending_updates(&self) -> usize {
        self.shared().pending_updates()
    }

    pub fn stats(&self) -> Stats {
        self.shared().stats()
    }

    /// Waits until `predicate` holds for the chat's events and returns them; on timeout the error
    /// lists the events so far.
    pub async fn wait_for(
        &self,
        chat_id: i64,
        timeout: Duration,
        predicate: impl Fn(&[BotEvent]) -> bool,
    ) -> anyhow::Result<Vec<BotEvent>> {
        let deadline = tokio::time::Instant::now() + timeout;
        match self
            .shared()
            .wait_until(chat_id, deadline, predicate)
            .await?
        {
            Ok(events) => Ok(events),
            Err(events) => bail!(
                "timed out after {timeout:?} waiting in chat {chat_id}; its events:\n{}",
                describe(&events)
            ),
        }
    }

    /// The event at index `after` (0-based) once it exists: call with the number of events seen.
    pub async fn next_event(
        &self,
        chat_id: i64,
        after: usize,
        timeout: Duration,
    ) -> anyhow::Result<BotEvent> {
        let events = self
            .wait_for(chat_id, timeout, |events| events.len() > after)
            .await?;
        match events.into_iter().nth(after) {
            Some(event) => Ok(event),
            None => bail!("event {after} of chat {chat_id} vanished"),
        }
    }

    // --- faults and limits --------------------------------------------------------------------

    /// Changes the per-chat flood limit; every chat starts a fresh bucket.
    pub fn set_chat_rate(&self, limit: Option<RateLimit>) {
        self.shared().set_chat_rate(limit);
    }

    pub fn set_global_rate(&self, limit: Option<RateLimit>) {
        self.shared().set_global_rate(limit);
    }

    /// Makes the next `count` calls of `method` (any spelling) fail as `kind`, before they have
    /// any effect.
    pub fn fail_next(&self, method: &str, count: u32, kind: FailKind) {
        self.shared().fail_next(method, count, kind);
    }
}
