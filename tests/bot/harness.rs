//! A real bot and a real worker (the library's own `bot::run` and `Worker`, over real HTTP)
//! against the fake Telegram server, on a fresh database of either backend; and a simulated
//! contributor's side of the chat.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::{Context as _, bail};
use sqlx::{Connection, PgConnection};
use stocklens::bot::{self, App, BotConfig, Lexicon, TelegramConfig, TelegramDelivery};
use stocklens::cache::{Cache, Listeners, RedisSettings, events};
use stocklens::jobs::analysis::Context;
use stocklens::jobs::{Engine, Failpoint, Queue, Worker, WorkerConfig};
use stocklens::plugin::{Runtime, RuntimeConfig};
use stocklens::store::{Backoff, Store};
use stocklens_tests::fake_telegram::{BotEvent, BotEventKind, FakeConfig, FakeTelegram, SimUser};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Longest a step of a conversation may take before the test fails with the chat's events.
pub const STEP: Duration = Duration::from_secs(30);

const POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// How a test wants its bot.
#[derive(Clone, Debug)]
pub struct Options {
    pub db: Db,
    pub fake: FakeConfig,
    pub flow_ttl: Duration,
    pub uploads_per_hour: u32,
    /// Run a worker too (reports get made and delivered).
    pub worker: bool,
    /// Receive updates by webhook instead of long polling.
    pub webhook: bool,
    /// Redis in front of the store, for limits and notifications, as `serve` uses it.
    pub redis: Option<(String, RedisSettings)>,
    /// No background database work (expiry sweep, lexicon reload) for the test's duration, so
    /// the database round trips counted are the updates' own.
    pub quiet: bool,
    /// The bot downloads as from a local Bot API server (2,000 MB), not the public one (20 MB).
    pub local_api: bool,
    /// How long a file in the inbox must be untouched before a webhook bot takes it.
    pub inbox_idle: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            db: Db::Sqlite,
            fake: FakeConfig::unlimited(),
            flow_ttl: Duration::from_secs(600),
            uploads_per_hour: 10,
            worker: true,
            webhook: false,
            redis: None,
            quiet: false,
            local_api: false,
            inbox_idle: stocklens::bot::inbox::WEBHOOK_IDLE,
        }
    }
}

/// Where the database lives, to remove it at the end.
enum DbHome {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

/// The bot under test.
pub struct Harness {
    pub fake: FakeTelegram,
    pub store: Store,
    pub options: Options,
    engine: Arc<Engine>,
    lexicon: Arc<Lexicon>,
    stop: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
    home: Option<DbHome>,
    next_user: AtomicU32,
}

static RUNTIME: std::sync::OnceLock<Arc<Engine>> = std::sync::OnceLock::new();

/// The plugins, loaded once per test process.
fn engine() -> Arc<Engine> {
    Arc::clone(RUNTIME.get_or_init(|| {
        let runtime = Runtime::new(RuntimeConfig::default()).expect("plugin runtime");
        Arc::new(Engine::new(runtime).expect("built-in plugins"))
    }))
}

impl Harness {
    pub async fn start(options: Options) -> Harness {
        if let Ok(filter) = std::env::var("STOCKLENS_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let fake = FakeTelegram::start(options.fake.clone()).expect("start the fake Telegram");
        let (store, home) = match options.db {
            Db::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let store = Store::connect(None, dir.path())
                    .await
                    .expect("SQLite store");
                (store, DbHome::Sqlite(dir))
            }
            Db::Postgres => {
                let name = fresh_postgres().await;
                let store =
                    Store::connect(Some(&format!("{POSTGRES}/{name}")), &std::env::temp_dir())
                        .await
                        .expect("Postgres store");
                (store, DbHome::Postgres(name))
            }
        };
        store.migrate().await.expect("migrate");
        let store = match &options.redis {
            Some((url, settings)) => {
                store.with_cache(Cache::connect(url, settings.clone()).expect("Redis URL"))
            }
            None => store,
        };
        let mut harness = Harness {
            fake,
            store,
            options,
            engine: engine(),
            lexicon: Arc::new(Lexicon::embedded().expect("lexicon")),
            stop: CancellationToken::new(),
            tasks: Vec::new(),
            home: Some(home),
            next_user: AtomicU32::new(1),
        };
        harness.launch();
        harness
    }

