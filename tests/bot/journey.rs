//! The happy path: /start, the menu, a file, every question answered, the report delivered;
//! for each marketplace's example, in both languages, on both databases, by polling and by
//! webhook.

use std::path::Path;

use stocklens::report::model::Lang;
use stocklens_tests::fake_telegram::BotEventKind;

use crate::harness::{Chat, Db, Harness, Options, all_data, examples};

/// Words the journey looks for, per language.
pub struct Words {
    pub lang: Lang,
    pub code: &'static str,
    pub question: fn(u32) -> String,
    pub processing: &'static str,
    pub sales: &'static str,
}

pub const EN: Words = Words {
    lang: Lang::En,
    code: "en",
    question: |n| format!("Question {n} of 6"),
    processing: "Processing started",
    sales: "Sales: ",
};

pub const RU: Words = Words {
    lang: Lang::Ru,
    code: "ru",
    question: |n| format!("Вопрос {n} из 6"),
    processing: "Обработка началась",
    sales: "Продажи: ",
};

/// The expected summary of an example file.
pub struct Expected {
    pub sales: i64,
    pub parser: String,
}

pub fn expected(file: &Path) -> Expected {
    let path = format!("{}.expected.json", file.display());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("expected JSON");
    Expected {
        sales: json["sales"].as_i64().expect("sales"),
        parser: json["files"][0]["marketplace"]
            .as_str()
            .expect("marketplace")
            .to_owned(),
    }
}

/// Sends `file` and answers every question (typing numbers in the contributor's way), up to
/// "processing started"; returns the question message's id.
pub async fn answer_everything(chat: &mut Chat<'_>, words: &Words, file: &Path) -> i32 {
    answer_all_but_the_last(chat, words, file).await;
    chat.say("65%");
    let started = chat.expect_text(words.processing).await;
    started.message_id().expect("processing message")
}

/// [`answer_everything`] but the last question, which is left asked.
pub async fn answer_all_but_the_last(chat: &mut Chat<'_>, words: &Words, file: &Path) {
    chat.send_file(file);
    let first = chat.expect_text(&(words.question)(1)).await;
    let message = first.message_id().expect("the question is a message");
    let data = all_data(&first);
    assert!(data.contains(&"a:ct:all".to_owned()), "{data:?}");
    assert!(
        data.contains(&"a:mk?".to_owned()),
        "other marketplace offered: {data:?}"
    );
    assert!(data.contains(&"cancel".to_owned()), "{data:?}");
    chat.press(message, "a:ct:all");
    let second = chat.expect_text(&(words.question)(2)).await;
    let periods = all_data(&second);
    assert!(periods.contains(&"a:p:all".to_owned()), "{periods:?}");
    assert!(
        periods.iter().any(|d| d.len() == "a:p:2025-07".len()),
        "a month of the file is offered: {periods:?}"
    );
    chat.press(message, "a:p:all");
    chat.expect_text(&(words.question)(3)).await;
    chat.say("1 250");
    let fourth = chat.expect_text(&(words.question)(4)).await;
    assert_eq!(
        fourth.message_id(),
        Some(message),
        "a right answer moves the question on in place"
    );
    chat.press(message, "a:lim:month");
    chat.expect_text(&(words.question)(4)).await;
    chat.say("500");
    chat.expect_text(&(words.question)(5)).await;
    chat.say("40");
    chat.expect_text(&(words.question)(6)).await;
}

/// Waits for the summary and the report document and checks them against the example's
/// expected summary.
pub async fn expect_report(chat: &mut Chat<'_>, words: &Words, expected: &Expected) {
    let sales = format!("{}{}", words.sales, count(expected.sales, words.lang));
    let summary = chat.expect_text(&sales).await;
    assert!(matches!(summary.kind, BotEventKind::Message { .. }));
    let document = chat.expect_document().await;
    let BotEventKind::Document {
        bytes,
        caption,
        file_name,
        ..
    } = &document.kind
    else {
        unreachable!()
    };
    let html = String::from_utf8_lossy(bytes);
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..html.len().min(200)]
    );
    assert!(
        html.contains(&format!("lang=\"{}\"", words.code)),
        "report in the contributor's language"
    );
    assert!(
        caption.as_deref().is_some_and(|c| c.contains("Stocklens")),
        "{caption:?}"
    );
    assert!(
        file_name.as_deref().is_some_and(|n| n.ends_with(".html")),
        "{file_name:?}"
    );
    let data = all_data(&document);
    for wanted in ["m:reports", "m:analytics", "m:home"] {
        assert!(
            data.contains(&wanted.to_owned()),
            "{wanted} under the report: {data:?}"
        );
    }
}

fn count(n: i64, lang: Lang) -> String {
    stocklens::bot::words::count(i128::from(n), lang)
}

