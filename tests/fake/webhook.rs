//! Webhooks: the fake POSTs updates to the bot, retrying until it answers 2xx.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use stocklens_tests::fake_telegram::SECRET_HEADER;
use teloxide::{
    ApiError, RequestError,
    prelude::*,
    types::{Update, UpdateKind},
};
use tokio::sync::mpsc;

use crate::helpers::{WAIT, bot, start_unlimited};

struct Receiver {
    calls: AtomicUsize,
    deliveries: mpsc::UnboundedSender<(Option<String>, Bytes)>,
}

/// Refuses the first delivery with 500, accepts the rest.
async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    if receiver.calls.fetch_add(1, Ordering::SeqCst) == 0 {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let secret = headers
        .get(SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let _ = receiver.deliveries.send((secret, body));
    StatusCode::OK
}

#[tokio::test]
async fn webhook_receives_updates_with_the_secret_and_retries_failures() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let (deliveries, mut delivered) = mpsc::unbounded_channel();
    let receiver = Arc::new(Receiver {
        calls: AtomicUsize::new(0),
        deliveries,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(receiver.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    bot.set_webhook(url.parse().unwrap())
        .secret_token("s3cret_token".to_owned())
        .await
        .unwrap();
    let error = bot.get_updates().await.unwrap_err();
    assert!(
        matches!(error, RequestError::Api(ApiError::Unknown(ref d)) if d.starts_with("Conflict: can't use getUpdates")),
        "{error:?}"
    );

    let quinn = fake.user(4001, "Quinn", Some("en"));
    fake.send_text(&quinn, "/start");
    fake.send_text(&quinn, "second");
    let mut texts = Vec::new();
    for _ in 0..2 {
        let (secret, body) = tokio::time::timeout(WAIT, delivered.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(secret.as_deref(), Some("s3cret_token"));
        let update: Update = serde_json::from_slice(&body).unwrap();
        let UpdateKind::Message(message) = update.kind else {
            panic!("{update:?}")
        };
        texts.push(message.text().unwrap().to_owned());
    }
    assert_eq!(
        texts,
        ["/start", "second"],
        "one chat's updates keep their order across retries"
    );
    assert_eq!(receiver.calls.load(Ordering::SeqCst), 3);

    let info = bot.get_webhook_info().await.unwrap();
    assert_eq!(info.url.map(|u| u.to_string()), Some(url));
    assert_eq!(info.pending_update_count, 0);
    assert_eq!(fake.stats().webhook_failures, 1);

    bot.delete_webhook().await.unwrap();
    fake.send_text(&quinn, "polling again");
    let updates = bot.get_updates().timeout(5).await.unwrap();
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{updates:?}")
    };
    assert_eq!(message.text(), Some("polling again"));
}
