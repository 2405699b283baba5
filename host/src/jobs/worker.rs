//! The worker role: up to N jobs at once per process, each under a lease its heartbeat renews,
//! each attempt's failure sorted into retry-with-backoff or fail-for-good, and a graceful stop.
//!
//! A job runs in its own task, holding a semaphore permit; the CPU-bound pipeline inside it runs
//! on the blocking pool. If the heartbeat finds the lease lost (the process stalled past it and
//! another worker took the job), the attempt is abandoned without writing anything: every store
//! change a worker makes is conditional on holding the lease. On stop the worker claims nothing
//! more, gives running jobs the grace period to finish, then releases the rest to the queue.
//! This module must not know what a job does; [`super::analysis`] does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::analysis::{self, Context, JobError};
use super::delivery::Failure;
use super::failpoint;
use super::queue::Queue;
use crate::store::{Analysis, Backoff, Job, JobState, Retry, StoreError};

/// Default lease: long enough that a heartbeat every third of it survives a slow database
/// round trip or a long GC-free pause, short enough that a killed worker's job is picked up
/// again within half a minute.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// Default grace period on SIGTERM: most analyses take seconds; container orchestrators send
/// SIGKILL after 30 s, so finishing or releasing must fit well inside that.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(20);

/// Backoff between attempts of a transiently failed job: 2 s, 4 s, 8 s... capped at 5 minutes,
/// so five attempts ride out a database failover without keeping a hopeless job for hours.
pub const DEFAULT_BACKOFF: Backoff = Backoff {
    base: Duration::from_secs(2),
    max: Duration::from_secs(300),
};

/// Heartbeats per lease: three leave two spare beats before the lease can run out.
const BEATS_PER_LEASE: u32 = 3;

/// How often a worker looks for jobs whose worker died on their last attempt, to bury them and
/// tell their contributors, and for failure notices nobody has sent: they are rare, and a few
/// seconds' delay on a dead job costs nothing.
const BURY_INTERVAL: Duration = Duration::from_secs(5);

/// Failure notices one sweep claims at most; the next sweep takes the rest.
const NOTICES_PER_SWEEP: i64 = 50;

/// How long a failure notice Telegram could not take is tried again: past a day, a notice
/// about a forgotten request confuses more than it helps (the analysis stays failed and its
/// quota released; the operator's log has it).
const NOTICE_GIVE_UP: Duration = Duration::from_secs(24 * 60 * 60);

/// How a worker process runs jobs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Jobs at once in this process.
    pub concurrency: usize,
    /// The lease each claim takes; the heartbeat renews it every third of it.
    pub lease: Duration,
    /// How long running jobs may take to finish after a stop before they are released.
    pub grace: Duration,
    /// Delays between attempts of a transiently failed job.
    pub backoff: Backoff,
}

impl Default for WorkerConfig {
    fn default() -> WorkerConfig {
        WorkerConfig {
            concurrency: std::thread::available_parallelism().map_or(1, usize::from),
            lease: DEFAULT_LEASE,
            grace: DEFAULT_GRACE,
            backoff: DEFAULT_BACKOFF,
        }
    }
}

/// One worker process's job runner.
#[derive(Debug)]
pub struct Worker {
    ctx: Context,
    queue: Queue,
    config: WorkerConfig,
    /// Lease owner prefix, unique per process: `<pid>-<random>`.
    tag: String,
}

/// Jobs running now, by job id, with the owner that holds each lease: what a stop releases.
type Running = Arc<Mutex<HashMap<i64, String>>>;

impl Worker {
    pub fn new(ctx: Context, queue: Queue, config: WorkerConfig) -> Worker {
        let random = getrandom::u32().unwrap_or(0);
        Worker {
            ctx,
            queue,
            config,
            tag: format!("{}-{random:08x}", std::process::id()),
        }
    }

