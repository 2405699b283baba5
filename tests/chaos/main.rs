//! The chaos suite (issue 11): the real `stocklens` processes (one `serve --roles bot`, worker
//! processes `serve --roles worker`) against the fake Telegram, a stream of simulated
//! contributors uploading real example exports and answering every question, while one kind of
//! fault is injected: workers SIGKILLed at random points, the bot SIGKILLed and restarted
//! mid-dialogue, Postgres restarted under load, Redis killed, paused and restarted, Telegram
//! answering 5xx, 429 with retry_after, slowly or not at all, the plugin cache unwritable.
//! After each, the same invariants hold (`invariants.rs`): every accepted upload got exactly one
//! report or exactly one failure notice, no job is stuck, no quota is charged for a failed
//! analysis, and a fresh contributor is then served end to end without an operator.
//!
//! One command: `cargo test -p stocklens-tests --test chaos` (quick, a few minutes; part of
//! `cargo test --workspace` and so of `.ci/run`). It needs the `stocklens` binary built beside
//! the tests (`cargo test --workspace` builds it; otherwise `cargo build -p stocklens` first),
//! `redis-server`, and PostgreSQL's server binaries (`/usr/lib/postgresql/<version>/bin`, for a
//! private cluster; the machine's own server is never touched).
//!
//! - `STOCKLENS_CHAOS=long` runs more contributors (60 per scenario) and more faults (12).
//! - `STOCKLENS_CHAOS_SEED=N` replays a run's random choices (kill times, which worker): every
//!   scenario prints its seed, and a failure prints it again with each service's log tail.
//! - `STOCKLENS_CHAOS_KEEP=1` keeps each scenario's directory (service logs, SQLite database)
//!   even when it passes; a failing scenario always keeps it.
//!
//! # Layout
//!
//! - `world`: one scenario's fake Telegram, database, Redis and `stocklens` processes.
//! - `contributor`: a simulated contributor who answers whatever the bot asks.
//! - `invariants`: what must hold after a fault, from the fake's events and the database.
//! - `cluster`: a private Postgres cluster to restart.
//! - one file per fault: `workers`, `bot`, `postgres`, `redis`, `telegram`, `plugin_cache`.

mod cluster;
mod contributor;
mod invariants;
mod world;

mod bot;
mod plugin_cache;
mod postgres;
mod redis;
mod telegram;
mod workers;
