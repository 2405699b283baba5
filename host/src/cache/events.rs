//! Notifications between processes over Redis pub/sub: a job was queued, the lexicon changed,
//! the plugins changed. Redis only ever hurries things along: every listener also polls the
//! database on its own schedule, so a lost message (or no Redis at all) costs one poll interval.
//!
//! One channel, `<prefix>:events`, carries every kind; each message is the event's name. The
//! listener keeps its own connection, reconnects after a second when it drops, and reports its
//! attempts to the cache's breaker and once-only log, so an outage is logged once however many
//! parts of the process notice it.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{Cache, Failure};

/// The channel under the prefix.
const CHANNEL: &str = "events";

/// Pause between attempts to reach a Redis that is down: often enough to resume notifications
/// within a second or two of Redis coming back, rarely enough to cost nothing while it is away.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Something other processes may want to act on at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A job was queued: workers should look.
    JobQueued,
    /// The operator changed the lexicon overrides: bots should reload them.
    LexiconChanged,
    /// A plugin was installed, activated or rolled back: processes should reload the registry.
    PluginsChanged,
}

impl Event {
    fn as_str(self) -> &'static str {
        match self {
            Event::JobQueued => "job",
            Event::LexiconChanged => "lexicon",
            Event::PluginsChanged => "plugins",
        }
    }

    fn parse(text: &str) -> Option<Event> {
        match text {
            "job" => Some(Event::JobQueued),
            "lexicon" => Some(Event::LexiconChanged),
            "plugins" => Some(Event::PluginsChanged),
            _ => None,
        }
    }
}

/// Who to wake per event; `None` ignores it.
#[derive(Clone, Debug, Default)]
pub struct Listeners {
    pub jobs: Option<Arc<Notify>>,
    pub lexicon: Option<Arc<Notify>>,
    pub plugins: Option<Arc<Notify>>,
}

impl Listeners {
    fn wake(&self, event: Event) {
        let target = match event {
            Event::JobQueued => &self.jobs,
            Event::LexiconChanged => &self.lexicon,
            Event::PluginsChanged => &self.plugins,
        };
        if let Some(notify) = target {
            notify.notify_one();
        }
    }

    /// After a reconnect: whatever was announced meanwhile was missed, so everyone looks.
    fn wake_all(&self) {
        for event in [
            Event::JobQueued,
            Event::LexiconChanged,
            Event::PluginsChanged,
        ] {
            self.wake(event);
        }
    }
}

impl Cache {
    /// Tells other processes about `event`; best effort (they poll anyway).
    pub async fn announce(&self, event: Event) {
        self.publish(CHANNEL, event.as_str()).await;
    }
}

/// Listens for events until `stop`, waking `listeners`. Returns at once without Redis.
pub async fn listen(cache: Cache, listeners: Listeners, stop: CancellationToken) {
    let Some(inner) = cache.inner.clone() else {
        return;
    };
    let channel = cache.key(CHANNEL);
    let deadline = inner
        .settings
        .connect_timeout
        .max(inner.settings.command_timeout);
    while !stop.is_cancelled() {
        let started = std::time::Instant::now();
        let subscribed = async {
            let mut pubsub = inner.client.get_async_pubsub().await?;
            pubsub.subscribe(&channel).await?;
            Ok::<_, deadpool_redis::redis::RedisError>(pubsub)
        };
        match tokio::time::timeout(deadline, subscribed).await {
            Ok(Ok(mut pubsub)) => {
                inner.succeeded(started);
                tracing::info!("listening for Redis notifications");
                listeners.wake_all();
                let mut messages = pubsub.on_message();
                loop {
                    tokio::select! {
                        message = messages.next() => match message {
                            Some(message) => {
                                let text: String = message.get_payload().unwrap_or_default();
                                if let Some(event) = Event::parse(&text) {
                                    listeners.wake(event);
                                }
                            }
                            None => {
                                inner.failed(&Failure::Pool("connection closed".into()));
                                break;
                            }
                        },
                        () = stop.cancelled() => return,
                    }
                }
            }
            Ok(Err(err)) => inner.failed(&Failure::Redis(err)),
            Err(_) => inner.failed(&Failure::TimedOut),
        }
        tokio::select! {
            () = tokio::time::sleep(RECONNECT_DELAY) => {}
            () = stop.cancelled() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_reads_back_as_itself() {
        for event in [
            Event::JobQueued,
            Event::LexiconChanged,
            Event::PluginsChanged,
        ] {
            assert_eq!(Event::parse(event.as_str()), Some(event));
        }
        assert_eq!(Event::parse("nonsense"), None);
    }
}
