//! Injected transient failures: the connection dropped mid-call, or a gateway error.

use serde_json::Value;
use stocklens_tests::fake_telegram::FailKind;
use teloxide::{RequestError, prelude::*};

use crate::helpers::{bot, http, start_unlimited};

#[tokio::test]
async fn a_reset_drops_the_connection_once_and_has_no_effect() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let sam = fake.user(6001, "Sam", None);
    fake.fail_next("SendMessage", 1, FailKind::Reset);
    let error = bot.send_message(ChatId(sam.id), "lost").await.unwrap_err();
    assert!(matches!(error, RequestError::Network(_)), "{error:?}");
    bot.send_message(ChatId(sam.id), "delivered").await.unwrap();
    let messages: Vec<_> = fake
        .events(sam.id)
        .into_iter()
        .filter(|e| !e.is_rejected())
        .collect();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].visible_text(), Some("delivered"));
}

// Through plain HTTP: teloxide sleeps 10 s before returning any 5xx answer.
#[tokio::test]
async fn an_injected_status_answers_a_bot_api_error() {
    let fake = start_unlimited();
    let tia = fake.user(6002, "Tia", None);
    fake.fail_next("sendMessage", 2, FailKind::Status(502));
    let url = format!("{}/bot{}/sendMessage", fake.api_url(), fake.config().token);
    let http = http();
    for expected in [502, 502, 200] {
        let response = http
            .post(&url)
            .form(&[("chat_id", tia.id.to_string()), ("text", "hi".to_owned())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["ok"], expected == 200);
    }
    assert_eq!(fake.stats().rejections_by_code.get(&502), Some(&2));
}
