//! The jobs table and the operations a durable queue is built from: enqueue, claim with a lease
//! (one atomic statement), heartbeat, complete, fail with a retry delay, release, bury expired
//! jobs, and the operator's retry. Every change by a worker is conditional on it still holding
//! the lease, so a worker that lost its lease can never overwrite another's result.
//!
//! What this module must not do: decide which failures are transient, how long to wait, or how
//! to wake workers. Those policies belong to the queue built on top; [`Backoff`] is only a helper
//! it may use to compute a delay.

use std::time::Duration;

use super::{Store, StoreError, millis};

/// Attempts a job gets by default: with exponential backoff from seconds up to minutes, five
/// attempts ride out a database failover or a worker restart without keeping a hopeless job
/// alive for hours.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 5;

/// Longest error text kept per job: enough for a chain of causes, not for a megabyte of output.
const MAX_ERROR_CHARS: usize = 4000;

text_enum! {
    /// Where a job is in its life.
    JobState, "job state" {
        /// Waiting for `run_at` and a worker.
        Queued => "queued",
        /// Claimed by `lease_owner` until `lease_until`.
        Running => "running",
        Done => "done",
        /// Failed permanently; not retried unless the operator says so.
        Failed => "failed",
        /// Failed on its last attempt; visible to the operator, retried only by hand.
        Dead => "dead",
    }
}

/// The column list of [`Job`], in its order.
macro_rules! job_columns {
    () => {
        "id, kind, payload, state, attempts, max_attempts, run_at, lease_owner, lease_until, \
         last_error, created_at, updated_at, started_at"
    };
}

/// Inserts a job: binds kind, payload, max_attempts, run_at, now. Shared with the analysis
/// request, which enqueues in the same transaction as its quota reservation.
pub(crate) const INSERT_JOB: &str = concat!(
    "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
     VALUES ($1, $2, 'queued', 0, $3, $4, $5, $5) RETURNING ",
    job_columns!()
);

/// A row of the jobs table.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    /// What the worker should do, e.g. `analysis`; the queue maps kinds to handlers.
    pub kind: String,
    /// The job's input as the queue wrote it (JSON text by convention).
    pub payload: String,
    #[sqlx(try_from = "String")]
    pub state: JobState,
    /// Claims so far, including the running one.
    pub attempts: i32,
    pub max_attempts: i32,
    /// Not claimed before this time (Unix ms): when enqueued, or after a backoff.
    pub run_at: i64,
    /// Who holds the lease while running; unique per worker task.
    pub lease_owner: Option<String>,
    /// The lease runs out at this time (Unix ms) unless renewed by heartbeat.
    pub lease_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the latest attempt was claimed (Unix ms); `None` before the first.
    pub started_at: Option<i64>,
}

/// A job to enqueue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewJob {
    pub kind: String,
    pub payload: String,
    pub max_attempts: i32,
    /// Earliest time to run (Unix ms); `None` for now.
    pub run_at: Option<i64>,
}

impl NewJob {
    /// A job to run now with [`DEFAULT_MAX_ATTEMPTS`].
    pub fn new(kind: impl Into<String>, payload: impl Into<String>) -> NewJob {
        NewJob {
            kind: kind.into(),
            payload: payload.into(),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            run_at: None,
        }
    }
}

/// What to do with a job whose attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Try again after this delay, unless attempts are used up (then the job is dead).
    After(Duration),
    /// Do not try again: the failure is permanent.
    Never,
}

/// Exponential backoff with jitter, for the queue to compute [`Retry::After`] delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Delay after the first failed attempt (before jitter).
    pub base: Duration,
    /// No delay exceeds this.
    pub max: Duration,
}

impl Backoff {
    /// The delay after failed attempt number `attempt` (1-based): `base · 2^(attempt-1)`, capped
    /// at `max`, of which the upper half is random, so workers that failed together do not all
    /// come back at the same instant.
    pub fn delay(&self, attempt: i32) -> Duration {
        let doublings = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        let full = self.base.saturating_mul(1u32 << doublings).min(self.max);
        let half = full / 2;
        let half_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        // Without an entropy source the delay is simply not jittered.
        let jitter = match getrandom::u64() {
            Ok(r) if half_ms > 0 => r % (half_ms + 1),
            _ => 0,
        };
        (full - half) + Duration::from_millis(jitter)
    }
}

