//! The durable state of Stocklens: users, plans and quotas, uploads, analyses, the sales history,
//! reports, installed plugins, dialogue state and the jobs table, in SQLite (embedded default) or
//! Postgres (production), behind one [`Store`] with plain async methods.
//!
//! The store is the bottom floor: it knows nothing of plugins, the bot, the web or job policies,
//! and speaks only its own plain types. It must not decide *what* to do (which plan a payment buys,
//! when to retry a job); it only makes each change atomic and durable, so that callers can be
//! killed at any point and start again.
//!
//! # Layout
//!
//! One file per concept, each adding methods to [`Store`]: [`users`], [`plans`], [`quota`] (the
//! ledger and atomic reservation), [`uploads`], [`analyses`], [`sales`] (deduplicated history),
//! [`reports`], [`plugins`], [`dialogue`], [`inbox`] (files the bot has not finished handling),
//! [`jobs`] (the jobs table and its lease operations); [`clock`] is the time source and
//! [`error`] the error type; [`cached`] keeps the rows read on every button press (user, quota
//! usage, dialogue state) in the optional Redis [`Cache`]. The schema lives in
//! `migrations/sqlite` and `migrations/postgres` at the repository root, one set per backend.
//!
//! # Two backends
//!
//! The store holds either a SQLite or a Postgres pool (not sqlx's `Any` driver: `Any` converts
//! every row and argument through its own value type and cannot bind Postgres arrays or choose
//! per-backend SQL such as `FOR UPDATE SKIP LOCKED`). Statements that read the same on both are
//! written once and compiled against each backend by `with_pool!`; where the dialects differ,
//! both texts sit side by side.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};

use crate::cache::Cache;

/// Runs `$body` with `$pool` bound to whichever pool the store holds (and optionally `$backend`
/// to its [`Backend`]). The body is compiled once per backend, so SQL that reads the same on both
/// is written once and every bind and row type is checked against both drivers.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        with_pool!($store, |$pool, _backend| $body)
    };
    ($store:expr, |$pool:ident, $backend:ident| $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($pool) => {
                #[allow(unused_variables)]
                let $backend = $crate::store::Backend::Sqlite;
                $body
            }
            $crate::store::Pool::Postgres($pool) => {
                #[allow(unused_variables)]
                let $backend = $crate::store::Backend::Postgres;
                $body
            }
        }
    };
}

/// Declares a Rust enum stored as lower-case TEXT, with `as_str` for binding and `TryFrom<String>`
/// for reading (`#[sqlx(try_from = "String")]`), so a value this build does not know is a decode
/// error rather than a panic.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// The text stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::store::error::UnknownValue;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                match value.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::store::error::UnknownValue { what: $what, value }),
                }
            }
        }
    };
}

pub mod analyses;
pub mod bot;
pub mod cached;
pub mod clock;
pub mod dialogue;
pub mod error;
pub mod inbox;
pub mod jobs;
pub mod plans;
pub mod plugins;
pub mod quota;
pub mod reports;
pub mod sales;
pub mod uploads;
pub mod users;

pub use analyses::{Analysis, AnalysisStatus, NewAnalysis};
pub use bot::{DeliveredPart, LexiconOverride, ReportListing, TelegramDelivery};
pub use clock::{Clock, ManualClock};
pub use dialogue::DialogueState;
pub use error::StoreError;
pub use inbox::InboxEntry;
pub use jobs::{Backoff, Job, JobState, NewJob, Retry};
pub use plans::Plan;
pub use plugins::{
    ChangeAction, ChangedBy, ChoiceState, NewPlugin, PluginChange, PluginChoice, PluginRecord,
};
pub use quota::{QuotaEntry, QuotaState, QuotaUsage};
pub use reports::{DayStats, NewReport, Report};
pub use sales::{ImportOutcome, NewSale, Sale, SalesImport, SalesQuery};
pub use uploads::{Upload, UploadMeta};
pub use users::{NewUser, User};

/// File name of the embedded SQLite database inside the data directory.
pub const SQLITE_FILE_NAME: &str = "stocklens.db";

/// SQLite lets one writer in at a time, but in WAL mode readers never wait for it: enough
/// connections that the bot's reads are not queued behind writers waiting for the lock (with four,
/// 1,000 contributors' button presses waited up to 100 ms at p99 for a connection), few enough
/// that their threads (sqlx runs each SQLite connection on one) do not crowd memory (sixteen
/// added about 50 MB): decision 48.
const SQLITE_MAX_CONNECTIONS: u32 = 8;

