//! `stocklens serve`: runs the service's roles in this process: the Telegram bot, the worker and
//! the web role (health, readiness, metrics, report links and, with an admin token, the admin
//! API). It applies migrations (unless told not to), loads the plugins once for every role and
//! follows the operator's plugin changes, watches a plugin directory if given, listens for Redis
//! notifications if configured, and runs until SIGTERM or ctrl-c, then stops gracefully. With a
//! bot token, workers deliver reports to Telegram; without one (or with `--outbox`), to files.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::config::{Secret, ServiceConfig};
use super::{EXIT_OTHER, EXIT_PLUGIN, EXIT_USAGE, fail, open_store};
use crate::bot::{self, App, BotConfig, Lexicon, TelegramConfig, TelegramDelivery};
use crate::cache::{Listeners, events};
use crate::catalog::{self, RollbackPolicy};
use crate::jobs::analysis::Context;
use crate::jobs::analysis::DEFAULT_REPORT_LINK_DAYS;
use crate::jobs::queue::{DEFAULT_POLL, Queue};
use crate::jobs::worker::{DEFAULT_BACKOFF, DEFAULT_GRACE, DEFAULT_LEASE};
use crate::jobs::{Delivery, Engine, Failpoint, OutboxDelivery, Worker, WorkerConfig};
use crate::plugin::{Runtime, RuntimeConfig};
use crate::store::Backoff;
use crate::web;

/// Roles this build can run.
const AVAILABLE_ROLES: &[&str] = &["bot", "worker", "web"];

/// Fastest poll the flags accept: below 10 ms an idle worker would keep a database core busy.
const MIN_POLL_MS: u64 = 10;
/// Slowest poll the flags accept: an hour, for deployments that rely on Redis wake-ups and poll
/// only as a safety net.
const MAX_POLL_MS: u64 = 3_600_000;

