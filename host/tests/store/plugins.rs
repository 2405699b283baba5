//! Installed plugins: one row per (id, version), bytes kept exactly.

use stocklens::store::{NewPlugin, PluginState, Store, StoreError};

pub async fn plugin_versions_are_unique(store: Store) {
    let wasm = b"\0asm\x0d\0\x01\0component bytes".to_vec();
    let v1 = NewPlugin {
        id: "adobe-stock",
        version: "1.0.0",
        kind: "parser",
        bytes: &wasm,
        state: PluginState::Active,
        installed_by: Some("operator"),
    };
    let record = store.install_plugin(&v1).await.expect("install");
    assert_eq!(
        (record.id.as_str(), record.version.as_str()),
        ("adobe-stock", "1.0.0")
    );
    assert_eq!(record.sha256.len(), 64);
    assert!(matches!(
        store.install_plugin(&v1).await,
        Err(StoreError::Conflict { .. })
    ));

    let v2_bytes = b"\0asm newer".to_vec();
    store
        .install_plugin(&NewPlugin {
            version: "1.1.0",
            bytes: &v2_bytes,
            installed_by: None,
            ..v1.clone()
        })
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
            .plugin_bytes("adobe-stock", "1.0.0")
            .await
            .expect("bytes"),
        wasm
    );

    let disabled = store
        .set_plugin_state("adobe-stock", "1.0.0", PluginState::Disabled)
        .await
        .expect("disable");
    assert_eq!(disabled.state, PluginState::Disabled);
    assert!(
        store
            .remove_plugin("adobe-stock", "1.0.0")
            .await
            .expect("remove")
    );
    assert!(matches!(
        store.plugin_bytes("adobe-stock", "1.0.0").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store
            .set_plugin_state("nope", "1", PluginState::Active)
            .await,
        Err(StoreError::NotFound { .. })
    ));
}
