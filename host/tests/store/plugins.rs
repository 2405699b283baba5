//! Installed plugins: one row per (id, version), bytes kept exactly; what runs per id as a chain
//! of changes where a rollback returns one step, and where two changes made on the same state
//! cannot both apply.

use stocklens::store::{
    ChangeAction, ChangedBy, ChoiceState, NewPlugin, PluginChange, Store, StoreError,
};

fn version<'a>(id: &'a str, version: &'a str, bytes: &'a [u8]) -> NewPlugin<'a> {
    NewPlugin {
        id,
        version,
        kind: "analyzer",
        wit_version: "1.0.0",
        bytes,
        installed_by: Some("operator"),
    }
}

pub async fn plugin_versions_are_unique(store: Store) {
    let wasm = b"\0asm\x0d\0\x01\0component bytes".to_vec();
    let v1 = version("overview", "1.0.0", &wasm);
    let record = store.install_plugin(&v1).await.expect("install");
    assert_eq!(
        (record.id.as_str(), record.version.as_str()),
        ("overview", "1.0.0")
    );
    assert_eq!(record.sha256.len(), 64);
    assert_eq!((record.jobs, record.failures), (0, 0));
    assert!(matches!(
        store.install_plugin(&v1).await,
        Err(StoreError::Conflict { .. })
    ));

    let v2_bytes = b"\0asm newer".to_vec();
    store
        .install_plugin(&version("overview", "1.1.0", &v2_bytes))
        .await
        .expect("another version");
    let listed = store.plugins().await.expect("list");
    assert_eq!(
        listed
            .iter()
            .map(|p| p.version.as_str())
            .collect::<Vec<_>>(),
        vec!["1.0.0", "1.1.0"]
    );
    assert_eq!(
        store
            .plugin_bytes("overview", "1.0.0")
            .await
            .expect("bytes"),
        wasm
    );
    assert!(
        store
            .remove_plugin("overview", "1.0.0")
            .await
            .expect("remove")
    );
    assert!(matches!(
        store.plugin_bytes("overview", "1.0.0").await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn rollback_walks_back_one_change_at_a_time(store: Store) {
    let by = ChangedBy {
        who: Some("ops"),
        reason: None,
    };
    for v in ["1.0.0", "2.0.0", "3.0.0"] {
        store
            .install_plugin(&version("probe", v, v.as_bytes()))
            .await
            .expect("install");
    }
    assert_eq!(store.plugin_generation().await.expect("generation"), 0);
    assert!(
        matches!(
            store
                .change_plugin("probe", &PluginChange::Rollback, by)
                .await,
            Err(StoreError::Conflict { .. })
        ),
        "nothing to roll back before the first change"
    );
    assert!(matches!(
        store
            .change_plugin("probe", &PluginChange::Activate("9.9.9"), by)
            .await,
        Err(StoreError::NotFound { .. })
    ));

    let mut generation = 0;
    for v in ["1.0.0", "2.0.0", "3.0.0"] {
        let choice = store
            .change_plugin("probe", &PluginChange::Activate(v), by)
            .await
            .expect("activate")
            .expect("a change");
        assert_eq!(
            (choice.state, choice.version.as_deref()),
            (ChoiceState::Active, Some(v))
        );
        assert!(choice.seq > generation, "the generation grows");
        generation = choice.seq;
    }
    assert_eq!(
        store.plugin_generation().await.expect("generation"),
        generation
    );
    assert_eq!(
        store
            .change_plugin("probe", &PluginChange::Activate("3.0.0"), by)
            .await
            .expect("activate again"),
        None,
        "activating what runs changes nothing"
    );

    // A running version cannot be deleted.
    assert!(matches!(
        store.remove_plugin("probe", "3.0.0").await,
        Err(StoreError::Conflict { .. })
    ));

    // Rollbacks return 3 → 2 → 1 → built-in, then there is nothing left.
    for expected in [Some("2.0.0"), Some("1.0.0"), None] {
        let choice = store
            .change_plugin("probe", &PluginChange::Rollback, by)
            .await
            .expect("rollback")
            .expect("a change");
        assert_eq!(choice.version.as_deref(), expected);
        assert_eq!(choice.action, ChangeAction::Rollback);
        if expected.is_none() {
            assert_eq!(choice.state, ChoiceState::Builtin);
        }
    }
    assert!(matches!(
        store
            .change_plugin("probe", &PluginChange::Rollback, by)
            .await,
        Err(StoreError::Conflict { .. })
    ));

    // Disable, then roll the disabling back.
    store
        .change_plugin("probe", &PluginChange::Activate("2.0.0"), by)
        .await
        .expect("activate");
    let disabled = store
        .change_plugin("probe", &PluginChange::Disable, by)
        .await
        .expect("disable")
        .expect("a change");
    assert_eq!(
        (disabled.state, disabled.version),
        (ChoiceState::Disabled, None)
    );
    let back = store
        .change_plugin("probe", &PluginChange::Rollback, by)
        .await
        .expect("undo the disabling")
        .expect("a change");
    assert_eq!(back.version.as_deref(), Some("2.0.0"));

    // The host's own rollback applies only while the failing version still runs.
    let stale = PluginChange::AutoRollback {
        version: "3.0.0",
        reason: "failed 3 of 3 jobs",
    };
    assert_eq!(
        store
            .change_plugin("probe", &stale, ChangedBy::default())
            .await
            .expect("stale auto-rollback"),
        None
    );
    let current = PluginChange::AutoRollback {
        version: "2.0.0",
        reason: "failed 3 of 3 jobs",
    };
    let rolled = store
        .change_plugin("probe", &current, ChangedBy::default())
        .await
        .expect("auto-rollback")
        .expect("a change");
    assert_eq!(rolled.action, ChangeAction::AutoRollback);
    assert_eq!(rolled.reason.as_deref(), Some("failed 3 of 3 jobs"));
    // One step back from 2.0.0 (restored by undoing the disabling) is what ran before 2.0.0 was
    // activated: the built-in.
    assert_eq!(rolled.state, ChoiceState::Builtin);

    let choices = store.plugin_choices().await.expect("choices");
    assert_eq!(choices.len(), 1);
    assert_eq!(choices[0].seq, rolled.seq);
    let history = store.plugin_changes("probe").await.expect("history");
    assert_eq!(
        history.first().map(|c| c.seq),
        Some(rolled.seq),
        "newest first"
    );
    assert_eq!(history.len(), 10);
}

pub async fn concurrent_changes_of_one_plugin_apply_one_at_a_time(store: Store) {
    for v in ["1.0.0", "2.0.0"] {
        store
            .install_plugin(&version("probe", v, v.as_bytes()))
            .await
            .expect("install");
    }
    store
        .change_plugin(
            "probe",
            &PluginChange::Activate("1.0.0"),
            ChangedBy::default(),
        )
        .await
        .expect("activate");
    store
        .change_plugin(
            "probe",
            &PluginChange::Activate("2.0.0"),
            ChangedBy::default(),
        )
        .await
        .expect("activate");
    // Ten processes notice 2.0.0 failing at once: it is rolled back exactly once.
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let change = PluginChange::AutoRollback {
                    version: "2.0.0",
                    reason: "failing",
                };
                store
                    .change_plugin("probe", &change, ChangedBy::default())
                    .await
            })
        })
        .collect();
    let mut applied = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(Some(_)) => applied += 1,
            Ok(None) | Err(StoreError::Conflict { .. }) => {}
            Err(err) => panic!("unexpected: {err}"),
        }
    }
    assert_eq!(applied, 1, "one rollback, not ten");
    let choices = store.plugin_choices().await.expect("choices");
    assert_eq!(choices[0].version.as_deref(), Some("1.0.0"));

    // Counting jobs is per installed version; a built-in is not counted.
    assert_eq!(
        store
            .count_plugin_job("probe", "1.0.0", false)
            .await
            .expect("count"),
        Some((1, 0))
    );
    assert_eq!(
        store
            .count_plugin_job("probe", "1.0.0", true)
            .await
            .expect("count"),
        Some((2, 1))
    );
    assert_eq!(
        store
            .count_plugin_job("overview", "1.1.0", true)
            .await
            .expect("count"),
        None
    );
}
