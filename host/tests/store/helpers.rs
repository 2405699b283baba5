//! Starts each case on a fresh database of either backend and cleans up after it, whether the
//! case passes, panics or hangs; plus small builders the cases share.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::{Connection, PgConnection};
use stocklens::store::{NewSale, NewUser, Store, User};

/// Server the Postgres cases use, without a database name; trust auth as user `postgres`.
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

/// Prefix of every database the suite creates; stale ones (their test process is gone) are
/// dropped at the start of each test.
const TEST_DB_PREFIX: &str = "stocklens_test_";

/// A case that runs longer than this is stuck (a lock never released, a claim loop that never
/// ends); the test fails instead of hanging CI.
const CASE_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs `case` on a fresh store of `db` (migrated if `migrate`), then closes the store and
/// removes the database, and only then reports the case's panic, if any.
pub async fn run<F, Fut>(db: Db, migrate: bool, case: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match db {
        Db::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let store = Store::connect(None, dir.path())
                .await
                .expect("open SQLite store");
            finish(run_case(store, migrate, case).await);
        }
        Db::Postgres => {
            let server = std::env::var("STOCKLENS_TEST_POSTGRES")
                .unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned());
            let mut admin = PgConnection::connect(&format!("{server}/postgres"))
                .await
                .expect("connect to Postgres at 127.0.0.1:5432 as postgres (is it running?)");
            drop_stale_databases(&mut admin).await;
            let name = unique_db_name();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .expect("create test database");
            let outcome = match Store::connect(
                Some(&format!("{server}/{name}")),
                &std::env::temp_dir(),
            )
            .await
            {
                Ok(store) => run_case(store, migrate, case).await,
                Err(e) => Ok(Err(format!("open Postgres store: {e:?}"))),
            };
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await
            .expect("drop test database");
            finish(outcome);
        }
    }
}

/// What a case ended with: `Ok`, or the panic to rethrow / the reason it failed.
type Outcome = Result<(), String>;
type CaseResult = Result<Outcome, Box<dyn std::any::Any + Send>>;

async fn run_case<F, Fut>(store: Store, migrate: bool, case: F) -> CaseResult
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    if migrate && let Err(e) = store.migrate().await {
        store.close().await;
        return Ok(Err(format!("migrate: {e:?}")));
    }
    // A spawned task turns the case's panic into a JoinError, so cleanup still runs.
    let task = tokio::spawn(case(store.clone()));
    let abort = task.abort_handle();
    let result = match tokio::time::timeout(CASE_TIMEOUT, task).await {
        Ok(Ok(())) => Ok(Ok(())),
        Ok(Err(join)) if join.is_panic() => Err(join.into_panic()),
        Ok(Err(join)) => Ok(Err(format!("case task: {join}"))),
        Err(_) => {
            abort.abort();
            Ok(Err(format!("case did not finish within {CASE_TIMEOUT:?}")))
        }
    };
    store.close().await;
    result
}

fn finish(outcome: CaseResult) {
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(why)) => panic!("{why}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// `stocklens_test_<pid>_<counter>_<random>`: unique across tests of one run, concurrent runs
/// and earlier runs.
fn unique_db_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let random = std::collections::hash_map::RandomState::new();
    let salt = std::hash::BuildHasher::hash_one(&random, n) & 0xffff_ffff;
    format!("{TEST_DB_PREFIX}{}_{n}_{salt:08x}", std::process::id())
}

/// Drops test databases left by runs that were killed before they could clean up: those whose
/// process id no longer exists on this machine.
async fn drop_stale_databases(admin: &mut PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'stocklens_test_%'")
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    for name in names {
        let pid = name
            .strip_prefix(TEST_DB_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            // Another test of this run may be dropping the same one; either way it goes.
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut *admin)
            .await;
        }
    }
}

/// A user with this Telegram id, on `plan` with no end date.
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

/// A sale of `asset` on `date` earning `micros` USD, one unit, no time or license.
pub fn sale(asset: &str, date: &str, micros: i64) -> NewSale {
    NewSale {
        marketplace: "Adobe Stock".into(),
        asset_id: asset.into(),
        date: date.into(),
        time: None,
        title: Some(format!("Title of {asset}")),
        file_name: None,
        media: "photo".into(),
        license: Some("subscription".into()),
        units: 1,
        earnings_micros: micros,
        currency: "USD".into(),
        country: None,
    }
}

/// One sale per asset per day of `month` (`YYYY-MM`), for days 1..=`days`, `assets` assets.
pub fn month_of_sales(month: &str, days: u32, assets: u32) -> Vec<NewSale> {
    let mut sales = Vec::new();
    for day in 1..=days {
        for asset in 0..assets {
            sales.push(sale(
                &format!("asset-{asset}"),
                &format!("{month}-{day:02}"),
                330_000 + i64::from(asset),
            ));
        }
    }
    sales
}
