//! A simulated contributor who does not give up easily: sends an export, then answers whatever
//! question the bot shows now (not a script of steps, so a bot restarted mid-dialogue, a
//! question asked twice or an answer lost all end the same way), presses again when nothing
//! moves for a while, and sends the file again when the bot, alive, forgot it. Done once the
//! bot says processing started: the upload is accepted.
//!
//! What counts here is only what the contributor sees in the fake Telegram; the invariants
//! check the rest.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use stocklens_tests::fake_telegram::{BotEvent, BotEventKind, FakeTelegram, SimUser};

/// The answer a contributor gives to each kind of question, by the button it shows: all
/// content, the whole period, and skip for the optional facts.
const ANSWERS: &[&str] = &["a:ct:all", "a:p:all", "skip"];

/// How long nothing may move after a press before the contributor presses again: long enough
/// for a restarted bot to come back and handle the first press, so presses rarely double.
const PATIENCE: Duration = Duration::from_secs(15);

/// How long after sending the file the contributor waits for its first question, once the bot
/// has said something else (an error, or "reading" and then nothing), before sending it again.
const RESEND_AFTER: Duration = Duration::from_secs(20);

/// How long after sending the file the contributor, having heard nothing at all, sends it again:
/// the bot may have taken the file and died before saying anything (Telegram does not offer
/// an update again once the bot asked for the next ones).
const SILENT_RESEND_AFTER: Duration = Duration::from_secs(45);

/// Presses of one question without anything moving before the contributor gives up on it and
/// sends the file again: the bot refuses it as stale when it is at another question than the
/// one on screen (its step was saved, the edit showing the next question never made it).
const STUCK_AFTER_PRESSES: usize = 3;

/// Sends of one file at most.
const MAX_SENDS: usize = 4;

/// How one contributor's upload went.
#[derive(Debug)]
pub struct Outcome {
    pub user: SimUser,
    pub file: String,
    /// The bot said processing started (or answered the upload already).
    pub accepted: bool,
    /// Times the file was sent.
    pub sends: usize,
    /// Times it was sent again because the bot had said nothing at all about it.
    pub silent_resends: usize,
    /// Times it was sent again because the question on screen stayed refused as stale.
    pub stuck_resends: usize,
    /// Why it was not accepted.
    pub note: Option<String>,
}

/// The example exports contributors send: one per marketplace, small, each with its expected
/// summary in `examples/`.
pub fn files() -> Vec<PathBuf> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    [
        "adobe-stock/activity-2025-q3.csv",
        "envato-market/statement-2026-05.csv",
        "freepik/assets_report_05_2026.csv",
        "shutterstock/2026_5_earnings_by_month.csv",
        "istock-getty/202603-123456-connect.txt",
        "adobe-stock/activity-with-header.csv",
    ]
    .iter()
    .map(|f| examples.join(f))
    .collect()
}

/// Whether the bot said processing started (either language).
pub fn acknowledged(events: &[BotEvent]) -> bool {
    events.iter().any(|e| {
        e.visible_text()
            .is_some_and(|t| t.contains("Processing started") || t.contains("Обработка началась"))
    })
}

/// A report: the HTML document.
pub fn is_report(event: &BotEvent) -> bool {
    matches!(&event.kind, BotEventKind::Document { bytes, .. } if bytes.starts_with(b"<!DOCTYPE html>"))
}

/// A worker's notice that an analysis failed for good: a new message offering a new analysis
/// and the menu (the contributors here never open "My reports", the other place with them).
pub fn is_failure_notice(event: &BotEvent) -> bool {
    if !matches!(event.kind, BotEventKind::Message { .. }) {
        return false;
    }
    let data: Vec<&str> = event
        .buttons()
        .iter()
        .flatten()
        .filter_map(|b| b.callback_data.as_deref())
        .collect();
    data == ["m:analytics", "m:home"]
}

/// The question on screen now: the newest of the bot's messages that shows an answer button,
/// with its text (which tells questions on the same message apart) and the answer to press.
fn current_question(
    fake: &FakeTelegram,
    chat: i64,
    events: &[BotEvent],
) -> Option<(i32, String, &'static str)> {
    let mut looked = Vec::new();
    for event in events.iter().rev() {
        let BotEventKind::Message { message_id, .. } = event.kind else {
            continue;
        };
        if looked.contains(&message_id) {
            continue;
        }
        looked.push(message_id);
        if looked.len() > 4 {
            break;
        }
        let Some(state) = fake.message(chat, message_id) else {
            continue;
        };
        let shown: Vec<&str> = state
            .buttons
            .iter()
            .flatten()
            .filter_map(|b| b.callback_data.as_deref())
            .collect();
        if let Some(answer) = ANSWERS.iter().find(|a| shown.contains(a)).copied() {
            return Some((message_id, state.text.unwrap_or_default(), answer));
        }
    }
    None
}

