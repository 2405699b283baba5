//! The bot's inbox: updates carrying a file, kept from the moment they arrive until their
//! handler has finished, so a bot killed in between hands them on again when it starts (see
//! `bot::inbox`). The store does not read an update's body.

use std::time::Duration;

use super::{BeginWrite, Store, StoreError, millis};

/// One update waiting in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct InboxEntry {
    pub update_id: i64,
    pub chat_id: i64,
    pub message_id: i64,
    /// The update as Telegram sent it (JSON text).
    pub body: String,
    pub received_at: i64,
}

impl Store {
    /// Keeps an arriving update; one already kept (a replay) stays as it is.
    pub async fn inbox_keep(
        &self,
        update_id: i64,
        chat_id: i64,
        message_id: i64,
        body: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO bot_inbox (update_id, chat_id, message_id, body, received_at, taken_at)
                 VALUES ($1, $2, $3, $4, $5, $5)
                 ON CONFLICT (update_id) DO NOTHING",
            )
            .bind(update_id)
            .bind(chat_id)
            .bind(message_id)
            .bind(body)
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Forgets the update of message `message_id` in `chat_id`: its handler has finished.
    pub async fn inbox_done(&self, chat_id: i64, message_id: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM bot_inbox WHERE chat_id = $1 AND message_id = $2")
                .bind(chat_id)
                .bind(message_id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Takes the updates a bot took (or received) more than `idle` ago and never finished, in
    /// the order they arrived, marking them taken now so another bot starting at the same time
    /// does not take them too. Updates received more than `give_up` ago, or taken `max_takes`
    /// times already (their handler never finishing), are dropped instead.
    pub async fn inbox_take_unfinished(
        &self,
        idle: Duration,
        give_up: Duration,
        max_takes: i32,
    ) -> Result<Vec<InboxEntry>, StoreError> {
        let now = self.now();
        let entries = with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let dropped = sqlx::query(
                "DELETE FROM bot_inbox WHERE received_at < $1 OR (takes >= $2 AND taken_at <= $3)",
            )
            .bind(now.saturating_sub(millis(give_up)))
            .bind(max_takes)
            .bind(now.saturating_sub(millis(idle)))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if dropped > 0 {
                tracing::error!(
                    dropped,
                    "dropped files from the bot's inbox: a day old, or their handler never finished"
                );
            }
            let mut entries = sqlx::query_as::<_, InboxEntry>(
                "UPDATE bot_inbox SET taken_at = $1, takes = takes + 1 WHERE taken_at <= $2
                 RETURNING update_id, chat_id, message_id, body, received_at",
            )
            .bind(now)
            .bind(now.saturating_sub(millis(idle)))
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            entries.sort_by_key(|e| e.update_id);
            entries
        });
        Ok(entries)
    }

    /// How many updates wait in the inbox.
    pub async fn inbox_len(&self) -> Result<i64, StoreError> {
        let len = with_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM bot_inbox")
                .fetch_one(pool)
                .await?
        });
        Ok(len)
    }
}
