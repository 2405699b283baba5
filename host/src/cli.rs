//! The `stocklens` command line: one binary with subcommands for contributors, operators and
//! plugin authors.
//!
//! Exit codes are a contract other tools rely on: 0 success, 2 usage error, 3 a problem with the
//! input, 4 a plugin failure, 1 anything else. Every failure prints exactly one line on stderr
//! starting with `error: `.

mod analyze;
mod plugin;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::plugin::RuntimeConfig;

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
}

impl PluginLimits {
    fn runtime_config(&self) -> RuntimeConfig {
        RuntimeConfig {
            call_deadline: Duration::from_secs_f64(self.plugin_deadline.clamp(0.01, 3600.0)),
            memory_limit: self.plugin_memory.clamp(1, 4096) * 1024 * 1024,
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
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    init_logging();
    let config = cli.plugins.runtime_config();
    match cli.command {
        Command::Analyze(args) => analyze::run(args, config),
        Command::Plugin(command) => plugin::run(command, config),
    }
}

/// Logs go to stderr. The default shows only errors, so that a failed command prints its one
/// `error:` line and nothing else; `STOCKLENS_LOG=info` (or `RUST_LOG`) shows more, including
/// what plugins print.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("STOCKLENS_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
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
