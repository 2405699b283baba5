//! Starts real `stocklens` processes against a fresh database (a temporary SQLite directory, or a
//! fresh Postgres database dropped afterwards), a private `redis-server` when a case needs one,
//! and polls for conditions instead of sleeping.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};
use stocklens::store::{NewUser, Store, User};

/// Server the Postgres cases use; trust auth as user `postgres`.
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

/// Prefix shared with the store suite, whose stale-database sweep also removes ours.
const TEST_DB_PREFIX: &str = "stocklens_test_";

/// How often a wait looks at its condition: quick enough not to slow the suite, slow enough
/// not to load the database the workers are using.
const POLL: Duration = Duration::from_millis(100);

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_stocklens")
}

/// A small real Adobe Stock export (15 rows): every job stays cheap.
pub fn small_export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/adobe-stock/activity-with-header.csv")
}

/// Compiled plugins are cached per test run, shared by every process the suite starts.
fn plugin_cache() -> PathBuf {
    std::env::temp_dir().join(format!("stocklens-jobs-tests-cache-{}", std::process::id()))
}

/// One case's world: a temporary directory with the data dir and outbox, and a database.
pub struct Env {
    pub dir: tempfile::TempDir,
    /// `postgres://...` for a Postgres case; `None` for SQLite in the data dir.
    pub database_url: Option<String>,
    /// Name of the Postgres database to drop at the end.
    pg_name: Option<String>,
    pub redis_url: Option<String>,
}

impl Env {
    pub fn sqlite() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temporary directory"),
            database_url: None,
            pg_name: None,
            redis_url: None,
        }
    }

    pub async fn postgres() -> Env {
        let server = std::env::var("STOCKLENS_TEST_POSTGRES")
            .unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned());
        let mut admin = PgConnection::connect(&format!("{server}/postgres"))
            .await
            .expect("connect to Postgres at 127.0.0.1:5432 as postgres (is it running?)");
        let random = std::collections::hash_map::RandomState::new();
        let salt = std::hash::BuildHasher::hash_one(&random, 1u8) & 0xffff_ffff;
        let name = format!("{TEST_DB_PREFIX}{}_jobs_{salt:08x}", std::process::id());
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let mut env = Env::sqlite();
        env.database_url = Some(format!("{server}/{name}"));
        env.pg_name = Some(name);
        env
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn outbox(&self) -> PathBuf {
        self.dir.path().join("outbox")
    }

    /// A `stocklens` command with this world's environment and nothing from the caller's.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.args(args)
            .env("STOCKLENS_DATA_DIR", self.data_dir())
            .env("STOCKLENS_CACHE_DIR", plugin_cache())
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL")
            .env_remove("STOCKLENS_FAILPOINT")
            .env_remove("STOCKLENS_FAILPOINT_MARKER")
            .env_remove("STOCKLENS_LOG")
            .env_remove("RUST_LOG");
        if let Some(url) = &self.database_url {
            cmd.env("DATABASE_URL", url);
        }
        if let Some(url) = &self.redis_url {
            cmd.env("REDIS_URL", url);
        }
        cmd
    }

    /// Runs a one-shot command to its end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args)
            .stdin(Stdio::null())
            .output()
            .expect("run stocklens")
    }

    /// Runs a one-shot command and returns its stdout, failing the test if it fails.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "stocklens {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Applies migrations through the CLI.
    pub fn migrate(&self) {
        self.ok(&["migrate"]);
    }

    /// A file no reader understands: its analysis fails for good (`unknown_format`).
    pub fn unreadable_file(&self) -> PathBuf {
        let junk = self.dir.path().join("notes.txt");
        std::fs::write(&junk, "dear diary,\ntoday I sold nothing\n").expect("write junk");
        junk
    }

    /// Queues an analysis of `file` through the CLI; returns the analysis id.
    pub fn submit(&self, telegram_id: i64, file: &Path) -> i64 {
        let file = file.to_string_lossy();
        let out = self.ok(&["submit", "--user", &telegram_id.to_string(), &file]);
        out.trim().parse().expect("submit prints the analysis id")
    }

    /// The store the processes use, opened by this test.
    pub async fn store(&self) -> Store {
        Store::connect(self.database_url.as_deref(), &self.data_dir())
            .await
            .expect("open the test store")
    }

    /// Starts `stocklens serve --roles worker` (or the roles `extra` names) with a 2 s lease, a
    /// 100 ms poll and `extra` flags, logging to `<name>.log`; `envs` add variables (failpoints).
    pub fn worker(&self, name: &str, extra: &[&str], envs: &[(&str, &str)]) -> Worker {
        let log = self.dir.path().join(format!("{name}.log"));
        let outbox = self.outbox().to_string_lossy().into_owned();
        let mut args = vec!["serve", "--no-migrate", "--outbox", &outbox];
        // Only the worker role unless the case names its roles (`--roles` given twice would
        // run both lists).
        if !extra.contains(&"--roles") {
            args.extend(["--roles", "worker"]);
        }
        // Defaults for a quick suite, unless the case sets the flag itself.
        for (flag, value) in [
            ("--lease-secs", "2"),
            ("--poll-ms", "100"),
            ("--grace-secs", "10"),
        ] {
            if !extra.contains(&flag) {
                args.extend([flag, value]);
            }
        }
        args.extend_from_slice(extra);
        let mut cmd = self.command(&args);
        for (key, value) in envs {
            cmd.env(key, value);
        }
        let file = std::fs::File::create(&log).expect("worker log file");
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("start a worker");
        Worker {
            child: Some(child),
            log,
        }
    }

    /// Drops the Postgres database, if any. Call at the end of a Postgres case.
    pub async fn cleanup(mut self) {
        if let Some(name) = self.pg_name.take() {
            drop_database(&name).await;
        }
    }

    /// Analysis ids of the `<id>.html` files in the outbox, sorted.
    pub fn outbox_reports(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = std::fs::read_dir(self.outbox())
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.strip_suffix(".html").and_then(|id| id.parse().ok())
                    })
                    .collect()
            })
            .unwrap_or_default();
        ids.sort_unstable();
        ids
    }

    /// How many times each analysis was handed to the outbox (its audit log).
    pub fn delivery_calls(&self) -> HashMap<i64, usize> {
        let log = self.outbox().join(stocklens::jobs::delivery::OUTBOX_LOG);
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let mut counts = HashMap::new();
        for line in text.lines() {
            if let Ok(id) = line.trim().parse::<i64>() {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
        counts
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        // A case that panicked before `cleanup` still drops its database.
        if let Some(name) = self.pg_name.take() {
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_database(&name));
                }
            })
            .join();
        }
    }
}

