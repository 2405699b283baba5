//! End-to-end test support for Stocklens: suites that exercise the system from the outside
//! the fake Telegram Bot API server the bot's suites (and later the load generator) drive, the
//! bot's whole journey against it, and the report in a real browser.
//!
//! # Layout
//!
//! - [`stocklens_binary`]: the `stocklens` binary, built first if missing or stale.
//! - [`fake_telegram`]: a fake Telegram Bot API server with simulated users, for bot end-to-end
//!   tests and the load generator.
//! - [`load`]: the load generator behind the `stocklens-load` binary.
//! - [`redis_server`]: a private `redis-server` on a free port that a test kills, pauses and
//!   restarts.
//! - [`ports`]: free ports for the servers tests start, safe from outgoing connections.

mod binary;
pub mod fake_telegram;
pub mod load;
pub mod ports;
pub mod redis_server;

pub use binary::stocklens_binary;
