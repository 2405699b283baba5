//! The quota ledger: one entry per analysis, reserved when the analysis is requested, consumed
//! when its report is delivered, released when it fails. Reserved and consumed entries made in
//! the plan's rolling window of `period_days` count against the plan's `analyses`.
//!
//! A request creates the analysis and its reservation (and, if asked, its job) in one
//! transaction that first locks the user's row (Postgres `FOR UPDATE`; SQLite `BEGIN IMMEDIATE`
//! holds the database's single write lock), so concurrent requests for one user are counted one
//! after another and can never together exceed the plan. The ledger does not decide what a plan
//! costs or who gets one.

use super::analyses::{Analysis, NewAnalysis, analysis_columns};
use super::jobs::{INSERT_JOB, Job, NewJob};
use super::plans::FALLBACK_PLAN;
use super::{BeginWrite, DAY_MS, Store, StoreError};

text_enum! {
    /// Where a ledger entry is.
    QuotaState, "quota state" {
        /// Counted against the plan; the analysis is under way.
        Reserved => "reserved",
        /// Counted for good: the report was delivered.
        Consumed => "consumed",
        /// No longer counted: the analysis failed.
        Released => "released",
    }
}

/// Consumes an analysis's reservation: binds analysis_id, now.
pub(crate) const CONSUME: &str = "UPDATE quota_ledger SET state = 'consumed', settled_at = $2
     WHERE analysis_id = $1 AND state = 'reserved'";

/// Releases an analysis's reservation: binds analysis_id, now.
pub(crate) const RELEASE: &str = "UPDATE quota_ledger SET state = 'released', settled_at = $2
     WHERE analysis_id = $1 AND state = 'reserved'";

/// One ledger entry.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct QuotaEntry {
    pub id: i64,
    pub user_id: i64,
    pub analysis_id: i64,
    /// The plan the reservation was counted against.
    pub plan: String,
    #[sqlx(try_from = "String")]
    pub state: QuotaState,
    pub reserved_at: i64,
    /// When it was consumed or released.
    pub settled_at: Option<i64>,
}

/// A user's standing against their plan right now.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuotaUsage {
    /// The plan in force (FREE once a granted plan lapsed).
    pub plan: String,
    /// Analyses the plan allows per window.
    pub limit: i32,
    pub period_days: i32,
    /// Reservations in the window still waiting for their report.
    pub reserved: i64,
    /// Delivered analyses in the window.
    pub consumed: i64,
}

impl QuotaUsage {
    /// Analyses the user may still request in the current window.
    pub fn remaining(&self) -> i64 {
        (i64::from(self.limit) - self.reserved - self.consumed).max(0)
    }
}

impl Store {
    /// Creates an analysis and reserves one unit of the user's quota for it, atomically:
    /// [`StoreError::QuotaExceeded`] (and nothing written) when the plan's analyses in the
    /// current window are used up; [`StoreError::NotFound`] for an unknown user or an upload that
    /// is not the user's.
    pub async fn request_analysis(&self, new: &NewAnalysis) -> Result<Analysis, StoreError> {
        let (analysis, _) = self.request(new, None::<fn(i64) -> NewJob>).await?;
        Ok(analysis)
    }

    /// Like [`Store::request_analysis`], and enqueues the job `make_job` builds from the new
    /// analysis's id in the same transaction, so an analysis never exists without its job.
    pub async fn request_analysis_with_job(
        &self,
        new: &NewAnalysis,
        make_job: impl FnOnce(i64) -> NewJob,
    ) -> Result<(Analysis, Job), StoreError> {
        let (analysis, job) = self.request(new, Some(make_job)).await?;
        match job {
            Some(job) => Ok((analysis, job)),
            // `request` always enqueues when given a job builder.
            None => Err(StoreError::NotFound { what: "job" }),
        }
    }

