//! Analyses: one contributor's request to turn one or more uploads into a report, with the
//! answers and filters they chose (JSON text the store does not read), a status, timestamps and,
//! when it failed, an error kind. Creating one reserves quota (see [`super::quota`]); failing one
//! releases it in the same transaction; delivering its report completes it (see
//! [`super::reports`]). A failed analysis owes its contributor a notice until one is recorded as
//! sent ([`Store::notice_told`]); [`Store::claim_due_notices`] hands owed notices to whoever
//! sweeps for them, so a worker killed before telling loses nothing.

use std::time::Duration;

use super::{BeginWrite, Store, StoreError, millis};

text_enum! {
    /// Where an analysis is.
    AnalysisStatus, "analysis status" {
        /// Requested, quota reserved, waiting for a worker.
        Queued => "queued",
        /// A worker is on it (possibly again after a crash).
        Running => "running",
        /// Its report was delivered.
        Done => "done",
        /// It failed; `error_kind` says why and the quota was released.
        Failed => "failed",
    }
}

/// The column list of [`Analysis`], in its order.
macro_rules! analysis_columns {
    () => {
        "id, user_id, status, answers, filters, error_kind, error_detail, created_at, started_at, \
         finished_at, updated_at"
    };
}
pub(crate) use analysis_columns;

/// A row of the analyses table.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Analysis {
    pub id: i64,
    pub user_id: i64,
    #[sqlx(try_from = "String")]
    pub status: AnalysisStatus,
    /// The contributor's answers to the bot's questions, as JSON text.
    pub answers: String,
    /// Filters chosen for the report (period, marketplaces...), as JSON text.
    pub filters: String,
    /// A short machine-readable reason when failed, e.g. `unreadable_file`; the bot maps it to a
    /// lexicon text.
    pub error_kind: Option<String>,
    /// The full error for the operator's eyes, never shown to the contributor.
    pub error_detail: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub updated_at: i64,
}

/// What a contributor asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAnalysis {
    pub user_id: i64,
    /// The uploads to analyse together, in order; each must belong to `user_id`.
    pub upload_ids: Vec<i64>,
    /// JSON text.
    pub answers: String,
    /// JSON text.
    pub filters: String,
    /// The chat whose open request (the bot's dialogue) this analysis submits: the dialogue is
    /// deleted in the same transaction, and the request is refused with
    /// [`StoreError::Conflict`] if the chat has none (already submitted, or expired), so a
    /// request becomes one analysis however often, and however concurrently, its last button
    /// is pressed. `None` outside the bot.
    pub closes_dialogue_of: Option<i64>,
}

