//! Redis makes the bot faster and nothing more: a warm cache answers buttons without the
//! database; a Redis killed, restarted or paused mid-journey costs no contributor an error or a
//! report; a misconfigured Redis is one clear log line and a service that works. Every test
//! starts its own `redis-server` on a free port.

use std::time::Duration;

use stocklens::cache::{BreakerState, RedisSettings};
use stocklens::report::model::Lang;
use stocklens_tests::redis_server::{RedisServer, free_port};

use crate::harness::{Chat, Harness, Options, examples};
use crate::journey::{EN, answer_all_but_the_last, expect_report, expected};
use crate::process::journey_through_serve;

/// The service's settings but a short cool-down, so a probe comes soon after a restart.
fn settings() -> RedisSettings {
    RedisSettings {
        cool_down: Duration::from_millis(500),
        prefix: format!("test{}", std::process::id()),
        ..RedisSettings::default()
    }
}

fn with_redis(server: &RedisServer) -> Options {
    Options {
        redis: Some((server.url(None), settings())),
        ..Options::default()
    }
}

/// One contributor's journey from /start to the delivered report.
async fn journey(chat: &mut Chat<'_>) {
    journey_until_the_last_answer(chat).await;
    journey_from_the_last_answer(chat).await;
}

/// The file a journey sends.
fn journey_file() -> std::path::PathBuf {
    examples().join("envato-market/statement-2026-05.csv")
}

/// /start, the file, and every question but the last answered.
async fn journey_until_the_last_answer(chat: &mut Chat<'_>) {
    chat.say("/start");
    chat.expect_text("Stocklens turns").await;
    answer_all_but_the_last(chat, &EN, &journey_file()).await;
}

/// The last answer, the analysis and the report.
async fn journey_from_the_last_answer(chat: &mut Chat<'_>) {
    chat.say("65%");
    // A quick analysis can deliver its summary before "processing started" is shown: order
    // aside, both arrive.
    expect_report(chat, &EN, &expected(&journey_file())).await;
    chat.fake()
        .wait_for(chat.id(), crate::harness::STEP, |events| {
            events
                .iter()
                .any(|e| e.visible_text().is_some_and(|t| t.contains(EN.processing)))
        })
        .await
        .expect("the contributor was told processing started");
}

/// Neither an internal error nor a refused call reached the contributor.
fn assert_no_error(chat: &Chat<'_>) {
    let internal = chat.lexicon_prefix(Lang::En, "error.internal");
    for event in chat.fake().events(chat.id()) {
        let text = event.visible_text().unwrap_or_default();
        assert!(!text.contains(&internal), "the contributor saw: {text}");
    }
    chat.assert_clean();
}

/// Presses every menu item once on `menu` and waits for each answer.
async fn browse_menu(chat: &mut Chat<'_>, menu: i32) {
    for (data, answer) in [
        ("m:plan", "Your plan: TEST_PRO"),
        ("m:home", "What would you like to do?"),
        ("m:help", "How Stocklens works"),
        ("m:home", "What would you like to do?"),
        ("m:markets", "Supported marketplaces"),
        ("m:home", "What would you like to do?"),
    ] {
        chat.press(menu, data);
        chat.expect_text(answer).await;
    }
}

