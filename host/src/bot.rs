//! The Telegram bot: the contributor's face of Stocklens. It receives an export, tells what it
//! found, asks a few questions with buttons, stores the upload and queues the analysis; a worker
//! runs it and delivers the report through [`TelegramDelivery`].
//!
//! It never runs a plugin itself: detection and counting go through [`crate::pipeline::inspect`],
//! analyses through the job queue. Every text comes from the [`lexicon`]; every state worth
//! keeping (the open request, uploads, reports, delivery records) is in the database, so a bot
//! restarted mid-dialogue carries on, and several bot replicas behind a webhook share the load.
//!
//! # Layout
//!
//! - [`handlers`]: updates in, answers out (commands, documents, typed answers, buttons).
//! - [`flow`]: the open request's state and its questions; [`callback`]: what buttons carry.
//! - [`delivery`]: the Telegram sink of the job queue (idempotent per report).
//! - [`lexicon`], [`html`], [`words`]: texts, Telegram HTML, numbers and dates per language.
//! - [`limits`]: uploads per hour and the flood guard.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::ChatId;
use teloxide::{ApiError, RequestError};
use tokio_util::sync::CancellationToken;

pub mod callback;
pub mod delivery;
pub mod flow;
pub mod handlers;
pub mod html;
pub mod inbox;
pub mod lexicon;
pub mod limits;
pub mod pace;
pub mod words;

pub use delivery::TelegramDelivery;
pub use lexicon::Lexicon;

use crate::jobs::Engine;
use crate::store::Store;

/// The Telegram client every part of the bot uses: teloxide's bot (its request builders through
/// `Deref`) and the process's [`pace::Pace`], which [`call`] keeps to before sending a message.
#[derive(Clone, Debug)]
pub struct Tg {
    bot: Bot,
    pace: Arc<pace::Pace>,
}

impl std::ops::Deref for Tg {
    type Target = Bot;

    fn deref(&self) -> &Bot {
        &self.bot
    }
}

/// The public Bot API.
pub const PUBLIC_API: &str = "https://api.telegram.org";
/// Largest file the public Bot API lets a bot download.
pub const PUBLIC_DOWNLOAD_LIMIT: u64 = 20 * 1024 * 1024;
/// Largest file a local Bot API server lets a bot download.
pub const LOCAL_DOWNLOAD_LIMIT: u64 = 2000 * 1024 * 1024;
/// Where plugin authors learn to add a marketplace, unless configured otherwise.
pub const PLUGIN_GUIDE_URL: &str =
    "https://github.com/stocklens/stocklens/blob/main/docs/plugins.md";

/// How to reach Telegram.
#[derive(Clone)]
pub struct TelegramConfig {
    pub token: String,
    /// The Bot API's base URL: the public one, a local Bot API server, or a test server.
    pub api_url: String,
    /// Files up to this size are downloaded; bigger ones are refused with a message.
    pub max_download: u64,
    /// Messages per second over all chats ([`pace::DEFAULT_OVERALL_PER_SEC`] unless the bot
    /// has paid broadcasts).
    pub messages_per_sec: u32,
}

impl TelegramConfig {
    /// `token` at `api_url`, with the public API's download limit and message rate.
    pub fn new(token: String, api_url: String) -> TelegramConfig {
        TelegramConfig {
            token,
            api_url,
            max_download: PUBLIC_DOWNLOAD_LIMIT,
            messages_per_sec: pace::DEFAULT_OVERALL_PER_SEC,
        }
    }
}

impl std::fmt::Debug for TelegramConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramConfig")
            .field("api_url", &self.api_url)
            .field("max_download", &self.max_download)
            .field("messages_per_sec", &self.messages_per_sec)
            .finish_non_exhaustive()
    }
}

