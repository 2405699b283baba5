//! Structural scale, not speed: thousands of users answered concurrently all get through.

use std::collections::HashSet;

use stocklens_tests::fake_telegram::BotEventKind;
use teloxide::{prelude::*, types::UpdateKind};
use tokio::task::JoinSet;

use crate::helpers::{bot, start_unlimited};

const USERS: i64 = 2000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_users_are_answered_concurrently() {
    let fake = start_unlimited();
    let bot = bot(&fake);
    let users: Vec<_> = (0..USERS)
        .map(|i| fake.user(100_000 + i, &format!("User {i}"), Some("en")))
        .collect();
    for user in &users {
        fake.send_text(user, "/start");
    }

    let mut chats = Vec::new();
    let mut offset = 0;
    while chats.len() < USERS as usize {
        let updates = bot.get_updates().offset(offset).timeout(5).await.unwrap();
        assert!(!updates.is_empty(), "updates stopped after {}", chats.len());
        for update in &updates {
            let UpdateKind::Message(message) = &update.kind else {
                panic!("{update:?}")
            };
            chats.push(message.chat.id);
            offset = update.id.as_offset();
        }
    }
    assert_eq!(chats.iter().collect::<HashSet<_>>().len(), USERS as usize);

    let mut replies = JoinSet::new();
    for chat in chats {
        let bot = bot.clone();
        replies.spawn(async move { bot.send_message(chat, "Send me your sales export").await });
    }
    let mut sent = 0;
    while let Some(reply) = replies.join_next().await {
        reply.unwrap().unwrap();
        sent += 1;
    }
    assert_eq!(sent, USERS);
    for user in &users {
        let events = fake.events(user.id);
        assert!(
            matches!(events.as_slice(), [e] if matches!(e.kind, BotEventKind::Message { .. })),
            "{events:?}"
        );
    }
    assert_eq!(
        fake.stats().requests.get("sendMessage"),
        Some(&(USERS as u64))
    );
}
