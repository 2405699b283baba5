//! The one error type of the store: the cases a caller branches on (not found, quota exceeded,
//! conflict, lost lease, rejected input) as variants, and everything the database or driver can
//! throw as [`StoreError::Database`]. Messages never include a connection URL or stored content.

/// What went wrong in a store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row the operation needs does not exist.
    #[error("{what} not found")]
    NotFound { what: &'static str },

    /// The user's plan allows no further analysis in the current period.
    #[error("quota exceeded: plan {plan} allows {limit} analyses per period")]
    QuotaExceeded { plan: String, limit: i32 },

    /// The row already exists (a unique key) or is not in a state that allows the change.
    #[error("conflict: {what}")]
    Conflict { what: &'static str },

    /// The caller no longer holds the job's lease: it expired and another worker may have it.
    #[error("job {job_id}: lease lost")]
    LeaseLost { job_id: i64 },

    /// Input the store refuses before it reaches the database (a malformed date, an upload over
    /// the size limit).
    #[error("invalid input: {0}")]
    Invalid(String),

    /// The database URL names a backend the store does not speak.
    #[error("unsupported database URL scheme {scheme:?}: use sqlite: or postgres://")]
    UnsupportedUrl { scheme: String },

    /// The database has not applied these embedded migrations yet.
    #[error("database migrations pending: {versions:?}")]
    MigrationsPending { versions: Vec<i64> },

    /// Applying migrations failed (including a changed migration that was already applied).
    #[error("database migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    /// The data directory could not be created, or the system had no randomness for a token.
    #[error("I/O error")]
    Io(#[from] std::io::Error),

    /// The Postgres server did not let the pool connect in time; `cause` is what one more
    /// attempt met (refused, unreachable, a timeout).
    #[error("cannot reach Postgres at {server} (tried for {waited_secs} s)")]
    Unreachable {
        server: String,
        waited_secs: u64,
        #[source]
        cause: sqlx::Error,
    },

    /// The database or its driver failed: connection, timeout, constraint, decoding.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// True for failures worth retrying later: the database was unreachable, busy or timed out.
    /// Anything else (a missing row, a constraint) fails the same way again.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Unreachable { .. } => true,
            StoreError::Database(e) => match e {
                sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::Tls(_) => true,
                sqlx::Error::Database(db) => {
                    // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with extended codes.
                    // Postgres: serialization failure, deadlock, too many connections, shutdown.
                    let code = db.code().unwrap_or_default();
                    let primary = code.parse::<i32>().map(|c| c & 0xff).unwrap_or(-1);
                    matches!(primary, 5 | 6)
                        || matches!(&*code, "40001" | "40P01" | "53300" | "57P01" | "57P03")
                }
                _ => false,
            },
            _ => false,
        }
    }
}

/// True when `e` is a unique-key violation (so the caller can report a [`StoreError::Conflict`]).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

/// True when `e` is a foreign-key violation (a referenced row does not exist).
pub(crate) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_foreign_key_violation(),
        _ => false,
    }
}

/// Error for a stored enum value that this build does not know (a newer schema, a manual edit).
#[derive(Debug, thiserror::Error)]
#[error("unknown {what} value {value:?} in the database")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}
