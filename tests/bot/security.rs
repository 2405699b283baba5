//! One contributor against another, through the real bot over real HTTP: buttons carry no
//! trust (a forged one reveals and changes nothing of anybody else's), and every string that
//! comes from a file reaches Telegram and the HTML report escaped.

use stocklens::store::{Analysis, AnalysisStatus};
use stocklens_tests::fake_telegram::{BotEvent, BotEventKind};

use crate::harness::{Chat, Harness, Options, STEP, all_data, eventually, examples};
use crate::journey::{EN, answer_everything, expect_report, expected};

/// What the victim's report and chat show, and the attacker must never see.
const VICTIM_SECRETS: &[&str] = &[
    "Sales:",
    "activity-2025-q3",
    "Coffee cup",
    "Adobe Stock export",
    "DSC_0412",
    "Jane Doe",
];

/// Presses forged `data` on `message` in the attacker's chat and returns the toast the bot
/// answered the press with (`None` for a silent answer).
async fn forge(chat: &mut Chat<'_>, message: i32, data: &str) -> Option<String> {
    let query = chat
        .fake()
        .press_forged(&chat.user, message, data)
        .unwrap_or_else(|e| panic!("forged press {data:?}: {e:#}"));
    let answer = chat
        .expect(&format!("the answer to the forged {data:?}"), |e| {
            matches!(&e.kind, BotEventKind::CallbackAnswer { callback_query_id, .. } if *callback_query_id == query)
        })
        .await;
    match answer.kind {
        BotEventKind::CallbackAnswer { text, .. } => text,
        _ => unreachable!(),
    }
}

/// Nothing the bot sent was refused by Telegram, but for "message is not modified": Telegram's
/// answer to editing a message into what it already shows (the same forged button pressed
/// twice), which the bot takes as done.
fn assert_no_refusal(chat: &Chat<'_>) {
    let events = chat.fake().events(chat.id());
    let refused: Vec<&BotEvent> = events
        .iter()
        .filter(|e| match &e.kind {
            BotEventKind::Rejected { description, .. } => {
                !description.contains("message is not modified")
            }
            _ => false,
        })
        .collect();
    assert!(refused.is_empty(), "Telegram refused calls: {refused:#?}");
}

