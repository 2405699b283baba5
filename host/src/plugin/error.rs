//! How a plugin can fail, as callers need to branch on it.
//!
//! Every error names the plugin (`id@version`, or the component's sha256 prefix before its
//! `info()` is known) and the kind of failure. The text is for operators and logs; what a
//! contributor reads is chosen by the caller from the kind.

use std::fmt;
use std::time::Duration;

/// A plugin failed; the job that used it fails, the host carries on.
#[derive(Debug, thiserror::Error)]
#[error("plugin {plugin}: {kind}")]
pub struct PluginError {
    /// `id@version` of the plugin, or `sha256:<prefix>` before its info is known.
    pub plugin: String,
    pub kind: PluginErrorKind,
}

/// What went wrong inside or around a plugin.
#[derive(Debug, thiserror::Error)]
pub enum PluginErrorKind {
    /// The bytes are not a WebAssembly component at all.
    #[error("not a WebAssembly component: {0}")]
    NotAComponent(String),
    /// A component, but not one that speaks a supported `stocklens:plugin` version.
    #[error("does not implement a supported stocklens:plugin interface ({0})")]
    UnsupportedInterface(String),
    /// The component could not be compiled or linked.
    #[error("could not be loaded: {0}")]
    Load(String),
    /// The plugin crashed (a panic, an unreachable instruction, an out-of-bounds access...).
    #[error("crashed: {0}")]
    Trap(String),
    /// The plugin recursed past the engine's stack limit: a crash with a cause worth naming,
    /// since it usually means unbounded recursion on some input.
    #[error("overflowed its stack (unbounded recursion?) and was stopped")]
    StackOverflow,
    /// A call ran past its deadline and was interrupted.
    #[error("took longer than {} s and was stopped", .0.as_secs_f64())]
    Deadline(Duration),
    /// The plugin tried to use more memory than it may.
    #[error("tried to use more than {} MiB of memory and was stopped", .0 / (1024 * 1024))]
    MemoryCap(usize),
    /// The plugin returned something that breaks the interface's contract.
    #[error("returned invalid output: {0}")]
    BadOutput(String),
    /// One call returned more than the runtime's `output_limit` bytes.
    #[error("returned more than {} from one call and was stopped", bytes(*.0))]
    OutputCap(usize),
}

impl PluginErrorKind {
    /// A short stable name for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            PluginErrorKind::NotAComponent(_) => "not_a_component",
            PluginErrorKind::UnsupportedInterface(_) => "unsupported_interface",
            PluginErrorKind::Load(_) => "load",
            PluginErrorKind::Trap(_) => "trap",
            PluginErrorKind::StackOverflow => "stack_overflow",
            PluginErrorKind::Deadline(_) => "deadline",
            PluginErrorKind::MemoryCap(_) => "memory_cap",
            PluginErrorKind::BadOutput(_) => "bad_output",
            PluginErrorKind::OutputCap(_) => "output_cap",
        }
    }
}

/// `16 MiB` for whole mebibytes, `4096 bytes` otherwise (small limits are set by tests).
fn bytes(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

impl PluginError {
    pub(crate) fn new(plugin: impl fmt::Display, kind: PluginErrorKind) -> PluginError {
        PluginError {
            plugin: plugin.to_string(),
            kind,
        }
    }
}
