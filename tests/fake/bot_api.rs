//! Sending: the checks Telegram makes on what the bot sends, and what the fake records.

use stocklens_tests::fake_telegram::{BotEventKind, Button};
use teloxide::{
    ApiError, RequestError,
    prelude::*,
    types::{
        InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageEntityKind, MessageId,
        ParseMode, UpdateKind,
    },
};

use crate::helpers::{WAIT, bot, start_unlimited};

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        InlineKeyboardButton::callback("Adobe Stock", data.to_owned()),
        InlineKeyboardButton::url("Help", "https://example.org/help".parse().unwrap()),
    ]])
}

#[tokio::test]
async fn html_message_is_parsed_and_recorded() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let dana = fake.user(2001, "Dana", Some("en"));

    let text =
        "<b>Report</b> for 😀 <i>Dana</i> &amp; <a href=\"https://x.org/?a=1&amp;b=2\">co</a>";
    let sent = bot
        .send_message(ChatId(dana.id), text)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard("market:adobe"))
        .await
        .unwrap();
    assert_eq!(sent.text(), Some("Report for 😀 Dana & co"));
    let entities = sent.entities().unwrap();
    assert_eq!(entities[0].kind, MessageEntityKind::Bold);
    // Offsets count UTF-16 units: the emoji is two.
    assert_eq!(
        (entities[1].kind.clone(), entities[1].offset),
        (MessageEntityKind::Italic, 14)
    );
    assert!(
        matches!(&entities[2].kind, MessageEntityKind::TextLink { url } if url.as_str() == "https://x.org/?a=1&b=2")
    );
    assert_eq!(
        sent.from.as_ref().unwrap().id.0,
        fake.config().bot_id as u64
    );
    assert!(sent.reply_markup().is_some());

    let events = fake.events(dana.id);
    let [event] = events.as_slice() else {
        panic!("{events:?}")
    };
    let BotEventKind::Message {
        message_id,
        text: raw,
        visible_text,
        parse_mode,
        buttons,
        ..
    } = &event.kind
    else {
        panic!("{event:?}")
    };
    assert_eq!(*message_id, sent.id.0);
    assert_eq!(raw, text);
    assert_eq!(visible_text, "Report for 😀 Dana & co");
    assert_eq!(parse_mode.as_deref(), Some("HTML"));
    assert_eq!(
        buttons,
        &vec![vec![
            Button {
                text: "Adobe Stock".into(),
                callback_data: Some("market:adobe".into()),
                url: None
            },
            Button {
                text: "Help".into(),
                callback_data: None,
                url: Some("https://example.org/help".into())
            },
        ]]
    );
}

#[tokio::test]
async fn unclosed_html_tag_is_refused_and_logged() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let erin = fake.user(2002, "Erin", None);
    let error = bot
        .send_message(ChatId(erin.id), "<b>Total: 42")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap_err();
    let RequestError::Api(ApiError::CantParseEntities(description)) = &error else {
        panic!("{error:?}")
    };
    assert!(
        description.contains("Can't find end tag corresponding to start tag \"b\""),
        "{description}"
    );

    let events = fake.events(erin.id);
    assert!(
        matches!(&events[0].kind, BotEventKind::Rejected { method, error_code: 400, .. } if method == "sendMessage"),
        "{events:?}"
    );
    for bad in ["1 < 2", "a > b", "R&D", "<br>", "<b><i>x</b></i>"] {
        let result = bot
            .send_message(ChatId(erin.id), bad)
            .parse_mode(ParseMode::Html)
            .await;
        assert!(
            matches!(
                result,
                Err(RequestError::Api(ApiError::CantParseEntities(_)))
            ),
            "{bad}: {result:?}"
        );
    }
    // Without a parse mode the same characters are plain text.
    bot.send_message(ChatId(erin.id), "1 < 2 & R&D")
        .await
        .unwrap();
}

