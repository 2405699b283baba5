//! The operator's API under `/admin`, mounted only when `STOCKLENS_ADMIN_TOKEN` is set.
//!
//! Every request needs `Authorization: Bearer <token>`; the check compares sha256 digests in
//! constant time, so neither the token's length nor its prefix leaks through timing, and it runs
//! before the body is read, so an unauthenticated upload is never buffered (at most a few MB of
//! it is read and dropped, so the client sees its 401: [`super::linger`]). Bodies are capped: a
//! plugin upload at [`MAX_PLUGIN_BYTES`], anything else at [`MAX_JSON_BYTES`]; more gets 413.
//!
//! Answers are JSON; a refusal is `{"error": "..."}` with a status that says what kind.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use http_body_util::BodyExt;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::bot::Lexicon;
use crate::bot::lexicon::lang_of;
use crate::catalog::{CatalogError, Engine, Expected, MAX_PLUGIN_BYTES};
use crate::plugin::PluginKind;
use crate::store::{ChangedBy, JobState, NewUser, PluginChange, Store, StoreError};

/// Largest JSON body an admin request may carry.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// Longest window `/admin/stats` covers.
const MAX_STATS_DAYS: i64 = 366;

/// What the admin handlers share.
pub struct AdminState {
    pub store: Store,
    pub engine: Arc<Engine>,
    pub lexicon: Arc<Lexicon>,
    /// sha256 of the admin token: the token itself is not kept.
    token_digest: [u8; 32],
}

impl AdminState {
    pub fn new(store: Store, engine: Arc<Engine>, lexicon: Arc<Lexicon>, token: &str) -> Self {
        AdminState {
            store,
            engine,
            lexicon,
            token_digest: Sha256::digest(token.as_bytes()).into(),
        }
    }
}

/// The admin routes, behind the bearer check.
pub fn router(state: Arc<AdminState>) -> Router {
    let uploads = Router::new()
        .route("/admin/plugins", post(install_plugin))
        .layer(DefaultBodyLimit::max(MAX_PLUGIN_BYTES))
        .layer(middleware::from_fn_with_state(MAX_PLUGIN_BYTES, body_cap));
    Router::new()
        .route("/admin/plugins", get(list_plugins))
        .route(
            "/admin/plugins/{id}/activate/{version}",
            post(activate_plugin),
        )
        .route("/admin/plugins/{id}/rollback", post(rollback_plugin))
        .route("/admin/plugins/{id}/disable", post(disable_plugin))
        .route("/admin/plugins/{id}/history", get(plugin_history))
        .route("/admin/users/{telegram_id}", get(show_user))
        .route("/admin/users/{telegram_id}/plan", put(set_plan))
        .route("/admin/lexicon", get(list_lexicon))
        .route(
            "/admin/lexicon/{lang}/{key}",
            put(set_lexicon).delete(delete_lexicon),
        )
        .route("/admin/jobs", get(list_jobs))
        .route("/admin/jobs/{id}/retry", post(retry_job))
        .route("/admin/stats", get(stats))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .layer(middleware::from_fn_with_state(MAX_JSON_BYTES, body_cap))
        .merge(uploads)
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            authorize,
        ))
        .with_state(state)
}

async fn authorize(State(state): State<Arc<AdminState>>, request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !token_matches(&state.token_digest, given) {
        metrics::counter!("stocklens_admin_refused_total").increment(1);
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            axum::Json(json!({"error": "a valid admin token is required"})),
        )
            .into_response();
    }
    next.run(request).await
}

/// Whether `given` is the token whose sha256 is `digest`. The digests are compared with
/// `subtle`'s constant-time equality: hashing first makes the time independent of the token's
/// length, and the comparison's independent of where the first differing byte is.
fn token_matches(digest: &[u8; 32], given: &str) -> bool {
    let given_digest: [u8; 32] = Sha256::digest(given.as_bytes()).into();
    let equal: bool = given_digest.ct_eq(digest).into();
    // An empty token is refused whatever was configured (`serve` never configures one).
    equal && !given.is_empty()
}

