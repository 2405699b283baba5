//! The questions: every typed answer that is not one gets a specific hint and the same question;
//! cancel and expiry end the request and discard the file; a wrong detection is corrected.

use std::time::Duration;

use stocklens_tests::fake_telegram::BotEventKind;

use crate::harness::{Harness, Options, all_data, eventually, examples};
use crate::journey::{EN, RU, Words, expect_report, expected};

/// Walks to question 3 (portfolio size); returns the question message.
async fn to_portfolio_question(chat: &mut crate::harness::Chat<'_>, words: &Words) -> i32 {
    chat.send_file(&examples().join("adobe-stock/activity-2025-q3.csv"));
    let first = chat.expect_text(&(words.question)(1)).await;
    let message = first.message_id().expect("question");
    chat.press(message, "a:ct:photo");
    chat.expect_text(&(words.question)(2)).await;
    chat.press(message, "a:p:2025-08");
    chat.expect_text(&(words.question)(3)).await;
    message
}

async fn bad_answers(words: &Words, hints: [&str; 5]) {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor(words.code);
    to_portfolio_question(&mut chat, words).await;
    // Not a number, a fraction for a count, a number beyond reason.
    chat.say("about a thousand");
    let hint = chat.expect_text(hints[0]).await;
    assert!(
        hint.visible_text()
            .is_some_and(|t| t.contains(&(words.question)(3))),
        "the same question again: {:?}",
        hint.visible_text()
    );
    chat.say("1,5");
    chat.expect_text(hints[0]).await;
    chat.say("123456789012");
    chat.expect_text(hints[1]).await;
    chat.say("1 000");
    let fourth = chat.expect_text(&(words.question)(4)).await;
    // Typing where a button is expected.
    chat.say("per month");
    let again = chat.expect_text(hints[2]).await;
    assert!(
        again
            .visible_text()
            .is_some_and(|t| t.contains(&(words.question)(4)))
    );
    let message = again.message_id().expect("question");
    assert_ne!(
        Some(message),
        fourth.message_id(),
        "asked again at the bottom"
    );
    chat.press(message, "skip");
    chat.expect_text(&(words.question)(5)).await;
    chat.say("-5");
    chat.expect_text(hints[0]).await;
    chat.say("12");
    chat.expect_text(&(words.question)(6)).await;
    chat.say("lots");
    chat.expect_text(hints[3]).await;
    chat.say("120%");
    chat.expect_text(hints[4]).await;
    chat.say("72,5");
    chat.expect_text(words.processing).await;
    let expected = crate::journey::Expected {
        // August 2025 only, photos only: what the example holds for that month.
        sales: august_photo_sales(),
        parser: "adobe-stock".into(),
    };
    expect_report(&mut chat, words, &expected).await;
    chat.assert_clean();
    let user = chat.record().await;
    let analysis = &harness
        .store
        .analyses_of_user(user.id, 1)
        .await
        .expect("analyses")[0];
    let answers: serde_json::Value = serde_json::from_str(&analysis.answers).expect("json");
    assert_eq!(answers["portfolio_size"], 1000);
    assert_eq!(answers["uploads_in_period"], 12);
    assert_eq!(answers["acceptance_rate"], 72.5);
    assert_eq!(answers["period"], "2025-08");
    assert_eq!(answers["content_type"], "photo");
    assert!(answers.get("upload_limit").is_none(), "skipped: {answers}");
    harness.finish().await;
}

