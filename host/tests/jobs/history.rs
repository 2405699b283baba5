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

/// A later export is compared with the contributor's earlier one: the worker feeds the stored
/// sales of the first upload to the report generators as history, so the second report's trends
/// section compares the quarter with the one before, which only the first file held. The first
/// report, with no history yet, asks for that earlier export instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_upload_is_the_history_a_later_report_compares_with() {
    let env = Env::sqlite();
    env.migrate();
    env.ok(&["plan", "set", "BIG", "--analyses", "10"]);
    env.ok(&["user", "set-plan", "5002", "BIG", "--until", "2999-12-31"]);

    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    // Q3 2025: 40 sales, $220.14 (its expected summary).
    let q3 = examples.join("adobe-stock/activity-2025-q3.csv");
    // Q4 2025 of the example portfolio's Adobe Stock export: its rows from October on.
    let portfolio = std::fs::read_to_string(
        examples.join("portfolio/adobe-stock-activity-2024-10-to-2025-12.csv"),
    )
    .expect("the portfolio example");
    let q4_rows: Vec<&str> = portfolio
        .lines()
        .filter(|line| line.as_bytes() >= b"2025-10".as_slice())
        .collect();
    assert_eq!(q4_rows.len(), 523, "Q4 2025 of the portfolio has 523 rows");
    let q4 = env.dir.path().join("activity-2025-q4.csv");
    std::fs::write(&q4, q4_rows.join("\n") + "\n").expect("write Q4");

    let mut worker = env.worker("history-compare", &[], &[]);
    let store = env.store().await;
    let first = env.submit(5002, &q3);
    wait_until("the Q3 report", LIMIT, || async {
        matches!(store.analysis(first).await, Ok(a) if a.status == AnalysisStatus::Done)
    })
    .await;
    let second = env.submit(5002, &q4);
    wait_until("the Q4 report", LIMIT, || async {
        matches!(store.analysis(second).await, Ok(a) if a.status == AnalysisStatus::Done)
    })
    .await;
    assert!(worker.terminate(LIMIT), "the worker stops cleanly");

    let q3_report = store.report_of_analysis(first).await.expect("Q3 report");
    assert!(
        q3_report.html.contains("April–June 2025"),
        "without history the trends section asks for the previous quarter's export"
    );
    let q4_report = store.report_of_analysis(second).await.expect("Q4 report");
    let summary: serde_json::Value =
        serde_json::from_str(&q4_report.summary).expect("summary JSON");
    assert_eq!(
        summary["sales"], 523,
        "history never joins the headline figures"
    );
    assert_eq!(summary["revenue"]["USD"], "1302.15");
    let trends = section(&q4_report.html, "sec-trends-trends");
    assert!(
        trends.contains("July–September 2025") && trends.contains("$220.14"),
        "the Q4 report compares with the stored Q3 sales: {trends}"
    );
    env.cleanup().await;
}

/// The markup of the report section with anchor `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |end| start + end);
    &html[start..end]
}
