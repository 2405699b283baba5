//! Finished reports: the HTML, the JSON summary and the plugin versions that made them, with a
//! random token for links, an optional expiry and the time of delivery. Saving is idempotent per
//! analysis (a worker that crashed and ran again gets the first report back), and marking
//! delivery happens once: the call that marks it also completes the analysis and consumes its
//! quota, in one transaction. Rendering and sending are not this module's business.

use super::{BeginWrite, Store, StoreError};

/// Random bytes in a report token: 128 bits make guessing a live link hopeless.
const TOKEN_BYTES: usize = 16;

/// The column list of [`Report`], in its order.
macro_rules! report_columns {
    () => {
        "id, analysis_id, html, summary, plugin_versions, token, created_at, expires_at, \
         delivered_at"
    };
}

/// A stored report.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub analysis_id: i64,
    pub html: String,
    /// The JSON summary, as text.
    pub summary: String,
    /// Which plugin versions produced it, as JSON text (e.g. `{"adobe-stock":"1.0.0"}`).
    pub plugin_versions: String,
    /// Unguessable id for links to the report (lower-case hex).
    pub token: String,
    pub created_at: i64,
    /// After this time (Unix ms) the token no longer opens the report; `None` for never.
    pub expires_at: Option<i64>,
    /// When the report reached the contributor; `None` until then.
    pub delivered_at: Option<i64>,
}

impl std::fmt::Debug for Report {
    // The HTML runs to hundreds of kilobytes and the token is a secret link.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("id", &self.id)
            .field("analysis_id", &self.analysis_id)
            .field("html", &format_args!("<{} bytes>", self.html.len()))
            .field("plugin_versions", &self.plugin_versions)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("delivered_at", &self.delivered_at)
            .finish_non_exhaustive()
    }
}

/// A report to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReport {
    pub analysis_id: i64,
    pub html: String,
    pub summary: String,
    pub plugin_versions: String,
    pub expires_at: Option<i64>,
}

impl Store {
    /// Saves the report of an analysis with a fresh token and returns it; if the analysis already
    /// has a report (a retried job), returns that one unchanged.
    pub async fn save_report(&self, new: &NewReport) -> Result<Report, StoreError> {
        let now = self.now();
        let token = new_token()?;
        let inserted = with_pool!(self, |pool| {
            sqlx::query_as::<_, Report>(concat!(
                "INSERT INTO reports
                     (analysis_id, html, summary, plugin_versions, token, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (analysis_id) DO NOTHING
                 RETURNING ",
                report_columns!()
            ))
            .bind(new.analysis_id)
            .bind(&new.html)
            .bind(&new.summary)
            .bind(&new.plugin_versions)
            .bind(&token)
            .bind(now)
            .bind(new.expires_at)
            .fetch_optional(pool)
            .await
        });
        match inserted {
            Ok(Some(report)) => Ok(report),
            Ok(None) => self.report_of_analysis(new.analysis_id).await,
            Err(e) if super::error::is_foreign_key_violation(&e) => {
                Err(StoreError::NotFound { what: "analysis" })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The report with this id, or [`StoreError::NotFound`].
    pub async fn report(&self, id: i64) -> Result<Report, StoreError> {
        let report = with_pool!(self, |pool| {
            sqlx::query_as::<_, Report>(concat!(
                "SELECT ",
                report_columns!(),
                " FROM reports WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        report.ok_or(StoreError::NotFound { what: "report" })
    }

    /// The report of an analysis, or [`StoreError::NotFound`].
    pub async fn report_of_analysis(&self, analysis_id: i64) -> Result<Report, StoreError> {
        let report = with_pool!(self, |pool| {
            sqlx::query_as::<_, Report>(concat!(
                "SELECT ",
                report_columns!(),
                " FROM reports WHERE analysis_id = $1"
            ))
            .bind(analysis_id)
            .fetch_optional(pool)
            .await?
        });
        report.ok_or(StoreError::NotFound { what: "report" })
    }

    /// The report a link's token opens, or `None` if there is none or it has expired.
    pub async fn report_by_token(&self, token: &str) -> Result<Option<Report>, StoreError> {
        let now = self.now();
        let report = with_pool!(self, |pool| {
            sqlx::query_as::<_, Report>(concat!(
                "SELECT ",
                report_columns!(),
                " FROM reports WHERE token = $1 AND (expires_at IS NULL OR expires_at > $2)"
            ))
            .bind(token)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(report)
    }

    /// Records that a report reached its contributor: sets `delivered_at`, marks the analysis
    /// done and consumes its quota, in one transaction. True for the call that did it; false if
    /// it was already marked (so a retried delivery step can tell it has nothing left to do).
    pub async fn mark_report_delivered(&self, report_id: i64) -> Result<bool, StoreError> {
        let now = self.now();
        let marked = with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let analysis_id: Option<i64> = sqlx::query_scalar(
                "UPDATE reports SET delivered_at = $2
                 WHERE id = $1 AND delivered_at IS NULL
                 RETURNING analysis_id",
            )
            .bind(report_id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            match analysis_id {
                Some(analysis_id) => {
                    sqlx::query(
                        "UPDATE analyses SET status = 'done', finished_at = $2, updated_at = $2
                         WHERE id = $1",
                    )
                    .bind(analysis_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(super::quota::CONSUME)
                        .bind(analysis_id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Some(analysis_id)
                }
                None => None,
            }
        });
        let Some(analysis_id) = marked else {
            // Distinguish "already delivered" from "no such report".
            self.report(report_id).await?;
            return Ok(false);
        };
        self.quota_changed_for_analysis(analysis_id).await;
        Ok(true)
    }

    /// Deletes reports whose links expired before now; returns how many.
    pub async fn delete_expired_reports(&self) -> Result<u64, StoreError> {
        let now = self.now();
        let deleted = with_pool!(self, |pool| {
            sqlx::query("DELETE FROM reports WHERE expires_at IS NOT NULL AND expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted)
    }
}

/// A fresh random token, lower-case hex.
fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| {
        StoreError::Io(std::io::Error::other(format!(
            "no entropy for a token: {e}"
        )))
    })?;
    Ok(hex::encode(bytes))
}