async fn drop_database(name: &str) {
    let server =
        std::env::var("STOCKLENS_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned());
    if let Ok(mut admin) = PgConnection::connect(&format!("{server}/postgres")).await {
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await;
    }
}

/// A running worker process; killed (SIGKILL) when dropped.
pub struct Worker {
    child: Option<Child>,
    pub log: PathBuf,
}

impl Worker {
    /// The process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// SIGKILL, and reap.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, then waits for the exit (hang guard: `limit`); returns whether it exited 0.
    pub fn terminate(&mut self, limit: Duration) -> bool {
        let Some(mut child) = self.child.take() else {
            return false;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return status.success(),
                Ok(None) if started.elapsed() < limit => std::thread::sleep(POLL),
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "worker did not stop within {limit:?} of SIGTERM; log:\n{}",
                        self.log_text()
                    );
                }
            }
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `check` until it is true; panics with `what` after `limit` (a hang guard, not a timing
/// assertion: limits are generous).
pub async fn wait_until<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < limit,
            "gave up waiting for {what} after {limit:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until `path` exists.
pub async fn wait_for_file(path: &Path, limit: Duration) {
    wait_until(&path.display().to_string(), limit, || async {
        path.exists()
    })
    .await;
}

/// A user with this Telegram id on `plan` (which must exist).
pub async fn user_on_plan(store: &Store, telegram_id: i64, plan: &str) -> User {
    let (user, _) = store
        .get_or_create_user(&NewUser {
            telegram_id,
            language: "en",
        })
        .await
        .expect("create user");
    store
        .set_user_plan(user.id, plan, None)
        .await
        .expect("set plan")
}

/// A private `redis-server` on a free port, with no persistence; killed when dropped.
pub struct Redis {
    child: Option<Child>,
    pub url: String,
}

impl Redis {
    pub async fn start() -> Redis {
        let port = crate::ports::free_port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server (is it installed?)");
        let redis = Redis {
            child: Some(child),
            url: format!("redis://127.0.0.1:{port}"),
        };
        wait_until(
            "redis-server to accept connections",
            Duration::from_secs(30),
            || async { std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() },
        )
        .await;
        redis
    }

    /// SIGKILL: Redis vanishes without a goodbye, as in a crash.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}