async fn analyses(harness: &Harness, user_id: i64) -> Vec<Analysis> {
    harness
        .store
        .analyses_of_user(user_id, 100)
        .await
        .expect("analyses")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_buttons_reveal_and_change_nothing_of_another_contributor() {
    let harness = Harness::start(Options::default()).await;
    harness
        .store
        .set_plan_analyses("TEST_PRO", 100)
        .await
        .expect("a plan with room for two analyses");

    // The victim has a report, and a second file waiting at its first question.
    let mut victim = harness.contributor("en");
    let file = examples().join("adobe-stock/activity-2025-q3.csv");
    answer_everything(&mut victim, &EN, &file).await;
    expect_report(&mut victim, &EN, &expected(&file)).await;
    victim.send_file(&file);
    let open_question = victim.expect_text(&(EN.question)(1)).await;
    let victim_user = victim.record().await;
    let victim_id = victim_user.id;
    let h = &harness;
    eventually("the victim's analysis is done", STEP, move || async move {
        analyses(h, victim_id)
            .await
            .iter()
            .all(|a| a.status == AnalysisStatus::Done)
    })
    .await
    .expect("done");
    let victim_analyses = analyses(&harness, victim_user.id).await;
    let victim_report = victim_analyses[0].id;
    let victim_flow = harness
        .store
        .dialogue(victim.id())
        .await
        .expect("dialogue")
        .expect("the victim's open question");
    let victim_uploads = harness
        .store
        .uploads_of_user(victim_user.id)
        .await
        .expect("uploads");
    let victim_events = harness.fake.events(victim.id()).len();

    let mut attacker = harness.contributor("en");
    attacker.say("/start");
    let menu = attacker.expect_text("Stocklens turns").await;
    let message = menu.message_id().expect("the menu");
    let first_attack = attacker.seen;

    // A report id: the victim's, its neighbours (ids are sequential) and ids of nothing.
    let not_available = Some("This report is not available.".to_owned());
    let mut report_ids: Vec<String> = (victim_report - 3..=victim_report + 3)
        .map(|id| format!("r:{id}"))
        .collect();
    report_ids.extend([
        format!("r:+{victim_report}"),
        format!("r:{:0>20}", victim_report),
        "r:0".into(),
        "r:-1".into(),
        format!("r:{}", i64::MAX),
    ]);
    for data in &report_ids {
        assert_eq!(
            forge(&mut attacker, message, data).await,
            not_available,
            "{data}: the one neutral refusal, whether the report is someone else's or nobody's"
        );
    }

    // Pages of "My reports" show the attacker's own (none), whatever the offset.
    for data in ["rp:0", "rp:1", "rp:7", &format!("rp:{}", u32::MAX)] {
        assert_eq!(forge(&mut attacker, message, data).await, None, "{data}");
    }
    assert!(
        harness.fake.events(attacker.id())[first_attack..]
            .iter()
            .any(|e| e
                .visible_text()
                .is_some_and(|t| t.contains("You have no reports yet"))),
        "the attacker's own (empty) list"
    );

    // Answers to a question the attacker was never asked (the victim's is open), a language
    // and a menu that do not exist, malformed and oversized data: all refused as stale.
    let stale = Some("This question is no longer active.".to_owned());
    for data in [
        "a:ct:all",
        "a:p:all",
        "a:p:2025-07",
        "a:mk?",
        "a:mk:adobe-stock",
        "a:lim:month",
        "skip",
        "cancel",
    ] {
        assert_eq!(forge(&mut attacker, message, data).await, stale, "{data}");
    }
    let oversized_id = format!("r:{}", "9".repeat(1000));
    let oversized = "x".repeat(4096);
    for data in [
        "",
        ":",
        "r:",
        "r:1:2",
        "r:0x10",
        "r: 1",
        "r:\u{ff11}",
        "rp:-1",
        "rp:99999999999",
        "l:xx",
        "l:<b>",
        "l:en;DROP TABLE users",
        "m:admin",
        "m:plan:PRO",
        "a:ct:<script>",
        "\u{0}",
        "ü",
        oversized_id.as_str(),
        oversized.as_str(),
    ] {
        assert_eq!(
            forge(&mut attacker, message, data).await,
            Some("This question is no longer active.".to_owned()),
            "{data:?}"
        );
    }

    // Nothing of the victim's reached the attacker.
    let events = harness.fake.events(attacker.id());
    let attacks: &[BotEvent] = &events[first_attack..];
    assert!(
        !attacks
            .iter()
            .any(|e| matches!(e.kind, BotEventKind::Document { .. })),
        "no document reached the attacker"
    );
    for event in attacks {
        let text = event.visible_text().unwrap_or_default();
        for secret in VICTIM_SECRETS {
            assert!(
                !text.contains(secret),
                "{secret:?} reached the attacker: {event:#?}"
            );
        }
        let data = all_data(event);
        assert!(
            !data.contains(&format!("r:{victim_report}")),
            "the victim's report offered to the attacker: {data:?}"
        );
    }
    assert_no_refusal(&attacker);
    let attacker_user = attacker.record().await;
    assert!(analyses(&harness, attacker_user.id).await.is_empty());
    assert!(
        harness
            .store
            .uploads_of_user(attacker_user.id)
            .await
            .expect("uploads")
            .is_empty()
    );
    assert_eq!(attacker_user.plan, victim_user.plan, "no plan was changed");

    // And nothing of the victim's changed: the open question, the record, the history, the
    // uploads, the chat.
    assert_eq!(
        harness.store.dialogue(victim.id()).await.expect("dialogue"),
        Some(victim_flow),
        "the victim's open question is untouched"
    );
    assert_eq!(victim.record().await, victim_user);
    assert_eq!(analyses(&harness, victim_user.id).await, victim_analyses);
    assert_eq!(
        harness
            .store
            .uploads_of_user(victim_user.id)
            .await
            .expect("uploads"),
        victim_uploads
    );
    assert_eq!(
        harness.fake.events(victim.id()).len(),
        victim_events,
        "nothing was sent to the victim's chat"
    );

    // The victim's question still works for the victim.
    let question = open_question.message_id().expect("the question");
    victim.press(question, "a:ct:all");
    victim.expect_text(&(EN.question)(2)).await;
    victim.assert_clean();
    harness.finish().await;
}

/// A title and a file name made of markup: they must show as text everywhere.
const HOSTILE: &str = "<script>alert(1)</script> <b>bold</b> Tom & Jerry";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_titles_and_file_names_are_escaped_in_messages_and_the_report() {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("en");
    // The example export, and two sales of an asset with the hostile title that make it the
    // best seller, so the report shows the title.
    let mut csv =
        std::fs::read(examples().join("adobe-stock/activity-2025-q3.csv")).expect("the example");
    let title = HOSTILE.replace('"', "\"\"");
    for day in ["01", "02"] {
        csv.extend_from_slice(
            format!(
                "2025-07-{day}T10:00:00+00:00,1001,\"{title}\",custom,$99.00,photos,a.jpg,Jane,XXL\n"
            )
            .as_bytes(),
        );
    }
    let name = format!("{HOSTILE}.csv");
    chat.send_bytes(&name, csv);
    let received = chat.expect_text("Reading").await;
    assert!(
        received.visible_text().is_some_and(|t| t.contains(&name)),
        "the file name shows literally: {received:#?}"
    );
    let first = chat.expect_text(&(EN.question)(1)).await;
    let question = first.message_id().expect("the question");
    for data in ["a:ct:all", "a:p:all", "skip", "skip", "skip", "skip"] {
        chat.press(question, data);
        chat.expect("the next step", |e| {
            matches!(
                e.kind,
                BotEventKind::Edit { .. } | BotEventKind::Message { .. }
            )
        })
        .await;
    }
    chat.expect_text("Sales: 42").await;
    let document = chat.expect_document().await;
    let BotEventKind::Document { bytes, .. } = &document.kind else {
        unreachable!()
    };
    let html = String::from_utf8_lossy(bytes);
    assert!(
        !html.to_lowercase().contains("<script"),
        "no script tag at all"
    );
    assert!(!html.contains("<b>bold</b>"), "no markup from the file");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title shows, escaped"
    );
    assert!(html.contains("Tom &amp; Jerry"), "a bare & is escaped");

    // Every message was valid Telegram HTML (the fake refuses anything else: assert_clean),
    // and none carries the file's markup as markup.
    chat.assert_clean();
    let events = harness.fake.events(chat.id());
    for event in &events {
        let raw = match &event.kind {
            BotEventKind::Message { text, .. } => Some(text.as_str()),
            BotEventKind::Edit { text, .. } => text.as_deref(),
            BotEventKind::Document { caption, .. } => caption.as_deref(),
            _ => None,
        };
        if let Some(raw) = raw {
            assert!(
                !raw.contains("<script") && !raw.contains("<b>bold") && !raw.contains("Tom & "),
                "unescaped file text sent to Telegram: {raw}"
            );
        }
        if let Some(visible) = event.visible_text()
            && visible.contains("Tom")
        {
            assert!(visible.contains(HOSTILE), "shown literally: {visible}");
        }
    }
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_two_megabyte_cell_is_refused_with_the_reason() {
    let harness = Harness::start(Options {
        worker: false,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("en");
    let mut csv =
        std::fs::read(examples().join("adobe-stock/activity-2025-q3.csv")).expect("the example");
    csv.extend_from_slice(b"2025-07-01T10:00:00+00:00,1001,\"");
    csv.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    csv.extend_from_slice(b"\",subscription,$0.99,photos,a.jpg,Jane,XXL\n");
    chat.send_bytes("activity.csv", csv);
    chat.expect_text(
        "The Adobe Stock reader cannot read this file: the row is longer than 1024 KiB",
    )
    .await;
    chat.assert_clean();
    harness.finish().await;
}
