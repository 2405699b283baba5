//! End-to-end test support for Stocklens: suites that exercise the system from the outside
//! (the report in a real browser; later the fake Telegram server and the load generator).