    /// Claims and runs jobs until `stop` is cancelled, then shuts down gracefully.
    pub async fn run(self, stop: CancellationToken) {
        let concurrency = self.config.concurrency.max(1);
        let permits = Arc::new(Semaphore::new(concurrency));
        let running: Running = Arc::default();
        let mut tasks = JoinSet::new();
        let burier = tokio::spawn(bury_loop(self.ctx.clone(), self.config.lease, stop.clone()));
        tracing::info!(concurrency, lease = ?self.config.lease, "worker started");
        let mut claims: u64 = 0;
        loop {
            let permit = tokio::select! {
                permit = Arc::clone(&permits).acquire_owned() => match permit {
                    Ok(permit) => permit,
                    Err(_) => break,
                },
                () = stop.cancelled() => break,
            };
            claims += 1;
            let owner = format!("{}/{claims}", self.tag);
            let Some(job) = self.queue.claim(&owner, self.config.lease, &stop).await else {
                break;
            };
            lock(&running).insert(job.id, owner.clone());
            let ctx = self.ctx.clone();
            let config = self.config.clone();
            let running = Arc::clone(&running);
            let waker = self.queue.waker();
            tasks.spawn(async move {
                run_one(&ctx, &config, job.clone(), &owner).await;
                lock(&running).remove(&job.id);
                drop(permit);
                // A slot is free: look for the next job now rather than at the next poll.
                waker.notify_one();
            });
            while tasks.try_join_next().is_some() {}
        }

        let left = tasks.len();
        if left > 0 {
            tracing::info!(jobs = left, grace = ?self.config.grace, "stopping: letting running jobs finish");
        }
        let finished = tokio::time::timeout(self.config.grace, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        if finished.is_err() {
            tasks.abort_all();
            while tasks.join_next().await.is_some() {}
            let unfinished: Vec<(i64, String)> = lock(&running).drain().collect();
            for (job_id, owner) in unfinished {
                match self.ctx.store.release_job(job_id, &owner).await {
                    Ok(()) => tracing::info!(job_id, "released unfinished job"),
                    Err(err) => {
                        tracing::warn!(job_id, error = %analysis::error_chain(&err), "cannot release job; its lease will expire")
                    }
                }
            }
        }
        burier.abort();
        tracing::info!("worker stopped");
    }
}

/// Runs one claimed job to its end: done, retried later, failed or dead.
async fn run_one(ctx: &Context, config: &WorkerConfig, job: Job, owner: &str) {
    let lease_lost = CancellationToken::new();
    let heartbeat = tokio::spawn(heartbeat(
        ctx.clone(),
        job.id,
        owner.to_owned(),
        config.lease,
        lease_lost.clone(),
    ));
    tracing::info!(job_id = job.id, attempt = job.attempts, kind = %job.kind, "job started");
    let started = std::time::Instant::now();
    let result = tokio::select! {
        result = attempt(ctx, &job) => Some(result),
        () = lease_lost.cancelled() => None,
    };
    heartbeat.abort();
    let store = &ctx.store;
    let outcome = match result {
        None => {
            tracing::warn!(job_id = job.id, "lease lost; abandoning the attempt");
            return;
        }
        Some(Ok(())) => store
            .complete_job(job.id, owner)
            .await
            .map(|()| JobState::Done),
        Some(Err(JobError::Permanent { kind, detail })) => {
            tracing::warn!(job_id = job.id, kind = %kind, detail = %detail, "job failed permanently");
            match fail_analysis(ctx, &job, &kind, &detail, config.lease).await {
                Ok(()) => {
                    store
                        .fail_job(job.id, owner, &format!("{kind}: {detail}"), Retry::Never)
                        .await
                }
                Err(err) => Err(err),
            }
        }
        Some(Err(JobError::Transient(detail))) if job.attempts >= job.max_attempts => {
            // The last attempt: fail the analysis (releasing its quota, telling the contributor)
            // before the job is recorded dead. Killed in between, the job's lease runs out and
            // the bury loop finds it again; the other order could leave a dead job whose
            // analysis stays open, its quota reserved, its contributor never told.
            tracing::error!(job_id = job.id, detail = %detail, "job failed on its last attempt");
            match fail_analysis(ctx, &job, "gave_up", &detail, config.lease).await {
                Ok(()) => {
                    let delay = config.backoff.delay(job.attempts);
                    store
                        .fail_job(job.id, owner, &detail, Retry::After(delay))
                        .await
                }
                Err(err) => Err(err),
            }
        }
        Some(Err(JobError::Transient(detail))) => {
            let delay = config.backoff.delay(job.attempts);
            tracing::warn!(job_id = job.id, attempt = job.attempts, ?delay, detail = %detail, "job failed; will retry");
            store
                .fail_job(job.id, owner, &detail, Retry::After(delay))
                .await
        }
    };
    // `queued` after a failed attempt means "will be retried".
    let label = match &outcome {
        Ok(JobState::Queued) => "retry",
        Ok(state) => state.as_str(),
        Err(_) => "unrecorded",
    };
    metrics::histogram!("stocklens_job_seconds", "outcome" => label)
        .record(started.elapsed().as_secs_f64());
    match outcome {
        Ok(state) => tracing::info!(job_id = job.id, %state, "job finished"),
        Err(StoreError::LeaseLost { .. }) => {
            tracing::warn!(job_id = job.id, "lease lost before the result was recorded");
        }
        // The lease runs out and another worker retries the job; every step is idempotent.
        Err(err) => {
            tracing::error!(job_id = job.id, error = %analysis::error_chain(&err), "cannot record the job's result")
        }
    }
}

/// One attempt, dispatched by kind.
async fn attempt(ctx: &Context, job: &Job) -> Result<(), JobError> {
    match job.kind.as_str() {
        analysis::KIND => analysis::run(ctx, job).await,
        other => Err(JobError::Permanent {
            kind: "unknown_job_kind".into(),
            detail: format!("no handler for job kind {other:?}"),
        }),
    }
}

/// Marks the analysis of an analysis job failed (releasing its quota) and, the first time, tells
/// the contributor; other kinds have no analysis. The notice is owed from the moment the
/// analysis fails: this worker has one lease (`hold`) to send it before the sweep
/// ([`tell_due_failures`]) may, so a worker killed in between loses no notice.
async fn fail_analysis(
    ctx: &Context,
    job: &Job,
    kind: &str,
    detail: &str,
    hold: Duration,
) -> Result<(), StoreError> {
    if job.kind != analysis::KIND {
        return Ok(());
    }
    let Ok(analysis_id) = analysis::analysis_id(job) else {
        return Ok(());
    };
    let failed = match ctx
        .store
        .fail_analysis_now(analysis_id, kind, detail, hold)
        .await
    {
        Ok(failed) => failed,
        Err(StoreError::NotFound { .. }) => None,
        Err(err) => return Err(err),
    };
    // `None`: failed before (its notice owed or sent then) or delivered already (it stays done
    // and paid for).
    let Some(analysis) = failed else {
        return Ok(());
    };
    ctx.failpoint.hit(failpoint::BEFORE_FAILURE_NOTICE).await;
    tell_failure(ctx, &analysis).await;
    Ok(())
}

/// Tells the contributor of a failed analysis, and records it told. Any error leaves the notice
/// owed, for a later sweep: a notice sent whose recording failed may reach them twice, which
/// beats never.
async fn tell_failure(ctx: &Context, analysis: &Analysis) {
    let analysis_id = analysis.id;
    let kind = analysis.error_kind.as_deref().unwrap_or("failed");
    let user = match ctx.store.user(analysis.user_id).await {
        Ok(user) => user,
        Err(err) => {
            tracing::warn!(analysis_id, error = %analysis::error_chain(&err), "cannot look up whom to tell the analysis failed; will try again");
            return;
        }
    };
    let reference = failure_reference(analysis_id);
    tracing::warn!(analysis_id, reference = %reference, kind, "telling the contributor the analysis failed");
    let failure = Failure {
        analysis_id,
        user_id: user.id,
        telegram_id: user.telegram_id,
        kind,
        reference: &reference,
    };
    if let Err(err) = ctx.delivery.failed(&failure).await {
        tracing::error!(analysis_id, error = %analysis::error_chain(&err), "cannot tell the contributor the analysis failed; will try again");
        return;
    }
    if let Err(err) = ctx.store.notice_told(analysis_id).await {
        tracing::warn!(analysis_id, error = %analysis::error_chain(&err), "told the contributor, but cannot record it: they may be told again");
    }
}

/// Sends the failure notices nobody sent: their worker was killed before telling, or Telegram
/// could not take them. Each is claimed for `hold` first, so two workers' sweeps never send the
/// same notice at once.
async fn tell_due_failures(ctx: &Context, hold: Duration) {
    match ctx.store.drop_stale_notices(NOTICE_GIVE_UP).await {
        Ok(0) => {}
        Ok(dropped) => {
            tracing::error!(
                dropped,
                "gave up telling contributors about failed analyses: a day of trying"
            )
        }
        Err(err) => {
            tracing::warn!(error = %analysis::error_chain(&err), "cannot drop stale failure notices")
        }
    }
    let due = match ctx.store.claim_due_notices(NOTICES_PER_SWEEP, hold).await {
        Ok(due) => due,
        Err(err) => {
            tracing::warn!(error = %analysis::error_chain(&err), "cannot look for failure notices nobody sent");
            return;
        }
    };
    for analysis in due {
        tracing::warn!(
            analysis_id = analysis.id,
            "a failure notice was not sent by its worker; sending it now"
        );
        tell_failure(ctx, &analysis).await;
    }
}

/// The reference a contributor quotes for a failed analysis; the log line above carries it.
pub fn failure_reference(analysis_id: i64) -> String {
    format!("A{analysis_id}")
}

/// Renews the lease every third of it until aborted; cancels `lost` if the lease is gone.
async fn heartbeat(
    ctx: Context,
    job_id: i64,
    owner: String,
    lease: Duration,
    lost: CancellationToken,
) {
    let every = (lease / BEATS_PER_LEASE).max(Duration::from_millis(50));
    loop {
        tokio::time::sleep(every).await;
        match ctx.store.heartbeat_job(job_id, &owner, lease).await {
            Ok(()) => {}
            Err(StoreError::LeaseLost { .. }) => {
                lost.cancel();
                return;
            }
            // A missed beat is not yet a lost lease; the next one may get through.
            Err(err) => {
                tracing::warn!(job_id, error = %analysis::error_chain(&err), "heartbeat failed")
            }
        }
    }
}

/// Buries jobs whose worker died on their last attempt, and fails their analyses; sends the
/// failure notices nobody sent. `lease` is how long a worker may hold a notice it is sending.
async fn bury_loop(ctx: Context, lease: Duration, stop: CancellationToken) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(BURY_INTERVAL) => {}
            () = stop.cancelled() => return,
        }
        // Analyses first, then the jobs: see `expired_last_attempts`. An analysis failed before
        // is not failed (or told) again.
        let expired = match ctx.store.expired_last_attempts().await {
            Ok(jobs) => jobs,
            Err(err) => {
                tracing::warn!(error = %analysis::error_chain(&err), "cannot look for expired jobs");
                continue;
            }
        };
        for job in expired {
            if let Err(err) = fail_analysis(
                &ctx,
                &job,
                "gave_up",
                "worker lost on the last attempt",
                lease,
            )
            .await
            {
                // Left running: the next round tries again.
                tracing::error!(job_id = job.id, error = %analysis::error_chain(&err), "cannot fail the dead job's analysis");
                continue;
            }
            match ctx.store.bury_expired_job(job.id).await {
                Ok(true) => tracing::error!(
                    job_id = job.id,
                    "job is dead: its worker was lost on the last attempt"
                ),
                Ok(false) => {}
                Err(err) => {
                    tracing::warn!(job_id = job.id, error = %analysis::error_chain(&err), "cannot bury the expired job")
                }
            }
        }
        tell_due_failures(&ctx, lease).await;
    }
}

/// Locks the running-jobs map; a panic elsewhere while holding it leaves the map usable.
fn lock(running: &Running) -> std::sync::MutexGuard<'_, HashMap<i64, String>> {
    running
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
