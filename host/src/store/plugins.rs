//! Installed plugins and the choice of what runs.
//!
//! `plugins` holds the stored components, one row per (id, version), immutable once installed
//! except for the counts of jobs each version took part in and failed. `plugin_changes` is the
//! history of what runs per plugin id: the newest row of an id says whether an installed version,
//! the built-in one or nothing runs. Every row knows where a rollback of it returns to, so a
//! rollback is one more row, and rolling back twice goes back two steps. The store neither
//! compiles nor checks a component: the plugin catalog does that before it installs one.

use super::{BeginWrite, Store, StoreError, error, sha256_hex};

text_enum! {
    /// What runs for one plugin id.
    ChoiceState, "plugin choice state" {
        /// An installed version (named by the choice).
        Active => "active",
        /// The version built into the binary, if it has one.
        Builtin => "builtin",
        /// Nothing: the plugin is not offered.
        Disabled => "disabled",
    }
}

text_enum! {
    /// How a choice came about.
    ChangeAction, "plugin change action" {
        Activate => "activate",
        Disable => "disable",
        Rollback => "rollback",
        /// The host rolled back a version that failed too many of its jobs.
        AutoRollback => "auto-rollback",
    }
}

/// The column list of [`PluginRecord`], in its order.
macro_rules! plugin_columns {
    () => {
        "id, version, kind, sha256, wit_version, installed_by, installed_at, jobs, failures"
    };
}

/// The column list of [`PluginChoice`], in its order.
macro_rules! choice_columns {
    () => {
        "seq, id, back, state, version, action, reason, changed_by, changed_at"
    };
}

/// A stored plugin without its bytes.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PluginRecord {
    pub id: String,
    pub version: String,
    /// As the plugin module names it (`parser`, `analyzer`).
    pub kind: String,
    /// Lower-case hex sha256 of the component bytes.
    pub sha256: String,
    /// The interface version it was built against, e.g. "1.0.0".
    pub wit_version: String,
    /// Who installed it (an operator's name or Telegram id), where known.
    pub installed_by: Option<String>,
    pub installed_at: i64,
    /// Analyses this version took part in, and how many of them it failed.
    pub jobs: i64,
    pub failures: i64,
}

/// A plugin to install.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPlugin<'a> {
    pub id: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
    pub wit_version: &'a str,
    pub bytes: &'a [u8],
    pub installed_by: Option<&'a str>,
}

/// The newest change of one plugin id: what runs for it now.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PluginChoice {
    /// Position in the history of every change; the largest is the registry's generation.
    pub seq: i64,
    pub id: String,
    /// The change a rollback of this one returns to; 0 for the built-in.
    #[serde(skip)]
    pub back: i64,
    #[sqlx(try_from = "String")]
    pub state: ChoiceState,
    /// The installed version that runs, when `state` is active.
    pub version: Option<String>,
    #[sqlx(try_from = "String")]
    pub action: ChangeAction,
    pub reason: Option<String>,
    pub changed_by: Option<String>,
    pub changed_at: i64,
}

/// A change an operator (or the host) asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PluginChange<'a> {
    /// Run this installed version.
    Activate(&'a str),
    /// Run the version built into the binary.
    Builtin,
    /// Run nothing for this id.
    Disable,
    /// Return to what ran before the newest change.
    Rollback,
    /// Roll back, but only while this installed version is the one running; the host's own
    /// rollback of a failing version, so that two processes noticing it roll back once.
    AutoRollback { version: &'a str, reason: &'a str },
}

