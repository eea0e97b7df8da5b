//! Login-failure counters per key, each with an optional lock expiry.

use std::time::Duration;

use sqlx::PgPool;

/// Seconds until the longest lock among `keys` ends; zero when none is locked.
pub async fn locked_for(db: &PgPool, keys: &[String]) -> sqlx::Result<u64> {
    let remaining: Option<f64> = sqlx::query_scalar(
        "SELECT max(extract(epoch FROM locked_until - now()))::float8
         FROM login_throttle WHERE key = ANY($1) AND locked_until > now()",
    )
    .bind(keys)
    .fetch_one(db)
    .await?;
    // Whole seconds, rounded up: a client that waits Retry-After is let through.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(remaining.map_or(0, |secs| secs.ceil().max(0.0) as u64))
}

/// Counts one failure for `key` (restarting the count after `window`) and returns the
/// failures counted so far in the window.
pub async fn count_failure(db: &PgPool, key: &str, window: Duration) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "INSERT INTO login_throttle (key, failures, first_failure_at) VALUES ($1, 1, now())
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN login_throttle.first_failure_at < now() - make_interval(secs => $2)
                           THEN 1 ELSE login_throttle.failures + 1 END,
           first_failure_at = CASE WHEN login_throttle.first_failure_at < now() - make_interval(secs => $2)
                           THEN now() ELSE login_throttle.first_failure_at END,
           locked_until = CASE WHEN login_throttle.first_failure_at < now() - make_interval(secs => $2)
                           THEN NULL ELSE login_throttle.locked_until END
         RETURNING failures",
    )
    .bind(key)
    .bind(window.as_secs_f64())
    .fetch_one(db)
    .await
}

pub async fn lock(db: &PgPool, key: &str, duration: Duration) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2) WHERE key = $1",
    )
    .bind(key)
    .bind(duration.as_secs_f64())
    .execute(db)
    .await
    .map(drop)
}

pub async fn clear(db: &PgPool, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(db)
        .await
        .map(drop)
}