#[tokio::test]
async fn text_length_is_counted_in_utf16_units() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let finn = fake.user(2003, "Finn", None);
    let error = bot
        .send_message(ChatId(finn.id), "a".repeat(4097))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::MessageIsTooLong)),
        "{error:?}"
    );
    bot.send_message(ChatId(finn.id), "😀".repeat(2048))
        .await
        .unwrap();
    let error = bot
        .send_message(ChatId(finn.id), "😀".repeat(2049))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::MessageIsTooLong)),
        "{error:?}"
    );
    // Markup does not count, only what remains visible.
    bot.send_message(ChatId(finn.id), format!("<b>{}</b>", "a".repeat(4096)))
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    let error = bot
        .send_message(ChatId(finn.id), "<b> </b>")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::MessageTextIsEmpty)),
        "{error:?}"
    );
}

#[tokio::test]
async fn callback_data_over_64_bytes_is_refused() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let gus = fake.user(2004, "Gus", None);
    let error = bot
        .send_message(ChatId(gus.id), "Pick one")
        .reply_markup(keyboard(&"x".repeat(65)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::ButtonDataInvalid)),
        "{error:?}"
    );
    // 64 bytes of two-byte characters is fine; 33 of them is not.
    bot.send_message(ChatId(gus.id), "Pick one")
        .reply_markup(keyboard(&"é".repeat(32)))
        .await
        .unwrap();
    let error = bot
        .send_message(ChatId(gus.id), "Pick one")
        .reply_markup(keyboard(&"é".repeat(33)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::ButtonDataInvalid)),
        "{error:?}"
    );
}

