//! The plain data the fake hands to tests: simulated users, what the bot did in a chat, the current
//! state of a message, counters. Everything here serializes to the JSON of the control API, so an
//! out-of-process load generator reads the same shapes the in-process API returns.
//!
//! Nothing here holds a lock or talks to the server; these are snapshots.

use std::{collections::BTreeMap, time::Duration};

use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// A simulated Telegram user. Its private chat with the bot has the same id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimUser {
    pub id: i64,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// IETF tag as Telegram sends it (`"en"`, `"ru"`); the bot picks its lexicon from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

impl SimUser {
    pub fn new(id: i64, first_name: impl Into<String>) -> Self {
        Self {
            id,
            first_name: first_name.into(),
            last_name: None,
            username: None,
            language_code: None,
        }
    }

    pub fn with_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    pub fn with_language(mut self, language_code: impl Into<String>) -> Self {
        self.language_code = Some(language_code.into());
        self
    }

    /// The id of the user's private chat with the bot.
    pub fn chat_id(&self) -> i64 {
        self.id
    }
}

/// One inline keyboard button as the bot sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Something the bot did in one chat, stamped with the time since the fake started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BotEvent {
    #[serde(rename = "at_ms", with = "millis")]
    pub at: Duration,
    #[serde(flatten)]
    pub kind: BotEventKind,
}

/// What happened. `text` fields hold what the bot sent (markup included); `visible_text` what the
/// user sees after Telegram parsed the markup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BotEventKind {
    Message {
        message_id: i32,
        text: String,
        visible_text: String,
        parse_mode: Option<String>,
        buttons: Vec<Vec<Button>>,
        /// The message this one replies to (`reply_parameters`).
        reply_to: Option<i32>,
    },
    /// `editMessageText` (text set) or `editMessageReplyMarkup` (text `None`). `buttons` is the
    /// keyboard after the edit: an edit without `reply_markup` removes the keyboard, as on Telegram.
    Edit {
        message_id: i32,
        text: Option<String>,
        visible_text: Option<String>,
        parse_mode: Option<String>,
        buttons: Vec<Vec<Button>>,
    },
    Document {
        message_id: i32,
        file_id: String,
        file_name: Option<String>,
        mime_type: Option<String>,
        #[serde(with = "base64_bytes")]
        bytes: Bytes,
        caption: Option<String>,
        parse_mode: Option<String>,
        buttons: Vec<Vec<Button>>,
    },
    ChatAction {
        action: String,
    },
    Delete {
        message_id: i32,
    },
    CallbackAnswer {
        callback_query_id: String,
        text: Option<String>,
        show_alert: bool,
    },
    /// A call the fake refused (400, 403, 413, 429, or an injected failure; `error_code` 0 for
    /// an injected connection drop). The bot's own code paths should never produce a 400; tests
    /// assert that with [`BotEvent::is_rejected`].
    Rejected {
        method: String,
        error_code: u16,
        description: String,
    },
}

impl BotEvent {
    /// The user-visible text of a message, an edit, or a document's caption.
    pub fn visible_text(&self) -> Option<&str> {
        match &self.kind {
            BotEventKind::Message { visible_text, .. } => Some(visible_text),
            BotEventKind::Edit { visible_text, .. } => visible_text.as_deref(),
            BotEventKind::Document { caption, .. } => caption.as_deref(),
            _ => None,
        }
    }

    /// The message a message, edit, document or delete is about.
    pub fn message_id(&self) -> Option<i32> {
        match &self.kind {
            BotEventKind::Message { message_id, .. }
            | BotEventKind::Edit { message_id, .. }
            | BotEventKind::Document { message_id, .. }
            | BotEventKind::Delete { message_id } => Some(*message_id),
            _ => None,
        }
    }

    /// The keyboard of a message, edit or document (empty for other events).
    pub fn buttons(&self) -> &[Vec<Button>] {
        match &self.kind {
            BotEventKind::Message { buttons, .. }
            | BotEventKind::Edit { buttons, .. }
            | BotEventKind::Document { buttons, .. } => buttons,
            _ => &[],
        }
    }

    pub fn is_rejected(&self) -> bool {
        matches!(self.kind, BotEventKind::Rejected { .. })
    }
}

/// A message as it is now, after edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageState {
    pub message_id: i32,
    pub from_bot: bool,
    /// Text as last sent (markup included), for text messages.
    pub text: Option<String>,
    /// Text as the user sees it, for text messages.
    pub visible_text: Option<String>,
    pub parse_mode: Option<String>,
    pub caption: Option<String>,
    pub document: Option<DocumentInfo>,
    pub buttons: Vec<Vec<Button>>,
    pub edited: bool,
}

/// A stored file's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub file_size: u64,
}

/// One entry of `setMyCommands`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotCommand {
    pub command: String,
    pub description: String,
}

/// Request counters since start. Method names are the Bot API's camelCase spelling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub requests: BTreeMap<String, u64>,
    /// Refused calls per method (any non-2xx answer, including injected failures).
    pub rejections: BTreeMap<String, u64>,
    pub rejections_by_code: BTreeMap<u16, u64>,
    pub webhook_deliveries: u64,
    pub webhook_failures: u64,
}

/// A token bucket: `burst` calls at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateLimit {
    pub burst: u32,
    pub per_second: f64,
}

/// How an injected failure looks to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailKind {
    /// Answer with this HTTP status and a Bot API error body. Beware: teloxide sleeps 10 s
    /// before returning any 5xx answer.
    Status(u16),
    /// Drop the connection without answering.
    Reset,
    /// Answer this many milliseconds late, then handle the call as usual: a slow Telegram.
    /// Keep it below the client's timeout, or the client gives up on a call that still takes
    /// effect (as on Telegram, where a timed-out send may have been sent).
    Delay(u64),
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    /// Milliseconds with a fraction, so latencies read over HTTP keep their microseconds.
    pub fn serialize<S: Serializer>(at: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(at.as_secs_f64() * 1000.0)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let ms = f64::deserialize(deserializer)?;
        Duration::try_from_secs_f64(ms / 1000.0).map_err(serde::de::Error::custom)
    }
}

mod base64_bytes {
    use base64::{Engine, engine::general_purpose::STANDARD};
    use bytes::Bytes;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(bytes: &Bytes, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Bytes, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD
            .decode(text)
            .map(Bytes::from)
            .map_err(D::Error::custom)
    }
}
