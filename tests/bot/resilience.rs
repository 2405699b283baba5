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

/// A bot killed after Telegram counted a file delivered and before its handler ran: the next
/// bot to start finds it in the inbox and asks about it. The kill is reproduced at the protocol
/// level: with the bot stopped, the file's update is fetched and confirmed over HTTP as the
/// killed bot's `getUpdates` did, and written to the inbox as its listener did, so Telegram will
/// never hand it out again; only the inbox can bring it back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_taken_by_a_bot_killed_before_handling_it_is_handled_after_restart() {
    let mut harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("en");
    chat.say("/start");
    chat.expect_text("Stocklens turns").await;
    let (user, seen) = (chat.user.clone(), chat.seen);
    harness.halt().await;

    crate::harness::Chat {
        harness: &harness,
        user: user.clone(),
        seen,
    }
    .send_file(&examples().join("adobe-stock/activity-2025-q3.csv"));
    let get_updates = format!(
        "{}/bot{}/getUpdates",
        harness.fake.api_url().trim_end_matches('/'),
        harness.fake.config().token
    );
    let http = reqwest::Client::new();
    let poll = |body: serde_json::Value| {
        let request = http.post(&get_updates).json(&body);
        async move {
            let answer = request.send().await.expect("getUpdates");
            answer.json::<serde_json::Value>().await.expect("JSON")
        }
    };
    let taken = poll(serde_json::json!({"timeout": 0})).await;
    let updates = taken["result"].as_array().expect("updates");
    let update = updates
        .iter()
        .find(|u| u["message"]["document"].is_object())
        .unwrap_or_else(|| panic!("the file's update: {taken}"));
    let update_id = update["update_id"].as_i64().expect("update id");
    let message = &update["message"];
    harness
        .store
        .inbox_keep(
            update_id,
            message["chat"]["id"].as_i64().expect("chat"),
            message["message_id"].as_i64().expect("message id"),
            &update.to_string(),
        )
        .await
        .expect("the killed bot's listener kept it");
    // The killed bot's next poll confirmed it: Telegram will not send it again.
    let after = poll(serde_json::json!({"offset": update_id + 1, "timeout": 0})).await;
    assert_eq!(after["result"].as_array().map(Vec::len), Some(0), "{after}");

    harness.restart().await;
    let mut chat = crate::harness::Chat {
        harness: &harness,
        user,
        seen,
    };
    chat.expect_text(&(EN.question)(1)).await;
    let h = &harness;
    eventually(
        "the inbox to be empty",
        Duration::from_secs(10),
        move || async move { matches!(h.store.inbox_len().await, Ok(0)) },
    )
    .await
    .expect("the handled file leaves the inbox");
    chat.assert_clean();
    drop(chat);
    harness.finish().await;
}

/// The database goes down: a contributor who writes or sends a file is told, in their
/// language, that something went wrong on our side and nothing was counted, instead of hearing
/// nothing; once it is back, the same file is taken as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contributor_is_told_when_the_database_is_down_and_served_when_it_is_back() {
    let harness = Harness::start(Options {
        db: Db::Postgres,
        worker: false,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("ru");
    let sorry = chat.lexicon_prefix(stocklens::report::model::Lang::Ru, "error.internal");
    let sample = examples().join("adobe-stock/activity-2025-q3.csv");

    harness.postgres_online(false).await;
    chat.send_file(&sample);
    let told = chat.expect_text(&sorry).await;
    let text = told.visible_text().expect("a text").to_owned();
    assert!(
        !text.contains("sqlx") && !text.contains("postgres") && !text.contains("127.0.0.1"),
        "the contributor sees no error's text: {text}"
    );
    chat.say("/start");
    chat.expect_text(&sorry).await;

    harness.postgres_online(true).await;
    chat.send_file(&sample);
    chat.expect_text(&(RU.question)(1)).await;
    chat.assert_clean();
    drop(chat);
    harness.finish().await;
}

/// What the inbox costs: the database round trips of a file from its arrival to its first
/// question, on both backends, printed for docs/performance.md; the file passes through the
/// inbox (kept, then cleared) on the way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_passes_through_the_inbox_on_its_way_to_the_first_question() {
    for db in [Db::Sqlite, Db::Postgres] {
        let harness = Harness::start(Options {
            db,
            worker: false,
            quiet: true,
            ..Options::default()
        })
        .await;
        let mut chat = harness.contributor("en");
        chat.say("/start");
        chat.expect_text("Stocklens turns").await;
        let before = harness.store.queries();
        chat.send_file(&examples().join("adobe-stock/activity-2025-q3.csv"));
        chat.expect_text(&(EN.question)(1)).await;
        // Watched through another process's pool, so the bot's count stays its own.
        let watcher = harness.another_process().await;
        let w = &watcher;
        eventually(
            "the file to leave the inbox",
            Duration::from_secs(10),
            move || async move { matches!(w.inbox_len().await, Ok(0)) },
        )
        .await
        .expect("the handled file leaves the inbox");
        watcher.close().await;
        let queries = harness.store.queries() - before;
        assert!(
            queries >= 2,
            "{queries}: at least the inbox's keep and clear"
        );
        eprintln!(
            "{db:?}: a file to its first question: {queries} database round trips, 2 of them the inbox's"
        );
        chat.assert_clean();
        drop(chat);
        harness.finish().await;
    }
}
