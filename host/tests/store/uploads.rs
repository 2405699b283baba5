//! Uploads keep every byte, their hash and size.

use sha2::Digest;
use stocklens::store::{Store, StoreError};

use crate::helpers::user_on_plan;

pub async fn uploads_round_trip_bytes_exactly(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    let every_byte: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    // 5 MB that do not compress: a xorshift stream.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let big: Vec<u8> = (0..5 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();

    for (name, bytes) in [
        ("every.csv", every_byte),
        ("empty.csv", Vec::new()),
        ("big.csv", big),
    ] {
        let meta = store
            .save_upload(user.id, name, &bytes)
            .await
            .expect("save");
        assert_eq!(meta.size, bytes.len() as i64);
        assert_eq!(meta.sha256, hex::encode(sha2::Sha256::digest(&bytes)));
        assert_eq!(meta.file_name, name);
        let upload = store.upload(meta.id).await.expect("read");
        assert_eq!(upload.meta, meta);
        assert!(upload.bytes == bytes, "{name}: bytes differ");
        assert_eq!(store.upload_meta(meta.id).await.expect("meta"), meta);
    }

    let listed = store.uploads_of_user(user.id).await.expect("list");
    assert_eq!(listed.len(), 3);
    assert!(store.delete_upload(listed[0].id).await.expect("delete"));
    assert!(
        !store
            .delete_upload(listed[0].id)
            .await
            .expect("delete again")
    );
    assert!(matches!(
        store.upload(listed[0].id).await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn oversized_upload_is_refused(store: Store) {
    let user = user_on_plan(&store, 2, "PRO").await;
    let too_big = vec![0u8; stocklens::store::uploads::MAX_UPLOAD_BYTES + 1];
    assert!(matches!(
        store.save_upload(user.id, "huge.csv", &too_big).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(
        store
            .uploads_of_user(user.id)
            .await
            .expect("list")
            .is_empty()
    );
}