/// Holds a route's body to `limit` bytes, whether or not its handler reads a body: the body is
/// read up to the cap and refused with 413 beyond it. Reading rather than trusting
/// `Content-Length` catches a chunked body; the rest of a refused one is read on a little
/// before the answer goes out (see [`super::linger`]).
async fn body_cap(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let (parts, mut body) = request.into_parts();
    let mut read = bytes::BytesMut::new();
    loop {
        match body.frame().await {
            None => break,
            Some(Err(_)) => return refusal(StatusCode::BAD_REQUEST, "the body could not be read"),
            Some(Ok(frame)) => {
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                if read.len() + data.len() > limit {
                    return refusal(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!("the body is larger than {}", size_text(limit)),
                    );
                }
                read.extend_from_slice(&data);
            }
        }
    }
    let body = axum::body::Body::from(read.freeze());
    next.run(Request::from_parts(parts, body)).await
}

fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes / 1024)
    }
}

/// A refusal as JSON, with the status its kind calls for.
fn refusal(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, axum::Json(json!({"error": message.to_string()}))).into_response()
}

fn catalog_error(err: CatalogError) -> Response {
    match err {
        CatalogError::Refused(_) => refusal(StatusCode::UNPROCESSABLE_ENTITY, err),
        CatalogError::NotFound(_) => refusal(StatusCode::NOT_FOUND, err),
        CatalogError::Conflict(_) => refusal(StatusCode::CONFLICT, err),
        CatalogError::Store(err) => store_error(err),
        CatalogError::Internal(_) => refusal(StatusCode::INTERNAL_SERVER_ERROR, err),
    }
}

fn store_error(err: StoreError) -> Response {
    match err {
        StoreError::NotFound { what } => {
            refusal(StatusCode::NOT_FOUND, format!("{what} not found"))
        }
        StoreError::Conflict { what } => refusal(StatusCode::CONFLICT, what),
        err => {
            tracing::warn!(%err, "an admin request failed in the store");
            refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database cannot answer right now",
            )
        }
    }
}

fn ok(value: impl serde::Serialize) -> Response {
    axum::Json(value).into_response()
}

async fn list_plugins(State(state): State<Arc<AdminState>>) -> Response {
    match state.engine.statuses(&state.store).await {
        Ok(statuses) => ok(json!({
            "generation": state.engine.generation(),
            "plugins": statuses,
        })),
        Err(err) => catalog_error(err),
    }
}

/// `POST /admin/plugins?activate=true&id=..&version=..&kind=..&by=..` with the `.wasm` as the
/// body.
#[derive(Debug, Deserialize)]
struct InstallQuery {
    #[serde(default)]
    activate: bool,
    id: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    by: Option<String>,
}

async fn install_plugin(
    State(state): State<Arc<AdminState>>,
    Query(query): Query<InstallQuery>,
    body: Bytes,
) -> Response {
    if body.is_empty() {
        return refusal(
            StatusCode::BAD_REQUEST,
            "send the plugin's .wasm file as the request body",
        );
    }
    let kind = match query.kind.as_deref() {
        None => None,
        Some("parser") => Some(PluginKind::Parser),
        Some("analyzer") => Some(PluginKind::Analyzer),
        Some(other) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                format!("kind {other:?} is not parser or analyzer"),
            );
        }
    };
    let expected = Expected {
        id: query.id,
        version: query.version,
        kind,
    };
    metrics::histogram!("stocklens_plugin_upload_bytes").record(body.len() as f64);
    let by = query.by.unwrap_or_else(|| "admin-api".into());
    match state
        .engine
        .install(
            &state.store,
            body.to_vec(),
            expected,
            query.activate,
            Some(&by),
        )
        .await
    {
        Ok(installed) => {
            let status = if installed.new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, axum::Json(installed)).into_response()
        }
        Err(err) => catalog_error(err),
    }
}