/// Database round trips of browsing the menu, after one browse warmed whatever caches there are.
async fn warm_menu_queries(options: Options) -> u64 {
    let harness = Harness::start(Options {
        worker: false,
        quiet: true,
        ..options
    })
    .await;
    let mut chat = harness.contributor("en");
    chat.say("/start");
    let welcome = chat.expect_text("Stocklens turns").await;
    let menu = welcome.message_id().expect("the menu");
    browse_menu(&mut chat, menu).await;
    // Whatever the last answer's handler still had to do is done well within this.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = harness.store.queries();
    browse_menu(&mut chat, menu).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let queries = harness.store.queries() - before;
    assert_no_error(&chat);
    harness.finish().await;
    queries
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warm_cache_answers_menu_buttons_without_the_database() {
    let server = RedisServer::start(None);
    let cached = warm_menu_queries(with_redis(&server)).await;
    assert_eq!(cached, 0, "six button presses with a warm cache");
    // The count is real: without Redis the same presses each read the database.
    let uncached = warm_menu_queries(Options::default()).await;
    assert!(uncached >= 6, "{uncached} round trips without a cache");
    eprintln!(
        "six menu presses: {cached} database round trips with a warm cache, {uncached} without"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_made_by_another_process_show_at_once() {
    let server = RedisServer::start(None);
    // No background reloads: only Redis can tell this bot about the other process's changes
    // before the test's patience runs out.
    let harness = Harness::start(Options {
        worker: false,
        quiet: true,
        ..with_redis(&server)
    })
    .await;
    let mut chat = harness.contributor("en");
    chat.say("/start");
    let menu = chat
        .expect_text("Stocklens turns")
        .await
        .message_id()
        .expect("the menu");
    chat.press(menu, "m:plan");
    chat.expect_text("Your plan: TEST_PRO").await;

    // The operator grants a plan from another process: the bot's cached record is replaced.
    let operator = harness.another_process().await;
    let user = chat.record().await;
    operator
        .set_user_plan(user.id, "PRO", None)
        .await
        .expect("grant");
    chat.press(menu, "m:home");
    chat.expect_text("What would you like to do?").await;
    chat.press(menu, "m:plan");
    chat.expect_text("Your plan: PRO").await;

    // The operator rewords a text: the bot reloads its lexicon on the notification.
    operator
        .set_lexicon_override("en", "menu.title", "Pick one, please:")
        .await
        .expect("override");
    let started = std::time::Instant::now();
    while harness.lexicon().get(Lang::En, "menu.title") != "Pick one, please:" {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the lexicon was not reloaded on the notification"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    chat.press(menu, "m:home");
    chat.expect_text("Pick one, please:").await;
    assert_no_error(&chat);
    operator.close().await;
    drop(chat);
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_killed_mid_journeys_then_restarted_costs_nobody_anything() {
    let mut server = RedisServer::start(None);
    let harness = Harness::start(with_redis(&server)).await;
    let cache = harness.store.cache().clone();
    let mut chats: Vec<Chat<'_>> = (0..4).map(|_| harness.contributor("en")).collect();
    let [a, b, c, d] = &mut chats[..] else {
        unreachable!()
    };
    // Every journey under way (files sent, all but the last question answered), then Redis dies
    // and the journeys go on: the last answers, the analyses and the deliveries meet no Redis.
    // (A fixed delay before the kill raced the journeys once the bot got faster.)
    tokio::join!(
        journey_until_the_last_answer(a),
        journey_until_the_last_answer(b),
        journey_until_the_last_answer(c),
        journey_until_the_last_answer(d)
    );
    server.kill();
    tokio::join!(
        journey_from_the_last_answer(a),
        journey_from_the_last_answer(b),
        journey_from_the_last_answer(c),
        journey_from_the_last_answer(d)
    );
    for chat in &chats {
        assert_no_error(chat);
    }
    let stats = cache.stats();
    assert!(stats.opened >= 1, "the breaker opened: {stats:?}");
    assert!(
        stats.skipped > 0,
        "with the breaker open the bot skipped Redis: {stats:?}"
    );

    // Back: the service reconnects by itself, and the cache fills and serves again.
    server.restart();
    let mut late = harness.contributor("en");
    journey(&mut late).await;
    assert_no_error(&late);
    assert_eq!(cache.state(), BreakerState::Closed);
    // The finished analysis invalidates the contributor's quota entry once, possibly just after
    // the report arrived: a /plan may refill it; one of the next must be answered from it.
    let mut from_cache = false;
    for _ in 0..3 {
        let hits = cache.stats().hits;
        late.say("/plan");
        late.expect_text("Your plan").await;
        if cache.stats().hits > hits {
            from_cache = true;
            break;
        }
    }
    assert!(
        from_cache,
        "the warmed cache answered again: {:?}",
        cache.stats()
    );
    drop(chats);
    drop(late);
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_paused_redis_holds_nobody_up() {
    let server = RedisServer::start(None);
    let harness = Harness::start(with_redis(&server)).await;
    let mut warm = harness.contributor("en");
    warm.say("/start");
    warm.expect_text("Stocklens turns").await;
    // SIGSTOP: connections stay open and nothing answers; every step below has the harness's
    // 30 s allowance, a hang would exceed it, a 250 ms command deadline does not.
    server.pause();
    let mut chat = harness.contributor("en");
    journey(&mut chat).await;
    assert_no_error(&chat);
    let stats = harness.store.cache().stats();
    assert!(stats.failures >= 1 && stats.opened >= 1, "{stats:?}");
    server.resume();
    drop(warm);
    drop(chat);
    harness.finish().await;
}

/// `serve` with a REDIS_URL that cannot work: the journey completes, and stderr has exactly one
/// line about Redis, containing `expect`, and never `secret`.
async fn misconfigured(url: &str, user: i64, expect: &str, secret: &str) {
    let fake = stocklens_tests::fake_telegram::FakeTelegram::start(
        stocklens_tests::fake_telegram::FakeConfig::unlimited(),
    )
    .expect("fake");
    let stderr = journey_through_serve(&fake, user, &[("REDIS_URL", url)]).await;
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains("Redis")).collect();
    assert_eq!(lines.len(), 1, "one line about Redis:\n{stderr}");
    assert!(lines[0].contains(expect), "{}", lines[0]);
    assert!(lines[0].contains("running without cache"), "{}", lines[0]);
    assert!(
        !stderr.contains(secret),
        "the password never prints:\n{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_password_is_named_once_and_the_service_works() {
    let server = RedisServer::start(Some("the-right-one"));
    let url = server.url(Some(("default", "wrong-s3cret")));
    misconfigured(
        &url,
        42_100_001,
        "rejected the password of user default at 127.0.0.1:",
        "wrong-s3cret",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_host_is_one_line_and_the_service_works() {
    misconfigured(
        "redis://:hunter2@no-such-host.invalid:6379",
        42_100_002,
        "Redis unavailable",
        "hunter2",
    )
    .await;
    // And a host that is there but has no Redis.
    let refused = format!("redis://:hunter2@127.0.0.1:{}", free_port());
    misconfigured(&refused, 42_100_003, "Redis unavailable", "hunter2").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_url_against_plain_redis_is_one_line_and_the_service_works() {
    let server = RedisServer::start(None);
    let url = server.url(None).replace("redis://", "rediss://");
    misconfigured(&url, 42_100_004, "does this server speak TLS?", "\u{0}").await;
}
