//! The control API over HTTP: the in-process operations of
//! [`FakeTelegram`](super::FakeTelegram) under `/control/...`, JSON in and out, for a load
//! generator in another process. The route table is in the parent module's documentation.
//!
//! Not authenticated: the fake listens on 127.0.0.1 only.

use std::{sync::Arc, time::Duration};

use axum::{
    Json, Router,
    body::to_bytes,
    extract::{Path, Query, Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post, put},
};
use serde::Deserialize;
use serde_json::json;

use super::{
    events::{FailKind, RateLimit, SimUser},
    state::Shared,
};

/// Largest document a simulated user can upload through the control API. Above Telegram's
/// 20 MB download limit, so tests can provoke "file is too big".
const MAX_CONTROL_UPLOAD: usize = 256 * 1024 * 1024;
/// Longest `wait_ms` honoured by the events route.
const MAX_EVENTS_WAIT: Duration = Duration::from_secs(60);

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/control/users", post(register_user))
        .route("/control/messages", post(send_text))
        .route("/control/messages/{chat_id}/{message_id}", get(message))
        .route("/control/documents", post(send_document))
        .route("/control/photos", post(send_photo))
        .route("/control/stickers", post(send_sticker))
        .route("/control/callbacks", post(press))
        .route("/control/callbacks/{id}", get(callback))
        .route("/control/events/{chat_id}", get(events))
        .route("/control/commands", get(commands))
        .route("/control/block/{user_id}", post(block).delete(unblock))
        .route("/control/chat-rate", put(set_chat_rate))
        .route("/control/global-rate", put(set_global_rate))
        .route("/control/failures", post(fail_next))
        .route("/control/pending", get(pending))
        .route("/control/stats", get(stats))
}

struct ControlError(StatusCode, String);

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<anyhow::Error> for ControlError {
    fn from(error: anyhow::Error) -> Self {
        ControlError(StatusCode::NOT_FOUND, format!("{error:#}"))
    }
}

fn user(shared: &Shared, user_id: i64) -> Result<SimUser, ControlError> {
    shared
        .chat(user_id)
        .map(|chat| chat.lock().user.clone())
        .ok_or_else(|| {
            ControlError(
                StatusCode::NOT_FOUND,
                format!("unknown user {user_id}: POST /control/users first"),
            )
        })
}

async fn register_user(
    State(shared): State<Arc<Shared>>,
    Json(user): Json<SimUser>,
) -> Json<SimUser> {
    shared.register_user(&user);
    Json(user)
}

#[derive(Deserialize)]
struct TextBody {
    user_id: i64,
    text: String,
}

async fn send_text(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<TextBody>,
) -> Result<Response, ControlError> {
    let user = user(&shared, body.user_id)?;
    let at = shared.elapsed();
    let message_id = shared.send_text(&user, &body.text);
    Ok(Json(json!({ "message_id": message_id, "at_ms": millis(at) })).into_response())
}

#[derive(Deserialize)]
struct DocumentQuery {
    user_id: i64,
    file_name: String,
    #[serde(default)]
    mime_type: Option<String>,
}

async fn send_document(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<DocumentQuery>,
    request: Request,
) -> Result<Response, ControlError> {
    let user = user(&shared, query.user_id)?;
    let bytes = to_bytes(request.into_body(), MAX_CONTROL_UPLOAD)
        .await
        .map_err(|e| {
            ControlError(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("reading the document: {e}"),
            )
        })?;
    let mime_type = query.mime_type.unwrap_or_else(|| {
        mime_guess::from_path(&query.file_name)
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_owned()
    });
    let at = shared.elapsed();
    let message_id = shared.send_document(&user, &query.file_name, &mime_type, bytes);
    Ok(Json(json!({ "message_id": message_id, "at_ms": millis(at) })).into_response())
}

#[derive(Deserialize)]
struct UserBody {
    user_id: i64,
}