async fn change(state: &AdminState, id: &str, change: PluginChange<'_>) -> Response {
    // The engine is behind an Arc in the state; `change` wants the Arc itself.
    match state
        .engine
        .change(
            &state.store,
            id,
            &change,
            ChangedBy {
                who: Some("admin-api"),
                reason: None,
            },
        )
        .await
    {
        Ok(Some(choice)) => ok(json!({"changed": true, "choice": choice})),
        Ok(None) => ok(json!({"changed": false})),
        Err(err) => catalog_error(err),
    }
}

async fn activate_plugin(
    State(state): State<Arc<AdminState>>,
    Path((id, version)): Path<(String, String)>,
) -> Response {
    change(&state, &id, PluginChange::Activate(&version)).await
}

async fn rollback_plugin(State(state): State<Arc<AdminState>>, Path(id): Path<String>) -> Response {
    change(&state, &id, PluginChange::Rollback).await
}

async fn disable_plugin(State(state): State<Arc<AdminState>>, Path(id): Path<String>) -> Response {
    change(&state, &id, PluginChange::Disable).await
}

async fn plugin_history(State(state): State<Arc<AdminState>>, Path(id): Path<String>) -> Response {
    match state.store.plugin_changes(&id).await {
        Ok(changes) => ok(json!({"id": id, "changes": changes})),
        Err(err) => store_error(err),
    }
}

async fn show_user(State(state): State<Arc<AdminState>>, Path(telegram_id): Path<i64>) -> Response {
    let user = match state.store.user_by_telegram_id(telegram_id).await {
        Ok(Some(user)) => user,
        Ok(None) => return refusal(StatusCode::NOT_FOUND, "no such user"),
        Err(err) => return store_error(err),
    };
    match state.store.quota_usage(user.id).await {
        Ok(usage) => ok(json!({
            "telegram_id": user.telegram_id,
            "language": user.language,
            "plan": user.plan,
            "plan_until": user.plan_until,
            "plan_in_force": usage.plan,
            "quota": {
                "limit": usage.limit,
                "period_days": usage.period_days,
                "reserved": usage.reserved,
                "consumed": usage.consumed,
                "remaining": usage.remaining(),
            },
            "blocked": user.blocked,
            "active": user.active,
            "created_at": user.created_at,
        })),
        Err(err) => store_error(err),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanBody {
    plan: String,
    /// Unix ms when the plan lapses back to FREE; absent for never.
    until: Option<i64>,
}

async fn set_plan(
    State(state): State<Arc<AdminState>>,
    Path(telegram_id): Path<i64>,
    axum::Json(body): axum::Json<PlanBody>,
) -> Response {
    let store = &state.store;
    let set = async {
        store.plan(&body.plan).await?;
        let (user, _) = store
            .get_or_create_user(&NewUser {
                telegram_id,
                language: "en",
            })
            .await?;
        store.set_user_plan(user.id, &body.plan, body.until).await
    };
    match set.await {
        Ok(user) => ok(
            json!({"telegram_id": telegram_id, "plan": user.plan, "plan_until": user.plan_until}),
        ),
        Err(StoreError::NotFound { what: "plan" }) => refusal(
            StatusCode::NOT_FOUND,
            format!("no plan named {:?}", body.plan),
        ),
        Err(err) => store_error(err),
    }
}

async fn list_lexicon(State(state): State<Arc<AdminState>>) -> Response {
    match state.store.lexicon_overrides().await {
        Ok(rows) => ok(rows
            .into_iter()
            .map(|r| json!({"lang": r.lang, "key": r.key, "text": r.text, "updated_at": r.updated_at}))
            .collect::<Vec<Value>>()),
        Err(err) => store_error(err),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextBody {
    text: String,
}

async fn set_lexicon(
    State(state): State<Arc<AdminState>>,
    Path((lang, key)): Path<(String, String)>,
    axum::Json(body): axum::Json<TextBody>,
) -> Response {
    let Some(tag) = lang_of(&lang) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            format!("language {lang:?} is not one of en, ru"),
        );
    };
    if let Err(why) = state.lexicon.check_text(tag, &key, &body.text) {
        return refusal(StatusCode::UNPROCESSABLE_ENTITY, why);
    }
    match state
        .store
        .set_lexicon_override(&lang, &key, &body.text)
        .await
    {
        Ok(()) => ok(json!({"lang": lang, "key": key, "text": body.text})),
        Err(err) => store_error(err),
    }
}

async fn delete_lexicon(
    State(state): State<Arc<AdminState>>,
    Path((lang, key)): Path<(String, String)>,
) -> Response {
    match state.store.remove_lexicon_override(&lang, &key).await {
        Ok(true) => ok(json!({"lang": lang, "key": key, "removed": true})),
        Ok(false) => refusal(
            StatusCode::NOT_FOUND,
            format!("{lang} {key} has no override"),
        ),
        Err(err) => store_error(err),
    }
}

#[derive(Debug, Deserialize)]
struct JobsQuery {
    state: Option<String>,
    limit: Option<i64>,
}

async fn list_jobs(
    State(state): State<Arc<AdminState>>,
    Query(query): Query<JobsQuery>,
) -> Response {
    let job_state = match JobState::try_from(query.state.unwrap_or_else(|| "dead".into())) {
        Ok(s) => s,
        Err(_) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "state must be queued, running, done, failed or dead",
            );
        }
    };
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    match state.store.list_jobs(Some(job_state), limit).await {
        Ok(jobs) => ok(jobs
            .into_iter()
            .map(|j| {
                json!({
                    "id": j.id, "kind": j.kind, "state": j.state.as_str(), "attempts": j.attempts,
                    "max_attempts": j.max_attempts, "last_error": j.last_error,
                    "created_at": j.created_at, "updated_at": j.updated_at,
                })
            })
            .collect::<Vec<Value>>()),
        Err(err) => store_error(err),
    }
}

