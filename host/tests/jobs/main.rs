//! The jobs suite: real `stocklens serve` worker processes, killed with SIGKILL at the worst
//! moments, stopped with SIGTERM, run by the thousand on Postgres and cut off from a private
//! Redis, with the database and the outbox checked for exactly one report per analysis.
//!
//! Cases start processes and so run a few at a time (the machine is shared); each has a
//! generous hang guard and otherwise polls for the condition it waits on.

mod authoring;
mod crash;
mod failures;
mod helpers;
mod history;
mod load;
mod plugins;
/// The tests crate's port picker (`stocklens_tests::ports`), shared by path: free ports safe
/// from outgoing connections' source ports.
#[path = "../../../tests/src/ports.rs"]
mod ports;
mod redis;
mod shutdown;
mod submit;
mod web;
