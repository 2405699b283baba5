//! One scenario's world: the fake Telegram, a fresh database (SQLite in a temporary directory, or
//! a fresh database on a Postgres server, dropped at the end), optionally a private Redis, and
//! the services as real `stocklens serve` processes (one bot, N workers) that a scenario kills
//! with SIGKILL and starts again as a supervisor would. Each process logs to a file in the world's
//! directory; a failing scenario prints the tail of every log with the run's seed.
//!
//! This module starts and stops things; it decides nothing about what must hold afterwards
//! (`invariants.rs` does).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};
use stocklens::store::{JobState, Store};
use stocklens_tests::fake_telegram::{FakeConfig, FakeTelegram, SimUser};
use stocklens_tests::redis_server::RedisServer;

use crate::contributor::{self, Outcome};

/// How many contributors, faults and how long, by `STOCKLENS_CHAOS`.
#[derive(Clone, Copy, Debug)]
pub struct Mode {
    pub long: bool,
    /// Contributors in a scenario's stream.
    pub contributors: usize,
    /// Between two contributors' arrivals (each also waits a random part of it): the stream
    /// lasts about as long as the faults.
    pub spacing: Duration,
    /// Faults a scenario injects (kills, restarts, bursts).
    pub faults: usize,
}

impl Mode {
    /// Quick unless `STOCKLENS_CHAOS=long`.
    pub fn get() -> Mode {
        if std::env::var("STOCKLENS_CHAOS").is_ok_and(|v| v == "long") {
            Mode {
                long: true,
                contributors: 60,
                spacing: Duration::from_millis(1000),
                faults: 12,
            }
        } else {
            Mode {
                long: false,
                contributors: 16,
                spacing: Duration::from_millis(900),
                faults: 3,
            }
        }
    }

    /// Longest a contributor may take to get their upload accepted, faults included. Generous:
    /// machines are noisy, and what is tested is that it happens, not how fast.
    pub fn accept_limit(&self) -> Duration {
        Duration::from_secs(if self.long { 600 } else { 240 })
    }

    /// Longest the service may take to settle (every job finished) after the stream.
    pub fn settle_limit(&self) -> Duration {
        Duration::from_secs(if self.long { 600 } else { 240 })
    }
}

/// Longest a process may take from start to serving (a debug build loading its plugins on a
/// busy machine).
const READY_LIMIT: Duration = Duration::from_secs(120);

/// Where a scenario keeps its state.
pub enum Db {
    /// SQLite in the world's data directory.
    Sqlite,
    /// A fresh database on this server (`postgres://user@host:port`, trust auth).
    Postgres(String),
}

/// What a scenario's world is made of.
pub struct Options {
    /// Names the scenario in logs and database names.
    pub name: &'static str,
    pub db: Db,
    /// Start a private `redis-server` and give the services `REDIS_URL`.
    pub redis: bool,
    pub workers: usize,
    pub fake: FakeConfig,
    /// `STOCKLENS_CACHE_DIR` of every process; `None` for the suite's shared plugin cache.
    pub cache_dir: Option<PathBuf>,
}

impl Options {
    /// SQLite, no Redis, two workers, a fake without flood limits, the shared plugin cache.
    pub fn new(name: &'static str) -> Options {
        Options {
            name,
            db: Db::Sqlite,
            redis: false,
            workers: 2,
            fake: FakeConfig::unlimited(),
            cache_dir: None,
        }
    }
}

/// Compiled plugins, shared by every process of this run (compiling them is the slow part of a
/// process's start in a debug build).
fn shared_plugin_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        std::env::temp_dir().join(format!("stocklens-chaos-cache-{}", std::process::id()))
    })
}

/// One `stocklens` process a scenario can kill and start again; killed when dropped.
pub struct Service {
    pub name: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    child: Option<Child>,
    log: PathBuf,
    starts: u32,
    /// What its log says once it serves (`bot connected`, `worker started`).
    ready: &'static str,
    /// Length of the log when it was last started: readiness is looked for after it.
    since: usize,
}

impl Service {
    fn new(
        name: &str,
        args: &[&str],
        env: Vec<(String, String)>,
        dir: &Path,
        ready: &'static str,
    ) -> Service {
        Service {
            name: name.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env,
            child: None,
            log: dir.join(format!("{name}.log")),
            starts: 0,
            ready,
            since: 0,
        }
    }

