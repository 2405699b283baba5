//! The job queue and the worker role: claims durable jobs from the store, runs them, and delivers
//! their results exactly once, surviving a worker killed at any instant.
//!
//! The database is the only truth: a job is claimed with a lease, renewed by heartbeat while it
//! runs and reclaimed by another worker when its worker dies. Redis, when configured, only wakes
//! idle workers early; losing it means polling, never losing a job. This module decides the
//! policies the store leaves open (which failures are transient, how long to back off, when a job
//! is dead); it knows nothing of Telegram or HTTP and reaches contributors only through a
//! [`delivery::Delivery`].
//!
//! # Layout
//!
//! - [`queue`]: the claim loop (poll, or wake on a Redis notification) and the operator's retry.
//! - [`worker`]: N jobs at once per process, leases and heartbeats, retries with backoff, graceful
//!   shutdown.
//! - [`analysis`]: one analysis job from stored uploads to a delivered report, and its submission.
//! - [`delivery`]: the idempotent last step, and the file outbox sink.
//! - [`failpoint`]: test-only places where a worker stops dead so a test can kill it there.

pub mod analysis;
pub mod delivery;
pub mod failpoint;
pub mod queue;
pub mod worker;

pub use analysis::{AnalysisRequest, Engine};
pub use delivery::{Deliverable, Delivery, DeliveryError, Failure, OutboxDelivery};
pub use failpoint::Failpoint;
pub use queue::Queue;
pub use worker::{Worker, WorkerConfig};