/// Page cache per SQLite connection, in KiB (SQLite's default is 2,000): the operating system's
/// page cache holds the file anyway, and every connection keeps its own.
const SQLITE_CACHE_KIB: u32 = 512;

/// How long a SQLite statement waits for another connection's write lock before failing with
/// "database is locked". Writes here are short; five seconds absorbs a burst of them, including
/// a 100k-row import batch, without hiding a real deadlock for long.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections per process to Postgres. Workers and the bot share one pool; managed Postgres
/// (Supabase) caps connections per database, so several processes must fit under that cap.
const POSTGRES_MAX_CONNECTIONS: u32 = 10;

/// How long a caller waits for a free pooled connection before getting an error instead of
/// hanging: long enough for a burst, short enough that a stuck database shows up in the log.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database engine a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the statement text for this backend where the two dialects differ.
    pub(crate) fn pick(self, sqlite: &'static str, postgres: &'static str) -> &'static str {
        match self {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        }
    }
}

/// The pool of one backend. Cloning is cheap: sqlx pools are reference-counted.
#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Handle to the database. Cheap to clone; every clone shares the same pool, clock and cache.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    /// Where "now" comes from for every timestamp, lease and expiry the store writes or compares,
    /// so tests can move time instead of sleeping.
    clock: Clock,
    /// Redis in front of the hottest reads; [`Cache::disabled`] unless [`Store::with_cache`].
    cache: Cache,
    /// Connections handed out by the pool: one per statement or transaction.
    queries: Arc<AtomicU64>,
}

/// Why a Postgres server did not answer the pool for [`ACQUIRE_TIMEOUT`]: the pool only says it
/// timed out, so one connection is tried by hand for the cause (refused, unreachable, reset),
/// named with the server's address and never the URL's password.
async fn unreachable(options: &PgConnectOptions) -> StoreError {
    use sqlx::Connection as _;
    let cause = match tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::PgConnection::connect_with(options),
    )
    .await
    {
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            sqlx::Error::PoolTimedOut
        }
        Ok(Err(err)) => err,
        Err(_) => sqlx::Error::PoolTimedOut,
    };
    StoreError::Unreachable {
        server: format!("{}:{}", options.get_host(), options.get_port()),
        waited_secs: ACQUIRE_TIMEOUT.as_secs(),
        cause,
    }
}

