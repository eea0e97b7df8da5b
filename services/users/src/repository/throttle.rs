//! Login-attempt counters per key: failures in the current window, attempts being verified
//! right now, and an optional lock expiry.

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

/// How many attempts of one key may be verified at once, and for how long a reservation holds.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    /// The failures the key may have in a window before it locks.
    pub free_failures: i32,
    /// The window after which failures start again from zero.
    pub window: Duration,
    /// A reservation older than this was left by a process that died mid-attempt.
    pub stale_after: Duration,
}

/// Reserves one attempt for `key` in a single statement (concurrent attempts queue on the
/// row, each seeing those before it). Granted when the key is not locked and fewer attempts
/// are in flight than the failures it may still have in the window — at least one, so that
/// past the free failures attempts go one at a time, each able to earn the next lock.
pub async fn reserve(db: &PgPool, key: &str, allowance: Allowance) -> sqlx::Result<bool> {
    let granted: Option<i32> = sqlx::query_scalar(
        "INSERT INTO login_throttle AS t (key, failures, window_started_at, in_flight, in_flight_since)
         VALUES ($1, 0, now(), 1, now())
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                           THEN 0 ELSE t.failures END,
           window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                           THEN now() ELSE t.window_started_at END,
           locked_until = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                           THEN NULL ELSE t.locked_until END,
           in_flight = CASE WHEN t.in_flight_since < now() - make_interval(secs => $4)
                           THEN 1 ELSE t.in_flight + 1 END,
           in_flight_since = now()
         WHERE (t.locked_until IS NULL OR t.locked_until <= now()
                OR t.window_started_at < now() - make_interval(secs => $2))
           AND CASE WHEN t.in_flight_since < now() - make_interval(secs => $4)
                    THEN 0 ELSE t.in_flight END
             < greatest($3 - CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                                  THEN 0 ELSE t.failures END, 1)
         RETURNING 1",
    )
    .bind(key)
    .bind(allowance.window.as_secs_f64())
    .bind(allowance.free_failures)
    .bind(allowance.stale_after.as_secs_f64())
    .fetch_optional(db)
    .await?;
    Ok(granted.is_some())
}

/// Ends a reserved attempt that failed: counts the failure and applies the lock that
/// `lock_after` gives for the failures so far, in one transaction (an attempt waiting for its
/// reservation sees the lock, never the count without it). Returns the failures and the lock.
pub async fn record_failure(
    db: &PgPool,
    key: &str,
    lock_after: impl FnOnce(i32) -> Option<Duration>,
) -> sqlx::Result<(i32, Option<Duration>)> {
    let mut tx = db.begin().await?;
    let failures: Option<i32> = sqlx::query_scalar(
        "UPDATE login_throttle SET in_flight = greatest(in_flight - 1, 0), failures = failures + 1
         WHERE key = $1 RETURNING failures",
    )
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    // No row: a successful sign-in cleared the account meanwhile.
    let Some(failures) = failures else {
        return Ok((0, None));
    };
    let lock = lock_after(failures);
    if let Some(duration) = lock {
        sqlx::query(
            "UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2)
             WHERE key = $1",
        )
        .bind(key)
        .bind(duration.as_secs_f64())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((failures, lock))
}

/// Ends a reserved attempt without counting a failure.
pub async fn release(db: &PgPool, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE login_throttle SET in_flight = greatest(in_flight - 1, 0) WHERE key = $1")
        .bind(key)
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
