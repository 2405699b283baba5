//! The claim loop and the operator's retry, on top of the store's jobs table.
//!
//! A worker with room for a job asks the database for one; when none is due it waits for a
//! Redis wake-up or the poll interval, whichever comes first, and asks again. The database is the
//! truth: a wake-up is only a hint to ask now, and without Redis (or while it is down) polling
//! alone finds every job. This module must not run jobs; the worker does.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::analysis;
use crate::cache::Event;
use crate::store::{Job, Store, StoreError};

/// How often an idle worker asks the database for a job when nothing wakes it: new jobs start
/// within half a second without Redis, at two cheap indexed queries per second per process.
pub const DEFAULT_POLL: Duration = Duration::from_millis(500);

/// Claims jobs for one worker process.
#[derive(Clone, Debug)]
pub struct Queue {
    store: Store,
    /// Woken by the Redis listener (and by finished jobs) to claim before the poll interval.
    wake: Arc<Notify>,
    poll: Duration,
    /// Whether the database was last seen failing, so an outage is logged once.
    db_down: Arc<std::sync::atomic::AtomicBool>,
}

impl Queue {
    /// A queue over `store` that polls every `poll` when nothing wakes it.
    pub fn new(store: Store, poll: Duration) -> Queue {
        Queue {
            store,
            wake: Arc::new(Notify::new()),
            poll,
            db_down: Arc::default(),
        }
    }

    /// What the Redis listener wakes.
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Waits for a due job and claims it for `owner` with `lease`; `None` once `stop` is
    /// cancelled. A database error is logged (once per outage) and waited out like an empty
    /// queue: a worker outlives a database failover.
    pub async fn claim(
        &self,
        owner: &str,
        lease: Duration,
        stop: &CancellationToken,
    ) -> Option<Job> {
        use std::sync::atomic::Ordering;
        loop {
            if stop.is_cancelled() {
                return None;
            }
            match self.store.claim_job(owner, lease).await {
                Ok(Some(job)) => {
                    self.database_up();
                    return Some(job);
                }
                Ok(None) => self.database_up(),
                Err(err) => {
                    if !self.db_down.swap(true, Ordering::SeqCst) {
                        tracing::error!(error = %analysis::error_chain(&err), "cannot claim jobs; retrying");
                    }
                }
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.poll) => {}
                () = stop.cancelled() => return None,
            }
        }
    }

    fn database_up(&self) {
        if self
            .db_down
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            tracing::info!("claiming jobs again");
        }
    }
}

/// Puts a dead or failed job back in the queue (`stocklens jobs retry`). For an analysis job
/// the analysis is reopened first (queued again, its quota reserved again), so the revived job
/// has something to do; both steps are idempotent, so a retry interrupted half-way is simply run
/// again. [`StoreError::Conflict`] if the job is queued, running or done.
pub async fn retry(store: &Store, job_id: i64) -> Result<Job, StoreError> {
    let job = store.job(job_id).await?;
    if !matches!(
        job.state,
        crate::store::JobState::Dead | crate::store::JobState::Failed
    ) {
        return Err(StoreError::Conflict {
            what: "only dead or failed jobs can be retried",
        });
    }
    if job.kind == analysis::KIND
        && let Ok(analysis_id) = analysis::analysis_id(&job)
    {
        store.reopen_analysis(analysis_id).await?;
    }
    let job = store.retry_job(job_id).await?;
    store.cache().announce(Event::JobQueued).await;
    Ok(job)
}