/// How the bot behaves.
#[derive(Clone, Debug)]
pub struct BotConfig {
    pub telegram: TelegramConfig,
    /// Receive updates through a webhook at this public URL, listening on `listen`; long
    /// polling when `None`.
    pub webhook: Option<(url::Url, SocketAddr)>,
    /// An open request left alone this long expires and its file is discarded.
    pub flow_ttl: Duration,
    /// How often expired requests, and files a stopped bot left unfinished, are looked for.
    pub expiry_sweep: Duration,
    /// With a webhook, how long a file in the inbox must be left untouched before this bot
    /// takes it (see [`inbox`]).
    pub inbox_idle: Duration,
    pub uploads_per_hour: u32,
    /// Messages a contributor may send in a burst, and per second after it.
    pub flood_burst: u32,
    pub flood_per_sec: f64,
    /// How often the operator's lexicon overrides are reloaded from the database.
    pub lexicon_reload: Duration,
    /// Where plugin authors learn to add a marketplace (shown to contributors whose marketplace
    /// is missing).
    pub guide_url: String,
}

impl BotConfig {
    /// The defaults, for `telegram`.
    pub fn new(telegram: TelegramConfig) -> BotConfig {
        BotConfig {
            telegram,
            webhook: None,
            flow_ttl: Duration::from_secs(30 * 60),
            expiry_sweep: Duration::from_secs(30),
            inbox_idle: inbox::WEBHOOK_IDLE,
            uploads_per_hour: 10,
            flood_burst: 20,
            flood_per_sec: 1.0,
            lexicon_reload: Duration::from_secs(30),
            guide_url: PLUGIN_GUIDE_URL.to_owned(),
        }
    }
}

/// Why the bot cannot start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("TELEGRAM_API_URL {0:?} is not a URL")]
    BadApiUrl(String),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error("Telegram refused the token or could not be reached: {0}")]
    GetMe(String),
    #[error("cannot set up the webhook: {0}")]
    Webhook(String),
}

/// What every handler shares.
pub struct App {
    pub store: Store,
    pub engine: Arc<Engine>,
    pub lexicon: Arc<Lexicon>,
    /// The queue of a worker in this same process, woken directly when an analysis is queued
    /// (no Redis needed, no poll interval to wait out).
    pub local_worker: Option<Arc<tokio::sync::Notify>>,
    /// Woken when another process announces a lexicon change (reloaded at once instead of at
    /// the next `lexicon_reload` tick).
    pub lexicon_changed: Arc<tokio::sync::Notify>,
    pub config: BotConfig,
    pub limits: limits::Limits,
    /// Files read at once (detection and counting, off the async threads): as many as there
    /// are cores. Reading is CPU-bound, so more at once only adds memory (each holds its
    /// file and a set of parser instances): decision 48.
    pub reading: Arc<tokio::sync::Semaphore>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl App {
    pub fn new(store: Store, engine: Arc<Engine>, lexicon: Arc<Lexicon>, config: BotConfig) -> App {
        let limits = limits::Limits::new(
            config.uploads_per_hour,
            config.flood_burst,
            config.flood_per_sec,
        )
        .shared(store.cache().clone());
        App {
            store,
            engine,
            lexicon,
            local_worker: None,
            lexicon_changed: Arc::new(tokio::sync::Notify::new()),
            config,
            limits,
            reading: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, usize::from),
            )),
        }
    }

    /// (parser id, marketplace name) of every parser running now, for the marketplace buttons:
    /// a parser the operator installs shows up without a restart.
    pub fn parsers(&self) -> Vec<(String, String)> {
        parser_names(&self.engine.registry())
    }

    /// The marketplace name of a parser id.
    pub fn marketplace_name(&self, parser: &str) -> String {
        self.parsers()
            .iter()
            .find(|(id, _)| id == parser)
            .map_or_else(|| parser.to_owned(), |(_, name)| name.clone())
    }
}

/// (parser id, marketplace name) of every parser in `registry`, in its order.
pub fn parser_names(registry: &crate::plugin::Registry) -> Vec<(String, String)> {
    registry
        .parsers()
        .iter()
        .map(|p| {
            let name = p
                .info
                .marketplace
                .clone()
                .unwrap_or_else(|| p.info.name.clone());
            (p.info.id.clone(), name)
        })
        .collect()
}