#[tokio::test]
async fn edits_replace_content_and_identical_ones_are_not_modified() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let hana = fake.user(2005, "Hana", Some("ja"));
    let chat = ChatId(hana.id);
    let sent = bot
        .send_message(chat, "Analyzing…")
        .reply_markup(keyboard("cancel"))
        .await
        .unwrap();

    let error = bot
        .edit_message_text(chat, sent.id, "Analyzing…")
        .reply_markup(keyboard("cancel"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::MessageNotModified)),
        "{error:?}"
    );

    // Same text without the keyboard is a change: it removes the keyboard.
    let edited = bot
        .edit_message_text(chat, sent.id, "Analyzing…")
        .await
        .unwrap();
    assert!(edited.reply_markup().is_none());
    assert!(edited.edit_date().is_some());

    let edited = bot
        .edit_message_text(chat, sent.id, "<b>Done</b>")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    assert_eq!(edited.text(), Some("Done"));
    bot.edit_message_reply_markup(chat, sent.id)
        .reply_markup(keyboard("again"))
        .await
        .unwrap();
    let error = bot
        .edit_message_reply_markup(chat, sent.id)
        .reply_markup(keyboard("again"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::MessageNotModified)),
        "{error:?}"
    );

    let state = fake.message(hana.id, sent.id.0).unwrap();
    assert_eq!(state.visible_text.as_deref(), Some("Done"));
    assert_eq!(state.buttons[0][0].callback_data.as_deref(), Some("again"));
    assert!(state.edited);

    let error = bot
        .edit_message_text(chat, MessageId(999), "x")
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::MessageToEditNotFound)),
        "{error:?}"
    );

    bot.delete_message(chat, sent.id).await.unwrap();
    assert!(fake.message(hana.id, sent.id.0).is_none());
    let error = bot.delete_message(chat, sent.id).await.unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::MessageToDeleteNotFound)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_pressed_button_reaches_the_bot_and_its_answer_is_recorded() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let ivan = fake.user(2006, "Ivan", Some("ru"));
    let sent = bot
        .send_message(ChatId(ivan.id), "Which marketplace?")
        .reply_markup(keyboard("market:adobe"))
        .await
        .unwrap();
    assert!(
        fake.press(&ivan, sent.id.0, "market:nope").is_err(),
        "only buttons on screen can be pressed"
    );
    let query_id = fake.press(&ivan, sent.id.0, "market:adobe").unwrap();

    let updates = bot.get_updates().timeout(5).await.unwrap();
    let UpdateKind::CallbackQuery(query) = &updates[0].kind else {
        panic!("{updates:?}")
    };
    assert_eq!(query.id.0, query_id);
    assert_eq!(query.data.as_deref(), Some("market:adobe"));
    assert_eq!(query.from.id.0, ivan.id as u64);
    let message = query
        .regular_message()
        .expect("the bot's message comes with the query");
    assert_eq!(message.id, sent.id);
    assert_eq!(message.text(), Some("Which marketplace?"));
    assert!(!fake.callback_answered(&query_id));

    bot.answer_callback_query(query.id.clone())
        .text("Adobe Stock it is")
        .await
        .unwrap();
    assert!(fake.callback_answered(&query_id));
    let events = fake
        .wait_for(ivan.id, WAIT, |e| e.len() >= 2)
        .await
        .unwrap();
    assert!(matches!(
        &events[1].kind,
        BotEventKind::CallbackAnswer { text: Some(text), show_alert: false, .. } if text == "Adobe Stock it is"
    ));

    // Telegram's wording has "query ID"; teloxide only knows "query id", so it is Unknown.
    let error = bot
        .answer_callback_query(query.id.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, RequestError::Api(ApiError::Unknown(d)) if d.contains("query ID is invalid")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_sent_document_keeps_its_bytes_name_and_caption() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let jane = fake.user(2007, "Jane", None);
    let report: Vec<u8> = b"<html><body>report</body></html>".repeat(10_000);
    let sent = bot
        .send_document(
            ChatId(jane.id),
            InputFile::memory(report.clone()).file_name("report.html"),
        )
        .caption("<b>Your report</b> is ready")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard("report:again"))
        .await
        .unwrap();
    assert_eq!(sent.caption(), Some("Your report is ready"));
    let document = sent.document().unwrap();
    assert_eq!(document.file_name.as_deref(), Some("report.html"));

    let events = fake.next_event(jane.id, 0, WAIT).await.unwrap();
    let BotEventKind::Document {
        file_name,
        mime_type,
        bytes,
        caption,
        buttons,
        ..
    } = &events.kind
    else {
        panic!("{events:?}")
    };
    assert_eq!(file_name.as_deref(), Some("report.html"));
    assert_eq!(mime_type.as_deref(), Some("text/html"));
    assert_eq!(bytes.as_ref(), report.as_slice());
    assert_eq!(caption.as_deref(), Some("<b>Your report</b> is ready"));
    assert_eq!(buttons[0][0].callback_data.as_deref(), Some("report:again"));

    // Re-sending by file_id reuses the stored file.
    bot.send_document(
        ChatId(jane.id),
        InputFile::file_id(document.file.id.clone()),
    )
    .await
    .unwrap();
    let error = bot
        .send_document(
            ChatId(jane.id),
            InputFile::memory(b"x".to_vec()).file_name("a.csv"),
        )
        .caption("c".repeat(1025))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, RequestError::Api(ApiError::Unknown(d)) if d == "Bad Request: message caption is too long"),
        "{error:?}"
    );
}

#[tokio::test]
async fn chat_actions_and_commands_are_recorded() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let kim = fake.user(2008, "Kim", None);
    bot.send_chat_action(ChatId(kim.id), teloxide::types::ChatAction::UploadDocument)
        .await
        .unwrap();
    let event = fake.next_event(kim.id, 0, WAIT).await.unwrap();
    assert!(
        matches!(&event.kind, BotEventKind::ChatAction { action } if action == "upload_document")
    );

    let commands = vec![
        teloxide::types::BotCommand::new("start", "Start over"),
        teloxide::types::BotCommand::new("help", "How it works"),
    ];
    bot.set_my_commands(commands.clone()).await.unwrap();
    assert_eq!(fake.commands().len(), 2);
    assert_eq!(fake.commands()[1].command, "help");
    assert_eq!(bot.get_my_commands().await.unwrap(), commands);
    bot.set_my_commands(vec![teloxide::types::BotCommand::new("start", "Начать")])
        .language_code("ru")
        .await
        .unwrap();
    assert_eq!(
        bot.get_my_commands().await.unwrap().len(),
        2,
        "other languages keep their list"
    );
    let error = bot
        .set_my_commands(vec![teloxide::types::BotCommand::new("Start!", "x")])
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::Unknown(_))),
        "{error:?}"
    );
}
