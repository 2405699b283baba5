//! The Bot API side: `/bot{token}/{method}` and `/file/bot{token}/{path}`, answering as Telegram
//! answers, including its refusals.
//!
//! Every outgoing text goes through the checks Telegram makes (HTML markup, length, keyboard
//! shape, flood limits, blocked users), and every refusal is logged in the chat's events, so a
//! test can assert the bot never caused one. Methods the fake does not know answer 404, as
//! Telegram does for unknown methods; note that teloxide reports that as `InvalidToken`.

use std::{fmt::Display, sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

use super::{
    events::{BotCommand, BotEventKind, Button, FailKind},
    html::{self, Parsed, utf16_len},
    params::{InputFile, Params, ParamsError, UploadedFile},
    server::DropConnection,
    state::{Chat, ChatState, Content, FormattedText, Shared, StoredFile, StoredMessage, unix_now},
    updates, webhook, wire,
};

/// Telegram's limits on a message text and a caption, in UTF-16 code units after parsing.
const MAX_TEXT_LEN: usize = 4096;
const MAX_CAPTION_LEN: usize = 1024;
/// Callback data must be 1-64 bytes.
const MAX_CALLBACK_DATA_BYTES: usize = 64;
/// `answerCallbackQuery` text limit (characters).
const MAX_CALLBACK_ANSWER_LEN: usize = 200;
/// `setMyCommands`: at most 100 commands, names 1-32 of `[a-z0-9_]`, descriptions 1-256.
const MAX_COMMANDS: usize = 100;
const MAX_COMMAND_LEN: usize = 32;
const MAX_COMMAND_DESCRIPTION_LEN: usize = 256;

/// A refusal in the Bot API's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u32>,
}

impl ApiError {
    fn new(code: u16, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(what: impl Display) -> Self {
        Self::new(400, format!("Bad Request: {what}"))
    }

    pub fn conflict(what: impl Display) -> Self {
        Self::new(409, format!("Conflict: {what}"))
    }

    fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }

    fn not_found() -> Self {
        Self::new(404, "Not Found")
    }

    fn blocked() -> Self {
        Self::new(403, "Forbidden: bot was blocked by the user")
    }

    fn too_large() -> Self {
        Self::new(413, "Request Entity Too Large")
    }

    fn too_many_requests(retry_after: u32) -> Self {
        Self {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
        }
    }

    fn message_not_modified() -> Self {
        Self::bad_request(
            "message is not modified: specified new message content and reply markup are exactly \
             the same as a current content and reply markup of the message",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body =
            json!({ "ok": false, "error_code": self.code, "description": self.description });
        if let Some(retry_after) = self.retry_after {
            body["parameters"] = json!({ "retry_after": retry_after });
        }
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::BAD_REQUEST);
        json_response(status, body.to_string().into())
    }
}

fn json_response(status: StatusCode, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn ok(result: &[u8]) -> Response {
    let mut body = Vec::with_capacity(result.len() + 24);
    body.extend_from_slice(b"{\"ok\":true,\"result\":");
    body.extend_from_slice(result);
    body.push(b'}');
    json_response(StatusCode::OK, body.into())
}

/// The methods the fake implements, by their Bot API spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    GetMe,
    GetUpdates,
    SetWebhook,
    DeleteWebhook,
    GetWebhookInfo,
    SendMessage,
    EditMessageText,
    EditMessageReplyMarkup,
    AnswerCallbackQuery,
    SendDocument,
    GetFile,
    DeleteMessage,
    SendChatAction,
    SetMyCommands,
    GetMyCommands,
    DeleteMyCommands,
    SetChatMenuButton,
}

impl Method {
    const ALL: [Method; 17] = [
        Method::GetMe,
        Method::GetUpdates,
        Method::SetWebhook,
        Method::DeleteWebhook,
        Method::GetWebhookInfo,
        Method::SendMessage,
        Method::EditMessageText,
        Method::EditMessageReplyMarkup,
        Method::AnswerCallbackQuery,
        Method::SendDocument,
        Method::GetFile,
        Method::DeleteMessage,
        Method::SendChatAction,
        Method::SetMyCommands,
        Method::GetMyCommands,
        Method::DeleteMyCommands,
        Method::SetChatMenuButton,
    ];

