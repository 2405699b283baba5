//! No file a contributor sends is lost to a bot killed at the wrong moment.
//!
//! Telegram counts an update delivered once the bot's next `getUpdates` asks past it (or, with a
//! webhook, once the bot answered the POST), and teloxide does that as soon as it has handed the
//! update to the dispatcher, before any handler has run. A bot killed in between lost the file:
//! no answer, nothing stored, the contributor left waiting. [`Inboxed`] wraps the update
//! listener: each update carrying a document is written to the store's inbox before it is
//! handed on, so before Telegram can be told it arrived; the message handler deletes it when it
//! has finished ([`done`]), however it finished. A bot starting up first hands on the updates a
//! killed bot left unfinished ([`unfinished`]), and every running bot looks again now and then
//! ([`sweep_loop`]) for files left untouched for [`WEBHOOK_IDLE`] (`BotConfig::inbox_idle`):
//! with a webhook, a replica
//! killed and restarted at once leaves its files younger than that, and another look hands
//! them on. An update taken [`MAX_TAKES`] times (its handler crashing every time) is dropped.
//!
//! The price is a write per file received, and, for a bot killed after handling a file but
//! before deleting it, the file handled twice (the contributor is asked about it again), which
//! beats never.

use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future;
use futures_util::stream::{self, BoxStream};
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, Message, Update, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::App;
use crate::store::Store;

/// After this long unfinished, an update in the inbox is taken by a starting bot even with a
/// webhook, where other replicas may be handling their own updates right now: handling a file
/// takes seconds. With polling only one bot receives updates, so a starting bot takes them all.
pub const WEBHOOK_IDLE: Duration = Duration::from_secs(120);

/// A file answered more than a day late confuses more than it helps: such updates are dropped.
pub const GIVE_UP: Duration = Duration::from_secs(24 * 60 * 60);

/// An update whose handler never finished this many times is dropped rather than taken again.
pub const MAX_TAKES: i32 = 3;

/// An update listener whose document updates are kept in the store's inbox before they are
/// handed on, after the unfinished ones a killed bot left, with those [`sweep_loop`] finds
/// later.
pub struct Inboxed<L> {
    inner: L,
    store: Store,
    unfinished: Vec<Update>,
    later: UnboundedReceiver<Update>,
}

impl<L> Inboxed<L> {
    /// Wraps `inner`; `unfinished` (from [`unfinished`]) are handed on first. The sender is for
    /// [`sweep_loop`].
    pub fn new(
        inner: L,
        store: Store,
        unfinished: Vec<Update>,
    ) -> (Inboxed<L>, UnboundedSender<Update>) {
        let (sender, later) = unbounded_channel();
        let listener = Inboxed {
            inner,
            store,
            unfinished,
            later,
        };
        (listener, sender)
    }
}

/// Wraps the bot's `listener` in the inbox: first come the files a stopped bot left untouched
/// for `first_idle`, then the live updates, and the sweep (returned, to abort when the listener
/// is done) brings in those left untouched for `BotConfig::inbox_idle` later on.
pub async fn wrap<L>(
    listener: L,
    app: &App,
    first_idle: Duration,
    stop: &CancellationToken,
) -> (Inboxed<L>, JoinHandle<()>) {
    let left = unfinished(&app.store, first_idle).await;
    let (listener, later) = Inboxed::new(listener, app.store.clone(), left);
    let sweeper = tokio::spawn(sweep_loop(
        app.store.clone(),
        later,
        (app.config.inbox_idle, app.config.expiry_sweep),
        stop.clone(),
    ));
    (listener, sweeper)
}

/// Hands the listener, every `every`, the files left unfinished for `idle`, until `stop` or
/// until the listener is gone.
pub async fn sweep_loop(
    store: Store,
    listener: UnboundedSender<Update>,
    (idle, every): (Duration, Duration),
    stop: CancellationToken,
) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = stop.cancelled() => return,
        }
        for update in unfinished(&store, idle).await {
            if listener.send(update).is_err() {
                return;
            }
        }
    }
}

