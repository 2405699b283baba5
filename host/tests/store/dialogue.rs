//! Dialogue state per chat: set, replaced, expired; and the bot's inbox of files not yet handled.

use std::time::Duration;

use stocklens::store::{ManualClock, Store};

pub async fn dialogue_state_is_set_replaced_and_expires(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let ttl = Some(Duration::from_secs(3600));
    assert_eq!(store.dialogue(42).await.expect("empty"), None);

    store
        .set_dialogue(42, r#"{"step":"ask_period"}"#, ttl)
        .await
        .expect("set");
    store
        .set_dialogue(-100_123, r#"{"step":"idle"}"#, None)
        .await
        .expect("set group");
    let state = store.dialogue(42).await.expect("get").expect("present");
    assert_eq!(state.state, r#"{"step":"ask_period"}"#);
    assert_eq!(state.expires_at, Some(clock.now_ms() + 3_600_000));

    clock.advance(Duration::from_secs(60));
    store
        .set_dialogue(42, r#"{"step":"confirm"}"#, ttl)
        .await
        .expect("replace");
    assert_eq!(
        store
            .dialogue(42)
            .await
            .expect("get")
            .expect("present")
            .state,
        r#"{"step":"confirm"}"#
    );

    clock.advance(Duration::from_secs(3601));
    assert_eq!(store.dialogue(42).await.expect("expired"), None);
    assert!(store.dialogue(-100_123).await.expect("no ttl").is_some());
    assert_eq!(store.purge_expired_dialogues().await.expect("purge"), 1);
    assert!(store.clear_dialogue(-100_123).await.expect("clear"));
    assert!(!store.clear_dialogue(-100_123).await.expect("clear again"));
}

/// The bot's inbox keeps an update until its handler is done; a starting bot takes what was
/// left unfinished for long enough (once, even with two starting at the same time), and
/// updates older than the give-up age, or taken too often, are dropped.
pub async fn the_inbox_keeps_files_until_handled_and_hands_on_what_was_left(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let idle = Duration::from_secs(120);
    let day = Duration::from_secs(24 * 3600);
    store
        .inbox_keep(10, 500, 7, r#"{"update_id":10}"#)
        .await
        .expect("keep");
    // A replay keeps it as it was.
    store
        .inbox_keep(10, 500, 7, r#"{"update_id":10,"again":true}"#)
        .await
        .expect("keep again");
    store
        .inbox_keep(11, 501, 3, r#"{"update_id":11}"#)
        .await
        .expect("keep");
    assert_eq!(store.inbox_len().await.expect("len"), 2);

    // Another replica's files, just received, are not taken after an idle time...
    assert!(
        store
            .inbox_take_unfinished(idle, day, 3)
            .await
            .expect("take")
            .is_empty()
    );
    // ...but a polling bot, the only one receiving, takes them all, in order.
    let taken = store
        .inbox_take_unfinished(Duration::ZERO, day, 3)
        .await
        .expect("take");
    assert_eq!(
        taken
            .iter()
            .map(|e| (e.update_id, e.chat_id, e.message_id, e.body.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (10, 500, 7, r#"{"update_id":10}"#),
            (11, 501, 3, r#"{"update_id":11}"#)
        ]
    );
    store.inbox_done(500, 7).await.expect("done");
    assert_eq!(store.inbox_len().await.expect("len"), 1);

    // Taken, the other one is left alone for the idle time, then taken by one of two bots.
    clock.advance(idle + Duration::from_secs(1));
    let (a, b) = tokio::join!(
        store.inbox_take_unfinished(idle, day, 3),
        store.inbox_take_unfinished(idle, day, 3)
    );
    let taken = a.expect("take").len() + b.expect("take").len();
    assert_eq!(taken, 1, "one bot takes it");

    // An update whose handler never finishes is taken three times, then dropped.
    store
        .inbox_keep(12, 502, 9, r#"{"update_id":12}"#)
        .await
        .expect("keep");
    for take in 1..=3 {
        clock.advance(idle + Duration::from_secs(1));
        let taken = store
            .inbox_take_unfinished(idle, day, 3)
            .await
            .expect("take");
        assert!(
            taken.iter().any(|e| e.update_id == 12),
            "take {take}: {taken:?}"
        );
    }
    clock.advance(idle + Duration::from_secs(1));
    let taken = store
        .inbox_take_unfinished(idle, day, 3)
        .await
        .expect("take");
    assert!(taken.iter().all(|e| e.update_id != 12), "{taken:?}");
    store.inbox_done(501, 3).await.expect("done");
    assert_eq!(store.inbox_len().await.expect("len"), 0);

    store
        .inbox_keep(13, 503, 1, r#"{"update_id":13}"#)
        .await
        .expect("keep");
    clock.advance(day + Duration::from_secs(1));
    assert!(
        store
            .inbox_take_unfinished(Duration::ZERO, day, 3)
            .await
            .expect("take")
            .is_empty(),
        "a day old: dropped"
    );
    assert_eq!(store.inbox_len().await.expect("len"), 0);
}
