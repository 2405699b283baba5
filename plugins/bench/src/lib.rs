//! Benchmark tooling for the built-in plugins, run natively: a generator of realistic Adobe Stock
//! Activity exports of any size, and a harness that runs the parser and the overview analyzer the
//! way the host does, timing each.
//!
//! # Layout
//!
//! - `generate`: the deterministic Activity export generator behind `gen-adobe`.
//! - `harness`: the chunked parse and batched analysis behind `native-bench`.
//! - `args`: the few command-line flags both binaries take.

pub mod args;
pub mod generate;
pub mod harness;
