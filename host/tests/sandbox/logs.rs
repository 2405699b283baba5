//! What the host logged, for tests that check a warning was given or that a plugin's output was
//! capped: one global tracing subscriber for the whole suite that keeps every event's level,
//! fields and message size.
//!
//! Plugins run on the pipeline's own threads, so a thread-local subscriber would miss them; a
//! global one sees every test's events, so each test picks its own by a field it controls (the
//! plugin label, a directory path).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Mutex, Once};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Characters of each message kept for assertions; the size is kept in full.
const KEPT_MESSAGE_CHARS: usize = 200;

/// One logged event.
#[derive(Clone, Debug)]
pub struct Logged {
    pub level: Level,
    /// The message's first [`KEPT_MESSAGE_CHARS`] characters.
    pub message: String,
    /// The whole message's length in bytes.
    pub message_bytes: usize,
    /// Every other field, as text.
    pub fields: BTreeMap<String, String>,
}

impl Logged {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

static EVENTS: Mutex<Vec<Logged>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

/// Starts recording (once per test binary); call it before whatever logs.
pub fn capture() {
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(Recorder);
        tracing::subscriber::set_global_default(subscriber)
            .expect("nothing else in the sandbox suite installs a global subscriber");
    });
}

/// The events recorded so far that `keep` selects.
pub fn logged(keep: impl Fn(&Logged) -> bool) -> Vec<Logged> {
    EVENTS
        .lock()
        .expect("no test panics while holding the log")
        .iter()
        .filter(|event| keep(event))
        .cloned()
        .collect()
}

struct Recorder;

impl<S: Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let message = fields.message.chars().take(KEPT_MESSAGE_CHARS).collect();
        let logged = Logged {
            level: *event.metadata().level(),
            message,
            message_bytes: fields.message.len(),
            fields: fields.others,
        };
        if let Ok(mut events) = EVENTS.lock() {
            events.push(logged);
        }
    }
}

#[derive(Default)]
struct Fields {
    message: String,
    others: BTreeMap<String, String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.put(field, format!("{value:?}"));
    }
}

impl Fields {
    fn put(&mut self, field: &Field, value: String) {
        if field.name() == "message" {
            self.message = value;
        } else {
            self.others.insert(field.name().to_owned(), value);
        }
    }
}
