//! The contributor's whole journey with the bot, end to end: the real bot and worker over real
//! HTTP against the fake Telegram Bot API server, with real plugins in a real wasmtime and a
//! real database (SQLite, and Postgres where it matters).

mod harness;
mod journey;
mod process;
mod questions;
mod redis;
mod refusals;
mod reports;
mod resilience;
mod secrets;
mod security;