    /// Waits until the process, as last started, says it serves: a supervisor's health check.
    /// A kill before that would test a crash loop, not a crash mid-work. False after `limit`.
    pub async fn wait_ready(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            let log = self.log();
            if log
                .get(self.since..)
                .is_some_and(|new| new.contains(self.ready))
            {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Starts the process (again), appending to its log.
    pub fn start(&mut self) {
        if self.child.is_some() {
            return;
        }
        self.starts += 1;
        let mut log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("the service's log file");
        let _ = writeln!(log, "=== {} start {}", self.name, self.starts);
        self.since = log.metadata().map_or(0, |m| m.len() as usize);
        let mut command = Command::new(stocklens_tests::stocklens_binary());
        command
            .args(&self.args)
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL")
            .env_remove("STOCKLENS_FAILPOINT")
            .env_remove("STOCKLENS_FAILPOINT_MARKER")
            .env_remove("RUST_LOG")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file handle"))
            .stderr(log);
        self.child = Some(command.spawn().expect("start stocklens serve"));
    }

    /// SIGKILL, and waits for it to be gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
            if let Ok(mut log) = OpenOptions::new().append(true).open(&self.log) {
                let _ = writeln!(log, "=== {} killed (SIGKILL)", self.name);
            }
        }
    }

    /// Whether it is running (false once it exited by itself).
    pub fn running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// Its whole log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The last `lines` lines of its log.
    pub fn tail(&self, lines: usize) -> String {
        let log = self.log();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A running scenario.
pub struct World {
    pub name: &'static str,
    pub mode: Mode,
    pub seed: u64,
    pub rng: fastrand::Rng,
    pub fake: FakeTelegram,
    dir: tempfile::TempDir,
    /// `(server, database)` of a Postgres world, dropped at the end.
    postgres: Option<(String, String)>,
    pub redis: Option<RedisServer>,
    pub bot: Service,
    pub workers: Vec<Service>,
    /// The test's own handle on the database, for the invariants.
    pub store: Store,
    /// When a worker was SIGKILLed, on the fake's clock: a report sent twice is only excused
    /// right after one (see `invariants.rs`).
    pub worker_kills: Vec<Duration>,
    next_user: i64,
    started: Instant,
}

impl World {
    pub async fn start(options: Options) -> World {
        let mode = Mode::get();
        let seed = std::env::var("STOCKLENS_CHAOS_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| fastrand::u64(..));
        eprintln!(
            "chaos {}: seed {seed} (replay with STOCKLENS_CHAOS_SEED={seed}), {} mode",
            options.name,
            if mode.long { "long" } else { "quick" }
        );
        let fake = FakeTelegram::start(options.fake.clone()).expect("start the fake Telegram");
        let dir = tempfile::tempdir().expect("a scenario directory");
        let data = dir.path().join("data");
        let (database_url, postgres) = match &options.db {
            Db::Sqlite => (None, None),
            Db::Postgres(server) => {
                let name = format!(
                    "stocklens_chaos_{}_{}_{:08x}",
                    options.name.replace('-', "_"),
                    std::process::id(),
                    fastrand::u32(..)
                );
                let mut admin = PgConnection::connect(&format!("{server}/postgres"))
                    .await
                    .unwrap_or_else(|e| panic!("connect to {server}: {e}"));
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create the scenario's database");
                let _ = admin.close().await;
                (
                    Some(format!("{server}/{name}")),
                    Some((server.clone(), name)),
                )
            }
        };
        let redis = options.redis.then(|| RedisServer::start(None));
        let cache = options
            .cache_dir
            .clone()
            .unwrap_or_else(|| shared_plugin_cache().to_owned());
        let mut env: Vec<(String, String)> = vec![
            ("STOCKLENS_DATA_DIR".into(), data.display().to_string()),
            ("STOCKLENS_CACHE_DIR".into(), cache.display().to_string()),
            ("STOCKLENS_LOG".into(), "warn,stocklens=info".into()),
            ("TELEGRAM_BOT_TOKEN".into(), fake.config().token.clone()),
            ("TELEGRAM_API_URL".into(), fake.api_url().to_owned()),
        ];
        if let Some(url) = &database_url {
            env.push(("DATABASE_URL".into(), url.clone()));
        }
        if let Some(redis) = &redis {
            env.push(("REDIS_URL".into(), redis.url(None)));
        }
        let mut migrate = Service::new("migrate", &["migrate"], env.clone(), dir.path(), "");
        migrate.start();
        let status = migrate
            .child
            .take()
            .map(|mut child| child.wait().expect("wait for migrate"));
        assert!(
            status.is_some_and(|s| s.success()),
            "stocklens migrate failed:\n{}",
            migrate.log()
        );
        let mut bot = Service::new(
            "bot",
            &[
                "serve",
                "--roles",
                "bot",
                "--no-migrate",
                "--uploads-per-hour",
                "1000",
                "--flood-burst",
                "1000",
            ],
            env.clone(),
            dir.path(),
            "bot connected",
        );
        bot.start();
        let mut workers: Vec<Service> = (0..options.workers)
            .map(|i| {
                Service::new(
                    &format!("worker-{i}"),
                    &[
                        "serve",
                        "--roles",
                        "worker",
                        "--no-migrate",
                        "--concurrency",
                        "2",
                        // A killed worker's job is taken over within 3 s.
                        "--lease-secs",
                        "3",
                        "--poll-ms",
                        "200",
                        // Retries after 0.5 s, 1 s, 2 s...: a failover is ridden out within the
                        // scenario's time rather than minutes.
                        "--backoff-base-ms",
                        "500",
                    ],
                    env.clone(),
                    dir.path(),
                    "worker started",
                )
            })
            .collect();
        for worker in &mut workers {
            worker.start();
        }
        let store = Store::connect(database_url.as_deref(), &data)
            .await
            .expect("the test's handle on the database");
        for service in std::iter::once(&bot).chain(&workers) {
            assert!(
                service.wait_ready(READY_LIMIT).await,
                "{} did not start within {READY_LIMIT:?}:\n{}",
                service.name,
                service.log()
            );
        }
        World {
            name: options.name,
            mode,
            seed,
            rng: fastrand::Rng::with_seed(seed),
            fake,
            dir,
            postgres,
            redis,
            bot,
            workers,
            store,
            worker_kills: Vec::new(),
            next_user: 900_000_001,
            started: Instant::now(),
        }
    }

    /// A new simulated contributor.
    pub fn contributor(&mut self) -> SimUser {
        let id = self.next_user;
        self.next_user += 1;
        let lang = if id % 2 == 0 { "ru" } else { "en" };
        self.fake.user(id, "Chaos", Some(lang))
    }

    /// Starts the bot again, as a supervisor would, and waits until it serves.
    pub async fn restart_bot(&mut self) {
        self.bot.start();
        if !self.bot.wait_ready(READY_LIMIT).await {
            eprintln!(
                "chaos {}: the bot did not say it serves within {READY_LIMIT:?}",
                self.name
            );
        }
    }

    /// Starts worker `i` again, as a supervisor would, and waits until it serves.
    pub async fn restart_worker(&mut self, i: usize) {
        self.workers[i].start();
        if !self.workers[i].wait_ready(READY_LIMIT).await {
            eprintln!(
                "chaos {}: worker {i} did not say it serves within {READY_LIMIT:?}",
                self.name
            );
        }
    }

    /// SIGKILLs worker `i`, remembering when.
    pub fn kill_worker(&mut self, i: usize) {
        self.worker_kills.push(self.fake.clock());
        self.workers[i].kill();
    }

    /// Starts `stream` contributors arriving one every `mode.spacing` (plus a random part of
    /// it), each uploading an example export and answering every question.
    pub fn stream(&mut self, count: usize) -> Stream {
        self.stream_spaced(count, self.mode.spacing)
    }

    /// [`World::stream`] with contributors arriving one every `spacing` (plus a random part).
    pub fn stream_spaced(&mut self, count: usize, spacing: Duration) -> Stream {
        let limit = self.mode.accept_limit();
        let files = contributor::files();
        let mut tasks = Vec::with_capacity(count);
        let in_dialogue = Arc::new(AtomicUsize::new(0));
        for index in 0..count {
            let user = self.contributor();
            let fake = self.fake.clone();
            let file = files[index % files.len()].clone();
            let arrival = spacing * index as u32
                + Duration::from_millis(self.rng.u64(..=spacing.as_millis() as u64));
            let in_dialogue = Arc::clone(&in_dialogue);
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep(arrival).await;
                in_dialogue.fetch_add(1, Ordering::SeqCst);
                let outcome = contributor::upload_and_answer(&fake, &user, &file, limit).await;
                in_dialogue.fetch_sub(1, Ordering::SeqCst);
                outcome
            }));
        }
        Stream { tasks, in_dialogue }
    }

