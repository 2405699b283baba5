//! Telegram misbehaving while contributors use the bot and workers deliver reports: connections
//! dropped before an answer, 5xx answers, slow answers, on every method the service calls
//! (getUpdates, getFile, sendMessage, editMessageText, answerCallbackQuery, sendDocument), then
//! flood limits tight enough to answer 429 with retry_after, per chat and overall. The bot waits
//! and retries; a delivery that still fails is retried by the job queue.

use stocklens_tests::fake_telegram::{FailKind, RateLimit};

use crate::invariants::conclude;
use crate::world::{Options, World};

/// The faults, in the order they are injected, each a short burst on one method. A burst is
/// shorter than the bot's own retries (three), so one call never fails for good; teloxide holds
/// a 5xx answer for 10 s before returning it, so those are few.
const FAULTS: &[(&str, u32, FailKind)] = &[
    ("getUpdates", 2, FailKind::Reset),
    ("sendDocument", 2, FailKind::Reset),
    ("editMessageText", 2, FailKind::Reset),
    ("getFile", 2, FailKind::Reset),
    ("sendMessage", 2, FailKind::Reset),
    ("sendDocument", 2, FailKind::Delay(3000)),
    ("getUpdates", 2, FailKind::Delay(3000)),
    ("editMessageText", 2, FailKind::Delay(2000)),
    ("getFile", 2, FailKind::Delay(2000)),
    ("answerCallbackQuery", 2, FailKind::Delay(2000)),
    ("sendDocument", 1, FailKind::Status(502)),
    ("getUpdates", 1, FailKind::Status(502)),
    ("sendMessage", 1, FailKind::Status(500)),
    ("getFile", 1, FailKind::Status(503)),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_failing_slow_and_rate_limited_loses_no_upload() {
    let mut world = World::start(Options::new("telegram")).await;
    let stream = world.stream(world.mode.contributors);
    let rounds = if world.mode.long { 3 } else { 1 };
    for _ in 0..rounds {
        for &(method, count, kind) in FAULTS {
            world.pause(200..900).await;
            world.fake.fail_next(method, count, kind);
        }
        // Telegram's flood control: a chat gets one message every two seconds...
        world.fake.set_chat_rate(Some(RateLimit {
            burst: 1,
            per_second: 0.5,
        }));
        world.pause(3000..6000).await;
        world.fake.set_chat_rate(None);
        // ...then every chat together two a second.
        world.fake.set_global_rate(Some(RateLimit {
            burst: 3,
            per_second: 2.0,
        }));
        world.pause(3000..6000).await;
        world.fake.set_global_rate(None);
    }
    let stats = world.fake.stats();
    let (summary, _) = conclude(world, stream).await;
    assert!(summary.accepted > 0);
    // The faults were felt: dropped connections (0), flood refusals (429) and 5xx answers.
    for code in [0, 429] {
        assert!(
            stats.rejections_by_code.get(&code).is_some_and(|&n| n > 0),
            "no refusal with {code} was provoked: {stats:?}"
        );
    }
    assert!(
        stats.rejections_by_code.keys().any(|&code| code >= 500),
        "no 5xx was provoked: {stats:?}"
    );
}
