//! Contributors as the store knows them: Telegram id, language, plan and flags. Creating a user
//! grants the new-user plan for its duration; everything else here is a plain read or a single
//! field change. Who may change what (admin rights, bans) is decided above the store.

use super::cached::{USER_TTL, user_key};
use super::plans::{FALLBACK_PLAN, NEW_USER_PLAN};
use super::{DAY_MS, Store, StoreError, error};

/// The column list every user query returns, in [`User`]'s order.
macro_rules! user_columns {
    () => {
        "id, telegram_id, language, plan, plan_until, blocked, admin, active, created_at, updated_at"
    };
}

/// A contributor.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct User {
    /// The store's id, which every other table refers to.
    pub id: i64,
    pub telegram_id: i64,
    /// Language code of the bot's texts for this user, e.g. `en`.
    pub language: String,
    /// Name of the plan granted; see [`User::effective_plan`].
    pub plan: String,
    /// When the granted plan lapses back to FREE (Unix ms); `None` for never.
    pub plan_until: Option<i64>,
    /// Banned by the operator.
    pub blocked: bool,
    pub admin: bool,
    /// False while the contributor has the bot blocked (messages to them fail).
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl User {
    /// The plan whose quota applies at `now`: the granted plan until `plan_until`, FREE after.
    pub fn effective_plan(&self, now: i64) -> &str {
        match self.plan_until {
            Some(until) if until <= now => FALLBACK_PLAN,
            _ => &self.plan,
        }
    }
}

/// What the store needs to create a user.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub telegram_id: i64,
    pub language: &'a str,
}

impl Store {
    /// Returns the user with this Telegram id, creating them on the new-user plan (TEST_PRO until
    /// its duration runs out) if they are new; the flag says whether they were created. Safe to
    /// call concurrently for the same id: exactly one call creates. Served from the cache when
    /// it holds the user.
    pub async fn get_or_create_user(&self, new: &NewUser<'_>) -> Result<(User, bool), StoreError> {
        let key = user_key(new.telegram_id);
        if let Some(user) = self.cache.get_json::<User>(&key).await {
            return Ok((user, false));
        }
        // Nearly every call is for someone who exists: one read, and the insert only for
        // newcomers.
        if let Some(user) = self.user_by_telegram_id(new.telegram_id).await? {
            self.cache.set_json(&key, &user, USER_TTL).await;
            return Ok((user, false));
        }
        let now = self.now();
        let created = with_pool!(self, |pool| {
            sqlx::query_as::<_, User>(concat!(
                "INSERT INTO users (telegram_id, language, plan, plan_until, created_at, updated_at)
                 SELECT $1, $2, name,
                        CASE WHEN duration_days IS NULL THEN NULL
                             ELSE $3 + CAST(duration_days AS BIGINT) * $5 END,
                        $3, $3
                 FROM plans WHERE name = $4
                 ON CONFLICT (telegram_id) DO NOTHING
                 RETURNING ",
                user_columns!()
            ))
            .bind(new.telegram_id)
            .bind(new.language)
            .bind(now)
            .bind(NEW_USER_PLAN)
            .bind(DAY_MS)
            .fetch_optional(pool)
            .await?
        });
        if let Some(user) = created {
            self.cache.set_json(&key, &user, USER_TTL).await;
            return Ok((user, true));
        }
        match self.user_by_telegram_id(new.telegram_id).await? {
            Some(user) => {
                self.cache.set_json(&key, &user, USER_TTL).await;
                Ok((user, false))
            }
            // Nothing inserted and nobody there: the new-user plan itself is missing.
            None => Err(StoreError::NotFound {
                what: "new-user plan",
            }),
        }
    }