    fn name(self) -> &'static str {
        match self {
            Method::GetMe => "getMe",
            Method::GetUpdates => "getUpdates",
            Method::SetWebhook => "setWebhook",
            Method::DeleteWebhook => "deleteWebhook",
            Method::GetWebhookInfo => "getWebhookInfo",
            Method::SendMessage => "sendMessage",
            Method::EditMessageText => "editMessageText",
            Method::EditMessageReplyMarkup => "editMessageReplyMarkup",
            Method::AnswerCallbackQuery => "answerCallbackQuery",
            Method::SendDocument => "sendDocument",
            Method::GetFile => "getFile",
            Method::DeleteMessage => "deleteMessage",
            Method::SendChatAction => "sendChatAction",
            Method::SetMyCommands => "setMyCommands",
            Method::GetMyCommands => "getMyCommands",
            Method::DeleteMyCommands => "deleteMyCommands",
            Method::SetChatMenuButton => "setChatMenuButton",
        }
    }

    /// Telegram matches method names case-insensitively; teloxide sends `SendMessage`.
    fn parse(name: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }
}

/// Entry point for everything outside `/control`.
pub async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/').to_owned();
    let token_segment = format!("bot{}", shared.config.token);
    if let Some(rest) = path.strip_prefix("file/") {
        let (token, file_path) = rest.split_once('/').unwrap_or((rest, ""));
        if decode(token) != token_segment {
            return ApiError::unauthorized().into_response();
        }
        return download(&shared, &decode(file_path));
    }
    let Some((token, method_name)) = path.split_once('/') else {
        return ApiError::not_found().into_response();
    };
    if !token.starts_with("bot") {
        return ApiError::not_found().into_response();
    }
    if decode(token) != token_segment {
        return ApiError::unauthorized().into_response();
    }
    let method_name = decode(method_name.trim_end_matches('/'));
    let Some(method) = Method::parse(&method_name) else {
        shared.count_request(&method_name);
        shared.count_rejection(None, &method_name, 404, "Not Found");
        return ApiError::not_found().into_response();
    };
    let name = method.name();
    shared.count_request(name);

    let params = match Params::read(request, shared.config.max_upload_bytes).await {
        Ok(params) => params,
        Err(error) => {
            let error = match error {
                ParamsError::TooLarge => ApiError::too_large(),
                ParamsError::Malformed(what) => ApiError::bad_request(what),
            };
            return refuse(&shared, None, name, error);
        }
    };
    let chat_id = params.i64("chat_id").or_else(|| {
        params
            .str("callback_query_id")
            .and_then(|id| shared.callback_chat(&id))
    });

    match shared.take_failure(name) {
        None => {}
        // Slow, then handled as usual.
        Some(FailKind::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        Some(FailKind::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
            let reason = status.canonical_reason().unwrap_or("Injected failure");
            return refuse(
                &shared,
                chat_id,
                name,
                ApiError::new(status.as_u16(), reason),
            );
        }
        Some(FailKind::Reset) => {
            shared.count_rejection(chat_id, name, 0, "connection dropped (injected)");
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(DropConnection);
            return response;
        }
    }

    let result = match method {
        Method::GetUpdates => match updates::get_updates(&shared, &params).await {
            Ok(batch) => return ok(&batch),
            Err(error) => Err(error),
        },
        Method::GetMe => Ok(wire::me(&shared.config)),
        Method::SetWebhook => webhook::set_webhook(&shared, &params),
        Method::DeleteWebhook => webhook::delete_webhook(&shared, &params),
        Method::GetWebhookInfo => Ok(webhook::get_webhook_info(&shared)),
        Method::SendMessage => send_message(&shared, &params),
        Method::EditMessageText => edit_message_text(&shared, &params),
        Method::EditMessageReplyMarkup => edit_message_reply_markup(&shared, &params),
        Method::AnswerCallbackQuery => answer_callback_query(&shared, &params),
        Method::SendDocument => send_document(&shared, &params),
        Method::GetFile => get_file(&shared, &params),
        Method::DeleteMessage => delete_message(&shared, &params),
        Method::SendChatAction => send_chat_action(&shared, &params),
        Method::SetMyCommands => set_my_commands(&shared, &params),
        Method::GetMyCommands => get_my_commands(&shared, &params),
        Method::DeleteMyCommands => delete_my_commands(&shared, &params),
        Method::SetChatMenuButton => Ok(json!(true)),
    };
    match result {
        Ok(value) => ok(value.to_string().as_bytes()),
        Err(error) => refuse(&shared, chat_id, name, error),
    }
}

