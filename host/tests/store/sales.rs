//! The sales history never counts a sale twice, keeps real repeats, and imports quickly.

use std::time::Instant;

use stocklens::store::{SalesQuery, Store, StoreError};

use crate::helpers::{month_of_sales, sale, user_on_plan};

pub async fn same_batch_twice_is_counted_once(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    let export = month_of_sales("2025-01", 31, 3);
    let first = store
        .insert_sales(user.id, None, &export)
        .await
        .expect("first");
    assert_eq!((first.inserted, first.duplicates), (93, 0));
    let again = store
        .insert_sales(user.id, None, &export)
        .await
        .expect("again");
    assert_eq!((again.inserted, again.duplicates), (0, 93));
    assert_eq!(store.count_sales(user.id).await.expect("count"), 93);

    // Another contributor's identical export is theirs, not a duplicate.
    let other = user_on_plan(&store, 2, "PRO").await;
    let theirs = store
        .insert_sales(other.id, None, &export)
        .await
        .expect("other user");
    assert_eq!(theirs.inserted, 93);
}

pub async fn overlapping_months_leave_no_duplicates(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    let jan_feb: Vec<_> = [
        month_of_sales("2025-01", 31, 2),
        month_of_sales("2025-02", 28, 2),
    ]
    .concat();
    let feb_mar: Vec<_> = [
        month_of_sales("2025-02", 28, 2),
        month_of_sales("2025-03", 31, 2),
    ]
    .concat();
    let a = store
        .upload_and_import(user.id, "jan-feb.csv", &jan_feb)
        .await;
    let b = store
        .upload_and_import(user.id, "feb-mar.csv", &feb_mar)
        .await;
    assert_eq!((a.inserted, a.duplicates), (118, 0));
    assert_eq!((b.inserted, b.duplicates), (62, 56));
    assert_eq!(
        store.count_sales(user.id).await.expect("count"),
        (31 + 28 + 31) * 2
    );

    let feb = store
        .sales(
            user.id,
            &SalesQuery {
                from: Some("2025-02-01".into()),
                to: Some("2025-02-28".into()),
                marketplace: None,
            },
        )
        .await
        .expect("february");
    assert_eq!(feb.len(), 56);
    assert!(
        feb.iter().all(|s| s.upload_id == Some(a.upload_id)),
        "kept from the first upload"
    );
}

pub async fn identical_rows_within_one_upload_are_all_kept(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    let twice = vec![
        sale("a", "2025-05-05", 250_000),
        sale("a", "2025-05-05", 250_000),
    ];
    let first = store
        .insert_sales(user.id, None, &twice)
        .await
        .expect("two identical");
    assert_eq!(
        first.inserted, 2,
        "two identical sales on one day are two sales"
    );
    let again = store
        .insert_sales(user.id, None, &twice)
        .await
        .expect("re-upload");
    assert_eq!(again.inserted, 0);

    // A later export of the same day that shows a third identical sale adds exactly one.
    let thrice = vec![sale("a", "2025-05-05", 250_000); 3];
    let later = store
        .insert_sales(user.id, None, &thrice)
        .await
        .expect("later export");
    assert_eq!((later.inserted, later.duplicates), (1, 2));
    let stored = store
        .sales(user.id, &SalesQuery::default())
        .await
        .expect("read");
    let mut ordinals: Vec<i32> = stored.iter().map(|s| s.ordinal).collect();
    ordinals.sort();
    assert_eq!(ordinals, vec![0, 1, 2]);

    // Same sale with a different time or license is a different sale.
    let mut timed = sale("a", "2025-05-05", 250_000);
    timed.time = Some("10:00:00".into());
    let mut extended = sale("a", "2025-05-05", 250_000);
    extended.license = Some("extended".into());
    let distinct = store
        .insert_sales(user.id, None, &[timed, extended])
        .await
        .expect("distinct");
    assert_eq!(distinct.inserted, 2);
}

pub async fn batches_of_one_upload_number_identical_rows_across_batches(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    let rows = vec![sale("a", "2025-06-01", 1); 5];
    let mut import = store.import_sales(user.id, None);
    import.add(&rows[..2]).await.expect("batch 1");
    import.add(&rows[2..]).await.expect("batch 2");
    assert_eq!(import.finish().inserted, 5);
    // The whole file at once afterwards: every row already there.
    let whole = store
        .insert_sales(user.id, None, &rows)
        .await
        .expect("whole");
    assert_eq!((whole.inserted, whole.duplicates), (0, 5));
}