    async fn request<F: FnOnce(i64) -> NewJob>(
        &self,
        new: &NewAnalysis,
        make_job: Option<F>,
    ) -> Result<(Analysis, Option<Job>), StoreError> {
        let now = self.now();
        let result = with_pool!(self, |pool, backend| {
            let mut tx = pool.begin_write().await?;

            // Lock the user's row: concurrent requests of one user wait here on Postgres. On
            // SQLite, BEGIN IMMEDIATE already made this transaction the only writer.
            let user: Option<(String, Option<i64>)> = sqlx::query_as(backend.pick(
                "SELECT plan, plan_until FROM users WHERE id = $1",
                "SELECT plan, plan_until FROM users WHERE id = $1 FOR UPDATE",
            ))
            .bind(new.user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((granted, until)) = user else {
                return Err(StoreError::NotFound { what: "user" });
            };
            let plan = match until {
                Some(until) if until <= now => FALLBACK_PLAN.to_owned(),
                _ => granted,
            };
            let limits: Option<(i32, i32)> =
                sqlx::query_as("SELECT analyses, period_days FROM plans WHERE name = $1")
                    .bind(&plan)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((limit, period_days)) = limits else {
                return Err(StoreError::NotFound { what: "plan" });
            };
            let window_start = now.saturating_sub(i64::from(period_days).saturating_mul(DAY_MS));
            let used: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM quota_ledger
                 WHERE user_id = $1 AND state <> 'released' AND reserved_at > $2",
            )
            .bind(new.user_id)
            .bind(window_start)
            .fetch_one(&mut *tx)
            .await?;
            if used >= i64::from(limit) {
                // Dropping the transaction rolls it back.
                return Err(StoreError::QuotaExceeded { plan, limit });
            }
            if let Some(chat_id) = new.closes_dialogue_of {
                let closed = sqlx::query(
                    "DELETE FROM dialogue_states
                     WHERE chat_id = $1 AND (expires_at IS NULL OR expires_at > $2)",
                )
                .bind(chat_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if closed == 0 {
                    return Err(StoreError::Conflict {
                        what: "the request was already submitted",
                    });
                }
            }

            let analysis = sqlx::query_as::<_, Analysis>(concat!(
                "INSERT INTO analyses (user_id, status, answers, filters, created_at, updated_at)
                 VALUES ($1, 'queued', $2, $3, $4, $4) RETURNING ",
                analysis_columns!()
            ))
            .bind(new.user_id)
            .bind(&new.answers)
            .bind(&new.filters)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;

            for (position, upload_id) in new.upload_ids.iter().enumerate() {
                let linked = sqlx::query(
                    "INSERT INTO analysis_uploads (analysis_id, upload_id, position)
                     SELECT $1, id, $3 FROM uploads WHERE id = $2 AND user_id = $4",
                )
                .bind(analysis.id)
                .bind(upload_id)
                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                .bind(new.user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if linked == 0 {
                    return Err(StoreError::NotFound { what: "upload" });
                }
            }

            sqlx::query(
                "INSERT INTO quota_ledger (user_id, analysis_id, plan, state, reserved_at)
                 VALUES ($1, $2, $3, 'reserved', $4)",
            )
            .bind(new.user_id)
            .bind(analysis.id)
            .bind(&plan)
            .bind(now)
            .execute(&mut *tx)
            .await?;

            let job = match make_job {
                Some(make_job) => {
                    let job = make_job(analysis.id);
                    if job.max_attempts < 1 {
                        return Err(StoreError::Invalid(
                            "max_attempts must be at least 1".into(),
                        ));
                    }
                    let job = sqlx::query_as::<_, Job>(INSERT_JOB)
                        .bind(&job.kind)
                        .bind(&job.payload)
                        .bind(job.max_attempts)
                        .bind(job.run_at.unwrap_or(now))
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                    Some(job)
                }
                None => None,
            };
            tx.commit().await?;
            (analysis, job)
        });
        if let Some(chat_id) = new.closes_dialogue_of {
            self.cache
                .set_json(
                    &super::cached::dialogue_key(chat_id),
                    &None::<super::DialogueState>,
                    super::cached::DIALOGUE_TTL,
                )
                .await;
        }
        self.quota_changed(new.user_id).await;
        Ok(result)
    }

    /// The user's standing against their plan in force now.
    /// Served from the cache when it holds a recent answer.
    pub async fn quota_usage(&self, user_id: i64) -> Result<QuotaUsage, StoreError> {
        let key = super::cached::quota_key(user_id);
        if let Some(usage) = self.cache.get_json::<QuotaUsage>(&key).await {
            return Ok(usage);
        }
        let now = self.now();
        // One round trip: the plan in force (FREE once a granted plan lapsed), its limits, and
        // the ledger within its window.
        let row: Option<(String, i32, i32, i64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.name, p.analyses, p.period_days,
                     (SELECT COUNT(*) FROM quota_ledger q WHERE q.user_id = u.id
                          AND q.state = 'reserved'
                          AND q.reserved_at > $2 - CAST(p.period_days AS BIGINT) * $4),
                     (SELECT COUNT(*) FROM quota_ledger q WHERE q.user_id = u.id
                          AND q.state = 'consumed'
                          AND q.reserved_at > $2 - CAST(p.period_days AS BIGINT) * $4)
                 FROM users u
                 JOIN plans p ON p.name = CASE
                     WHEN u.plan_until IS NOT NULL AND u.plan_until <= $2 THEN $3
                     ELSE u.plan END
                 WHERE u.id = $1",
            )
            .bind(user_id)
            .bind(now)
            .bind(FALLBACK_PLAN)
            .bind(DAY_MS)
            .fetch_optional(pool)
            .await?
        });
        let Some((plan, limit, period_days, reserved, consumed)) = row else {
            // Tell which is missing, as the lookups one by one would.
            self.user(user_id).await?;
            return Err(StoreError::NotFound { what: "plan" });
        };
        let usage = QuotaUsage {
            plan,
            limit,
            period_days,
            reserved,
            consumed,
        };
        self.cache
            .set_json(&key, &usage, super::cached::QUOTA_TTL)
            .await;
        Ok(usage)
    }

