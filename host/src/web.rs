//! The web role: liveness and readiness for whatever runs the service, metrics in Prometheus'
//! text format, and the report links contributors open (`/r/{token}`).
//!
//! It only reads: reports come from the store, readiness asks the store, the plugin registry and
//! the cache. Redis being down is reported on `/readyz` but never makes the service unready, since
//! nothing needs it (decision 23). A report link is a secret: an unknown, malformed or expired
//! token gets the very same 404, and the page is served with a policy that forbids scripts and
//! any loading, and without caching by shared proxies. The operator's API ([`admin`]) is mounted
//! only when an admin token is configured; nothing else here changes state.

pub mod admin;
pub mod linger;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::cache::{BreakerState, Cache};
use crate::catalog::Engine;
use crate::store::{JobState, Store, StoreError};

/// What a report page may do: show its own inline styles and `data:` images, nothing else. The
/// renderer writes the same policy into the page; the header also covers the page opened from a
/// proxy that strips `<meta>`.
pub const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// Longest token accepted before the store is asked: real tokens are 32 lower-case hex digits.
const MAX_TOKEN_LEN: usize = 64;

/// What the handlers share.
pub struct WebState {
    pub store: Store,
    pub cache: Cache,
    /// The plugins running in this process: readiness needs at least one parser and one
    /// generator.
    pub engine: Arc<Engine>,
    /// Renders the metrics recorded in this process; `None` when another recorder is installed.
    pub metrics: Option<PrometheusHandle>,
}

/// The web role's routes; with `admin`, the operator's API too.
pub fn router(state: Arc<WebState>, admin: Option<Arc<admin::AdminState>>) -> Router {
    let public = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/r/{token}", get(report))
        .with_state(state);
    let routes = match admin {
        Some(admin) => public.merge(admin::router(admin)),
        None => public,
    };
    routes.layer(axum::middleware::from_fn(linger::read_on))
}

/// Serves `router` on `listener` until `stop` is cancelled, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: CancellationToken,
) -> std::io::Result<()> {
    let address: Option<SocketAddr> = listener.local_addr().ok();
    tracing::info!(?address, "web role listening");
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// `/readyz`'s answer.
#[derive(Debug, Serialize)]
struct Readiness {
    ready: bool,
    /// "ok", or why the database is not usable.
    database: String,
    plugins: usize,
    /// The plugin registry generation this process runs (see `catalog`).
    plugin_generation: i64,
    /// "off" (not configured), "ok", "degraded" (breaker open or probing): informational only.
    redis: &'static str,
    /// The answering process, to tell replicas (and a supervisor its own child) apart.
    pid: u32,
}

async fn readyz(State(state): State<Arc<WebState>>) -> Response {
    let database = match state.store.check_ready().await {
        Ok(()) => "ok".to_owned(),
        Err(StoreError::MigrationsPending { versions }) => {
            format!("migrations pending: {versions:?}")
        }
        Err(err) => {
            tracing::warn!(%err, "readiness: the database does not answer");
            "unreachable".to_owned()
        }
    };
    let redis = if !state.cache.is_enabled() {
        "off"
    } else {
        match state.cache.state() {
            BreakerState::Closed => "ok",
            BreakerState::Open | BreakerState::HalfOpen => "degraded",
        }
    };
    let registry = state.engine.registry();
    let plugins = registry.parsers().len() + registry.analyzers().len();
    let ready =
        database == "ok" && !registry.parsers().is_empty() && !registry.analyzers().is_empty();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Readiness {
        ready,
        database,
        plugins,
        plugin_generation: state.engine.generation(),
        redis,
        pid: std::process::id(),
    };
    (status, axum::Json(body)).into_response()
}

async fn metrics(State(state): State<Arc<WebState>>) -> Response {
    // Gauges read at scrape time: jobs by state are the database's, whichever process runs them.
    if state.metrics.is_some() {
        match state.store.count_jobs_by_state().await {
            Ok(counts) => {
                for job_state in [
                    JobState::Queued,
                    JobState::Running,
                    JobState::Done,
                    JobState::Failed,
                    JobState::Dead,
                ] {
                    let count = counts
                        .iter()
                        .find(|(s, _)| *s == job_state)
                        .map_or(0, |(_, n)| *n);
                    metrics::gauge!("stocklens_jobs", "state" => job_state.as_str())
                        .set(count as f64);
                }
            }
            Err(err) => tracing::warn!(%err, "metrics: cannot count jobs"),
        }
        let cache = &state.cache;
        metrics::gauge!("stocklens_redis_breaker_open").set(match cache.state() {
            BreakerState::Closed => 0.0,
            BreakerState::HalfOpen => 0.5,
            BreakerState::Open => 1.0,
        });
    }
    match &state.metrics {
        Some(handle) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4"),
            )],
            handle.render(),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "metrics are recorded elsewhere in this process\n",
        )
            .into_response(),
    }
}

async fn report(State(state): State<Arc<WebState>>, Path(token): Path<String>) -> Response {
    // Only the token exactly as it was made (lower-case hex) opens a report; this early answer
    // depends on the shape of the request, never on any live token.
    let well_formed = !token.is_empty()
        && token.len() <= MAX_TOKEN_LEN
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !well_formed {
        metrics::counter!("stocklens_report_links_total", "result" => "not_found").increment(1);
        return not_found();
    }
    let found = state.store.report_by_token(&token).await;
    let result = match &found {
        Ok(Some(_)) => "opened",
        Ok(None) => "not_found",
        Err(_) => "failed",
    };
    metrics::counter!("stocklens_report_links_total", "result" => result).increment(1);
    match found {
        Ok(Some(report)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(REPORT_CSP),
                ),
                // The contributor's browser may keep it; a shared proxy must not.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                ),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
                (
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                ),
            ],
            report.html,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(err) => {
            tracing::warn!(%err, "a report link could not be looked up");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the report cannot be opened right now; try again in a minute\n",
            )
                .into_response()
        }
    }
}

/// The one answer for every link that opens nothing, so a scan learns nothing.
fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        )],
        "no such report\n",
    )
        .into_response()
}