impl Store {
    /// The analysis with this id, or [`StoreError::NotFound`].
    pub async fn analysis(&self, id: i64) -> Result<Analysis, StoreError> {
        let analysis = with_pool!(self, |pool| {
            sqlx::query_as::<_, Analysis>(concat!(
                "SELECT ",
                analysis_columns!(),
                " FROM analyses WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        analysis.ok_or(StoreError::NotFound { what: "analysis" })
    }

    /// The uploads of an analysis, in the order they were given.
    pub async fn analysis_upload_ids(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        let ids = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT upload_id FROM analysis_uploads WHERE analysis_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        Ok(ids)
    }

    /// A user's analyses, newest first, at most `limit`.
    pub async fn analyses_of_user(
        &self,
        user_id: i64,
        limit: i64,
    ) -> Result<Vec<Analysis>, StoreError> {
        let analyses = with_pool!(self, |pool| {
            sqlx::query_as::<_, Analysis>(concat!(
                "SELECT ",
                analysis_columns!(),
                " FROM analyses WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
            ))
            .bind(user_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(analyses)
    }

    /// Marks an analysis running (a worker picked it up; again after a crash is fine).
    /// [`StoreError::Conflict`] if it is already done or failed.
    pub async fn start_analysis(&self, id: i64) -> Result<Analysis, StoreError> {
        let now = self.now();
        let analysis = with_pool!(self, |pool| {
            sqlx::query_as::<_, Analysis>(concat!(
                "UPDATE analyses SET status = 'running', started_at = COALESCE(started_at, $2),
                     updated_at = $2
                 WHERE id = $1 AND status IN ('queued', 'running')
                 RETURNING ",
                analysis_columns!()
            ))
            .bind(id)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        match analysis {
            Some(analysis) => Ok(analysis),
            None => {
                self.analysis(id).await?;
                Err(StoreError::Conflict {
                    what: "analysis already finished",
                })
            }
        }
    }

    /// Reopens a failed analysis for the operator's retry: queued again, error cleared, its
    /// quota reserved again (the operator decided; the plan's limit is not checked), any failure
    /// notice still owed dropped (the retry's outcome will be told instead), in one
    /// transaction. Reopening a queued or running one changes nothing; a done one is a
    /// [`StoreError::Conflict`].
    pub async fn reopen_analysis(&self, id: i64) -> Result<Analysis, StoreError> {
        let now = self.now();
        let reopened = with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let reopened = sqlx::query_as::<_, Analysis>(concat!(
                "UPDATE analyses SET status = 'queued', error_kind = NULL, error_detail = NULL,
                     finished_at = NULL, updated_at = $2, notice_due_at = NULL
                 WHERE id = $1 AND status = 'failed'
                 RETURNING ",
                analysis_columns!()
            ))
            .bind(id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if reopened.is_some() {
                sqlx::query(
                    "UPDATE quota_ledger SET state = 'reserved', settled_at = NULL
                     WHERE analysis_id = $1 AND state = 'released'",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
            reopened
        });
        match reopened {
            Some(analysis) => {
                self.quota_changed(analysis.user_id).await;
                Ok(analysis)
            }
            None => {
                let analysis = self.analysis(id).await?;
                if analysis.status == AnalysisStatus::Done {
                    Err(StoreError::Conflict {
                        what: "analysis already done",
                    })
                } else {
                    Ok(analysis)
                }
            }
        }
    }

    /// Marks an analysis failed with a machine-readable `kind` and the operator's `detail`, and
    /// releases its quota reservation in the same transaction; its notice is due at once.
    /// Failing an already failed analysis returns it unchanged; a done one is a
    /// [`StoreError::Conflict`].
    pub async fn fail_analysis(
        &self,
        id: i64,
        kind: &str,
        detail: &str,
    ) -> Result<Analysis, StoreError> {
        match self
            .fail_analysis_now(id, kind, detail, Duration::ZERO)
            .await?
        {
            Some(analysis) => Ok(analysis),
            None => {
                let analysis = self.analysis(id).await?;
                if analysis.status == AnalysisStatus::Failed {
                    Ok(analysis)
                } else {
                    Err(StoreError::Conflict {
                        what: "analysis already done",
                    })
                }
            }
        }
    }

    /// [`Store::fail_analysis`] that says whether this call is the one that failed it: `None`
    /// when the analysis was already failed or done (or does not exist), so the contributor is
    /// told about a failure once. The notice it owes is due `hold` from now: the caller tells
    /// the contributor and calls [`Store::notice_told`] within that time, or a sweep
    /// ([`Store::claim_due_notices`]) does it afterwards.
    pub async fn fail_analysis_now(
        &self,
        id: i64,
        kind: &str,
        detail: &str,
        hold: Duration,
    ) -> Result<Option<Analysis>, StoreError> {
        let now = self.now();
        let analysis = with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let failed = sqlx::query_as::<_, Analysis>(concat!(
                "UPDATE analyses SET status = 'failed', error_kind = $2, error_detail = $3,
                     finished_at = $4, updated_at = $4, notice_due_at = $5
                 WHERE id = $1 AND status IN ('queued', 'running')
                 RETURNING ",
                analysis_columns!()
            ))
            .bind(id)
            .bind(kind)
            .bind(detail)
            .bind(now)
            .bind(now.saturating_add(millis(hold)))
            .fetch_optional(&mut *tx)
            .await?;
            if failed.is_some() {
                sqlx::query(super::quota::RELEASE)
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            failed
        });
        if let Some(analysis) = &analysis {
            self.quota_changed(analysis.user_id).await;
        }
        Ok(analysis)
    }

    /// Records that the contributor of failed analysis `id` was told: nothing is owed any more.
    pub async fn notice_told(&self, id: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE analyses SET notice_due_at = NULL WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Failed analyses whose notice is due (owed and not held by anyone telling it now), at most
    /// `limit`, oldest first, each claimed for `hold`: its due time is pushed that far ahead, so
    /// another sweep leaves it alone while the caller tells the contributor. A caller killed
    /// before [`Store::notice_told`] leaves it due again after `hold`.
    pub async fn claim_due_notices(
        &self,
        limit: i64,
        hold: Duration,
    ) -> Result<Vec<Analysis>, StoreError> {
        let now = self.now();
        let analyses = with_pool!(self, |pool, backend| {
            sqlx::query_as::<_, Analysis>(backend.pick(
                concat!(
                    "UPDATE analyses SET notice_due_at = $2
                     WHERE id IN (
                         SELECT id FROM analyses
                         WHERE notice_due_at <= $1 AND status = 'failed'
                         ORDER BY notice_due_at, id LIMIT $3)
                     RETURNING ",
                    analysis_columns!()
                ),
                concat!(
                    "UPDATE analyses SET notice_due_at = $2
                     WHERE id IN (
                         SELECT id FROM analyses
                         WHERE notice_due_at <= $1 AND status = 'failed'
                         ORDER BY notice_due_at, id LIMIT $3
                         FOR UPDATE SKIP LOCKED)
                     RETURNING ",
                    analysis_columns!()
                ),
            ))
            .bind(now)
            .bind(now.saturating_add(millis(hold)))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(analyses)
    }

    /// Stops owing notices for analyses that failed more than `age` ago (a contributor Telegram
    /// could not reach for that long): how many were dropped, for the caller to log.
    pub async fn drop_stale_notices(&self, age: Duration) -> Result<u64, StoreError> {
        let cutoff = self.now().saturating_sub(millis(age));
        let dropped = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE analyses SET notice_due_at = NULL
                 WHERE notice_due_at IS NOT NULL AND finished_at < $1",
            )
            .bind(cutoff)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(dropped)
    }

    /// How many failed analyses still owe their contributor a notice, due or held.
    pub async fn notices_owed(&self) -> Result<i64, StoreError> {
        let owed = with_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM analyses WHERE notice_due_at IS NOT NULL",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(owed)
    }
}
