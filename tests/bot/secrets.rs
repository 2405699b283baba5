//! No secret ever reaches a log: `stocklens serve` as an operator runs it, with a bot token, a
//! Postgres password, a Redis password and an admin token, logging at debug, through a whole
//! journey and the errors an operator meets (a wrong admin token, Redis dying mid-run, a wrong
//! Redis password, bad database URLs, a wrong bot token); everything the processes print is
//! searched for each secret, and for the contributors' report links.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stocklens_tests::fake_telegram::{FakeConfig, FakeTelegram};
use stocklens_tests::redis_server::RedisServer;

use crate::harness::{STEP, drop_postgres, fresh_postgres};
use crate::process::{Serve, contributor_gets_a_report};

const BOT_TOKEN: &str = "7000000001:SecretHalfOfTheBotTokenQ9xLmZ2pWv";
const WRONG_BOT_TOKEN: &str = "7000000002:WrongBotTokenSecretHalfK4jT8sNc";
const PG_PASSWORD: &str = "PgPassw0rdNeverLogged4711";
const REDIS_PASSWORD: &str = "RedisPassw0rdNeverLogged0815";
const WRONG_REDIS_PASSWORD: &str = "WrongRedisPassw0rdNeverLogged";
const ADMIN_TOKEN: &str = "AdminTokenNeverLogged-3f9c1d7e5b";
const WRONG_ADMIN_TOKEN: &str = "WrongAdminTokenGuess-8a2b6c4d";

/// Every crate at debug but the compiler's, which logs each function it compiles and holds no
/// secret.
const LOG_FILTER: &str = "debug,cranelift_codegen=info,cranelift_frontend=info,regalloc2=info,\
                          wasmtime_cranelift=info,wasmtime_internal_cranelift=info";