    /// Time since the world started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Jobs running now (0 while the database is unreachable).
    pub async fn running_jobs(&self) -> usize {
        self.store
            .list_jobs(Some(JobState::Running), 1000)
            .await
            .map_or(0, |jobs| jobs.len())
    }

    /// Waits up to `limit` for work in progress (a contributor between their file and
    /// "processing started", or a job running), so the next fault lands on it; returns how many
    /// of each there were.
    pub async fn some_load(&self, stream: &Stream, limit: Duration) -> (usize, usize) {
        let deadline = Instant::now() + limit;
        loop {
            let load = (stream.in_dialogue(), self.running_jobs().await);
            if load != (0, 0) || Instant::now() > deadline {
                return load;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits up to `limit` for a job to be running, so a fault lands on work in progress; the
    /// number running when it returns.
    pub async fn some_job_running(&self, limit: Duration) -> usize {
        let deadline = Instant::now() + limit;
        loop {
            let running = self.running_jobs().await;
            if running > 0 || Instant::now() > deadline {
                return running;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// A random pause in `range` (milliseconds), from the world's seeded generator.
    pub async fn pause(&mut self, range: std::ops::Range<u64>) {
        let ms = self.rng.u64(range);
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }

    /// Everything a failure message needs: the seed, how long the run went, and the tail of
    /// every service's log.
    pub fn context(&self) -> String {
        let mut out = format!(
            "\nchaos {}: seed {} (STOCKLENS_CHAOS_SEED={} to replay the same choices), {:.1} s \
             into the run, logs in {} (kept on failure)\n",
            self.name,
            self.seed,
            self.seed,
            self.started.elapsed().as_secs_f64(),
            self.dir.path().display()
        );
        for service in std::iter::once(&self.bot).chain(&self.workers) {
            out.push_str(&format!(
                "--- {} (last 40 lines) ---\n{}\n",
                service.name,
                service.tail(40)
            ));
        }
        out
    }

    /// Panics with `what` and the context, keeping the scenario's directory for a look.
    pub fn fail(self, what: &str) -> ! {
        let context = self.context();
        let _ = self.dir.keep();
        panic!("{what}{context}");
    }

    /// Stops every process, drops the Postgres database and the fake.
    pub async fn finish(mut self) {
        self.bot.kill();
        for worker in &mut self.workers {
            worker.kill();
        }
        self.store.close().await;
        if let Some((server, name)) = self.postgres.take() {
            drop_database(&server, &name).await;
        }
        self.fake.shutdown();
        if std::env::var_os("STOCKLENS_CHAOS_KEEP").is_some() {
            eprintln!("chaos {}: kept {}", self.name, self.dir.keep().display());
        }
    }
}

/// Drops a scenario's database, forcing out connections a killed process left behind.
async fn drop_database(server: &str, name: &str) {
    if let Ok(mut admin) = PgConnection::connect(&format!("{server}/postgres")).await {
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await;
        let _ = admin.close().await;
    }
}

/// The contributors of a scenario, under way.
pub struct Stream {
    tasks: Vec<tokio::task::JoinHandle<Outcome>>,
    /// Contributors who sent their file and are not yet accepted.
    in_dialogue: Arc<AtomicUsize>,
}

impl Stream {
    /// How many contributors are between their file and "processing started" now.
    pub fn in_dialogue(&self) -> usize {
        self.in_dialogue.load(Ordering::SeqCst)
    }

    /// Waits for every contributor and returns how each went.
    pub async fn finish(self) -> Vec<Outcome> {
        let mut outcomes = Vec::with_capacity(self.tasks.len());
        for task in self.tasks {
            outcomes.push(task.await.expect("a simulated contributor panicked"));
        }
        outcomes
    }
}
