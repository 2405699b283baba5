//! How long a contributor waits at each step of the journey, measured on the fake Telegram
//! server's own timestamps (when it received the bot's call), with the real bot and worker on
//! SQLite: `cargo bench -p stocklens-tests --bench bot_journey [-- N]`.
//!
//! Steps: the document sent → the first question on screen (download, store, detect, count);
//! a button pressed → the next question (one dialogue read and write, one edit); the last answer
//! → "processing started"; "processing started" → the report document (queue pick-up, parse,
//! analyze, render, two messages spaced by Telegram's one-a-second per chat).

#[path = "../bot/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::Duration;

use harness::{Harness, Options, examples};
use stocklens_tests::fake_telegram::BotEventKind;

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let harness = Harness::start(Options::default()).await;
        harness
            .store
            .set_plan_analyses("TEST_PRO", 1_000_000)
            .await
            .expect("plan");
        let file = examples().join("adobe-stock/activity-2025-q3.csv");
        let mut steps: [Vec<Duration>; 4] = Default::default();
        for _ in 0..runs {
            let mut chat = harness.contributor("en");
            let sent = harness.fake.clock();
            chat.send_file(&file);
            let first = chat.expect_text("Question 1 of 6").await;
            steps[0].push(first.at - sent);
            let message = first.message_id().expect("question");
            let pressed = harness.fake.clock();
            chat.press(message, "a:ct:all");
            let second = chat.expect_text("Question 2 of 6").await;
            steps[1].push(second.at - pressed);
            chat.press(message, "a:p:all");
            chat.expect_text("Question 3 of 6").await;
            for _ in 0..3 {
                chat.press(message, "skip");
                chat.expect("the next question", |e| {
                    matches!(e.kind, BotEventKind::Edit { .. })
                })
                .await;
            }
            let last = harness.fake.clock();
            chat.press(message, "skip");
            let started = chat.expect_text("Processing started").await;
            steps[2].push(started.at - last);
            let document = chat.expect_document().await;
            steps[3].push(document.at - started.at);
        }
        let names = [
            "document → first question",
            "button → next question",
            "last answer → processing started",
            "processing started → report document",
        ];
        println!("{runs} journeys, Adobe Stock example (40 sales), SQLite, real bot + worker:");
        for (name, mut times) in names.into_iter().zip(steps) {
            times.sort();
            let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
            println!(
                "  {name:<40} p50 {:>7.1} ms   p95 {:>7.1} ms   max {:>7.1} ms",
                at(0.5).as_secs_f64() * 1e3,
                at(0.95).as_secs_f64() * 1e3,
                at(1.0).as_secs_f64() * 1e3
            );
        }
        harness.finish().await;
    });
}