/// A Telegram client for `config`, with a long timeout for file transfers (teloxide's default
/// 17 s breaks big downloads and uploads).
pub fn connect(config: &TelegramConfig) -> Result<Tg, BotError> {
    let url = url::Url::parse(&config.api_url)
        .map_err(|_| BotError::BadApiUrl(config.api_url.clone()))?;
    let client = teloxide::net::default_reqwest_settings()
        .timeout(Duration::from_secs(300))
        .build()
        .map_err(|e| BotError::Client(e.to_string()))?;
    let bot = Bot::with_client(config.token.clone(), client).set_api_url(url);
    Ok(Tg {
        bot,
        pace: Arc::new(pace::Pace::new(config.messages_per_sec)),
    })
}

/// Runs the bot until `stop`: long polling, or the webhook when configured, through the inbox
/// that keeps received files until handled ([`inbox`]); alongside, the sweep that expires
/// forgotten requests, the inbox's sweep and the lexicon reload.
pub async fn run(app: Arc<App>, tg: Tg, stop: CancellationToken) -> Result<(), BotError> {
    let me = tg
        .get_me()
        .await
        .map_err(|e| BotError::GetMe(e.to_string()))?;
    tracing::info!(bot = %me.username(), api = %app.config.telegram.api_url, "bot connected");
    handlers::set_commands(&app, &tg).await;
    reload_lexicon(&app).await;

    let sweeper = tokio::spawn(sweep_loop(Arc::clone(&app), tg.clone(), stop.clone()));
    let reloader = tokio::spawn(reload_loop(Arc::clone(&app), stop.clone()));

    let mut dispatcher = Dispatcher::builder(tg.bot.clone(), handlers::schema())
        .dependencies(dptree::deps![Arc::clone(&app), tg.clone()])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text("bot handler failed"))
        .build();
    let shutdown = dispatcher.shutdown_token();
    let stopper = tokio::spawn({
        let stop = stop.clone();
        async move {
            stop.cancelled().await;
            // Before the dispatcher runs, shutting down fails; try until it takes.
            loop {
                match shutdown.shutdown() {
                    Ok(done) => {
                        done.await;
                        return;
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
        }
    });
    let result = match app.config.webhook.clone() {
        Some((url, listen)) => {
            let options = teloxide::update_listeners::webhooks::Options::new(listen, url);
            match teloxide::update_listeners::webhooks::axum(tg.bot.clone(), options).await {
                Ok(listener) => {
                    tracing::info!(%listen, "bot receiving updates by webhook");
                    // Other replicas may be handling their own files: take only old ones.
                    let (listener, inbox_sweeper) =
                        inbox::wrap(listener, &app, app.config.inbox_idle, &stop).await;
                    dispatcher
                        .dispatch_with_listener(
                            listener,
                            LoggingErrorHandler::with_custom_text("webhook listener failed"),
                        )
                        .await;
                    inbox_sweeper.abort();
                    Ok(())
                }
                Err(err) => Err(BotError::Webhook(err.to_string())),
            }
        }
        None => {
            // The polling timeout stays well below the HTTP client's, and short, so a stop
            // does not wait long for the last poll.
            let listener = teloxide::update_listeners::Polling::builder(tg.bot.clone())
                .timeout(Duration::from_secs(5))
                .delete_webhook()
                .await
                .build();
            // Polling: this is the only bot receiving updates, so whatever is unfinished was
            // left by a bot that stopped.
            let (listener, inbox_sweeper) =
                inbox::wrap(listener, &app, Duration::ZERO, &stop).await;
            dispatcher
                .dispatch_with_listener(
                    listener,
                    LoggingErrorHandler::with_custom_text("polling failed"),
                )
                .await;
            inbox_sweeper.abort();
            Ok(())
        }
    };
    stop.cancel();
    stopper.abort();
    sweeper.abort();
    reloader.abort();
    tracing::info!("bot stopped");
    result
}

/// Expires requests left alone: discards their files and tells their contributors.
async fn sweep_loop(app: Arc<App>, tg: Tg, stop: CancellationToken) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(app.config.expiry_sweep) => {}
            () = stop.cancelled() => return,
        }
        handlers::expire_flows(&app, &tg).await;
    }
}

