//! Reports are saved once per analysis, open by token until they expire, and are marked
//! delivered exactly once.

use std::time::Duration;

use stocklens::store::{AnalysisStatus, ManualClock, NewReport, QuotaState, Store, StoreError};

use crate::helpers::user_on_plan;
use crate::quota::analysis_of;

fn report_of(analysis_id: i64, expires_at: Option<i64>) -> NewReport {
    NewReport {
        analysis_id,
        html: "<html><body>€ report</body></html>".into(),
        summary: r#"{"total_micros":1230000}"#.into(),
        plugin_versions: r#"{"adobe-stock":"1.0.0","overview":"1.0.0"}"#.into(),
        plugin_generation: Some(7),
        expires_at,
    }
}

pub async fn report_is_saved_once_per_analysis_and_opens_by_token(store: Store) {
    let clock = ManualClock::starting_now();
    let store = store.with_clock(&clock);
    let user = user_on_plan(&store, 1, "ULTRA").await;
    let analysis = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("analysis");
    let expires = clock.now_ms() + 7 * 86_400_000;

    let report = store
        .save_report(&report_of(analysis.id, Some(expires)))
        .await
        .expect("save");
    assert_eq!(report.token.len(), 32);
    assert_eq!(report.html, "<html><body>€ report</body></html>");
    let retried = store
        .save_report(&report_of(analysis.id, None))
        .await
        .expect("save again");
    assert_eq!(retried, report, "a retried job gets the first report back");

    let other = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("analysis");
    let other = store
        .save_report(&report_of(other.id, None))
        .await
        .expect("save");
    assert_ne!(other.token, report.token);

    assert_eq!(
        store.report_by_token(&report.token).await.expect("open"),
        Some(report.clone())
    );
    assert_eq!(store.report_by_token("0000").await.expect("unknown"), None);
    assert_eq!(
        store
            .report_of_analysis(analysis.id)
            .await
            .expect("by analysis"),
        report
    );

    clock.advance(Duration::from_secs(8 * 86_400));
    assert_eq!(
        store.report_by_token(&report.token).await.expect("expired"),
        None
    );
    assert_eq!(store.delete_expired_reports().await.expect("purge"), 1);
    assert!(
        store
            .report_by_token(&other.token)
            .await
            .expect("no expiry")
            .is_some()
    );

    assert!(matches!(
        store.save_report(&report_of(-1, None)).await,
        Err(StoreError::NotFound { what: "analysis" })
    ));
}

pub async fn delivery_is_marked_once_and_completes_the_analysis(store: Store) {
    let user = user_on_plan(&store, 1, "PRO").await;
    let analysis = store
        .request_analysis(&analysis_of(user.id))
        .await
        .expect("analysis");
    store.start_analysis(analysis.id).await.expect("start");
    let report = store
        .save_report(&report_of(analysis.id, None))
        .await
        .expect("save");

    assert!(store.mark_report_delivered(report.id).await.expect("mark"));
    assert!(
        !store
            .mark_report_delivered(report.id)
            .await
            .expect("mark again")
    );
    let done = store.analysis(analysis.id).await.expect("read");
    assert_eq!(done.status, AnalysisStatus::Done);
    assert!(done.started_at.is_some() && done.finished_at.is_some());
    assert_eq!(
        store.quota_entry(analysis.id).await.expect("entry").state,
        QuotaState::Consumed
    );
    assert!(
        store
            .report(report.id)
            .await
            .expect("read")
            .delivered_at
            .is_some()
    );

    assert!(matches!(
        store.start_analysis(analysis.id).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        store.fail_analysis(analysis.id, "late", "x").await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        store.mark_report_delivered(-1).await,
        Err(StoreError::NotFound { .. })
    ));
}
