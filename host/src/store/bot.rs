//! What only the bot keeps: the record of each report's Telegram delivery (so a repeated delivery
//! sends nothing twice), the operator's lexicon overrides, and the contributor's report list.

use super::{Store, StoreError};

/// What the Telegram sink recorded of one report's delivery.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TelegramDelivery {
    pub report_id: i64,
    pub chat_id: i64,
    /// Delivery calls so far, this one included.
    pub attempts: i32,
    pub started_at: i64,
    /// The summary message Telegram accepted, once it did.
    pub summary_message_id: Option<i64>,
    /// The document message Telegram accepted, once it did: the delivery is complete.
    pub document_message_id: Option<i64>,
}

/// Which message of a delivery Telegram accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveredPart {
    Summary,
    Document,
}

/// One operator override of a bot text.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LexiconOverride {
    pub lang: String,
    pub key: String,
    pub text: String,
    pub updated_at: i64,
}

/// One line of "My reports": an analysis of the contributor and, when it has one, its report's
/// summary.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportListing {
    pub analysis_id: i64,
    pub status: String,
    pub created_at: i64,
    /// The report's JSON summary; `None` until the report exists.
    pub summary: Option<String>,
}

impl Store {
    /// Records that a delivery of `report_id` to `chat_id` begins, and returns the record as it
    /// stands: `attempts` is 1 on the first call.
    pub async fn begin_telegram_delivery(
        &self,
        report_id: i64,
        chat_id: i64,
    ) -> Result<TelegramDelivery, StoreError> {
        let now = self.now();
        let record = with_pool!(self, |pool| {
            sqlx::query_as::<_, TelegramDelivery>(
                "INSERT INTO telegram_deliveries (report_id, chat_id, attempts, started_at)
                 VALUES ($1, $2, 1, $3)
                 ON CONFLICT (report_id) DO UPDATE SET
                     attempts = telegram_deliveries.attempts + 1
                 RETURNING report_id, chat_id, attempts, started_at, summary_message_id,
                           document_message_id",
            )
            .bind(report_id)
            .bind(chat_id)
            .bind(now)
            .fetch_one(pool)
            .await?
        });
        Ok(record)
    }

    /// Records the message Telegram accepted for one part of a report's delivery.
    pub async fn record_telegram_message(
        &self,
        report_id: i64,
        part: DeliveredPart,
        message_id: i64,
    ) -> Result<(), StoreError> {
        let sql = match part {
            DeliveredPart::Summary => {
                "UPDATE telegram_deliveries SET summary_message_id = $2 WHERE report_id = $1"
            }
            DeliveredPart::Document => {
                "UPDATE telegram_deliveries SET document_message_id = $2 WHERE report_id = $1"
            }
        };
        with_pool!(self, |pool| {
            sqlx::query(sql)
                .bind(report_id)
                .bind(message_id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Every lexicon override.
    pub async fn lexicon_overrides(&self) -> Result<Vec<LexiconOverride>, StoreError> {
        let rows = with_pool!(self, |pool| {
            sqlx::query_as::<_, LexiconOverride>(
                "SELECT lang, key, text, updated_at FROM lexicon_overrides ORDER BY lang, key",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Sets the text of `key` in `lang` (check it with the lexicon first).
    pub async fn set_lexicon_override(
        &self,
        lang: &str,
        key: &str,
        text: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO lexicon_overrides (lang, key, text, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (lang, key) DO UPDATE SET text = excluded.text,
                     updated_at = excluded.updated_at",
            )
            .bind(lang)
            .bind(key)
            .bind(text)
            .bind(now)
            .execute(pool)
            .await?;
        });
        self.cache
            .announce(crate::cache::Event::LexiconChanged)
            .await;
        Ok(())
    }

    /// Drops an override (the embedded text applies again); returns whether there was one.
    pub async fn remove_lexicon_override(&self, lang: &str, key: &str) -> Result<bool, StoreError> {
        let deleted = with_pool!(self, |pool| {
            sqlx::query("DELETE FROM lexicon_overrides WHERE lang = $1 AND key = $2")
                .bind(lang)
                .bind(key)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if deleted > 0 {
            self.cache
                .announce(crate::cache::Event::LexiconChanged)
                .await;
        }
        Ok(deleted > 0)
    }

    /// A page of the contributor's analyses, newest first, with their reports' summaries.
    pub async fn report_listing(
        &self,
        user_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ReportListing>, StoreError> {
        let rows = with_pool!(self, |pool| {
            sqlx::query_as::<_, ReportListing>(
                "SELECT a.id AS analysis_id, a.status, a.created_at, r.summary
                 FROM analyses a LEFT JOIN reports r ON r.analysis_id = a.id
                 WHERE a.user_id = $1
                 ORDER BY a.created_at DESC, a.id DESC
                 LIMIT $2 OFFSET $3",
            )
            .bind(user_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// How many analyses the contributor has.
    pub async fn count_analyses(&self, user_id: i64) -> Result<i64, StoreError> {
        let count = with_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM analyses WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }
}