    fn telegram(&self) -> TelegramConfig {
        let mut config = TelegramConfig::new(
            self.fake.config().token.clone(),
            self.fake.api_url().to_owned(),
        );
        if self.options.local_api {
            config.max_download = bot::LOCAL_DOWNLOAD_LIMIT;
        }
        config
    }

    /// The bot's configuration for these options.
    pub fn bot_config(&self) -> BotConfig {
        let mut config = BotConfig::new(self.telegram());
        config.flow_ttl = self.options.flow_ttl;
        let background = if self.options.quiet {
            Duration::from_secs(3600)
        } else {
            Duration::from_millis(200)
        };
        config.expiry_sweep = background;
        config.inbox_idle = self.options.inbox_idle;
        config.uploads_per_hour = self.options.uploads_per_hour;
        config.lexicon_reload = background;
        config.guide_url = "https://example.org/plugins".into();
        if self.options.webhook {
            let port = stocklens_tests::ports::free_port();
            let url = format!("http://127.0.0.1:{port}/telegram")
                .parse()
                .expect("webhook url");
            config.webhook = Some((url, ([127, 0, 0, 1], port).into()));
        }
        config
    }

    /// Starts the bot (and the worker) on the current store.
    fn launch(&mut self) {
        self.stop = CancellationToken::new();
        let tg = bot::connect(&self.telegram()).expect("telegram client");
        // As `serve` runs them: the worker polls only as a safety net (the default 500 ms), and
        // the bot in the same process wakes it.
        let queue = Queue::new(self.store.clone(), Duration::from_millis(500));
        let mut app = App::new(
            self.store.clone(),
            Arc::clone(&self.engine),
            Arc::clone(&self.lexicon),
            self.bot_config(),
        );
        let mut listeners = Listeners::default();
        if self.options.worker {
            app.local_worker = Some(queue.waker());
            listeners.jobs = Some(queue.waker());
        }
        listeners.lexicon = Some(Arc::clone(&app.lexicon_changed));
        self.tasks.push(tokio::spawn(events::listen(
            self.store.cache().clone(),
            listeners,
            self.stop.clone(),
        )));
        let app = Arc::new(app);
        let stop = self.stop.clone();
        let bot_tg = tg.clone();
        self.tasks.push(tokio::spawn(async move {
            if let Err(err) = bot::run(app, bot_tg, stop).await {
                panic!("the bot stopped: {err}");
            }
        }));
        if self.options.worker {
            let delivery = TelegramDelivery::new(
                tg,
                self.store.clone(),
                Arc::clone(&self.lexicon),
                Arc::clone(&self.engine),
            );
            let ctx = Context {
                store: self.store.clone(),
                engine: Arc::clone(&self.engine),
                delivery: Arc::new(delivery),
                failpoint: Failpoint::new(None, None),
                report_link_days: stocklens::jobs::analysis::DEFAULT_REPORT_LINK_DAYS,
            };
            let config = WorkerConfig {
                concurrency: 2,
                lease: Duration::from_secs(30),
                grace: Duration::from_secs(10),
                backoff: Backoff {
                    base: Duration::from_millis(100),
                    max: Duration::from_secs(1),
                },
            };
            let stop = self.stop.clone();
            self.tasks.push(tokio::spawn(async move {
                Worker::new(ctx, queue, config).run(stop).await;
            }));
        }
    }

    /// Stops the bot and the worker as a deployment would, and waits until they are gone.
    pub async fn halt(&mut self) {
        self.stop.cancel();
        for task in self.tasks.drain(..) {
            tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .expect("the bot stops within 30 s")
                .expect("the bot's task ends cleanly");
        }
    }