fn refuse(shared: &Shared, chat_id: Option<i64>, method: &str, error: ApiError) -> Response {
    shared.count_rejection(chat_id, method, error.code, &error.description);
    error.into_response()
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

fn download(shared: &Shared, file_path: &str) -> Response {
    match shared.file_by_path(file_path) {
        Some(file) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/octet-stream")],
            Body::from(file.bytes.clone()),
        )
            .into_response(),
        None => ApiError::not_found().into_response(),
    }
}

// --- helpers shared by the methods ---------------------------------------------------------

/// The chat a call addresses. Only private chats with registered users exist.
fn target_chat(shared: &Shared, params: &Params) -> Result<Arc<Chat>, ApiError> {
    if !params.has("chat_id") {
        return Err(ApiError::bad_request("chat_id is empty"));
    }
    params
        .i64("chat_id")
        .and_then(|id| shared.chat(id))
        .ok_or_else(|| ApiError::bad_request("chat not found"))
}

fn message_id(params: &Params) -> Result<i32, ApiError> {
    if params.has("inline_message_id") {
        return Err(ApiError::bad_request(
            "inline messages are not supported by the fake",
        ));
    }
    params
        .i64("message_id")
        .and_then(|id| i32::try_from(id).ok())
        .ok_or_else(|| ApiError::bad_request("message identifier is not specified"))
}

fn parse_mode(params: &Params, name: &str) -> Result<Option<String>, ApiError> {
    match params.str(name).filter(|m| !m.is_empty()) {
        None => Ok(None),
        Some(mode)
            if ["HTML", "MarkdownV2", "Markdown"]
                .iter()
                .any(|m| m.eq_ignore_ascii_case(&mode)) =>
        {
            Ok(Some(mode))
        }
        Some(_) => Err(ApiError::bad_request("unsupported parse_mode")),
    }
}

/// Parses a text for its parse mode. Only HTML is checked; Markdown texts are taken as they are.
fn format(raw: String, parse_mode: Option<String>) -> Result<FormattedText, ApiError> {
    let parsed = match parse_mode.as_deref() {
        Some(mode) if mode.eq_ignore_ascii_case("HTML") => html::parse(&raw)
            .map_err(|why| ApiError::bad_request(format!("can't parse entities: {why}")))?,
        _ => Parsed {
            text: raw.clone(),
            entities: Vec::new(),
        },
    };
    Ok(FormattedText {
        raw,
        parse_mode,
        parsed,
    })
}

/// The text of a message or an edit: parsed, non-empty, at most 4096 UTF-16 units.
fn message_text(params: &Params, too_long: &str) -> Result<FormattedText, ApiError> {
    let raw = params.str("text").unwrap_or_default();
    let text = format(raw, parse_mode(params, "parse_mode")?)?;
    if text.parsed.text.trim().is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if utf16_len(&text.parsed.text) > MAX_TEXT_LEN {
        return Err(ApiError::bad_request(too_long));
    }
    Ok(text)
}

fn caption(params: &Params) -> Result<Option<FormattedText>, ApiError> {
    let Some(raw) = params.str("caption").filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let caption = format(raw, parse_mode(params, "parse_mode")?)?;
    if utf16_len(&caption.parsed.text) > MAX_CAPTION_LEN {
        return Err(ApiError::bad_request("message caption is too long"));
    }
    Ok(Some(caption))
}

