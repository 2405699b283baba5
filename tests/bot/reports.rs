//! "My reports": newest first, paginated, each opens its summary and sends its document again;
//! nobody opens another contributor's report, whatever the button says.

use stocklens_tests::fake_telegram::BotEventKind;

use crate::harness::{Harness, Options, all_data, button_data, examples};
use crate::journey::{EN, answer_everything, expect_report, expected};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn my_reports_pages_and_reopens_them() {
    let harness = Harness::start(Options::default()).await;
    harness
        .store
        .set_plan_analyses("TEST_PRO", 100)
        .await
        .expect("a plan with room for six analyses");
    let mut chat = harness.contributor("en");
    chat.say("/reports");
    chat.expect_text("You have no reports yet").await;
    let files = [
        "adobe-stock/activity-2025-q3.csv",
        "freepik/assets_report_05_2026.csv",
        "envato-market/statement-2026-05.csv",
        "generic/sales-2025-11.csv",
        "istock-getty/202601-123456-all.txt",
        "freepik/assets_report_06_2026.csv",
    ];
    for file in files {
        let file = examples().join(file);
        answer_everything(&mut chat, &EN, &file).await;
        expect_report(&mut chat, &EN, &expected(&file)).await;
    }
    chat.say("/reports");
    let page = chat
        .expect_text("Your reports, newest first (page 1 of 2)")
        .await;
    let data = all_data(&page);
    let opens: Vec<&String> = data.iter().filter(|d| d.starts_with("r:")).collect();
    assert_eq!(opens.len(), 5, "{data:?}");
    assert!(data.contains(&"rp:1".to_owned()), "{data:?}");
    // Newest first: the last file was Freepik's June report.
    let first_label = &page.buttons()[0][0].text;
    assert!(first_label.contains("Freepik"), "{first_label}");
    let message = page.message_id().expect("listing");
    chat.press(message, "rp:1");
    let second = chat.expect_text("(page 2 of 2)").await;
    let older = all_data(&second);
    assert_eq!(older.iter().filter(|d| d.starts_with("r:")).count(), 1);
    assert!(older.contains(&"rp:0".to_owned()));
    assert!(
        second.buttons()[0][0].text.contains("Adobe Stock"),
        "{:?}",
        second.buttons()
    );
    // Opening it sends its summary and document again.
    let open = button_data(&second, "Adobe Stock").expect("the Adobe report's button");
    chat.press(message, &open);
    chat.expect_text("Sales: 40").await;
    let document = chat.expect_document().await;
    let BotEventKind::Document { bytes, .. } = &document.kind else {
        unreachable!()
    };
    assert!(String::from_utf8_lossy(bytes).contains("<!DOCTYPE html>"));
    chat.assert_clean();
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nobody_opens_someone_elses_report() {
    let harness = Harness::start(Options::default()).await;
    let mut owner = harness.contributor("en");
    let file = examples().join("adobe-stock/activity-2025-q3.csv");
    answer_everything(&mut owner, &EN, &file).await;
    expect_report(&mut owner, &EN, &expected(&file)).await;
    let owner_id = owner.record().await.id;
    let analysis = harness
        .store
        .analyses_of_user(owner_id, 1)
        .await
        .expect("analyses")[0]
        .id;

    let mut other = harness.contributor("en");
    other.say("/start");
    let menu = other.expect_text("Stocklens turns").await;
    let message = menu.message_id().expect("menu");
    let documents_before = harness
        .fake
        .events(other.id())
        .iter()
        .filter(|e| matches!(e.kind, BotEventKind::Document { .. }))
        .count();
    // A forged button carrying the owner's analysis id, and some that are plain garbage.
    for forged in [
        format!("r:{analysis}"),
        "r:-1".into(),
        "r:99999999".into(),
        "m:admin".into(),
    ] {
        let query = harness
            .fake
            .press_forged(&other.user, message, &forged)
            .expect("a forged press");
        other
            .expect("the callback answered", |e| {
                matches!(&e.kind, BotEventKind::CallbackAnswer { callback_query_id, .. } if *callback_query_id == query)
            })
            .await;
    }
    let events = harness.fake.events(other.id());
    let documents = events
        .iter()
        .filter(|e| matches!(e.kind, BotEventKind::Document { .. }))
        .count();
    assert_eq!(
        documents, documents_before,
        "no report reached the other contributor"
    );
    assert!(
        !events
            .iter()
            .any(|e| e.visible_text().is_some_and(|t| t.contains("Sales:"))),
        "no summary either"
    );
    let refused = events.iter().any(|e| {
        matches!(&e.kind, BotEventKind::CallbackAnswer { text: Some(t), .. } if t.contains("This report is not available"))
    });
    assert!(refused, "the forger is told the report is not available");
    other.assert_clean();
    harness.finish().await;
}