/// The updates a killed bot left unfinished and this one should handle, oldest first: all of
/// them untouched for `idle` (zero with polling). A bad row or a store error is logged and
/// skipped: the bot starts regardless.
pub async fn unfinished(store: &Store, idle: Duration) -> Vec<Update> {
    let entries = match store.inbox_take_unfinished(idle, GIVE_UP, MAX_TAKES).await {
        Ok(entries) => entries,
        Err(err) => {
            tracing::warn!(%err, "cannot read the inbox; files a killed bot left are not handled now");
            return Vec::new();
        }
    };
    let mut updates = Vec::with_capacity(entries.len());
    for entry in entries {
        match serde_json::from_str::<Update>(&entry.body) {
            Ok(update) => updates.push(update),
            Err(err) => {
                tracing::error!(update_id = entry.update_id, %err, "an update in the inbox cannot be read; dropping it");
                let _ = store.inbox_done(entry.chat_id, entry.message_id).await;
            }
        }
    }
    if !updates.is_empty() {
        tracing::warn!(
            files = updates.len(),
            "handling the files a stopped bot had received but not finished"
        );
    }
    updates
}

/// How long a handled file's removal from the inbox is retried while the store cannot take it:
/// well under [`WEBHOOK_IDLE`], after which a sweep would hand the file on again.
const DONE_RETRIES: u32 = 60;
const DONE_RETRY_EVERY: Duration = Duration::from_secs(1);

/// Records that the handler of `message` has finished: it leaves the inbox, if it was there.
/// A store that cannot take it now (a database restarting) is tried again in the background
/// for a minute: left in the inbox, the file would be handled a second time.
pub async fn done(store: &Store, message: &Message) {
    if message.document().is_none() {
        return;
    }
    let (chat, message_id) = (message.chat.id.0, i64::from(message.id.0));
    if let Err(err) = store.inbox_done(chat, message_id).await {
        tracing::warn!(%err, message_id, "cannot clear a handled file from the inbox; trying again");
        let store = store.clone();
        tokio::spawn(async move {
            for _ in 0..DONE_RETRIES {
                tokio::time::sleep(DONE_RETRY_EVERY).await;
                if store.inbox_done(chat, message_id).await.is_ok() {
                    return;
                }
            }
            tracing::error!(
                message_id,
                "cannot clear a handled file from the inbox: it will be handled again"
            );
        });
    }
}

/// Writes `update` to the inbox if it carries a document. A store that cannot take it is
/// logged, and the update handed on all the same: the handler, which needs the store too, will
/// answer the contributor.
async fn keep(store: &Store, update: &Update) {
    let UpdateKind::Message(message) = &update.kind else {
        return;
    };
    if message.document().is_none() {
        return;
    }
    let body = match serde_json::to_string(update) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(%err, "cannot encode an update for the inbox");
            return;
        }
    };
    let update_id = i64::from(update.id.0);
    let kept = store
        .inbox_keep(update_id, message.chat.id.0, i64::from(message.id.0), &body)
        .await;
    if let Err(err) = kept {
        tracing::warn!(%err, update_id, "cannot keep a received file in the inbox");
    }
}

impl<'a, L> AsUpdateStream<'a> for Inboxed<L>
where
    L: UpdateListener + 'static,
    L::Err: Send + 'static,
{
    type StreamErr = L::Err;
    type Stream = BoxStream<'a, Result<Update, L::Err>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let Inboxed {
            inner,
            store,
            unfinished,
            later,
        } = self;
        let store = store.clone();
        let left = stream::iter(std::mem::take(unfinished).into_iter().map(Ok));
        // The listener's end (the bot stopping) ends the whole stream, whatever the sweep may
        // still send.
        let live = left
            .chain(inner.as_stream())
            .map(Some)
            .chain(stream::once(future::ready(None)));
        let later = stream::poll_fn(move |cx| later.poll_recv(cx)).map(|update| Some(Ok(update)));
        stream::select(live, later)
            .take_while(|item| future::ready(item.is_some()))
            .filter_map(future::ready)
            .then(move |item| {
                let store = store.clone();
                async move {
                    if let Ok(update) = &item {
                        keep(&store, update).await;
                    }
                    item
                }
            })
            .boxed()
    }
}