pub async fn malformed_sale_rejects_its_batch(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    for bad_date in ["2025-13-01", "2025-1-01", "01.02.2025", "2025-02-00", ""] {
        let batch = vec![sale("a", "2025-01-01", 1), sale("b", bad_date, 1)];
        assert!(
            matches!(
                store.insert_sales(user.id, None, &batch).await,
                Err(StoreError::Invalid(_))
            ),
            "{bad_date:?} accepted"
        );
    }
    let mut no_asset = sale("", "2025-01-01", 1);
    no_asset.asset_id.clear();
    assert!(matches!(
        store.insert_sales(user.id, None, &[no_asset]).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.count_sales(user.id).await.expect("count"), 0);
}

pub async fn history_reads_back_exact_money_and_filters(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    let mut refund = sale("r", "2025-03-02", -900);
    refund.units = -1;
    refund.currency = "EUR".into();
    refund.country = Some("DE".into());
    refund.time = Some("23:59:59+03:00".into());
    let mut big = sale("big", "2025-03-01", i64::MAX / 2);
    big.marketplace = "Shutterstock".into();
    big.license = None;
    store
        .insert_sales(user.id, None, &[refund.clone(), big.clone()])
        .await
        .expect("insert");

    let all = store
        .sales(user.id, &SalesQuery::default())
        .await
        .expect("all");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].asset_id, "big");
    assert_eq!(all[0].earnings_micros, i64::MAX / 2);
    assert_eq!(all[0].license, None);
    let r = &all[1];
    assert_eq!(
        (
            r.earnings_micros,
            r.units,
            r.currency.as_str(),
            r.country.as_deref(),
            r.time.as_deref()
        ),
        (-900, -1, "EUR", Some("DE"), Some("23:59:59+03:00"))
    );
    assert_eq!(r.title.as_deref(), Some("Title of r"));

    let shutterstock = store
        .sales(
            user.id,
            &SalesQuery {
                marketplace: Some("Shutterstock".into()),
                ..SalesQuery::default()
            },
        )
        .await
        .expect("by marketplace");
    assert_eq!(shutterstock.len(), 1);
    assert_eq!(store.delete_sales(user.id).await.expect("delete"), 2);
}

pub async fn a_hundred_thousand_sales_insert_once_and_dedupe_on_reupload(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    // 100 days × 1,000 assets: 100,000 distinct sales.
    let sales: Vec<_> = (0..100)
        .flat_map(|d| {
            let date = format!("2024-{:02}-{:02}", 1 + d / 28, 1 + d % 28);
            (0..1000).map(move |a| sale(&format!("asset-{a}"), &date, 10_000 + a))
        })
        .collect();
    // Timings are printed for docs/performance.md, never asserted: machines are shared and noisy.
    let started = Instant::now();
    let outcome = store
        .insert_sales(user.id, None, &sales)
        .await
        .expect("insert");
    let first = started.elapsed();
    assert_eq!(outcome.inserted, 100_000);

    let started = Instant::now();
    let again = store
        .insert_sales(user.id, None, &sales)
        .await
        .expect("re-insert");
    let second = started.elapsed();
    assert_eq!(again.duplicates, 100_000);
    println!(
        "{:?}: 100k sales inserted in {first:.2?}, re-uploaded (all duplicates) in {second:.2?}",
        store.backend()
    );
}

/// An upload plus the import of its sales, for tests that need `upload_id` set.
trait UploadAndImport {
    async fn upload_and_import(
        &self,
        user_id: i64,
        name: &str,
        sales: &[stocklens::store::NewSale],
    ) -> Imported;
}

struct Imported {
    upload_id: i64,
    inserted: u64,
    duplicates: u64,
}

impl UploadAndImport for Store {
    async fn upload_and_import(
        &self,
        user_id: i64,
        name: &str,
        sales: &[stocklens::store::NewSale],
    ) -> Imported {
        let upload = self
            .save_upload(user_id, name, name.as_bytes())
            .await
            .expect("upload");
        let outcome = self
            .insert_sales(user_id, Some(upload.id), sales)
            .await
            .expect("import");
        Imported {
            upload_id: upload.id,
            inserted: outcome.inserted,
            duplicates: outcome.duplicates,
        }
    }
}
