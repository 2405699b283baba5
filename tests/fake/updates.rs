//! Receiving: getMe, long polling, offsets, and files users upload.

use std::time::{Duration, Instant};

use teloxide::{
    ApiError, RequestError,
    net::Download,
    prelude::*,
    types::{MediaKind, MessageEntityKind, MessageKind, UpdateKind},
};

use crate::helpers::{WAIT, bot, bot_with_token, http, start_unlimited};

#[tokio::test]
async fn get_me_describes_the_configured_bot() {
    let fake = start_unlimited();
    let me = bot(&fake).get_me().await.unwrap();
    assert_eq!(me.id.0, fake.config().bot_id as u64);
    assert!(me.is_bot);
    assert_eq!(me.username(), fake.config().bot_username);
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let fake = start_unlimited();
    let error = bot_with_token(&fake, "42:wrong")
        .get_me()
        .await
        .unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::InvalidToken)),
        "{error:?}"
    );
}

#[tokio::test]
async fn long_poll_wakes_for_an_injected_command_with_its_entity() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let alice = fake.user(1001, "Alice", Some("en"));

    let poll = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(30).await }
    });
    // Give the poll time to start waiting; if it has not, it finds the update queued instead,
    // and the assertions hold either way.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    fake.send_text(&alice, "/start ref_42");
    let updates = tokio::time::timeout(WAIT, poll)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the poll slept instead of waking"
    );

    let [update] = updates.as_slice() else {
        panic!("expected one update, got {updates:?}")
    };
    let UpdateKind::Message(message) = &update.kind else {
        panic!("not a message: {update:?}")
    };
    assert_eq!(message.chat.id.0, alice.id);
    assert_eq!(message.text(), Some("/start ref_42"));
    let from = message.from.as_ref().unwrap();
    assert_eq!(from.language_code.as_deref(), Some("en"));
    let entities = message.entities().unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].kind, MessageEntityKind::BotCommand);
    assert_eq!((entities[0].offset, entities[0].length), (0, 6));

    // Not confirmed yet: asked again, Telegram answers the same update.
    let again = bot.get_updates().await.unwrap();
    assert_eq!(again[0].id, update.id);
    // Confirmed by a higher offset.
    let after = bot
        .get_updates()
        .offset(update.id.as_offset())
        .await
        .unwrap();
    assert!(after.is_empty());
    assert_eq!(fake.pending_updates(), 0);
}

#[tokio::test]
async fn an_empty_long_poll_waits_for_its_timeout() {
    let fake = start_unlimited();
    let started = Instant::now();
    let updates = bot(&fake).get_updates().timeout(1).await.unwrap();
    assert!(updates.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_second_poller_terminates_the_first() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let first = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(20).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = bot.get_updates().timeout(0).await;
    assert!(second.is_ok());
    let error = tokio::time::timeout(WAIT, first)
        .await
        .unwrap()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            error,
            RequestError::Api(ApiError::TerminatedByOtherGetUpdates)
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_uploaded_document_downloads_byte_for_byte() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let bob = fake.user(1002, "Bob", None);
    let csv: Vec<u8> = (0..200_000u32)
        .flat_map(|i| format!("{i},photo,0.33\n").into_bytes())
        .collect();
    fake.send_document(&bob, "adobe sales.csv", "text/csv", csv.clone());

    let updates = bot.get_updates().timeout(5).await.unwrap();
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{updates:?}")
    };
    let MessageKind::Common(common) = &message.kind else {
        panic!("{message:?}")
    };
    let MediaKind::Document(document) = &common.media_kind else {
        panic!("{common:?}")
    };
    assert_eq!(
        document.document.file_name.as_deref(),
        Some("adobe sales.csv")
    );
    assert_eq!(
        document
            .document
            .mime_type
            .as_ref()
            .map(|m| m.essence_str().to_owned()),
        Some("text/csv".to_owned())
    );
    assert_eq!(document.document.file.size as usize, csv.len());

    let file = bot
        .get_file(document.document.file.id.clone())
        .await
        .unwrap();
    assert!(
        file.path.contains('/'),
        "Telegram's file paths have a folder: {}",
        file.path
    );
    // teloxide sends the path as one segment, `/` encoded as %2F.
    let mut downloaded = Vec::new();
    bot.download_file(&file.path, &mut downloaded)
        .await
        .unwrap();
    assert_eq!(downloaded, csv);
    // A plain `/` works too.
    let url = format!(
        "{}/file/bot{}/{}",
        fake.api_url(),
        fake.config().token,
        file.path
    );
    let plain = http().get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(plain.as_ref(), csv.as_slice());
}

#[tokio::test]
async fn photos_and_stickers_arrive_as_their_media_kinds() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let carol = fake.user(1003, "Carol", Some("de"));
    fake.send_photo(&carol);
    fake.send_sticker(&carol);
    let updates = bot.get_updates().timeout(5).await.unwrap();
    let kinds: Vec<_> = updates
        .iter()
        .map(|u| match &u.kind {
            UpdateKind::Message(Message {
                kind: MessageKind::Common(common),
                ..
            }) => match &common.media_kind {
                MediaKind::Photo(_) => "photo",
                MediaKind::Sticker(_) => "sticker",
                _ => "other media",
            },
            _ => "not a message",
        })
        .collect();
    assert_eq!(kinds, ["photo", "sticker"]);
}
