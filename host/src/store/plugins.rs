//! Installed plugins as stored artifacts: id, version, kind, the component's bytes and sha256,
//! whether it is active, who installed it and when; one row per (id, version). The store neither
//! compiles nor checks a component — the plugin module does that before it installs one.

use super::{Store, StoreError, error, sha256_hex};

text_enum! {
    /// Whether the host should load a stored plugin.
    PluginState, "plugin state" {
        Active => "active",
        /// Kept for the record or a rollback, not loaded.
        Disabled => "disabled",
    }
}

/// The column list of [`PluginRecord`], in its order.
macro_rules! plugin_columns {
    () => {
        "id, version, kind, sha256, state, installed_by, installed_at"
    };
}

/// A stored plugin without its bytes.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PluginRecord {
    pub id: String,
    pub version: String,
    /// As the plugin module names it (`parser`, `analyzer`).
    pub kind: String,
    /// Lower-case hex sha256 of the component bytes.
    pub sha256: String,
    #[sqlx(try_from = "String")]
    pub state: PluginState,
    /// Who installed it (an operator's name or Telegram id), where known.
    pub installed_by: Option<String>,
    pub installed_at: i64,
}

/// A plugin to install.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPlugin<'a> {
    pub id: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
    pub bytes: &'a [u8],
    pub state: PluginState,
    pub installed_by: Option<&'a str>,
}

impl Store {
    /// Stores a plugin and returns its record; computes its sha256.
    /// [`StoreError::Conflict`] if this id and version are already installed.
    pub async fn install_plugin(&self, new: &NewPlugin<'_>) -> Result<PluginRecord, StoreError> {
        let now = self.now();
        let sha256 = sha256_hex(new.bytes);
        let result = with_pool!(self, |pool| {
            sqlx::query_as::<_, PluginRecord>(concat!(
                "INSERT INTO plugins
                     (id, version, kind, bytes, sha256, state, installed_by, installed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
                plugin_columns!()
            ))
            .bind(new.id)
            .bind(new.version)
            .bind(new.kind)
            .bind(new.bytes)
            .bind(&sha256)
            .bind(new.state.as_str())
            .bind(new.installed_by)
            .bind(now)
            .fetch_one(pool)
            .await
        });
        match result {
            Ok(record) => Ok(record),
            Err(e) if error::is_unique_violation(&e) => Err(StoreError::Conflict {
                what: "plugin version already installed",
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Every stored plugin, by id then version (text order), without bytes.
    pub async fn plugins(&self) -> Result<Vec<PluginRecord>, StoreError> {
        let records = with_pool!(self, |pool| {
            sqlx::query_as::<_, PluginRecord>(concat!(
                "SELECT ",
                plugin_columns!(),
                " FROM plugins ORDER BY id, version"
            ))
            .fetch_all(pool)
            .await?
        });
        Ok(records)
    }

    /// The component bytes of one plugin version, or [`StoreError::NotFound`].
    pub async fn plugin_bytes(&self, id: &str, version: &str) -> Result<Vec<u8>, StoreError> {
        let bytes = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT bytes FROM plugins WHERE id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .fetch_optional(pool)
                .await?
        });
        bytes.ok_or(StoreError::NotFound { what: "plugin" })
    }

    /// Activates or disables one plugin version; returns its record.
    pub async fn set_plugin_state(
        &self,
        id: &str,
        version: &str,
        state: PluginState,
    ) -> Result<PluginRecord, StoreError> {
        let record = with_pool!(self, |pool| {
            sqlx::query_as::<_, PluginRecord>(concat!(
                "UPDATE plugins SET state = $3 WHERE id = $1 AND version = $2 RETURNING ",
                plugin_columns!()
            ))
            .bind(id)
            .bind(version)
            .bind(state.as_str())
            .fetch_optional(pool)
            .await?
        });
        record.ok_or(StoreError::NotFound { what: "plugin" })
    }

    /// Deletes one plugin version; returns whether it existed.
    pub async fn remove_plugin(&self, id: &str, version: &str) -> Result<bool, StoreError> {
        let deleted = with_pool!(self, |pool| {
            sqlx::query("DELETE FROM plugins WHERE id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted > 0)
    }
}
