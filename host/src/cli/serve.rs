//! `stocklens serve`: runs the service's roles in this process. Only the worker role exists so
//! far (bot and web come with their issues): it applies migrations (unless told not to), loads
//! the plugins once, listens for Redis wake-ups if configured, and runs jobs until SIGTERM or
//! ctrl-c, then stops gracefully.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::config::ServiceConfig;
use super::{EXIT_OTHER, EXIT_PLUGIN, EXIT_USAGE, fail, open_store};
use crate::jobs::analysis::Context;
use crate::jobs::queue::{DEFAULT_POLL, Queue};
use crate::jobs::worker::{DEFAULT_BACKOFF, DEFAULT_GRACE, DEFAULT_LEASE};
use crate::jobs::{Engine, Failpoint, OutboxDelivery, Worker, WorkerConfig, wake};
use crate::plugin::{Registry, Runtime, RuntimeConfig};
use crate::store::Backoff;

/// Roles this build can run.
const AVAILABLE_ROLES: &[&str] = &["worker"];
/// Roles the design has that later issues add.
const LATER_ROLES: &[&str] = &["bot", "web"];

/// Fastest poll the flags accept: below 10 ms an idle worker would keep a database core busy.
const MIN_POLL_MS: u64 = 10;
/// Slowest poll the flags accept: an hour, for deployments that rely on Redis wake-ups and poll
/// only as a safety net.
const MAX_POLL_MS: u64 = 3_600_000;

/// Longest lease the flags accept: a day is far beyond any analysis; more is a typo.
const MAX_LEASE_SECS: u64 = 86_400;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Roles to run, comma-separated (available: worker; bot and web come later)
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "worker",
        value_name = "ROLE,..."
    )]
    roles: Vec<String>,
    /// Jobs at once in this process [default: number of cores]
    #[arg(long, env = "STOCKLENS_CONCURRENCY", value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: Option<u16>,
    /// Do not apply database migrations at start
    #[arg(long)]
    no_migrate: bool,
    /// Directory delivered reports are written to [default: <data-dir>/outbox]
    #[arg(long, env = "STOCKLENS_OUTBOX", value_name = "DIR")]
    outbox: Option<PathBuf>,
    /// Lease of a claimed job, renewed by heartbeat every third of it; a dead worker's job is
    /// taken over after at most this long
    #[arg(long, default_value_t = DEFAULT_LEASE.as_secs_f64(), value_name = "S")]
    lease_secs: f64,
    /// How often an idle worker polls the database when Redis does not wake it
    #[arg(long, default_value_t = u64::try_from(DEFAULT_POLL.as_millis()).unwrap_or(500), value_name = "MS", value_parser = clap::value_parser!(u64).range(MIN_POLL_MS..=MAX_POLL_MS))]
    poll_ms: u64,
    /// How long running jobs may take to finish after SIGTERM before they are released
    #[arg(long, default_value_t = DEFAULT_GRACE.as_secs_f64(), value_name = "S")]
    grace_secs: f64,
    /// First retry delay of a transiently failed job, doubling per attempt (with jitter)
    #[arg(long, default_value_t = u64::try_from(DEFAULT_BACKOFF.base.as_millis()).unwrap_or(2000), value_name = "MS", hide = true)]
    backoff_base_ms: u64,
    /// Test only: stop dead at this failpoint (see jobs/failpoint.rs)
    #[arg(long, env = "STOCKLENS_FAILPOINT", hide = true)]
    failpoint: Option<String>,
    /// Test only: file to create when the failpoint is reached
    #[arg(long, env = "STOCKLENS_FAILPOINT_MARKER", hide = true)]
    failpoint_marker: Option<PathBuf>,
}

pub fn run(args: ServeArgs, service: &ServiceConfig, plugins: RuntimeConfig) -> ExitCode {
    for role in &args.roles {
        let role = role.trim();
        if LATER_ROLES.contains(&role) {
            return fail(
                EXIT_USAGE,
                format!(
                    "role {role:?} is not available in this build yet; available: {}",
                    AVAILABLE_ROLES.join(", ")
                ),
            );
        }
        if !AVAILABLE_ROLES.contains(&role) {
            return fail(
                EXIT_USAGE,
                format!(
                    "unknown role {role:?}; available: {}",
                    AVAILABLE_ROLES.join(", ")
                ),
            );
        }
    }
    let lease = match secs(args.lease_secs, "--lease-secs") {
        Ok(d) => d,
        Err(code) => return code,
    };
    let grace = match secs(args.grace_secs, "--grace-secs") {
        Ok(d) => d,
        Err(code) => return code,
    };
    let worker = WorkerConfig {
        concurrency: args
            .concurrency
            .map_or_else(|| WorkerConfig::default().concurrency, usize::from),
        lease,
        grace,
        backoff: Backoff {
            base: Duration::from_millis(args.backoff_base_ms),
            ..DEFAULT_BACKOFF
        },
    };
    let outbox = args
        .outbox
        .clone()
        .unwrap_or_else(|| service.data_dir.join("outbox"));
    let delivery = match OutboxDelivery::new(&outbox) {
        Ok(delivery) => delivery,
        Err(err) => return fail(EXIT_OTHER, err),
    };
    let runtime = match Runtime::new(plugins) {
        Ok(runtime) => runtime,
        Err(err) => {
            return fail(
                EXIT_OTHER,
                format!("cannot start the plugin runtime: {err:#}"),
            );
        }
    };
    let registry = match Registry::builtin(&runtime) {
        Ok(registry) => registry,
        Err(err) => {
            return fail(
                EXIT_PLUGIN,
                format!("a built-in plugin failed to load: {err}"),
            );
        }
    };
    let engine = Arc::new(Engine { runtime, registry });
    let failpoint = Failpoint::new(args.failpoint.clone(), args.failpoint_marker.clone());
    let poll = Duration::from_millis(args.poll_ms);
    super::block_on(async move {
        let store = match open_store(service, !args.no_migrate).await {
            Ok(store) => store,
            Err(code) => return code,
        };
        let stop = CancellationToken::new();
        tokio::spawn(stop_on_signal(stop.clone()));
        let queue = Queue::new(store.clone(), poll);
        let listener = match &service.redis_url {
            Some(url) => {
                let url = url.expose().to_owned();
                let waker = queue.waker();
                let stop = stop.clone();
                Some(tokio::spawn(async move {
                    wake::listen(&url, waker, stop).await
                }))
            }
            None => None,
        };
        let ctx = Context {
            store: store.clone(),
            engine,
            delivery: Arc::new(delivery),
            failpoint,
        };
        tracing::info!(outbox = %outbox.display(), redis = service.redis_url.is_some(), "serving roles: worker");
        Worker::new(ctx, queue, worker).run(stop.clone()).await;
        stop.cancel();
        let mut code = ExitCode::SUCCESS;
        if let Some(listener) = listener
            && let Ok(Err(err)) = listener.await
        {
            code = fail(EXIT_USAGE, err);
        }
        store.close().await;
        code
    })
}

fn secs(value: f64, flag: &str) -> Result<Duration, ExitCode> {
    if value.is_finite() && value > 0.0 && value <= MAX_LEASE_SECS as f64 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(fail(
            EXIT_USAGE,
            format!("{flag} must be a number of seconds above 0 and at most {MAX_LEASE_SECS}"),
        ))
    }
}

/// Cancels `stop` on SIGTERM or ctrl-c (SIGINT).
async fn stop_on_signal(stop: CancellationToken) {
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("stop requested: no new jobs will be claimed");
    stop.cancel();
}