impl Store {
    /// Adds a job to the queue and returns it.
    pub async fn enqueue_job(&self, job: &NewJob) -> Result<Job, StoreError> {
        if job.max_attempts < 1 {
            return Err(StoreError::Invalid(
                "max_attempts must be at least 1".into(),
            ));
        }
        let now = self.now();
        let job = with_pool!(self, |pool| {
            sqlx::query_as::<_, Job>(INSERT_JOB)
                .bind(&job.kind)
                .bind(&job.payload)
                .bind(job.max_attempts)
                .bind(job.run_at.unwrap_or(now))
                .bind(now)
                .fetch_one(pool)
                .await?
        });
        Ok(job)
    }

    /// Claims the next due job for `owner` with a lease of `lease`, in one atomic statement: a
    /// queued job whose `run_at` has come, or a running one whose lease expired with attempts
    /// left (its worker died). Counts an attempt. `None` when nothing is due. Two claimers never
    /// get the same job: Postgres skips rows another claimer has locked, SQLite runs one writing
    /// statement at a time.
    pub async fn claim_job(&self, owner: &str, lease: Duration) -> Result<Option<Job>, StoreError> {
        let now = self.now();
        let lease_until = now.saturating_add(millis(lease));
        let job = with_pool!(self, |pool, backend| {
            sqlx::query_as::<_, Job>(backend.pick(
                concat!(
                    "UPDATE jobs SET state = 'running', attempts = attempts + 1,
                         lease_owner = $1, lease_until = $2, updated_at = $3, started_at = $3
                     WHERE id = (
                         SELECT id FROM jobs
                         WHERE (state = 'queued' AND run_at <= $3)
                            OR (state = 'running' AND lease_until < $3 AND attempts < max_attempts)
                         ORDER BY run_at, id
                         LIMIT 1)
                     RETURNING ",
                    job_columns!()
                ),
                concat!(
                    "UPDATE jobs SET state = 'running', attempts = attempts + 1,
                         lease_owner = $1, lease_until = $2, updated_at = $3, started_at = $3
                     WHERE id = (
                         SELECT id FROM jobs
                         WHERE (state = 'queued' AND run_at <= $3)
                            OR (state = 'running' AND lease_until < $3 AND attempts < max_attempts)
                         ORDER BY run_at, id
                         LIMIT 1
                         FOR UPDATE SKIP LOCKED)
                     RETURNING ",
                    job_columns!()
                ),
            ))
            .bind(owner)
            .bind(lease_until)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(job)
    }

    /// Extends the lease of a running job to `lease` from now. [`StoreError::LeaseLost`] if
    /// `owner` no longer holds it; the worker must then stop working on the job.
    pub async fn heartbeat_job(
        &self,
        id: i64,
        owner: &str,
        lease: Duration,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let changed = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE jobs SET lease_until = $3, updated_at = $4
                 WHERE id = $1 AND state = 'running' AND lease_owner = $2",
            )
            .bind(id)
            .bind(owner)
            .bind(now.saturating_add(millis(lease)))
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        lease_held(id, changed)
    }

    /// Marks a running job done. [`StoreError::LeaseLost`] if `owner` no longer holds it.
    pub async fn complete_job(&self, id: i64, owner: &str) -> Result<(), StoreError> {
        let now = self.now();
        let changed = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL,
                     updated_at = $3
                 WHERE id = $1 AND state = 'running' AND lease_owner = $2",
            )
            .bind(id)
            .bind(owner)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        lease_held(id, changed)
    }

