//! PostgreSQL's own view of a database's sessions.

use sqlx::PgPool;

/// How many sessions on `database` (other than the caller's) sit inside a transaction without
/// running anything: `idle in transaction`, aborted or not. Outside an instant between two
/// statements of a live transaction this means a connection was given back to its pool with
/// a transaction still open.
pub async fn sessions_in_transaction(pool: &PgPool, database: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'",
    )
    .bind(database)
    .fetch_one(pool)
    .await
    .expect("read pg_stat_activity")
}
