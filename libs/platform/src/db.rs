//! PostgreSQL access shared by the services: a pool whose every wait is bounded (so a stopped
//! database gives a fast 503, not a hang) and the classification of sqlx errors into
//! "the database is unavailable" versus "a bug", which is what the problem answer depends on;
//! and [`detached`], which every unit of database work runs in so that no caller can cancel it
//! half-way; and [`migrate`], which waits for a database that is still starting.

use std::{future::Future, time::Duration};

use sqlx::{
    migrate::{MigrateError, Migrator},
    postgres::{PgConnectOptions, PgPool, PgPoolOptions},
};

use crate::problem::Problem;

/// Pool settings every service reads from its environment.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub max_connections: u32,
    /// How long a request may wait for a connection before it gets a 503.
    pub acquire_timeout: Duration,
    /// Statements running longer than this are cancelled by PostgreSQL.
    pub statement_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_millis(1500),
            statement_timeout: Duration::from_secs(5),
        }
    }
}

/// A lazily connecting pool: the service starts even while PostgreSQL is still coming up,
/// and readiness reports it until it answers.
pub fn lazy_pool(options: PgConnectOptions, settings: PoolSettings) -> PgPool {
    let statement_timeout = settings.statement_timeout.as_millis().to_string();
    let options = options.options([("statement_timeout", statement_timeout.as_str())]);
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout)
        .idle_timeout(Duration::from_secs(300))
        .connect_lazy_with(options)
}

/// How long a starting service waits for PostgreSQL before it gives up: long enough for a
/// database that is starting or restarting beside it (compose, a fast restart, a busy CI
/// machine), short enough that a wrong address still fails the start visibly.
pub const MIGRATION_PATIENCE: Duration = Duration::from_secs(60);

/// Applies `migrator`'s pending migrations. While the database cannot be reached (refused
/// connections, a pool timeout, a server still starting up) it retries with a growing pause
/// for up to `patience`, logging each wait; any other error — a failed or changed migration —
/// returns at once.
pub async fn migrate(
    migrator: &Migrator,
    pool: &PgPool,
    patience: Duration,
) -> Result<(), MigrateError> {
    let started = tokio::time::Instant::now();
    let mut pause = Duration::from_millis(100);
    loop {
        match migrator.run(pool).await {
            Err(MigrateError::Execute(err))
                if is_unavailable(&err) && started.elapsed() + pause < patience =>
            {
                tracing::warn!(error = %err, retry_in_ms = pause.as_millis() as u64, "database not reachable yet; waiting to apply migrations");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            outcome => return outcome,
        }
    }
}

/// Runs `work`, a unit of database work (a transaction from `BEGIN` to `COMMIT`, or writes that
/// belong together), on a task of its own and waits for its result: the work finishes —
/// commits or rolls back — even when the caller is dropped half-way (the client closed the
/// connection, a timeout fired).
///
/// The rule of every service: **database work is never cancelled half-way.** A request's
/// future is dropped when its client goes away; dropping sqlx 0.9's `begin()` during the `BEGIN`
/// round trip returns the connection to the pool inside a server-side transaction that nothing
/// ends (transact-rs/sqlx#4393), and dropping a `commit()` in flight makes the guard send a
/// `ROLLBACK` after it. Either way the next borrower runs inside the wrong transaction.
///
/// The work runs in the caller's span, so its log lines keep the request id. A panic in the
/// work resumes in the caller, where the HTTP stack turns it into a 500.
pub async fn detached<F>(work: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    use tracing::Instrument;
    match tokio::spawn(work.in_current_span()).await {
        Ok(output) => output,
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        // Only a runtime that is shutting down cancels a spawned task, and it drops the
        // caller with it: nobody is left to answer.
        Err(err) => panic!("database work cancelled by the runtime shutting down: {err}"),
    }
}

/// One round trip to the database (readiness checks).
pub async fn ping(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query("SELECT 1").execute(pool).await.map(drop)
}

/// True when `err` means the database cannot be reached or is overloaded right now.
pub fn is_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 57P01..57P03: admin shutdown, crash shutdown, cannot connect now;
            // 53300: too many connections; 57014: statement timeout.
            matches!(&*code, "57P01" | "57P02" | "57P03" | "53300" | "57014")
        }),
        _ => false,
    }
}

/// True when `err`, from a `COMMIT`, leaves its outcome unknown: the connection broke after
/// the COMMIT was sent, so PostgreSQL may have applied it. An error PostgreSQL answered with
/// means it did not commit.
fn commit_outcome_unknown(err: &sqlx::Error) -> bool {
    matches!(
        err,
        sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed
    )
}

/// Commits `tx`. A COMMIT whose answer was lost is 504 `outcome-unknown` — never the 503 that
/// tells a client nothing was done — and any other failure is the database error itself.
pub async fn commit(tx: sqlx::Transaction<'_, sqlx::Postgres>) -> Result<(), CommitError> {
    tx.commit().await.map_err(|err| {
        if commit_outcome_unknown(&err) {
            tracing::warn!(error = %err, "the answer to a COMMIT was lost");
            CommitError::OutcomeUnknown(Problem::outcome_unknown(
                "The database connection broke while the change was being committed; it may or may not have been made. Read it back before trying again.",
            ))
        } else {
            CommitError::Database(err)
        }
    })
}

/// Why [`commit`] failed.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("commit outcome unknown")]
    OutcomeUnknown(Problem),
    #[error(transparent)]
    Database(sqlx::Error),
}

/// The name of the constraint a database error violated, if any.
pub fn violated_constraint(err: &sqlx::Error) -> Option<&str> {
    match err {
        sqlx::Error::Database(db) => db.constraint(),
        _ => None,
    }
}

/// True when PostgreSQL refused a value it cannot represent (a NUL character in text, an
/// invalid encoding): the request's fault, not the server's.
pub fn is_unstorable_value(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| matches!(&*code, "22021" | "22P05")),
        _ => false,
    }
}

/// The answer for a database error that no handler mapped: 503 when the database is
/// unavailable, 400 for a value PostgreSQL cannot store, otherwise a logged 500 that
/// reveals nothing.
pub fn problem(err: &sqlx::Error) -> Problem {
    if is_unstorable_value(err) {
        tracing::warn!(error = %err, "request value refused by the database");
        return Problem::bad_request(
            "A value contains a character that cannot be stored (such as NUL).",
        );
    }
    if is_unavailable(err) {
        tracing::warn!(error = %err, "database unavailable");
        Problem::unavailable("The database is unavailable; try again shortly.")
    } else {
        tracing::error!(error = %err, "database error");
        Problem::internal()
    }
}