    /// Records a failed attempt of a running job and returns its new state: queued again after
    /// the delay for [`Retry::After`] while attempts remain, dead once they are used up, failed
    /// for [`Retry::Never`]. [`StoreError::LeaseLost`] if `owner` no longer holds it.
    pub async fn fail_job(
        &self,
        id: i64,
        owner: &str,
        error: &str,
        retry: Retry,
    ) -> Result<JobState, StoreError> {
        let now = self.now();
        let error = truncate_chars(error, MAX_ERROR_CHARS);
        // A delay of i64::MAX-ish means "never" in practice; run_at saturates rather than wraps.
        let (retry_at, permanent) = match retry {
            Retry::After(delay) => (now.saturating_add(millis(delay)), false),
            Retry::Never => (now, true),
        };
        let state: Option<String> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "UPDATE jobs SET
                     state = CASE WHEN $4 THEN 'failed'
                                  WHEN attempts >= max_attempts THEN 'dead'
                                  ELSE 'queued' END,
                     run_at = CASE WHEN $4 OR attempts >= max_attempts THEN run_at ELSE $5 END,
                     lease_owner = NULL, lease_until = NULL, last_error = $3, updated_at = $6
                 WHERE id = $1 AND state = 'running' AND lease_owner = $2
                 RETURNING state",
            )
            .bind(id)
            .bind(owner)
            .bind(error)
            .bind(permanent)
            .bind(retry_at)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        match state {
            Some(state) => Ok(JobState::try_from(state)
                .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))?),
            None => Err(StoreError::LeaseLost { job_id: id }),
        }
    }

    /// Gives a running job back to the queue without counting the attempt (a worker shutting
    /// down before it finished). [`StoreError::LeaseLost`] if `owner` no longer holds it.
    pub async fn release_job(&self, id: i64, owner: &str) -> Result<(), StoreError> {
        let now = self.now();
        let changed = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE jobs SET state = 'queued',
                     attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
                     run_at = $3, lease_owner = NULL, lease_until = NULL, updated_at = $3
                 WHERE id = $1 AND state = 'running' AND lease_owner = $2",
            )
            .bind(id)
            .bind(owner)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        lease_held(id, changed)
    }

    /// Running jobs whose lease ran out on their last attempt (their worker died and no attempt
    /// is left): what [`Store::bury_expired_job`] buries. The worker fails their analyses first,
    /// so a worker killed between the two steps leaves the job to be found again, never a dead
    /// job whose analysis stays open.
    pub async fn expired_last_attempts(&self) -> Result<Vec<Job>, StoreError> {
        let now = self.now();
        let jobs = with_pool!(self, |pool| {
            sqlx::query_as::<_, Job>(concat!(
                "SELECT ",
                job_columns!(),
                " FROM jobs
                 WHERE state = 'running' AND lease_until < $1 AND attempts >= max_attempts"
            ))
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        Ok(jobs)
    }

    /// Buries one job found by [`Store::expired_last_attempts`], if it is still running with its
    /// lease run out (another worker may have buried it first); whether this call buried it.
    pub async fn bury_expired_job(&self, id: i64) -> Result<bool, StoreError> {
        let now = self.now();
        let buried = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE jobs SET state = 'dead', lease_owner = NULL, lease_until = NULL,
                     last_error = COALESCE(last_error, 'lease expired on the last attempt'),
                     updated_at = $1
                 WHERE id = $2 AND state = 'running' AND lease_until < $1
                     AND attempts >= max_attempts",
            )
            .bind(now)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(buried > 0)
    }

    /// Puts a dead or failed job back in the queue with fresh attempts (`stocklens jobs retry`).
    /// [`StoreError::Conflict`] if it is queued, running or done.
    pub async fn retry_job(&self, id: i64) -> Result<Job, StoreError> {
        let now = self.now();
        let job = with_pool!(self, |pool| {
            sqlx::query_as::<_, Job>(concat!(
                "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $2, updated_at = $2
                 WHERE id = $1 AND state IN ('dead', 'failed')
                 RETURNING ",
                job_columns!()
            ))
            .bind(id)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        match job {
            Some(job) => Ok(job),
            None => {
                self.job(id).await?;
                Err(StoreError::Conflict {
                    what: "only dead or failed jobs can be retried",
                })
            }
        }
    }

    /// The job with this id, or [`StoreError::NotFound`].
    pub async fn job(&self, id: i64) -> Result<Job, StoreError> {
        let job = with_pool!(self, |pool| {
            sqlx::query_as::<_, Job>(concat!(
                "SELECT ",
                job_columns!(),
                " FROM jobs WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        job.ok_or(StoreError::NotFound { what: "job" })
    }

    /// Up to `limit` jobs, newest first, optionally only those in `state` (`stocklens jobs list`).
    pub async fn list_jobs(
        &self,
        state: Option<JobState>,
        limit: i64,
    ) -> Result<Vec<Job>, StoreError> {
        let jobs = with_pool!(self, |pool| {
            sqlx::query_as::<_, Job>(concat!(
                "SELECT ",
                job_columns!(),
                " FROM jobs WHERE ($1 IS NULL OR state = $1) ORDER BY id DESC LIMIT $2"
            ))
            .bind(state.map(JobState::as_str))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(jobs)
    }

    /// How many jobs are in each state (states with none are left out); for metrics.
    pub async fn count_jobs(&self) -> Result<Vec<(JobState, i64)>, StoreError> {
        let rows: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state")
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|(state, n)| {
                JobState::try_from(state)
                    .map(|s| (s, n))
                    .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
            })
            .collect()
    }
}

fn lease_held(id: i64, rows_changed: u64) -> Result<(), StoreError> {
    if rows_changed == 0 {
        Err(StoreError::LeaseLost { job_id: id })
    } else {
        Ok(())
    }
}

fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((cut, _)) => &s[..cut],
        None => s,
    }
}

impl Store {
    /// How many jobs are in each state (states without any are left out).
    pub async fn count_jobs_by_state(&self) -> Result<Vec<(JobState, i64)>, StoreError> {
        let rows: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(state, count)| Some((JobState::try_from(state).ok()?, count)))
            .collect())
    }
}