    /// Stops the bot and starts a new one on the same database: a restart.
    pub async fn restart(&mut self) {
        self.halt().await;
        self.launch();
    }

    /// Stops everything and removes the database.
    pub async fn finish(mut self) {
        self.halt().await;
        self.store.close().await;
        if let Some(DbHome::Postgres(name)) = self.home.take() {
            drop_postgres(&name).await;
        }
    }

    /// Another process's handle on the same database (and Redis, if any): its own pool and
    /// cache client, sharing nothing in memory with the bot's.
    pub async fn another_process(&self) -> Store {
        let store = match &self.home {
            Some(DbHome::Sqlite(dir)) => Store::connect(None, dir.path()).await,
            Some(DbHome::Postgres(name)) => {
                Store::connect(Some(&format!("{POSTGRES}/{name}")), &std::env::temp_dir()).await
            }
            None => panic!("the harness has finished"),
        }
        .expect("a second store");
        match &self.options.redis {
            Some((url, settings)) => {
                store.with_cache(Cache::connect(url, settings.clone()).expect("Redis URL"))
            }
            None => store,
        }
    }

    /// Takes this test's Postgres database offline (`false`: no new connections, the open
    /// ones cut, as a database going down does to the bot) or back online (`true`). Other
    /// databases on the server are untouched.
    pub async fn postgres_online(&self, online: bool) {
        let Some(DbHome::Postgres(name)) = &self.home else {
            panic!("postgres_online needs a Postgres harness");
        };
        let mut admin = PgConnection::connect(&format!("{POSTGRES}/postgres"))
            .await
            .expect("connect to Postgres as postgres");
        let sql = format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS {online};
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = '{name}' AND NOT {online}"
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .expect("change the database's connections");
    }

    /// A new simulated contributor with Telegram language `lang`.
    pub fn contributor(&self, lang: &str) -> Chat<'_> {
        let n = self.next_user.fetch_add(1, Ordering::Relaxed);
        let id = 5_000_000 + i64::from(std::process::id() % 1000) * 1000 + i64::from(n);
        let user = self.fake.user(id, "Anna", Some(lang));
        Chat {
            harness: self,
            user,
            seen: 0,
        }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }
}

/// A simulated contributor's chat with the bot. `seen` is how many of the bot's events this
/// side has looked at; every `expect` looks only at newer ones.
pub struct Chat<'h> {
    pub harness: &'h Harness,
    pub user: SimUser,
    pub seen: usize,
}

