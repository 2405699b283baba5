//! What simulated users do: write, upload, press buttons. Each action becomes an update in the
//! queue, shaped as Telegram shapes it, and a message in the chat.

use anyhow::{Context, bail};
use bytes::Bytes;
use serde_json::json;

use super::{
    events::SimUser,
    html::{Entity, Parsed, utf16_len},
    state::{Content, FormattedText, Shared, StoredMessage, lock, unix_now},
    wire,
};

/// Bytes standing in for a photo and a sticker: any content works, nothing decodes them.
const FAKE_JPEG: &[u8] = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9";
const FAKE_WEBP: &[u8] = b"RIFF\x0c\x00\x00\x00WEBPfake";

impl Shared {
    pub fn register_user(&self, user: &SimUser) {
        self.ensure_chat(user, true);
    }

    /// Adds a user's message to their chat and queues the `message` update.
    fn user_message(&self, user: &SimUser, content: Content) -> i32 {
        let chat = self.ensure_chat(user, false);
        let mut state = chat.lock();
        let message_id = state.next_message_id();
        let message = StoredMessage {
            message_id,
            from_bot: false,
            date: unix_now(),
            edit_date: None,
            content,
            buttons: Vec::new(),
            reply_to: None,
        };
        let payload = wire::message(&self.config, &state.user, &message, None);
        state.messages.insert(message_id, message);
        // Queued under the chat lock so one chat's updates keep their message order.
        lock(&self.updates).push(chat.id, "message", payload);
        drop(state);
        self.wake();
        message_id
    }

    pub fn send_text(&self, user: &SimUser, text: &str) -> i32 {
        let parsed = Parsed {
            text: text.to_owned(),
            entities: command_entity(text).into_iter().collect(),
        };
        let content = Content::Text(FormattedText {
            raw: text.to_owned(),
            parse_mode: None,
            parsed,
        });
        self.user_message(user, content)
    }

    pub fn send_document(
        &self,
        user: &SimUser,
        file_name: &str,
        mime_type: &str,
        bytes: Bytes,
    ) -> i32 {
        let file = self.store_file(
            "documents",
            Some(file_name.to_owned()).filter(|n| !n.is_empty()),
            Some(mime_type.to_owned()).filter(|m| !m.is_empty()),
            bytes,
        );
        self.user_message(
            user,
            Content::Document {
                file,
                caption: None,
            },
        )
    }

    pub fn send_photo(&self, user: &SimUser) -> i32 {
        let sizes = [90, 320, 800]
            .into_iter()
            .map(|side| {
                (
                    self.store_file("photos", None, None, Bytes::from_static(FAKE_JPEG)),
                    side,
                )
            })
            .collect();
        self.user_message(user, Content::Photo { sizes })
    }

    pub fn send_sticker(&self, user: &SimUser) -> i32 {
        let file = self.store_file("stickers", None, None, Bytes::from_static(FAKE_WEBP));
        self.user_message(
            user,
            Content::Sticker {
                file,
                emoji: "👍".to_owned(),
            },
        )
    }

    /// Presses a button of one of the bot's messages: it must exist and carry `callback_data`, as
    /// a real user can only press what is on screen. Returns the callback query id.
    pub fn press(
        &self,
        user: &SimUser,
        message_id: i32,
        callback_data: &str,
    ) -> anyhow::Result<String> {
        self.callback(user, message_id, callback_data, true)
    }

    /// A callback query with any data on one of the bot's messages, as a modified client can
    /// send: for tests that the bot trusts no button.
    pub fn press_forged(
        &self,
        user: &SimUser,
        message_id: i32,
        callback_data: &str,
    ) -> anyhow::Result<String> {
        self.callback(user, message_id, callback_data, false)
    }

    fn callback(
        &self,
        user: &SimUser,
        message_id: i32,
        callback_data: &str,
        on_screen_only: bool,
    ) -> anyhow::Result<String> {
        let chat = self
            .chat(user.id)
            .with_context(|| format!("user {} has no chat with the bot", user.id))?;
        let state = chat.lock();
        let message = state
            .messages
            .get(&message_id)
            .with_context(|| format!("no message {message_id} in chat {}", user.id))?;
        if !message.from_bot {
            bail!(
                "message {message_id} in chat {} is the user's, not the bot's",
                user.id
            );
        }
        let has_button = message
            .buttons
            .iter()
            .flatten()
            .any(|b| b.callback_data.as_deref() == Some(callback_data));
        if on_screen_only && !has_button {
            bail!(
                "message {message_id} in chat {} has no button with callback_data {callback_data:?}; it has {:?}",
                user.id,
                message.buttons
            );
        }
        let reply_to = message.reply_to.and_then(|id| state.messages.get(&id));
        let message_json = wire::message(&self.config, &state.user, message, reply_to);
        let id = self.new_callback(chat.id);
        let payload = json!({
            "id": id,
            "from": wire::user(&state.user),
            "message": message_json,
            "chat_instance": state.chat_instance,
            "data": callback_data,
        });
        lock(&self.updates).push(chat.id, "callback_query", payload);
        drop(state);
        self.wake();
        Ok(id)
    }
}

/// The `bot_command` entity Telegram adds to a text starting with `/command` (or
/// `/command@botname`).
fn command_entity(text: &str) -> Option<Entity> {
    let command = text.split(char::is_whitespace).next()?;
    let name = command.strip_prefix('/')?;
    if name.is_empty()
        || !name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    Some(Entity {
        kind: "bot_command",
        offset: 0,
        length: utf16_len(command),
        url: None,
        language: None,
        custom_emoji_id: None,
    })
}
