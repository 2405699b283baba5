//! The store suite: every case runs against SQLite (a fresh temporary directory per test) and
//! Postgres (a fresh database per test on 127.0.0.1:5432, dropped afterwards), so both backends
//! are held to the same behaviour. Set `STOCKLENS_TEST_POSTGRES` to point at another server.

mod helpers;

mod dialogue;
mod jobs;
mod migrations;
mod plans;
mod plugins;
mod quota;
mod reports;
mod sales;
mod uploads;
mod users;

/// Generates one `#[tokio::test]` per backend for each case: `sqlite::<case>` and
/// `postgres::<case>`. `migrated` cases get a store with migrations applied; `fresh` ones an
/// empty database.
macro_rules! on_both_backends {
    (
        migrated: [$($module:ident :: $case:ident),* $(,)?],
        fresh: [$($fmodule:ident :: $fcase:ident),* $(,)?] $(,)?
    ) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::helpers::run(crate::helpers::Db::Sqlite, true, crate::$module::$case).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $fcase() {
                    crate::helpers::run(crate::helpers::Db::Sqlite, false, crate::$fmodule::$fcase).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::helpers::run(crate::helpers::Db::Postgres, true, crate::$module::$case).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $fcase() {
                    crate::helpers::run(crate::helpers::Db::Postgres, false, crate::$fmodule::$fcase).await;
                }
            )*
        }
    };
}

on_both_backends! {
    migrated: [
        migrations::migrating_again_changes_nothing,
        users::first_contact_creates_a_trial_user_once,
        users::concurrent_first_contacts_create_one_user,
        users::language_plan_and_flags_can_be_changed,
        users::lapsed_plan_falls_back_to_free,
        plans::plans_are_seeded_with_the_old_bots_quotas,
        plans::plans_are_editable,
        quota::reservations_stop_at_the_plan_limit,
        quota::released_quota_frees_a_slot_and_consumed_quota_stays_spent,
        quota::twenty_concurrent_requests_against_a_quota_of_two_yield_two,
        quota::quota_window_rolls_forward,
        quota::analysis_and_its_job_are_created_together_or_not_at_all,
        quota::upload_of_another_user_is_refused,
        quota::failure_notices_are_owed_claimed_once_and_cleared,
        quota::a_request_closed_by_its_analysis_is_submitted_once,
        uploads::uploads_round_trip_bytes_exactly,
        uploads::oversized_upload_is_refused,
        sales::same_batch_twice_is_counted_once,
        sales::overlapping_months_leave_no_duplicates,
        sales::identical_rows_within_one_upload_are_all_kept,
        sales::batches_of_one_upload_number_identical_rows_across_batches,
        sales::malformed_sale_rejects_its_batch,
        sales::history_reads_back_exact_money_and_filters,
        sales::a_hundred_thousand_sales_insert_once_and_dedupe_on_reupload,
        jobs::claimed_job_is_leased_and_counted,
        jobs::concurrent_claimers_never_get_the_same_job,
        jobs::expired_lease_is_reclaimed_by_another_worker,
        jobs::heartbeat_keeps_the_lease,
        jobs::transient_failure_backs_off_then_dies_after_the_last_attempt,
        jobs::permanent_failure_is_not_retried,
        jobs::expired_last_attempt_is_buried,
        jobs::released_job_returns_without_spending_an_attempt,
        reports::report_is_saved_once_per_analysis_and_opens_by_token,
        reports::delivery_is_marked_once_and_completes_the_analysis,
        plugins::plugin_versions_are_unique,
        plugins::rollback_walks_back_one_change_at_a_time,
        plugins::concurrent_changes_of_one_plugin_apply_one_at_a_time,
        dialogue::dialogue_state_is_set_replaced_and_expires,
        dialogue::the_inbox_keeps_files_until_handled_and_hands_on_what_was_left,
    ],
    fresh: [
        migrations::fresh_database_reports_pending_then_migrates,
    ],
}
