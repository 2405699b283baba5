//! The control API over HTTP, as an out-of-process load generator uses it.

use serde_json::{Value, json};
use stocklens_tests::fake_telegram::{BotEvent, BotEventKind, MessageState, Stats};
use teloxide::{
    prelude::*,
    types::{InlineKeyboardButton, InlineKeyboardMarkup, UpdateKind},
};

use crate::helpers::{bot, http, start_unlimited};

#[tokio::test]
async fn control_api_round_trip_over_http() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let http = http();
    let base = fake.api_url().to_owned();

    let user: Value = http
        .post(format!("{base}/control/users"))
        .json(
            &json!({ "id": 5001, "first_name": "Rosa", "username": "rosa", "language_code": "es" }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(user["id"], 5001);

    let sent: Value = http
        .post(format!("{base}/control/messages"))
        .json(&json!({ "user_id": 5001, "text": "hola" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sent["message_id"], 1);
    let updates = bot.get_updates().timeout(5).await.unwrap();
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{updates:?}")
    };
    assert_eq!(message.text(), Some("hola"));
    assert_eq!(message.chat.username(), Some("rosa"));
    let offset = updates[0].id.as_offset();

    // The bot answers; a waiting events request sees it.
    let events = tokio::spawn({
        let http = http.clone();
        let url = format!("{base}/control/events/5001?after=0&wait_ms=5000");
        async move {
            http.get(url)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    });
    let keyboard =
        InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback("Sí", "yes")]]);
    let reply = bot
        .send_message(ChatId(5001), "¿Analizamos?")
        .reply_markup(keyboard)
        .await
        .unwrap();
    let events = events.await.unwrap();
    assert_eq!(events["next"], 1);
    let events: Vec<BotEvent> = serde_json::from_value(events["events"].clone()).unwrap();
    assert!(
        matches!(&events[0].kind, BotEventKind::Message { visible_text, .. } if visible_text == "¿Analizamos?")
    );
    // The message was offered before the bot answered it, on the same clock, to the microsecond.
    let offered = sent["at_ms"].as_f64().expect("the offer time");
    assert!(
        events[0].at.as_secs_f64() * 1000.0 >= offered,
        "{sent} {events:?}"
    );

    let state: MessageState = http
        .get(format!("{base}/control/messages/5001/{}", reply.id.0))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state.buttons[0][0].callback_data.as_deref(), Some("yes"));

    let pressed: Value = http
        .post(format!("{base}/control/callbacks"))
        .json(&json!({ "user_id": 5001, "message_id": reply.id.0, "data": "yes" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let query_id = pressed["callback_query_id"].as_str().unwrap().to_owned();
    let missing = http
        .post(format!("{base}/control/callbacks"))
        .json(&json!({ "user_id": 5001, "message_id": reply.id.0, "data": "no" }))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 422);

    let updates = bot.get_updates().offset(offset).timeout(5).await.unwrap();
    let UpdateKind::CallbackQuery(query) = &updates[0].kind else {
        panic!("{updates:?}")
    };
    bot.answer_callback_query(query.id.clone()).await.unwrap();
    let answered: Value = http
        .get(format!("{base}/control/callbacks/{query_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answered["answered"], true);
    let offset = updates[0].id.as_offset();

    let csv = b"date,title,earnings\n2024-01-02,Sunset,0.33\n".to_vec();
    let uploaded = http
        .post(format!(
            "{base}/control/documents?user_id=5001&file_name=sales.csv"
        ))
        .body(csv.clone())
        .send()
        .await
        .unwrap();
    assert!(uploaded.status().is_success());
    let updates = bot.get_updates().offset(offset).timeout(5).await.unwrap();
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{updates:?}")
    };
    let document = message.document().unwrap();
    assert_eq!(
        document
            .mime_type
            .as_ref()
            .map(|m| m.essence_str().to_owned())
            .as_deref(),
        Some("text/csv")
    );

    let pending: Value = http
        .get(format!("{base}/control/pending"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pending["pending_updates"], 1);
    let blocked = http
        .post(format!("{base}/control/block/5001"))
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), 204);
    assert!(bot.send_message(ChatId(5001), "x").await.is_err());
    http.delete(format!("{base}/control/block/5001"))
        .send()
        .await
        .unwrap();
    http.put(format!("{base}/control/chat-rate"))
        .json(&json!({ "burst": 1, "per_second": 0.001 }))
        .send()
        .await
        .unwrap();
    bot.send_message(ChatId(5001), "one").await.unwrap();
    assert!(matches!(
        bot.send_message(ChatId(5001), "two").await,
        Err(teloxide::RequestError::RetryAfter(_))
    ));

    let stats: Stats = http
        .get(format!("{base}/control/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats.requests.get("sendMessage"), Some(&4));
    assert_eq!(stats.rejections_by_code.get(&403), Some(&1));
    assert_eq!(stats.rejections_by_code.get(&429), Some(&1));
}
