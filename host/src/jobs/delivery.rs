//! The last step of a job: getting a stored report to its contributor. The contract every sink
//! keeps: **delivering the same report twice reaches the contributor once.** The worker calls
//! [`Delivery::deliver`] after the report is saved and before the delivery is marked in the
//! store, so a worker killed between the two makes the next worker deliver again; only an
//! idempotent sink turns that at-least-once call into exactly one report.
//!
//! [`OutboxDelivery`] writes files (the command line's and the tests' sink). The Telegram sink
//! (`bot::TelegramDelivery`) is not idempotent by nature, since `sendDocument` twice sends two
//! messages; it becomes so by recording in the store that it is about to send and each message
//! Telegram accepted (`telegram_deliveries`), skipping on a repeat what was recorded, and, when
//! the first send's fate is unknown (killed mid-request), preferring a rare duplicate over a
//! lost report and saying so in the message ("this report may have reached you already"). The
//! document's caption carries the report's id so support can spot duplicates.
//!
//! This module must not mark reports delivered or touch quotas: the worker does, after a
//! successful delivery.

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use crate::store::Report;

/// Name of the outbox's audit log: one line per delivery call, so tests and operators can count
/// how often a report was handed over, apart from the files it left.
pub const OUTBOX_LOG: &str = "deliveries.log";

/// What a sink needs to deliver one report.
#[derive(Debug)]
pub struct Deliverable<'a> {
    pub analysis_id: i64,
    /// The contributor (the store's id).
    pub user_id: i64,
    /// The contributor's Telegram id: where the Telegram sink sends.
    pub telegram_id: i64,
    pub report: &'a Report,
}

/// An analysis that failed for good, to tell its contributor about.
#[derive(Debug)]
pub struct Failure<'a> {
    pub analysis_id: i64,
    pub user_id: i64,
    pub telegram_id: i64,
    /// The analysis's `error_kind`, e.g. `no_sales_in_selection`.
    pub kind: &'a str,
    /// What the contributor can quote to the operator; the worker's log carries it.
    pub reference: &'a str,
}

/// Why a delivery failed. Every delivery failure is worth retrying: a full disk, a network error
/// or a rate limit passes; the job's attempts bound the retries.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Telegram refused or could not be reached (after the sink's own retries).
    #[error("telegram: {0}")]
    Telegram(String),
    #[error("the store failed: {0}")]
    Store(#[from] crate::store::StoreError),
}

/// The boxed future a [`Delivery`] returns (the trait is used as `dyn Delivery`).
pub type DeliveryFuture<'a> = Pin<Box<dyn Future<Output = Result<(), DeliveryError>> + Send + 'a>>;

/// A way to get a report to its contributor. Implementations must be idempotent per report: see
/// the module documentation.
pub trait Delivery: Send + Sync + 'static {
    /// A short name for logs, e.g. `outbox`.
    fn name(&self) -> &'static str;

    /// Delivers the report; calling it again for the same report must not reach the contributor
    /// a second time.
    fn deliver<'a>(&'a self, item: &'a Deliverable<'a>) -> DeliveryFuture<'a>;

    /// Tells the contributor their analysis failed for good. The worker calls it once, when it
    /// fails the analysis; an error is logged, not retried (the analysis stays failed).
    fn failed<'a>(&'a self, failure: &'a Failure<'a>) -> DeliveryFuture<'a>;

    /// Shows the contributor that their analysis is being worked on (Telegram's "typing").
    /// Best effort: the worker ignores an error.
    fn working(&self, _telegram_id: i64) -> DeliveryFuture<'_> {
        Box::pin(async { Ok(()) })
    }
}

/// Writes `<analysis-id>.html` (the report) and `<analysis-id>.json` (its summary) into a
/// directory, each through a temporary file and a rename, so a reader never sees half a file and
/// a repeat overwrites with identical bytes (the store returns the first saved report to every
/// attempt). Also appends the analysis id to [`OUTBOX_LOG`] once per call.
#[derive(Clone, Debug)]
pub struct OutboxDelivery {
    dir: PathBuf,
}

impl OutboxDelivery {
    /// An outbox in `dir`, created if missing.
    pub fn new(dir: impl Into<PathBuf>) -> Result<OutboxDelivery, DeliveryError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|source| DeliveryError::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(OutboxDelivery { dir })
    }

    /// The directory reports are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn write_all(&self, item: &Deliverable<'_>) -> Result<(), DeliveryError> {
        let id = item.analysis_id;
        write_atomically(
            &self.dir.join(format!("{id}.html")),
            item.report.html.as_bytes(),
        )?;
        write_atomically(
            &self.dir.join(format!("{id}.json")),
            item.report.summary.as_bytes(),
        )?;
        // O_APPEND writes of one short line are atomic between processes on a local disk.
        let log = self.dir.join(OUTBOX_LOG);
        let io = |source| DeliveryError::Io {
            path: log.clone(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(io)?;
        file.write_all(format!("{id}\n").as_bytes()).map_err(io)
    }
}

impl Delivery for OutboxDelivery {
    fn name(&self) -> &'static str {
        "outbox"
    }

    fn deliver<'a>(&'a self, item: &'a Deliverable<'a>) -> DeliveryFuture<'a> {
        // A few small files: cheaper to write in place than to hop to a blocking thread.
        Box::pin(async move { self.write_all(item) })
    }

    fn failed<'a>(&'a self, failure: &'a Failure<'a>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let notice = serde_json::json!({
                "analysis_id": failure.analysis_id,
                "kind": failure.kind,
                "reference": failure.reference,
            });
            write_atomically(
                &self
                    .dir
                    .join(format!("{}.failed.json", failure.analysis_id)),
                notice.to_string().as_bytes(),
            )
        })
    }
}

/// Writes through a temporary file in the same directory and renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), DeliveryError> {
    let io = |source| DeliveryError::Io {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_data().map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    tmp.persist(path).map(drop).map_err(|err| io(err.error))
}
