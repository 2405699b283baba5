//! Telegram's message rates, kept by this process: about one message a second in a chat (with
//! short bursts) and a configured number per second overall (30 for a bot without paid
//! broadcasts, up to 1,000 with them).
//!
//! A message goes out at once while both limits allow it and waits exactly as long as they
//! require otherwise. (teloxide's `Throttle` adaptor, used before, looked at its queue every
//! 250 ms, so every message waited 0-250 ms even on an idle bot: decision 46.) Only sends of
//! messages count; edits, callback answers, chat actions and file downloads go out at once, as
//! Telegram rates them separately. A 429 that gets through anyway is waited out by
//! [`super::call`].

use std::num::NonZeroU32;
use std::time::Instant;

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use teloxide::types::ChatId;

/// Messages a chat may get in a burst before one a second applies.
pub const CHAT_BURST: u32 = 3;
/// Messages per second overall unless configured (Telegram's limit without paid broadcasts).
pub const DEFAULT_OVERALL_PER_SEC: u32 = 30;
/// Most messages per second overall Telegram allows a bot (with paid broadcasts).
pub const MAX_OVERALL_PER_SEC: u32 = 1000;
/// Chats remembered before those that can send at full burst again are forgotten.
const CHATS_KEPT: usize = 10_000;

/// The limits on sending messages, shared by every task of the process.
pub struct Pace {
    per_chat: DefaultKeyedRateLimiter<i64>,
    overall: DefaultDirectRateLimiter,
    overall_per_sec: u32,
}

impl std::fmt::Debug for Pace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pace")
            .field("overall_per_sec", &self.overall_per_sec)
            .finish_non_exhaustive()
    }
}

impl Pace {
    /// One message a second per chat after a burst of [`CHAT_BURST`], and `overall_per_sec`
    /// (clamped to 1..=[`MAX_OVERALL_PER_SEC`]) over all chats, with a burst of one second's
    /// worth.
    pub fn new(overall_per_sec: u32) -> Pace {
        let overall_per_sec = overall_per_sec.clamp(1, MAX_OVERALL_PER_SEC);
        let per_chat = Quota::per_second(NonZeroU32::MIN)
            .allow_burst(NonZeroU32::new(CHAT_BURST).unwrap_or(NonZeroU32::MIN));
        let overall =
            Quota::per_second(NonZeroU32::new(overall_per_sec).unwrap_or(NonZeroU32::MIN));
        Pace {
            per_chat: RateLimiter::keyed(per_chat),
            overall: RateLimiter::direct(overall),
            overall_per_sec,
        }
    }

    /// Messages per second allowed over all chats.
    pub fn overall_per_sec(&self) -> u32 {
        self.overall_per_sec
    }

    /// Waits until a message may go to `chat`: its own limit first, so a busy chat never holds
    /// a slot of the overall limit it cannot use yet.
    pub async fn before_message(&self, chat: ChatId) {
        let start = Instant::now();
        if self.per_chat.len() > CHATS_KEPT {
            self.per_chat.retain_recent();
        }
        self.per_chat.until_key_ready(&chat.0).await;
        self.overall.until_ready().await;
        metrics::histogram!("stocklens_send_wait_seconds").record(start.elapsed().as_secs_f64());
    }
}

/// Whether a Bot API method sends a message (and so counts against the limits): `sendMessage`,
/// `sendDocument`, `sendPhoto`, ... and copies and forwards; not `sendChatAction`.
pub fn is_message(method: &str) -> bool {
    (method.starts_with("Send") && method != "SendChatAction")
        || method == "CopyMessage"
        || method == "ForwardMessage"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn sends_count_and_the_rest_do_not() {
        for method in ["SendMessage", "SendDocument", "SendPhoto", "CopyMessage"] {
            assert!(is_message(method), "{method}");
        }
        for method in [
            "SendChatAction",
            "EditMessageText",
            "AnswerCallbackQuery",
            "GetFile",
            "GetUpdates",
        ] {
            assert!(!is_message(method), "{method}");
        }
    }

    /// teloxide's payload names are what `is_message` reads.
    #[test]
    fn payload_names_are_the_method_names() {
        use teloxide::payloads::{EditMessageText, SendChatAction, SendDocument, SendMessage};
        use teloxide::requests::Payload;
        assert!(is_message(SendMessage::NAME));
        assert!(is_message(SendDocument::NAME));
        assert!(!is_message(SendChatAction::NAME));
        assert!(!is_message(EditMessageText::NAME));
    }

    #[tokio::test]
    async fn a_burst_goes_at_once_and_the_next_waits_about_a_second() {
        let pace = Pace::new(30);
        let chat = ChatId(42);
        let start = Instant::now();
        for _ in 0..CHAT_BURST {
            pace.before_message(chat).await;
        }
        // The burst is used up for this chat, not for another, and not overall.
        assert!(pace.per_chat.check_key(&42).is_err());
        assert!(pace.per_chat.check_key(&43).is_ok());
        assert!(pace.overall.check().is_ok());
        pace.before_message(chat).await;
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(900),
            "the next message in the same second waited only {waited:?}"
        );
    }

    #[tokio::test]
    async fn the_overall_limit_holds_across_chats() {
        let pace = Pace::new(5);
        let start = Instant::now();
        for chat in 0..5 {
            pace.before_message(ChatId(chat)).await;
        }
        assert!(pace.overall.check().is_err(), "five a second are used up");
        // After the burst, one every 200 ms.
        pace.before_message(ChatId(5)).await;
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(150),
            "six sends took {took:?}"
        );
        assert_eq!(Pace::new(0).overall_per_sec(), 1);
        assert_eq!(Pace::new(5_000).overall_per_sec(), MAX_OVERALL_PER_SEC);
    }
}