/// Reloads the operator's lexicon overrides now and then.
async fn reload_loop(app: Arc<App>, stop: CancellationToken) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(app.config.lexicon_reload) => {}
            () = app.lexicon_changed.notified() => {}
            () = stop.cancelled() => return,
        }
        reload_lexicon(&app).await;
    }
}

async fn reload_lexicon(app: &App) {
    match app.store.lexicon_overrides().await {
        Ok(rows) => {
            let rows: Vec<(String, String, String)> =
                rows.into_iter().map(|r| (r.lang, r.key, r.text)).collect();
            let applied = app.lexicon.set_overrides(&rows);
            if applied > 0 {
                tracing::debug!(applied, "lexicon overrides applied");
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, "cannot read lexicon overrides; keeping the current texts")
        }
    }
}

/// Why a message did not reach the contributor.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The contributor blocked the bot (or deleted their account): they are marked inactive.
    #[error("the contributor blocked the bot")]
    Blocked,
    #[error("{0}")]
    Telegram(RequestError),
}

/// Longest `retry_after` waited out in place; a longer one fails the call (a job retries it
/// later).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Sends a request, keeping to the message rates when it sends a message, waiting out 429s and
/// retrying network trouble and Telegram's 5xx a few times with backoff; a blocked bot marks the
/// contributor inactive.
pub async fn call<R>(
    tg: &Tg,
    store: &Store,
    chat: ChatId,
    request: R,
) -> Result<teloxide::requests::Output<R>, SendError>
where
    R: teloxide::requests::Request<Err = RequestError>,
{
    use teloxide::requests::{HasPayload, Payload};
    const ATTEMPTS: u32 = 4;
    let paced = pace::is_message(<R as HasPayload>::Payload::NAME);
    let mut delay = Duration::from_millis(200);
    let mut attempt = 1;
    loop {
        if paced {
            tg.pace.before_message(chat).await;
        }
        match request.send_ref().await {
            Ok(output) => return Ok(output),
            Err(RequestError::Api(
                ApiError::BotBlocked | ApiError::UserDeactivated | ApiError::BotKicked,
            )) => {
                mark_inactive(store, chat).await;
                return Err(SendError::Blocked);
            }
            Err(RequestError::RetryAfter(after)) if attempt < ATTEMPTS => {
                let wait = after.duration().min(MAX_RETRY_AFTER);
                tracing::info!(chat = chat.0, ?wait, "telegram asks to slow down; waiting");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            Err(err) if attempt < ATTEMPTS && is_transient(&err) => {
                tracing::warn!(chat = chat.0, attempt, error = %err, "telegram call failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 3;
                attempt += 1;
            }
            Err(err) => return Err(SendError::Telegram(err)),
        }
    }
}

/// Network trouble, or a gateway answering with something that is not the Bot API's JSON.
fn is_transient(err: &RequestError) -> bool {
    matches!(
        err,
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. }
    ) || matches!(err, RequestError::Api(ApiError::Unknown(text)) if text.contains("Internal Server Error") || text.contains("Bad Gateway"))
}

async fn mark_inactive(store: &Store, chat: ChatId) {
    match store.user_by_telegram_id(chat.0).await {
        Ok(Some(user)) if user.active => {
            tracing::info!(
                user_id = user.id,
                "contributor blocked the bot; marked inactive"
            );
            if let Err(err) = store.set_user_active(user.id, false).await {
                tracing::warn!(user_id = user.id, error = %err, "cannot mark the contributor inactive");
            }
        }
        Ok(_) => {}
        Err(err) => {
            tracing::warn!(error = %err, "cannot look up the contributor who blocked the bot")
        }
    }
}