/// The inline keyboard of `reply_markup`, checked as Telegram checks it. Reply keyboards and
/// `remove_keyboard`/`force_reply` are accepted and not recorded.
fn keyboard(params: &Params) -> Result<Vec<Vec<Button>>, ApiError> {
    if !params.has("reply_markup") {
        return Ok(Vec::new());
    }
    let cant_parse = || ApiError::bad_request("can't parse reply keyboard markup JSON object");
    let markup = params.json("reply_markup").ok_or_else(cant_parse)?;
    let Some(rows) = markup.get("inline_keyboard") else {
        return if ["keyboard", "remove_keyboard", "force_reply"]
            .iter()
            .any(|k| markup.get(k).is_some())
        {
            Ok(Vec::new())
        } else {
            Err(cant_parse())
        };
    };
    let rows = rows.as_array().ok_or_else(|| {
        ApiError::bad_request(
            "field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array",
        )
    })?;
    let mut keyboard = Vec::with_capacity(rows.len());
    for row in rows {
        let row = row
            .as_array()
            .ok_or_else(|| ApiError::bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays"))?;
        let buttons = row.iter().map(button).collect::<Result<Vec<_>, _>>()?;
        if !buttons.is_empty() {
            keyboard.push(buttons);
        }
    }
    Ok(keyboard)
}

fn button(value: &Value) -> Result<Button, ApiError> {
    let invalid =
        |why: &str| ApiError::bad_request(format!("can't parse inline keyboard button: {why}"));
    let text = value
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("Field \"text\" must be of type String"))?;
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("BUTTON_TEXT_INVALID"));
    }
    const OTHER_KINDS: &[&str] = &[
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ];
    let callback_data = value.get("callback_data");
    let url = value.get("url");
    let others = OTHER_KINDS
        .iter()
        .filter(|k| value.get(**k).is_some())
        .count();
    let kinds = usize::from(callback_data.is_some()) + usize::from(url.is_some()) + others;
    if kinds == 0 {
        return Err(invalid("Text buttons are unallowed in the inline keyboard"));
    }
    if kinds > 1 {
        return Err(invalid("exactly one of the optional fields must be used"));
    }
    if others > 0 {
        return Err(invalid(
            "the fake supports only callback_data and url buttons",
        ));
    }
    let callback_data = match callback_data {
        None => None,
        Some(data) => {
            let data = data
                .as_str()
                .ok_or_else(|| ApiError::bad_request("BUTTON_DATA_INVALID"))?;
            if data.is_empty() || data.len() > MAX_CALLBACK_DATA_BYTES {
                return Err(ApiError::bad_request("BUTTON_DATA_INVALID"));
            }
            Some(data.to_owned())
        }
    };
    let url = match url {
        None => None,
        Some(url) => {
            let url = url
                .as_str()
                .ok_or_else(|| ApiError::bad_request("BUTTON_URL_INVALID"))?;
            match reqwest::Url::parse(url) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https" | "tg") => {
                    Some(url.to_owned())
                }
                _ => return Err(ApiError::bad_request("BUTTON_URL_INVALID")),
            }
        }
    };
    Ok(Button {
        text: text.to_owned(),
        callback_data,
        url,
    })
}

