//! Everything the bot refuses, each with its own message: no analyses left, too many files in
//! an hour, a file too big for Telegram, a picture instead of a file, something that is not a
//! table, and an analysis that finds no sales in the chosen selection.

use stocklens_tests::fake_telegram::{BotEventKind, FakeConfig};

use crate::harness::{Harness, Options, all_data, examples};
use crate::journey::{EN, RU, answer_everything, expect_report, expected};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_analyses_left() {
    let harness = Harness::start(Options::default()).await;
    harness
        .store
        .set_plan_analyses("TEST_PRO", 1)
        .await
        .expect("plan");
    let mut chat = harness.contributor("en");
    let file = examples().join("adobe-stock/activity-2025-q3.csv");
    answer_everything(&mut chat, &EN, &file).await;
    expect_report(&mut chat, &EN, &expected(&file)).await;
    // The second file is refused before it is even downloaded.
    chat.send_file(&file);
    let refused = chat
        .expect_text("You have used all 1 analyses of your TEST_PRO plan")
        .await;
    assert!(all_data(&refused).contains(&"m:home".to_owned()));
    chat.say("/plan");
    chat.expect_text("Analyses left: 0 of 1").await;
    let stats = harness.fake.stats();
    assert_eq!(
        stats.requests.get("getFile").copied().unwrap_or(0),
        1,
        "{stats:?}"
    );
    chat.assert_clean();
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn too_many_files_in_an_hour() {
    let harness = Harness::start(Options {
        uploads_per_hour: 2,
        worker: false,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("ru");
    let file = examples().join("freepik/assets_report_05_2026.csv");
    for _ in 0..2 {
        chat.send_file(&file);
        chat.expect_text(&(RU.question)(1)).await;
    }
    chat.send_file(&file);
    chat.expect_text("За последний час вы прислали 2 файлов")
        .await;
    chat.assert_clean();
    harness.finish().await;
}

/// The refusal names the file's size, and the file was never fetched.
fn assert_refused_before_download(
    harness: &Harness,
    refused: &stocklens_tests::fake_telegram::BotEvent,
    size: &str,
) {
    assert!(
        refused.visible_text().is_some_and(|t| t.contains(size)),
        "{:?}",
        refused.visible_text()
    );
    let downloads = harness.fake.stats().requests.get("getFile").copied();
    assert_eq!(downloads.unwrap_or(0), 0, "refused before the download");
}

/// Through a local Bot API server the bot could download 2,000 MB, but the store keeps files up
/// to 64 MiB: a bigger file is refused with that limit, as ours, before it is downloaded.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_file_bigger_than_the_store_keeps_is_refused_before_download() {
    let mut fake = FakeConfig::unlimited();
    fake.max_download_bytes = 2000 * 1024 * 1024;
    fake.max_upload_bytes = 2000 * 1024 * 1024;
    let harness = Harness::start(Options {
        worker: false,
        local_api: true,
        fake,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("en");
    let line = b"2025-07-01,123456789,Sunset over the sea,0.33\n";
    let mut big = b"Date,Asset ID,Title,Royalty\n".to_vec();
    big.reserve(70 * 1000 * 1000);
    while big.len() < 70 * 1000 * 1000 {
        big.extend_from_slice(line);
    }
    chat.send_bytes("year-export.csv", big);
    let refused = chat
        .expect_text("Stocklens takes files up to 67.1 MB")
        .await;
    assert_refused_before_download(&harness, &refused, "70.0 MB");
    chat.assert_clean();
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_25_mb_file_is_refused_with_the_limit() {
    let harness = Harness::start(Options {
        worker: false,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("en");
    let mut big = b"Date,Asset ID,Title,Royalty\n".to_vec();
    while big.len() < 25 * 1000 * 1000 {
        big.extend_from_slice(b"2025-07-01,123456789,Sunset over the sea,0.33\n");
    }
    chat.send_bytes("huge-export.csv", big);
    let refused = chat
        .expect_text("Telegram lets bots download files up to 21.0 MB")
        .await;
    assert_refused_before_download(&harness, &refused, "25.0 MB");
    chat.assert_clean();
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pictures_and_non_tables_get_their_own_messages() {
    let harness = Harness::start(Options {
        worker: false,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("en");
    chat.fake().send_photo(&chat.user);
    chat.expect_text("That is a picture. Send the export as a file")
        .await;
    chat.fake().send_sticker(&chat.user);
    chat.expect_text("That is a picture").await;
    let pdf = std::fs::read(examples().join("../tests/bad-input/document.pdf.csv")).expect("pdf");
    chat.send_bytes("document.pdf.csv", pdf.clone());
    chat.expect_text("This file is not a table: a PDF document.")
        .await;
    // In the contributor's language, what the file looks like included.
    let mut russian = harness.contributor("ru");
    russian.send_bytes("document.pdf.csv", pdf);
    russian
        .expect_text("Это не таблица: документ PDF. Пришлите выгрузку CSV, TXT или XLSX")
        .await;
    russian.assert_clean();
    // What looks like an Excel workbook (a ZIP with the workbook's parts) but is cut short.
    let mut xlsx = b"PK\x03\x04".to_vec();
    xlsx.extend_from_slice(&[0; 26]);
    xlsx.extend_from_slice(b"[Content_Types].xml xl/workbook.xml");
    chat.send_bytes("Sales.XLSX", xlsx);
    let workbook = chat
        .expect_text("This Excel workbook cannot be read: it may be damaged")
        .await;
    assert!(matches!(workbook.kind, BotEventKind::Edit { .. }));
    chat.send_bytes("empty.csv", Vec::new());
    chat.expect_text("This file is empty").await;
    let user = chat.record().await;
    assert!(
        harness
            .store
            .uploads_of_user(user.id)
            .await
            .expect("uploads")
            .is_empty(),
        "refused files are not kept"
    );
    chat.assert_clean();
    harness.finish().await;
}

/// The worker finds nothing in the chosen selection: the contributor is told so, in their
/// language, and the analysis is not counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nothing_in_the_chosen_selection() {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("ru");
    // The iStock example holds photos only.
    chat.send_file(&examples().join("istock-getty/202601-123456-all.txt"));
    let first = chat.expect_text(&(RU.question)(1)).await;
    let message = first.message_id().expect("question");
    chat.press(message, "a:ct:vector");
    chat.expect_text(&(RU.question)(2)).await;
    chat.press(message, "a:p:all");
    chat.expect_text(&(RU.question)(3)).await;
    chat.press(message, "skip");
    chat.expect_text(&(RU.question)(4)).await;
    chat.press(message, "skip");
    chat.expect_text(&(RU.question)(5)).await;
    chat.press(message, "skip");
    chat.expect_text(&(RU.question)(6)).await;
    chat.press(message, "skip");
    chat.expect_text(RU.processing).await;
    let told = chat
        .expect_text("В выбранном периоде и типе контента нет продаж")
        .await;
    assert!(all_data(&told).contains(&"m:analytics".to_owned()));
    let user = chat.record().await;
    let usage = harness.store.quota_usage(user.id).await.expect("usage");
    assert_eq!(
        usage.consumed + usage.reserved,
        0,
        "a failed analysis is not counted"
    );
    chat.assert_clean();
    harness.finish().await;
}

/// A burst of commands: the first ones are answered, then one warning, then silence until the
/// allowance refills.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_commands_is_warned_once_then_ignored() {
    let harness = Harness::start(Options {
        worker: false,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("en");
    for _ in 0..40 {
        chat.say("/help");
    }
    chat.expect_text("Too many messages at once").await;
    // Let the bot go through everything it was sent, then count.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(harness.fake.pending_updates(), 0);
    let events = harness.fake.events(chat.id());
    let answers = events
        .iter()
        .filter(|e| {
            e.visible_text()
                .is_some_and(|t| t.contains("How Stocklens works"))
        })
        .count();
    let warnings = events
        .iter()
        .filter(|e| {
            e.visible_text()
                .is_some_and(|t| t.contains("Too many messages"))
        })
        .count();
    assert_eq!(warnings, 1, "one warning");
    assert!(
        (20..40).contains(&answers),
        "{answers} of 40 commands answered"
    );
    chat.assert_clean();
    harness.finish().await;
}

/// A contributor the operator blocked is ignored entirely.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_blocked_contributor_is_ignored() {
    let harness = Harness::start(Options {
        worker: false,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("en");
    chat.say("/start");
    chat.expect_text("Stocklens turns").await;
    let user = chat.record().await;
    harness
        .store
        .set_user_blocked(user.id, true)
        .await
        .expect("block");
    chat.say("/help");
    chat.send_file(&examples().join("adobe-stock/activity-2025-q3.csv"));
    let store = harness.store.clone();
    let fake = harness.fake.clone();
    crate::harness::eventually(
        "the bot took the updates",
        std::time::Duration::from_secs(10),
        || {
            let fake = fake.clone();
            async move { fake.pending_updates() == 0 }
        },
    )
    .await
    .expect("updates taken");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let events = harness.fake.events(chat.id());
    assert_eq!(events.len(), chat.seen, "nothing answered: {events:#?}");
    assert!(
        store
            .uploads_of_user(user.id)
            .await
            .expect("uploads")
            .is_empty()
    );
    harness.finish().await;
}
