//! Stocklens: portfolio analytics for stock-content contributors.
//!
//! A contributor's sales export goes in; sandboxed WebAssembly parsers turn it into normalized
//! sales, sandboxed report generators turn those into typed report sections, and the host
//! renders one self-contained HTML report and a JSON summary.
//!
//! # Layout
//!
//! Modules stand in floors; each uses only what stands below it.
//!
//! - [`cli`]: the command line (`stocklens analyze`, `stocklens plugin ...`): a face that turns
//!   a person's request into pipeline calls and exit codes.
//! - [`bot`]: the Telegram bot (teloxide), the contributor's face: receives exports, asks the
//!   questions, queues analyses; its delivery sink sends the reports.
//! - [`jobs`]: the queue and the worker role: claims jobs with leases (woken by Redis or by
//!   polling), runs analyses, retries transient failures, delivers each report exactly once.
//! - [`web`]: the web role (axum): health and readiness, Prometheus metrics, report links, and the
//!   operator's admin API.
//! - [`catalog`]: which plugin versions run: the built-ins plus versions installed in the store,
//!   validated before they are installed, swapped atomically in every process, rolled back by the
//!   operator or automatically when they fail their jobs.
//! - [`pipeline`]: decode → detect → parse → select → analyze, streaming; knows no Telegram or
//!   HTTP, so the CLI and a worker run the same code.
//! - [`report`]: renders the report model to HTML with askama; inline CSS and SVG, no scripts.
//! - [`plugin`]: the wasmtime sandbox: compiles, caches, instantiates and guards plugins, and
//!   classifies their failures. Knows nothing above it.
//! - [`store`]: sqlx over SQLite (embedded default) or Postgres: users, plans and quotas,
//!   uploads, analyses, jobs, sales history, reports, plugins, dialogue state; keeps its hottest
//!   rows in the cache. Knows nothing of the bot, the web or job policies.
//! - [`cache`]: Redis with deadlines, a circuit breaker and once-only health logs: a cache where
//!   every failure is a miss, shared counters, and notifications between processes.

pub mod bot;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod jobs;
pub mod pipeline;
pub mod plugin;
pub mod report;
pub mod store;
pub mod web;
