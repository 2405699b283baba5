//! `test-probe` 1.0.0: a report generator that names its version in its report, for the
//! host's hot-swap tests.

/// The version this build says it is.
const VERSION: &str = "1.0.0";
/// Whether `finish` panics.
const TRAPS: bool = false;

include!("../../probe.rs");
