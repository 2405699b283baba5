//! `stocklens user ...` and `stocklens plan ...`: the operator's tools for plans and quotas.

use std::process::ExitCode;
use std::str::FromStr;

use clap::Subcommand;

use super::config::ServiceConfig;
use super::{EXIT_INPUT, EXIT_USAGE, fail, open_store, store_error};
use crate::store::{NewUser, StoreError};

/// Period of a plan created by `plan set`: the old bot counted analyses per 30 days.
const NEW_PLAN_PERIOD_DAYS: i32 = 30;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Grant a plan (the user is created if they never wrote to the bot)
    SetPlan {
        telegram_id: i64,
        plan: String,
        /// Last day of the plan (YYYY-MM-DD, UTC); it lapses to FREE at the end of that day
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
    /// Show a user's plan and quota
    Show { telegram_id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Create a plan or change how many analyses it allows per period
    Set {
        plan: String,
        /// Analyses per period
        #[arg(long, value_name = "N")]
        analyses: i32,
    },
}

pub fn run_user(command: UserCommand, service: &ServiceConfig) -> ExitCode {
    let until = match &command {
        UserCommand::SetPlan {
            until: Some(day), ..
        } => match end_of_day_ms(day) {
            Ok(ms) => Some(ms),
            Err(why) => return fail(EXIT_USAGE, why),
        },
        _ => None,
    };
    super::block_on(async move {
        let store = match open_store(service, false).await {
            Ok(store) => store,
            Err(code) => return code,
        };
        let code = match command {
            UserCommand::SetPlan {
                telegram_id, plan, ..
            } => {
                let set = async {
                    store.plan(&plan).await?;
                    let (user, _) = store
                        .get_or_create_user(&NewUser {
                            telegram_id,
                            language: "en",
                        })
                        .await?;
                    store.set_user_plan(user.id, &plan, until).await
                };
                match set.await {
                    Ok(user) => {
                        println!(
                            "user {telegram_id}: plan {}{}",
                            user.plan,
                            until_text(user.plan_until)
                        );
                        ExitCode::SUCCESS
                    }
                    Err(StoreError::NotFound { what: "plan" }) => fail(
                        EXIT_INPUT,
                        format!("no plan named {plan:?}; create it with `stocklens plan set`"),
                    ),
                    Err(err) => store_error(&err),
                }
            }
            UserCommand::Show { telegram_id } => match store.user_by_telegram_id(telegram_id).await
            {
                Ok(Some(user)) => match store.quota_usage(user.id).await {
                    Ok(usage) => {
                        println!("telegram id: {telegram_id}");
                        println!("plan:        {}{}", user.plan, until_text(user.plan_until));
                        println!("in force:    {}", usage.plan);
                        println!(
                            "quota:       {} of {} per {} days left ({} reserved, {} used)",
                            usage.remaining(),
                            usage.limit,
                            usage.period_days,
                            usage.reserved,
                            usage.consumed
                        );
                        println!("blocked:     {}", user.blocked);
                        ExitCode::SUCCESS
                    }
                    Err(err) => store_error(&err),
                },
                Ok(None) => fail(
                    EXIT_INPUT,
                    format!("no user with Telegram id {telegram_id}"),
                ),
                Err(err) => store_error(&err),
            },
        };
        store.close().await;
        code
    })
}

pub fn run_plan(command: PlanCommand, service: &ServiceConfig) -> ExitCode {
    let PlanCommand::Set { plan, analyses } = command;
    if analyses < 0 {
        return fail(EXIT_USAGE, "--analyses must be 0 or more");
    }
    super::block_on(async move {
        let store = match open_store(service, false).await {
            Ok(store) => store,
            Err(code) => return code,
        };
        let saved = match store.set_plan_analyses(&plan, analyses).await {
            Err(StoreError::NotFound { .. }) => {
                store
                    .save_plan(&plan, analyses, NEW_PLAN_PERIOD_DAYS, None)
                    .await
            }
            other => other,
        };
        let code = match saved {
            Ok(plan) => {
                println!(
                    "plan {}: {} analyses per {} days",
                    plan.name, plan.analyses, plan.period_days
                );
                ExitCode::SUCCESS
            }
            Err(err) => store_error(&err),
        };
        store.close().await;
        code
    })
}

/// The end of `day` (YYYY-MM-DD) in UTC, as Unix milliseconds.
fn end_of_day_ms(day: &str) -> Result<i64, String> {
    let date = jiff::civil::Date::from_str(day.trim())
        .map_err(|_| format!("--until {day:?}: write the date as YYYY-MM-DD"))?;
    let next = date
        .tomorrow()
        .map_err(|_| format!("--until {day:?} is out of range"))?;
    next.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|_| format!("--until {day:?} is out of range"))
}

fn until_text(until: Option<i64>) -> String {
    match until.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()) {
        Some(ts) => format!(" until {}", ts.strftime("%Y-%m-%d %H:%M UTC")),
        None => String::new(),
    }
}