    /// The user with this store id, or [`StoreError::NotFound`].
    pub async fn user(&self, id: i64) -> Result<User, StoreError> {
        let user = with_pool!(self, |pool| {
            sqlx::query_as::<_, User>(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        user.ok_or(StoreError::NotFound { what: "user" })
    }

    /// The user with this Telegram id, if they have ever written to the bot.
    pub async fn user_by_telegram_id(&self, telegram_id: i64) -> Result<Option<User>, StoreError> {
        let user = with_pool!(self, |pool| {
            sqlx::query_as::<_, User>(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE telegram_id = $1"
            ))
            .bind(telegram_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(user)
    }

    /// Sets the language of the bot's texts for a user.
    pub async fn set_user_language(&self, id: i64, language: &str) -> Result<User, StoreError> {
        let now = self.now();
        let user = with_pool!(self, |pool| {
            sqlx::query_as::<_, User>(concat!(
                "UPDATE users SET language = $2, updated_at = $3 WHERE id = $1 RETURNING ",
                user_columns!()
            ))
            .bind(id)
            .bind(language)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        let user = user.ok_or(StoreError::NotFound { what: "user" })?;
        self.user_changed(&user).await;
        Ok(user)
    }

    /// Grants `plan` until `until` (Unix ms; `None` for no end) — `stocklens user set-plan`.
    /// [`StoreError::NotFound`] if the user or the plan does not exist.
    pub async fn set_user_plan(
        &self,
        id: i64,
        plan: &str,
        until: Option<i64>,
    ) -> Result<User, StoreError> {
        let now = self.now();
        let result = with_pool!(self, |pool| {
            sqlx::query_as::<_, User>(concat!(
                "UPDATE users SET plan = $2, plan_until = $3, updated_at = $4 WHERE id = $1
                 RETURNING ",
                user_columns!()
            ))
            .bind(id)
            .bind(plan)
            .bind(until)
            .bind(now)
            .fetch_optional(pool)
            .await
        });
        match result {
            Ok(Some(user)) => {
                self.user_changed(&user).await;
                Ok(user)
            }
            Ok(None) => Err(StoreError::NotFound { what: "user" }),
            Err(e) if error::is_foreign_key_violation(&e) => {
                Err(StoreError::NotFound { what: "plan" })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Bans or unbans a user.
    pub async fn set_user_blocked(&self, id: i64, blocked: bool) -> Result<User, StoreError> {
        self.set_user_flag(id, Flag::Blocked, blocked).await
    }

    /// Grants or withdraws operator rights in the bot.
    pub async fn set_user_admin(&self, id: i64, admin: bool) -> Result<User, StoreError> {
        self.set_user_flag(id, Flag::Admin, admin).await
    }

    /// Records whether messages reach the user (false after Telegram says they blocked the bot).
    pub async fn set_user_active(&self, id: i64, active: bool) -> Result<User, StoreError> {
        self.set_user_flag(id, Flag::Active, active).await
    }

    async fn set_user_flag(&self, id: i64, flag: Flag, value: bool) -> Result<User, StoreError> {
        let now = self.now();
        let sql = match flag {
            Flag::Blocked => concat!(
                "UPDATE users SET blocked = $2, updated_at = $3 WHERE id = $1 RETURNING ",
                user_columns!()
            ),
            Flag::Admin => concat!(
                "UPDATE users SET admin = $2, updated_at = $3 WHERE id = $1 RETURNING ",
                user_columns!()
            ),
            Flag::Active => concat!(
                "UPDATE users SET active = $2, updated_at = $3 WHERE id = $1 RETURNING ",
                user_columns!()
            ),
        };
        let user = with_pool!(self, |pool| {
            sqlx::query_as::<_, User>(sql)
                .bind(id)
                .bind(value)
                .bind(now)
                .fetch_optional(pool)
                .await?
        });
        let user = user.ok_or(StoreError::NotFound { what: "user" })?;
        self.user_changed(&user).await;
        Ok(user)
    }
}

#[derive(Clone, Copy)]
enum Flag {
    Blocked,
    Admin,
    Active,
}
