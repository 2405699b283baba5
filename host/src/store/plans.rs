//! Plans and their quotas. The migration seeds the old bot's defaults (FREE 0 analyses, TEST_PRO 1
//! for 14 days for new users, PRO 1, ULTRA 2, each per 30-day window except the trial's 14); the
//! operator edits them afterwards. This module stores plans; it does not decide who gets which.

use super::{Store, StoreError};

/// The plan a user falls back to when their plan's `plan_until` has passed.
pub const FALLBACK_PLAN: &str = "FREE";

/// The plan a user gets on first contact, for the plan's `duration_days`.
pub const NEW_USER_PLAN: &str = "TEST_PRO";

/// A plan and its quota.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Plan {
    /// Upper-case name, e.g. `PRO`; the key users refer to.
    pub name: String,
    /// Analyses allowed in any window of `period_days` days.
    pub analyses: i32,
    /// Length of the rolling quota window.
    pub period_days: i32,
    /// How long a grant of this plan lasts; `None` until the operator changes it.
    pub duration_days: Option<i32>,
    /// When the operator last changed it (Unix ms; 0 for the seeded defaults).
    pub updated_at: i64,
}

impl Store {
    /// Every plan, by name.
    pub async fn plans(&self) -> Result<Vec<Plan>, StoreError> {
        let plans = with_pool!(self, |pool| {
            sqlx::query_as::<_, Plan>(
                "SELECT name, analyses, period_days, duration_days, updated_at
                 FROM plans ORDER BY name",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(plans)
    }

    /// The plan called `name`, or [`StoreError::NotFound`].
    pub async fn plan(&self, name: &str) -> Result<Plan, StoreError> {
        let plan = with_pool!(self, |pool| {
            sqlx::query_as::<_, Plan>(
                "SELECT name, analyses, period_days, duration_days, updated_at
                 FROM plans WHERE name = $1",
            )
            .bind(name)
            .fetch_optional(pool)
            .await?
        });
        plan.ok_or(StoreError::NotFound { what: "plan" })
    }

    /// Creates the plan or replaces its quota (`stocklens plan set`). Users on it see the new
    /// quota at their next request; reservations already made stand.
    pub async fn save_plan(
        &self,
        name: &str,
        analyses: i32,
        period_days: i32,
        duration_days: Option<i32>,
    ) -> Result<Plan, StoreError> {
        if name.is_empty()
            || analyses < 0
            || period_days <= 0
            || duration_days.is_some_and(|d| d <= 0)
        {
            return Err(StoreError::Invalid(format!(
                "plan {name:?}: analyses must be >= 0 and periods > 0"
            )));
        }
        let now = self.now();
        let plan = with_pool!(self, |pool| {
            sqlx::query_as::<_, Plan>(
                "INSERT INTO plans (name, analyses, period_days, duration_days, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (name) DO UPDATE SET
                     analyses = excluded.analyses,
                     period_days = excluded.period_days,
                     duration_days = excluded.duration_days,
                     updated_at = excluded.updated_at
                 RETURNING name, analyses, period_days, duration_days, updated_at",
            )
            .bind(name)
            .bind(analyses)
            .bind(period_days)
            .bind(duration_days)
            .bind(now)
            .fetch_one(pool)
            .await?
        });
        self.plans_changed().await;
        Ok(plan)
    }

    /// Changes only the number of analyses a plan allows per period (`stocklens plan set <plan>
    /// --analyses N`).
    pub async fn set_plan_analyses(&self, name: &str, analyses: i32) -> Result<Plan, StoreError> {
        if analyses < 0 {
            return Err(StoreError::Invalid(format!(
                "plan {name:?}: analyses must be >= 0"
            )));
        }
        let now = self.now();
        let plan = with_pool!(self, |pool| {
            sqlx::query_as::<_, Plan>(
                "UPDATE plans SET analyses = $2, updated_at = $3 WHERE name = $1
                 RETURNING name, analyses, period_days, duration_days, updated_at",
            )
            .bind(name)
            .bind(analyses)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        let plan = plan.ok_or(StoreError::NotFound { what: "plan" })?;
        self.plans_changed().await;
        Ok(plan)
    }
}
