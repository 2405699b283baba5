//! The last step of a job: getting a stored report to its contributor. The contract every sink
//! keeps: **delivering the same report twice reaches the contributor once.** The worker calls
//! [`Delivery::deliver`] after the report is saved and before the delivery is marked in the
//! store, so a worker killed between the two makes the next worker deliver again; only an
//! idempotent sink turns that at-least-once call into exactly one report.
//!
//! [`OutboxDelivery`] writes files (the command line's and the tests' sink). The Telegram sink
//! (issue 4) is not idempotent by nature, since `sendDocument` twice sends two messages; it must
//! become so by recording, in the store and in its own transaction, that it is about to send
//! (`delivery_attempts(report_id, started_at)`), and on a repeat either skip the send when
//! Telegram's answer for the first one was recorded (`message_id` stored), or, when the first
//! send's fate is unknown (killed mid-request), prefer a rare duplicate over a lost report and
//! say so in the message ("this report may have reached you already"). Sending the document with
//! a caption carrying the report's id lets support spot duplicates.
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
    /// The contributor's Telegram id: where the Telegram sink sends.
    pub telegram_id: i64,
    pub report: &'a Report,
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