impl Chat<'_> {
    pub fn fake(&self) -> &FakeTelegram {
        &self.harness.fake
    }

    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// The contributor's record in the store.
    pub async fn record(&self) -> stocklens::store::User {
        self.harness
            .store
            .user_by_telegram_id(self.id())
            .await
            .expect("store")
            .expect("the contributor is in the store")
    }

    pub fn say(&self, text: &str) {
        self.fake().send_text(&self.user, text);
    }

    pub fn send_bytes(&self, name: &str, bytes: Vec<u8>) {
        self.fake()
            .send_document(&self.user, name, "text/csv", bytes);
    }

    pub fn send_file(&self, path: &Path) {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("export.csv");
        self.send_bytes(name, bytes);
    }

    /// Presses the button carrying `data` on message `message_id`.
    pub fn press(&self, message_id: i32, data: &str) -> String {
        self.fake()
            .press(&self.user, message_id, data)
            .unwrap_or_else(|e| panic!("press {data:?} on message {message_id}: {e:#}"))
    }

    /// Waits for the next event after those seen that `matches`; events before it are passed
    /// over (typing indicators, callback answers).
    pub async fn expect(&mut self, what: &str, matches: impl Fn(&BotEvent) -> bool) -> BotEvent {
        let seen = self.seen;
        let events = self
            .fake()
            .wait_for(self.id(), STEP, |events| {
                events.iter().skip(seen).any(&matches)
            })
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "waiting for {what}: {e:#}\nupdates not yet taken by the bot: {}; requests: {:?}",
                    self.fake().pending_updates(),
                    self.fake().stats()
                )
            });
        let (index, event) = events
            .iter()
            .enumerate()
            .skip(seen)
            .find(|(_, e)| matches(e))
            .map(|(i, e)| (i, e.clone()))
            .unwrap_or_else(|| panic!("{what} vanished"));
        self.seen = index + 1;
        event
    }

    /// The next message or edit whose visible text contains `needle`.
    pub async fn expect_text(&mut self, needle: &str) -> BotEvent {
        let what = format!("a text with {needle:?}");
        self.expect(&what, |e| {
            matches!(
                e.kind,
                BotEventKind::Message { .. } | BotEventKind::Edit { .. }
            ) && e.visible_text().is_some_and(|t| t.contains(needle))
        })
        .await
    }

    /// The next document the bot sent.
    pub async fn expect_document(&mut self) -> BotEvent {
        self.expect("a document", |e| {
            matches!(e.kind, BotEventKind::Document { .. })
        })
        .await
    }

    /// Nothing the bot sent was refused by Telegram (no 400, no 403 but where the test blocked
    /// the bot, no 429 unless the test set a rate).
    pub fn assert_clean(&self) {
        let events = self.fake().events(self.id());
        let rejected: Vec<&BotEvent> = events.iter().filter(|e| e.is_rejected()).collect();
        assert!(rejected.is_empty(), "Telegram refused calls: {rejected:#?}");
    }

    /// The lexicon's text for `key` up to its first line end or placeholder, tags stripped:
    /// what a test looks for in the chat, whatever the placeholders were filled with.
    pub fn lexicon_prefix(&self, lang: stocklens::report::model::Lang, key: &str) -> String {
        let text = self
            .harness
            .lexicon()
            .template(lang, key)
            .unwrap_or_else(|| panic!("no lexicon text {key}"));
        let mut visible = String::new();
        let mut in_tag = false;
        for c in text.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                '\n' | '{' => break,
                c if !in_tag => visible.push(c),
                _ => {}
            }
        }
        visible.trim().to_owned()
    }
}

/// A button's callback data in an event, by its text.
pub fn button_data(event: &BotEvent, text: &str) -> Option<String> {
    event
        .buttons()
        .iter()
        .flatten()
        .find(|b| b.text.contains(text))
        .and_then(|b| b.callback_data.clone())
}

/// Every button's callback data in an event.
pub fn all_data(event: &BotEvent) -> Vec<String> {
    event
        .buttons()
        .iter()
        .flatten()
        .filter_map(|b| b.callback_data.clone())
        .collect()
}

/// The repository's `examples/` directory.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

static DB_SEQ: AtomicU32 = AtomicU32::new(0);

pub async fn fresh_postgres() -> String {
    let name = format!(
        "stocklens_bot_test_{}_{}",
        std::process::id(),
        DB_SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = PgConnection::connect(&format!("{POSTGRES}/postgres"))
        .await
        .expect("connect to Postgres at 127.0.0.1:5432 as postgres (is it running?)");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create the test database");
    name
}

pub async fn drop_postgres(name: &str) {
    let result: anyhow::Result<()> = async {
        let mut admin = PgConnection::connect(&format!("{POSTGRES}/postgres")).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await
        .context("drop")?;
        Ok(())
    }
    .await;
    if let Err(err) = result {
        eprintln!("cannot drop test database {name}: {err:#}");
    }
}

/// Fails unless `condition` becomes true within `within`, polling the store (for effects that
/// are not messages, e.g. a contributor marked inactive).
pub async fn eventually<F, Fut>(what: &str, within: Duration, condition: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if condition().await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("{what} did not happen within {within:?}")
}
