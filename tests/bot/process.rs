//! `stocklens serve` as an operator runs it: the real binary, configured only by environment,
//! talking to the fake Telegram server; a contributor's file comes back as a report, and
//! SIGTERM stops it cleanly.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use stocklens_tests::fake_telegram::{BotEventKind, FakeConfig, FakeTelegram};

use crate::harness::{STEP, examples};

pub struct Serve(pub Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_the_bot_and_a_worker_from_the_environment() {
    let fake = FakeTelegram::start(FakeConfig::unlimited()).expect("fake Telegram");
    let stderr = journey_through_serve(&fake, 42_000_001, &[]).await;
    assert!(
        !stderr.contains("Redis"),
        "no Redis, no word of it:\n{stderr}"
    );
}

/// Starts `stocklens serve` configured by the environment plus `env` (REDIS_URL is left out
/// unless given), takes one contributor (Telegram id `user_id`) from /start to their delivered
/// report, stops it with SIGTERM and returns what it wrote on stderr (its log at `warn`).
pub async fn journey_through_serve(
    fake: &FakeTelegram,
    user_id: i64,
    env: &[(&str, &str)],
) -> String {
    let data = tempfile::tempdir().expect("data directory");
    let web = std::net::SocketAddr::from(([127, 0, 0, 1], stocklens_tests::ports::free_port()));
    let mut command = Command::new(stocklens_tests::stocklens_binary());
    command
        .args(["serve"])
        .env("TELEGRAM_BOT_TOKEN", &fake.config().token)
        .env("TELEGRAM_API_URL", fake.api_url())
        .env("STOCKLENS_DATA_DIR", data.path())
        .env("STOCKLENS_LOG", "warn")
        // The web role is on by default; a free port keeps parallel tests from fighting over
        // 8080.
        .env("STOCKLENS_WEB_LISTEN", web.to_string())
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let child = command.spawn().expect("start stocklens serve");
    let mut serve = Serve(child);
    contributor_gets_a_report(fake, user_id).await;

    // The web role of the same process counts what happened, once the job is recorded done
    // (the report reaches the chat a moment before).
    let deadline = std::time::Instant::now() + STEP;
    let metrics = loop {
        let metrics = reqwest::get(format!("http://{web}/metrics"))
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        if metrics.contains(r#"stocklens_jobs{state="done"} 1"#)
            || std::time::Instant::now() > deadline
        {
            break metrics;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for expected in [
        r#"stocklens_updates_total{kind="message"} 2"#,
        r#"stocklens_updates_total{kind="button"} 6"#,
        r#"stocklens_update_seconds_count{kind="button"} 6"#,
        "stocklens_uploads_total 1",
        "stocklens_upload_bytes_count 1",
        r#"stocklens_jobs{state="done"} 1"#,
        r#"stocklens_job_seconds_count{outcome="done"} 1"#,
    ] {
        assert!(metrics.contains(expected), "{expected} in\n{metrics}");
    }

    // SIGTERM: the bot and the worker stop, and the process exits 0.
    let pid = serve.0.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill -TERM");
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(exit) = serve.0.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "serve did not stop within 30 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = serve.0.stderr.take() {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stderr);
    }
    assert!(exit.success(), "exit {exit:?}; stderr:\n{stderr}");
    assert!(
        !stderr.contains(&fake.config().token),
        "the token never prints"
    );
    stderr
}

/// A Russian-speaking contributor (Telegram id `user_id`) from /start to their delivered report,
/// through whatever bot and worker serve `fake`.
pub async fn contributor_gets_a_report(fake: &FakeTelegram, user_id: i64) {
    let user = fake.user(user_id, "Oleg", Some("ru"));
    fake.send_text(&user, "/start");
    fake.wait_for(user.id, STEP, |events| {
        events.iter().any(|e| {
            e.visible_text()
                .is_some_and(|t| t.contains("превращает выгрузку"))
        })
    })
    .await
    .expect("the welcome");
    let file = examples().join("envato-market/statement-2026-05.csv");
    fake.send_document(
        &user,
        "statement-2026-05.csv",
        "text/csv",
        std::fs::read(&file).expect("example"),
    );
    let events = fake
        .wait_for(user.id, STEP, |events| {
            events.iter().any(|e| {
                e.visible_text()
                    .is_some_and(|t| t.contains("Вопрос 1 из 6"))
            })
        })
        .await
        .expect("the first question");
    let question = events
        .iter()
        .rev()
        .find(|e| {
            e.visible_text()
                .is_some_and(|t| t.contains("Вопрос 1 из 6"))
        })
        .and_then(|e| e.message_id())
        .expect("its message");
    for data in ["a:ct:all", "a:p:all", "skip", "skip", "skip", "skip"] {
        let before = fake.events(user.id).len();
        fake.press(&user, question, data).expect("press");
        fake.wait_for(user.id, STEP, |events| {
            events[before..]
                .iter()
                .any(|e| matches!(e.kind, BotEventKind::Edit { .. }))
        })
        .await
        .expect("the next question");
    }
    fake.wait_for(user.id, STEP, |events| {
        events
            .iter()
            .any(|e| matches!(&e.kind, BotEventKind::Document { bytes, .. } if bytes.starts_with(b"<!DOCTYPE html>")))
    })
    .await
    .expect("the report, delivered by the worker of the same process");
}
