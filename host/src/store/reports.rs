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
        "id, analysis_id, html, summary, plugin_versions, plugin_generation, token, created_at, \
         expires_at, delivered_at"
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
    /// The plugin registry generation the job ran with (see `catalog`): which activation was in
    /// force for it. `None` for reports made before plugins could change.
    pub plugin_generation: Option<i64>,
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
    pub plugin_generation: Option<i64>,
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
                     (analysis_id, html, summary, plugin_versions, plugin_generation, token,
                      created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (analysis_id) DO NOTHING
                 RETURNING ",
                report_columns!()
            ))
            .bind(new.analysis_id)
            .bind(&new.html)
            .bind(&new.summary)
            .bind(&new.plugin_versions)
            .bind(new.plugin_generation)
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

/// One UTC day of `/admin/stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayStats {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Analyses requested that day, and how many of them failed.
    pub analyses: i64,
    pub failed: i64,
    /// Reports made that day, the sales they covered and the revenue per currency they
    /// analysed (decimal strings, exact).
    pub reports: i64,
    pub sales: i64,
    pub revenue: std::collections::BTreeMap<String, String>,
}

impl Store {
    /// Analyses and revenue analysed per UTC day over the last `days` days, oldest first; days
    /// without any are left out.
    pub async fn daily_stats(&self, days: i64) -> Result<Vec<DayStats>, StoreError> {
        let since = self
            .now()
            .saturating_sub(days.saturating_mul(super::DAY_MS));
        // (created_at, status) of analyses and (created_at, summary) of reports.
        type Rows = Vec<(i64, String)>;
        let (analyses, reports): (Rows, Rows) = with_pool!(self, |pool| {
            let analyses =
                sqlx::query_as("SELECT created_at, status FROM analyses WHERE created_at >= $1")
                    .bind(since)
                    .fetch_all(pool)
                    .await?;
            let reports =
                sqlx::query_as("SELECT created_at, summary FROM reports WHERE created_at >= $1")
                    .bind(since)
                    .fetch_all(pool)
                    .await?;
            (analyses, reports)
        });
        let mut by_day: std::collections::BTreeMap<
            i64,
            (DayStats, std::collections::BTreeMap<String, i128>),
        > = std::collections::BTreeMap::new();
        for (at, status) in &analyses {
            let entry = &mut by_day.entry(at.div_euclid(super::DAY_MS)).or_default().0;
            entry.analyses += 1;
            entry.failed += i64::from(status == "failed");
        }
        for (at, summary) in &reports {
            let (entry, revenue) = by_day.entry(at.div_euclid(super::DAY_MS)).or_default();
            entry.reports += 1;
            let Ok(summary) = serde_json::from_str::<serde_json::Value>(summary) else {
                continue;
            };
            entry.sales += summary["sales"].as_i64().unwrap_or(0);
            if let Some(map) = summary["revenue"].as_object() {
                for (currency, amount) in map {
                    if let Some(micros) = amount.as_str().and_then(decimal_micros) {
                        *revenue.entry(currency.clone()).or_default() += micros;
                    }
                }
            }
        }
        Ok(by_day
            .into_iter()
            .map(|(day, (mut stats, revenue))| {
                stats.day = jiff::Timestamp::from_millisecond(day * super::DAY_MS)
                    .map(|t| t.strftime("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                stats.revenue = revenue
                    .into_iter()
                    .map(|(currency, micros)| (currency, micros_decimal(micros)))
                    .collect();
                stats
            })
            .collect())
    }
}

/// `"-12.5"` as millionths (-12_500_000); `None` for anything else than a plain decimal.
fn decimal_micros(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || fraction.len() > 6
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let micros =
        whole.parse::<i128>().ok()? * 1_000_000 + format!("{fraction:0<6}").parse::<i128>().ok()?;
    Some(if negative { -micros } else { micros })
}

/// Millionths as a decimal with two to six places: 12_500_000 → "12.50".
fn micros_decimal(micros: i128) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    let mut fraction = format!("{:06}", abs % 1_000_000);
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    format!("{sign}{}.{fraction}", abs / 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_trip_through_micros() {
        assert_eq!(decimal_micros("12.5"), Some(12_500_000));
        assert_eq!(decimal_micros("-0.000001"), Some(-1));
        assert_eq!(decimal_micros("3"), Some(3_000_000));
        assert_eq!(decimal_micros("1.2345678"), None);
        assert_eq!(decimal_micros("1e3"), None);
        assert_eq!(micros_decimal(12_500_000), "12.50");
        assert_eq!(micros_decimal(-1), "-0.000001");
        assert_eq!(micros_decimal(0), "0.00");
    }
}