/// `reply_parameters.message_id` (or the older `reply_to_message_id`), which must exist unless
/// `allow_sending_without_reply` is set.
fn reply_target(params: &Params, state: &ChatState) -> Result<Option<i32>, ApiError> {
    let reply = params.json("reply_parameters");
    let id = reply
        .as_ref()
        .and_then(|r| r.get("message_id"))
        .and_then(Value::as_i64)
        .or_else(|| params.i64("reply_to_message_id"))
        .and_then(|id| i32::try_from(id).ok());
    let Some(id) = id else { return Ok(None) };
    if state.messages.contains_key(&id) {
        return Ok(Some(id));
    }
    let allow = reply
        .as_ref()
        .and_then(|r| r.get("allow_sending_without_reply"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || params.bool("allow_sending_without_reply");
    if allow {
        Ok(None)
    } else {
        Err(ApiError::bad_request("message to be replied not found"))
    }
}

/// Refuses calls to a user who blocked the bot, then applies the flood limits.
fn admit(shared: &Shared, state: &mut ChatState) -> Result<(), ApiError> {
    if state.blocked {
        return Err(ApiError::blocked());
    }
    shared.admit(state).map_err(ApiError::too_many_requests)
}

fn message_json(shared: &Shared, state: &ChatState, message: &StoredMessage) -> Value {
    let reply_to = message.reply_to.and_then(|id| state.messages.get(&id));
    wire::message(&shared.config, &state.user, message, reply_to)
}

// --- methods -------------------------------------------------------------------------------

fn send_message(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let chat = target_chat(shared, params)?;
    let text = message_text(params, "message is too long")?;
    let buttons = keyboard(params)?;
    let mut state = chat.lock();
    let reply_to = reply_target(params, &state)?;
    admit(shared, &mut state)?;
    let message_id = state.next_message_id();
    let message = StoredMessage {
        message_id,
        from_bot: true,
        date: unix_now(),
        edit_date: None,
        content: Content::Text(text.clone()),
        buttons: buttons.clone(),
        reply_to,
    };
    let json = message_json(shared, &state, &message);
    state.messages.insert(message_id, message);
    let event = BotEventKind::Message {
        message_id,
        text: text.raw,
        visible_text: text.parsed.text,
        parse_mode: text.parse_mode,
        buttons,
        reply_to,
    };
    shared.record(&chat, &mut state, event);
    Ok(json)
}

fn edit_message_text(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let chat = target_chat(shared, params)?;
    let message_id = message_id(params)?;
    let text = message_text(params, "MESSAGE_TOO_LONG")?;
    let buttons = keyboard(params)?;
    let mut state = chat.lock();
    if state.blocked {
        return Err(ApiError::blocked());
    }
    let message = state
        .messages
        .get(&message_id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if !message.from_bot {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    let Content::Text(current) = &message.content else {
        return Err(ApiError::bad_request(
            "there is no text in the message to edit",
        ));
    };
    // Telegram compares what the user would see: text, entities and keyboard. An edit without
    // `reply_markup` removes the keyboard, so it counts as a change when there was one.
    if current.parsed == text.parsed && message.buttons == buttons {
        return Err(ApiError::message_not_modified());
    }
    admit(shared, &mut state)?;
    let Some(message) = state.messages.get_mut(&message_id) else {
        return Err(ApiError::bad_request("message to edit not found"));
    };
    message.content = Content::Text(text.clone());
    message.buttons = buttons.clone();
    message.edit_date = Some(unix_now());
    let message = message.clone();
    let json = message_json(shared, &state, &message);
    let event = BotEventKind::Edit {
        message_id,
        text: Some(text.raw),
        visible_text: Some(text.parsed.text),
        parse_mode: text.parse_mode,
        buttons,
    };
    shared.record(&chat, &mut state, event);
    Ok(json)
}

fn edit_message_reply_markup(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let chat = target_chat(shared, params)?;
    let message_id = message_id(params)?;
    let buttons = keyboard(params)?;
    let mut state = chat.lock();
    if state.blocked {
        return Err(ApiError::blocked());
    }
    let message = state
        .messages
        .get(&message_id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if !message.from_bot {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    if message.buttons == buttons {
        return Err(ApiError::message_not_modified());
    }
    admit(shared, &mut state)?;
    let Some(message) = state.messages.get_mut(&message_id) else {
        return Err(ApiError::bad_request("message to edit not found"));
    };
    message.buttons = buttons.clone();
    message.edit_date = Some(unix_now());
    let message = message.clone();
    let json = message_json(shared, &state, &message);
    let event = BotEventKind::Edit {
        message_id,
        text: None,
        visible_text: None,
        parse_mode: None,
        buttons,
    };
    shared.record(&chat, &mut state, event);
    Ok(json)
}

fn answer_callback_query(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let id = params.str("callback_query_id").unwrap_or_default();
    let text = params.str("text").filter(|t| !t.is_empty());
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_CALLBACK_ANSWER_LEN)
    {
        return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
    }
    // Telegram's wording (with "ID"); teloxide's `InvalidQueryId` expects "id", so teloxide
    // reports this as `ApiError::Unknown`.
    let chat_id = shared.answer_callback(&id).ok_or_else(|| {
        ApiError::bad_request(
            "query is too old and response timeout expired or query ID is invalid",
        )
    })?;
    if let Some(chat) = shared.chat(chat_id) {
        let mut state = chat.lock();
        let event = BotEventKind::CallbackAnswer {
            callback_query_id: id,
            text,
            show_alert: params.bool("show_alert"),
        };
        shared.record(&chat, &mut state, event);
    }
    Ok(json!(true))
}

fn send_document(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let chat = target_chat(shared, params)?;
    let caption = caption(params)?;
    let buttons = keyboard(params)?;
    // An upload is stored only once the call passed every check, so refused retries of a big
    // file do not pile up copies.
    enum Source<'a> {
        Upload(&'a UploadedFile),
        Stored(Arc<StoredFile>),
    }
    let source = match params.input_file("document") {
        None => return Err(ApiError::bad_request("there is no document in the request")),
        Some(InputFile::Upload(upload)) if upload.bytes.is_empty() => {
            return Err(ApiError::bad_request("file must be non-empty"));
        }
        Some(InputFile::Upload(upload)) => Source::Upload(upload),
        Some(InputFile::Reference(reference)) => Source::Stored(
            shared
                .file_by_id(&reference)
                .ok_or_else(|| ApiError::bad_request("wrong file identifier/HTTP URL specified"))?,
        ),
    };
    let mut state = chat.lock();
    let reply_to = reply_target(params, &state)?;
    admit(shared, &mut state)?;
    let file = match source {
        Source::Stored(file) => file,
        Source::Upload(upload) => {
            // Telegram derives the type from the file name, as `mime_guess` does.
            let mime_type = upload
                .file_name
                .as_deref()
                .and_then(|name| mime_guess::from_path(name).first_raw())
                .map(str::to_owned)
                .or_else(|| upload.content_type.clone())
                .or_else(|| Some("application/octet-stream".to_owned()));
            shared.store_file(
                "documents",
                upload.file_name.clone(),
                mime_type,
                upload.bytes.clone(),
            )
        }
    };
    let message_id = state.next_message_id();
    let message = StoredMessage {
        message_id,
        from_bot: true,
        date: unix_now(),
        edit_date: None,
        content: Content::Document {
            file: file.clone(),
            caption: caption.clone(),
        },
        buttons: buttons.clone(),
        reply_to,
    };
    let json = message_json(shared, &state, &message);
    state.messages.insert(message_id, message);
    let event = BotEventKind::Document {
        message_id,
        file_id: file.file_id.clone(),
        file_name: file.file_name.clone(),
        mime_type: file.mime_type.clone(),
        bytes: file.bytes.clone(),
        parse_mode: caption.as_ref().and_then(|c| c.parse_mode.clone()),
        caption: caption.map(|c| c.raw),
        buttons,
    };
    shared.record(&chat, &mut state, event);
    Ok(json)
}

fn get_file(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let file_id = params.str("file_id").unwrap_or_default();
    let file = shared
        .file_by_id(&file_id)
        .ok_or_else(|| ApiError::bad_request("invalid file id"))?;
    if file.bytes.len() as u64 > shared.config.max_download_bytes {
        return Err(ApiError::bad_request("file is too big"));
    }
    Ok(wire::file(&file))
}

fn delete_message(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let chat = target_chat(shared, params)?;
    let message_id = message_id(params)?;
    let mut state = chat.lock();
    if state.blocked {
        return Err(ApiError::blocked());
    }
    if state.messages.remove(&message_id).is_none() {
        return Err(ApiError::bad_request("message to delete not found"));
    }
    shared.record(&chat, &mut state, BotEventKind::Delete { message_id });
    Ok(json!(true))
}

fn send_chat_action(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    const ACTIONS: &[&str] = &[
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ];
    let chat = target_chat(shared, params)?;
    let action = params.str("action").unwrap_or_default();
    if !ACTIONS.contains(&action.as_str()) {
        return Err(ApiError::bad_request("wrong parameter action in request"));
    }
    let mut state = chat.lock();
    if state.blocked {
        return Err(ApiError::blocked());
    }
    shared.record(&chat, &mut state, BotEventKind::ChatAction { action });
    Ok(json!(true))
}

/// The key of a command list: its scope (default when absent) and language.
fn command_scope(params: &Params) -> (String, String) {
    let scope = params
        .json("scope")
        .unwrap_or_else(|| json!({ "type": "default" }));
    (
        scope.to_string(),
        params.str("language_code").unwrap_or_default(),
    )
}

fn set_my_commands(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let commands: Vec<BotCommand> = params
        .json("commands")
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| ApiError::bad_request("can't parse commands JSON object"))?;
    if commands.len() > MAX_COMMANDS {
        return Err(ApiError::bad_request("too many commands specified"));
    }
    for command in &commands {
        let name_ok = (1..=MAX_COMMAND_LEN).contains(&command.command.len())
            && command
                .command
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
        }
        let description_len = command.description.chars().count();
        if !(1..=MAX_COMMAND_DESCRIPTION_LEN).contains(&description_len) {
            return Err(ApiError::bad_request("BOT_COMMAND_DESCRIPTION_INVALID"));
        }
    }
    let (scope, language) = command_scope(params);
    shared.set_commands(scope, language, commands);
    Ok(json!(true))
}

fn get_my_commands(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let (scope, language) = command_scope(params);
    Ok(json!(shared.commands_for(scope, language)))
}

fn delete_my_commands(shared: &Shared, params: &Params) -> Result<Value, ApiError> {
    let (scope, language) = command_scope(params);
    shared.delete_commands(scope, language);
    Ok(json!(true))
}
