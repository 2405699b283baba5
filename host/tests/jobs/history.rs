//! A job's sales join the contributor's history without duplicates: the same export sent twice,
//! and two exports with overlapping rows, leave each sale in the history once.

use std::time::Duration;

use stocklens::store::AnalysisStatus;

use crate::helpers::{Env, wait_until};

/// Hang guard: process start and four small jobs.
const LIMIT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resent_and_overlapping_exports_count_each_sale_once() {
    let env = Env::sqlite();
    env.migrate();
    env.ok(&["plan", "set", "BIG", "--analyses", "10"]);
    env.ok(&["user", "set-plan", "5001", "BIG", "--until", "2999-12-31"]);

    // The Q3 export has 40 distinct sales; split it into two files that share rows 20-30.
    let q3 = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/adobe-stock/activity-2025-q3.csv");
    let text = std::fs::read_to_string(&q3).expect("example");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 40);
    let first_part = env.dir.path().join("activity-part1.csv");
    let second_part = env.dir.path().join("activity-part2.csv");
    std::fs::write(&first_part, lines[..30].join("\n") + "\n").expect("write part 1");
    std::fs::write(&second_part, lines[19..].join("\n") + "\n").expect("write part 2");

    let ids = [
        env.submit(5001, &q3),
        env.submit(5001, &q3),
        env.submit(5001, &first_part),
        env.submit(5001, &second_part),
    ];
    let mut worker = env.worker("history", &[], &[]);
    let store = env.store().await;
    wait_until("every analysis to be delivered", LIMIT, || async {
        let mut done = true;
        for id in ids {
            done &= matches!(store.analysis(id).await, Ok(a) if a.status == AnalysisStatus::Done);
        }
        done
    })
    .await;
    assert!(worker.terminate(LIMIT), "the worker stops cleanly");

    let user = store
        .user_by_telegram_id(5001)
        .await
        .expect("store answers")
        .expect("the user exists");
    assert_eq!(
        store.count_sales(user.id).await.expect("count"),
        40,
        "each of the 40 sales once, whatever was sent twice or overlapped"
    );
    env.cleanup().await;
}