/// Who asked for a change and why, as the history records it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangedBy<'a> {
    pub who: Option<&'a str>,
    pub reason: Option<&'a str>,
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
                     (id, version, kind, bytes, sha256, wit_version, installed_by, installed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
                plugin_columns!()
            ))
            .bind(new.id)
            .bind(new.version)
            .bind(new.kind)
            .bind(new.bytes)
            .bind(&sha256)
            .bind(new.wit_version)
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

    /// One stored plugin version, without bytes.
    pub async fn plugin(&self, id: &str, version: &str) -> Result<PluginRecord, StoreError> {
        let record = with_pool!(self, |pool| {
            sqlx::query_as::<_, PluginRecord>(concat!(
                "SELECT ",
                plugin_columns!(),
                " FROM plugins WHERE id = $1 AND version = $2"
            ))
            .bind(id)
            .bind(version)
            .fetch_optional(pool)
            .await?
        });
        record.ok_or(StoreError::NotFound { what: "plugin" })
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

    /// Deletes one plugin version that is not running; returns whether it existed.
    /// [`StoreError::Conflict`] if it is the running version of its id.
    pub async fn remove_plugin(&self, id: &str, version: &str) -> Result<bool, StoreError> {
        let running = self
            .plugin_choices()
            .await?
            .into_iter()
            .any(|c| c.id == id && c.version.as_deref() == Some(version));
        if running {
            return Err(StoreError::Conflict {
                what: "plugin version is running",
            });
        }
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

    /// The newest change of every plugin id that has one, by id. An id without a change runs
    /// its built-in version.
    pub async fn plugin_choices(&self) -> Result<Vec<PluginChoice>, StoreError> {
        let choices = with_pool!(self, |pool| {
            sqlx::query_as::<_, PluginChoice>(concat!(
                "SELECT ",
                choice_columns!(),
                " FROM plugin_changes
                 WHERE seq IN (SELECT MAX(seq) FROM plugin_changes GROUP BY id)
                 ORDER BY id"
            ))
            .fetch_all(pool)
            .await?
        });
        Ok(choices)
    }

    /// Every change of one plugin id, newest first.
    pub async fn plugin_changes(&self, id: &str) -> Result<Vec<PluginChoice>, StoreError> {
        let changes = with_pool!(self, |pool| {
            sqlx::query_as::<_, PluginChoice>(concat!(
                "SELECT ",
                choice_columns!(),
                " FROM plugin_changes WHERE id = $1 ORDER BY seq DESC"
            ))
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        Ok(changes)
    }

    /// The registry's generation: grows with every change, 0 before the first. A process that
    /// sees it differ from what it loaded reloads its plugins.
    pub async fn plugin_generation(&self) -> Result<i64, StoreError> {
        let generation: Option<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT MAX(seq) FROM plugin_changes")
                .fetch_one(pool)
                .await?
        });
        Ok(generation.unwrap_or(0))
    }

    /// Applies a change to what runs for `id` and returns the new choice; `Ok(None)` when there
    /// is nothing to do: an auto-rollback whose version no longer runs, or an activation of what
    /// already runs. The caller checks the version is installed and fits; the store checks it
    /// exists. [`StoreError::NotFound`] for an unknown version; [`StoreError::Conflict`] for a
    /// rollback with nothing before it, or when another change of the same id won a race (ask
    /// again).
    pub async fn change_plugin(
        &self,
        id: &str,
        change: &PluginChange<'_>,
        by: ChangedBy<'_>,
    ) -> Result<Option<PluginChoice>, StoreError> {
        if let PluginChange::Activate(version) = change {
            // Existence only; the catalog has checked everything else when installing it.
            self.plugin(id, version).await?;
        }
        let now = self.now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let top = sqlx::query_as::<_, PluginChoice>(concat!(
                "SELECT ",
                choice_columns!(),
                " FROM plugin_changes WHERE id = $1 ORDER BY seq DESC LIMIT 1"
            ))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let parent = top.as_ref().map_or(0, |t| t.seq);
            let current = top.as_ref().map_or((ChoiceState::Builtin, None), |t| {
                (t.state, t.version.as_deref())
            });
            // (state, version, back, action)
            let next = match change {
                PluginChange::Activate(version) => (
                    ChoiceState::Active,
                    Some((*version).to_owned()),
                    parent,
                    ChangeAction::Activate,
                ),
                PluginChange::Builtin => {
                    (ChoiceState::Builtin, None, parent, ChangeAction::Activate)
                }
                PluginChange::Disable => {
                    (ChoiceState::Disabled, None, parent, ChangeAction::Disable)
                }
                PluginChange::Rollback | PluginChange::AutoRollback { .. } => {
                    if let PluginChange::AutoRollback { version, .. } = change
                        && current != (ChoiceState::Active, Some(*version))
                    {
                        return Ok(None);
                    }
                    let action = match change {
                        PluginChange::Rollback => ChangeAction::Rollback,
                        _ => ChangeAction::AutoRollback,
                    };
                    let Some(top) = &top else {
                        return Err(StoreError::Conflict {
                            what: "nothing to roll back to",
                        });
                    };
                    if top.back == 0 {
                        if top.state == ChoiceState::Builtin {
                            return Err(StoreError::Conflict {
                                what: "nothing to roll back to",
                            });
                        }
                        (ChoiceState::Builtin, None, 0, action)
                    } else {
                        let target = sqlx::query_as::<_, PluginChoice>(concat!(
                            "SELECT ",
                            choice_columns!(),
                            " FROM plugin_changes WHERE seq = $1"
                        ))
                        .bind(top.back)
                        .fetch_one(&mut *tx)
                        .await?;
                        (target.state, target.version, target.back, action)
                    }
                }
            };
            let unchanged = matches!(change, PluginChange::Activate(_) | PluginChange::Builtin)
                && (next.0, next.1.as_deref()) == current;
            if unchanged {
                return Ok(None);
            }
            let reason = match change {
                PluginChange::AutoRollback { reason, .. } => Some(*reason),
                _ => by.reason,
            };
            let choice = sqlx::query_as::<_, PluginChoice>(concat!(
                "INSERT INTO plugin_changes
                     (id, parent, back, state, version, action, reason, changed_by, changed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ",
                choice_columns!()
            ))
            .bind(id)
            .bind(parent)
            .bind(next.2)
            .bind(next.0.as_str())
            .bind(next.1.as_deref())
            .bind(next.3.as_str())
            .bind(reason)
            .bind(by.who)
            .bind(now)
            .fetch_one(&mut *tx)
            .await;
            match choice {
                Ok(choice) => {
                    tx.commit().await?;
                    Ok(Some(choice))
                }
                Err(e) if error::is_unique_violation(&e) => Err(StoreError::Conflict {
                    what: "another change of this plugin came first",
                }),
                Err(e) => Err(e.into()),
            }
        })
    }

    /// Counts one analysis for an installed plugin version, failed or not, and returns the
    /// version's totals `(jobs, failures)`; `None` if the version is not installed (a built-in).
    pub async fn count_plugin_job(
        &self,
        id: &str,
        version: &str,
        failed: bool,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let totals = with_pool!(self, |pool| {
            sqlx::query_as::<_, (i64, i64)>(
                "UPDATE plugins SET jobs = jobs + 1, failures = failures + $3
                 WHERE id = $1 AND version = $2 RETURNING jobs, failures",
            )
            .bind(id)
            .bind(version)
            .bind(i64::from(failed))
            .fetch_optional(pool)
            .await?
        });
        Ok(totals)
    }
}
