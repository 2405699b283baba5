//! What the world does to the bot: a restart in the middle of a dialogue, the contributor
//! blocking the bot while their job runs, Telegram's 429s and its gateway failing.

use std::time::Duration;

use stocklens_tests::fake_telegram::{BotEventKind, FailKind, FakeConfig, RateLimit};

use crate::harness::{Db, Harness, Options, eventually, examples};
use crate::journey::{EN, RU, answer_all_but_the_last, expect_report, expected};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restart_mid_dialogue_carries_on() {
    let mut harness = Harness::start(Options {
        db: Db::Postgres,
        ..Options::default()
    })
    .await;
    let user = {
        let mut chat = harness.contributor("ru");
        chat.send_file(&examples().join("adobe-stock/activity-2025-q3.csv"));
        let first = chat.expect_text(&(RU.question)(1)).await;
        let message = first.message_id().expect("question");
        chat.press(message, "a:ct:illustration");
        chat.expect_text(&(RU.question)(2)).await;
        (chat.user.clone(), chat.seen, message)
    };
    harness.restart().await;
    let (sim, seen, message) = user;
    let mut chat = crate::harness::Chat {
        harness: &harness,
        user: sim,
        seen,
    };
    chat.press(message, "a:p:all");
    chat.expect_text(&(RU.question)(3)).await;
    chat.say("300");
    let fourth = chat.expect_text(&(RU.question)(4)).await;
    let message = fourth.message_id().expect("question");
    chat.press(message, "skip");
    chat.expect_text(&(RU.question)(5)).await;
    chat.say("10");
    chat.expect_text(&(RU.question)(6)).await;
    chat.say("50");
    chat.expect_text(RU.processing).await;
    let sales = std::fs::read_to_string(examples().join("adobe-stock/activity-2025-q3.csv"))
        .expect("example")
        .matches(",illustrations,")
        .count() as i64;
    let expected = crate::journey::Expected {
        sales,
        parser: "adobe-stock".into(),
    };
    expect_report(&mut chat, &RU, &expected).await;
    chat.assert_clean();
    harness.finish().await;
}

/// The contributor blocks the bot while their analysis runs: the job still finishes, the
/// contributor is marked inactive, and coming back makes them active again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn blocked_while_the_job_runs() {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("en");
    let file = examples().join("adobe-stock/activity-2025-q3.csv");
    answer_all_but_the_last(&mut chat, &EN, &file).await;
    // Blocked as the last answer goes in: the job is queued and runs while the bot is blocked.
    harness.fake.block(chat.id()).expect("block");
    chat.say("65%");
    let user = chat.record().await;
    let store = harness.store.clone();
    eventually(
        "the contributor is marked inactive",
        Duration::from_secs(30),
        || {
            let store = store.clone();
            async move { store.user(user.id).await.is_ok_and(|u| !u.active) }
        },
    )
    .await
    .expect("inactive");
    let store = harness.store.clone();
    eventually("the analysis finishes", Duration::from_secs(30), || {
        let store = store.clone();
        async move {
            store.analyses_of_user(user.id, 1).await.is_ok_and(|a| {
                a.first()
                    .is_some_and(|a| a.status == stocklens::store::AnalysisStatus::Done)
            })
        }
    })
    .await
    .expect("done");
    let jobs = harness.store.list_jobs(None, 10).await.expect("jobs");
    assert!(
        jobs.iter()
            .all(|j| j.state == stocklens::store::JobState::Done),
        "no job left retrying: {jobs:?}"
    );
    // Back again: active, and the report is in "My reports".
    harness.fake.unblock(chat.id()).expect("unblock");
    chat.seen = harness.fake.events(chat.id()).len();
    chat.say("/reports");
    let list = chat.expect_text("Your reports").await;
    assert!(list.buttons()[0][0].text.contains("Adobe Stock"));
    assert!(harness.store.user(user.id).await.expect("user").active);
    harness.finish().await;
}

/// Telegram says 429 with retry_after, and its gateway fails twice: the bot waits and retries,
/// and the contributor gets every message once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limits_and_gateway_failures_are_waited_out() {
    let harness = Harness::start(Options {
        fake: FakeConfig {
            chat_rate: Some(RateLimit {
                burst: 3,
                per_second: 1.0,
            }),
            global_rate: None,
            ..FakeConfig::default()
        },
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("en");
    // (teloxide holds a 5xx answer for 10 s before returning it; a dropped connection is the
    // same failure to the bot, at once.)
    harness.fake.fail_next("sendMessage", 1, FailKind::Reset);
    harness
        .fake
        .fail_next("editMessageText", 1, FailKind::Reset);
    harness.fake.fail_next("sendDocument", 1, FailKind::Reset);
    let file = examples().join("freepik/assets_report_05_2026.csv");
    answer_all_but_the_last(&mut chat, &EN, &file).await;
    chat.say("65%");
    // A 429 on "processing started" can hold it back past the report itself: order aside,
    // everything arrives.
    let events = harness
        .fake
        .wait_for(chat.id(), crate::harness::STEP, |events| {
            let has = |needle: &str| {
                events
                    .iter()
                    .any(|e| e.visible_text().is_some_and(|t| t.contains(needle)))
            };
            has(EN.processing)
                && has("Sales: 140")
                && events
                    .iter()
                    .any(|e| matches!(e.kind, BotEventKind::Document { .. }))
        })
        .await
        .expect("processing, summary and report all arrive");
    assert_eq!(expected(&file).sales, 140);
    let refused: Vec<_> = events.iter().filter(|e| e.is_rejected()).collect();
    assert!(!refused.is_empty(), "the test provoked refusals");
    for event in &refused {
        let BotEventKind::Rejected { error_code, .. } = &event.kind else {
            unreachable!()
        };
        assert!(
            matches!(error_code, 429 | 0),
            "only provoked refusals: {event:?}"
        );
    }
    let summaries = events
        .iter()
        .filter(|e| {
            matches!(e.kind, BotEventKind::Message { .. })
                && e.visible_text().is_some_and(|t| t.contains("Sales: "))
        })
        .count();
    assert_eq!(summaries, 1, "the summary arrived exactly once");
    let documents = events
        .iter()
        .filter(|e| matches!(e.kind, BotEventKind::Document { .. }))
        .count();
    assert_eq!(documents, 1, "the report arrived exactly once");
    harness.finish().await;
}
