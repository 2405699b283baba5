//! Migrations are embedded, apply once, and the readiness check sees whether they have.

use stocklens::store::{Store, StoreError};

pub async fn fresh_database_reports_pending_then_migrates(store: Store) {
    let pending = store.pending_migrations().await.expect("pending");
    assert!(
        !pending.is_empty(),
        "an empty database has migrations to apply"
    );
    assert!(matches!(
        store.check_ready().await,
        Err(StoreError::MigrationsPending { .. })
    ));

    store.migrate().await.expect("first migrate");
    store.migrate().await.expect("second migrate is a no-op");
    assert_eq!(
        store.pending_migrations().await.expect("pending"),
        Vec::<i64>::new()
    );
    store.check_ready().await.expect("ready after migrating");
}

pub async fn migrating_again_changes_nothing(store: Store) {
    let plans = store.plans().await.expect("plans");
    store.migrate().await.expect("migrate again");
    store.check_ready().await.expect("ready");
    assert_eq!(
        store.plans().await.expect("plans"),
        plans,
        "seed rows not duplicated"
    );
}

#[tokio::test]
async fn unknown_url_scheme_is_refused_without_echoing_the_url() {
    let err = Store::connect(
        Some("mysql://admin:hunter2@db/stocklens"),
        &std::env::temp_dir(),
    )
    .await
    .expect_err("mysql is not a backend");
    assert!(matches!(&err, StoreError::UnsupportedUrl { scheme } if scheme == "mysql"));
    assert!(!format!("{err} {err:?}").contains("hunter2"));
}

#[tokio::test]
async fn sqlite_url_opens_a_wal_database_with_foreign_keys() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("custom.db");
    let store = Store::connect(Some(&format!("sqlite://{}", path.display())), dir.path())
        .await
        .expect("open");
    assert_eq!(store.backend(), stocklens::store::Backend::Sqlite);
    store.migrate().await.expect("migrate");
    let (user, _) = store
        .get_or_create_user(&stocklens::store::NewUser {
            telegram_id: 1,
            language: "en",
        })
        .await
        .expect("user");
    assert!(path.exists());
    assert!(
        dir.path().join("custom.db-wal").exists(),
        "journal is in WAL mode"
    );
    // Only an enforced foreign key turns an unknown plan into NotFound.
    assert!(matches!(
        store.set_user_plan(user.id, "NO_SUCH_PLAN", None).await,
        Err(StoreError::NotFound { what: "plan" })
    ));
    store.close().await;
}

#[tokio::test]
async fn default_database_is_a_file_in_the_data_directory() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let data_dir = dir.path().join("not-yet-there");
    let store = Store::connect(None, &data_dir).await.expect("open");
    store.migrate().await.expect("migrate");
    assert!(data_dir.join(stocklens::store::SQLITE_FILE_NAME).exists());
    store.close().await;
}
