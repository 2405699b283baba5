//! Plans carry the old bot's defaults and can be edited.

use stocklens::store::{ManualClock, Plan, Store, StoreError};

pub async fn plans_are_seeded_with_the_old_bots_quotas(store: Store) {
    let plans: Vec<(String, i32, i32, Option<i32>)> = store
        .plans()
        .await
        .expect("plans")
        .into_iter()
        .map(|p| (p.name, p.analyses, p.period_days, p.duration_days))
        .collect();
    assert_eq!(
        plans,
        vec![
            ("FREE".into(), 0, 30, None),
            ("PRO".into(), 1, 30, None),
            ("TEST_PRO".into(), 1, 14, Some(14)),
            ("ULTRA".into(), 2, 30, None),
        ]
    );
}

pub async fn plans_are_editable(store: Store) {
    let clock = ManualClock::at(1_750_000_000_000);
    let store = store.with_clock(&clock);
    let pro = store.set_plan_analyses("PRO", 5).await.expect("edit");
    assert_eq!(pro.analyses, 5);
    assert_eq!(store.plan("PRO").await.expect("read").analyses, 5);

    let team = store
        .save_plan("TEAM", 10, 7, Some(90))
        .await
        .expect("new plan");
    assert_eq!(
        team,
        Plan {
            name: "TEAM".into(),
            analyses: 10,
            period_days: 7,
            duration_days: Some(90),
            updated_at: clock.now_ms(),
        }
    );
    let team = store.save_plan("TEAM", 3, 30, None).await.expect("replace");
    assert_eq!(
        (team.analyses, team.period_days, team.duration_days),
        (3, 30, None)
    );

    assert!(matches!(
        store.set_plan_analyses("GOLD", 1).await,
        Err(StoreError::NotFound { what: "plan" })
    ));
    assert!(matches!(
        store.save_plan("BAD", -1, 30, None).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.plan("GOLD").await,
        Err(StoreError::NotFound { .. })
    ));
}
