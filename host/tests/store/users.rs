//! Users: first contact grants the trial once, fields change one at a time, plans lapse.

use std::time::Duration;

use stocklens::store::{ManualClock, NewUser, Store, StoreError};

const DAY: Duration = Duration::from_secs(86_400);

pub async fn first_contact_creates_a_trial_user_once(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let new = NewUser {
        telegram_id: 1001,
        language: "ru",
    };
    let (user, created) = store.get_or_create_user(&new).await.expect("create");
    assert!(created);
    assert_eq!(user.telegram_id, 1001);
    assert_eq!(user.language, "ru");
    assert_eq!(user.plan, "TEST_PRO");
    assert_eq!(user.plan_until, Some(clock.now_ms() + 14 * 86_400_000));
    assert!(!user.blocked && !user.admin && user.active);

    let (again, created) = store.get_or_create_user(&new).await.expect("get");
    assert!(!created);
    assert_eq!(again, user);
    assert_eq!(store.user(user.id).await.expect("by id"), user);
    assert_eq!(
        store.user_by_telegram_id(1001).await.expect("by tg"),
        Some(user)
    );
    assert_eq!(
        store.user_by_telegram_id(4242).await.expect("unknown"),
        None
    );
    assert!(matches!(
        store.user(-1).await,
        Err(StoreError::NotFound { what: "user" })
    ));
}

pub async fn concurrent_first_contacts_create_one_user(store: Store) {
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .get_or_create_user(&NewUser {
                        telegram_id: 77,
                        language: "en",
                    })
                    .await
            })
        })
        .collect();
    let mut created = 0;
    let mut ids = Vec::new();
    for task in tasks {
        let (user, was_created) = task.await.expect("task").expect("get_or_create");
        created += usize::from(was_created);
        ids.push(user.id);
    }
    assert_eq!(created, 1);
    ids.dedup();
    assert_eq!(ids.len(), 1);
}

pub async fn language_plan_and_flags_can_be_changed(store: Store) {
    let (user, _) = store
        .get_or_create_user(&NewUser {
            telegram_id: 5,
            language: "en",
        })
        .await
        .expect("create");

    let user = store
        .set_user_language(user.id, "de")
        .await
        .expect("language");
    assert_eq!(user.language, "de");

    let until = store.now() + 30 * 86_400_000;
    let user = store
        .set_user_plan(user.id, "ULTRA", Some(until))
        .await
        .expect("plan");
    assert_eq!(
        (user.plan.as_str(), user.plan_until),
        ("ULTRA", Some(until))
    );
    let user = store
        .set_user_plan(user.id, "PRO", None)
        .await
        .expect("plan");
    assert_eq!((user.plan.as_str(), user.plan_until), ("PRO", None));
    assert!(matches!(
        store.set_user_plan(user.id, "GOLD", None).await,
        Err(StoreError::NotFound { what: "plan" })
    ));
    assert!(matches!(
        store.set_user_plan(-1, "PRO", None).await,
        Err(StoreError::NotFound { what: "user" })
    ));

    assert!(
        store
            .set_user_blocked(user.id, true)
            .await
            .expect("block")
            .blocked
    );
    assert!(
        store
            .set_user_admin(user.id, true)
            .await
            .expect("admin")
            .admin
    );
    let user = store
        .set_user_active(user.id, false)
        .await
        .expect("inactive");
    assert!(user.blocked && user.admin && !user.active);
    assert_eq!(store.user(user.id).await.expect("read"), user);
}

pub async fn lapsed_plan_falls_back_to_free(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let (user, _) = store
        .get_or_create_user(&NewUser {
            telegram_id: 9,
            language: "en",
        })
        .await
        .expect("create");
    assert_eq!(user.effective_plan(clock.now_ms()), "TEST_PRO");
    assert_eq!(store.quota_usage(user.id).await.expect("usage").limit, 1);

    clock.advance(15 * DAY);
    let usage = store.quota_usage(user.id).await.expect("usage");
    assert_eq!((usage.plan.as_str(), usage.limit), ("FREE", 0));
    let err = store
        .request_analysis(&crate::quota::analysis_of(user.id))
        .await
        .expect_err("FREE allows no analysis");
    assert!(matches!(err, StoreError::QuotaExceeded { plan, limit: 0 } if plan == "FREE"));
}
