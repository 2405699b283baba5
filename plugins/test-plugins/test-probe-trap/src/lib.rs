//! `test-probe` 3.0.0: a report generator that names its version in its report and traps in
//! `finish` on more than 10 sales (its validation sample has 8), for the test that a version
//! failing at run time is rolled back automatically.

/// The version this build says it is.
const VERSION: &str = "3.0.0";
/// Whether `finish` panics.
const TRAPS: bool = true;

include!("../../probe.rs");
