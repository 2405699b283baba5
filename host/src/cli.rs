//! The `stocklens` command line: one binary with subcommands for contributors, operators and
//! plugin authors.
//!
//! Exit codes are a contract other tools rely on: 0 success, 2 usage error, 3 a problem with the
//! input, 4 a plugin failure, 1 anything else. Every failure prints exactly one line on stderr
//! starting with `error: `.

mod analyze;
mod config;
mod facts;
mod jobs;
mod lexicon;
mod plugin;
mod plugin_dev;
mod serve;
mod submit;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::plugin::{DEFAULT_OUTPUT_LIMIT, RuntimeConfig};
use crate::store::{Store, StoreError};

pub use config::{SecretUrl, ServiceConfig};

/// Exit code for a usage error: a flag or argument the command cannot accept.
pub const EXIT_USAGE: u8 = 2;
/// Exit code for a problem with the input the user can fix.
pub const EXIT_INPUT: u8 = 3;
/// Exit code for a plugin that failed.
pub const EXIT_PLUGIN: u8 = 4;
/// Exit code for anything else that went wrong.
pub const EXIT_OTHER: u8 = 1;

/// Portfolio analytics for stock-content contributors.
#[derive(Debug, Parser)]
#[command(name = "stocklens", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    plugins: PluginLimits,
    #[command(flatten)]
    service: ServiceConfig,
}

/// Limits and locations for the plugin sandbox, shared by every subcommand.
#[derive(Debug, clap::Args)]
pub struct PluginLimits {
    /// Directory for compiled plugins [default: the user's cache dir, e.g. ~/.cache/stocklens]
    #[arg(long, global = true, env = "STOCKLENS_CACHE_DIR", value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Longest one call into a plugin may run, in seconds
    #[arg(
        long,
        global = true,
        env = "STOCKLENS_PLUGIN_DEADLINE",
        default_value_t = 30.0,
        value_name = "SECS"
    )]
    plugin_deadline: f64,
    /// Most memory one plugin instance may use, in MiB
    #[arg(
        long,
        global = true,
        env = "STOCKLENS_PLUGIN_MEMORY",
        default_value_t = 256,
        value_name = "MIB"
    )]
    plugin_memory: usize,
    /// Most output one call into a plugin may return (a parser's batch, a report), in MiB
    #[arg(
        long,
        global = true,
        env = "STOCKLENS_PLUGIN_OUTPUT",
        default_value_t = DEFAULT_OUTPUT_LIMIT / (1024 * 1024),
        value_name = "MIB"
    )]
    plugin_output: usize,
}

impl PluginLimits {
    fn runtime_config(&self) -> RuntimeConfig {
        RuntimeConfig {
            call_deadline: Duration::from_secs_f64(self.plugin_deadline.clamp(0.01, 3600.0)),
            memory_limit: self.plugin_memory.clamp(1, 4096) * 1024 * 1024,
            output_limit: self.plugin_output.clamp(1, 4096) * 1024 * 1024,
            cache_dir: self.cache_dir.clone().or_else(default_cache_dir),
            ..RuntimeConfig::default()
        }
    }
}

fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("stocklens").join("plugins"))
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyze sales exports and write an HTML report
    Analyze(analyze::AnalyzeArgs),
    /// Inspect the plugins this binary can use
    #[command(subcommand)]
    Plugin(plugin::PluginCommand),
    /// Apply the database migrations embedded in this binary
    Migrate,
    /// Run the service: the Telegram bot, the worker and the web role
    // Boxed: the service's flags make this variant many times larger than the others.
    Serve(Box<serve::ServeArgs>),
    /// Queue an analysis of export files for a contributor, as the bot does
    Submit(submit::SubmitArgs),
    /// List jobs and retry dead ones
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Contributors' plans and quotas
    #[command(subcommand)]
    User(user::UserCommand),
    /// Plans and their quotas
    #[command(subcommand)]
    Plan(user::PlanCommand),
    /// The bot's texts: override one without a release
    #[command(subcommand)]
    Lexicon(lexicon::LexiconCommand),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    // A service logs its life at info; a one-shot command stays quiet but for its error line.
    init_logging(match cli.command {
        Command::Serve(_) => "info",
        _ => "error",
    });
    let config = cli.plugins.runtime_config();
    let service = &cli.service;
    match cli.command {
        Command::Analyze(args) => analyze::run(args, config),
        Command::Plugin(command) => plugin::run(command, config, service),
        Command::Migrate => block_on(async {
            match open_store(service, true).await {
                Ok(store) => {
                    store.close().await;
                    println!("database is up to date");
                    ExitCode::SUCCESS
                }
                Err(code) => code,
            }
        }),
        Command::Serve(args) => serve::run(*args, service, config),
        Command::Submit(args) => submit::run(args, service),
        Command::Jobs(command) => jobs::run(command, service),
        Command::User(command) => user::run_user(command, service),
        Command::Plan(command) => user::run_plan(command, service),
        Command::Lexicon(command) => lexicon::run(command, service),
    }
}

/// Runs an async command on a fresh multi-threaded runtime.
fn block_on(command: impl Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(command),
        Err(err) => fail(EXIT_OTHER, format!("cannot start the async runtime: {err}")),
    }
}

/// Opens the configured store and migrates it (`migrate`) or checks that it is migrated.
async fn open_store(service: &ServiceConfig, migrate: bool) -> Result<Store, ExitCode> {
    let store = service.store().await.map_err(|err| {
        fail(
            EXIT_OTHER,
            format!(
                "cannot open the database: {}",
                crate::jobs::analysis::error_chain(&err)
            ),
        )
    })?;
    let ready = if migrate {
        store.migrate().await
    } else {
        store.check_ready().await
    };
    match ready {
        Ok(()) => Ok(store),
        Err(StoreError::MigrationsPending { .. }) => {
            store.close().await;
            Err(fail(
                EXIT_OTHER,
                "the database is not migrated: run `stocklens migrate` first",
            ))
        }
        Err(err) => {
            store.close().await;
            Err(fail(
                EXIT_OTHER,
                format!("database: {}", crate::jobs::analysis::error_chain(&err)),
            ))
        }
    }
}

/// Reports a store error with the exit code its kind calls for.
fn store_error(err: &StoreError) -> ExitCode {
    match err {
        StoreError::NotFound { .. }
        | StoreError::Conflict { .. }
        | StoreError::Invalid(_)
        | StoreError::QuotaExceeded { .. } => fail(EXIT_INPUT, err),
        err => fail(EXIT_OTHER, crate::jobs::analysis::error_chain(err)),
    }
}

/// Logs go to stderr. The default (`default`) shows only errors for one-shot commands, so that a
/// failed command prints its one `error:` line and nothing else, and info for `serve`; `STOCKLENS_LOG=info` (or `RUST_LOG`) shows more, including
/// what plugins print.
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("STOCKLENS_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colours only on a terminal: a service's log usually goes to a file or a collector.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}

/// `--help` and `--version` print as clap makes them; a usage error prints its first line only
/// (clap adds a usage block and a tip), keeping the one-line contract. Exit code 2.
fn usage_error(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
    }
    let rendered = err.to_string();
    let first = rendered
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("invalid usage");
    let message = first.strip_prefix("error: ").unwrap_or(first);
    fail(2, format!("{message} (see --help)"))
}

/// Prints the one error line and returns the exit code.
fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    let message = message.to_string();
    // One line, whatever the message holds.
    let line = message.replace(['\n', '\r'], " ");
    eprintln!("error: {line}");
    ExitCode::from(code)
}