impl<L> UpdateListener for Inboxed<L>
where
    L: UpdateListener + 'static,
    L::Err: Send + 'static,
{
    type Err = L::Err;

    fn stop_token(&mut self) -> StopToken {
        self.inner.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.inner.hint_allowed_updates(hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A listener whose updates the test sends, ending when its stop token is used.
    struct Stub {
        updates: Option<UnboundedReceiver<Update>>,
        stop: StopToken,
        stopped: Option<teloxide::stop::StopFlag>,
    }

    impl<'a> AsUpdateStream<'a> for Stub {
        type StreamErr = std::convert::Infallible;
        type Stream = BoxStream<'a, Result<Update, std::convert::Infallible>>;

        fn as_stream(&'a mut self) -> Self::Stream {
            let mut updates = self.updates.take().expect("streamed once");
            let stopped = self.stopped.take().expect("streamed once");
            stream::poll_fn(move |cx| updates.poll_recv(cx))
                .map(Ok)
                .take_until(stopped)
                .boxed()
        }
    }

    impl UpdateListener for Stub {
        type Err = std::convert::Infallible;

        fn stop_token(&mut self) -> StopToken {
            self.stop.clone()
        }
    }

    fn document_update(id: u32, chat: i64, message: i32) -> Update {
        let json = format!(
            r#"{{"update_id":{id},"message":{{"message_id":{message},"date":1764300000,
            "chat":{{"id":{chat},"type":"private","first_name":"Ann"}},
            "from":{{"id":{chat},"is_bot":false,"first_name":"Ann"}},
            "document":{{"file_id":"F{id}","file_unique_id":"U{id}","file_name":"s.csv"}}}}}}"#
        );
        serde_json::from_str(&json).expect("an update")
    }

    /// Through the wrapper: a file is in the inbox before its update is handed on; a file
    /// another bot left is handed on by the sweep while the listener waits; and the stream ends
    /// when the listener stops, though the sweep is still running.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn files_are_kept_before_they_are_handed_on_and_left_ones_swept_in() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::connect(None, dir.path()).await.expect("store");
        store.migrate().await.expect("migrate");
        let (send, updates) = unbounded_channel();
        let (stop, stopped) = teloxide::stop::mk_stop_token();
        let stub = Stub {
            updates: Some(updates),
            stop,
            stopped: Some(stopped),
        };
        let (mut listener, later) = Inboxed::new(stub, store.clone(), Vec::new());
        let halt = CancellationToken::new();
        let sweeper = tokio::spawn(sweep_loop(
            store.clone(),
            later,
            (Duration::ZERO, Duration::from_millis(50)),
            halt.clone(),
        ));
        let stop_token = listener.stop_token();
        let mut stream = listener.as_stream();

        send.send(document_update(1, 700, 5)).expect("send");
        let first = stream.next().await.expect("an update").expect("no error");
        assert_eq!(first.id.0, 1);
        assert_eq!(
            store.inbox_len().await.expect("len"),
            1,
            "kept before handed on"
        );
        store.inbox_done(700, 5).await.expect("done");

        // Another bot's file, left unfinished: the sweep hands it on.
        store
            .inbox_keep(
                2,
                701,
                6,
                &serde_json::to_string(&document_update(2, 701, 6)).expect("JSON"),
            )
            .await
            .expect("keep");
        let swept = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("the sweep hands it on")
            .expect("an update")
            .expect("no error");
        assert_eq!(swept.id.0, 2);

        // The bot stops: the stream ends, the sweep notwithstanding.
        stop_token.stop();
        let ended = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("the stream ends when the listener does");
        assert!(ended.is_none());
        halt.cancel();
        sweeper.await.expect("the sweep ends");
    }

    /// What the bot writes to the inbox it can read back: an update carrying a document
    /// survives teloxide's serialization unchanged.
    #[test]
    fn a_document_update_reads_back_as_it_was_written() {
        let sent = r#"{"update_id":42,"message":{"message_id":7,"date":1764300000,
            "chat":{"id":5001,"type":"private","first_name":"Ann"},
            "from":{"id":5001,"is_bot":false,"first_name":"Ann","language_code":"en"},
            "document":{"file_id":"F1","file_unique_id":"U1","file_name":"sales.csv",
                "mime_type":"text/csv","file_size":1234}}}"#;
        let update: Update = serde_json::from_str(sent).expect("Telegram's JSON");
        let kept = serde_json::to_string(&update).expect("written");
        let read: Update = serde_json::from_str(&kept).expect("read back");
        assert_eq!(read, update);
        let UpdateKind::Message(message) = &read.kind else {
            panic!("a message: {read:?}");
        };
        let document = message.document().expect("its document");
        assert_eq!(document.file.id.0, "F1");
        assert_eq!(document.file_name.as_deref(), Some("sales.csv"));
        assert_eq!(message.chat.id.0, 5001);
    }
}