    /// The ledger entry of an analysis, or [`StoreError::NotFound`].
    pub async fn quota_entry(&self, analysis_id: i64) -> Result<QuotaEntry, StoreError> {
        let entry = with_pool!(self, |pool| {
            sqlx::query_as::<_, QuotaEntry>(
                "SELECT id, user_id, analysis_id, plan, state, reserved_at, settled_at
                 FROM quota_ledger WHERE analysis_id = $1",
            )
            .bind(analysis_id)
            .fetch_optional(pool)
            .await?
        });
        entry.ok_or(StoreError::NotFound {
            what: "quota entry",
        })
    }

    /// Turns an analysis's reservation into consumption. True if this call did it, false if it
    /// was already consumed; [`StoreError::Conflict`] if it was released.
    pub async fn consume_quota(&self, analysis_id: i64) -> Result<bool, StoreError> {
        self.settle(analysis_id, CONSUME, QuotaState::Consumed)
            .await
    }

    /// Gives an analysis's reservation back. True if this call did it, false if it was already
    /// released; [`StoreError::Conflict`] if it was consumed (a delivered report stays paid for).
    pub async fn release_quota(&self, analysis_id: i64) -> Result<bool, StoreError> {
        self.settle(analysis_id, RELEASE, QuotaState::Released)
            .await
    }

    async fn settle(
        &self,
        analysis_id: i64,
        sql: &'static str,
        target: QuotaState,
    ) -> Result<bool, StoreError> {
        let now = self.now();
        let changed = with_pool!(self, |pool| {
            sqlx::query(sql)
                .bind(analysis_id)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if changed > 0 {
            self.quota_changed_for_analysis(analysis_id).await;
            return Ok(true);
        }
        let entry = self.quota_entry(analysis_id).await?;
        if entry.state == target {
            Ok(false)
        } else {
            Err(StoreError::Conflict {
                what: "quota entry already settled the other way",
            })
        }
    }
}
