//! `stocklens jobs ...`: the operator's view of the queue: list jobs (dead ones above all) and
//! put a dead or failed job back in the queue.

use std::process::ExitCode;

use clap::Subcommand;

use super::config::ServiceConfig;
use super::{EXIT_USAGE, fail, open_store, store_error};
use crate::jobs::queue;
use crate::store::JobState;

/// Longest error text shown per job in the list; the full text is in the database.
const ERROR_COLUMN_CHARS: usize = 80;

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// List jobs, newest first
    List {
        /// Only jobs in this state: queued | running | done | failed | dead
        #[arg(long, value_name = "STATE")]
        state: Option<String>,
        /// At most this many
        #[arg(long, default_value_t = 100, value_name = "N")]
        limit: i64,
    },
    /// Put a dead or failed job back in the queue with fresh attempts
    Retry {
        /// The job's id
        id: i64,
    },
}

pub fn run(command: JobsCommand, service: &ServiceConfig) -> ExitCode {
    let state = match &command {
        JobsCommand::List { state: Some(s), .. } => {
            match JobState::try_from(s.to_ascii_lowercase()) {
                Ok(state) => Some(state),
                Err(_) => {
                    return fail(
                        EXIT_USAGE,
                        format!(
                            "unknown job state {s:?}; use queued, running, done, failed or dead"
                        ),
                    );
                }
            }
        }
        _ => None,
    };
    super::block_on(async move {
        let store = match open_store(service, false).await {
            Ok(store) => store,
            Err(code) => return code,
        };
        let code = match command {
            JobsCommand::List { limit, .. } => match store.list_jobs(state, limit.max(1)).await {
                Ok(jobs) => {
                    println!(
                        "{:>8}  {:<8}  {:>8}  {:<10}  last error",
                        "id", "state", "attempts", "kind"
                    );
                    for job in jobs {
                        let error: String = job
                            .last_error
                            .unwrap_or_default()
                            .replace(['\n', '\r'], " ")
                            .chars()
                            .take(ERROR_COLUMN_CHARS)
                            .collect();
                        println!(
                            "{:>8}  {:<8}  {:>8}  {:<10}  {error}",
                            job.id,
                            job.state,
                            format!("{}/{}", job.attempts, job.max_attempts),
                            job.kind
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => store_error(&err),
            },
            JobsCommand::Retry { id } => match queue::retry(&store, id).await {
                Ok(job) => {
                    println!("job {} queued again", job.id);
                    ExitCode::SUCCESS
                }
                Err(err) => store_error(&err),
            },
        };
        store.close().await;
        code
    })
}
