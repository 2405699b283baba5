//! The Bot API over plain HTTP, in the spellings teloxide does not use: query strings, GET,
//! form bodies, any case of the method name, unknown methods.

use serde_json::{Value, json};

use crate::helpers::{http, start_unlimited};

#[tokio::test]
async fn parameters_arrive_in_any_encoding_and_method_names_in_any_case() {
    let fake = start_unlimited();
    let uma = fake.user(7001, "Uma", None);
    let base = format!("{}/bot{}", fake.api_url(), fake.config().token);
    let http = http();

    let me: Value = http
        .get(format!("{base}/getme"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["result"]["username"], fake.config().bot_username);

    let by_query: Value = http
        .get(format!(
            "{base}/SENDMESSAGE?chat_id={}&text=by%20query",
            uma.id
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_query["result"]["text"], "by query");

    let by_form: Value = http
        .post(format!("{base}/sendMessage"))
        .form(&[
            ("chat_id", uma.id.to_string()),
            ("text", "by form".to_owned()),
            (
                "reply_markup",
                json!({"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}).to_string(),
            ),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        by_form["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "go"
    );

    let by_json: Value = http
        .post(format!("{base}/sendMessage"))
        .json(&json!({ "chat_id": uma.id.to_string(), "text": "by json", "unknown_field": [1, 2] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_json["result"]["message_id"], 3);

    let unknown = http
        .post(format!("{base}/sendPigeon"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 404, "description": "Not Found" })
    );

    let unauthorized = http
        .post(format!("{}/bot1:nope/getMe", fake.api_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), 401);
    assert_eq!(fake.stats().requests.get("sendMessage"), Some(&3));
}
