//! Telegram's limits: flood control, blocked users, file sizes.

use std::time::Duration;

use stocklens_tests::fake_telegram::{BotEventKind, FakeConfig, RateLimit};
use teloxide::{
    ApiError, RequestError,
    prelude::*,
    types::{InputFile, UpdateKind},
};

use crate::helpers::{bot, start, start_unlimited};

#[tokio::test]
async fn exceeding_the_chat_rate_gets_429_with_retry_after() {
    let fake = start(FakeConfig {
        chat_rate: Some(RateLimit {
            burst: 2,
            per_second: 0.5,
        }),
        global_rate: None,
        ..FakeConfig::default()
    });
    let bot = bot(&fake);
    let lea = fake.user(3001, "Lea", None);
    let other = fake.user(3002, "Other", None);
    bot.send_message(ChatId(lea.id), "one").await.unwrap();
    bot.send_message(ChatId(lea.id), "two").await.unwrap();
    let error = bot.send_message(ChatId(lea.id), "three").await.unwrap_err();
    let RequestError::RetryAfter(after) = error else {
        panic!("{error:?}")
    };
    assert_eq!(after.duration(), Duration::from_secs(2));
    // Edits count too; another chat has its own bucket; chat actions are free.
    let error = bot
        .edit_message_text(ChatId(lea.id), teloxide::types::MessageId(1), "uno")
        .await
        .unwrap_err();
    assert!(matches!(error, RequestError::RetryAfter(_)), "{error:?}");
    bot.send_chat_action(ChatId(lea.id), teloxide::types::ChatAction::Typing)
        .await
        .unwrap();
    bot.send_message(ChatId(other.id), "hello").await.unwrap();

    let rejected: Vec<_> = fake
        .events(lea.id)
        .into_iter()
        .filter_map(|e| match e.kind {
            BotEventKind::Rejected {
                error_code,
                description,
                ..
            } => Some((error_code, description)),
            _ => None,
        })
        .collect();
    assert_eq!(
        rejected[0],
        (429, "Too Many Requests: retry after 2".to_owned())
    );
    assert_eq!(fake.stats().rejections_by_code.get(&429), Some(&2));

    fake.set_chat_rate(None);
    bot.send_message(ChatId(lea.id), "three, finally")
        .await
        .unwrap();
}

#[tokio::test]
async fn the_global_rate_spans_chats() {
    let fake = start(FakeConfig {
        chat_rate: None,
        global_rate: Some(RateLimit {
            burst: 3,
            per_second: 1.0,
        }),
        ..FakeConfig::default()
    });
    let bot = bot(&fake);
    let users: Vec<_> = (0..4).map(|i| fake.user(3100 + i, "U", None)).collect();
    for user in &users[..3] {
        bot.send_message(ChatId(user.id), "hi").await.unwrap();
    }
    let error = bot
        .send_message(ChatId(users[3].id), "hi")
        .await
        .unwrap_err();
    assert!(matches!(error, RequestError::RetryAfter(_)), "{error:?}");
}

#[tokio::test]
async fn a_bot_that_waits_out_retry_after_gets_through() {
    // Faster than the chat allows: the fake refuses with 429 and a `retry_after` that, waited
    // out, lets the next attempt through (as `stocklens::bot::call` does).
    let fake = start(FakeConfig {
        chat_rate: Some(RateLimit {
            burst: 1,
            per_second: 0.5,
        }),
        global_rate: None,
        ..FakeConfig::default()
    });
    let bot = bot(&fake);
    let mia = fake.user(3003, "Mia", None);
    for i in 0..3 {
        let mut attempts = 0;
        loop {
            match bot.send_message(ChatId(mia.id), format!("part {i}")).await {
                Ok(_) => break,
                Err(RequestError::RetryAfter(after)) if attempts < 3 => {
                    attempts += 1;
                    tokio::time::sleep(after.duration()).await;
                }
                Err(err) => panic!("part {i}: {err}"),
            }
        }
    }
    let events = fake.events(mia.id);
    let delivered = events
        .iter()
        .filter(|e| matches!(e.kind, BotEventKind::Message { .. }))
        .count();
    let refused = events.iter().filter(|e| e.is_rejected()).count();
    assert_eq!(delivered, 3);
    assert!(
        refused >= 1,
        "the fake should have pushed back at least once: {events:?}"
    );
}

#[tokio::test]
async fn a_blocked_user_gives_bot_blocked() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let ned = fake.user(3004, "Ned", None);
    let sent = bot.send_message(ChatId(ned.id), "hi").await.unwrap();
    fake.block(ned.id).unwrap();
    let error = bot
        .send_message(ChatId(ned.id), "still there?")
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::BotBlocked)),
        "{error:?}"
    );
    let error = bot
        .edit_message_text(ChatId(ned.id), sent.id, "edited")
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::BotBlocked)),
        "{error:?}"
    );
    let error = bot
        .send_chat_action(ChatId(ned.id), teloxide::types::ChatAction::Typing)
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::BotBlocked)),
        "{error:?}"
    );
    fake.unblock(ned.id).unwrap();
    bot.send_message(ChatId(ned.id), "welcome back")
        .await
        .unwrap();

    let error = bot
        .send_message(ChatId(999_999), "nobody")
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::ChatNotFound)),
        "{error:?}"
    );
}

#[tokio::test]
async fn get_file_refuses_documents_over_the_download_limit() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let olga = fake.user(3005, "Olga", None);
    fake.send_document(&olga, "huge.csv", "text/csv", vec![b'x'; 25 * 1024 * 1024]);
    let updates = bot.get_updates().timeout(5).await.unwrap();
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{updates:?}")
    };
    let document = message.document().unwrap();
    assert_eq!(document.file.size, 25 * 1024 * 1024);
    let error = bot.get_file(document.file.id.clone()).await.unwrap_err();
    assert!(
        matches!(&error, RequestError::Api(ApiError::Unknown(d)) if d == "Bad Request: file is too big"),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_upload_over_the_limit_is_request_entity_too_large() {
    let fake = start(FakeConfig {
        max_upload_bytes: 1024 * 1024,
        ..FakeConfig::unlimited()
    });
    let bot = bot(&fake);
    let pia = fake.user(3006, "Pia", None);
    let error = bot
        .send_document(
            ChatId(pia.id),
            InputFile::memory(vec![b'y'; 1536 * 1024]).file_name("big.html"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::RequestEntityTooLarge)),
        "{error:?}"
    );
    bot.send_document(
        ChatId(pia.id),
        InputFile::memory(vec![b'y'; 1000 * 1024]).file_name("ok.html"),
    )
    .await
    .unwrap();
}