async fn send_photo(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<UserBody>,
) -> Result<Response, ControlError> {
    let user = user(&shared, body.user_id)?;
    Ok(Json(json!({ "message_id": shared.send_photo(&user) })).into_response())
}

async fn send_sticker(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<UserBody>,
) -> Result<Response, ControlError> {
    let user = user(&shared, body.user_id)?;
    Ok(Json(json!({ "message_id": shared.send_sticker(&user) })).into_response())
}

#[derive(Deserialize)]
struct PressBody {
    user_id: i64,
    message_id: i32,
    data: String,
    /// Any data on any of the bot's messages, as a modified client can send.
    #[serde(default)]
    forged: bool,
}

async fn press(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<PressBody>,
) -> Result<Response, ControlError> {
    let user = user(&shared, body.user_id)?;
    let at = shared.elapsed();
    let pressed = if body.forged {
        shared.press_forged(&user, body.message_id, &body.data)
    } else {
        shared.press(&user, body.message_id, &body.data)
    };
    let id =
        pressed.map_err(|e| ControlError(StatusCode::UNPROCESSABLE_ENTITY, format!("{e:#}")))?;
    Ok(Json(json!({ "callback_query_id": id, "at_ms": millis(at) })).into_response())
}

async fn callback(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    Json(json!({ "answered": shared.callback_answered(&id) })).into_response()
}

async fn message(
    State(shared): State<Arc<Shared>>,
    Path((chat_id, message_id)): Path<(i64, i32)>,
) -> Result<Response, ControlError> {
    let state = shared.message(chat_id, message_id).ok_or_else(|| {
        ControlError(
            StatusCode::NOT_FOUND,
            format!("no message {message_id} in chat {chat_id}"),
        )
    })?;
    Ok(Json(state).into_response())
}

#[derive(Deserialize)]
struct EventsQuery {
    #[serde(default)]
    after: usize,
    #[serde(default)]
    wait_ms: u64,
}

async fn events(
    State(shared): State<Arc<Shared>>,
    Path(chat_id): Path<i64>,
    Query(query): Query<EventsQuery>,
) -> Result<Response, ControlError> {
    let wait = Duration::from_millis(query.wait_ms).min(MAX_EVENTS_WAIT);
    let deadline = tokio::time::Instant::now() + wait;
    let all = match shared
        .wait_until(chat_id, deadline, |events| events.len() > query.after)
        .await?
    {
        Ok(all) | Err(all) => all,
    };
    let next = all.len();
    let fresh = all.into_iter().skip(query.after).collect::<Vec<_>>();
    Ok(Json(json!({ "events": fresh, "next": next })).into_response())
}

async fn commands(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.last_commands()).into_response()
}

async fn block(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<i64>,
) -> Result<Response, ControlError> {
    shared.set_blocked(user_id, true)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn unblock(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<i64>,
) -> Result<Response, ControlError> {
    shared.set_blocked(user_id, false)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn set_chat_rate(
    State(shared): State<Arc<Shared>>,
    Json(limit): Json<Option<RateLimit>>,
) -> StatusCode {
    shared.set_chat_rate(limit);
    StatusCode::NO_CONTENT
}

async fn set_global_rate(
    State(shared): State<Arc<Shared>>,
    Json(limit): Json<Option<RateLimit>>,
) -> StatusCode {
    shared.set_global_rate(limit);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct FailBody {
    method: String,
    #[serde(default = "one")]
    count: u32,
    kind: FailKind,
}

/// A time on the events' clock, in milliseconds with microseconds, as events carry it.
fn millis(at: Duration) -> f64 {
    at.as_secs_f64() * 1000.0
}

fn one() -> u32 {
    1
}

async fn fail_next(State(shared): State<Arc<Shared>>, Json(body): Json<FailBody>) -> StatusCode {
    shared.fail_next(&body.method, body.count, body.kind);
    StatusCode::NO_CONTENT
}

async fn pending(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({ "pending_updates": shared.pending_updates() })).into_response()
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.stats()).into_response()
}
