//! Benchmark tooling for the built-in plugins, run natively: generators of realistic exports of
//! every built-in format at any size, and a harness that runs a parser and the overview analyzer
//! the way the host does, timing each.
//!
//! # Layout
//!
//! - `generate`: the deterministic export generators behind `gen-adobe` and `gen-export`.
//! - `harness`: the chunked parse and batched analysis behind `native-bench`.
//! - `generators`: the synthetic million sales every report generator is timed on
//!   (`native-generators`, and the host's `generators` bench).
//! - `args`: the few command-line flags the binaries take.

pub mod args;
pub mod generate;
pub mod generators;
pub mod harness;