async fn whole_journey(db: Db, words: &Words) {
    let harness = Harness::start(Options {
        db,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor(words.code);
    chat.say("/start");
    let welcome = chat
        .expect_text(&chat.lexicon_prefix(words.lang, "start.welcome"))
        .await;
    let welcome_text = welcome.visible_text().unwrap_or_default().to_owned();
    assert!(
        welcome_text.contains("TEST_PRO"),
        "the new user's plan: {welcome_text}"
    );
    let menu = all_data(&welcome);
    for item in [
        "m:analytics",
        "m:reports",
        "m:plan",
        "m:markets",
        "m:howto",
        "m:help",
    ] {
        assert!(menu.contains(&item.to_owned()), "{item} in {menu:?}");
    }
    let welcome_id = welcome.message_id().expect("welcome message");
    chat.press(welcome_id, "m:analytics");
    let ask = chat.expect_text("Adobe Stock").await;
    assert!(
        ask.visible_text()
            .is_some_and(|t| t.contains("Envato") && t.contains("Freepik")),
        "where to download each export: {:?}",
        ask.visible_text()
    );
    let file = examples().join("adobe-stock/activity-2025-q3.csv");
    let expected = expected(&file);
    let found = match words.lang {
        Lang::En => "Adobe Stock export: 40 sales, Jul\u{a0}2025 – Sep\u{a0}2025",
        Lang::Ru => "Выгрузка Adobe Stock: продаж — 40, июль\u{a0}2025 – сентябрь\u{a0}2025",
    };
    let mut probe = Chat {
        harness: &harness,
        user: chat.user.clone(),
        seen: chat.seen,
    };
    answer_everything(&mut chat, words, &file).await;
    probe.expect_text(found).await;
    expect_report(&mut chat, words, &expected).await;
    chat.assert_clean();

    // The analysis is stored done, with the answers the contributor gave.
    let user = chat.record().await;
    let analyses = harness
        .store
        .analyses_of_user(user.id, 10)
        .await
        .expect("analyses");
    assert_eq!(analyses.len(), 1);
    let answers: serde_json::Value = serde_json::from_str(&analyses[0].answers).expect("answers");
    assert_eq!(answers["portfolio_size"], 1250);
    assert_eq!(answers["uploads_in_period"], 40);
    assert_eq!(answers["acceptance_rate"], 65.0);
    assert_eq!(answers["upload_limit"]["count"], 500);
    assert_eq!(answers["lang"], words.code);
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn english_journey_on_sqlite() {
    whole_journey(Db::Sqlite, &EN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn russian_journey_on_postgres() {
    whole_journey(Db::Postgres, &RU).await;
}

/// Every marketplace's example files, each by its own contributor, in turn.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_marketplace_example_makes_a_report() {
    let harness = Harness::start(Options::default()).await;
    // Every example of every marketplace, however many there are: examples/<marketplace>/<file>.
    let mut files: Vec<_> = std::fs::read_dir(examples())
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|dir| dir.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).expect("example dir"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.to_string_lossy().ends_with(".json"))
        .collect();
    files.sort();
    assert!(files.len() >= 13, "{files:?}");
    for (i, file) in files.iter().enumerate() {
        let words = if i % 2 == 0 { &EN } else { &RU };
        let mut chat = harness.contributor(words.code);
        let expected = expected(file);
        answer_everything(&mut chat, words, file).await;
        expect_report(&mut chat, words, &expected).await;
        chat.assert_clean();
        let name = harness
            .store
            .analyses_of_user(chat.record().await.id, 1)
            .await
            .expect("analyses");
        assert!(
            name[0]
                .answers
                .contains(&format!("\"marketplace\":\"{}\"", expected.parser)),
            "{}: {}",
            file.display(),
            name[0].answers
        );
    }
    harness.finish().await;
}

/// An Adobe Stock export the contributor opened and saved in Excel: dates are Excel date-times,
/// royalties are dollar-formatted numbers. It goes the whole way like the CSV.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_excel_workbook_makes_a_report() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let harness = Harness::start(Options::default()).await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let dollars = Format::new().set_num_format("$#,##0.00");
    let header = [
        "Date",
        "Asset ID",
        "Title",
        "License",
        "Royalty",
        "Media Type",
        "Original File Name",
        "Contributor",
        "Size",
    ];
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).expect("header");
    }
    let sales = [
        (
            (2025, 8, 3, 21, 14, 7),
            612004581.0,
            "Coffee cup, morning light",
            0.33,
        ),
        (
            (2025, 8, 17, 8, 2, 51),
            612118823.0,
            "Aerial view of a road",
            7.8,
        ),
        (
            (2025, 9, 26, 17, 45, 30),
            605332910.0,
            "Lemons \"summer\" pattern",
            0.38,
        ),
    ];
    for (index, ((y, mo, d, h, mi, s), asset, title, royalty)) in sales.into_iter().enumerate() {
        let row = index as u32 + 1;
        let date = ExcelDateTime::from_ymd(y, mo, d)
            .and_then(|date| date.and_hms(h, mi, s))
            .expect("a real moment");
        sheet
            .write_datetime_with_format(row, 0, &date, &when)
            .expect("date");
        sheet.write_number(row, 1, asset).expect("asset");
        sheet.write_string(row, 2, title).expect("title");
        sheet.write_string(row, 3, "subscription").expect("license");
        sheet
            .write_number_with_format(row, 4, royalty, &dollars)
            .expect("royalty");
        sheet.write_string(row, 5, "photos").expect("media");
        sheet
            .write_string(row, 6, format!("IMG_{row}.jpg"))
            .expect("file name");
        sheet.write_string(row, 7, "Jane Doe").expect("contributor");
        sheet.write_string(row, 8, "XXL").expect("size");
    }
    let dir = tempfile::tempdir().expect("scratch directory");
    let file = dir.path().join("Adobe activity.xlsx");
    std::fs::write(&file, book.save_to_buffer().expect("workbook")).expect("written");

    let mut chat = harness.contributor("en");
    let mut probe = Chat {
        harness: &harness,
        user: chat.user.clone(),
        seen: chat.seen,
    };
    answer_everything(&mut chat, &EN, &file).await;
    probe
        .expect_text("Adobe Stock export: 3 sales, Aug\u{a0}2025 – Sep\u{a0}2025")
        .await;
    let expected = Expected {
        sales: 3,
        parser: "adobe-stock".into(),
    };
    expect_report(&mut chat, &EN, &expected).await;
    chat.assert_clean();
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_bot_works_behind_a_webhook() {
    let harness = Harness::start(Options {
        webhook: true,
        ..Options::default()
    })
    .await;
    let mut chat = harness.contributor("en");
    chat.say("/start");
    chat.expect_text("Stocklens turns").await;
    let file = examples().join("envato-market/statement-2026-05.csv");
    let expected = expected(&file);
    answer_everything(&mut chat, &EN, &file).await;
    expect_report(&mut chat, &EN, &expected).await;
    chat.assert_clean();
    harness.finish().await;
}

/// /language switches the bot's language for good; the menu items answer in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn language_switch_and_menu_items() {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("en");
    chat.say("/language");
    let choose = chat.expect_text("Choose the language").await;
    chat.press(choose.message_id().expect("message"), "l:ru");
    let set = chat.expect_text("по-русски").await;
    let menu = set.message_id().expect("menu");
    chat.press(menu, "m:plan");
    let plan = chat.expect_text("Ваш тариф: TEST_PRO").await;
    assert!(
        plan.visible_text()
            .is_some_and(|t| t.contains("Осталось анализов"))
    );
    chat.press(menu, "m:home");
    chat.expect_text("Что вы хотите сделать?").await;
    chat.press(menu, "m:markets");
    let markets = chat.expect_text("Поддерживаемые площадки").await;
    let text = markets.visible_text().unwrap_or_default();
    for name in [
        "Adobe Stock",
        "iStock / Getty Images",
        "Freepik",
        "Envato Market",
        "Shutterstock",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
    chat.press(menu, "m:home");
    chat.expect_text("Что вы хотите сделать?").await;
    chat.press(menu, "m:howto");
    chat.expect_text("Где скачать выгрузку").await;
    chat.press(menu, "m:home");
    chat.expect_text("Что вы хотите сделать?").await;
    chat.press(menu, "m:help");
    chat.expect_text("Как работает Stocklens").await;
    chat.say("/plan");
    chat.expect_text("Ваш тариф").await;
    chat.say("hello");
    chat.expect_text("Пришлите файл выгрузки").await;
    // The bot's command menu exists in both languages.
    let commands = harness.fake.commands();
    assert!(
        commands.iter().any(|c| c.command == "reports"),
        "{commands:?}"
    );
    chat.assert_clean();
    harness.finish().await;
}

/// An operator's lexicon override reaches contributors without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lexicon_overrides_apply_without_a_restart() {
    let harness = Harness::start(Options::default()).await;
    let mut chat = harness.contributor("en");
    chat.say("hello");
    chat.expect_text("Send me an export file").await;
    harness
        .store
        .set_lexicon_override(
            "en",
            "misc.unknown_text",
            "Just send the <b>CSV</b>, please.",
        )
        .await
        .expect("override");
    // The bot reloads overrides every 200 ms in this harness.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    chat.say("hello again");
    chat.expect_text("Just send the CSV, please.").await;
    chat.assert_clean();
    harness.finish().await;
}