/// Photo sales of August 2025 in the Adobe example, counted from the file itself.
fn august_photo_sales() -> i64 {
    let text = std::fs::read_to_string(examples().join("adobe-stock/activity-2025-q3.csv"))
        .expect("example");
    text.lines()
        .filter(|l| {
            l.trim_start_matches('\u{feff}').starts_with("2025-08") && l.contains(",photos,")
        })
        .count() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_answers_get_hints_in_english() {
    bad_answers(
        &EN,
        [
            "is not a whole number",
            "more than I can count",
            "Please choose with the buttons",
            "is not a percentage",
            "outside 0–100%",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_answers_get_hints_in_russian() {
    bad_answers(
        &RU,
        [
            "не целое число",
            "слишком большое число",
            "Выберите ответ кнопками",
            "не процент",
            "вне диапазона",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancel_by_button_and_by_command_discards_the_file() {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("en");
    let message = to_portfolio_question(&mut chat, &EN).await;
    let user = chat.record().await;
    assert_eq!(
        harness
            .store
            .uploads_of_user(user.id)
            .await
            .expect("uploads")
            .len(),
        1
    );
    chat.press(message, "cancel");
    let cancelled = chat.expect_text("Cancelled. The file was discarded").await;
    assert!(
        all_data(&cancelled).contains(&"m:analytics".to_owned()),
        "the menu follows"
    );
    assert!(
        harness
            .store
            .uploads_of_user(user.id)
            .await
            .expect("uploads")
            .is_empty()
    );
    assert!(
        harness
            .store
            .dialogue(chat.id())
            .await
            .expect("dialogue")
            .is_none()
    );
    // The old question's buttons are dead now.
    chat.say("/cancel");
    chat.expect_text("There is nothing to cancel").await;

    to_portfolio_question(&mut chat, &EN).await;
    chat.say("/cancel");
    chat.expect_text("Cancelled. The file was discarded").await;
    assert!(
        harness
            .store
            .uploads_of_user(user.id)
            .await
            .expect("uploads")
            .is_empty()
    );
    // No quota was spent on either.
    let usage = harness.store.quota_usage(user.id).await.expect("usage");
    assert_eq!(usage.reserved + usage.consumed, 0);
    chat.assert_clean();
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_forgotten_request_expires_and_says_so() {
    let harness = Harness::start(Options {
        flow_ttl: Duration::from_secs(2),
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("ru");
    to_portfolio_question(&mut chat, &RU).await;
    let expired = chat.expect_text("Запрос истёк").await;
    assert!(matches!(expired.kind, BotEventKind::Edit { .. }));
    assert!(
        expired.buttons().is_empty(),
        "no buttons on an expired request"
    );
    let user = chat.record().await;
    let store = harness.store.clone();
    eventually(
        "the expired request's file is discarded",
        Duration::from_secs(10),
        || {
            let store = store.clone();
            async move {
                store
                    .uploads_of_user(user.id)
                    .await
                    .is_ok_and(|u| u.is_empty())
            }
        },
    )
    .await
    .expect("discarded");
    // A typed answer now is not taken as an answer.
    chat.say("1000");
    chat.expect_text("Пришлите файл выгрузки").await;
    chat.assert_clean();
    harness.finish().await;
}

/// The detected marketplace is wrong: the contributor picks another, the file is read again as
/// that marketplace's, and the report is made with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn choosing_another_marketplace_reads_the_file_again() {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("en");
    let file = examples().join("generic/sales-2025-11.csv");
    chat.send_file(&file);
    let first = chat.expect_text("Question 1 of 6").await;
    let message = first.message_id().expect("question");
    chat.press(message, "a:mk?");
    let choose = chat
        .expect_text("Which marketplace is this file from?")
        .await;
    let data = all_data(&choose);
    assert!(data.contains(&"a:mk:adobe-stock".to_owned()), "{data:?}");
    // Adobe's reader reads no row of a generic table: said, and the choice is offered again.
    chat.press(message, "a:mk:adobe-stock");
    let refused = chat
        .expect_text("Too many rows of this file cannot be read (11 of 11)")
        .await;
    assert!(all_data(&refused).contains(&"a:mk:generic".to_owned()));
    chat.press(message, "a:mk:generic");
    let again = chat.expect_text("Question 1 of 6").await;
    assert!(
        again.visible_text().is_some_and(|t| t.contains("generic")),
        "{:?}",
        again.visible_text()
    );
    chat.assert_clean();
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_file_nobody_recognises_offers_the_marketplaces_and_the_guide() {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("en");
    chat.send_bytes(
        "notes.txt",
        b"Dear diary,\ntoday I sold nothing.\n".to_vec(),
    );
    let unknown = chat.expect_text("could not recognise this file").await;
    let text = unknown.visible_text().unwrap_or_default();
    assert!(text.contains("https://example.org/plugins"), "{text}");
    let data = all_data(&unknown);
    assert!(data.contains(&"a:mk:freepik".to_owned()), "{data:?}");
    assert!(data.contains(&"cancel".to_owned()), "{data:?}");
    chat.assert_clean();
    let expected = expected(&examples().join("freepik/assets_report_05_2026.csv"));
    assert_eq!(expected.parser, "freepik");
    harness.finish().await;
}
