//! What Redis buys and what losing it costs, per request: a user lookup (the record every
//! update starts with) and a menu button press (press → the edited message, on the fake
//! Telegram server's clock), with Redis up and the cache warm, with Redis killed and the
//! breaker open, and with no Redis configured; on SQLite and on Postgres.
//!
//! `cargo bench -p stocklens-tests --bench redis_cache [-- N]` (N lookups per case, default
//! 2000; presses are N/10). Starts its own `redis-server`; Postgres at 127.0.0.1:5432.

#[path = "../bot/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::{Duration, Instant};

use harness::{Db, Harness, Options};
use stocklens::cache::{BreakerState, RedisSettings};
use stocklens::store::NewUser;
use stocklens_tests::redis_server::RedisServer;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    RedisUp,
    BreakerOpen,
    NoRedis,
}

impl Case {
    fn name(self) -> &'static str {
        match self {
            Case::RedisUp => "Redis up, cache warm",
            Case::BreakerOpen => "Redis killed, breaker open",
            Case::NoRedis => "no Redis configured",
        }
    }
}

fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5).as_secs_f64() * 1e3, at(0.99).as_secs_f64() * 1e3)
}

async fn run(db: Db, case: Case, lookups: usize) -> (Vec<Duration>, Vec<Duration>, u64) {
    let mut server = (case != Case::NoRedis).then(|| RedisServer::start(None));
    let options = Options {
        db,
        worker: false,
        quiet: true,
        redis: server
            .as_ref()
            .map(|s| (s.url(None), RedisSettings::default())),
        ..Options::default()
    };
    let harness = Harness::start(options).await;
    let mut chat = harness.contributor("en");
    chat.say("/start");
    let menu = chat
        .expect_text("Stocklens turns")
        .await
        .message_id()
        .expect("the menu");
    let new = NewUser {
        telegram_id: chat.id(),
        language: "en",
    };
    // Warm whatever cache there is.
    let _ = harness.store.get_or_create_user(&new).await;
    chat.press(menu, "m:plan");
    chat.expect_text("Your plan").await;
    chat.press(menu, "m:home");
    chat.expect_text("What would you like to do?").await;
    if case == Case::BreakerOpen {
        if let Some(server) = server.as_mut() {
            server.kill();
        }
        for _ in 0..5 {
            let _ = harness.store.get_or_create_user(&new).await;
        }
        assert_eq!(harness.store.cache().state(), BreakerState::Open);
    }
    let queries = harness.store.queries();
    let mut lookup_times = Vec::with_capacity(lookups);
    for _ in 0..lookups {
        let started = Instant::now();
        harness.store.get_or_create_user(&new).await.expect("user");
        lookup_times.push(started.elapsed());
    }
    let queries = harness.store.queries() - queries;
    let mut press_times = Vec::new();
    for i in 0..(lookups / 10).max(10) {
        let (data, answer) = if i % 2 == 0 {
            ("m:plan", "Your plan")
        } else {
            ("m:home", "What would you like to do?")
        };
        let pressed = harness.fake.clock();
        chat.press(menu, data);
        let edit = chat.expect_text(answer).await;
        press_times.push(edit.at - pressed);
    }
    drop(chat);
    harness.finish().await;
    (lookup_times, press_times, queries)
}

fn main() {
    let lookups: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        println!(
            "{lookups} user lookups and {} menu presses per case; p50 / p99 in ms",
            (lookups / 10).max(10)
        );
        for db in [Db::Sqlite, Db::Postgres] {
            for case in [Case::RedisUp, Case::BreakerOpen, Case::NoRedis] {
                let (lookup, press, queries) = run(db, case, lookups).await;
                let (l50, l99) = percentiles(lookup);
                let (p50, p99) = percentiles(press);
                println!(
                    "  {:<9} {:<28} lookup {l50:>6.3} / {l99:>6.3}   press {p50:>6.2} / {p99:>6.2}   db round trips per lookup {:.2}",
                    format!("{db:?}"),
                    case.name(),
                    queries as f64 / lookups as f64
                );
            }
        }
    });
}
