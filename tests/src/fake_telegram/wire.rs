//! The JSON shapes Telegram sends: users, chats, messages, files.
//!
//! teloxide deserializes these strictly (a missing required field turns a whole update into
//! `UpdateKind::Error`), so every builder emits what Telegram emits and omits what Telegram omits
//! (absent optional fields, empty entity lists, empty keyboards).

use serde_json::{Value, json};

use super::{
    FakeConfig,
    events::{Button, SimUser},
    state::{Content, StoredFile, StoredMessage},
};

pub fn bot_user(config: &FakeConfig) -> Value {
    json!({
        "id": config.bot_id,
        "is_bot": true,
        "first_name": config.bot_first_name,
        "username": config.bot_username,
    })
}

/// `getMe`: the bot user plus its capabilities.
pub fn me(config: &FakeConfig) -> Value {
    let mut me = bot_user(config);
    me["can_join_groups"] = json!(true);
    me["can_read_all_group_messages"] = json!(false);
    me["supports_inline_queries"] = json!(false);
    me["can_connect_to_business"] = json!(false);
    me["has_main_web_app"] = json!(false);
    me
}

pub fn user(user: &SimUser) -> Value {
    let mut value = json!({ "id": user.id, "is_bot": false, "first_name": user.first_name });
    if let Some(last_name) = &user.last_name {
        value["last_name"] = json!(last_name);
    }
    if let Some(username) = &user.username {
        value["username"] = json!(username);
    }
    if let Some(language_code) = &user.language_code {
        value["language_code"] = json!(language_code);
    }
    value
}

/// The private chat with `user`.
pub fn chat(user: &SimUser) -> Value {
    let mut value = json!({ "id": user.id, "type": "private", "first_name": user.first_name });
    if let Some(last_name) = &user.last_name {
        value["last_name"] = json!(last_name);
    }
    if let Some(username) = &user.username {
        value["username"] = json!(username);
    }
    value
}

pub fn inline_keyboard(buttons: &[Vec<Button>]) -> Value {
    let rows: Vec<Value> = buttons
        .iter()
        .map(|row| {
            row.iter()
                .map(|button| {
                    let mut value = json!({ "text": button.text });
                    if let Some(data) = &button.callback_data {
                        value["callback_data"] = json!(data);
                    }
                    if let Some(url) = &button.url {
                        value["url"] = json!(url);
                    }
                    value
                })
                .collect()
        })
        .collect();
    json!({ "inline_keyboard": rows })
}

/// A `Document` object.
pub fn document(file: &StoredFile) -> Value {
    let mut value = json!({
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": file.bytes.len(),
    });
    if let Some(name) = &file.file_name {
        value["file_name"] = json!(name);
    }
    if let Some(mime) = &file.mime_type {
        value["mime_type"] = json!(mime);
    }
    value
}

/// A `File` object (`getFile`).
pub fn file(file: &StoredFile) -> Value {
    json!({
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": file.bytes.len(),
        "file_path": file.file_path,
    })
}

/// A `Message` in the private chat with `user`. `reply_to` is the message it answers, if still
/// there (Telegram nests it one level deep).
pub fn message(
    config: &FakeConfig,
    user: &SimUser,
    message: &StoredMessage,
    reply_to: Option<&StoredMessage>,
) -> Value {
    let from = if message.from_bot {
        bot_user(config)
    } else {
        self::user(user)
    };
    let mut value = json!({
        "message_id": message.message_id,
        "from": from,
        "chat": chat(user),
        "date": message.date,
    });
    if let Some(edit_date) = message.edit_date {
        value["edit_date"] = json!(edit_date);
    }
    if let Some(reply_to) = reply_to {
        value["reply_to_message"] = self::message(config, user, reply_to, None);
    }
    match &message.content {
        Content::Text(text) => {
            value["text"] = json!(text.parsed.text);
            if !text.parsed.entities.is_empty() {
                value["entities"] = text.parsed.entities.iter().map(|e| e.to_json()).collect();
            }
        }
        Content::Document { file, caption } => {
            value["document"] = document(file);
            if let Some(caption) = caption {
                value["caption"] = json!(caption.parsed.text);
                if !caption.parsed.entities.is_empty() {
                    value["caption_entities"] = caption
                        .parsed
                        .entities
                        .iter()
                        .map(|e| e.to_json())
                        .collect();
                }
            }
        }
        Content::Photo { sizes } => {
            value["photo"] = sizes
                .iter()
                .map(|(file, side)| {
                    json!({
                        "file_id": file.file_id,
                        "file_unique_id": file.file_unique_id,
                        "file_size": file.bytes.len(),
                        "width": side,
                        "height": side,
                    })
                })
                .collect();
        }
        Content::Sticker { file, emoji } => {
            value["sticker"] = json!({
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "file_size": file.bytes.len(),
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": false,
                "is_video": false,
                "emoji": emoji,
                "set_name": "StocklensFakeStickers",
            });
        }
    }
    if !message.buttons.is_empty() {
        value["reply_markup"] = inline_keyboard(&message.buttons);
    }
    value
}