/// Sends `file`, answers every question until the bot says processing started, or gives up at
/// `limit`.
pub async fn upload_and_answer(
    fake: &FakeTelegram,
    user: &SimUser,
    file: &Path,
    limit: Duration,
) -> Outcome {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let name = file
        .file_name()
        .map_or_else(|| "export.csv".into(), |n| n.to_string_lossy().into_owned());
    let chat = user.chat_id();
    let deadline = Instant::now() + limit;
    let mut outcome = Outcome {
        user: user.clone(),
        file: name.clone(),
        accepted: false,
        sends: 0,
        silent_resends: 0,
        stuck_resends: 0,
        note: None,
    };
    let send = |outcome: &mut Outcome| {
        outcome.sends += 1;
        fake.send_document(user, &name, "text/csv", bytes.clone());
        (Instant::now(), fake.events(chat).len())
    };
    let (mut sent_at, mut seen_at_send) = send(&mut outcome);
    // The question last pressed (message, its text), when, and how often.
    let mut pressed: Option<((i32, String), Instant, usize)> = None;
    loop {
        let events = fake.events(chat);
        // The bot may die between queueing the analysis and saying so: the report (or the
        // failure notice) arriving tells the contributor as much.
        if acknowledged(&events) || events.iter().any(|e| is_report(e) || is_failure_notice(e)) {
            outcome.accepted = true;
            return outcome;
        }
        if Instant::now() > deadline {
            outcome.note = Some(format!(
                "no \"processing started\" within {limit:?} ({} sends)",
                outcome.sends
            ));
            return outcome;
        }
        match current_question(fake, chat, &events) {
            Some((message, text, answer)) => {
                let key = (message, text);
                // Presses of this question so far, or `None` while it is too early to press
                // it again.
                let times = match &pressed {
                    Some((last, _, _)) if *last != key => Some(0),
                    Some((_, at, times)) if at.elapsed() > PATIENCE => Some(*times),
                    Some(_) => None,
                    None => Some(0),
                };
                match times {
                    Some(times) if times >= STUCK_AFTER_PRESSES && outcome.sends < MAX_SENDS => {
                        // The question on screen is not the one the bot is at: start over, as
                        // a person would, with the file again.
                        outcome.stuck_resends += 1;
                        pressed = None;
                        (sent_at, seen_at_send) = send(&mut outcome);
                    }
                    Some(times) => {
                        // The button may be gone by now (the bot moved on): the next look
                        // decides.
                        let _ = fake.press(user, message, answer);
                        pressed = Some((key, Instant::now(), times + 1));
                    }
                    None => {}
                }
            }
            None => {
                let bot_spoke = events.len() > seen_at_send;
                let waited = sent_at.elapsed();
                let resend = if bot_spoke {
                    waited > RESEND_AFTER
                } else {
                    waited > SILENT_RESEND_AFTER
                };
                if resend && outcome.sends < MAX_SENDS {
                    outcome.silent_resends += usize::from(!bot_spoke);
                    (sent_at, seen_at_send) = send(&mut outcome);
                }
            }
        }
        let seen = events.len();
        let _ = fake
            .wait_for(chat, Duration::from_secs(1), |events| events.len() > seen)
            .await;
    }
}

/// A chat's events, one line each, for a failure message.
pub fn describe(events: &[BotEvent]) -> String {
    let mut out = String::new();
    for event in events {
        let what = match &event.kind {
            BotEventKind::Message { message_id, .. } => format!("message {message_id}"),
            BotEventKind::Edit { message_id, .. } => format!("edit {message_id}"),
            BotEventKind::Document {
                message_id,
                file_name,
                ..
            } => format!(
                "document {message_id} {}",
                file_name.as_deref().unwrap_or("")
            ),
            BotEventKind::ChatAction { action } => format!("action {action}"),
            BotEventKind::Delete { message_id } => format!("delete {message_id}"),
            BotEventKind::CallbackAnswer { text, .. } => {
                format!("callback answer {}", text.as_deref().unwrap_or(""))
            }
            BotEventKind::Rejected {
                method,
                error_code,
                description,
            } => format!("REJECTED {method} {error_code} {description}"),
        };
        let text: String = event
            .visible_text()
            .unwrap_or("")
            .chars()
            .take(90)
            .collect::<String>()
            .replace('\n', " ⏎ ");
        let buttons: Vec<&str> = event
            .buttons()
            .iter()
            .flatten()
            .filter_map(|b| b.callback_data.as_deref())
            .collect();
        out.push_str(&format!(
            "  {:>9.1} ms  {what}: {text} {buttons:?}\n",
            event.at.as_secs_f64() * 1000.0
        ));
    }
    out
}