impl Store {
    /// Opens a pool to the database `url` names, or to `stocklens.db` in `data_dir` when `url` is
    /// `None` (the directory is created if missing). Accepts `sqlite:` and `postgres://` /
    /// `postgresql://` URLs. Does not apply migrations: call [`Store::migrate`].
    ///
    /// SQLite connections run in WAL mode with `synchronous=NORMAL`, foreign keys on and a busy
    /// timeout, so readers never block the single writer and writers queue instead of failing.
    pub async fn connect(url: Option<&str>, data_dir: &Path) -> Result<Store, StoreError> {
        let queries = Arc::new(AtomicU64::new(0));
        let pool = match url {
            None => {
                std::fs::create_dir_all(data_dir)?;
                let options = SqliteConnectOptions::new()
                    .filename(data_dir.join(SQLITE_FILE_NAME))
                    .create_if_missing(true);
                Pool::Sqlite(sqlite_pool(options, &queries).await?)
            }
            Some(url) if url.starts_with("sqlite:") => {
                let options = SqliteConnectOptions::from_str(url)?.create_if_missing(true);
                Pool::Sqlite(sqlite_pool(options, &queries).await?)
            }
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let options = PgConnectOptions::from_str(url)?;
                let pool = counted(PgPoolOptions::new(), &queries)
                    .max_connections(POSTGRES_MAX_CONNECTIONS)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_with(options.clone())
                    .await;
                match pool {
                    Ok(pool) => Pool::Postgres(pool),
                    Err(sqlx::Error::PoolTimedOut) => return Err(unreachable(&options).await),
                    Err(err) => return Err(err.into()),
                }
            }
            // Only the scheme is reported: the rest of a URL may hold a password.
            Some(url) => {
                return Err(StoreError::UnsupportedUrl {
                    scheme: url.split(':').next().unwrap_or_default().to_owned(),
                });
            }
        };
        Ok(Store {
            pool,
            clock: Clock::System,
            cache: Cache::disabled(),
            queries,
        })
    }

    /// Returns the same store keeping its hottest reads in `cache` (see [`cached`]).
    pub fn with_cache(mut self, cache: Cache) -> Store {
        self.cache = cache;
        self
    }

    /// The cache in front of this store (disabled without Redis).
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// Connections the pool has handed out since it opened: about one per statement or
    /// transaction. Tests and benchmarks read it to count database round trips.
    pub fn queries(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    /// Returns the same store reading time from `clock` (tests pass a [`ManualClock`]).
    pub fn with_clock(mut self, clock: impl Into<Clock>) -> Store {
        self.clock = clock.into();
        self
    }

    /// Which backend this store talks to.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The current time in Unix milliseconds, from the store's clock.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Applies every embedded migration not yet applied. Safe to run again and from several
    /// processes at once on Postgres (sqlx takes an advisory lock); a migration whose text changed
    /// after it was applied is an error, never silently skipped.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await?,
        }
        Ok(())
    }

    /// Versions of embedded migrations that the database has not applied yet (empty when it is
    /// up to date). Reads only; meant for a readiness probe.
    pub async fn pending_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let (migrator, applied): (&Migrator, Vec<i64>) = match &self.pool {
            Pool::Sqlite(pool) => {
                let exists: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
                )
                .fetch_one(pool)
                .await?;
                let applied = if exists == 0 {
                    Vec::new()
                } else {
                    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                        .fetch_all(pool)
                        .await?
                };
                (&SQLITE_MIGRATOR, applied)
            }
            Pool::Postgres(pool) => {
                let exists: bool =
                    sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                        .fetch_one(pool)
                        .await?;
                let applied = if exists {
                    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                        .fetch_all(pool)
                        .await?
                } else {
                    Vec::new()
                };
                (&POSTGRES_MIGRATOR, applied)
            }
        };
        Ok(migrator
            .iter()
            .filter(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
            .map(|m| m.version)
            .collect())
    }

    /// Succeeds when the database answers and every embedded migration is applied; otherwise
    /// [`StoreError::MigrationsPending`] or the database error. For `/readyz`.
    pub async fn check_ready(&self) -> Result<(), StoreError> {
        let pending = self.pending_migrations().await?;
        if pending.is_empty() {
            Ok(())
        } else {
            Err(StoreError::MigrationsPending { versions: pending })
        }
    }

    /// Closes every pooled connection, waiting for those in use to come back. Call before
    /// dropping a Postgres database or removing a SQLite file.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

async fn sqlite_pool(
    options: SqliteConnectOptions,
    queries: &Arc<AtomicU64>,
) -> Result<SqlitePool, sqlx::Error> {
    let options = options
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL in WAL mode loses at most the last transactions on power loss, never corrupts,
        // and saves an fsync per commit.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"));
    counted(SqlitePoolOptions::new(), queries)
        .max_connections(SQLITE_MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
}

/// `options` counting in `queries` every connection the pool hands out, new or reused.
fn counted<DB: sqlx::Database>(
    options: sqlx::pool::PoolOptions<DB>,
    queries: &Arc<AtomicU64>,
) -> sqlx::pool::PoolOptions<DB> {
    let (fresh, reused) = (Arc::clone(queries), Arc::clone(queries));
    options
        .after_connect(move |_, _| {
            fresh.fetch_add(1, Ordering::Relaxed);
            Box::pin(async { Ok(()) })
        })
        .before_acquire(move |_, _| {
            reused.fetch_add(1, Ordering::Relaxed);
            Box::pin(async { Ok(true) })
        })
}

/// Starting a transaction that will write after it reads.
///
/// On SQLite a plain `BEGIN` takes the write lock only at the first write, and a transaction that
/// read before another connection committed then fails at once with `SQLITE_BUSY` (the busy
/// timeout does not apply to that case); `BEGIN IMMEDIATE` takes the lock up front, so writers
/// queue on the busy timeout instead. On Postgres a plain `BEGIN`; the statements lock rows.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = Sqlite;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Db = Postgres;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

/// Milliseconds in `d`, saturating instead of wrapping for absurd durations.
pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Milliseconds in a day, for plan periods and durations counted in days.
pub(crate) const DAY_MS: i64 = 86_400_000;

/// Lower-case hex sha256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
