//! The plugin runtime: marketplace parsers and report generators as sandboxed WebAssembly
//! components, loaded into one wasmtime engine.
//!
//! It knows nothing of the bot, the web, the store or the cache: it compiles components,
//! instantiates them per job, runs every call under a deadline, a memory cap and an output cap,
//! and turns every failure into a [`PluginError`] that names the plugin and what went wrong.

mod bindings;
pub mod builtin;
mod cache;
mod error;
mod instance;
mod registry;
mod runtime;
mod sandbox;

pub use bindings::analyzer_v1::exports::stocklens::plugin::analyzer as analyzer_types;
pub use bindings::parser_v1::exports::stocklens::plugin::parser as parser_types;
pub use bindings::types;
pub use error::{PluginError, PluginErrorKind};
pub use instance::{
    AnalyzerInstance, MAX_SALE_MICROS, MAX_SALE_UNITS, ParserInstance, check_batch, days_in_month,
    is_calendar_date, text_of,
};
pub use registry::Registry;
pub use runtime::{
    DEFAULT_OUTPUT_LIMIT, Plugin, PluginInfo, PluginKind, Runtime, RuntimeConfig,
    SUPPORTED_WIT_VERSIONS,
};