/// Longest lease the flags accept: a day is far beyond any analysis; more is a typo.
const MAX_LEASE_SECS: u64 = 86_400;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Roles to run, comma-separated (available: bot, worker, web)
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "bot,worker,web",
        value_name = "ROLE,..."
    )]
    roles: Vec<String>,
    /// Telegram bot token from @BotFather (also read from TELOXIDE_TOKEN)
    #[arg(
        long,
        env = "TELEGRAM_BOT_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    telegram_token: Option<Secret>,
    /// Bot API server: the public one, a local Bot API server (files over 20 MB), or a test server
    #[arg(long, env = "TELEGRAM_API_URL", default_value = bot::PUBLIC_API, value_name = "URL")]
    telegram_api_url: String,
    /// The Bot API server is a local one, which lets bots download files up to 2000 MB
    #[arg(long, env = "TELEGRAM_LOCAL_API")]
    telegram_local_api: bool,
    /// Receive updates by webhook at this public URL instead of long polling (for several bot
    /// replicas behind a load balancer)
    #[arg(long, env = "STOCKLENS_WEBHOOK_URL", value_name = "URL")]
    webhook: Option<url::Url>,
    /// Address the webhook listens on
    #[arg(
        long,
        env = "STOCKLENS_WEBHOOK_LISTEN",
        default_value = "0.0.0.0:8443",
        value_name = "ADDR"
    )]
    webhook_listen: std::net::SocketAddr,
    /// Address the web role (health, readiness, metrics, report links, admin API) listens on;
    /// port 0 picks a free one, which the log names
    #[arg(
        long,
        env = "STOCKLENS_WEB_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR"
    )]
    web_listen: std::net::SocketAddr,
    /// Bearer token of the admin API under /admin; without one the admin API is off
    #[arg(
        long,
        env = "STOCKLENS_ADMIN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    admin_token: Option<Secret>,
    /// Directory to watch for plugins: a .wasm dropped there is validated, installed and
    /// activated
    #[arg(long, env = "STOCKLENS_PLUGIN_DIR", value_name = "DIR")]
    plugin_dir: Option<PathBuf>,
    /// Roll back an installed plugin version that fails more than this share of its jobs
    /// (0 to 1); 1 turns automatic rollback off
    #[arg(long, env = "STOCKLENS_ROLLBACK_SHARE", default_value_t = RollbackPolicy::default().failure_share, value_name = "SHARE")]
    rollback_share: f64,
    /// Jobs a version must have run before its failure share counts
    #[arg(long, env = "STOCKLENS_ROLLBACK_MIN_JOBS", default_value_t = RollbackPolicy::default().min_jobs, value_name = "N")]
    rollback_min_jobs: i64,
    /// Days a report link opens after the report is made
    #[arg(long, env = "STOCKLENS_REPORT_LINK_DAYS", default_value_t = DEFAULT_REPORT_LINK_DAYS, value_name = "DAYS", value_parser = clap::value_parser!(i64).range(1..=3650))]
    report_link_days: i64,
    /// An unanswered analysis request expires (and its file is discarded) after this long
    #[arg(
        long,
        env = "STOCKLENS_FLOW_TTL_SECS",
        default_value_t = 1800.0,
        value_name = "S"
    )]
    flow_ttl_secs: f64,
    /// How often expired requests, and files a stopped bot left unfinished, are looked for
    #[arg(long, default_value_t = 30.0, value_name = "S", hide = true)]
    expiry_sweep_secs: f64,
    /// Files a contributor may send per hour
    #[arg(
        long,
        env = "STOCKLENS_UPLOADS_PER_HOUR",
        default_value_t = 10,
        value_name = "N"
    )]
    uploads_per_hour: u32,
    /// Messages the bot sends per second over all chats: Telegram's 30 for most bots, up to
    /// 1000 for a bot with paid broadcasts
    #[arg(long, env = "STOCKLENS_MESSAGES_PER_SEC", default_value_t = bot::pace::DEFAULT_OVERALL_PER_SEC, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(bot::pace::MAX_OVERALL_PER_SEC)))]
    messages_per_sec: u32,
    /// Messages a contributor may send in a burst before the flood guard answers
    #[arg(long, default_value_t = 20, value_name = "N", hide = true)]
    flood_burst: u32,
    /// Where contributors are sent to learn how to add a marketplace
    #[arg(long, env = "STOCKLENS_PLUGIN_GUIDE_URL", default_value = bot::PLUGIN_GUIDE_URL, value_name = "URL")]
    plugin_guide_url: String,
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
    let mut roles = Vec::new();
    for role in &args.roles {
        let role = role.trim();
        if !AVAILABLE_ROLES.contains(&role) {
            return fail(
                EXIT_USAGE,
                format!(
                    "unknown role {role:?}; available: {}",
                    AVAILABLE_ROLES.join(", ")
                ),
            );
        }
        roles.push(role);
    }
    let run_bot = roles.contains(&"bot");
    let run_worker = roles.contains(&"worker");
    let run_web = roles.contains(&"web");
    // Before anything records a metric: the web role renders what this process records.
    let metrics = if run_web {
        match metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder() {
            Ok(handle) => Some(handle),
            Err(err) => {
                tracing::warn!(%err, "metrics are not exported: another recorder is installed");
                None
            }
        }
    } else {
        None
    };
    let token = args.telegram_token.clone().or_else(|| {
        std::env::var("TELOXIDE_TOKEN")
            .ok()
            .and_then(|t| t.parse::<Secret>().ok())
    });
    if run_bot && token.is_none() {
        return fail(
            EXIT_USAGE,
            "the bot role needs a Telegram bot token: set TELEGRAM_BOT_TOKEN (from @BotFather), or run only the worker with --roles worker",
        );
    }
    let lease = match secs(args.lease_secs, "--lease-secs") {
        Ok(d) => d,
        Err(code) => return code,
    };
    let grace = match secs(args.grace_secs, "--grace-secs") {
        Ok(d) => d,
        Err(code) => return code,
    };
    let flow_ttl = match secs(args.flow_ttl_secs, "--flow-ttl-secs") {
        Ok(d) => d,
        Err(code) => return code,
    };
    let expiry_sweep = match secs(args.expiry_sweep_secs, "--expiry-sweep-secs") {
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
    let telegram = token.map(|token| {
        let mut config =
            TelegramConfig::new(token.expose().to_owned(), args.telegram_api_url.clone());
        if args.telegram_local_api {
            config.max_download = bot::LOCAL_DOWNLOAD_LIMIT;
        }
        config.messages_per_sec = args.messages_per_sec;
        config
    });
    let lexicon = match Lexicon::embedded() {
        Ok(lexicon) => Arc::new(lexicon),
        Err(err) => return fail(EXIT_OTHER, err),
    };
    if !(args.rollback_share.is_finite() && (0.0..=1.0).contains(&args.rollback_share)) {
        return fail(EXIT_USAGE, "--rollback-share must be a number from 0 to 1");
    }
    if args.rollback_min_jobs < 1 {
        return fail(EXIT_USAGE, "--rollback-min-jobs must be at least 1");
    }
    let runtime = match Runtime::new(plugins) {
        Ok(runtime) => runtime,
        Err(err) => {
            return fail(
                EXIT_OTHER,
                format!("cannot start the plugin runtime: {err:#}"),
            );
        }
    };
    let mut engine = match Engine::new(runtime) {
        Ok(engine) => engine,
        Err(err) => {
            return fail(
                EXIT_PLUGIN,
                format!("a built-in plugin failed to load: {err}"),
            );
        }
    };
    engine.policy = RollbackPolicy {
        enabled: args.rollback_share < 1.0,
        failure_share: args.rollback_share,
        min_jobs: args.rollback_min_jobs,
    };
    let engine = Arc::new(engine);
    let failpoint = Failpoint::new(args.failpoint.clone(), args.failpoint_marker.clone());
    let poll = Duration::from_millis(args.poll_ms);
    // A REDIS_URL that cannot be a Redis URL is a typo to fix, not an outage to ride out.
    if let Err(err) = service.cache() {
        return fail(EXIT_USAGE, err);
    }
    super::block_on(async move {
        let tg = match telegram.as_ref().map(bot::connect).transpose() {
            Ok(tg) => tg,
            Err(err) => return fail(EXIT_USAGE, err),
        };
        let store = match open_store(service, !args.no_migrate).await {
            Ok(store) => store,
            Err(code) => return code,
        };
        let delivery: Arc<dyn Delivery> = match (&tg, &args.outbox) {
            (Some(tg), None) => Arc::new(TelegramDelivery::new(
                tg.clone(),
                store.clone(),
                Arc::clone(&lexicon),
                Arc::clone(&engine),
            )),
            _ => {
                let outbox = args
                    .outbox
                    .clone()
                    .unwrap_or_else(|| service.data_dir.join("outbox"));
                match OutboxDelivery::new(&outbox) {
                    Ok(delivery) => Arc::new(delivery),
                    Err(err) => return fail(EXIT_OTHER, err),
                }
            }
        };
        // Installed plugins join the built-ins before any role starts.
        if let Err(err) = engine.refresh(&store).await {
            return fail(
                EXIT_OTHER,
                format!("cannot load the installed plugins: {err}"),
            );
        }
        let stop = CancellationToken::new();
        tokio::spawn(stop_on_signal(stop.clone()));
        let plugins_changed = Arc::new(tokio::sync::Notify::new());
        let follower = tokio::spawn(Arc::clone(&engine).follow(
            store.clone(),
            Arc::clone(&plugins_changed),
            stop.clone(),
        ));
        let watcher = args.plugin_dir.clone().map(|dir| {
            tokio::spawn(catalog::watch_dir(
                Arc::clone(&engine),
                store.clone(),
                dir,
                stop.clone(),
            ))
        });
        let web_task = if run_web {
            let listener = match tokio::net::TcpListener::bind(args.web_listen).await {
                Ok(listener) => listener,
                Err(err) => {
                    return fail(
                        EXIT_OTHER,
                        format!("the web role cannot listen on {}: {err}", args.web_listen),
                    );
                }
            };
            let state = Arc::new(web::WebState {
                store: store.clone(),
                cache: store.cache().clone(),
                engine: Arc::clone(&engine),
                metrics,
            });
            let admin = args.admin_token.as_ref().map(|token| {
                Arc::new(web::admin::AdminState::new(
                    store.clone(),
                    Arc::clone(&engine),
                    Arc::clone(&lexicon),
                    token.expose(),
                ))
            });
            if admin.is_none() {
                tracing::info!("the admin API is off: STOCKLENS_ADMIN_TOKEN is not set");
            }
            let stop = stop.clone();
            Some(tokio::spawn(async move {
                let served = web::serve(listener, web::router(state, admin), stop.clone()).await;
                // Without the web role the process has lost a role: stop the rest too.
                stop.cancel();
                served.map_err(|err| format!("the web role stopped: {err}"))
            }))
        } else {
            None
        };
        let queue = Queue::new(store.clone(), poll);
        let cache = store.cache().clone();
        // Says once at start whether Redis is there; a Redis that is not costs nothing more.
        cache.ping().await;
        let mut listeners = Listeners {
            plugins: Some(Arc::clone(&plugins_changed)),
            ..Listeners::default()
        };
        if run_worker {
            listeners.jobs = Some(queue.waker());
        }
        let bot_task = match (run_bot, tg, telegram) {
            (true, Some(tg), Some(telegram)) => {
                let mut config = BotConfig::new(telegram);
                config.webhook = args.webhook.clone().map(|url| (url, args.webhook_listen));
                config.flow_ttl = flow_ttl;
                config.expiry_sweep = expiry_sweep;
                config.uploads_per_hour = args.uploads_per_hour;
                config.flood_burst = args.flood_burst;
                config.guide_url = args.plugin_guide_url.clone();
                let mut app = App::new(
                    store.clone(),
                    Arc::clone(&engine),
                    Arc::clone(&lexicon),
                    config,
                );
                if run_worker {
                    app.local_worker = Some(queue.waker());
                }
                listeners.lexicon = Some(Arc::clone(&app.lexicon_changed));
                let app = Arc::new(app);
                let stop = stop.clone();
                Some(tokio::spawn(async move {
                    let result = bot::run(app, tg, stop.clone()).await;
                    // Without the bot the process has lost a role: stop the rest too.
                    stop.cancel();
                    result
                }))
            }
            _ => None,
        };
        let listener = tokio::spawn(events::listen(cache.clone(), listeners, stop.clone()));
        tracing::info!(roles = %roles.join(","), delivery = delivery.name(), redis = cache.is_enabled(), "serving");
        if run_worker {
            let ctx = Context {
                store: store.clone(),
                engine,
                delivery,
                failpoint,
                report_link_days: args.report_link_days,
            };
            Worker::new(ctx, queue, worker).run(stop.clone()).await;
            stop.cancel();
        } else {
            stop.cancelled().await;
        }
        let mut code = ExitCode::SUCCESS;
        if let Some(task) = web_task {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => code = fail(EXIT_OTHER, err),
                Err(err) => code = fail(EXIT_OTHER, format!("the web role stopped: {err}")),
            }
        }
        if let Some(task) = bot_task {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => code = fail(EXIT_OTHER, err),
                Err(err) => code = fail(EXIT_OTHER, format!("the bot stopped: {err}")),
            }
        }
        let _ = listener.await;
        let _ = follower.await;
        if let Some(watcher) = watcher {
            let _ = watcher.await;
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