/// One `stocklens serve` with its stdout and stderr in one file.
struct Run {
    serve: Serve,
    log: PathBuf,
    web: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Run {
    fn start(env: &[(&str, &str)]) -> Run {
        let dir = tempfile::tempdir().expect("data directory");
        let web = std::net::SocketAddr::from(([127, 0, 0, 1], stocklens_tests::ports::free_port()));
        let log = dir.path().join("serve.log");
        let out = std::fs::File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        let mut command = Command::new(stocklens_tests::stocklens_binary());
        command
            .arg("serve")
            .env("STOCKLENS_DATA_DIR", dir.path())
            .env("STOCKLENS_LOG", LOG_FILTER)
            .env("STOCKLENS_WEB_LISTEN", web.to_string())
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL")
            .env_remove("TELOXIDE_TOKEN")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn().expect("start stocklens serve");
        Run {
            serve: Serve(child),
            log,
            web,
            _dir: dir,
        }
    }

    fn log(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.log).unwrap_or_default()).into_owned()
    }

    /// Waits for the process to end by itself (a refused configuration) and returns its log.
    async fn exits(mut self, what: &str) -> String {
        let deadline = Instant::now() + STEP;
        loop {
            if let Some(exit) = self.serve.0.try_wait().expect("wait") {
                let log = self.log();
                assert!(
                    !exit.success(),
                    "{what}: serve should refuse to run:\n{log}"
                );
                return log;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: serve did not stop:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGTERM, and the log once the process has stopped.
    async fn stop(mut self) -> String {
        let pid = self.serve.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.serve.0.try_wait().expect("wait").is_none() {
            assert!(
                Instant::now() < deadline,
                "serve did not stop within 30 s of SIGTERM:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.log()
    }

    async fn wait_for_log(&self, what: &str, needles: &[&str]) {
        let deadline = Instant::now() + STEP;
        loop {
            let log = self.log();
            if needles.iter().any(|n| log.contains(n)) {
                return;
            }
            assert!(Instant::now() < deadline, "{what} not logged:\n{log}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_until_serving(&self, client: &reqwest::Client) {
        let deadline = Instant::now() + STEP;
        while client
            .get(format!("http://{}/healthz", self.web))
            .send()
            .await
            .is_err()
        {
            assert!(
                Instant::now() < deadline,
                "the web role did not answer:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Fails, naming the secret and showing where, if any secret is in `log`.
fn assert_no_secret(what: &str, log: &str) {
    let halves = |token: &'static str| token.split_once(':').map_or(token, |(_, half)| half);
    for secret in [
        BOT_TOKEN,
        halves(BOT_TOKEN),
        WRONG_BOT_TOKEN,
        halves(WRONG_BOT_TOKEN),
        PG_PASSWORD,
        REDIS_PASSWORD,
        WRONG_REDIS_PASSWORD,
        ADMIN_TOKEN,
        WRONG_ADMIN_TOKEN,
    ] {
        if let Some(at) = log.find(secret) {
            let from = log[..at].rfind('\n').map_or(0, |i| i + 1);
            let to = log[at..].find('\n').map_or(log.len(), |i| at + i);
            panic!(
                "{what}: a secret is in the log ({secret}):\n{}",
                &log[from..to]
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_log_of_a_full_run_or_its_failures() {
    let mut config = FakeConfig::unlimited();
    config.token = BOT_TOKEN.to_owned();
    let fake = FakeTelegram::start(config).expect("fake Telegram");
    let mut redis = RedisServer::start(Some(REDIS_PASSWORD));
    let redis_url = redis.url(Some(("default", REDIS_PASSWORD)));
    let wrong_redis_url = redis.url(Some(("default", WRONG_REDIS_PASSWORD)));
    let database = fresh_postgres().await;
    // Postgres here trusts local connections: the password is sent, and ignored.
    let database_url = format!("postgres://postgres:{PG_PASSWORD}@127.0.0.1:5432/{database}");
    let client = reqwest::Client::new();
    let service: Vec<(&str, &str)> = vec![
        ("TELEGRAM_BOT_TOKEN", BOT_TOKEN),
        ("TELEGRAM_API_URL", fake.api_url()),
        ("DATABASE_URL", &database_url),
        ("REDIS_URL", &redis_url),
        ("STOCKLENS_ADMIN_TOKEN", ADMIN_TOKEN),
    ];
    let mut logs: Vec<(&str, String)> = Vec::new();

    // The whole journey, the admin API with right and wrong tokens, and Redis dying mid-run.
    let run = Run::start(&service);
    run.wait_until_serving(&client).await;
    let admin = format!("http://{}/admin/plugins", run.web);
    for (token, status) in [
        (Some(ADMIN_TOKEN), 200),
        (Some(WRONG_ADMIN_TOKEN), 401),
        (None, 401),
        (Some(BOT_TOKEN), 401),
    ] {
        let mut request = client.get(&admin);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("admin API");
        assert_eq!(response.status(), status, "{token:?}");
    }
    let response = client
        .get(format!("http://{}/r/{}", run.web, "ab".repeat(16)))
        .send()
        .await
        .expect("a report link");
    assert_eq!(response.status(), 404);
    contributor_gets_a_report(&fake, 43_000_001).await;
    redis.kill();
    contributor_gets_a_report(&fake, 43_000_002).await;
    run.wait_for_log("Redis going away", &["Redis unavailable"])
        .await;
    redis.restart();
    let back = Instant::now() + STEP;
    loop {
        let ready: serde_json::Value = client
            .get(format!("http://{}/readyz", run.web))
            .send()
            .await
            .expect("readyz")
            .json()
            .await
            .expect("JSON");
        // The breaker lets a call probe Redis after a few seconds; the bot's next update does.
        if ready["redis"] == "ok" || Instant::now() > back {
            break;
        }
        let user = fake.user(43_000_003, "Ivan", Some("en"));
        fake.send_text(&user, "/plan");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    logs.push(("the full run", run.stop().await));

    // A wrong Redis password: refused, named as such, never printed.
    let mut wrong_redis = service.clone();
    wrong_redis.retain(|(name, _)| *name != "REDIS_URL");
    wrong_redis.push(("REDIS_URL", &wrong_redis_url));
    let run = Run::start(&wrong_redis);
    run.wait_until_serving(&client).await;
    let user = fake.user(43_000_004, "Olga", Some("en"));
    fake.send_text(&user, "/start");
    run.wait_for_log("the rejected password", &["WRONGPASS", "password"])
        .await;
    logs.push(("a wrong Redis password", run.stop().await));

    // Configurations serve refuses: each says why in one line, without the secret.
    let refused_port = format!("postgres://postgres:{PG_PASSWORD}@127.0.0.1:1/{database}");
    let no_database =
        format!("postgres://postgres:{PG_PASSWORD}@127.0.0.1:5432/{database}_does_not_exist");
    let bad_port = format!("postgres://postgres:{PG_PASSWORD}@127.0.0.1:port/{database}");
    let not_redis = format!("http://default:{REDIS_PASSWORD}@127.0.0.1:6379");
    let cases: [(&str, &str, &str); 5] = [
        (
            "a database that refuses connections",
            "DATABASE_URL",
            &refused_port,
        ),
        (
            "a database that does not exist",
            "DATABASE_URL",
            &no_database,
        ),
        ("a malformed database URL", "DATABASE_URL", &bad_port),
        ("a REDIS_URL that is not Redis", "REDIS_URL", &not_redis),
        ("a wrong bot token", "TELEGRAM_BOT_TOKEN", WRONG_BOT_TOKEN),
    ];
    for (what, name, value) in cases {
        let mut env = service.clone();
        env.retain(|(n, _)| *n != name);
        env.push((name, value));
        logs.push((what, Run::start(&env).exits(what).await));
    }

    // The contributors' report links are secrets too.
    let report_tokens: Vec<String> = {
        use sqlx::Connection;
        let mut db = sqlx::PgConnection::connect(&database_url)
            .await
            .expect("the test database");
        sqlx::query_scalar("SELECT token FROM reports")
            .fetch_all(&mut db)
            .await
            .expect("report tokens")
    };
    assert_eq!(report_tokens.len(), 2, "both contributors got a report");
    drop_postgres(&database).await;
    // To read what was searched: STOCKLENS_TEST_LOG_DIR=/tmp/logs cargo test --test bot secrets
    if let Ok(dir) = std::env::var("STOCKLENS_TEST_LOG_DIR") {
        let _ = std::fs::create_dir_all(&dir);
        for (i, (what, log)) in logs.iter().enumerate() {
            let _ = std::fs::write(format!("{dir}/{i}-{}.log", what.replace(' ', "-")), log);
        }
    }
    for (what, log) in &logs {
        assert!(!log.is_empty(), "{what}: the run logged nothing");
        assert_no_secret(what, log);
        for token in &report_tokens {
            assert!(
                !log.contains(token.as_str()),
                "{what}: a report link is in the log"
            );
        }
    }
    // The log is at debug: it did say what happened, only without the secrets.
    let full = &logs[0].1;
    assert!(full.contains("DEBUG"), "debug logging is on");
    assert!(full.contains("Redis unavailable"), "{full}");
}