async fn retry_job(State(state): State<Arc<AdminState>>, Path(id): Path<i64>) -> Response {
    match crate::jobs::queue::retry(&state.store, id).await {
        Ok(job) => ok(json!({"id": job.id, "state": job.state.as_str()})),
        Err(err) => store_error(err),
    }
}

#[derive(Debug, Deserialize)]
struct StatsQuery {
    days: Option<i64>,
}

async fn stats(State(state): State<Arc<AdminState>>, Query(query): Query<StatsQuery>) -> Response {
    let days = query.days.unwrap_or(30).clamp(1, MAX_STATS_DAYS);
    match state.store.daily_stats(days).await {
        Ok(rows) => ok(json!({"days": rows})),
        Err(err) => store_error(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(token: &str) -> [u8; 32] {
        Sha256::digest(token.as_bytes()).into()
    }

    #[test]
    fn only_the_exact_token_is_accepted() {
        let configured = digest("s3cret-admin-token");
        assert!(token_matches(&configured, "s3cret-admin-token"));
        for wrong in [
            "",
            "s3cret",
            "s3cret-admin-token ",
            "s3cret-admin-token-and-more",
            "s3cret-admin-tokeN",
            "S3CRET-ADMIN-TOKEN",
        ] {
            assert!(!token_matches(&configured, wrong), "{wrong:?}");
        }
        // Even a server configured (by mistake) with an empty token accepts no empty one.
        assert!(!token_matches(&digest(""), ""));
    }

    #[test]
    fn the_check_compares_fixed_size_digests_in_constant_time() {
        // What `token_matches` relies on: a wrong token of any length or shared prefix is
        // compared as a 32-byte digest by `subtle`, which inspects every byte whatever differs.
        let configured = digest("s3cret-admin-token");
        for given in ["s", "s3cret-admin-tokeX", &"x".repeat(10_000)] {
            let given = digest(given);
            assert_eq!(given.len(), configured.len());
            assert!(!bool::from(given.ct_eq(&configured)));
        }
        assert!(bool::from(configured.ct_eq(&digest("s3cret-admin-token"))));
    }
}
