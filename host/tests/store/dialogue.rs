//! Dialogue state per chat: set, replaced, expired.

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
