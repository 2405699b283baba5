//! Test-only failpoints: named places in a job where a worker, told so by
//! `STOCKLENS_FAILPOINT=<name>`, writes a marker file and then stops dead (its heartbeat still
//! running), so a crash test can SIGKILL it at exactly that point; or, for [`FAIL_DELIVERY`],
//! fails every delivery as a network error would. Disarmed (the default), a
//! failpoint costs one comparison. It must never change what a job does, only where it halts.

use std::path::PathBuf;

/// Stops inside the pipeline's blocking task, before the file is parsed.
pub const PARSING: &str = "parsing";
/// Stops after the report is saved and before it is delivered.
pub const AFTER_REPORT_SAVED: &str = "after-report-saved";
/// Stops after the report is delivered and before the delivery is marked.
pub const AFTER_DELIVERY: &str = "after-delivery";
/// Stops after an analysis is failed for good and before its contributor is told.
pub const BEFORE_FAILURE_NOTICE: &str = "before-failure-notice";
/// Not a stop: every delivery fails as a transient error would, so a test can use up a job's
/// attempts.
pub const FAIL_DELIVERY: &str = "fail-delivery";

/// Which failpoint, if any, is armed in this process.
#[derive(Clone, Debug, Default)]
pub struct Failpoint {
    /// The armed failpoint's name; `None` disarms every one.
    at: Option<String>,
    /// Written (empty) when the failpoint is reached, for the test to wait on.
    marker: Option<PathBuf>,
}

impl Failpoint {
    /// Arms the failpoint `at` (if any); `marker` is created when it is reached.
    pub fn new(at: Option<String>, marker: Option<PathBuf>) -> Failpoint {
        Failpoint { at, marker }
    }

    fn armed(&self, name: &str) -> bool {
        self.at.as_deref() == Some(name)
    }

    fn write_marker(&self, name: &str) {
        tracing::warn!(failpoint = name, "failpoint reached; stopping here");
        if let Some(marker) = &self.marker
            && let Err(err) = std::fs::write(marker, name)
        {
            tracing::error!(%err, path = %marker.display(), "cannot write the failpoint marker");
        }
    }

    /// True if `name` is armed; for failpoints that fail instead of stopping.
    pub fn fails(&self, name: &str) -> bool {
        self.armed(name)
    }

    /// In async code: if `name` is armed, writes the marker and never returns.
    pub async fn hit(&self, name: &str) {
        if self.armed(name) {
            self.write_marker(name);
            std::future::pending::<()>().await;
        }
    }

    /// On a blocking thread: if `name` is armed, writes the marker and never returns.
    pub fn hit_blocking(&self, name: &str) {
        if self.armed(name) {
            self.write_marker(name);
            loop {
                std::thread::park();
            }
        }
    }
}
